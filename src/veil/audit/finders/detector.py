"""Residual identifiers other than names: what the pipeline's detectors find unmasked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from ...model import Label
from ..report import Finding, Kind, Severity
from ..view import AuditView

_HIGH_LABELS = frozenset({"EMAIL", "PHONE", "IBAN", "CARD", "ID", "ADDRESS"})
_LOW_LABELS = frozenset({"LOC", "ORG", "DATE", "NORP", "QUANTITY"})
_LABEL_WORDS = {
    "EMAIL": "e-mail address",
    "PHONE": "phone number",
    "URL": "web address",
    "IP": "IP address",
    "IBAN": "bank account number (IBAN)",
    "CARD": "payment card number",
    "ID": "identity or record number",
    "ADDRESS": "street address",
    "HANDLE": "social-media handle",
    "MISC": "deny-listed term",
    "LOC": "place name",
    "ORG": "organisation name",
    "DATE": "date",
    "AGE": "age",
    "NORP": "nationality or group",
    "QUANTITY": "identifying quantity",
}


def _severity(label: str) -> Severity:
    if label in _LOW_LABELS:
        return "low"
    return "high" if label in _HIGH_LABELS else "medium"


class DetectorResidualFinder:
    """Unmasked non-person entities of the pipeline (e-mails, numbers, addresses, ...).

    Runs last: a mention overlapping an earlier finding (a name, a partial mask, a street
    address) is already reported and is skipped.
    """

    name: ClassVar[str] = "detector_residual"

    def find(self, view: AuditView, earlier: Sequence[Finding]) -> Iterator[Finding]:
        ix = view.index
        if ix.doc is None:
            return
        taken = [(f.start, f.end) for f in earlier]
        for ent in ix.doc.entities:
            if ent.label == Label.PERSON:
                continue
            label = ent.label.value
            kind: Kind = "quasi_identifier" if ent.label == Label.ADDRESS else "residual_identifier"
            for m in ent.mentions:
                if ix.in_mask(m.start, m.end) or any(s < m.end and m.start < e for s, e in taken):
                    continue
                taken.append((m.start, m.end))
                yield Finding(
                    kind,
                    _severity(label),
                    m.start,
                    m.end,
                    f"An unmasked {_LABEL_WORDS.get(label, label.lower())}, found by the detector(s) "
                    f"{', '.join(ent.sources) or 'pipeline'}.",
                    label,
                    group=ent.id,
                )
