"""``veil audit``: a thin shell over :func:`veil.audit.audit_texts`."""

from __future__ import annotations

import json
import sys

import click

from ..config import PRESETS, Policy, policy_from_options
from ..errors import AuditRiskError
from ..write import atomic_open, check_not_input, read_text


def _policy(policy_path: str | None, preset_name: str | None, model: str | None) -> Policy:
    policy = policy_from_options(policy_path, preset_name)
    return policy.with_model(model) if model else policy


@click.command("audit")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Terminal view or JSON (schema: docs/audit.md).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here (atomically).")
@click.option(
    "--html", "html_path", type=click.Path(dir_okay=False), help="Also write a self-contained HTML page."
)
@click.option(
    "--show-text",
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
@click.option(
    "--policy", "policy_path", type=click.Path(dir_okay=False), help="Policy TOML file (or a preset name)."
)
@click.option(
    "--preset", "preset_name", type=click.Choice(PRESETS), help="Detectors' policy: pii (default) or strict."
)
@click.option("--model", help="Installed spaCy pipeline to use for NER.")
@click.option(
    "--max-risk",
    type=click.Choice(["low", "medium", "high"]),
    help="Exit with code 6 when any document's risk is above this level (after writing the report).",
)
def audit_cmd(
    files: tuple[str, ...],
    fmt: str,
    output: str | None,
    html_path: str | None,
    show_text: bool,
    mask_patterns: tuple[str, ...],
    policy_path: str | None,
    preset_name: str | None,
    model: str | None,
    max_risk: str | None,
) -> None:
    """Report what still identifies people in already-redacted FILES (or stdin).

    Recognises XXX, [REDACTED], [PERSON], [PERSON_1], <PERSON>, █████, *** and Veil's hash
    and encrypt tokens without being told. Findings: residual identifiers, linked leaks (an
    unmasked name that gives a mask away), quasi-identifiers and partial masks; each
    document gets a risk level (low / medium / high) with its reasons.

    No identifier text is printed unless --show-text is given.

    \b
    Examples:
      veil audit redacted.txt
      veil audit a.txt b.txt --format json -o audit.json
      cat redacted.txt | veil audit --show-text
      veil audit notes.txt --mask-pattern '#{2,}' --html audit.html
      veil audit out/*.txt --max-risk medium   # exit 6 if any document is high risk
    """
    from ..audit import audit_texts, render_html, render_terminal, to_json_dict

    paths = list(files) or ["-"]
    for out in (output, html_path):
        if out:
            check_not_input(out, paths)
    policy = _policy(policy_path, preset_name, model)
    items = [("stdin" if p == "-" else p, read_text(p)) for p in paths]
    reports = audit_texts(items, policy=policy, mask_patterns=mask_patterns)

    if fmt == "json":
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

    if max_risk is not None:
        from ..audit import risk_above

        over = [r.doc_id for r in reports if risk_above(r.risk, max_risk)]
        if over:
            raise AuditRiskError(f"{len(over)} document(s) above risk {max_risk!r}: {', '.join(over[:10])}")
