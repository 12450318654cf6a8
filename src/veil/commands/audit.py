"""``veil audit``: a thin shell over :func:`veil.audit.audit_texts`."""

from __future__ import annotations

import json
import sys

import click

from ..errors import AuditRiskError
from ..options import Options, VeilCommand, options
from ..write import atomic_open, check_not_input, read_text

_REPORT_STYLES = ("text", "json")


def _no_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        hint = f"; for a {value} report use --report-format {value}" if value in _REPORT_STYLES else ""
        raise click.BadParameter(
            f"--format is the input format in every command, and audit reads text only{hint}", ctx, param
        )


@click.command("audit", cls=VeilCommand)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--report-format",
    "fmt",
    type=click.Choice(_REPORT_STYLES),
    default="text",
    show_default=True,
    help="Terminal view or JSON (schema: docs/audit.md).",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --report-format json.")
@click.option("--format", hidden=True, expose_value=False, callback=_no_format)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here (atomically).")
@click.option(
    "--html", "html_path", type=click.Path(dir_okay=False), help="Also write a self-contained HTML page."
)
@click.option(
    "--show-text",
    "--include-text",
    "show_text",
    is_flag=True,
    help="Include identifier text: sentences in the terminal view, 'text'/'sentence' in JSON, "
    "unblanked findings in HTML. Off by default.",
)
@click.option(
    "--mask-pattern",
    "mask_patterns",
    multiple=True,
    metavar="REGEX",
    help="An extra mask style (repeatable); a group named 'label' gives the mask's label.",
)
@options("policy")
@click.option(
    "--max-risk",
    type=click.Choice(["low", "medium", "high"]),
    default="medium",
    show_default=True,
    help="Exit with code 6 when any document's risk is above this level (after writing the "
    "report); 'high' never fails.",
)
def audit_cmd(
    opts: Options,
    files: tuple[str, ...],
    fmt: str,
    as_json: bool,
    output: str | None,
    html_path: str | None,
    show_text: bool,
    mask_patterns: tuple[str, ...],
    max_risk: str,
) -> None:
    """Report what still identifies people in already-redacted FILES (or stdin).

    Recognises XXX, [REDACTED], [PERSON], [PERSON_1], <PERSON>, █████, *** and Veil's hash
    and encrypt tokens without being told. Findings: residual identifiers, linked leaks (an
    unmasked name that gives a mask away), quasi-identifiers and partial masks; each
    document gets a risk level (low / medium / high) with its reasons.

    No identifier text is printed unless --show-text is given. The exit code is 6 when
    a document's risk is above --max-risk (default: medium, so a high risk fails).

    \b
    Examples:
      veil audit redacted.txt
      veil audit a.txt b.txt --report-format json -o audit.json
      cat redacted.txt | veil audit --show-text
      veil audit notes.txt --mask-pattern '#{2,}' --html audit.html
      veil audit out/*.txt --max-risk low      # exit 6 unless every document is low risk
      veil audit draft.txt --max-risk high     # report only, never exit 6
    """
    from ..audit import audit_texts, render_html, render_terminal, to_json_dict

    paths = list(files) or ["-"]
    for out in (output, html_path):
        if out:
            check_not_input(out, paths)
    policy = opts.build_policy()
    items = [("stdin" if p == "-" else p, read_text(p)) for p in paths]
    reports = audit_texts(items, policy=policy, mask_patterns=mask_patterns)

    if fmt == "json" or as_json:
        body = json.dumps(to_json_dict(reports, include_text=show_text), indent=2, ensure_ascii=False) + "\n"
    else:
        color = output is None and sys.stdout.isatty()
        body = render_terminal(reports, show_text=show_text, color=color)
    if html_path:
        page = render_html(reports, show_text=show_text)
        with atomic_open(html_path) as fh:
            fh.write(page)
    if output:
        with atomic_open(output) as fh:
            fh.write(body)
    else:
        click.echo(body, nl=False)

    from ..audit import risk_above

    over = [r.doc_id for r in reports if risk_above(r.risk, max_risk)]
    if over:
        raise AuditRiskError(f"{len(over)} document(s) above risk {max_risk!r}: {', '.join(over[:10])}")
