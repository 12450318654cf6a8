"""``veil spark``: redact a corpus with Apache Spark (reads Parquet/JSONL/CSV, writes Parquet)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("spark")
@click.argument("source")
@click.option("-o", "--output", required=True, help="Output Parquet directory (Spark layout).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "jsonl", "csv"]),
    default=None,
    help="Input format (default: by extension; a directory is read as Parquet).",
)
@click.option("--text-field", default="text", show_default=True, help="Column holding the text.")
@click.option("--id-field", default=None, help="Column naming rows in error messages.")
@click.option(
    "--output-field",
    default=None,
    help="Name of the redacted column; it replaces --text-field, whose original is dropped.",
)
@click.option(
    "--keep-original",
    is_flag=True,
    help="With --output-field, also keep --text-field. WARNING: the output then contains the "
    "unmasked text and must be protected like the input.",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Key file (veil keygen): the same key gives the same pseudonyms in every run.",
)
@click.option(
    "--digits",
    type=click.IntRange(4, 18),
    default=8,
    show_default=True,
    help="Digits of the keyed entity numbers ([PERSON_48213907]).",
)
@click.option(
    "-p", "--policy", default=None, help="Preset name (pii, strict) or policy TOML file. Default: pii."
)
@click.option(
    "--on-error",
    type=click.Choice(["fail", "skip", "mask"]),
    default="fail",
    show_default=True,
    help="Bad row: fail the job, drop the row, or write its text as '*' x length.",
)
@click.option(
    "--master", default=None, help="Spark master, e.g. local[4] (default: from spark-submit or local)."
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
def spark_cmd(
    source: str,
    output: str,
    fmt: str | None,
    text_field: str,
    id_field: str | None,
    output_field: str | None,
    keep_original: bool,
    key_file: Path,
    digits: int,
    policy: str | None,
    on_error: str,
    master: str | None,
    overwrite: bool,
) -> None:
    """Anonymize a corpus on a Spark cluster (or locally), consistently across executors.

    Entity numbers are derived from the key (HMAC), so no state is shared between
    executors and the same key gives the same pseudonyms in every run.

    \b
    Examples:
      veil keygen -o veil.key
      veil spark data.parquet -o out.parquet --key veil.key --master 'local[4]'
      veil spark tickets.jsonl -o out --text-field body --id-field id --key veil.key
      spark-submit --master yarn "$(python -m veil.spark_submit --path)" \\
          hdfs:///corpus -o hdfs:///redacted --key veil.key

    --key also keys the operators that take one (surrogate, hash, encrypt).
    """
    import os
    import sys

    from ..config import resolve_policy
    from ..spark import run_spark
    from ..vault import numbers_key_bytes
    from .redact import load_secrets

    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"
    if master and master.startswith("local"):
        # Local Python workers must run the interpreter Veil is installed in.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if fmt is None:
        suffix = Path(source).suffix.lower()
        fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}.get(suffix, "parquet")
    resolved = resolve_policy(policy)
    secrets = load_secrets(str(key_file), resolved)
    rows = run_spark(
        source,
        output,
        fmt=fmt,  # type: ignore[arg-type]
        text_col=text_field,
        key=numbers_key_bytes(key_file),
        policy=resolved,
        output_col=output_field,
        id_col=id_field,
        digits=digits,
        on_error=on_error,  # type: ignore[arg-type]
        master=master,
        overwrite=overwrite,
        keep_original=keep_original,
        secrets=secrets,
    )
    click.echo(f"veil spark: {rows} rows written to {output}", err=True)
