"""The values an audit produces: masks, findings and the report of one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..model import Document
from .text import sentence_bounds, sentence_breaks

SCHEMA_VERSION = "1.0"
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")

Kind = Literal["residual_identifier", "linked_leak", "quasi_identifier", "partial_mask"]
Severity = Literal["low", "medium", "high"]
KINDS: tuple[Kind, ...] = ("residual_identifier", "linked_leak", "quasi_identifier", "partial_mask")
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
KIND_TITLES = {
    "residual_identifier": "residual identifier",
    "linked_leak": "linked leak",
    "quasi_identifier": "quasi-identifier",
    "partial_mask": "partial mask",
}


@dataclass(frozen=True, slots=True)
class Mask:
    """A masked stretch ``[start, end)`` of the audited text.

    ``label`` is the label the mask itself announces (``[PERSON_1]`` -> ``PERSON``), or
    ``None`` when it says nothing (``XXX``, ``[REDACTED]``, ``█████``).
    """

    start: int
    end: int
    style: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in a redacted text that still identifies someone.

    ``[start, end)`` are the offsets of the identifying text (for a partial mask: the
    visible part). ``mask_start``/``mask_end`` give the mask the finding concerns (the mask a
    leak unmasks, the mask an age or role describes), or ``None``. ``related`` holds the
    offsets of the other mentions of the same leak or person; ``group`` ties them together.
    ``explanation`` is plain English and never quotes document text.
    """

    kind: Kind
    severity: Severity
    start: int
    end: int
    explanation: str
    label: str
    mask_start: int | None = None
    mask_end: int | None = None
    related: tuple[tuple[int, int], ...] = ()
    group: str = ""

    def to_dict(self, text: str | None = None, sentence: str | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": self.kind,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "explanation": self.explanation,
            "mask": None if self.mask_start is None else {"start": self.mask_start, "end": self.mask_end},
            "related": [{"start": s, "end": e} for s, e in self.related],
            "group": self.group,
        }
        if text is not None:
            item["text"] = text
        if sentence is not None:
            item["sentence"] = sentence
        return item

    def __repr__(self) -> str:
        return (
            f"Finding({self.kind}, {self.severity}, [{self.start},{self.end}), {self.label}, "
            f"mask={None if self.mask_start is None else (self.mask_start, self.mask_end)}, group={self.group!r})"
        )


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The audit of one document: its risk level, the reasons that set it, and the findings.

    ``text`` is kept (out of the repr) so that :meth:`to_dict` can include it on request.
    """

    doc_id: str
    risk: str
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]
    masks: tuple[Mask, ...] = ()
    text: str = field(default="", repr=False, compare=False)

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for f in self.findings if f.kind == k) for k in KINDS}

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        """JSON-ready form (schema in ``docs/audit.md``); text only with ``include_text``."""
        styles: dict[str, int] = {}
        for m in self.masks:
            styles[m.style] = styles.get(m.style, 0) + 1
        findings = []
        breaks = sentence_breaks(self.text) if include_text else []
        for i, f in enumerate(self.findings, 1):
            if include_text:
                s, e = sentence_bounds(self.text, f.start, breaks)
                item = f.to_dict(self.text[f.start : f.end], self.text[s:e].strip())
            else:
                item = f.to_dict()
            findings.append({"id": f"F{i}", **item})
        return {
            "doc_id": self.doc_id,
            "chars": len(self.text),
            "risk": self.risk,
            "reasons": list(self.reasons),
            "masks": {"count": len(self.masks), "styles": dict(sorted(styles.items()))},
            "counts": self.counts(),
            "findings": findings,
        }

    def __repr__(self) -> str:
        return (
            f"AuditReport({self.doc_id!r}, risk={self.risk!r}, findings={len(self.findings)}, "
            f"masks={len(self.masks)}, text=[redacted {len(self.text)} chars])"
        )


class Analyzer(Protocol):
    """What the audit needs from a pipeline: ``analyze(text, doc_id) -> Document``."""

    def analyze(self, text: str, doc_id: str = "doc") -> Document: ...
