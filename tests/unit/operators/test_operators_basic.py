"""redact, tag, pseudonym, hash and generalize: tables of inputs and outputs, option validation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from operator_helpers import KEY, target

from veil import registry
from veil.errors import ConfigError
from veil.model import Label
from veil.operators import (
    EncryptOperator,
    GeneralizeOperator,
    HashOperator,
    PseudonymOperator,
    RedactOperator,
    SurrogateOperator,
    TagOperator,
)
from veil.protocols import Operator, Target

ALL = {
    "redact.v1": RedactOperator,
    "tag.v1": TagOperator,
    "pseudonym.v1": PseudonymOperator,
    "surrogate.v1": SurrogateOperator,
    "hash.v1": HashOperator,
    "encrypt.v1": EncryptOperator,
    "generalize.v1": GeneralizeOperator,
}
NEEDS_KEY = {"hash.v1", "encrypt.v1"}


@pytest.mark.parametrize("name", sorted(ALL), ids=sorted(ALL))
def test_operators_registered_and_implement_protocol(name: str) -> None:
    factory = registry.get("veil.operators", name)
    assert factory is ALL[name]
    op = factory(key=KEY) if name in NEEDS_KEY else factory()
    assert isinstance(op, Operator)
    assert name.startswith(op.name + ".")


@pytest.mark.parametrize("name", sorted(ALL), ids=sorted(ALL))
def test_operators_reject_unknown_option(name: str) -> None:
    extra = {"key": KEY} if name in NEEDS_KEY else {}
    with pytest.raises(ConfigError, match="unknown option"):
        ALL[name](bogus=1, **extra)


@pytest.mark.parametrize(
    ("op", "t", "expected"),
    [
        (RedactOperator(), target("Ada Byron"), "[REDACTED]"),
        (RedactOperator(token="XXX"), target("Ada Byron"), "XXX"),
        (TagOperator(), target("ada@example.org", Label.EMAIL), "[EMAIL]"),
        (TagOperator(format="<{label}>"), target("Ada Byron"), "<PERSON>"),
        (PseudonymOperator(), target("Ada Byron", number=3), "[PERSON_3]"),
        (PseudonymOperator(format="{label}-{number:03d}"), target("Kyiv", Label.LOC, number=7), "LOC-007"),
        (GeneralizeOperator(), target("March 3, 2021", Label.DATE), "2021"),
        (GeneralizeOperator(date="month"), target("March 3, 2021", Label.DATE), "March 2021"),
        (GeneralizeOperator(date="month"), target("2021-03-04", Label.DATE), "March 2021"),
        (GeneralizeOperator(date="month"), target("3rd of March 2021", Label.DATE), "March 2021"),
        (GeneralizeOperator(date="month"), target("03/04/2021", Label.DATE), "2021"),
        (GeneralizeOperator(date="month"), target("March 2021", Label.DATE), "2021"),
        (GeneralizeOperator(), target("2014", Label.DATE), "2010s"),
        (GeneralizeOperator(), target("2010", Label.DATE), "[DATE]"),
        (GeneralizeOperator(), target("the summer of 2014", Label.DATE), "2014"),
        (GeneralizeOperator(), target("last Thursday", Label.DATE), "[DATE]"),
        (GeneralizeOperator(), target("63", Label.AGE), "60-69"),
        (GeneralizeOperator(), target("63-year-old", Label.AGE), "60-69-year-old"),
        (GeneralizeOperator(), target("aged 7", Label.AGE), "aged 0-9"),
        (GeneralizeOperator(), target("60", Label.AGE), "[AGE]"),
        (GeneralizeOperator(), target("sixty", Label.AGE), "[AGE]"),
        (GeneralizeOperator(), target("Kyiv", Label.LOC), "[LOC]"),
    ],
    ids=[
        "redact-default",
        "redact-token",
        "tag",
        "tag-format",
        "pseudonym",
        "pseudonym-format",
        "generalize-date-year",
        "generalize-date-month",
        "generalize-iso-month",
        "generalize-ordinal-month",
        "generalize-ambiguous-month-gives-year",
        "generalize-month-already-month",
        "generalize-year-gives-decade",
        "generalize-decade-edge",
        "generalize-year-in-phrase",
        "generalize-unparsable",
        "generalize-age",
        "generalize-age-compound",
        "generalize-age-child",
        "generalize-age-band-edge",
        "generalize-age-words",
        "generalize-other-label",
    ],
)
def test_operators_output(op: Operator, t: Target, expected: str) -> None:
    assert op.apply(t) == expected


@pytest.mark.parametrize(
    ("factory", "options", "message"),
    [
        (RedactOperator, {"token": ""}, "non-blank"),
        (RedactOperator, {"token": "   "}, "non-blank"),
        (RedactOperator, {"token": 3}, "non-blank"),
        (TagOperator, {"format": ""}, "non-empty"),
        (TagOperator, {"format": "[{name}]"}, "only use"),
        (TagOperator, {"format": "[{label"}, "invalid"),
        (PseudonymOperator, {"format": "[{label}]"}, "must contain"),
        (PseudonymOperator, {"format": "[{label}_{number:q}]"}, "invalid"),
        (HashOperator, {}, "needs a secret key"),
        (HashOperator, {"key": b"short"}, "too short"),
        (HashOperator, {"key": "fifteen-chars!!"}, "too short"),
        (HashOperator, {"key": 12345678901234567890}, "must be bytes"),
        (HashOperator, {"key": KEY, "length": 4}, "length"),
        (HashOperator, {"key": KEY, "length": True}, "length"),
        (HashOperator, {"key": KEY, "key_file": "x.key"}, "not both"),
        (EncryptOperator, {}, "needs a secret key"),
        (EncryptOperator, {"key": b"x" * 15}, "too short"),
        (EncryptOperator, {"key_file": "/nonexistent/veil.key"}, "not found"),
        (GeneralizeOperator, {"date": "day"}, "year"),
        (SurrogateOperator, {"locale": "xx_YY"}, "no locale"),
        (SurrogateOperator, {"locale": "../etc"}, "look like"),
    ],
    ids=[
        "redact-empty",
        "redact-blank",
        "redact-not-str",
        "tag-empty",
        "tag-unknown-field",
        "tag-broken",
        "pseudonym-no-number",
        "pseudonym-bad-spec",
        "hash-no-key",
        "hash-short-bytes",
        "hash-short-str",
        "hash-key-type",
        "hash-length-small",
        "hash-length-bool",
        "hash-key-and-file",
        "encrypt-no-key",
        "encrypt-short",
        "encrypt-missing-file",
        "generalize-date",
        "surrogate-locale",
        "surrogate-locale-shape",
    ],
)
def test_operators_invalid_options_fail_at_construction(
    factory: Callable[..., object], options: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        factory(**options)


def test_hash_consistent_per_entity_and_key() -> None:
    a, b = HashOperator(key=KEY), HashOperator(key=KEY)
    full = target("Ada Byron")
    last = target("Byron", canonical="Ada Byron", part="last")
    out = a.apply(full)
    assert re.fullmatch(r"\[PERSON:[0-9a-f]{12}\]", out)
    assert a.apply(last) == out == b.apply(full)
    assert HashOperator(key=KEY + b"!").apply(full) != out
    assert a.apply(target("Ada Lovelace")) != out
    assert HashOperator(key=KEY, length=20).apply(full).startswith(out[:-1])


def test_hash_str_and_bytes_keys_agree() -> None:
    assert HashOperator(key=KEY.decode()).apply(target("Ada")) == HashOperator(key=KEY).apply(target("Ada"))


def test_hash_never_contains_mention() -> None:
    op = HashOperator(key=KEY, length=8)
    for i in range(300):
        t = target(f"{i % 16:x}", Label.ID, key=f"entity-{i}")
        assert t.text not in op.apply(t)


@pytest.mark.parametrize(
    "op",
    [
        HashOperator(key=KEY),
        EncryptOperator(key=KEY),
        SurrogateOperator(key=KEY),
    ],
    ids=["hash", "encrypt", "surrogate"],
)
def test_operators_repr_hides_key(op: Operator) -> None:
    text = repr(op) + str(op)
    assert "key=[secret]" in text
    assert KEY.decode() not in text and repr(KEY) not in text
    assert "0123456789abcdef" not in text
