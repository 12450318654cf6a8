"""The seed article (../shared/examples/seed-article.txt): an AP story redacted by hand."""

from __future__ import annotations

import re

import pytest

from veil.audit import audit_text

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def seed_report(seed_text, pii_pipeline):
    return audit_text(seed_text, "seed", pipeline=pii_pipeline)


def _of(report, kind):
    return [f for f in report.findings if f.kind == kind]


def _words(text, findings):
    return sorted(text[f.start : f.end] for f in findings)


def test_seed_risk_is_high(seed_report):
    assert seed_report.risk == "high"
    assert any("linked leak" in r for r in seed_report.reasons)


@pytest.mark.parametrize(
    ("name", "mentions", "role"),
    [("Lavrov", 2, "Russian Foreign Minister XXX"), ("Felgenhauer", 1, "military analyst XXX")],
    ids=["lavrov", "felgenhauer"],
)
def test_seed_linked_leak(seed_text, seed_report, name, mentions, role):
    leaks = [f for f in _of(seed_report, "linked_leak") if seed_text[f.start : f.end] == name]
    assert len(leaks) == mentions
    mask = seed_text.index(role) + len(role) - 3
    assert {(f.mask_start, f.mask_end) for f in leaks} == {(mask, mask + 3)}


def test_seed_linked_leaks_are_only_those(seed_text, seed_report):
    assert _words(seed_text, _of(seed_report, "linked_leak")) == ["Felgenhauer", "Lavrov", "Lavrov"]


def test_seed_residual_identifiers_are_zelenskyy_and_putin(seed_text, seed_report):
    names = {seed_text[f.start : f.end].split()[-1] for f in _of(seed_report, "residual_identifier")}
    assert names == {"Zelenskyy", "Putin"}


@pytest.mark.parametrize(
    ("phrase", "label"),
    [
        ("mayor of Kherson", "ROLE"),
        ("Mariupol Mayor", "ROLE"),
        ("U.K. Defense Secretary", "ROLE"),
        ("XXX, 68", "AGE"),
    ],
    ids=["kherson-mayor", "mariupol-mayor", "uk-defense-secretary", "age-68"],
)
def test_seed_quasi_identifier(seed_text, seed_report, phrase, label):
    start = seed_text.index(phrase)
    end = start + len(phrase)
    hits = [
        f
        for f in _of(seed_report, "quasi_identifier")
        if f.start < end and start < f.end and f.label == label
    ]
    assert len(hits) == 1
    assert hits[0].mask_start is not None


def test_seed_no_partial_masks(seed_report):
    assert _of(seed_report, "partial_mask") == []


def test_seed_redacted_by_veil_has_no_leaks_or_person_names(seed_text, pii_pipeline):
    import veil

    policy = veil.preset("pii").narrowed(["PERSON"]).with_operator("tag")
    result = veil.redact(seed_text, policy)
    report = audit_text(result.text, "seed-redacted", pipeline=pii_pipeline)
    assert _of(report, "linked_leak") == []
    assert [f for f in _of(report, "residual_identifier") if f.label == "PERSON"] == []
    roles = [f for f in _of(report, "quasi_identifier") if f.label == "ROLE"]
    assert any(re.search(r"mayor", result.text[f.start : f.end], re.IGNORECASE) for f in roles)
