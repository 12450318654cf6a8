"""A lone given name the name lexicon found that is also a place somewhere.

Spans are built by hand (``Evidence.NAME_LEXICON`` and ``Evidence.RECASED_MODEL``, as the NER
detector gives them for a lower-case chat line), so each test pins the resolver's rule.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.lexicon import first_names, places
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _resolve(text: str, name: str) -> list[Label]:
    start = text.index(name)
    spans = (
        Span(start, start + len(name), Label.PERSON, "names.lexicon", 0.5, Evidence.NAME_LEXICON),
        Span(start, start + len(name), Label.PERSON, "ner.recased", 0.85, Evidence.RECASED_MODEL),
    )
    doc = NameResolver(preset("pii")).resolve(Document("d", text, spans=spans))
    return [e.label for e in doc.entities]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("thx all. talked to hamid, he'll send the slides tmrw", "hamid"),
        ("ask aydin about the invoice pls", "aydin"),
        ("amara said she'd call back", "amara"),
    ],
)
def test_resolve_keeps_a_lexicon_given_name_that_is_also_a_place_a_person(text: str, name: str) -> None:
    assert name in places() and name not in first_names()  # the case this rule is about
    assert _resolve(text, name) == [Label.PERSON]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("we stayed in aydin for a week", "aydin"),
        ("the office at amara is closed", "amara"),
    ],
)
def test_resolve_lexicon_given_name_used_as_a_place_stays_a_place(text: str, name: str) -> None:
    assert Label.PERSON not in _resolve(text, name)
