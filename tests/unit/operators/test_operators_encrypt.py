"""The encrypt operator and restore: round trips, determinism and failing closed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from operator_helpers import KEY, target

from veil.errors import ConfigError, InputError, OperatorError
from veil.keys import Key, generate_key
from veil.model import Label
from veil.operators import TOKEN_RE, EncryptOperator, count_tokens, restore


def _encrypt_text(text: str, mentions: list[tuple[str, Label]], op: EncryptOperator) -> str:
    """Replace each mention (found with text.index) by its token, as the pipeline would."""
    out = text
    for mention, label in mentions:
        start = out.index(mention)
        out = out[:start] + op.apply(target(mention, label)) + out[start + len(mention) :]
    return out


TEXT = "Dr. Ada Byron wrote to ada@example.org from Kyiv; Byron signed."
MENTIONS = [
    ("Ada Byron", Label.PERSON),
    ("ada@example.org", Label.EMAIL),
    ("Kyiv", Label.LOC),
    ("Byron", Label.PERSON),
]


def test_encrypt_restore_roundtrip() -> None:
    op = EncryptOperator(key=KEY)
    enc = _encrypt_text(TEXT, MENTIONS, op)
    assert count_tokens(enc) == 4
    for mention, _ in MENTIONS:
        assert mention not in enc.replace("Dr. ", "")
    assert restore(enc, KEY) == TEXT
    assert restore(enc, Key(KEY)) == TEXT


def test_encrypt_deterministic_per_surface_and_label() -> None:
    a, b = EncryptOperator(key=KEY), EncryptOperator(key=KEY)
    t = target("Byron", canonical="Ada Byron", part="last")
    assert a.apply(t) == b.apply(t)
    assert a.apply(t) != a.apply(target("Byron", Label.ORG))
    assert a.apply(t) != EncryptOperator(key=KEY + b"x").apply(t)
    assert TOKEN_RE.fullmatch(a.apply(t))


def test_encrypt_key_file(tmp_path: Path) -> None:
    from veil.keys import write_key_file

    key = generate_key()
    path = tmp_path / "veil.key"
    write_key_file(path, key)
    token = EncryptOperator(key_file=str(path)).apply(target("Ada"))
    assert restore(token, key) == "Ada"


@pytest.mark.parametrize(
    "mention", ["A", "J", "_", "-", "AB", "9"], ids=["A", "J", "underscore", "dash", "AB", "9"]
)
def test_encrypt_token_never_contains_short_mention(mention: str) -> None:
    op = EncryptOperator(key=KEY)
    for i in range(30):
        t = target(mention, Label.ID, key=str(i))
        token = op.apply(t)
        assert mention not in token
        assert restore(f"x{token}y", KEY) == f"x{mention}y"


def test_encrypt_impossible_mention_raises() -> None:
    with pytest.raises(OperatorError, match="contained the mention"):
        EncryptOperator(key=KEY).apply(target("⟦", Label.MISC))


def _tamper(token: str, index: int) -> str:
    body = list(token)
    body[index] = "A" if body[index] != "A" else "B"
    return "".join(body)


def test_restore_tampered_token_fails_closed() -> None:
    op = EncryptOperator(key=KEY)
    enc = _encrypt_text(TEXT, MENTIONS, op)
    tokens = list(TOKEN_RE.finditer(enc))
    bad = tokens[2]
    altered = enc[: bad.start()] + _tamper(bad.group(0), len(bad.group(0)) - 5) + enc[bad.end() :]
    with pytest.raises(InputError, match=f"offset {bad.start()}") as info:
        restore(altered, KEY)
    message = str(info.value)
    assert "Ada" not in message and "Kyiv" not in message and "LOC" in message


def test_restore_label_swap_fails_closed() -> None:
    op = EncryptOperator(key=KEY)
    text = op.apply(target("Ada")) + " " + op.apply(target("Kyiv", Label.LOC))
    swapped = text.replace("⟦LOC:", "⟦ORG:")
    with pytest.raises(InputError):
        restore(swapped, KEY)


def test_restore_wrong_key_is_config_error() -> None:
    enc = _encrypt_text(TEXT, MENTIONS, EncryptOperator(key=KEY))
    with pytest.raises(ConfigError, match="opens none"):
        restore(enc, generate_key())


@pytest.mark.parametrize(
    "text",
    ["no tokens here", "math ⟦a, b⟧ stays", "a ⟦ lone mark", "types ⟦x:T⟧ stay"],
    ids=["plain", "math-brackets", "lone-mark", "lower-case"],
)
def test_restore_leaves_non_tokens(text: str) -> None:
    assert restore(text, KEY) == text


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (lambda t: t.replace("⟦LOC:", "⟦NOTALABEL:"), "unknown label"),
        (lambda t: t.replace("⟦LOC:", "⟦LOC:$"), "not base64url"),
        (
            lambda t: t[: t.index("⟦LOC:")] + "⟦LOC:⟧" + t[t.index("⟧", t.index("⟦LOC:")) + 1 :],
            "empty payload",
        ),
        (
            lambda t: t[: t.index("⟦LOC:")] + "⟦LOC:short⟧" + t[t.index("⟧", t.index("⟦LOC:")) + 1 :],
            "too short",
        ),
        (
            lambda t: t[: t.index("⟧", t.index("⟦LOC:"))] + " " + t[t.index("⟧", t.index("⟦LOC:")) + 1 :],
            "no closing",
        ),
        (lambda t: t[: t.rindex("⟧")], "no closing"),
    ],
    ids=["unknown-label", "bad-base64", "empty-payload", "short-payload", "missing-close", "truncated"],
)
def test_restore_any_broken_token_fails_whole_text(broken: Callable[[str], str], reason: str) -> None:
    """issue 12.6: a token with broken syntax used to be left as it was, and the rest restored."""
    enc = _encrypt_text(TEXT, MENTIONS, EncryptOperator(key=KEY))
    altered = broken(enc)
    assert altered != enc
    with pytest.raises(InputError, match=reason) as info:
        restore(altered, KEY)
    message = str(info.value)
    assert "nothing was restored" in message
    assert not any(m in message for m, _ in MENTIONS)


def test_restore_tokens_are_bound_to_entities_not_positions() -> None:
    """Documented limit: swapping two valid tokens is not detected; each restores its own text."""
    op = EncryptOperator(key=KEY)
    ada, kyiv = op.apply(target("Ada")), op.apply(target("Kyiv", Label.LOC))
    assert restore(f"{kyiv} met {ada}", KEY) == "Kyiv met Ada"


def test_restore_rejects_short_key() -> None:
    with pytest.raises(ConfigError, match="too short"):
        restore("x", b"short")
