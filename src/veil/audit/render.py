"""Rendering audit reports: the JSON document, the terminal view and the HTML page."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .report import KIND_TITLES, SCHEMA_VERSION, SEVERITY_RANK, AuditReport, Finding
from .risk import summarize
from .text import sentence_bounds, sentence_breaks

_COLORS = {"high": "red", "medium": "yellow", "low": "green"}
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def to_json_dict(reports: Sequence[AuditReport], *, include_text: bool = False) -> dict[str, Any]:
    """The whole ``--format json`` document (schema in ``docs/audit.md``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "veil audit",
        "include_text": include_text,
        "summary": summarize(reports),
        "documents": [r.to_dict(include_text=include_text) for r in reports],
    }


def _style(s: str, fg: str, color: bool) -> str:
    if not color:
        return s
    import click

    return click.style(s, fg=fg, bold=True)


def _finding_lines(rep: AuditReport, f: Finding, breaks: Sequence[int] | None, color: bool) -> list[str]:
    mask = "" if f.mask_start is None else f" mask [{f.mask_start},{f.mask_end})"
    lines = [
        f"    {_style(f.severity.upper().ljust(6), _COLORS[f.severity], color)} [{f.start},{f.end}) "
        f"{f.label}{mask} {f.group}".rstrip(),
        f"           {f.explanation}",
    ]
    if breaks is not None:
        s, e = sentence_bounds(rep.text, f.start, breaks)
        sent = rep.text[s : f.start] + "»" + rep.text[f.start : f.end] + "«" + rep.text[f.end : max(e, f.end)]
        lines.append(f"           > {' '.join(sent.split())}")
    return lines


def _report_lines(rep: AuditReport, show_text: bool, color: bool) -> list[str]:
    lines = [
        f"{rep.doc_id}: risk {_style(rep.risk.upper(), _COLORS[rep.risk], color)} "
        f"({len(rep.findings)} findings, {len(rep.masks)} masks)"
    ]
    lines += [f"  - {reason}" for reason in rep.reasons]
    breaks = sentence_breaks(rep.text) if show_text else None
    for kind in ("linked_leak", "residual_identifier", "partial_mask", "quasi_identifier"):
        fs = [f for f in rep.findings if f.kind == kind]
        if fs:
            lines.append(f"  {KIND_TITLES[kind]}s:")
            for f in fs:
                lines += _finding_lines(rep, f, breaks, color)
    lines.append("")
    return lines


def render_terminal(reports: Sequence[AuditReport], *, show_text: bool = False, color: bool = False) -> str:
    """A readable report. Without ``show_text`` no document text is printed, only offsets,
    labels and explanations; with it each finding is shown in its sentence, marked »like this«."""
    lines: list[str] = []
    for rep in reports:
        lines += _report_lines(rep, show_text, color)
    if len(reports) > 1:
        summ = summarize(reports)
        lines.append(
            f"corpus: {summ['documents']} documents, worst risk {summ['risk']}; "
            + ", ".join(f"{n} {r}" for r, n in summ["documents_by_risk"].items())
        )
        lines.append(
            "  findings: " + ", ".join(f"{n} {KIND_TITLES[k]}" for k, n in summ["findings_by_kind"].items())
        )
    if not show_text:
        lines.append("(identifier text hidden; pass --show-text to see each finding in its sentence)")
    return "\n".join(lines) + "\n"


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """Replace every ``{{NAME}}`` of ``template`` in one pass.

    Values are inserted as given and never scanned again, so a document that contains
    ``{{TEXT_NOTE}}`` is shown as written. A placeholder without a value is an error.
    """

    def value(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise KeyError(f"the report template names an unknown placeholder {m.group(1)}")
        return values[m.group(1)]

    return _PLACEHOLDER.sub(value, template)


def render_html(reports: Sequence[AuditReport], *, show_text: bool = False) -> str:
    """One self-contained HTML page that highlights each document by finding kind.

    Without ``show_text`` the characters of every finding are replaced by ``█`` (the page
    shows where and what, not who); masks and the rest of the text are shown as they are.
    """
    from importlib import resources

    template = resources.files("veil.static").joinpath("audit_report.html").read_text("utf-8")
    summ = summarize(reports)
    summary = (
        f"{summ['documents']} document(s); worst risk <b class='risk-{summ['risk']}'>{summ['risk']}</b>; "
        + ", ".join(f"{n} {html.escape(KIND_TITLES[k])}" for k, n in summ["findings_by_kind"].items())
    )
    return fill_template(
        template,
        {
            "SUMMARY": summary,
            "DOCUMENTS": "\n".join(_doc_html(rep, show_text) for rep in reports),
            "SCHEMA_VERSION": SCHEMA_VERSION,
            "TEXT_NOTE": "shown" if show_text else "hidden (findings blanked; rerun with --show-text)",
        },
    )


def _paint(rep: AuditReport) -> list[tuple[str, int] | None]:
    """Per character: ``("mask", -1)``, ``(kind, finding number)`` or ``None``. Findings
    take precedence over masks; the most severe finding wins."""
    paint: list[tuple[str, int] | None] = [None] * len(rep.text)
    for m in rep.masks:
        for i in range(m.start, m.end):
            paint[i] = ("mask", -1)
    for f in sorted(rep.findings, key=lambda f: SEVERITY_RANK[f.severity]):
        for i in range(f.start, min(f.end, len(rep.text))):
            paint[i] = (f.kind, rep.findings.index(f) + 1)
    return paint


def _text_html(rep: AuditReport, show_text: bool) -> str:
    text, paint = rep.text, _paint(rep)
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and paint[j] == paint[i]:
            j += 1
        chunk, p = text[i:j], paint[i]
        if p is None:
            out.append(html.escape(chunk))
        elif p[0] == "mask":
            out.append(f"<span class='mask'>{html.escape(chunk)}</span>")
        else:
            f = rep.findings[p[1] - 1]
            shown = chunk if show_text else "".join("\n" if c == "\n" else "█" for c in chunk)
            title = html.escape(f"F{p[1]} {f.kind} ({f.severity}): {f.explanation}", quote=True)
            out.append(f"<mark class='{p[0]} sev-{f.severity}' title=\"{title}\">{html.escape(shown)}</mark>")
        i = j
    return "".join(out)


def _doc_html(rep: AuditReport, show_text: bool) -> str:
    rows = "".join(
        f"<tr class='{f.kind}'><td>F{k}</td><td>{html.escape(KIND_TITLES[f.kind])}</td>"
        f"<td class='sev-{f.severity}'>{f.severity}</td><td>[{f.start},{f.end})</td>"
        f"<td>{html.escape(f.label)}</td><td>{html.escape(f.explanation)}</td></tr>"
        for k, f in enumerate(rep.findings, 1)
    )
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in rep.reasons)
    return (
        f"<section class='doc'><h2>{html.escape(rep.doc_id)} "
        f"<span class='risk risk-{rep.risk}'>{rep.risk}</span></h2><ul>{reasons}</ul>"
        f"<pre class='text'>{_text_html(rep, show_text)}</pre>"
        f"<table><thead><tr><th>id</th><th>kind</th><th>severity</th><th>offsets</th><th>label</th>"
        f"<th>explanation</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )
