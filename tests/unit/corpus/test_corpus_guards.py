"""Regression tests: what ``run_batch`` must refuse to touch, and inputs it must not crash on."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import fake
import pytest
from click.testing import CliRunner

from veil.cli import cli
from veil.corpus import run_batch
from veil.errors import VeilError, WriteError

SECRET = "Zebulon"


def _jsonl(path: Path, texts: list[str]) -> bytes:
    data = "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)).encode()
    path.write_bytes(data)
    return data


def _run(src: Path, out: Path, **kwargs: Any) -> Any:
    return run_batch(
        src, out, policy=fake.policy(), detectors=[fake.CapsDetector()], progress=False, **kwargs
    )


# -- 1. the work directory ---------------------------------------------------------------------


@pytest.mark.parametrize("restart", [False, True], ids=["run", "restart"])
def test_run_batch_refuses_foreign_nonempty_work_dir(tmp_path: Path, restart: bool) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada."])
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious.txt").write_text("do not delete", encoding="utf-8")
    with pytest.raises(WriteError, match="work"):
        _run(src, tmp_path / "out.jsonl", work_dir=keep, restart=restart)
    assert (keep / "precious.txt").read_text("utf-8") == "do not delete"
    assert not (tmp_path / "out.jsonl").exists()


def test_run_batch_work_dir_marked_then_removed(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada.", "Bye Grace."])
    out = tmp_path / "out.jsonl"
    for work in (tmp_path / "fresh", tmp_path / "empty"):
        if work.name == "empty":
            work.mkdir()
        _run(src, out, work_dir=work, restart=True)
        assert not work.exists()
    assert out.read_text("utf-8").count("<PERSON_1>") == 2


def test_run_batch_resumes_and_restarts_marked_work_dir(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, [f"Hi Ada {i}." for i in range(4)])
    out = tmp_path / "out.jsonl"
    work = tmp_path / "w"
    det = fake.CapsDetector(fail_on="Ada 3")
    with pytest.raises(VeilError):
        run_batch(
            src, out, policy=fake.policy(), detectors=[det], work_dir=work, shard_size=2, progress=False
        )
    assert (work / ".veil-work").is_file()  # left for the resume, marked as Veil's
    (work / "stray.bin").write_bytes(b"x")  # anything inside a marked directory is Veil's to discard
    _run(src, out, work_dir=work, shard_size=2, restart=True)
    assert not work.exists()
    assert len(out.read_text("utf-8").splitlines()) == 4


@pytest.mark.parametrize(
    "where",
    ["input-parent", "output-parent", "is-input-dir", "is-output-dir"],
    ids=["contains-input", "contains-output", "equals-input", "equals-output"],
)
def test_run_batch_refuses_work_dir_overlapping_input_or_output(tmp_path: Path, where: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    if where.startswith("is-"):
        src = data / "in"
        src.mkdir()
        (src / "a.txt").write_text("Hi Ada.", encoding="utf-8")
        out = data / "out"
        work = src if where == "is-input-dir" else out
    else:
        src = data / "in.jsonl"
        _jsonl(src, ["Hi Ada."])
        out = (tmp_path if where == "input-parent" else data) / "out.jsonl"
        work = data if where == "input-parent" else tmp_path / "elsewhere"
        if where == "output-parent":
            src = tmp_path / "in.jsonl"
            _jsonl(src, ["Hi Ada."])
            work = data
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    # Even a work directory that carries the marker may not hold the input or the output.
    if work.exists():
        (work / ".veil-work").write_text("", encoding="utf-8")
        before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    with pytest.raises(WriteError, match="work"):
        _run(src, out, work_dir=work, restart=True)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("which", ["report", "vault"], ids=["report", "vault"])
def test_run_batch_refuses_report_or_vault_inside_work_dir(tmp_path: Path, which: str) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada."])
    work = tmp_path / "w"
    with pytest.raises(WriteError, match="work"):
        _run(src, tmp_path / "out.jsonl", work_dir=work, **{which: work / "kept.file"})
    assert not work.exists()


# -- 2. report, vault and manifest never overwrite the input ------------------------------------


@pytest.mark.parametrize("which", ["report", "vault"], ids=["report", "vault"])
def test_run_batch_refuses_report_or_vault_equal_to_input(tmp_path: Path, which: str) -> None:
    src = tmp_path / "in.jsonl"
    data = _jsonl(src, [f"Hi {SECRET}."])
    with pytest.raises(WriteError, match="input"):
        _run(src, tmp_path / "out.jsonl", **{which: src})
    assert src.read_bytes() == data
    assert not (tmp_path / "out.jsonl").exists()


def test_run_batch_refuses_report_equal_to_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada."])
    out = tmp_path / "out.jsonl"
    with pytest.raises(WriteError, match="report"):
        _run(src, out, report=out)
    assert not out.exists()


def test_run_batch_refuses_manifest_equal_to_input(tmp_path: Path) -> None:
    work = tmp_path / "w"
    work.mkdir()
    (work / ".veil-work").write_text("", encoding="utf-8")
    src = work / "manifest.sqlite"
    data = _jsonl(src, ["Hi Ada."])
    with pytest.raises(WriteError):
        _run(src, tmp_path / "out.jsonl", fmt="jsonl", work_dir=work)
    assert src.read_bytes() == data


def test_batch_cmd_refuses_report_equal_to_input(tmp_path: Path) -> None:
    fake.register()
    src = tmp_path / "in.jsonl"
    data = _jsonl(src, ["write to ada@example.org"])
    policy = tmp_path / "p.toml"
    policy.write_text(
        'labels = ["EMAIL"]\ndefault_operator = "fake_tag"\n[ner]\nenabled = false\n'
        '[detectors]\nenabled = ["patterns"]\n',
        encoding="utf-8",
    )
    args = ["batch", str(src), "-o", str(tmp_path / "o.jsonl"), "-p", str(policy), "--report", str(src)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0 and "refusing to overwrite input" in result.output
    assert src.read_bytes() == data


# -- 3. lone surrogates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "lone", "text": "Hi \\ud800 ' + SECRET + '"}',
        '{"id": "lone", "text": "Hi ' + SECRET + '", "note": "\\udfff"}',
    ],
    ids=["in-text", "in-other-field"],
)
def test_run_batch_lone_surrogate_is_unreadable_record(tmp_path: Path, line: str) -> None:
    src = tmp_path / "in.jsonl"
    ok = json.dumps({"id": "ok", "text": "Hi Ada \U0001f600."})  # a paired surrogate escape is fine
    src.write_text(ok + "\n" + line + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = _run(src, out, id_field="id", on_error="skip")
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["ok"] and "\U0001f600" in rows[0]["text"]
    assert [(s["id"], s["reason"]) for s in summary.skipped] == [
        ("lone", "invalid text (unpaired surrogate)")
    ]
    assert SECRET not in summary.report.read_text("utf-8")
    with pytest.raises(VeilError) as info:
        _run(src, tmp_path / "fail.jsonl", id_field="id", restart=True)
    assert "unpaired surrogate" in str(info.value) and SECRET not in str(info.value)


# -- 4. byte order marks ------------------------------------------------------------------------


def test_run_batch_jsonl_bom_first_line_is_read(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    body = "".join(json.dumps({"id": f"d{i}", "text": f"Hi Ada {i}."}) + "\n" for i in range(2))
    src.write_bytes(b"\xef\xbb\xbf" + body.encode())
    out = tmp_path / "out.jsonl"
    summary = _run(src, out, id_field="id")
    assert summary.written == 2
    assert [json.loads(x)["id"] for x in out.read_text("utf-8").splitlines()] == ["d0", "d1"]


def test_run_batch_csv_bom_with_quoted_header_is_read(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b'\xef\xbb\xbf"id","text"\r\n"d0","Hi Ada."\r\n')
    out = tmp_path / "out.csv"
    _run(src, out, id_field="id")
    with out.open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [["id", "text"], ["d0", "Hi <PERSON_1>."]]
