"""What every finder receives, and the protocol a finder implements.

A finder is one kind of finding: it reads the analysed text (:class:`AuditView`) and
yields :class:`~veil.audit.report.Finding` values, as a Presidio recognizer yields results.
Finders run in order; each also sees what the finders before it found (``earlier``), so that
it can stay silent where another has already reported the same characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from ..model import Document
from .persons import Person, find_persons
from .report import Finding, Mask
from .roles import MaskContext, mask_context
from .text import TextIndex


@dataclass(frozen=True, slots=True)
class AuditView:
    """The analysed text: its index, the context of each mask and the unmasked people."""

    index: TextIndex
    contexts: tuple[MaskContext, ...]
    persons: tuple[Person, ...]

    @classmethod
    def build(cls, text: str, doc: Document | None, masks: tuple[Mask, ...]) -> AuditView:
        ix = TextIndex.build(text, doc, masks)
        return cls(ix, tuple(mask_context(ix, m) for m in masks), find_persons(ix))

    def __repr__(self) -> str:
        return f"AuditView({self.index!r}, persons={len(self.persons)})"


class Finder(Protocol):
    """One kind of finding. ``find`` must not mutate its arguments and must not quote the
    text in an explanation; an exception fails the whole audit (no partial report)."""

    name: ClassVar[str]

    def find(self, view: AuditView, earlier: Sequence[Finding]) -> Iterable[Finding]: ...


def run_finders(view: AuditView, finders: Sequence[Finder]) -> tuple[Finding, ...]:
    """All findings of ``finders`` in order, sorted by offsets and kind."""
    findings: list[Finding] = []
    for finder in finders:
        findings.extend(finder.find(view, tuple(findings)))
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return tuple(findings)
