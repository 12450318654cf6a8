"""Issue 13: user-defined recognizers, declared labels, deny lists per label, min_score."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import veil
from veil.config import from_dict
from veil.errors import ConfigError
from veil.model import Label, Span
from veil.pipeline import Pipeline

MRN = {
    "label": "MRN",
    "regex": r"[A-Z]\d{7}",
    "context": ["mrn", "hospital no"],
    "window": 30,
    "score": 0.9,
    "operator": "redact",
}


def _policy(**extra: Any) -> Any:
    return from_dict({"preset": "pii", "recognizers": [MRN], **extra}, source="test")


def test_label_undeclared_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown label"):
        Span(0, 1, "NOT_DECLARED_ANYWHERE", "test")


def test_label_declare_validates_the_name() -> None:
    for bad in ("mrn", "1ABC", "A-B", "", "X" * 41):
        with pytest.raises(ValueError):
            Label.declare(bad)
    assert Label.declare("PERSON") is Label.PERSON


def test_label_declared_is_one_object_and_pickles() -> None:
    label = Label.declare("TEST_CASE_REF")
    assert Label("TEST_CASE_REF") is label and not label.builtin and Label.PERSON.builtin
    assert pickle.loads(pickle.dumps(label)) is label
    assert label not in list(Label)  # the core stays closed


def test_recognizer_finds_with_context_and_uses_its_operator() -> None:
    text = "Seen today, MRN H0048213. Much later in a different paragraph: Z1234567 here."
    result = veil.redact(text, policy=_policy(operator_options={"redact": {"token": "XXX"}}))
    assert "H0048213" not in result.text and "XXX" in result.text
    assert "Z1234567" in result.text  # no context word within the window
    assert [e.label.value for e in result.entities if e.label.value == "MRN"] == ["MRN"]


def test_recognizer_validator_rejects_bad_checksums() -> None:
    spec = {"label": "BANK", "regex": r"GB\d{2}[A-Z]{4}\d{14}", "validator": "iban", "score": 1.0}
    policy = from_dict({"preset": "pii", "labels": ["BANK"], "recognizers": [spec]}, source="t")
    good, bad = "GB29NWBK60161331926819", "GB29NWBK60161331926818"
    out = Pipeline(policy).redact(f"pay {good} not {bad}").text
    assert good not in out and bad in out


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"label": "mrn", "regex": "x"}, "upper-case"),
        ({"label": "MRN"}, "regex"),
        ({"label": "MRN", "regex": "("}, "does not compile"),
        ({"label": "MRN", "regex": "a*"}, "empty string"),
        ({"label": "MRN", "regex": "x", "validator": "nosuch"}, "no module"),
        ({"label": "MRN", "regex": "x", "validator": "../os"}, "python-stdnum"),
        ({"label": "MRN", "regex": "x", "score": 2}, "score"),
        ({"label": "MRN", "regex": "x", "window": 0}, "window"),
        ({"label": "MRN", "regex": "x", "colour": "red"}, "unknown key"),
    ],
    ids=["label", "no-regex", "bad-regex", "empty", "validator", "validator-path", "score", "window", "key"],
)
def test_recognizer_bad_tables_fail_at_load(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        from_dict({"preset": "pii", "recognizers": [table]}, source="t")


def test_policy_label_must_be_declared_by_this_policy() -> None:
    Label.declare("DECLARED_ELSEWHERE")
    with pytest.raises(ConfigError, match="not declared"):
        from_dict({"preset": "pii", "labels": ["PERSON", "DECLARED_ELSEWHERE"]}, source="t")


def test_deny_by_label_masks_with_that_label() -> None:
    policy = _policy(lists={"deny_by_label": {"ORG": ["Project Nightingale"], "MRN": ["legacy-7"]}})
    result = Pipeline(policy).redact("Project Nightingale holds legacy-7.")
    assert {e.label.value for e in result.entities} == {"ORG", "MRN"}
    assert "Nightingale" not in result.text and "legacy-7" not in result.text


def test_min_score_drops_weak_spans() -> None:
    text = "she worked as a harbour master"
    strict = from_dict({"preset": "strict"}, source="t")
    high = from_dict({"preset": "strict", "min_score": 0.95}, source="t")
    assert any(e.label is Label.OCCUPATION for e in Pipeline(strict).analyze(text).entities)
    assert not any(e.label is Label.OCCUPATION for e in Pipeline(high).analyze(text).entities)


def test_user_regex_timeout_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.detect import custom
    from veil.errors import VeilError

    monkeypatch.setattr(custom, "TIMEOUT", 0.01)
    spec = {"label": "SLOW", "regex": r"(a|aa)+b"}
    policy = from_dict({"preset": "pii", "labels": ["SLOW"], "recognizers": [spec]}, source="t")
    with pytest.raises(VeilError):
        Pipeline(policy).redact("a" * 60)


def test_declared_label_encrypts_and_restores() -> None:
    from veil.keys import generate_key
    from veil.operators import restore

    key = generate_key()
    policy = from_dict({"preset": "pii", "recognizers": [{**MRN, "operator": "encrypt"}]}, source="t")
    text = "Seen today, MRN H0048213."
    out = Pipeline(policy, secrets={"encrypt": {"key": key}}).redact(text).text
    assert "H0048213" not in out and "MRN:" in out
    assert restore(out, key) == text


def test_readme_recognizer_examples_load_and_work() -> None:
    import re
    import textwrap
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text("utf-8")
    section = readme.split("### Identifiers beyond names", 1)[1].split("## Guarantees", 1)[0]
    blocks = [textwrap.dedent(b) for b in re.findall(r"```toml\n(.*?)```", section, re.S)]
    assert len(blocks) == 3
    policies = [from_dict(tomllib.loads(b), source=f"README example {i + 1}") for i, b in enumerate(blocks)]
    texts = [
        ("Seen in clinic, MRN H0048213.", "H0048213"),
        ("Badge EMP-004471 for Project Nightingale.", "EMP-004471"),
        ("NHS 6091390996 on file.", "6091390996"),
    ]
    for policy, (text, secret) in zip(policies, texts, strict=True):
        assert secret not in Pipeline(policy).redact(text).text


def test_scores_reach_entities_mentions_and_report() -> None:
    text = "Seen today, MRN H0048213. Pay GB29 NWBK 6016 1331 9268 19 now."
    result = Pipeline(_policy()).redact(text)
    by_label = {e.label.value: e for e in result.entities}
    assert by_label["MRN"].score == pytest.approx(0.9)
    assert by_label["IBAN"].score == pytest.approx(1.0)
    assert all(m.score == by_label["MRN"].score for m in by_label["MRN"].mentions)
    report = {e["label"]: e["score"] for e in result.report()["entities"]}
    assert report == {"MRN": 0.9, "IBAN": 1.0}
