"""``veil batch``: redact a corpus (directory of .txt, JSON Lines, CSV or Parquet)."""

from __future__ import annotations

from pathlib import Path

import click

from ..corpus import FORMATS, BatchJob, run
from ..options import Options, VeilCommand, options


@click.command("batch", cls=VeilCommand)
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
    "--text-field",
    "text_fields",
    multiple=True,
    metavar="COLUMN",
    help="Column holding text to protect (JSONL, CSV, Parquet); repeat it to protect several "
    "columns. Default: text.",
)
@click.option(
    "--id-field",
    default=None,
    help="Column naming each record in errors and the report (default: line/row number).",
)
@options("policy", "transform", "run")
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (the model is loaded once per worker).",
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
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
def batch_cmd(
    opts: Options,
    source: Path,
    output: Path,
    fmt: str | None,
    text_fields: tuple[str, ...],
    id_field: str | None,
    workers: int,
    vault: Path | None,
    vault_key: Path | None,
    report: Path | None,
    shard_size: int,
    work_dir: Path | None,
    restart: bool,
    progress: bool | None,
) -> None:
    """Anonymize a corpus: a directory of .txt files, JSON Lines, CSV or Parquet.

    Other columns pass through untouched; --text-field may be repeated to protect several
    columns (the columns of one record are one document, so a name gets one pseudonym in
    all of them). A run killed at any point resumes when the same command is run again,
    and produces the same bytes. A summary goes to stderr and a JSON report (no document
    text) next to the output. Records skipped or masked by --on-error make the exit code 7.

    \b
    Examples:
      veil batch notes/ -o notes-redacted/ --workers 2
      veil batch tickets.jsonl -o out.jsonl --text-field body --id-field ticket_id
      veil batch people.csv -o out.csv --text-field name --text-field notes --preset strict
      veil batch emails.csv -o out.csv --on-error skip --vault corpus.vault
      veil batch big.parquet -o out.parquet --preset strict --workers 4 --deny "Project X"
      veil batch notes.jsonl -o out.jsonl --operator encrypt --key-file veil.key
    """
    from ..errors import RecordsSkippedError
    from ..vault import vault_key_bytes

    pol = opts.build_policy()
    job = BatchJob(
        source,
        output,
        policy=pol,
        secrets=opts.secrets(pol),
        fmt=fmt,
        text_fields=tuple(dict.fromkeys(text_fields)) or ("text",),
        id_field=id_field,
        workers=workers,
        on_error=opts.on_error,
        vault=vault,
        vault_key=vault_key_bytes(vault_key) if vault_key else None,
        report=report,
        shard_size=shard_size,
        work_dir=work_dir,
        restart=restart,
        timeout=opts.timeout,
        progress=progress,
    )
    summary = run(job)
    click.echo(f"veil batch: {summary.line()}", err=True)
    # The run is complete as asked, but not every record was protected and written: exit 7.
    summary.raise_for_skipped()
    if summary.masked:
        raise RecordsSkippedError(
            f"{len(summary.masked)} of {summary.documents} record(s) written as the placeholder "
            f"(--on-error mask); they are listed in the report {summary.report}"
        )
