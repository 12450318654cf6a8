"""Issue 11: a person's span must not spill onto a heading's other words.

Spans are built by hand, so each test pins the resolver's rule, not a model's guess.
Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _span(text: str, surface: str, evidence: Evidence = Evidence.MODEL) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface), Label.PERSON, "ner", 1.0, evidence)


def _mentions(text: str, spans: list[Span]) -> set[str]:
    policy = preset("pii").narrowed(["PERSON"])
    doc = NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))
    return {text[m.start : m.end] for e in doc.entities for m in e.mentions}


@pytest.mark.parametrize(
    ("text", "spill"),
    [
        ("GWENDOLYN ASHCROFT-PYE - MEMORANDUM\nThe file follows.", "GWENDOLYN ASHCROFT-PYE - MEMORANDUM"),
        ("Ottoline Brackenbury – Witness Statement\nSigned.", "Ottoline Brackenbury – Witness Statement"),
        ("Ottoline Brackenbury — Head Of Lettings", "Ottoline Brackenbury — Head Of Lettings"),
    ],
)
def test_span_spill_stops_at_a_spaced_dash(text: str, spill: str) -> None:
    name = spill.split(" ")[0] + " " + spill.split(" ")[1]
    for evidence in (Evidence.MODEL, Evidence.RECASED_MODEL):
        assert _mentions(text, [_span(text, spill, evidence)]) == {name}


def test_span_spill_keeps_a_name_after_a_spaced_dash() -> None:
    # the model's span holds two names around a dash: both stay masked
    text = "Ottoline Brackenbury - Hazel Marlowe"
    found = _mentions(text, [_span(text, text)])
    assert {"Ottoline Brackenbury", "Hazel Marlowe"} <= found


def test_span_spill_hyphenated_name_is_one_name() -> None:
    text = "Ottoline Ashcroft-Pye signed."
    assert _mentions(text, [_span(text, "Ottoline Ashcroft-Pye")]) == {"Ottoline Ashcroft-Pye"}


@pytest.mark.parametrize("word", ["Night", "Week", "Morning"])
def test_span_spill_heading_word_before_a_name_is_not_joined(word: str) -> None:
    text = f"Diary: The {word} Ottoline Brackenbury Sang At The Fair"
    spans = [_span(text, "Ottoline Brackenbury", Evidence.NAME_LEXICON)]
    assert _mentions(text, spans) == {"Ottoline Brackenbury"}


def test_span_spill_given_name_before_a_surname_is_still_joined() -> None:
    # "Hazel" is an English word too, but a given name: joined to the surname found alone
    text = "The committee thanked Hazel Brackenbury for the report."
    spans = [_span(text, "Brackenbury")]
    assert _mentions(text, spans) == {"Hazel Brackenbury"}


def test_span_spill_particle_before_a_surname_is_still_joined() -> None:
    text = "The principles of De Brackenbury (1984) still hold."
    spans = [_span(text, "Brackenbury")]
    assert _mentions(text, spans) == {"De Brackenbury"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chance Brackenbury called twice.", {"Chance Brackenbury"}),
        ("Yesterday Brackenbury called twice.", {"Brackenbury"}),
        ("The Brackenbury report is late.", {"Brackenbury"}),
    ],
)
def test_span_spill_given_name_at_sentence_start_joins_its_surname(text: str, expected: set[str]) -> None:
    assert _mentions(text, [_span(text, "Brackenbury")]) == expected
