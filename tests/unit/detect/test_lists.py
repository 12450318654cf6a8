"""DenyListDetector: case, whitespace, word boundaries, overlaps, config errors."""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.lists import DenyListDetector
from veil.errors import ConfigError
from veil.model import Document, Label


def _detector(*deny: str) -> DenyListDetector:
    return DenyListDetector(preset("pii").with_lists(deny=deny))


def _found(det: DenyListDetector, text: str) -> list[tuple[str, Label]]:
    return [(s.text(text), s.label) for s in det.detect(Document("t", text))]


CASES = [
    ("Project Nightingale", "the project nightingale plan", ["project nightingale"]),
    ("Project Nightingale", "PROJECT NIGHTINGALE!", ["PROJECT NIGHTINGALE"]),
    ("Project Nightingale", "Project\n   Nightingale starts", ["Project\n   Nightingale"]),
    ("Project  Nightingale", "Project Nightingale", ["Project Nightingale"]),
    ("Project Nightingale", "ProjectNightingale", []),
    ("Nightingale", "Nightingales sing", []),
    ("Nightingale", "a Nightingale-style plan", ["Nightingale"]),
    ("Ab", "Ab and ab and lab and abc", ["Ab", "ab"]),
    ("C++", "we use C++, not C", ["C++"]),
    ("(secret)", "a (secret) plan", ["(secret)"]),
    ("Zoë", "ZOË and zoë", ["ZOË", "zoë"]),
]


@pytest.mark.parametrize(
    ("term", "text", "expected"), CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)]
)
def test_lists_matches(term: str, text: str, expected: list[str]) -> None:
    assert _found(_detector(term), text) == [(e, Label.MISC) for e in expected]


def test_lists_overlapping_terms_are_covered_by_one_span() -> None:
    text = "the New York City office"
    spans = list(_detector("New York", "York City").detect(Document("t", text)))
    start = text.index("New York City")
    assert [(s.start, s.end) for s in spans] == [(start, start + len("New York City"))]


def test_lists_longest_term_wins_at_same_start() -> None:
    text = "New York City"
    assert _found(_detector("New York", "New York City"), text) == [("New York City", Label.MISC)]


def test_lists_label_and_score_follow_policy() -> None:
    policy = preset("pii").with_lists(deny=["Acme"])
    from dataclasses import replace

    det = DenyListDetector(replace(policy, deny_label=Label.ORG))
    spans = list(det.detect(Document("t", "Acme Corp")))
    assert [(s.label, s.score, s.source) for s in spans] == [(Label.ORG, 1.0, "lists")]


def test_lists_empty_deny_list_finds_nothing() -> None:
    assert list(DenyListDetector(preset("pii")).detect(Document("t", "anything"))) == []


@pytest.mark.parametrize("blank", ["", "   ", "\n"], ids=["empty", "spaces", "newline"])
def test_lists_blank_term_is_config_error(blank: str) -> None:
    with pytest.raises(ConfigError):
        _detector("ok", blank)


def test_lists_regex_metacharacters_are_literal() -> None:
    assert _found(_detector("a.b"), "axb a.b") == [("a.b", Label.MISC)]


def test_lists_repr_has_no_terms() -> None:
    assert "Nightingale" not in repr(_detector("Project Nightingale"))
