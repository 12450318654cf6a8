"""Risk scoring: one level per document from its findings, and corpus summaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ConfigError
from .report import KIND_TITLES, KINDS, RISK_LEVELS, AuditReport, Finding

_SEVERITIES = ("high", "medium", "low")


def _level(findings: Sequence[Finding]) -> str:
    by_sev = {s: sum(1 for f in findings if f.severity == s) for s in _SEVERITIES}
    if by_sev["high"] or by_sev["medium"] >= 3:
        return "high"
    if by_sev["medium"] or by_sev["low"] >= 3:
        return "medium"
    return "low"


def _kind_reason(kind: str, fs: Sequence[Finding]) -> str:
    sev = {s: sum(1 for f in fs if f.severity == s) for s in _SEVERITIES}
    detail = ", ".join(f"{n} {s}" for s, n in sev.items() if n)
    labels = sorted({f.label for f in fs})
    noun = KIND_TITLES[kind] + ("s" if len(fs) != 1 else "")
    return f"{len(fs)} {noun} ({detail}; labels: {', '.join(labels)})"


def assess_risk(findings: Sequence[Finding]) -> tuple[str, tuple[str, ...]]:
    """``high`` if any high-severity finding or 3+ medium ones; ``medium`` if any medium or
    3+ low ones; else ``low``. The reasons name the counts that set the level."""
    level = _level(findings)
    reasons: list[str] = []
    leaks = [f for f in findings if f.kind == "linked_leak"]
    if leaks:
        masks = {(f.mask_start, f.mask_end) for f in leaks}
        reasons.append(
            f"{len(leaks)} unmasked mention(s) give away {len(masks)} masked person(s) (linked leaks)"
        )
    for kind in ("residual_identifier", "partial_mask", "quasi_identifier"):
        fs = [f for f in findings if f.kind == kind]
        if fs:
            reasons.append(_kind_reason(kind, fs))
    if level == "high" and not any(f.severity == "high" for f in findings):
        reasons.append("three or more medium-severity findings together raise the risk to high")
    if not findings:
        reasons.append("no residual identifier, leak, quasi-identifier or partial mask found")
    return level, tuple(reasons)


def risk_above(risk: str, maximum: str) -> bool:
    """Whether ``risk`` is strictly above ``maximum`` (both from :data:`RISK_LEVELS`)."""
    for r in (risk, maximum):
        if r not in RISK_LEVELS:
            raise ConfigError(f"unknown risk level {r!r}; choose from {', '.join(RISK_LEVELS)}")
    return RISK_LEVELS.index(risk) > RISK_LEVELS.index(maximum)


def summarize(reports: Sequence[AuditReport]) -> dict[str, Any]:
    """A corpus summary: documents per risk level, findings per kind and severity, worst risk."""
    by_risk = {r: 0 for r in RISK_LEVELS}
    by_kind = {k: 0 for k in KINDS}
    by_sev = {s: 0 for s in RISK_LEVELS}
    masks = 0
    for rep in reports:
        by_risk[rep.risk] += 1
        masks += len(rep.masks)
        for f in rep.findings:
            by_kind[f.kind] += 1
            by_sev[f.severity] += 1
    worst = max((r.risk for r in reports), key=RISK_LEVELS.index, default="low")
    return {
        "documents": len(reports),
        "risk": worst,
        "documents_by_risk": by_risk,
        "findings": sum(by_kind.values()),
        "findings_by_kind": by_kind,
        "findings_by_severity": by_sev,
        "masks": masks,
        "high_risk_documents": [r.doc_id for r in reports if r.risk == "high"],
    }
