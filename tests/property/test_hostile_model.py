"""The issue's own hostile inputs through the real model (issue 12, items 1, 2 and 7)."""

from __future__ import annotations

import re

import pytest

from veil.textview import view_of

pytestmark = pytest.mark.model

LATER = " met reporters. Lavrov said the talks failed.\n"
# Each text hides "Sergey Lavrov" (or "Kowalski") in a way today's detectors did not see.
CASES = {
    "bold": "<b>Sergey Lavrov</b>" + LATER,
    "paragraph": "<p>Sergey Lavrov</p>" + LATER,
    "span": "<span class=x>Sergey Lavrov</span>" + LATER,
    "markdown-bold": "**Sergey Lavrov**" + LATER,
    "markdown-italic": "_Sergey Lavrov_" + LATER,
    "leading-br": "<br>Sergey Lavrov" + LATER,
    "empty-tags": "Ser<b></b>gey Lav<i></i>rov" + LATER,
    "inner-bold": "Sergey La**vr**ov" + LATER,
    "zero-width": "Sergey Lav\u200brov" + LATER,
    "zwj-later": "Sergey Lavrov met reporters. Lav\u200drov said the talks failed.\n",
    "word-joiner": "Sergey Lav\u2060rov" + LATER,
    "soft-hyphen": "Sergey Lav\u00adrov met reporters. Lav\u00adrov said the talks failed.\n",
    "bidi": "Sergey Lav\u202erov\u202c" + LATER,
    "markdown-link": "The minister [Kowalski](https://example.org/k) met reporters. Kowalski said no.\n",
}


def _fragments(name: str) -> list[str]:
    return [name[i : i + 3].casefold() for i in range(len(name) - 2)]


@pytest.mark.parametrize("text", list(CASES.values()), ids=list(CASES))
def test_hostile_markup_and_invisibles_leave_no_letter(person_pipeline, text):
    result = person_pipeline.redact(text, "h")
    seen = view_of(re.sub(r"\[PERSON_\d+\]", " ", result.text)).text.casefold()
    for name in ("Sergey", "Lavrov", "Kowalski"):
        for fragment in _fragments(name):
            assert fragment not in seen, f"{fragment!r} of a name is visible"


@pytest.mark.parametrize(
    "text",
    [
        "Sergey\u00a0Lavrov met reporters. Lavrov said the talks failed.\n",
        "Dr. Anna\u00a0Kowalski met reporters on Monday. Anna Kowalski said no.\n",
    ],
    ids=["no-break-space-unseen", "no-break-space-split"],
)
def test_hostile_no_break_space_one_person_one_mention(person_pipeline, text):
    result = person_pipeline.redact(text, "h")
    assert len(result.entities) == 1
    # the name with its no-break space is one mention: one pseudonym, not two side by side
    assert "\u00a0" not in result.text
    assert result.text.count("[PERSON_1]") == 2


EMBEDDED = {
    "url": "https://news.example.org/people/anna-kowalski",
    "email": "anna.kowalski@example.org",
    "handle": "@AnnaKowalski",
    "camelcase": "AnnaKowalski",
}


@pytest.mark.parametrize("form", list(EMBEDDED.values()), ids=list(EMBEDDED))
def test_hostile_name_inside_identifier_masked(person_pipeline, form):
    text = f"Anna Kowalski met reporters on Monday. Her page is {form} now.\n"
    result = person_pipeline.redact(text, "h")
    tail = result.text[result.text.index("Her page") :].casefold()
    assert "anna" not in tail and "kowalski" not in tail


def test_hostile_letter_spaced_name_masked(person_pipeline):
    text = "Sergey Lavrov met reporters on Monday. Later S e r g e y said no.\n"
    result = person_pipeline.redact(text, "h")
    assert "S e r g e y" not in result.text and "Sergey" not in result.text
