"""``veil redact`` has a default per-document time limit that fails closed (issue 12, item 3)."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

import veil.pipeline
from veil.cli import cli

pytestmark = pytest.mark.model

TEXT = "Dr. Ana Kowalczyk met reporters.\n"


def _slow_view(text: str) -> veil.pipeline.TextView:
    time.sleep(2.0)
    return veil.textview.view_of(text)


def test_redact_default_timeout_fails_closed(tmp_path, monkeypatch):
    monkeypatch.setattr(veil.pipeline, "DEFAULT_TIMEOUT", 0.2)
    monkeypatch.setattr(veil.pipeline, "view_of", _slow_view)
    out = tmp_path / "out.txt"
    res = CliRunner().invoke(cli, ["redact", "--labels", "PERSON", "-o", str(out)], input=TEXT)
    assert res.exit_code == 4
    assert "timed out" in res.stderr and "Kowalczyk" not in res.stderr
    assert not out.exists()


def test_redact_explicit_timeout_replaces_default(tmp_path, monkeypatch):
    monkeypatch.setattr(veil.pipeline, "DEFAULT_TIMEOUT", 0.2)
    monkeypatch.setattr(veil.pipeline, "view_of", _slow_view)
    res = CliRunner().invoke(cli, ["redact", "--labels", "PERSON", "--timeout", "60"], input=TEXT)
    assert res.exit_code == 0, res.output
    assert "Kowalczyk" not in res.stdout


def test_redact_negative_timeout_is_config_error():
    res = CliRunner().invoke(cli, ["redact", "--timeout", "-1"], input=TEXT)
    assert res.exit_code == 2


def test_pipeline_timeout_grows_with_length(monkeypatch):
    seen: list[float | None] = []
    real = veil.pipeline._deadline

    def spy(seconds, doc_id):
        seen.append(seconds)
        return real(seconds, doc_id)

    monkeypatch.setattr(veil.pipeline, "_deadline", spy)
    pipe = veil.pipeline.Pipeline("pii", detectors=[], timeout=10.0, timeout_per_mb=20.0)
    pipe.analyze("a" * 500_000, "t")
    assert seen == [pytest.approx(10.0 + 20.0 * 0.5)]
