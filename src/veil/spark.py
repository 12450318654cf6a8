"""Veil on Apache Spark: redact a text column of a DataFrame on every executor.

Consistency without shared state: entity numbers come from :class:`~veil.vault.KeyedNumbers`
(``HMAC-SHA256(key, label + entity key)`` mapped to a ``digits``-digit number), so every
executor, and every later run with the same key, writes the same ``[PERSON_48213907]`` for
the same entity. The output is exactly what a single process writes with
``Pipeline.redact(text, numbers=KeyedNumbers(key))``.

The pipeline (and its spaCy model) is built once per Python worker process and reused for
every batch that worker handles (Spark reuses Python workers by default).

Usage::

    from veil.spark import redact_dataframe
    out = redact_dataframe(df, "text", policy="pii", key=key_bytes, output_col="text_redacted")

Operators that take a key (``surrogate``, ``hash``, ``encrypt``) get theirs from
``secrets`` (as for :class:`~veil.pipeline.Pipeline`); ``veil spark`` passes its ``--key-file``
to them, so one key file drives numbering and operators. Without a key, ``surrogate`` would
fall back to its public salt, which lets anyone test a guessed name: pass one.

Command line (see ``veil spark --help``)::

    veil spark corpus.parquet -o redacted --key-file veil.key --master 'local[4]'
    spark-submit --master yarn "$(python -m veil.spark_submit --path)" \
        hdfs:///corpus -o hdfs:///redacted --key-file veil.key
"""

from __future__ import annotations

import copyreg
import hashlib
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from .config import Policy, resolve_policy
from .errors import ConfigError, ProcessingError, VeilError, WriteError
from .failure import OnError, check_on_error, replacement

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

    from .pipeline import Pipeline

SparkOnError = OnError  # the failure policy of every command (veil.failure)


