"""``veil redact`` / ``veil detect`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from veil.cli import cli

pytestmark = pytest.mark.model

TEXT = "Dr. Ana Kowalczyk met reporters. Kowalczyk's email is ana.k@example.org.\n"


@pytest.fixture
def runner():
    return CliRunner()


def test_redact_stdin_to_stdout_pseudonyms(runner):
    res = runner.invoke(cli, ["redact"], input=TEXT)
    assert res.exit_code == 0, res.output
    assert "Kowalczyk" not in res.stdout and "ana.k@example.org" not in res.stdout
    assert res.stdout.count("[PERSON_1]") == 2 and "[EMAIL_1]" in res.stdout


def test_redact_file_with_report_without_text(runner, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(TEXT, "utf-8")
    out, rep = tmp_path / "out.txt", tmp_path / "report.json"
    res = runner.invoke(
        cli,
        ["redact", str(src), "-o", str(out), "--report", str(rep), "--operator", "redact", "--token", "XXX"],
    )
    assert res.exit_code == 0, res.output
    assert out.read_text("utf-8").count("XXX") == 3
    report = rep.read_text("utf-8")
    assert "Kowalczyk" not in report and "example.org" not in report
    doc = json.loads(report)["documents"][0]
    person = next(e for e in doc["entities"] if e["label"] == "PERSON")
    assert len(person["mentions"]) == 2 and person["operator"] == "redact" and "ner" in person["detectors"]


def test_redact_report_include_text_is_explicit(runner, tmp_path):
    rep = tmp_path / "r.json"
    res = runner.invoke(cli, ["redact", "--report", str(rep), "--include-text"], input=TEXT)
    assert res.exit_code == 0
    assert "Kowalczyk" in rep.read_text("utf-8")


def test_redact_refuses_to_overwrite_input(runner, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(TEXT, "utf-8")
    res = runner.invoke(cli, ["redact", str(src), "-o", str(src)])
    assert res.exit_code == 5
    assert src.read_text("utf-8") == TEXT


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [(b"", "empty", 3), (b"\x00\x01binary", "binary", 3), (b"caf\xe9 au lait", "not valid UTF-8", 3)],
    ids=["empty", "binary", "latin1"],
)
def test_redact_bad_input_clear_error(runner, tmp_path, content, message, code):
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    out = tmp_path / "out.txt"
    res = runner.invoke(cli, ["redact", str(src), "-o", str(out)])
    assert res.exit_code == code
    assert message in res.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "missing.toml"], "policy file not found"),
        (["--labels", "PERSON,WIZARD"], "unknown label"),
        (["--operator", "hash"], "need a key"),
    ],
    ids=["missing-policy", "unknown-label", "hash-without-key"],
)
def test_redact_config_errors_exit_2(runner, args, message):
    res = runner.invoke(cli, ["redact", *args], input=TEXT)
    assert res.exit_code == 2
    assert message in res.stderr
    assert "Kowalczyk" not in res.stdout


def test_redact_unknown_operator_rejected_by_cli(runner):
    res = runner.invoke(cli, ["redact", "--operator", "shred"], input=TEXT)
    assert res.exit_code == 2 and "Kowalczyk" not in res.stdout


def test_redact_failure_mask_writes_placeholder_and_fails(runner, tmp_path, monkeypatch):
    from veil.pipeline import Pipeline

    def boom(self, doc, precomputed=None):
        raise RuntimeError("detector exploded")

    monkeypatch.setattr(Pipeline, "_detect", boom)
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text(TEXT, "utf-8")
    res = runner.invoke(cli, ["redact", str(src), "-o", str(out), "--on-error", "mask"])
    assert res.exit_code == 4
    assert "Kowalczyk" not in out.read_text("utf-8")
    assert "withheld" in out.read_text("utf-8")
    res = runner.invoke(cli, ["redact", str(src), "-o", str(tmp_path / "o2.txt")])
    assert res.exit_code == 4 and not (tmp_path / "o2.txt").exists()
    assert "Kowalczyk" not in res.output


def test_redact_allow_and_deny_lists(runner):
    res = runner.invoke(
        cli,
        ["redact", "--allow", "Ana Kowalczyk", "--deny", "Project Nightingale"],
        input=TEXT + "Project Nightingale starts.\n",
    )
    assert res.exit_code == 0
    assert "Kowalczyk" in res.stdout and "Nightingale" not in res.stdout


def test_detect_lists_entities_without_text_by_default(runner):
    res = runner.invoke(cli, ["detect", "--labels", "PERSON"], input=TEXT)
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data[0]["entities"][0]["label"] == "PERSON" and "Kowalczyk" not in res.stdout


def test_help_has_examples(runner):
    res = runner.invoke(cli, ["redact", "--help"])
    assert res.exit_code == 0 and "Examples:" in res.output


def test_redact_deny_list_masks_even_outside_labels(runner):
    res = runner.invoke(
        cli,
        ["redact", "--labels", "PERSON", "--deny", "Project Nightingale"],
        input="Project Nightingale starts.\n",
    )
    assert res.exit_code == 0
    assert "Nightingale" not in res.stdout


def test_redact_audit_withholds_risky_output(runner, tmp_path):
    text = "The mayor of Kherson said the city was calm. Dmytro Vasylenko, 71, agreed.\n"
    out, rep = tmp_path / "o.txt", tmp_path / "r.json"
    res = runner.invoke(
        cli, ["redact", "--audit", "--max-risk", "low", "-o", str(out), "--report", str(rep)], input=text
    )
    assert res.exit_code == 6
    assert not out.exists()
    assert json.loads(rep.read_text("utf-8"))["documents"][0]["status"] == "failed"
    res = runner.invoke(cli, ["redact", "--audit", "--max-risk", "high", "-o", str(out)], input=text)
    assert res.exit_code == 0 and "Vasylenko" not in out.read_text("utf-8")


def test_redact_allow_list_does_not_unmask_a_longer_name(runner):
    text = "Dr. Ellen Washington spoke. Later, Washington left.\n"
    res = runner.invoke(cli, ["redact", "--labels", "PERSON", "--allow", "Washington"], input=text)
    assert res.exit_code == 0
    assert "Washington" not in res.stdout


def test_pipeline_timeout_outside_main_thread_is_config_error():
    import threading

    from veil.errors import ConfigError
    from veil.pipeline import Pipeline

    pipe = Pipeline("pii", detectors=[], timeout=1.0)
    caught: list[BaseException] = []

    def run():
        try:
            pipe.redact("Ana Ruiz", "t")
        except BaseException as exc:
            caught.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert len(caught) == 1 and isinstance(caught[0], ConfigError)


def test_redact_unknown_model_is_clear_config_error(runner):
    res = runner.invoke(cli, ["redact", "--model", "no_such_spacy_model_xyz"], input=TEXT)
    assert res.exit_code == 2
    assert "not installed" in res.stderr and "Kowalczyk" not in res.stdout
