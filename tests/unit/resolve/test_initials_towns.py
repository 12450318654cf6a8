"""Issue 11: a lone surname that is also a minor town's name, acting as a person (resolve._towns).

Spans are built by hand (NER as ``Evidence.MODEL``), so each test pins the resolver's rule,
not a model's guess. The people are invented; the towns are real, which is the point.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.lexicon import places
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _resolve(text: str, word: str, label: Label) -> Document:
    spans = []
    start = text.find(word)
    while start >= 0:
        spans.append(Span(start, start + len(word), label, "ner", 1.0, Evidence.MODEL))
        start = text.find(word, start + 1)
    policy = preset("pii").narrowed(["PERSON", "LOC", "ORG"])
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _label_of(doc: Document, word: str) -> Label | None:
    start = doc.text.index(word)
    for ent in doc.entities:
        if any(m.start <= start < m.end for m in ent.mentions):
            return ent.label
    return None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The hearing resumed after lunch. Stevenage denied any knowledge of the payments.", "Stevenage"),
        ("The vicar arrived late. Basildon apologised to the parish council.", "Basildon"),
        ("The chair called the next witness. Bracknell testified for an hour.", "Bracknell"),
        ("Nobody spoke. Maidenhead nodded and sat down.", "Maidenhead"),
    ],
)
def test_towns_lone_surname_acting_keeps_the_models_person(text: str, word: str) -> None:
    assert word.casefold() in places()  # a known place, which the vote would otherwise choose
    doc = _resolve(text, word, Label.PERSON)
    assert _label_of(doc, word) is Label.PERSON


@pytest.mark.parametrize(
    ("text", "word", "label"),
    [
        # a major city or a country stands for its government: the place rule holds
        ("Moscow denied the claims.", "Moscow", Label.PERSON),
        ("Brazil said it would respond.", "Brazil", Label.PERSON),
        # the model calls it a place, or the text uses it as one
        ("Stevenage denied the claims.", "Stevenage", Label.LOC),
        ("Talks in Stevenage stalled. Stevenage said nothing.", "Stevenage", Label.PERSON),
        # no verb of a person after it
        ("The report reached Basildon late.", "Basildon", Label.PERSON),
    ],
)
def test_towns_controls_stay_places(text: str, word: str, label: Label) -> None:
    doc = _resolve(text, word, label)
    assert _label_of(doc, word) is not Label.PERSON


def test_towns_minor_place_knows_countries_capitals_and_big_cities() -> None:
    from veil.resolve._towns import minor_place

    assert not minor_place("moscow")
    assert not minor_place("brazil")
    assert not minor_place("ottawa")  # a capital
    assert minor_place("stevenage")
