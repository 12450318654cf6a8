"""Key files: generation, parsing, the errors for bad files, and reprs without secrets."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from veil.errors import ConfigError, WriteError
from veil.keys import (
    KEY_BYTES,
    KEY_HEADER,
    Key,
    coerce_key,
    format_key,
    generate_key,
    load_key,
    parse_key,
    write_key_file,
)


def test_keys_generate_is_random_and_long_enough() -> None:
    a, b = generate_key(), generate_key()
    assert len(a.material) == KEY_BYTES
    assert a != b


def test_keys_roundtrip_through_file(tmp_path: Path) -> None:
    key = generate_key()
    path = tmp_path / "sub" / "veil.key"
    write_key_file(path, key)
    assert load_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text("utf-8").startswith(KEY_HEADER)
    assert [p.name for p in path.parent.iterdir()] == ["veil.key"]  # no temporary file left


def test_keys_write_refuses_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "veil.key"
    path.write_text("precious", "utf-8")
    with pytest.raises(WriteError, match="refusing to overwrite"):
        write_key_file(path, generate_key())
    assert path.read_text("utf-8") == "precious"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a Veil key file"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (_b64(b"k" * 32).encode(), "not a Veil key file"),
        (f"{KEY_HEADER}\n".encode(), "exactly one key line"),
        (f"{KEY_HEADER}\n{_b64(b'k' * 32)}\n{_b64(b'j' * 32)}\n".encode(), "exactly one key line"),
        (f"{KEY_HEADER}\nnot base64 at all!\n".encode(), "not URL-safe base64"),
        (f"{KEY_HEADER}\n{_b64(b'k' * 32)}$$\n".encode(), "not URL-safe base64"),
        (f"{KEY_HEADER}\n{_b64(b'k' * 8)}\n".encode(), "too short"),
    ],
    ids=["empty", "binary", "no-header", "no-key", "two-keys", "bad-base64", "trailing-junk", "short"],
)
def test_keys_load_rejects_malformed(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=message) as info:
        load_key(path)
    assert _b64(b"k" * 32) not in str(info.value)


def test_keys_load_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_key(tmp_path / "missing.key")
    with pytest.raises(ConfigError, match="directory"):
        load_key(tmp_path)


def test_keys_load_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.key"
    write_key_file(path, generate_key())
    path.chmod(0)
    try:
        if path.stat().st_uid == 0 or __import__("os").geteuid() == 0:
            pytest.skip("root can read any file")
        with pytest.raises(ConfigError, match="cannot read"):
            load_key(path)
    finally:
        path.chmod(0o600)


def test_keys_parse_accepts_comments_and_padding() -> None:
    raw = b"r" * 20
    text = f"{KEY_HEADER} whatever\n# comment\n\n{base64.urlsafe_b64encode(raw).decode()}\n"
    assert parse_key(text, "x").material == raw


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (b"x" * 16, True),
        ("y" * 16, True),
        (bytearray(b"z" * 20), True),
        (b"x" * 15, False),
        (None, False),
        (5, False),
    ],
    ids=["bytes", "str", "bytearray", "short", "none", "int"],
)
def test_keys_coerce(value: object, ok: bool) -> None:
    if ok:
        assert isinstance(coerce_key(value, "test"), Key)
    else:
        with pytest.raises(ConfigError):
            coerce_key(value, "test")


def test_keys_repr_hides_material() -> None:
    key = Key(b"supersecretkeymaterial-123")
    for text in (repr(key), str(key), f"{key}", repr([key]), repr({"k": key})):
        assert "supersecret" not in text and "[secret]" in text
    assert "supersecret" not in format_key(key)  # the file holds base64, never the raw bytes


def test_keys_derive_separates_purposes() -> None:
    key = Key(b"m" * 32)
    assert key.derive("a") != key.derive("b")
    assert len(key.derive("a", 64)) == 64
    assert key.derive("a", 64)[:32] == key.derive("a", 32)
