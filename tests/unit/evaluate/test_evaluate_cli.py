"""``veil eval`` through click's CliRunner, scoring prediction files (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from veil.cli import cli

DATA = Path(__file__).resolve().parents[2] / "data" / "eval"
GUM = str(DATA / "gum_small.json")
GUM_PRED = str(DATA / "gum_small.predictions.json")
TAB = str(DATA / "tab_small.json")
TAB_PRED = str(DATA / "tab_small.predictions.json")
# Every name in the gold files; none may be printed without --show-text.
NAMES = [
    "Ada",
    "Lovelace",
    "Charles",
    "Babbage",
    "London",
    "Nothing",
    "John",
    "Smith",
    "Oslo",
    "Anna",
    "Berg",
]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["eval", *args])
    return result.exit_code, result.output


def test_evaluate_cli_table_with_predictions() -> None:
    code, out = _run(GUM, "--predictions", GUM_PRED)
    assert code == 0, out
    person = next(line for line in out.splitlines() if line.startswith("PERSON"))
    # entities 1/2, entity recall 0.500, mention recall 0.750, word precision 0.833, F1 0.625
    assert person.split()[:6] == ["PERSON", "1/2", "0.500", "0.750", "0.833", "0.625"]
    assert "Missed entities (1):" in out and "g1_e2" in out
    assert "False positives (1):" in out


def test_evaluate_cli_json() -> None:
    code, out = _run(TAB, "--predictions", TAB_PRED, "--report-format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["gold_format"] == "tab"
    assert data["tab"]["er_direct"] == 0.5
    assert data["tab"]["token_precision"] == 0.8
    assert {m["entity_id"] for m in data["missed_entities"]} == {"d1_a1_e1", "d1_a1_e3", "d1_a2_e3"}


def test_evaluate_cli_no_merge_counts_duplicates() -> None:
    code, out = _run(TAB, "--predictions", TAB_PRED, "--report-format", "json", "--no-merge")
    assert code == 0, out
    assert json.loads(out)["tab"]["token_precision"] == round(12 / 14, 4)


def test_evaluate_cli_markdown() -> None:
    code, out = _run(GUM, "--predictions", GUM_PRED, "--markdown")
    assert code == 0, out
    assert out.startswith("## veil eval")
    assert "| PERSON | 1/2 | 0.500 | 0.750 | 0.833 | 0.625 |" in out


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"], ids=["table", "json", "markdown"])
def test_evaluate_cli_text_only_with_show_text(fmt: str) -> None:
    for gold, pred in ((GUM, GUM_PRED), (TAB, TAB_PRED)):
        code, out = _run(gold, "--predictions", pred, "--report-format", fmt)
        assert code == 0, out
        assert not [n for n in NAMES if n in out]
    code, out = _run(GUM, "--predictions", GUM_PRED, "--report-format", fmt, "--show-text")
    assert code == 0, out
    assert "Charles Babbage" in out and "Nothing" in out


def test_evaluate_cli_max_errors() -> None:
    code, out = _run(GUM, "--predictions", GUM_PRED, "--max-errors", "0")
    assert code == 0, out
    assert "... 1 more" in out and "g1_e2" not in out


def test_evaluate_cli_output_file(tmp_path: Path) -> None:
    target = tmp_path / "scores.json"
    code, out = _run(GUM, "--predictions", GUM_PRED, "--report-format", "json", "-o", str(target))
    assert code == 0, out
    assert out == ""
    assert json.loads(target.read_text("utf-8"))["documents"] == 2


def test_evaluate_cli_refuses_to_overwrite_input(tmp_path: Path) -> None:
    pred = tmp_path / "p.json"
    pred.write_text(Path(GUM_PRED).read_text("utf-8"), encoding="utf-8")
    code, out = _run(GUM, "--predictions", str(pred), "-o", str(pred))
    assert code == 5, out
    assert json.loads(pred.read_text("utf-8"))["g2"] == [[0, 7, "PERSON"]]


@pytest.mark.parametrize(
    ("content", "code", "match"),
    [
        ('{"d": 1}', 3, "non-empty JSON array"),
        ("[{}]", 3, "cannot tell the gold format"),
        ("not json", 3, "not valid JSON"),
    ],
    ids=["object", "unknown-format", "not-json"],
)
def test_evaluate_cli_bad_gold_exit_code(tmp_path: Path, content: str, code: int, match: str) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(content, encoding="utf-8")
    exit_code, out = _run(str(gold), "--predictions", GUM_PRED)
    assert exit_code == code
    assert match in out


def test_evaluate_cli_predictions_for_unknown_document(tmp_path: Path) -> None:
    pred = tmp_path / "p.json"
    pred.write_text(json.dumps({"elsewhere": [[0, 3]]}), encoding="utf-8")
    exit_code, out = _run(GUM, "--predictions", str(pred))
    assert exit_code == 3
    assert "not in the gold" in out


def test_evaluate_cli_help_has_examples() -> None:
    code, out = _run("--help")
    assert code == 0
    assert "Examples:" in out and "--predictions" in out


@pytest.mark.model
def test_evaluate_cli_runs_pipeline() -> None:
    code, out = _run(GUM, "--labels", "PERSON,LOC,ORG", "--report-format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert {s["label"] for s in data["labels"]} >= {"PERSON", "LOC"}
    assert not [n for n in NAMES if n in out]
