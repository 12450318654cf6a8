"""``veil batch``: redact a corpus (directory of .txt, JSON Lines, CSV or Parquet)."""

from __future__ import annotations

from pathlib import Path

import click

from ..corpus import FORMATS, ON_ERROR, BatchJob, run


@click.command("batch")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file (or directory for a .txt directory); same format and layout as SOURCE.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Input format (default: directory -> txt, else by extension).",
)
@click.option(
    "--text-field", default="text", show_default=True, help="Column holding the text (JSONL, CSV, Parquet)."
)
@click.option(
    "--id-field",
    default=None,
    help="Column naming each record in errors and the report (default: line/row number).",
)
@click.option(
    "-p", "--policy", default=None, help="Preset name (pii, strict) or policy TOML file. Default: pii."
)
@click.option("--labels", default=None, help="Comma-separated labels to protect (narrows the policy).")
@click.option("--operator", default=None, help="Use this operator for every label.")
@click.option("--model", default=None, help="spaCy model package to use for NER.")
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (the model is loaded once per worker).",
)
@click.option(
    "--on-error",
    type=click.Choice(ON_ERROR),
    default="fail",
    show_default=True,
    help="Bad record: stop (fail), leave it out (skip), or write its text as '*' x length (mask).",
)
@click.option(
    "--vault",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite vault for corpus-wide, cross-run consistent numbering.",
)
@click.option(
    "--vault-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Key file (veil keygen) for the vault's keyed hashes; default: a secret kept in the vault.",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Key for the hash / encrypt / surrogate operators (or VEIL_KEY_FILE).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Run report (JSON). Default: OUTPUT.report.json.",
)
@click.option(
    "--shard-size",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="Records per committed shard (the unit of resume).",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where parts and the manifest live during the run (new, empty, or from an earlier Veil "
    "run; deleted after success). Default: OUTPUT.veil-work.",
)
@click.option("--restart", is_flag=True, help="Discard an unfinished previous run instead of resuming it.")
@click.option("--timeout", type=float, default=None, help="Seconds allowed for detection per document.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
def batch_cmd(
    source: Path,
    output: Path,
    fmt: str | None,
    text_field: str,
    id_field: str | None,
    policy: str | None,
    labels: str | None,
    operator: str | None,
    model: str | None,
    workers: int,
    on_error: str,
    vault: Path | None,
    vault_key: Path | None,
    key_file: str | None,
    report: Path | None,
    shard_size: int,
    work_dir: Path | None,
    restart: bool,
    timeout: float | None,
    progress: bool | None,
) -> None:
    """Anonymize a corpus: a directory of .txt files, JSON Lines, CSV or Parquet.

    Other columns pass through untouched. A run killed at any point resumes when the same
    command is run again, and produces the same bytes. A summary goes to stderr and a JSON
    report (no document text) next to the output.

    \b
    Examples:
      veil batch notes/ -o notes-redacted/ --workers 2
      veil batch tickets.jsonl -o out.jsonl --text-field body --id-field ticket_id
      veil batch emails.csv -o out.csv --on-error skip --vault corpus.vault
      veil batch big.parquet -o out.parquet --policy strict --workers 4
      veil batch notes.jsonl -o out.jsonl --operator encrypt --key-file veil.key
    """
    from ..config import resolve_policy
    from ..vault import vault_key_bytes

    pol = resolve_policy(policy)
    if labels:
        pol = pol.narrowed(x for x in labels.split(",") if x.strip())
    if operator:
        pol = pol.with_operator(operator)
    if model:
        pol = pol.with_model(model)
    from .redact import load_secrets

    job = BatchJob(
        source,
        output,
        policy=pol,
        secrets=load_secrets(key_file, pol),
        fmt=fmt,
        text_fields=text_field,
        id_field=id_field,
        workers=workers,
        on_error=on_error,  # type: ignore[arg-type]
        vault=vault,
        vault_key=vault_key_bytes(vault_key) if vault_key else None,
        report=report,
        shard_size=shard_size,
        work_dir=work_dir,
        restart=restart,
        timeout=timeout,
        progress=progress,
    )
    summary = run(job)
    click.echo(f"veil batch: {summary.line()}", err=True)
    summary.raise_for_skipped()
