"""Issue 11: a full name written in lower case (chat) links its first name and surname.

Spans are built by hand, so each test pins the resolver's rule. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _span(text: str, surface: str, evidence: Evidence, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(start, start + len(surface), Label.PERSON, "ner.recased", 1.0, evidence)


def _people(text: str, spans: list[Span]) -> list[list[str]]:
    policy = preset("pii").narrowed(["PERSON"])
    doc = NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))
    return [[text[m.start : m.end] for m in e.mentions] for e in doc.entities if e.label is Label.PERSON]


@pytest.mark.parametrize(
    ("text", "full", "part"),
    [
        ("i asked idris mackintosh about it. idris said later", "idris mackintosh", "idris"),
        ("pls cc orla brennagh. brennagh signs off on refunds", "orla brennagh", "brennagh"),
    ],
)
def test_lower_case_linking_joins_sub_names(text: str, full: str, part: str) -> None:
    spans = [_span(text, full, Evidence.RECASED_MODEL), _span(text, part, Evidence.RECASED_MODEL, 1)]
    assert _people(text, spans) == [[full, part]]
