"""Redact a corpus: a directory of ``.txt`` files, JSON Lines, CSV or Parquet.

Shape of a run (:func:`run` of a :class:`BatchJob`)::

    reader --shards--> workers: detect + resolve (model loaded once per worker)
           --analysed documents, in order--> parent: number + transform, write part,
           commit part + manifest row + vault numbers in one SQLite transaction
    all shards done --> assemble the parts into the output (atomic rename) + report

* **Constant memory.** Input is read lazily, in shards of ``shard_size`` records; at
  most ``workers + 1`` shards are in flight. Parts are assembled by streaming.
* **Resumable.** The work directory (default ``<output>.veil-work``) holds the parts and
  ``manifest.sqlite``. A part is written atomically *before* its manifest row is committed,
  and the vault's new numbers are committed in that same transaction, so a run killed at
  any point and started again with the same arguments skips finished shards and produces a
  byte-identical output. The work directory is removed after a successful run.
* **Deterministic with workers.** Workers only analyse; numbering and transformation
  happen in the parent in input order, so ``workers=4`` writes what ``workers=1`` writes.
* **Fail closed.** A record that cannot be read (malformed JSON, a duplicate key, invalid
  UTF-8, a missing text field, a CSV cell that swallowed following rows) or processed is
  handled by ``on_error``: ``fail`` stops the run (non-zero exit, nothing of that record
  written), ``skip`` leaves it out, ``mask`` writes :data:`veil.failure.PLACEHOLDER` in each
  text column (records that could not be read have no trustworthy text and are left out even
  with ``mask``). Every such record is listed in the report by id or position, never by
  content. A CSV file that cannot be split into records (end of file inside quotes) stops
  the run in every mode.

Without a vault, entity numbers are per record (``[PERSON_1]`` restarts in every record,
and the text fields of one record share one numbering); with one they are corpus-wide and
stable across runs.

Where things live: the format table (one reader and writer class per format) in
``_formats.py`` and ``_txt.py`` / ``_jsonl.py`` / ``_csv.py`` / ``_parquet.py``; the
manifest in ``_manifest.py``; the path guards and the work directory in ``_paths.py``; the
job value in ``_job.py``; the run in ``_runner.py``; the summary and report in
``_report.py``.
"""

from __future__ import annotations

from ._base import CorpusFormat, Outcome, Record, Shard, Writer
from ._formats import FORMAT_TABLE, FORMATS, corpus_format, detect_format, read_shards
from ._job import ON_ERROR, BatchJob, OnError
from ._paths import WORK_MARKER, default_report_path
from ._report import BatchSummary
from ._runner import MASK_CHAR, analyse_many, run, run_batch

#: A format name: ``txt``, ``jsonl``, ``csv``, ``parquet`` (see :data:`FORMATS`).
Format = str

__all__ = [
    "FORMATS",
    "FORMAT_TABLE",
    "MASK_CHAR",
    "ON_ERROR",
    "WORK_MARKER",
    "BatchJob",
    "BatchSummary",
    "CorpusFormat",
    "Format",
    "OnError",
    "Outcome",
    "Record",
    "Shard",
    "Writer",
    "analyse_many",
    "corpus_format",
    "default_report_path",
    "detect_format",
    "read_shards",
    "run",
    "run_batch",
]
