"""Issue 11: initials that match a person of the document are that person (resolve._initials).

Spans are built by hand (NER as ``Evidence.MODEL``), so each test pins the resolver's rule,
not a model's guess. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _span(text: str, surface: str, label: Label = Label.PERSON, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(start, start + len(surface), label, "ner", 1.0, Evidence.MODEL)


def _resolve(text: str, spans: list[Span]) -> Document:
    policy = preset("pii").narrowed(["PERSON"])
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _entity_of(doc: Document, surface: str, nth: int = 0) -> int | None:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(surface, start + 1)
    for i, ent in enumerate(doc.entities):
        if any(m.start <= start and start + len(surface) <= m.end for m in ent.mentions):
            return i
    return None


@pytest.mark.parametrize(
    ("text", "full", "token"),
    [
        # first + last, the full name only later in the text
        ("Action: RW to send the invoice (Rosalind Whitcombe approved it).", "Rosalind Whitcombe", "RW"),
        # an initial and a surname
        ("The chair, K. Ndiaye, opened the meeting. KN thanked the hosts.", "K. Ndiaye", "KN"),
        # first + last of a name with a middle initial
        ("Bartholomew J. Quayle signed. BQ will file the copy.", "Bartholomew J. Quayle", "BQ"),
    ],
)
def test_initials_capitals_matching_one_person_join_it(text: str, full: str, token: str) -> None:
    doc = _resolve(text, [_span(text, full)])
    assert _entity_of(doc, token) is not None
    assert _entity_of(doc, token) == _entity_of(doc, full)
    assert doc.entities[_entity_of(doc, token)].label is Label.PERSON  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "full", "alias"),
    [
        ("Owner: dmv (Dorota M. Vasquez). dmv will reply on Monday.", "Dorota M. Vasquez", "dmv"),
        ("Owner: Dorota M. Vasquez (dmv). Later dmv closed it.", "Dorota M. Vasquez", "dmv"),
        ("Reviewer: lk (Lorcan Kearney). lk approved the patch.", "Lorcan Kearney", "lk"),
    ],
)
def test_initials_lower_case_defined_in_parentheses_join_the_person(text: str, full: str, alias: str) -> None:
    # the model calls the lower-case token an organisation; the definition wins
    spans = [_span(text, full), _span(text, alias, Label.ORG, nth=1)]
    doc = _resolve(text, spans)
    person = _entity_of(doc, full)
    assert person is not None
    assert _entity_of(doc, alias, 0) == person
    assert _entity_of(doc, alias, 1) == person


def test_initials_lower_case_without_definition_are_left_alone() -> None:
    text = "Dorota Vasquez wrote the report. dv is the extension we use."
    doc = _resolve(text, [_span(text, "Dorota Vasquez")])
    assert _entity_of(doc, "dv") is None


@pytest.mark.parametrize(
    "text",
    [
        # no person has these initials: an acronym stays
        "The NHS trust met on Friday. Imogen Farrant chaired it.",
        # a common acronym of ticket text
        "Priya Ravel opened a PR for the fix.",
        # a function word
        "Ulrich Sandoval moved to the US last year.",
        # two people share the initials: ambiguous, left alone
        "Maren Tobin and Milo Trask met. MT will send the notes.",
        # a run of capitals: a heading, not initials
        "Tobias Barlow\nTB TESTING SCHEDULE FOR MARCH",
        # the text uses the letters as a word
        "Ansel Tarrow went to the spa. He said Ta to everyone and ta again.",
    ],
)
def test_initials_without_one_matching_person_are_not_masked(text: str) -> None:
    import re

    names = re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", text)
    doc = _resolve(text, [_span(text, n) for n in names])
    masked = {doc.text[m.start : m.end] for e in doc.entities for m in e.mentions}
    assert not any(re.fullmatch(r"[A-Z]{2,4}|Ta", w) for w in masked)


def test_initials_held_by_the_model_as_a_place_join_the_person_when_they_open_a_line() -> None:
    text = "Interviewer: Saoirse Ndukwe\nSN: Tell me about your role.\nSN: And the depot?"
    spans = [_span(text, "Saoirse Ndukwe"), _span(text, "SN", Label.LOC)]
    doc = _resolve(text, spans)
    assert _entity_of(doc, "SN") is not None
    assert _entity_of(doc, "SN", 1) == _entity_of(doc, "Saoirse Ndukwe")


def test_initials_held_by_the_model_as_an_organisation_stay_with_it() -> None:
    text = "Carys Ellery joined CE last year, and CE grew quickly."
    spans = [_span(text, "Carys Ellery"), _span(text, "CE", Label.ORG), _span(text, "CE", Label.ORG, nth=1)]
    doc = _resolve(text, spans)
    assert _entity_of(doc, "CE") is None  # PERSON only: the organisation is not masked here
