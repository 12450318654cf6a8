"""Issue 11: evidence from the shape of a line (Title Case role appositions, addresses).

The rules read only the name lexicon, so no model is loaded. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.detect.names import lexicon
from veil.detect.shapes import address_towns, title_case_roles
from veil.model import Evidence, Label


def _people(text: str) -> set[str]:
    return {
        text[s.start : s.end]
        for s in title_case_roles(text, lexicon())
        if s.label is Label.PERSON and s.evidence is Evidence.PERSON_CONTEXT
    }


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Goodbye To Hazel, Our Head Coach", "Hazel"),
        ("A Tribute To Hazel Brackenbury, The Village Librarian", "Hazel Brackenbury"),
        ("Thank You, Faith, Our Volunteer Of The Year", None),  # the role does not end the clause
        ("Spotlight On Joy, Senior Nurse.", "Joy"),
        ("A Day With Hazel, Our New Receptionist", "Hazel"),
    ],
)
def test_shapes_title_case_role_apposition(text: str, name: str | None) -> None:
    assert _people(text) == ({name} if name else set())


@pytest.mark.parametrize(
    "text",
    [
        "Welcome To Harlow, The Market Town",  # no role noun
        "Goodbye To Summer, Our Favourite Season",
        "A Day With Hazel, Resident Receptionist",  # an agent noun needs a determiner
        "Report From The Office, Our Manager",  # no given name before the comma
        "Goodbye to Hazel, our head coach",  # lower-case role: the context detector's job
    ],
)
def test_shapes_title_case_no_person(text: str) -> None:
    assert _people(text) == set()


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("ADDRESS: 22 ORCHARD LANE, BRAMPTON", "BRAMPTON"),
        ("Deliver to 5 Kiln Road, Great Ouseby\nThanks", "Great Ouseby"),
        ("Flat 3, 18 Mill St., Wexcombe WX4 9RT", "Wexcombe"),
    ],
)
def test_shapes_address_town_is_a_place(text: str, town: str) -> None:
    spans = list(address_towns(text))
    assert [(text[s.start : s.end], s.label, s.evidence) for s in spans] == [
        (town, Label.LOC, Evidence.CLASSIFIER)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He lives on Baker Street, Dr Marlowe said.",
        "We met on Orchard Lane, then walked home.",
    ],
)
def test_shapes_no_town_outside_an_address(text: str) -> None:
    assert list(address_towns(text)) == []


def test_shapes_address_town_is_no_person_in_the_pipeline() -> None:
    from veil.config import preset
    from veil.pipeline import Pipeline

    text = "CLAIMANT: ROSALIND PEMBERTON-OYELARAN\nADDRESS: 9 CHURCH LANE, ASHBY"
    pipe = Pipeline(preset("pii").narrowed(["PERSON"]), build_operators=False)
    doc = pipe.analyze(text, "d")
    masked = [text[m.start : m.end] for e in doc.entities for m in e.mentions]
    assert "ROSALIND PEMBERTON-OYELARAN" in masked
    assert "ASHBY" not in masked
