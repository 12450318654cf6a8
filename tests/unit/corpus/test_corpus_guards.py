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
from veil.errors import ConfigError, VeilError, WriteError

SECRET = "Zebulon"


def _jsonl(path: Path, texts: list[str]) -> bytes:
    data = "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)).encode()
    path.write_bytes(data)
    return data


def _stopped_run(src: Path, out: Path, fail_on: str, **options: Any) -> VeilError:
    """A run that stops with an error at the document containing ``fail_on``."""
    det = fake.CapsDetector(fail_on=fail_on)
    with pytest.raises(VeilError) as info:
        run_batch(src, out, policy=fake.policy(), detectors=[det], progress=False, **options)
    return info.value


# -- 1. the work directory ---------------------------------------------------------------------


@pytest.mark.parametrize("restart", [False, True], ids=["run", "restart"])
def test_run_batch_refuses_foreign_nonempty_work_dir(tmp_path: Path, restart: bool) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada."])
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious.txt").write_text("do not delete", encoding="utf-8")
    with pytest.raises(WriteError, match="work"):
        fake.batch(src, tmp_path / "out.jsonl", work_dir=keep, restart=restart)
    assert (keep / "precious.txt").read_text("utf-8") == "do not delete"
    assert not (tmp_path / "out.jsonl").exists()


