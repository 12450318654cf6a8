from __future__ import annotations

import json
from pathlib import Path

import fake
import pytest
from click.testing import CliRunner

from veil.cli import cli

POLICY = """
labels = ["EMAIL"]
default_operator = "fake_tag"
[ner]
enabled = false
[detectors]
enabled = ["patterns"]
"""


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    fake.register()
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    src = tmp_path / "in.jsonl"
    rows = [
        {"ticket": "t1", "body": "write to ada@example.org", "prio": 1},
        {"ticket": "t2", "body": "or to bob@example.net and ada@example.org", "prio": 2},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows) + "{oops\n", encoding="utf-8")
    return policy, src


def test_batch_cmd_writes_output_report_and_summary(tmp_path: Path, corpus: tuple[Path, Path]) -> None:
    policy, src = corpus
    out = tmp_path / "out.jsonl"
    vault = tmp_path / "v.db"
    args = [
        "batch",
        str(src),
        "-o",
        str(out),
        "-p",
        str(policy),
        "--text-field",
        "body",
        "--id-field",
        "ticket",
        "--on-error",
        "skip",
        "--vault",
        str(vault),
        "--workers",
        "2",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 7, result.output  # finished, but a record was left out
    assert "1 of 3 record(s) left out" in result.output
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["body"] for r in rows] == ["write to <EMAIL_1>", "or to <EMAIL_2> and <EMAIL_1>"]
    assert [r["prio"] for r in rows] == [1, 2]
    assert "3 documents (2 written, 1 skipped" in result.output
    report = json.loads((tmp_path / "out.jsonl.report.json").read_text("utf-8"))
    assert report["skipped"] == [
        {"id": "line 3", "position": "line 3", "reason": "malformed JSON at column 2"}
    ]
    assert "example" not in json.dumps(report)


def test_batch_cmd_fail_exits_with_input_error_code(tmp_path: Path, corpus: tuple[Path, Path]) -> None:
    policy, src = corpus
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["batch", str(src), "-o", str(out), "-p", str(policy), "--text-field", "body"]
    )
    assert result.exit_code == 3
    assert "line 3" in result.output and "example.org" not in result.output
    assert not out.exists()
    # The final summary of a stopped run: what is kept, and how to go on.
    assert "stopped: 0 shard(s), 0 document(s), committed" in result.output
    assert "The same command resumes" in result.output
    small = CliRunner().invoke(
        cli,
        [
            "batch",
            str(src),
            "-o",
            str(tmp_path / "s.jsonl"),
            "-p",
            str(policy),
            "--text-field=body",
            "--shard-size=1",
        ],
    )
    assert small.exit_code == 3 and "stopped: 2 shard(s), 2 document(s), committed" in small.output


def test_batch_cmd_help_has_examples() -> None:
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output and "--on-error" in result.output


def test_batch_hash_operator_needs_key(tmp_path):
    from click.testing import CliRunner

    from veil.cli import cli

    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Dr. Ana Ruiz"}\n', "utf-8")
    res = CliRunner().invoke(
        cli, ["batch", str(src), "-o", str(tmp_path / "out.jsonl"), "--operator", "hash"]
    )
    assert res.exit_code == 2
    assert "need a key" in res.stderr
    assert not (tmp_path / "out.jsonl").exists()
