"""``veil audit`` through click's CliRunner. The analyzer is faked except in the model test."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from veil.cli import cli
from veil.model import Document, Entity, Label, Span

LEAKY = '"No," Finance Minister XXX said.\nBrandt said the budget was final.\n'
CLEAN = "The council met on Tuesday to discuss the budget.\n"


class _Fake:
    def analyze(self, text: str, doc_id: str = "doc") -> Document:
        mentions = tuple(Span(m.start(), m.end(), Label.PERSON, "fake") for m in re.finditer("Brandt", text))
        ents = (Entity("p", Label.PERSON, mentions),) if mentions else ()
        return Document(doc_id, text, mentions, ents)


@pytest.fixture(autouse=True)
def fake_pipeline(request, monkeypatch):
    if "model" not in request.keywords:
        monkeypatch.setattr("veil.audit._pipeline_for", lambda policy: _Fake())


@pytest.fixture
def files(tmp_path):
    leaky = tmp_path / "leaky.txt"
    leaky.write_text(LEAKY, "utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, "utf-8")
    return leaky, clean


def test_audit_cli_json_schema(files):
    leaky, clean = files
    res = CliRunner().invoke(cli, ["audit", str(leaky), str(clean), "--report-format", "json"])
    assert res.exit_code == 6, res.output  # a high-risk document fails by default
    data = json.loads(res.stdout)
    assert data["schema_version"] == "1.0"
    assert data["summary"]["documents_by_risk"] == {"low": 1, "medium": 0, "high": 1}
    assert [d["risk"] for d in data["documents"]] == ["high", "low"]
    assert "Brandt" not in res.output


def test_audit_cli_text_view_hides_text_unless_asked(files):
    leaky, _ = files
    plain = CliRunner().invoke(cli, ["audit", str(leaky), "--max-risk", "high"])
    assert plain.exit_code == 0
    assert "linked leak" in plain.output and "Brandt" not in plain.output
    shown = CliRunner().invoke(cli, ["audit", str(leaky), "--show-text"])
    assert "»Brandt« said" in shown.output


def test_audit_cli_stdin():
    res = CliRunner().invoke(cli, ["audit", "--json", "--max-risk", "high"], input=LEAKY)
    assert res.exit_code == 0
    assert json.loads(res.output)["documents"][0]["doc_id"] == "stdin"


def test_audit_cli_writes_html_and_output(files, tmp_path):
    leaky, _ = files
    html_path, out = tmp_path / "r.html", tmp_path / "r.json"
    res = CliRunner().invoke(
        cli, ["audit", str(leaky), "--report-format", "json", "-o", str(out), "--html", str(html_path)]
    )
    assert res.exit_code == 6, res.output  # written first, then the exit code says "high risk"
    assert json.loads(out.read_text("utf-8"))["summary"]["risk"] == "high"
    page = html_path.read_text("utf-8")
    assert "<mark class='linked_leak" in page and "Brandt" not in page


@pytest.mark.parametrize(
    ("limit", "code"), [("high", 0), ("medium", 6), ("low", 6)], ids=["high-ok", "medium-fails", "low-fails"]
)
def test_audit_cli_max_risk_exit_code(files, limit, code):
    leaky, _ = files
    res = CliRunner().invoke(cli, ["audit", str(leaky), "--max-risk", limit])
    assert res.exit_code == code


def test_audit_cli_high_risk_fails_by_default(files):
    leaky, clean = files
    assert CliRunner().invoke(cli, ["audit", str(leaky)]).exit_code == 6
    assert CliRunner().invoke(cli, ["audit", str(clean)]).exit_code == 0


@pytest.mark.parametrize("style", ["json", "text"], ids=["json", "text"])
def test_audit_cli_format_is_not_the_report_format(files, style):
    leaky, _ = files
    res = CliRunner().invoke(cli, ["audit", str(leaky), "--format", style])
    assert res.exit_code == 2
    assert f"--report-format {style}" in res.output


def test_audit_cli_refuses_to_overwrite_input(files):
    leaky, _ = files
    res = CliRunner().invoke(cli, ["audit", str(leaky), "-o", str(leaky)])
    assert res.exit_code == 5
    assert leaky.read_text("utf-8") == LEAKY


def test_audit_cli_bad_mask_pattern_is_config_error(files):
    leaky, _ = files
    res = CliRunner().invoke(cli, ["audit", str(leaky), "--mask-pattern", "(oops"])
    assert res.exit_code == 2


def test_audit_cli_custom_mask_pattern(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("Agent ##NAME## said the base would close.\n", "utf-8")
    res = CliRunner().invoke(
        cli, ["audit", str(doc), "--report-format", "json", "--mask-pattern", r"##(?P<label>[A-Z]+)##"]
    )
    assert json.loads(res.output)["documents"][0]["masks"] == {"count": 1, "styles": {"custom_1": 1}}


def test_audit_cli_missing_file_is_input_error(tmp_path):
    res = CliRunner().invoke(cli, ["audit", str(tmp_path / "nope.txt")])
    assert res.exit_code == 3


@pytest.mark.model
def test_audit_cli_seed_article(seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, "utf-8")
    res = CliRunner().invoke(cli, ["audit", str(path), "--report-format", "json"])
    assert res.exit_code == 6, res.output
    doc = json.loads(res.stdout)["documents"][0]
    assert doc["risk"] == "high"
    assert doc["counts"]["linked_leak"] == 3
