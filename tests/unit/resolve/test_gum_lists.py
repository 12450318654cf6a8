"""Issue 11, GUM categories: lists of people and transcriptions after a person's name.

Spans are built by hand (NER as ``Evidence.MODEL``), so each test pins the resolver's rule,
not a model's guess. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _span(text: str, surface: str, label: Label = Label.PERSON) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface), label, "ner", 1.0, Evidence.MODEL)


def _resolve(text: str, spans: list[Span]) -> Document:
    policy = preset("pii").narrowed(["PERSON"])
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _covered(doc: Document, surface: str) -> bool:
    start = doc.text.index(surface)
    end = start + len(surface)
    return any(m.start <= start and end <= m.end for e in doc.entities for m in e.mentions)


def _touched(doc: Document, surface: str) -> bool:
    start = doc.text.index(surface)
    end = start + len(surface)
    return any(m.start < end and start < m.end for e in doc.entities for m in e.mentions)


# -- lists of people -----------------------------------------------------------------------


def test_gum_lists_missing_member_between_people():
    text = "We met Bill Orrin and Bob Tellaver and Herman Stoll and Jim Wexcombe at the fair."
    spans = [_span(text, n) for n in ("Bill Orrin", "Bob Tellaver", "Herman", "Jim Wexcombe")]
    doc = _resolve(text, spans)
    assert _covered(doc, "Herman Stoll")


def test_gum_lists_unfound_member_after_people():
    text = "The works of Ansel Adamik, Chuck Clossen, Walker Evanko and Corvasi are shown."
    spans = [_span(text, n) for n in ("Ansel Adamik", "Chuck Clossen", "Walker Evanko")]
    doc = _resolve(text, spans)
    assert _covered(doc, "Corvasi")


def test_gum_lists_member_called_a_place_is_a_person():
    text = "They worshipped Zeus, Hera, Poseidon, Aphrodite, and Athena in the city."
    spans = [_span(text, n) for n in ("Zeus", "Poseidon")]
    spans += [_span(text, n, Label.ORG) for n in ("Hera", "Aphrodite", "Athena")]
    doc = _resolve(text, spans)
    assert _covered(doc, "Athena")


def test_gum_lists_given_name_before_full_name():
    text = "In 2004 he appeared in the Mary-Kate and Ashley Olsewski comedy."
    doc = _resolve(text, [_span(text, "Ashley Olsewski")])
    assert _covered(doc, "Mary-Kate")


@pytest.mark.parametrize(
    ("text", "people", "others"),
    [
        (
            "Yesterday, John Tarrow and Ann Leskin met the board.",
            ["John Tarrow", "Ann Leskin"],
            ["Yesterday"],
        ),
        (
            "Please call the case. SCAP-22-368, Sonia Davrin, Jessica Lautner.",
            ["Sonia Davrin", "Jessica Lautner"],
            ["SCAP-22-368"],
        ),
        (
            "Bulbs by N S Andres and R T Ponce  Electrical Engineering Department",
            ["N S Andres", "R T Ponce"],
            ["Electrical Engineering"],
        ),
        ("Ana Ruiz, Lena Marsk and Google Bridge Holdings.", ["Ana Ruiz", "Lena Marsk"], ["Google Bridge"]),
    ],
    ids=["sentence-opener", "case-number", "layout-gap", "org-words"],
)
def test_gum_lists_controls_stay_clear(text, people, others):
    doc = _resolve(text, [_span(text, p) for p in people])
    assert all(_covered(doc, p) for p in people)
    assert not any(_touched(doc, o) for o in others)


# -- transcriptions and native script after a person's name ----------------------------------


@pytest.mark.parametrize(
    ("text", "name", "pieces"),
    [
        (
            "Hana Kowalczyk (/ ˈhɑːnə koʊˈvɑːltʃɪk /; Polish: [ˈxana kɔˈvalt͡ʂɨk]; born 1950) is a writer.",
            "Hana Kowalczyk",
            ["ˈhɑːnə koʊˈvɑːltʃɪk", "ˈxana kɔˈvalt͡ʂɨk"],
        ),
        (
            "Tomas Dvorsky (/ d(ə)ˈvɔːrski, -ski / d(ə)-VOR-skee; 1841 – 1904) was a composer.",
            "Tomas Dvorsky",
            ["d(ə)ˈvɔːrski", "-ski", "d(ə)-VOR-skee"],
        ),
        ("Aiko Tanabe (田辺 愛子 Tanabe Aiko, 1901 – 1960) was a poet.", "Aiko Tanabe", ["田辺 愛子"]),
        ("Nikos Paparis (Greek: Νίκος Παπάρης; born 1961) is a painter.", "Nikos Paparis", ["Νίκος Παπάρης"]),
        (
            "Peter Hollaart (Dutch: Pieter Hollaerts, 1900 – 1950) sang.",
            "Peter Hollaart",
            ["Pieter Hollaerts"],
        ),
    ],
    ids=["ipa-and-bracket", "respelling", "cjk", "greek", "latin-after-label"],
)
def test_gum_transcriptions_join_the_person(text, name, pieces):
    doc = _resolve(text, [_span(text, name)])
    person = next(e for e in doc.entities if any(text[m.start : m.end] == name for m in e.mentions))
    for piece in pieces:
        start = text.index(piece)
        assert any(m.start <= start and start + len(piece) <= m.end for m in person.mentions), piece


@pytest.mark.parametrize(
    ("text", "name", "clear"),
    [
        (
            "Hana Kowalczyk (born 12 May 1950; died 2001) wrote novels.",
            "Hana Kowalczyk",
            ["born", "May", "died"],
        ),
        ("Jana Smolik (AFL-CIO) and Ivo Brant (Greenpeace) spoke.", "Jana Smolik", ["AFL-CIO"]),
        ("Lena Marsk ([1] see notes) left.", "Lena Marsk", ["[1]", "notes"]),
        (
            "Lena Marsk (Role: Project Lead; Status: Approved) left.",
            "Lena Marsk",
            ["Project Lead", "Approved"],
        ),
    ],
    ids=["dates", "organisation", "reference-mark", "form-labels"],
)
def test_gum_transcriptions_leave_other_parentheses(text, name, clear):
    doc = _resolve(text, [_span(text, name)])
    assert _covered(doc, name)
    assert not any(_touched(doc, c) for c in clear)


def test_gum_transcriptions_not_after_a_place():
    text = "Athinai (Greek: Αθήναι) is a city."
    doc = _resolve(text, [_span(text, "Athinai", Label.LOC)])
    assert not _touched(doc, "Αθήναι")
