"""The ``veil`` command. A thin shell: each subcommand parses options, calls one library
function and maps :class:`~veil.errors.VeilError` to its exit code.

Subcommands live in :mod:`veil.commands` and are imported only when invoked, so
``veil --help`` stays fast and light.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from .errors import VeilError

# name -> (module, attribute, one-line help)
_COMMANDS: dict[str, tuple[str, str, str]] = {
    "redact": ("veil.commands.redact", "redact_cmd", "Anonymize text files (or stdin)."),
    "restore": ("veil.commands.restore", "restore_cmd", "Reverse the 'encrypt' operator with its key."),
    "keygen": ("veil.commands.restore", "keygen_cmd", "Create a key file for 'encrypt' or 'hash'."),
    "detect": ("veil.commands.redact", "detect_cmd", "List the entities found, without transforming."),
    "eval": ("veil.commands.eval", "eval_cmd", "Score protection quality on annotated text."),
    "audit": ("veil.commands.audit", "audit_cmd", "Report re-identification risk left in redacted text."),
    "batch": ("veil.commands.batch", "batch_cmd", "Anonymize a corpus (txt dir, JSONL, CSV, Parquet)."),
    "spark": ("veil.commands.spark", "spark_cmd", "Anonymize a corpus with Apache Spark."),
    "serve": ("veil.commands.serve", "serve_cmd", "Start the HTTP API and review page."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module = importlib.import_module(spec[0])
        cmd = getattr(module, spec[1])
        if not isinstance(cmd, click.Command):  # pragma: no cover - programming error
            raise RuntimeError(f"{spec[0]}.{spec[1]} is not a click command")
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _COMMANDS[name][2]) for name in sorted(_COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VeilError as exc:
            click.echo(f"veil: error: {exc}", err=True)
            for note in getattr(exc, "__notes__", ()):
                click.echo(f"veil: {note}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="veil")
def cli() -> None:
    """Veil: find every identifier, link every mention, transform consistently.

    \b
    Examples:
      veil redact article.txt -o article.redacted.txt --report report.json
      cat notes.txt | veil redact --labels PERSON --operator redact --token XXX
      veil audit already-redacted.txt --report-format json
      veil batch corpus.csv -o out.csv --text-field name --text-field notes --preset strict
      veil eval gold.json --markdown
    """


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="veil")


if __name__ == "__main__":  # pragma: no cover
    main()
