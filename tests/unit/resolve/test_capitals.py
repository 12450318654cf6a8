"""A person's single name word written in capitals elsewhere joins that person, even where
the model held it as an organisation (:mod:`veil.resolve._capitals`). Spans are given
directly, so no model runs; names invented."""

from __future__ import annotations

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _span(text: str, name: str, label: Label, evidence: Evidence, at: int = 0) -> Span:
    start = text.index(name, at)
    return Span(start, start + len(name), label, "test", 0.8, evidence)


def _persons(text: str, spans: tuple[Span, ...]) -> set[str]:
    doc = NameResolver(preset("pii").narrowed(["PERSON"])).resolve(Document("d", text, spans=spans))
    return {text[m.start : m.end] for e in doc.entities if e.label is Label.PERSON for m in e.mentions}


def test_capitals_surname_the_model_held_as_org_joins_its_person() -> None:
    text = "Our guest is Tamsin Oyibo. Later TAMSIN OYIBO sang, and OYIBO thanked the band."
    spans = (
        _span(text, "Tamsin Oyibo", Label.PERSON, Evidence.MODEL),
        _span(text, "OYIBO", Label.ORG, Evidence.MODEL, text.index("and")),
        _span(text, "TAMSIN OYIBO", Label.PERSON, Evidence.RECASED_MODEL),
    )
    found = _persons(text, spans)
    assert "OYIBO" in found


def test_capitals_frequent_words_and_places_stay() -> None:
    text = "Will Oyibo spoke. WILL YOU VOTE?"
    spans = (
        _span(text, "Will Oyibo", Label.PERSON, Evidence.PERSON_CONTEXT),
        _span(text, "WILL YOU VOTE", Label.ORG, Evidence.MODEL),
    )
    assert "WILL" not in _persons(text, spans)
    text2 = "Sophie Lyon wrote. FLIGHTS TO LYON ARE FULL."
    spans2 = (
        _span(text2, "Sophie Lyon", Label.PERSON, Evidence.PERSON_CONTEXT),
        _span(text2, "LYON", Label.LOC, Evidence.MODEL, text2.index("TO")),
    )
    assert "LYON" not in _persons(text2, spans2)