def test_run_batch_work_dir_marked_then_removed(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada.", "Bye Grace."])
    out = tmp_path / "out.jsonl"
    for work in (tmp_path / "fresh", tmp_path / "empty"):
        if work.name == "empty":
            work.mkdir()
        fake.batch(src, out, work_dir=work, restart=True)
        assert not work.exists()
    assert out.read_text("utf-8").count("<PERSON_1>") == 2


def test_run_batch_resumes_and_restarts_marked_work_dir(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, [f"Hi Ada {i}." for i in range(4)])
    out = tmp_path / "out.jsonl"
    work = tmp_path / "w"
    _stopped_run(src, out, "Ada 3", work_dir=work, shard_size=2)
    assert (work / ".veil-work").is_file()  # left for the resume, marked as Veil's
    (work / "stray.bin").write_bytes(b"x")  # anything inside a marked directory is Veil's to discard
    fake.batch(src, out, work_dir=work, shard_size=2, restart=True)
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
        fake.batch(src, out, work_dir=work, restart=True)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("which", ["report", "vault"], ids=["report", "vault"])
def test_run_batch_refuses_report_or_vault_inside_work_dir(tmp_path: Path, which: str) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada."])
    work = tmp_path / "w"
    with pytest.raises(WriteError, match="work"):
        fake.batch(src, tmp_path / "out.jsonl", work_dir=work, **{which: work / "kept.file"})
    assert not work.exists()


# -- 2. report, vault and manifest never overwrite the input ------------------------------------


@pytest.mark.parametrize("which", ["report", "vault"], ids=["report", "vault"])
def test_run_batch_refuses_report_or_vault_equal_to_input(tmp_path: Path, which: str) -> None:
    src = tmp_path / "in.jsonl"
    data = _jsonl(src, [f"Hi {SECRET}."])
    with pytest.raises(WriteError, match="input"):
        fake.batch(src, tmp_path / "out.jsonl", **{which: src})
    assert src.read_bytes() == data
    assert not (tmp_path / "out.jsonl").exists()


def test_run_batch_refuses_report_equal_to_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada."])
    out = tmp_path / "out.jsonl"
    with pytest.raises(WriteError, match="report"):
        fake.batch(src, out, report=out)
    assert not out.exists()


def test_run_batch_refuses_manifest_equal_to_input(tmp_path: Path) -> None:
    work = tmp_path / "w"
    work.mkdir()
    (work / ".veil-work").write_text("", encoding="utf-8")
    src = work / "manifest.sqlite"
    data = _jsonl(src, ["Hi Ada."])
    with pytest.raises(WriteError):
        fake.batch(src, tmp_path / "out.jsonl", fmt="jsonl", work_dir=work)
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
    summary = fake.batch(src, out, id_field="id", on_error="skip")
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["ok"] and "\U0001f600" in rows[0]["text"]
    assert [(s["id"], s["reason"]) for s in summary.skipped] == [
        ("lone", "invalid text (unpaired surrogate)")
    ]
    assert SECRET not in summary.report.read_text("utf-8")
    with pytest.raises(VeilError) as info:
        fake.batch(src, tmp_path / "fail.jsonl", id_field="id", restart=True)
    assert "unpaired surrogate" in str(info.value) and SECRET not in str(info.value)


# -- 4. byte order marks ------------------------------------------------------------------------


def test_run_batch_jsonl_bom_first_line_is_read(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    body = "".join(json.dumps({"id": f"d{i}", "text": f"Hi Ada {i}."}) + "\n" for i in range(2))
    src.write_bytes(b"\xef\xbb\xbf" + body.encode())
    out = tmp_path / "out.jsonl"
    summary = fake.batch(src, out, id_field="id")
    assert summary.written == 2
    assert [json.loads(x)["id"] for x in out.read_text("utf-8").splitlines()] == ["d0", "d1"]


def test_run_batch_csv_bom_with_quoted_header_is_read(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b'\xef\xbb\xbf"id","text"\r\n"d0","Hi Ada."\r\n')
    out = tmp_path / "out.csv"
    fake.batch(src, out, id_field="id")
    with out.open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [["id", "text"], ["d0", "Hi <PERSON_1>."]]


# -- 5. inputs and outputs that share a directory -----------------------------------------------


def _txt_tree(root: Path, files: dict[str, str]) -> dict[str, bytes]:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return {rel: (root / rel).read_bytes() for rel in files}


@pytest.mark.parametrize("which", ["report", "vault"])
def test_run_batch_refuses_report_or_vault_inside_input_dir(tmp_path: Path, which: str) -> None:
    src = tmp_path / "in"
    before = _txt_tree(src, {"a.txt": f"Hi {SECRET}.", "b.txt": "Hi Ada."})
    with pytest.raises(WriteError, match="inside the input directory"):
        fake.batch(src, tmp_path / "out", **{which: src / "a.txt"})
    assert {rel: (src / rel).read_bytes() for rel in before} == before


def test_run_batch_refuses_input_dir_inside_output_dir(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = out / "sub"
    before = _txt_tree(src, {"x.txt": "Hi Ada.", "sub/x.txt": f"Hi {SECRET}."})
    with pytest.raises(WriteError, match="input directory must not be inside the output"):
        fake.batch(src, out)
    assert {rel: (src / rel).read_bytes() for rel in before} == before


def test_run_batch_txt_empty_file_is_an_empty_document(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _txt_tree(src, {"a.txt": "Hi Ada.", "empty.txt": "", "blank.txt": " \n"})
    out = tmp_path / "out"
    summary = fake.batch(src, out)
    assert summary.skipped == () and summary.written == 3
    assert (out / "empty.txt").read_bytes() == b"" and (out / "blank.txt").read_bytes() == b" \n"


# -- 6. records the readers must take as they are -----------------------------------------------


def test_run_batch_csv_long_cell_is_a_record(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    long_text = ("Hi Ada. " + "x " * 100_000).strip()
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["id", "text"], ["d0", long_text], ["d1", "Bye Ada."]])
    out = tmp_path / "out.csv"
    summary = fake.batch(src, out, id_field="id", on_error="skip")
    assert summary.skipped == () and summary.written == 2
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][1] == long_text.replace("Ada", "<PERSON_1>") and rows[2] == ["d1", "Bye <PERSON_1>."]


def test_run_batch_jsonl_other_fields_pass_through_exactly(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    fields = '"x": 1e400, "y": 0.10000000000000000001, "z": 12345678901234567890123.5, "n": NaN, "i": -0'
    nested = '"m": {"k": [1.50, -0.0, 7, "s"]}'
    src.write_text(f'{{"id": "d0", "text": "Hi Ada.", {fields}, {nested}}}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    fake.batch(src, out, id_field="id")
    assert out.read_text("utf-8") == (f'{{"id": "d0", "text": "Hi <PERSON_1>.", {fields}, {nested}}}\n')


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("field", ["text_fields", "id_field"])
def test_run_batch_unknown_column_fails_before_any_work(tmp_path: Path, fmt: str, field: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / f"in.{fmt}"
    if fmt == "csv":
        src.write_text("id,text\nd0,Hi Ada.\n", encoding="utf-8")
    else:
        pq.write_table(pa.table({"id": ["d0"], "text": ["Hi Ada."]}), src)
    out = tmp_path / f"out.{fmt}"
    options = {"text_fields": "text", "id_field": "id", field: "nope"}
    with pytest.raises(ConfigError, match="no column 'nope'"):
        fake.batch(src, out, **options)
    assert not out.exists() and not any(tmp_path.glob("*.veil-work"))
    fake.batch(src, out, text_fields="text", id_field="id")  # the corrected command just runs
    assert out.exists()


def test_run_batch_vault_key_without_vault_is_an_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ["Hi Ada."])
    with pytest.raises(ConfigError, match="--vault-key needs --vault"):
        fake.batch(src, tmp_path / "out.jsonl", vault_key=b"k" * 32)


# -- 7. a kill while cleaning up ----------------------------------------------------------------


def test_run_batch_resumes_after_kill_during_cleanup(tmp_path: Path) -> None:
    """A kill while the work directory is being deleted leaves it marked but without its
    manifest (deleted first): the same command then runs again and gives the same output."""
    src = tmp_path / "in.jsonl"
    _jsonl(src, [f"Hi Ada {i}, {SECRET}." for i in range(5)])
    out = tmp_path / "out.jsonl"
    work = tmp_path / "w"
    _stopped_run(src, out, "Ada 4", work_dir=work, shard_size=2)
    for path in work.glob("manifest*"):  # the state a kill after the first deletion leaves
        path.unlink()
    stale = tmp_path / ".out.jsonl.abcd1234.tmp"  # an atomic write the kill interrupted
    stale.write_text("partial", encoding="utf-8")
    keep = tmp_path / ".out.jsonl.mine.tmp"  # not a name Veil makes: not Veil's to delete
    keep.write_text("user file", encoding="utf-8")
    fake.batch(src, out, work_dir=work, shard_size=2)
    reference = tmp_path / "ref.jsonl"
    fake.batch(src, reference, shard_size=2)
    assert out.read_bytes() == reference.read_bytes()
    assert not work.exists() and not stale.exists() and keep.exists()


def test_run_batch_progress_starts_resumed_run_at_finished_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, [f"Hi Ada {i}." for i in range(6)])
    out = tmp_path / "out.jsonl"
    err = _stopped_run(src, out, "Ada 4", shard_size=2)
    assert "stopped: 2 shard(s), 4 document(s)" in " ".join(getattr(err, "__notes__", []))
    capsys.readouterr()
    fake.batch(src, out, shard_size=2, progress=True)
    bar = capsys.readouterr().err
    assert "4/6" in bar and "6/6" in bar and "0/6" not in bar


def test_run_batch_jsonl_deep_nesting_passes_through_or_is_a_bad_record(tmp_path: Path) -> None:
    deep = "[" * 800 + "1.50" + "]" * 800  # deeper than a recursive writer could go
    too_deep = "[" * 100_000 + "]" * 100_000  # deeper than the JSON parser goes
    src = tmp_path / "in.jsonl"
    src.write_text(
        f'{{"id": "a", "text": "Hi Ada.", "x": {deep}}}\n{{"id": "b", "text": "Hi {SECRET}.", "x": {too_deep}}}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    summary = fake.batch(src, out, id_field="id", on_error="skip")
    assert out.read_text("utf-8") == f'{{"id": "a", "text": "Hi <PERSON_1>.", "x": {deep}}}\n'
    assert [(s["position"], s["reason"]) for s in summary.skipped] == [("line 2", "JSON nested too deeply")]


def test_run_batch_releases_vault_when_it_stops_early(tmp_path: Path) -> None:
    """A run refused before its main loop (here: a work directory of another run) must still
    release the vault, or every later run in the process would find it "in use"."""
    src = tmp_path / "in.jsonl"
    _jsonl(src, [f"Hi Ada {i}." for i in range(4)])
    out, vault = tmp_path / "out.jsonl", tmp_path / "v.sqlite"
    _stopped_run(src, out, "Ada 3", vault=vault, shard_size=2)
    with pytest.raises(ConfigError, match="other inputs or options"):
        fake.batch(src, out, vault=vault, shard_size=3)
    fake.batch(src, out, vault=vault, shard_size=3, restart=True)
    assert len(out.read_text("utf-8").splitlines()) == 4
