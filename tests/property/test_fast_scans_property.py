"""Hypothesis properties of the fast scans: each finds exactly what the plain expression it
replaces finds (``finditer`` over the whole text), on texts built from near-miss words."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veil.detect import quasi

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
