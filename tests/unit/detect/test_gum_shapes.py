"""Issue 11, GUM categories: citations without a comma, reference chains, bare initials,
capitalised particles and titled names ending in "Park" / "Hall". Every name is invented."""

from __future__ import annotations

import pytest

from veil.detect.context import ContextDetector
from veil.model import Document, Evidence, Label


def _person_spans(text: str) -> set[tuple[int, int]]:
    return {
        (s.start, s.end)
        for s in ContextDetector().detect(Document("d", text))
        if s.label is Label.PERSON and s.evidence is not Evidence.SPEECH
    }


def _at(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Earlier work (see for example Dravnik 2014; Oltremare, 2005) agrees.", ["Dravnik"]),
        ("It was repeated (cf. Lund and Oyelaran 2019: 14) later.", ["Lund", "Oyelaran"]),
        ("This was first shown by Halvorsen and Pikuleva 2017.", ["Halvorsen", "Pikuleva"]),
        ("Following Marx, Karl and Engels, Friedrich. The German Ideology.", ["Engels", "Friedrich"]),
        ("Notes\nTarly, Robert Lyons. In the Shade of Leaves. 1981.", ["Tarly", "Robert Lyons"]),
        ("The paper is by N S Andrews and R T Palacio of the department.", ["N S Andrews", "R T Palacio"]),
        ("Among the guests was Carlo De Benedetti of the paper.", ["Carlo De Benedetti"]),
        ("I welcome Judge Shanlyn Park and Senator Moana Hall to the court.", ["Shanlyn Park", "Moana Hall"]),
        ("The legend says that the King of Arvath, Thessalon unified the tribes.", ["Thessalon"]),
        ("Then the President of Veloria, Ama Osei, said no.", ["Ama Osei"]),
        ("the Council on Coastal Relations Alia Salem said on Monday.", ["Alia Salem"]),
    ],
    ids=[
        "see-author-year",
        "cf-two-authors",
        "two-authors-year",
        "reference-chain",
        "reference-surname-in-ly",
        "bare-initials",
        "capitalised-particle",
        "title-park-hall",
        "title-of-place-lone",
        "title-of-place-full",
        "organisation-spill",
    ],
)
def test_gum_shapes_find_person(text, names):
    found = _person_spans(text)
    for name in names:
        assert _at(text, name) in found, name


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The games (held in London 2012; see Windows 2000) ended.", ["London", "Windows"]),
        ("Between Paris and London 2012, a year passed.", ["Paris", "London"]),
        ("Sales of Ford and Toyota 2019 fell sharply.", ["Ford", "Toyota"]),
        ("The U S Army came, and A B Testing began.", ["U S Army", "A B Testing"]),
        ("He flew to Rio De Janeiro and on to Costa Del Sol.", ["Rio De Janeiro", "Costa Del Sol"]),
        ("Mayor Central Park spoke; then the Senate Park closed.", ["Central Park", "Senate Park"]),
        ("Version 2.2017.5 of the tool (released 2019).", ["Version"]),
        ("Notes\nRelatedly, Sharon agreed.", ["Relatedly"]),
        ("She was the Queen of England, Scotland and Wales.", ["Scotland"]),
        ("He was Minister of Finance, Trade and Industry.", ["Trade"]),
        (
            "Fans of the Sydney Morning Herald said so; the Boston Red Sox said no.",
            ["Morning Herald", "Red Sox"],
        ),
    ],
    ids=[
        "place-or-product-year",
        "places-and-year",
        "brands-and-year",
        "acronym-initials",
        "place-particles",
        "ordinary-word-park",
        "version-numbers",
        "adverb-before-comma",
        "title-of-place-list",
        "title-of-portfolio",
        "spill-controls",
    ],
)
def test_gum_shapes_controls_find_nobody(text, words):
    found = _person_spans(text)
    for word in words:
        s, e = _at(text, word)
        assert not any(a < e and s < b for a, b in found), word
