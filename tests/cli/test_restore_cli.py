"""``veil keygen`` and ``veil restore`` through click's CliRunner."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from veil.cli import cli
from veil.keys import load_key
from veil.model import Label
from veil.operators import EncryptOperator, count_tokens
from veil.protocols import Target

ORIGINAL = "Dr. Ada Byron wrote to ada@example.org; Byron signed.\n"
MENTIONS = [("Ada Byron", Label.PERSON), ("ada@example.org", Label.EMAIL), ("Byron", Label.PERSON)]


def _encrypt(text: str, key_path: Path) -> str:
    op = EncryptOperator(key_file=str(key_path))
    for mention, label in MENTIONS:
        start = text.index(mention)
        t = Target(
            text=mention, label=label, entity_id="e", key=mention.casefold(), number=1, canonical=mention
        )
        text = text[:start] + op.apply(t) + text[start + len(mention) :]
    return text


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "veil.key"
    result = CliRunner().invoke(cli, ["keygen", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_keygen_creates_private_key_file(key_file: Path) -> None:
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(load_key(key_file).material) == 32


def test_keygen_refuses_to_overwrite(key_file: Path) -> None:
    before = key_file.read_bytes()
    result = CliRunner().invoke(cli, ["keygen", "-o", str(key_file)])
    assert result.exit_code == 5
    assert "refusing to overwrite" in result.output
    assert key_file.read_bytes() == before


def test_restore_file_to_output(tmp_path: Path, key_file: Path) -> None:
    enc = tmp_path / "letter.enc.txt"
    enc.write_text(_encrypt(ORIGINAL, key_file), "utf-8")
    assert count_tokens(enc.read_text("utf-8")) == 3
    out = tmp_path / "letter.txt"
    result = CliRunner().invoke(cli, ["restore", str(enc), "--key", str(key_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == ORIGINAL
    assert "restored 3 token(s)" in result.output


def test_restore_stdin_stdout_with_env_key(key_file: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["restore"], input=_encrypt(ORIGINAL, key_file), env={"VEIL_KEY_FILE": str(key_file)}
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ORIGINAL


def test_restore_tampered_writes_nothing(tmp_path: Path, key_file: Path) -> None:
    text = _encrypt(ORIGINAL, key_file)
    cut = text.index("⟦EMAIL:") + len("⟦EMAIL:") + 3
    enc = tmp_path / "in.txt"
    enc.write_text(text[:cut] + ("B" if text[cut] == "A" else "A") + text[cut + 1 :], "utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(cli, ["restore", str(enc), "--key", str(key_file), "-o", str(out)])
    assert result.exit_code == 3
    assert "failed authentication" in result.output and "EMAIL" in result.output
    assert "Ada" not in result.output and "example.org" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "broken", ["⟦EMAIL:⟧", "⟦NOPE:" + "A" * 30 + "⟧", "⟦EMAIL:AAAA"], ids=["empty", "label", "open"]
)
def test_restore_broken_token_writes_nothing(tmp_path: Path, key_file: Path, broken: str) -> None:
    enc = tmp_path / "in.txt"
    enc.write_text(_encrypt(ORIGINAL, key_file) + broken, "utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(cli, ["restore", str(enc), "--key", str(key_file), "-o", str(out)])
    assert result.exit_code == 3 and "nothing was restored" in result.output
    assert "Ada" not in result.output and not out.exists()


def test_restore_wrong_key(tmp_path: Path, key_file: Path) -> None:
    other = tmp_path / "other.key"
    assert CliRunner().invoke(cli, ["keygen", "-o", str(other)]).exit_code == 0
    result = CliRunner().invoke(cli, ["restore", "--key", str(other)], input=_encrypt(ORIGINAL, key_file))
    assert result.exit_code == 2
    assert "opens none" in result.output
    assert "Ada" not in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["restore"], 2, "no key given"),
        (["restore", "--key", "/nonexistent/veil.key"], 2, "key file not found"),
    ],
    ids=["no-key", "missing-key-file"],
)
def test_restore_key_errors(args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(cli, args, input="text", env={"VEIL_KEY_FILE": ""})
    assert result.exit_code == code
    assert message in result.output


def test_restore_refuses_to_overwrite_input(tmp_path: Path, key_file: Path) -> None:
    enc = tmp_path / "in.txt"
    enc.write_text(_encrypt(ORIGINAL, key_file), "utf-8")
    before = enc.read_bytes()
    result = CliRunner().invoke(cli, ["restore", str(enc), "--key", str(key_file), "-o", str(enc)])
    assert result.exit_code == 5
    assert enc.read_bytes() == before


def test_restore_help_has_examples() -> None:
    for name in ("restore", "keygen"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output
