"""Issue 11: names in every shape — addresses, lone surnames, linking, false people.

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


def _span(text: str, surface: str, label: Label = Label.PERSON, nth: int = 0, **kw: object) -> Span:
    start = _at(text, surface, nth)
    evidence = kw.get("evidence", Evidence.MODEL)
    source = str(kw.get("source", "ner"))
    return Span(start, start + len(surface), label, source, 1.0, evidence)  # type: ignore[arg-type]


def _resolve(text: str, spans: list[Span], labels: tuple[str, ...] = ("PERSON",)) -> Document:
    policy = preset("pii").narrowed(list(labels))
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _masked(doc: Document) -> set[tuple[int, int]]:
    return {(m.start, m.end) for e in doc.entities for m in e.mentions}


def _covered(doc: Document, surface: str, nth: int = 0, *, last: bool = False) -> bool:
    start = doc.text.rindex(surface) if last else _at(doc.text, surface, nth)
    return any(m.start <= start and start + len(surface) <= m.end for e in doc.entities for m in e.mentions)


# -- a surname inside an e-mail address is not an ordinary lower-case word ----------------


@pytest.mark.parametrize(
    ("text", "full", "address", "later"),
    [
        (
            "Jana Dorn emailed jana.dorn@corp.example about it. Dorn said thanks.",
            "Jana Dorn",
            "jana.dorn@corp.example",
            "Dorn",
        ),
        (
            "Per Vikstrom wrote (p.vikstrom@mail.example). Vikstrom asked again.",
            "Per Vikstrom",
            "p.vikstrom@mail.example",
            "Vikstrom",
        ),
        (
            "Ask Olu Bamgbose, bamgbose_o@firm.example.\nBamgbose handles refunds.",
            "Olu Bamgbose",
            "bamgbose_o@firm.example",
            "Bamgbose",
        ),
        (
            "Lena Marsk posted at https://blog.example/marsk/notes today. Marsk agreed.",
            "Lena Marsk",
            "https://blog.example/marsk/notes",
            "Marsk",
        ),
    ],
    ids=["dotted-local-part", "initial-local-part", "underscore", "url-path"],
)
def test_resolve_surname_in_address_still_propagates(text, full, address, later):
    label = Label.URL if address.startswith("http") else Label.EMAIL
    doc = _resolve(
        text,
        [_span(text, full), _span(text, address, label, source="patterns", evidence=Evidence.NONE)],
        labels=("PERSON", label.value),
    )
    assert _covered(doc, later, last=True)


@pytest.mark.parametrize(
    "text",
    [
        "Hope Castillo arrived. Hope is all we have, said the mayor, and hope is cheap.",
        "Mark Ruddle signed. Mark the form as done; mark it twice.",
    ],
    ids=["hope", "mark"],
)
def test_resolve_common_word_at_sentence_start_is_not_propagated(text):
    first = text.split()[0]
    doc = _resolve(text, [_span(text, text.split(".")[0].replace(" arrived", "").replace(" signed", ""))])
    assert not _covered(doc, first, nth=1)


# -- a lone surname before a speech verb; organisations before the same verbs stay ORG ------


def _speech(text: str, surface: str) -> Span:
    return _span(text, surface, source="context.speech", evidence=Evidence.SPEECH)


@pytest.mark.parametrize(
    ("text", "name", "model_label"),
    [
        ("Talks stalled on Friday. Velkov said the West was to blame.", "Velkov", Label.ORG),
        ("Castellane told reporters the plant would reopen.", "Castellane", None),
        ("Markets fell. Oyelade warned that rates could rise.", "Oyelade", Label.ORG),
        ("Asked about the delay, Whitcombe blamed the supplier.", "Whitcombe", None),
    ],
    ids=["said-model-org", "told-reporters-no-model", "warned", "blamed"],
)
def test_resolve_lone_surname_before_speech_verb_is_person(text, name, model_label):
    spans = [_speech(text, name)]
    if model_label is not None:
        spans.append(_span(text, name, model_label))
    assert _covered(_resolve(text, spans), name)


@pytest.mark.parametrize(
    ("text", "name", "model_label"),
    [
        ("NATO said the drills would go ahead.", "NATO", Label.ORG),
        ("The Kremlin said nothing new.", "Kremlin", Label.ORG),
        ("Officials said the road was closed.", "Officials", None),
        ("Brightwell Holdings said profits fell.", "Brightwell Holdings", Label.ORG),
        ("Moscow said the talks had failed.", "Moscow", Label.LOC),
        ("Eastfield said no, and eastfield is a word here.", "Eastfield", None),
    ],
    ids=["acronym", "determiner", "plural-role", "org-word", "place", "lower-case-word"],
)
def test_resolve_speech_verb_controls_stay_non_person(text, name, model_label):
    spans = [_speech(text, name)]
    if model_label is not None:
        spans.append(_span(text, name, model_label))
    assert not _covered(_resolve(text, spans), name)


# -- fewer false people: a role noun alone is nobody -----------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Customer says the app crashes on login.", "Customer"),
        ("Driver's licence and proof of address are required.", "Driver"),
        ("Tenants agree to pay the rent monthly.", "Tenants"),
        ("Minutes follow.\nTreasurer's report: the fund is solvent.", "Treasurer"),
        ("Patient denies chest pain.", "Patient"),
    ],
    ids=["says", "possessive", "plural", "line-start", "clinical"],
)
def test_resolve_role_noun_alone_is_not_a_person(text, word):
    assert not _covered(_resolve(text, [_span(text, word)]), word)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Customer Ilse Marrow says the app crashes.", [("Ilse Marrow", Evidence.MODEL)]),
        ("Hunter said the road was closed.", [("Hunter", Evidence.MODEL)]),
        ("Witness, 54, told the court she saw it.", [("Witness", Evidence.PERSON_CONTEXT)]),
    ],
    ids=["name-after-role", "surname-that-is-a-role", "person-context"],
)
def test_resolve_role_noun_controls_stay_people(text, spans):
    doc = _resolve(text, [_span(text, s, evidence=ev) for s, ev in spans])
    assert all(_covered(doc, s) for s, _ in spans)
