"""The case that started Veil: the partly redacted wire report in ../shared/examples."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.model


def _count(word: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))


@pytest.fixture(scope="module")
def redacted(seed_text, person_pipeline):
    return person_pipeline.redact(seed_text, "seed")


@pytest.mark.parametrize(
    ("name", "mentions"),
    [("Lavrov", 2), ("Felgenhauer", 1), ("Zelenskyy", 3), ("Putin", 3)],
    ids=["lavrov", "felgenhauer", "zelenskyy", "putin"],
)
def test_seed_every_person_mention_masked(seed_text, redacted, name, mentions):
    assert _count(name, seed_text) == mentions
    assert _count(name, redacted.text) == 0
    ents = [
        e for e in redacted.entities if any(seed_text[m.start : m.end].endswith(name) for m in e.mentions)
    ]
    assert len(ents) == 1, "all mentions of one person are one entity"
    covered = [m for m in ents[0].mentions if name in seed_text[m.start : m.end]]
    assert len(covered) == mentions


@pytest.mark.parametrize("place", ["Kherson", "Kyiv", "Mariupol", "Kharkiv"])
def test_seed_places_not_masked(seed_text, redacted, place):
    assert _count(place, redacted.text) == _count(place, seed_text) > 0


def test_seed_existing_masks_are_not_new_entities(seed_text, redacted):
    # "XXX" hides nothing more; it must not be merged into one fake "person".
    assert all("XXX" not in seed_text[m.start : m.end] for e in redacted.entities for m in e.mentions)


# The nine XXX of the article, filled in order with invented names (the second is a district).
FILL = [
    "Yevgeny Lavrov",
    "Obolon",
    "Ilya Felgenhauer",
    "Gordon Whitlow",
    "Ihor Kolesnyk",
    "Vadym Bondarenko",
    "Mykhailo Sirenko",
    "Shabnam Karimi",
    "Jonas Halvorsen",
]
PEOPLE = [
    "Yevgeny Lavrov",
    "Ilya Felgenhauer",
    "Gordon Whitlow",
    "Ihor Kolesnyk",
    "Vadym Bondarenko",
    "Mykhailo Sirenko",
    "Shabnam Karimi",
    "Jonas Halvorsen",
    "Volodymyr Zelenskyy",
    "Vladimir Putin",
]


@pytest.fixture(scope="module")
def filled(seed_text):
    parts = seed_text.split("XXX")
    assert len(parts) == len(FILL) + 1
    out = parts[0]
    for name, rest in zip(FILL, parts[1:], strict=True):
        out += name + rest
    return out


@pytest.mark.parametrize("person", PEOPLE, ids=[p.split()[-1].lower() for p in PEOPLE])
def test_seed_filled_every_mention_of_ten_people_masked(filled, person_pipeline, person):
    out = person_pipeline.redact(filled, "filled").text
    for word in person.split():
        assert _count(word, filled) >= 1
        assert _count(word, out) == 0, f"a part of person #{PEOPLE.index(person)} survived"
