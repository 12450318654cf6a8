from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from veil.config import preset
from veil.errors import ProcessingError
from veil.vault import KeyedNumbers

pytestmark = [
    pytest.mark.spark,
    pytest.mark.model,
    # pyspark 4.x warns about pandas 3 on every mapInPandas; nothing Veil can act on.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

KEY = b"spark-test-key-0123456789abcdef!"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pyspark_sql = pytest.importorskip("pyspark.sql")
    # Local Python workers must run this interpreter (the one Veil is installed in).
    previous = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("veil-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()
    if previous is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = previous


def _docs(n: int) -> list[tuple[str, str]]:
    from conftest import GUM_DEV, shared_file

    data = json.loads(shared_file(GUM_DEV).read_text("utf-8"))
    return [(d["id"], d["text"][:1500]) for d in data[:n]]


def test_redact_dataframe_matches_single_process(spark: Any) -> None:
    from veil.pipeline import Pipeline
    from veil.spark import redact_dataframe

    docs = _docs(8)
    # Shared surnames across rows so corpus-wide consistency is exercised.
    docs.append(("extra-1", "Claire Warwick met Andrew Beresford in Durham."))
    docs.append(("extra-2", "Andrew Beresford said that Claire Warwick was right."))
    df = spark.createDataFrame(docs, ["doc_id", "text"]).repartition(2)
    out = redact_dataframe(
        df, "text", policy=preset("pii"), key=KEY, output_col="redacted", id_col="doc_id", keep_original=True
    )
    got = {r["doc_id"]: (r["text"], r["redacted"]) for r in out.collect()}

    pipe = Pipeline(preset("pii"))
    assert len(got) == len(docs)
    for doc_id, text in docs:
        expected = pipe.redact(text, doc_id, numbers=KeyedNumbers(KEY)).text
        assert got[doc_id] == (text, expected)
    assert got["extra-1"][1] != docs[-2][1]
    warwick, beresford = got["extra-1"][1].removesuffix(" in Durham.").split(" met ")
    assert got["extra-2"][1] == f"{beresford} said that {warwick} was right."
    assert len(warwick) == len("[PERSON_12345678]")


def test_redact_dataframe_output_col_drops_original_text(spark: Any) -> None:
    from veil.spark import redact_dataframe

    text = "Dr. Ada Byron wrote a letter to Charles Babbage."
    df = spark.createDataFrame([("a", text, 7)], "doc_id string, text string, n int")
    out = redact_dataframe(df, "text", key=KEY, output_col="redacted", id_col="doc_id")
    assert out.columns == ["doc_id", "redacted", "n"]
    (row,) = out.collect()
    assert "Byron" not in row["redacted"] and "Byron" not in str(row.asDict())
    assert row["n"] == 7
    kept = redact_dataframe(df, "text", key=KEY, output_col="redacted", keep_original=True)
    assert kept.columns == ["doc_id", "text", "n", "redacted"]


def test_spark_cmd_keep_original_help_warns() -> None:
    from click.testing import CliRunner

    from veil.cli import cli

    result = CliRunner().invoke(cli, ["spark", "--help"])
    assert result.exit_code == 0
    assert "--keep-original" in result.output and "unmasked" in result.output


def test_redact_dataframe_fail_names_row_not_text(spark: Any) -> None:
    from veil.spark import redact_dataframe

    df = spark.createDataFrame(
        [("a", "Dr. Ada Byron wrote a letter to her friend."), ("b", None)], "doc_id string, text string"
    )
    failures = spark.sparkContext.accumulator(0)
    skipped = redact_dataframe(
        df, "text", key=KEY, id_col="doc_id", on_error="skip", failures=failures
    ).collect()
    assert [r["doc_id"] for r in skipped] == ["a"] and "Byron" not in skipped[0]["text"]
    assert failures.value == 1  # counted on the executors, so veil spark can exit non-zero
    with pytest.raises(Exception) as info:  # Spark wraps the executor's error
        redact_dataframe(df, "text", key=KEY, id_col="doc_id").collect()
    assert "document b" in str(info.value) and "Ada" not in str(info.value)


def test_redact_texts_masks_whole_failed_text() -> None:
    from veil.failure import PLACEHOLDER
    from veil.pipeline import Pipeline
    from veil.spark import redact_texts

    def broken(doc: Any) -> list[Any]:
        raise RuntimeError("injected")

    pipe = Pipeline(preset("pii"), detectors=[broken])
    assert redact_texts(pipe, ["x"], ["Ada Byron"], KEY, on_error="mask") == [PLACEHOLDER]
    with pytest.raises(ProcessingError):
        redact_texts(pipe, ["x"], ["Ada Byron"], KEY)


def test_redact_dataframe_keys_operators_like_one_process(spark: Any) -> None:
    from veil.config import from_dict
    from veil.errors import ConfigError
    from veil.pipeline import Pipeline
    from veil.spark import redact_dataframe

    policy = from_dict({"preset": "pii", "operators": {"PERSON": "surrogate", "EMAIL": "hash"}})
    secrets = {"surrogate": {"key": KEY}, "hash": {"key": KEY}}
    docs = [
        ("a", "Dr. Ada Byron wrote to ada@example.org."),
        ("b", "Later Dr. Ada Byron met Charles Babbage."),
    ]
    df = spark.createDataFrame(docs, ["doc_id", "text"]).repartition(2)
    got = {
        r["doc_id"]: r["text"]
        for r in redact_dataframe(df, "text", policy=policy, key=KEY, secrets=secrets).collect()
    }
    pipe = Pipeline(policy, secrets=secrets)
    for doc_id, text in docs:
        assert got[doc_id] == pipe.redact(text, doc_id, numbers=KeyedNumbers(KEY)).text
    assert "Byron" not in got["a"] + got["b"] and "ada@example.org" not in got["a"]
    # A public-salt surrogate is not what a keyed run gives; a missing hash key fails on the driver.
    assert (
        got["a"]
        != Pipeline(policy, secrets={"hash": {"key": KEY}})
        .redact(docs[0][1], "a", numbers=KeyedNumbers(KEY))
        .text
    )
    with pytest.raises(ConfigError):
        redact_dataframe(df, "text", policy=policy, key=KEY, secrets={"surrogate": {"key": KEY}})


def test_spark_submit_runs_the_shipped_entry_file(tmp_path: Any) -> None:
    """``spark-submit FILE`` with the entry file Veil ships: the documented local command."""
    import shutil
    import subprocess

    import pyarrow.parquet as pq

    from veil.keys import generate_key, write_key_file
    from veil.pipeline import Pipeline
    from veil.vault import numbers_key_bytes

    submit = shutil.which("spark-submit", path=os.path.dirname(sys.executable))
    if submit is None:
        pytest.skip("spark-submit is not installed beside this interpreter")
    key_file = tmp_path / "veil.key"
    write_key_file(key_file, generate_key())
    src = tmp_path / "in.jsonl"
    docs = {"a": "Dr. Ada Byron wrote to Charles Babbage.", "b": "Babbage replied to Byron."}
    src.write_text(
        "".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in docs.items()), encoding="utf-8"
    )
    entry = subprocess.run(
        [sys.executable, "-m", "veil.spark_submit", "--path"], check=True, capture_output=True, text=True
    ).stdout.strip()
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    out = tmp_path / "out"
    run = subprocess.run(
        [
            submit,
            "--master",
            "local[1]",
            "--conf",
            "spark.ui.enabled=false",
            entry,
            str(src),
            "-o",
            str(out),
            "--key",
            str(key_file),
            "--id-field",
            "id",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    rows = {r["id"]: r["text"] for r in pq.read_table(out).to_pylist()}
    pipe = Pipeline(preset("pii"))
    numbers = KeyedNumbers(numbers_key_bytes(key_file))
    assert rows == {k: pipe.redact(v, k, numbers=numbers).text for k, v in docs.items()}
    assert "Byron" not in run.stderr and "Babbage" not in run.stderr


def test_row_ids_never_say_nan() -> None:
    from veil.spark import _row_ids

    assert _row_ids(["a", None, float("nan"), 7]) == [
        "a",
        "row 1 of its batch (no id)",
        "row 2 of its batch (no id)",
        "7",
    ]
