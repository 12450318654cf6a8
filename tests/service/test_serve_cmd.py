"""``veil serve``: option handling up to the point where uvicorn would start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from veil import service
from veil.cli import cli
from veil.keys import generate_key, write_key_file

TOKEN = "t0ken-for-tests-0123456789"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_serve(settings: service.ServiceSettings, **kwargs: Any) -> None:
        calls.append({"settings": settings, **kwargs})

    monkeypatch.setattr(service, "serve", fake_serve)
    monkeypatch.delenv("VEIL_TOKEN", raising=False)
    return calls


def test_serve_refuses_to_start_without_token(started: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "refusing to start without an API token" in result.output
    assert started == []


def test_serve_token_from_file(started: list[dict[str, Any]], tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    result = CliRunner().invoke(cli, ["serve", "--token-file", str(token_file), "--port", "0"])
    assert result.exit_code == 0, result.output
    (call,) = started
    assert call["settings"].token == TOKEN
    assert call["host"] == "127.0.0.1"
    assert TOKEN not in result.output


def test_serve_token_from_env(started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEIL_TOKEN", TOKEN)
    result = CliRunner().invoke(
        cli, ["serve", "--timeout", "5", "--concurrency", "3", "--max-body-bytes", "4096"]
    )
    assert result.exit_code == 0, result.output
    settings = started[0]["settings"]
    assert (settings.token, settings.timeout, settings.concurrency, settings.max_body_bytes) == (
        TOKEN,
        5,
        3,
        4096,
    )
    assert settings.cors_origins == ()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--token-file", "missing-token-file"], "token file not found"),
        (["--insecure-no-auth", "--preset", "pii", "--policy", "p.toml"], "either --policy or --preset"),
        (["--insecure-no-auth", "--policy", "missing.toml"], "policy file not found"),
        (["--insecure-no-auth", "--cors-origin", "*"], "CORS"),
    ],
    ids=["missing-token-file", "preset-and-policy", "missing-policy", "cors-star"],
)
def test_serve_bad_options_exit_2(started: list[dict[str, Any]], args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert started == []


def test_serve_insecure_no_auth(started: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--insecure-no-auth"])
    assert result.exit_code == 0, result.output
    assert started[0]["settings"].token is None


def test_serve_key_file_enables_restore(started: list[dict[str, Any]], tmp_path: Path) -> None:
    key_file = tmp_path / "veil.key"
    write_key_file(key_file, generate_key())
    result = CliRunner().invoke(cli, ["serve", "--insecure-no-auth", "--key-file", str(key_file)])
    assert result.exit_code == 0, result.output
    settings = started[0]["settings"]
    assert settings.restore_key is not None
    assert set(settings.secrets) == {"encrypt", "hash", "surrogate"}


def test_serve_help_has_examples() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "--token-file" in result.output
