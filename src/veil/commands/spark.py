"""``veil spark``: redact a corpus with Apache Spark (reads Parquet/JSONL/CSV, writes Parquet)."""

from __future__ import annotations

from pathlib import Path

import click

from ..options import Options, VeilCommand, options


@click.command("spark", cls=VeilCommand)
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
@options("policy", "transform", "run")
@click.option(
    "--key",
    "old_key",
    hidden=True,
    type=click.Path(dir_okay=False),
    help="Deprecated name of --key-file.",
)
@click.option(
    "--digits",
    type=click.IntRange(4, 18),
    default=8,
    show_default=True,
    help="Digits of the keyed entity numbers ([PERSON_48213907]).",
)
@click.option(
    "--master", default=None, help="Spark master, e.g. local[4] (default: from spark-submit or local)."
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
def spark_cmd(
    opts: Options,
    source: str,
    output: str,
    fmt: str | None,
    text_field: str,
    id_field: str | None,
    output_field: str | None,
    keep_original: bool,
    old_key: str | None,
    digits: int,
    master: str | None,
    overwrite: bool,
) -> None:
    """Anonymize a corpus on a Spark cluster (or locally), consistently across executors.

    Entity numbers are derived from --key-file (HMAC), so no state is shared between
    executors and the same key gives the same pseudonyms in every run. The key also keys
    the operators that take one (surrogate, hash, encrypt). --on-error means what it means
    in every command: fail the job, drop the row (skip), or write the fixed placeholder
    (mask); with skip or mask, failed rows are counted and the exit code is 7.

    \b
    Examples:
      veil keygen -o veil.key
      veil spark data.parquet -o out.parquet --key-file veil.key --master 'local[4]'
      veil spark tickets.jsonl -o out --text-field body --id-field id --key-file veil.key \\
          --preset strict --labels PERSON,EMAIL --operator tag
      spark-submit --master yarn "$(python -m veil.spark_submit --path)" \\
          hdfs:///corpus -o hdfs:///redacted --key-file veil.key
    """
    import os
    import sys
    from dataclasses import replace

    from ..errors import ConfigError
    from ..spark import run_spark
    from ..vault import numbers_key_bytes

    if old_key is not None:
        if opts.key_file is not None and opts.key_file != old_key:
            raise ConfigError("give the key once, with --key-file (--key is its deprecated name)")
        click.echo("veil: --key is deprecated; use --key-file (the same flag as in every command)", err=True)
        opts = replace(opts, key_file=old_key)
    if opts.timeout is not None:
        raise ConfigError("veil spark does not take --timeout: bound tasks with Spark's own settings")
    if opts.key_file is None:
        raise ConfigError(
            "veil spark needs --key-file (or VEIL_KEY_FILE): entity numbers are derived from it; "
            "create one with 'veil keygen -o veil.key'"
        )

    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"
    if master and master.startswith("local"):
        # Local Python workers must run the interpreter Veil is installed in.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if fmt is None:
        suffix = Path(source).suffix.lower()
        fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}.get(suffix, "parquet")
    resolved = opts.build_policy()
    secrets = opts.secrets(resolved)
    rows = run_spark(
        source,
        output,
        fmt=fmt,  # type: ignore[arg-type]
        text_col=text_field,
        key=numbers_key_bytes(opts.key_file),
        policy=resolved,
        output_col=output_field,
        id_col=id_field,
        digits=digits,
        on_error=opts.on_error,
        master=master,
        overwrite=overwrite,
        keep_original=keep_original,
        secrets=secrets,
    )
    click.echo(f"veil spark: {rows.rows} rows written to {output}", err=True)
    if rows.failed:
        from ..errors import RecordsSkippedError

        raise RecordsSkippedError(
            f"{rows.failed} row(s) failed and were handled by --on-error {opts.on_error} "
            "(a row without text is always left out)"
        )
