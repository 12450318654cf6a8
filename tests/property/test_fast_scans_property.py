"""Hypothesis properties of the fast scans: each finds exactly what the plain expression it
replaces finds (``finditer`` over the whole text), on texts built from near-miss words."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veil.detect import patterns, quasi

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Job nouns, their plurals and two-word forms, modifiers, stop words, a word too long to be a
# modifier, and letters that case-insensitive matching folds onto ASCII ("ſ", Kelvin sign, "ı").
_OCC_WORDS = st.sampled_from(
    [
        "nurse",
        "Nurses",
        "DOCTOR",
        "police",
        "officer",
        "social",
        "worker",
        "the",
        "Senior",
        "x-ray",
        "long-distance",
        "lorry",
        "driver",
        "averyveryveryverylongmodifierword",
        "nurſe",
        "\u212aeeper",
        "mıner",
        "teacher2",
        "é",
        "_",
    ]
)
_GAPS = st.sampled_from([" ", " ", "\t", "-", "", ". ", "\n"])
_OCC_TEXT = st.lists(st.tuples(_OCC_WORDS, _GAPS), max_size=14).map(lambda ws: "".join(a + b for a, b in ws))


@SETTINGS
@given(_OCC_TEXT)
def test_quasi_occupation_scan_equals_finditer(text: str) -> None:
    expected = [m.span() for m in quasi._OCCUPATION.finditer(text)]
    assert [m.span() for m in quasi._occupation_matches(text)] == expected


_ID_TEXT = st.text(alphabet="0123456789 -./+\t–aXL٣", max_size=60)


def _plain_ids(text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(s.name, m.span()) for s in patterns._ID_SCHEMES for m in s.pattern.finditer(text)]


def _fast_ids(text: str) -> list[tuple[str, tuple[int, int]]]:
    starts = [m.start() for m in patterns._DIGIT_START.finditer(text)]
    out = []
    for s in patterns._ID_SCHEMES:
        found = (
            patterns._matches_at(s.pattern, text, starts)
            if s.name in patterns._DIGIT_LED
            else s.pattern.finditer(text)
        )
        out.extend((s.name, m.span()) for m in found)
    return out


@SETTINGS
@given(_ID_TEXT)
def test_patterns_digit_led_scan_equals_finditer(text: str) -> None:
    assert _fast_ids(text) == _plain_ids(text)


def test_patterns_digit_led_only_for_schemes_starting_with_a_digit() -> None:
    led = {s.name for s in patterns._ID_SCHEMES if patterns._digit_led(s.pattern)}
    assert "us.ssn" in led
    assert "gb.nino" not in led  # two letters first
    assert "it.codicefiscale" not in led
    assert not patterns._digit_led(re.compile(r"(?<![\w\-./+])(?:\d{3}|[A-Z]\d{2})"))
    assert not patterns._digit_led(re.compile(r"(?<![\w\-./+])(?:\d?[A-Z]\d)"))
    assert not patterns._digit_led(re.compile(r"(?<![\w\-.])(?:\d{3})"))  # another look-behind