def _mappingproxy(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


def _reduce_mappingproxy(m: MappingProxyType[str, Any]) -> tuple[Any, tuple[dict[str, Any]]]:
    return _mappingproxy, (dict(m),)


def _picklable_policy(policy: Policy, secrets: Mapping[str, Mapping[str, Any]] | None = None) -> bytes:
    """``(policy, secrets)`` for the executors. Policy holds read-only mappings
    (MappingProxyType), which pickle refuses; they travel as plain dicts rebuilt into
    proxies on the executor."""
    copyreg.pickle(MappingProxyType, _reduce_mappingproxy)
    return pickle.dumps((policy, {k: dict(v) for k, v in (secrets or {}).items()}))


_PIPELINES: dict[str, Pipeline] = {}


def _executor_pipeline(blob: bytes) -> Pipeline:
    """The pipeline for a pickled ``(policy, secrets)``, built once per Python worker."""
    digest = hashlib.sha256(blob).hexdigest()
    pipe = _PIPELINES.get(digest)
    if pipe is None:
        from .pipeline import Pipeline

        policy, secrets = pickle.loads(blob)  # noqa: S301 - produced by this module on the driver
        pipe = Pipeline(policy, secrets=secrets)
        _PIPELINES[digest] = pipe
    return pipe


def _row_ids(values: list[Any]) -> list[str]:
    """Names for rows in errors: the id column's value, or (null, NaN, no id column) the
    row's place in its Arrow batch, said as such."""
    return [
        str(v) if v is not None and v == v else f"row {i} of its batch (no id)"  # NaN != NaN
        for i, v in enumerate(values)
    ]


def redact_texts(
    pipe: Pipeline,
    ids: list[str],
    texts: list[str | None],
    key: bytes,
    *,
    digits: int = 8,
    on_error: SparkOnError = "fail",
    failed: list[VeilError] | None = None,
) -> list[str | None]:
    """Redact ``texts`` in order with keyed numbering; ``None`` marks a row to drop (skip).

    This is the function every executor runs on its batches; calling it in one process
    gives the reference output. With ``skip``/``mask``, each handled failure is appended to
    ``failed`` when a list is given.
    """
    from .corpus import analyse_many
    from .vault import KeyedNumbers

    numbers = KeyedNumbers(key, digits=digits)
    out: list[str | None] = []
    for doc_id, text, got in zip(
        ids, texts, analyse_many(pipe, list(zip(ids, texts, strict=True))), strict=True
    ):
        failure: VeilError
        if text is None:
            failure = ProcessingError("the text column is null", doc_id=doc_id)
        elif isinstance(got, VeilError):
            failure = got
        elif got is None:  # pragma: no cover - analyse_many returns None only for None text
            failure = ProcessingError("no analysis result", doc_id=doc_id)
        else:
            try:
                out.append(pipe.transform(got, numbers).text)
                continue
            except VeilError as exc:
                failure = exc
        if on_error == "fail":
            raise failure
        if failed is not None:
            failed.append(failure)
        out.append(replacement(on_error) if text is not None else None)
    return out


def redact_dataframe(
    df: DataFrame,
    text_col: str,
    *,
    policy: Policy | str | None = None,
    key: bytes,
    output_col: str | None = None,
    id_col: str | None = None,
    digits: int = 8,
    on_error: SparkOnError = "fail",
    keep_original: bool = False,
    secrets: Mapping[str, Mapping[str, Any]] | None = None,
    failures: Any | None = None,
) -> DataFrame:
    """Return ``df`` with ``text_col`` redacted (into ``output_col`` if given, else in place).

    With an ``output_col`` other than ``text_col``, the redacted text takes ``text_col``'s
    place under the new name and the original column is dropped: the result holds no
    unmasked text unless ``keep_original=True`` asks for it (then ``text_col`` is kept as is,
    and the result must be protected like the input).

    ``key`` (at least 16 bytes) drives the keyed numbering: keep it to get the same
    pseudonyms in later runs, and keep it secret. ``id_col`` names rows in error messages.
    ``on_error`` (:mod:`veil.failure`): ``fail`` fails the Spark job on the first bad row;
    ``skip`` drops the row; ``mask`` writes :data:`~veil.failure.PLACEHOLDER` as its text
    (a null text is dropped).
    ``secrets`` gives operators their keys, e.g. ``{"surrogate": {"key": key}}``; a policy
    whose operators lack a key they need fails here, on the driver. ``failures``, a Spark
    accumulator (``spark.sparkContext.accumulator(0)``), counts the rows ``skip``/``mask``
    handled once an action has run (a retried task may count its rows again).
    """
    from pyspark.sql.types import StringType, StructField, StructType

    from .vault import KeyedNumbers

    KeyedNumbers(key, digits=digits)  # validate on the driver, before any task starts
    check_on_error(on_error)
    if text_col not in df.columns:
        raise ConfigError(f"no column {text_col!r} (columns: {', '.join(df.columns)})")
    if id_col is not None and id_col not in df.columns:
        raise ConfigError(f"no column {id_col!r} (columns: {', '.join(df.columns)})")
    target = output_col or text_col
    pol = resolve_policy(policy)
    from .pipeline import Pipeline

    Pipeline(pol, detectors=[], secrets=secrets)  # operators and keys checked before any task
    blob = _picklable_policy(pol, secrets)
    drop = target != text_col and not keep_original
    redacted_field = StructField(target, StringType(), True)
    fields = []
    for f in df.schema.fields:
        if f.name == target:
            fields.append(redacted_field)
        elif f.name == text_col and drop:
            if target not in df.columns:
                fields.append(redacted_field)  # the redacted text takes the original's place
        else:
            fields.append(f)
    if target not in (f.name for f in fields):
        fields.append(redacted_field)
    schema = StructType(fields)
    names = [f.name for f in fields]

    def apply(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        pipe = _executor_pipeline(blob)
        for pdf in batches:
            texts = [t if isinstance(t, str) else None for t in pdf[text_col].tolist()]
            ids = _row_ids(pdf[id_col].tolist() if id_col is not None else [None] * len(texts))
            handled: list[VeilError] = []
            redacted = redact_texts(pipe, ids, texts, key, digits=digits, on_error=on_error, failed=handled)
            if failures is not None and handled:
                failures.add(len(handled))
            pdf = pdf.copy()
            pdf[target] = redacted
            pdf = pdf[names]  # drops the original text column unless it was asked for
            keep = [r is not None for r in redacted]
            yield pdf[keep] if not all(keep) else pdf

    return df.mapInPandas(apply, schema=schema)


def run_spark(
    source: str,
    output: str,
    *,
    fmt: Literal["parquet", "jsonl", "csv"],
    text_col: str,
    key: bytes,
    policy: Policy | str | None = None,
    output_col: str | None = None,
    id_col: str | None = None,
    digits: int = 8,
    on_error: SparkOnError = "fail",
    master: str | None = None,
    overwrite: bool = False,
    keep_original: bool = False,
    secrets: Mapping[str, Mapping[str, Any]] | None = None,
) -> SparkSummary:
    """Read ``source`` with Spark, redact it and write Parquet to ``output``.

    Returns the rows written and the rows ``skip``/``mask`` handled (``veil spark`` exits
    non-zero when there are any, as every command does; see :mod:`veil.failure`).

    ``keep_original`` keeps the unmasked ``text_col`` beside ``output_col`` (see
    :func:`redact_dataframe`); by default it is dropped.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ConfigError("Spark support needs pyspark: pip install 'veil[spark]'") from exc
    builder = SparkSession.builder.appName("veil")
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    reader = spark.read
    if fmt == "parquet":
        df = reader.parquet(source)
    elif fmt == "jsonl":
        df = reader.json(source)
    elif fmt == "csv":
        df = reader.option("header", True).option("multiLine", True).option("escape", '"').csv(source)
    else:
        raise ConfigError(f"unknown format {fmt!r}; available: parquet, jsonl, csv")
    failures = spark.sparkContext.accumulator(0)
    out = redact_dataframe(
        df,
        text_col,
        policy=policy,
        key=key,
        output_col=output_col,
        id_col=id_col,
        digits=digits,
        on_error=on_error,
        keep_original=keep_original,
        secrets=secrets,
        failures=failures,
    )
    try:
        out.write.mode("overwrite" if overwrite else "errorifexists").parquet(output)
    except Exception as exc:  # Spark/py4j errors: keep the cause, say which kind
        if type(exc).__name__ == "AnalysisException" and "already exists" in str(exc):
            raise WriteError(f"{output} already exists (pass --overwrite to replace it)") from exc
        raise ProcessingError(f"the Spark job failed ({type(exc).__name__}); see the Spark log") from exc
    return SparkSummary(int(spark.read.parquet(output).count()), int(failures.value))


@dataclass(frozen=True, slots=True)
class SparkSummary:
    """What :func:`run_spark` did: ``rows`` written, ``failed`` rows handled by skip/mask."""

    rows: int
    failed: int


__all__ = ["SparkSummary", "redact_dataframe", "redact_texts", "run_spark"]
