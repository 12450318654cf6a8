from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import fake
import pytest

from veil.corpus import detect_format, read_shards, run_batch
from veil.errors import ConfigError, InputError, ProcessingError, WriteError
from veil.failure import PLACEHOLDER

SECRET = "Zebulon"  # a name that must never reach an output, error or report unmasked


def _texts(n: int) -> list[str]:
    return [f"Dear Ada, doc {i} mentions Grace and {SECRET}.\nBye Ada." for i in range(n)]


def _write_jsonl(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": f"d{i}", "text": t, "n": i, "tags": ["a", i]}) + "\n")


def _write_csv(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "n"])
        for i, t in enumerate(texts):
            w.writerow([f"d{i}", t, i])


def _write_parquet(path: Path, texts: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": [f"d{i}" for i in range(len(texts))],
            "text": texts,
            "n": pa.array(range(len(texts)), pa.int32()),
        }
    )
    pq.write_table(table, path)


def _write_txt(path: Path, texts: list[str]) -> None:
    for i, t in enumerate(texts):
        sub = path / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc{i:03d}.txt").write_text(t, encoding="utf-8")


def _read_output(path: Path, fmt: str) -> list[tuple[str, str, str]]:
    """(id, text, other) per output record, in order."""
    if fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        return [(r["id"], r["text"], json.dumps([r["n"], r["tags"]])) for r in rows]
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return [(r["id"], r["text"], r["n"]) for r in csv.DictReader(fh)]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        t = pq.read_table(path)
        assert str(t.schema.field("n").type) == "int32"
        return list(
            zip(t["id"].to_pylist(), t["text"].to_pylist(), map(str, t["n"].to_pylist()), strict=True)
        )
    files = sorted(p for p in path.rglob("*.txt"))
    return [(p.relative_to(path).as_posix(), p.read_text("utf-8"), "") for p in files]


WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet, "txt": _write_txt}
SUFFIX = {"jsonl": "in.jsonl", "csv": "in.csv", "parquet": "in.parquet", "txt": "in"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "txt"], ids=["jsonl", "csv", "parquet", "txt"])
def test_run_batch_redacts_each_format_and_mirrors_layout(tmp_path: Path, fmt: str) -> None:
    texts = _texts(23)
    src = tmp_path / SUFFIX[fmt]
    WRITERS[fmt](src, texts)
    assert detect_format(src) == fmt
    out = tmp_path / ("out" if fmt == "txt" else f"out.{fmt}")
    summary = fake.batch(src, out, id_field=None if fmt == "txt" else "id", shard_size=5)
    rows = _read_output(out, fmt)
    assert len(rows) == len(texts) == summary.documents == summary.written
    for row in rows:
        assert SECRET not in row[1] and "Ada" not in row[1]
        assert "<PERSON_1>" in row[1]
        assert " doc " in row[1] and " mentions " in row[1]  # text outside spans untouched
    if fmt == "txt":
        assert rows[0][0] == "a/doc001.txt"
    else:
        assert [r[0] for r in rows] == [f"d{i}" for i in range(len(texts))]
        assert [r[2] for r in rows][:1] in (['[0, ["a", 0]]'], ["0"])
    report = json.loads(summary.report.read_text("utf-8"))
    assert report["documents"] == len(texts)
    assert report["entity_counts"] == {"PERSON": 4 * len(texts)}
    assert SECRET not in summary.report.read_text("utf-8")
    assert not (tmp_path / f"{out.name}.veil-work").exists()


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "txt"], ids=["jsonl", "parquet", "txt"])
def test_run_batch_workers_match_single_process(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / SUFFIX[fmt]
    WRITERS[fmt](src, _texts(31))
    outs = []
    for workers in (1, 2):
        out = tmp_path / (f"out{workers}" if fmt == "txt" else f"out{workers}.{fmt}")
        fake.batch(src, out, workers=workers, vault=tmp_path / f"v{workers}.db", shard_size=4)
        outs.append(_read_output(out, fmt))
    assert outs[0] == outs[1]


def _bad_jsonl(path: Path) -> None:
    good = json.dumps({"id": "ok1", "text": f"Hi {SECRET}."})
    lines = [
        good.encode(),
        f'{{"id": "broken", "text": "{SECRET} unterminated'.encode(),
        json.dumps({"id": "notext", "body": SECRET}).encode(),
        b'{"id": "badutf", "text": "' + SECRET.encode() + b'\xff\xfe"}',
        json.dumps({"id": "num", "text": 12}).encode(),
        json.dumps({"id": "ok2", "text": f"Bye {SECRET}."}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_run_batch_fail_names_record_without_text(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    _bad_jsonl(src)
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError) as info:
        fake.batch(src, out, id_field="id")
    assert "line 2" in str(info.value) and "malformed JSON" in str(info.value)
    assert SECRET not in str(info.value)
    assert not out.exists()


@pytest.mark.parametrize("mode", ["skip", "mask"], ids=["skip", "mask"])
def test_run_batch_bad_records_listed_never_written(tmp_path: Path, mode: str) -> None:
    src = tmp_path / "bad.jsonl"
    _bad_jsonl(src)
    out = tmp_path / "out.jsonl"
    summary = run_batch(
        src,
        out,
        policy=fake.policy(),
        detectors=[fake.CapsDetector()],
        id_field="id",
        on_error=mode,  # type: ignore[arg-type]
        progress=False,
    )
    data = out.read_bytes()
    assert SECRET.encode() not in data
    assert [json.loads(x)["id"] for x in data.decode().splitlines()] == ["ok1", "ok2"]
    report = summary.report.read_text("utf-8")
    assert SECRET not in report
    listed = {(s["position"], s["reason"].split(" ")[0]) for s in json.loads(report)["skipped"]}
    assert listed == {
        ("line 2", "malformed"),
        ("line 3", "missing"),
        ("line 4", "invalid"),
        ("line 5", "text"),
    }


def test_run_batch_mask_replaces_failed_document_whole(tmp_path: Path) -> None:
    texts = ["Ada is fine.", f"Ada and {SECRET} break the detector.", "Grace is fine."]
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, texts)
    out = tmp_path / "out.jsonl"
    det = fake.CapsDetector(fail_on=SECRET)
    for mode, expected in [("mask", PLACEHOLDER), ("skip", None)]:
        summary = run_batch(
            src,
            out,
            policy=fake.policy(),
            detectors=[det],
            id_field="id",
            on_error=mode,  # type: ignore[arg-type]
            shard_size=2,
            progress=False,
        )
        rows = {r["id"]: r["text"] for r in map(json.loads, out.read_text("utf-8").splitlines())}
        assert rows.get("d1") == expected
        assert rows["d0"] == "<PERSON_1> is fine."
        assert SECRET not in out.read_text("utf-8") + summary.report.read_text("utf-8")
    with pytest.raises(ProcessingError) as info:
        run_batch(
            src, out, policy=fake.policy(), detectors=[det], id_field="id", progress=False, restart=True
        )
    assert info.value.doc_id == "d1" and SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("fmt", "content", "where"),
    [
        ("csv", b"id,text\nd0,Hi Ada\nd1,Hi \xff" + SECRET.encode() + b"\nd2,Bye Ada\n", "line 3"),
        ("csv", b"id,text\nd0,Hi Ada\nd1,Hi," + SECRET.encode() + b"\nd2,Bye Ada\n", "line 3"),
    ],
    ids=["csv-invalid-utf8", "csv-extra-field"],
)
def test_run_batch_csv_bad_rows_skipped(tmp_path: Path, fmt: str, content: bytes, where: str) -> None:
    src = tmp_path / f"in.{fmt}"
    src.write_bytes(content)
    out = tmp_path / f"out.{fmt}"
    summary = fake.batch(src, out, id_field="id", on_error="skip")
    assert out.read_text("utf-8") == "id,text\nd0,Hi <PERSON_1>\nd2,Bye <PERSON_1>\n"
    assert [s["position"] for s in summary.skipped] == [where]


def test_run_batch_txt_invalid_utf8_skipped(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Hi Ada.", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"Hi " + SECRET.encode() + b"\xff")
    out = tmp_path / "out"
    summary = fake.batch(src, out, on_error="mask")
    assert sorted(p.name for p in out.iterdir()) == ["good.txt"]
    assert summary.skipped[0]["id"] == "bad.txt" and "UTF-8" in summary.skipped[0]["reason"]


def _parquet_with_bad_utf8(path: Path, *, bad_id: bool = False) -> None:
    """Rows d0..d2; row 2's text (and, with ``bad_id``, its id) is not valid UTF-8. Arrow
    does not check string bytes when a binary array is viewed as strings, so such files
    exist in the wild."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [b"Hi Ada", b"Hi \xff" + SECRET.encode(), b"Bye Ada"]
    ids = [b"d0", b"d\xfe1" if bad_id else b"d1", b"d2"]
    table = pa.table(
        {
            "id": pa.array(ids, pa.binary()).view(pa.string()),
            "text": pa.array(texts, pa.binary()).view(pa.string()),
        }
    )
    pq.write_table(table, path)


@pytest.mark.parametrize("bad_id", [False, True], ids=["text", "text-and-id"])
def test_run_batch_parquet_invalid_utf8_row_skipped(tmp_path: Path, bad_id: bool) -> None:
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    _parquet_with_bad_utf8(src, bad_id=bad_id)
    out = tmp_path / "out.parquet"
    summary = fake.batch(src, out, id_field="id", on_error="skip")
    table = pq.read_table(out)
    assert table["id"].to_pylist() == ["d0", "d2"]
    assert table["text"].to_pylist() == ["Hi <PERSON_1>", "Bye <PERSON_1>"]
    assert [(s["position"], s["reason"]) for s in summary.skipped] == [("row 2", "invalid UTF-8")]
    assert summary.skipped[0]["id"] == ("row 2" if bad_id else "d1")
    for f in tmp_path.rglob("*"):
        if f.is_file() and f != src:
            assert SECRET.encode() not in f.read_bytes(), f.name


def test_run_batch_parquet_invalid_utf8_fail_names_row(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    _parquet_with_bad_utf8(src)
    out = tmp_path / "out.parquet"
    with pytest.raises(InputError) as err:
        fake.batch(src, out, id_field="id", on_error="fail")
    assert "row 2" in str(err.value) and "UTF-8" in str(err.value) and SECRET not in str(err.value)
    assert not out.exists()


def test_run_batch_refuses_to_overwrite_input(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _texts(2))
    with pytest.raises(WriteError):
        fake.batch(src, src)


def test_run_batch_changed_input_refuses_to_resume(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [*_texts(3), "x"])
    src.write_bytes(src.read_bytes() + b"{broken\n")
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError):
        fake.batch(src, out, shard_size=2)
    _write_jsonl(src, _texts(5))
    with pytest.raises(ConfigError, match="restart"):
        fake.batch(src, out, shard_size=2)
    fake.batch(src, out, shard_size=2, restart=True)
    assert len(out.read_text("utf-8").splitlines()) == 5


def test_read_shards_keeps_order_and_size(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _texts(7))
    shards = list(read_shards(src, "jsonl", id_field="id", shard_size=3))
    assert [len(s.records) for s in shards] == [3, 3, 1]
    assert [r.id for s in shards for r in s.records] == [f"d{i}" for i in range(7)]
    assert SECRET not in repr(shards[0].records[0])


def test_run_batch_vault_same_pseudonym_across_runs(tmp_path: Path) -> None:
    vault = tmp_path / "corpus.vault"
    first = tmp_path / "first.jsonl"
    _write_jsonl(first, ["Ada wrote.", f"{SECRET} replied to Ada."])
    second = tmp_path / "second.jsonl"
    _write_jsonl(second, [f"Grace met {SECRET}.", "Ada left."])
    for src in (first, second):
        fake.batch(src, src.with_suffix(".out.jsonl"), vault=vault)
    a = [json.loads(x)["text"] for x in first.with_suffix(".out.jsonl").read_text("utf-8").splitlines()]
    b = [json.loads(x)["text"] for x in second.with_suffix(".out.jsonl").read_text("utf-8").splitlines()]
    ada = a[0].removesuffix(" wrote.")
    secret, ada_again = a[1].removesuffix(".").split(" replied to ")
    grace, secret_again = b[0].removesuffix(".").split(" met ")
    assert ada == ada_again == b[1].removesuffix(" left.")
    assert secret == secret_again
    assert len({ada, secret, grace}) == 3
    assert SECRET.encode() not in vault.read_bytes() and SECRET.lower().encode() not in vault.read_bytes()


def _committed(manifest: Path) -> int:
    try:
        with sqlite3.connect(f"file:{manifest}?mode=ro", uri=True, timeout=0.1) as db:
            return int(db.execute("SELECT COUNT(*) FROM shards").fetchone()[0])
    except sqlite3.Error:
        return 0


def _run_fake(src: Path, out: Path, vault: Path, workers: int, delay: float) -> subprocess.Popen[bytes]:
    here = Path(fake.__file__).parent
    code = f"import sys; sys.path.insert(0, {str(here)!r}); import fake; fake.main(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(src), str(out), str(vault), str(workers), str(delay)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("workers", [1, 2], ids=["workers1", "workers2"])
def test_run_batch_sigkill_then_resume_is_byte_identical(tmp_path: Path, workers: int) -> None:
    texts = [f"Doc {i}: Ada met Pe{chr(97 + i % 26)} and Na{chr(97 + i % 7)} then Grace." for i in range(120)]
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, texts)
    # Reference: one uninterrupted run.
    ref = tmp_path / "ref.jsonl"
    proc = _run_fake(src, ref, tmp_path / "ref.vault", workers, 0.0)
    assert proc.wait(60) == 0, proc.stderr.read() if proc.stderr else ""
    # Interrupted: SIGKILL at several points, then finish with the same command.
    out = tmp_path / "out.jsonl"
    vault = tmp_path / "out.vault"
    manifest = tmp_path / "out.jsonl.veil-work" / "manifest.sqlite"
    kills = 0
    for target in (1, 4, 7, 10):
        proc = _run_fake(src, out, vault, workers, 0.01)
        deadline = time.monotonic() + 30
        while _committed(manifest) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(30)
        if proc.stderr:
            proc.stderr.close()
    assert kills >= 2
    proc = _run_fake(src, out, vault, workers, 0.0)
    assert proc.wait(60) == 0
    assert out.read_bytes() == ref.read_bytes()
    assert len(out.read_text("utf-8").splitlines()) == len(texts)
    report = json.loads(Path(f"{out}.report.json").read_text("utf-8"))
    assert report["documents"] == len(texts) and report["this_run"]["resumed_shards"] > 0
