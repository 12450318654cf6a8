"""Issue 11: a person's first name that is also an ordinary word or a place.

Spans are built by hand (NER as ``Evidence.MODEL``), so each test pins the resolver's rule,
not a model's guess. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _at(text: str, surface: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start


def _span(text: str, surface: str, label: Label = Label.PERSON, nth: int = 0) -> Span:
    start = _at(text, surface, nth)
    return Span(start, start + len(surface), label, "ner", 1.0, Evidence.MODEL)


def _resolve(text: str, spans: list[Span]) -> Document:
    policy = preset("pii").narrowed(["PERSON"])
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _covered(doc: Document, surface: str, nth: int = 0) -> bool:
    start = _at(doc.text, surface, nth)
    return any(m.start <= start and start + len(surface) <= m.end for e in doc.entities for m in e.mentions)


@pytest.mark.parametrize(
    ("text", "full", "word", "nth"),
    [
        # inside a sentence
        ("Chance Mbeki joined in May. We asked Chance about the budget.", "Chance Mbeki", "Chance", 1),
        (
            "Dallas Pryce chaired the meeting. The minutes were sent to Dallas afterwards.",
            "Dallas Pryce",
            "Dallas",
            1,
        ),
        # at the start of a sentence, with a verb after it, although the text uses the word
        (
            "Storm Halvorsen read the storm warning. Storm says the ferry is cancelled.",
            "Storm Halvorsen",
            "Storm",
            1,
        ),
        ("River Achebe swam in the river. River will coach the juniors.", "River Achebe", "River", 1),
        ("Star Okonjo saw a star fall. Star booked the telescope.", "Star Okonjo", "Star", 1),
        ("Chance Mbeki won by chance. Chance never plays again.", "Chance Mbeki", "Chance", 1),
        # addressed at the start of a sentence
        ("Chance Mbeki waited. Chance, could you sign here?", "Chance Mbeki", "Chance", 1),
    ],
)
def test_common_first_names_join_their_person(text: str, full: str, word: str, nth: int) -> None:
    doc = _resolve(text, [_span(text, full)])
    assert _covered(doc, word, nth)
    people = [e for e in doc.entities if e.label is Label.PERSON]
    assert len(people) == 1


@pytest.mark.parametrize(
    ("text", "full", "word", "nth"),
    [
        # a place after a preposition of place or a verb of motion
        ("Dallas Pryce flew to Dallas on Monday.", "Dallas Pryce", "Dallas", 1),
        ("Dallas Pryce has an office in Dallas.", "Dallas Pryce", "Dallas", 1),
        (
            "Phoenix Adeyemi was born in Reno and moved back to Phoenix later.",
            "Phoenix Adeyemi",
            "Phoenix",
            1,
        ),
        # a determiner, another capitalised word after it, a Title Case heading
        ("River Achebe swam. The River was cold that day.", "River Achebe", "River", 1),
        ("River Achebe walked along River Road at dawn.", "River Achebe", "River", 1),
        ("Chance Mbeki wrote the column Last Chance, Says Mayor.", "Chance Mbeki", "Chance", 1),
        # a plural noun after it: a plural verb follows
        ("Storm Halvorsen drove home. Storm clouds are gathering.", "Storm Halvorsen", "Storm", 1),
        # at the start of a sentence without a verb after it
        ("Chance Mbeki lost the match. Chance, not skill, decided it.", "Chance Mbeki", "Chance", 1),
    ],
)
def test_common_first_names_leave_the_word(text: str, full: str, word: str, nth: int) -> None:
    doc = _resolve(text, [_span(text, full)])
    assert not _covered(doc, word, nth)


def test_common_first_names_take_over_a_place_span_that_names_the_person() -> None:
    text = "Dallas Pryce flew to Dallas on Monday; Dallas booked the hall herself."
    spans = [
        _span(text, "Dallas Pryce"),
        _span(text, "Dallas", Label.LOC, 1),
        _span(text, "Dallas", Label.LOC, 2),
    ]
    doc = _resolve(text, spans)
    assert _covered(doc, "Dallas", 2)
    assert not _covered(doc, "Dallas", 1)


def test_common_first_names_place_after_motion_verb_is_no_person() -> None:
    text = "Florence Ibekwe moved to Florence in 2011 and opened a cafe."
    spans = [_span(text, "Florence Ibekwe"), _span(text, "Florence", Label.ORG, 1)]
    doc = _resolve(text, spans)
    assert _covered(doc, "Florence Ibekwe")
    assert not _covered(doc, "Florence", 1)


def test_common_first_names_gift_to_person_still_links() -> None:
    # "to" without a verb of motion before it is no place
    text = "Florence Ibekwe chaired the meeting. The minutes were sent to Florence afterwards."
    doc = _resolve(text, [_span(text, "Florence Ibekwe")])
    assert _covered(doc, "Florence", 1)


def test_common_first_names_lower_case_word_stays() -> None:
    text = "Storm Halvorsen read the storm warning aloud."
    doc = _resolve(text, [_span(text, "Storm Halvorsen")])
    assert not _covered(doc, "storm")
