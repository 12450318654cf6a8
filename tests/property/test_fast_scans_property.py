"""Hypothesis properties of the fast scans: each finds exactly what the plain expression it
replaces finds (``finditer`` over the whole text), on texts built from near-miss words."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veil import scores, textview
from veil.detect import patterns, quasi
from veil.detect.hits import matches_at
from veil.model import Label, Span
from veil.resolve import _names

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
            matches_at(s.pattern, text, starts) if s.name in patterns._DIGIT_LED else s.pattern.finditer(text)
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


def _fold_plain(text: str) -> str:
    return "".join(_names._fold_char(ch) for ch in text)


@SETTINGS
@given(st.text(alphabet="aZ ıøŁé\u0301ñÅ\u212bſǅ가ß", max_size=40))
def test_resolve_fold_equals_per_character_fold(text: str) -> None:
    assert _names.fold(text) == _fold_plain(text)


_SPAN = st.tuples(
    st.integers(0, 3000), st.integers(1, 2500), st.sampled_from([Label.PERSON, Label.ORG]), st.floats(0, 1)
)


@SETTINGS
@given(st.lists(_SPAN, max_size=30), _SPAN)
def test_scores_best_with_reach_equals_fixed_window(
    raw: list[tuple[int, int, Label, float]], probe: tuple[int, int, Label, float]
) -> None:
    spans = sorted((Span(s, s + n, label, "t", score) for s, n, label, score in raw), key=lambda x: x.start)
    starts = [s.start for s in spans]
    mention = Span(probe[0], probe[0] + probe[1], probe[2], "m")
    reach = max((len(s) for s in spans), default=0)
    for same in (True, False):
        assert scores._best(spans, starts, mention, same_label=same, reach=reach) == scores._best(
            spans, starts, mention, same_label=same
        )


_NORP_WORDS = st.sampled_from(
    [
        "the",
        "The",
        "Moldovan",
        "Roma",
        "Romani",
        "Romanians",
        "Bahá'í",
        "Baha'i",
        "Seventh-day",
        "Adventist",
        "Church",
        "Jehovah's",
        "Witnesses",
        "Crimean",
        "Tatar",
        "Filipino-American",
        "government",
        "atheist",
        "ATHEIST",
        "-",
        "x",
    ]
)


@SETTINGS
@given(st.lists(st.tuples(_NORP_WORDS, _GAPS), max_size=10).map(lambda ws: "".join(a + b for a, b in ws)))
def test_quasi_norp_scan_equals_finditer(text: str) -> None:
    assert [m.span() for m in quasi._norp_matches(text)] == [m.span() for m in quasi._NORP.finditer(text)]


def test_textview_unicode_tables_equal_separate_passes() -> None:
    second: set[str] = set()
    for c in range(0x80, sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(c)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            second.add(chr(int(parts[1], 16)))
    second.update(chr(c) for c in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)))
    unstable = {
        c
        for c in range(0x80, sys.maxunicode + 1)
        if unicodedata.combining(chr(c)) or unicodedata.normalize("NFKC", chr(c)) != chr(c)
    }
    got_second, got_unstable = textview._unicode_tables()
    assert got_second == second
    assert set(got_unstable) | {ord(ch) for ch in got_second} == unstable | {ord(ch) for ch in second}
