"""Records a reader must refuse or flag, several text columns, and the BatchJob value."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import fake
import pytest

from veil.corpus import BatchJob, run, run_batch
from veil.errors import ConfigError, InputError, RecordsSkippedError
from veil.failure import PLACEHOLDER

SECRET = "Zebulon"

# issue 12.4: rows 2-4 of this file used to become one record, and its last line was written
# unmasked ("2 documents", exit 0 with --on-error fail).
UNTERMINATED = f'id,text\n1,Ada met Grace\n2,"Ada said\n3,Grace left\n4,{SECRET} Novak\n'


@pytest.mark.parametrize("mode", ["fail", "skip", "mask"])
def test_run_batch_csv_unterminated_quote_fails_in_every_mode(tmp_path: Path, mode: str) -> None:
    src = tmp_path / "in.csv"
    src.write_text(UNTERMINATED, encoding="utf-8")
    out = tmp_path / "out.csv"
    with pytest.raises(InputError, match="malformed CSV at line 3") as info:
        fake.batch(src, out, id_field="id", on_error=mode)
    assert SECRET not in str(info.value)
    assert not out.exists()


def test_run_batch_csv_text_after_closing_quote_fails(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(f'id,text\n1,"Ada"{SECRET}\n2,Grace\n', encoding="utf-8")
    with pytest.raises(InputError, match="malformed CSV at line 2"):
        fake.batch(src, tmp_path / "out.csv", on_error="skip")


# A stray quote closed by a later one: the file parses, but one cell holds three rows.
SWALLOWING = f'id,text\n1,Ada met Grace\n2,"Ada said\n3,Grace left\n4,{SECRET} Novak"\n5,Bye Ada\n'


def test_run_batch_csv_cell_swallowing_rows_is_flagged(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(SWALLOWING, encoding="utf-8")
    out = tmp_path / "out.csv"
    with pytest.raises(InputError, match="line 3") as info:
        fake.batch(src, out, id_field="id")
    assert SECRET not in str(info.value)
    summary = fake.batch(src, out, id_field="id", on_error="skip", restart=True)
    assert [(s["id"], s["position"]) for s in summary.skipped] == [("2", "line 3")]
    assert "look like rows" in summary.skipped[0]["reason"]
    assert out.read_text("utf-8") == "id,text\n1,<PERSON_1> met <PERSON_2>\n5,Bye <PERSON_1>\n"


@pytest.mark.parametrize(
    "cell",
    ["Dear Ada,\nregards, Grace", "Ada wrote:\n\n- 3 apples\n- pears, plums", "Hi\n2 3,x"],
    ids=["letter", "list", "other-shape"],
)
def test_run_batch_csv_multiline_cell_passes(tmp_path: Path, cell: str) -> None:
    src = tmp_path / "in.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["id", "text"], ["1", cell], ["2", "Hi Ada"]])
    summary = fake.batch(src, tmp_path / "out.csv", id_field="id")
    assert summary.written == 2 and not summary.skipped


def test_run_batch_jsonl_duplicate_key_is_a_bad_record(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "text": "Hi Ada."}\n'
        f'{{"id": "b", "text": "Hi Ada.", "text": "Hi {SECRET}."}}\n'
        f'{{"id": "c", "text": "Hi Ada.", "meta": {{"k": "{SECRET}", "k": 1}}}}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    summary = fake.batch(src, out, id_field="id", on_error="skip")
    assert out.read_text("utf-8") == '{"id": "a", "text": "Hi <PERSON_1>."}\n'
    assert [(s["position"], s["reason"]) for s in summary.skipped] == [
        ("line 2", "duplicate key in a JSON object"),
        ("line 3", "duplicate key in a JSON object"),
    ]
    with pytest.raises(InputError, match="line 2"):
        fake.batch(src, out, id_field="id", restart=True)


# -- several text columns -----------------------------------------------------------------------

ROWS = [
    {"id": "r0", "title": "Ada and Grace", "body": "Grace wrote to Ada.", "n": 1},
    {"id": "r1", "title": "Grace", "body": f"{SECRET} met Grace.", "n": 2},
]
EXPECTED = [
    ("<PERSON_1> and <PERSON_2>", "<PERSON_2> wrote to <PERSON_1>."),
    ("<PERSON_1>", "<PERSON_2> met <PERSON_1>."),
]


def _multi(path: Path, fmt: str) -> None:
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
            w.writeheader()
            w.writerows(ROWS)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(ROWS), path)


def _read_multi(path: Path, fmt: str) -> list[tuple[str, str, str]]:
    if fmt == "jsonl":
        rows = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
    elif fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
    return [(r["title"], r["body"], str(r["n"])) for r in rows]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_run_batch_several_text_fields_share_one_numbering_per_record(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / f"in.{fmt}"
    _multi(src, fmt)
    out = tmp_path / f"out.{fmt}"
    summary = fake.batch(src, out, id_field="id", text_fields=("title", "body"))
    assert _read_multi(out, fmt) == [(*e, str(r["n"])) for e, r in zip(EXPECTED, ROWS, strict=True)]
    assert summary.documents == 2 and summary.mentions == 7
    assert summary.chars == sum(len(r["title"]) + len(r["body"]) for r in ROWS)  # type: ignore[arg-type]


def test_run_batch_several_text_fields_mask_and_missing_column(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "title": "Hi Ada", "body": f"{SECRET} breaks it"},
        {"id": "b", "title": "Hi Ada"},
        {"id": "c", "title": "Bye Ada", "body": "Bye Grace"},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = run_batch(
        src,
        out,
        policy=fake.policy(),
        detectors=[fake.CapsDetector(fail_on=SECRET)],
        id_field="id",
        text_fields=["title", "body"],
        on_error="mask",
        progress=False,
    )
    got = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert got == [
        {"id": "a", "title": PLACEHOLDER, "body": PLACEHOLDER},  # veil.failure: one placeholder everywhere
        {"id": "c", "title": "Bye <PERSON_1>", "body": "Bye <PERSON_2>"},
    ]
    assert [s["reason"] for s in summary.skipped] == ["missing text field 'body'"]
    with pytest.raises(RecordsSkippedError) as info:
        summary.raise_for_skipped()
    assert info.value.exit_code == 7 and "1 of 3" in str(info.value)


# -- the job value ----------------------------------------------------------------------------------


def test_batch_job_normalises_and_hides_secrets(tmp_path: Path) -> None:
    job = BatchJob(
        str(tmp_path / "in.jsonl"),
        "out.jsonl",
        text_fields="body",
        vault="v.db",
        vault_key=b"k" * 32,
        secrets={"encrypt": {"key": SECRET}},
    )
    assert job.text_fields == ("body",) and job.vault == Path("v.db") and job.source.name == "in.jsonl"
    assert SECRET not in repr(job) and "kkkk" not in repr(job)
    with pytest.raises(AttributeError):
        job.workers = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"text_fields": ()}, "at least one"),
        ({"text_fields": ("a", "a")}, "more than once"),
        ({"text_fields": ("text",), "id_field": "text"}, "id-field"),
        ({"workers": 0}, "workers"),
        ({"shard_size": 0}, "shard-size"),
        ({"on_error": "ignore"}, "on-error"),
        ({"fmt": "xml"}, "unknown format"),
        ({"vault_key": b"k" * 32}, "vault-key needs"),
    ],
    ids=["no-field", "repeated", "id-is-text", "workers", "shard", "on-error", "format", "vault-key"],
)
def test_batch_job_refuses_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        BatchJob("in.jsonl", "out.jsonl", **options)  # type: ignore[arg-type]


def test_run_takes_a_job(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Hi Ada."}\n', encoding="utf-8")
    job = BatchJob(
        src, tmp_path / "out.jsonl", policy=fake.policy(), detectors=[fake.CapsDetector()], progress=False
    )
    assert run(job).written == 1
    assert (tmp_path / "out.jsonl").read_text("utf-8") == '{"text": "Hi <PERSON_1>."}\n'


def test_corpus_public_names_and_format_table() -> None:
    import veil.corpus as corpus

    assert all(hasattr(corpus, name) for name in corpus.__all__)
    assert not [n for n in corpus.__all__ if n.startswith("_")]
    assert corpus.FORMATS == ("txt", "jsonl", "csv", "parquet")
    for name, row in corpus.FORMAT_TABLE.items():
        assert row.name == name and isinstance(row, corpus.CorpusFormat)
        for ext in row.extensions:
            assert corpus.detect_format(f"x{ext.upper()}") == name
