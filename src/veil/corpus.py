"""Redact a corpus: a directory of ``.txt`` files, JSON Lines, CSV or Parquet.

Shape of a run (:func:`run_batch`)::

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
* **Fail closed.** A record that cannot be read (malformed JSON, invalid UTF-8, missing
  text field) or processed is handled by ``on_error``: ``fail`` stops the run (non-zero
  exit, nothing of that record written), ``skip`` leaves it out, ``mask`` writes
  :data:`veil.failure.PLACEHOLDER` as its text (records that could not be read have no
  trustworthy text and are left out even with ``mask``). Every such record is listed in the report by
  id or position, never by content.

Without a vault, entity numbers are per document (``[PERSON_1]`` restarts in every
document); with one they are corpus-wide and stable across runs.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, cast

from .config import Policy, resolve_policy
from .errors import ConfigError, InputError, ProcessingError, VeilError, WriteError
from .failure import PLACEHOLDER
from .model import Document, Span
from .protocols import Detector
from .write import atomic_open, check_not_input, decode_text, same_file

if TYPE_CHECKING:
    from .pipeline import Pipeline
    from .vault import Vault

Format = Literal["txt", "jsonl", "csv", "parquet"]
OnError = Literal["fail", "skip", "mask"]
FORMATS: tuple[Format, ...] = ("txt", "jsonl", "csv", "parquet")
ON_ERROR: tuple[OnError, ...] = ("fail", "skip", "mask")
MASK_CHAR = "*"  # no longer written: a masked record gets veil.failure.PLACEHOLDER
#: One text column, or several protected together (``--text-field`` repeated).
TextFields = str | tuple[str, ...]
# Several text columns of a record are redacted as one document, joined by this separator
# (resolution splits spans at line breaks, so no replacement can cross it) and split again
# before writing; a record whose columns hold the separator character is refused.
_FIELD_SEP = "\n\x1e\n"
_EXTENSIONS: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_MANIFEST_VERSION = "1"


# -- records and readers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """One input record: its position, its id and its text, or why it could not be read.

    ``position`` is a line number (JSONL, CSV), a row number (Parquet) or a relative path
    (text directory); ``id`` is the ``--id-field`` value when there is one, else the position.
    ``data`` carries the other columns through untouched.
    """

    index: int
    id: str
    position: str
    text: str | None = field(default=None, repr=False)
    error: str | None = None
    data: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        size = "unreadable" if self.text is None else f"[redacted {len(self.text)} chars]"
        return f"Record({self.index}, id={self.id!r}, position={self.position!r}, text={size}, error={self.error!r})"


@dataclass(frozen=True, slots=True)
class Shard:
    """Consecutive records, processed and committed together. ``native`` is a Parquet batch."""

    index: int
    records: tuple[Record, ...]
    native: Any = field(default=None, repr=False)


def detect_format(path: str | Path) -> Format:
    """The format of ``path``: a directory is ``txt``; files go by extension."""
    p = Path(path)
    if p.is_dir():
        return "txt"
    fmt = _EXTENSIONS.get(p.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"cannot tell the format of {p} from its extension; pass --format ({', '.join(FORMATS)})"
        )
    return fmt


def _names(text_field: TextFields) -> tuple[str, ...]:
    return (text_field,) if isinstance(text_field, str) else tuple(text_field)


def _join(values: Sequence[object], names: Sequence[str]) -> str | tuple[str, object]:
    """The text of a record's text columns, or ``(column, value)`` of the first cell that
    is not usable text (``None``, not a string, or holding the column separator)."""
    for name, value in zip(names, values, strict=True):
        if not isinstance(value, str) or (len(names) > 1 and "\x1e" in value):
            return name, value
    return _FIELD_SEP.join(cast(Sequence[str], values))


def _cell_error(name: str, value: object, missing: str) -> str:
    if value is None:
        return f"{missing} {name!r}" if missing == "missing text field" else f"text field {name!r} is null"
    if isinstance(value, str):
        return f"text field {name!r} holds the control character U+001E"
    return f"text field {name!r} is not a string"


def split_fields(text: str, names: Sequence[str], record: Record) -> list[str]:
    """The redacted text of each text column (see :data:`_FIELD_SEP`); fails closed."""
    if len(names) == 1:
        return [text]
    parts = text.split(_FIELD_SEP)
    if len(parts) == len(names):
        return parts
    from .failure import PLACEHOLDER

    if text == PLACEHOLDER:
        return [PLACEHOLDER] * len(names)
    raise ProcessingError(
        "the redacted text columns could not be separated again; nothing of the record is written",
        doc_id=record.id,
        stage="write",
    )


def _record_id(value: object, fallback: str) -> str:
    if value is None or isinstance(value, dict | list):
        return fallback
    return str(value)


def _chunked(records: Iterable[Record], size: int) -> Iterator[Shard]:
    buf: list[Record] = []
    n = 0
    for rec in records:
        buf.append(rec)
        if len(buf) >= size:
            yield Shard(n, tuple(buf))
            n += 1
            buf = []
    if buf:
        yield Shard(n, tuple(buf))


def _txt_files(root: Path) -> list[Path]:
    return sorted(
        (p for p in root.rglob("*.txt") if p.is_file()), key=lambda p: p.relative_to(root).as_posix()
    )


def _read_txt(root: Path) -> Iterator[Record]:
    for i, path in enumerate(_txt_files(root)):
        rel = path.relative_to(root).as_posix()
        try:
            text = decode_text(path.read_bytes(), rel, allow_empty=True)
        except InputError as exc:
            yield Record(i, rel, rel, error=exc.message, data=rel)
            continue
        except OSError as exc:
            yield Record(i, rel, rel, error=f"cannot read: {exc.strerror}", data=rel)
            continue
        yield Record(i, rel, rel, text=text, data=rel)


class _RawNumber:
    """A JSON number or constant kept as written ("0.10000000000000000001", "1e400", "NaN"),
    so that pass-through fields are written back untouched."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"_RawNumber({self.text!r})"


def _loads(line: str) -> Any:
    return json.loads(line, parse_float=_RawNumber, parse_int=_RawNumber, parse_constant=_RawNumber)


class _Literal(str):
    """Output text that :func:`_dumps` writes as is (punctuation between values)."""

    __slots__ = ()


def _dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` that writes :class:`_RawNumber` as read.
    Iterative, so any nesting ``json.loads`` accepted can be written back."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Literal):
            out.append(item)
        elif isinstance(item, _RawNumber):
            out.append(item.text)
        elif isinstance(item, dict):
            todo: list[Any] = [_Literal("{")]
            for n, (k, v) in enumerate(item.items()):
                todo += [_Literal((", " if n else "") + json.dumps(k, ensure_ascii=False) + ": "), v]
            todo.append(_Literal("}"))
            stack.extend(reversed(todo))
        elif isinstance(item, list):
            todo = [_Literal("[")]
            for n, v in enumerate(item):
                todo += [_Literal(", "), v] if n else [v]
            todo.append(_Literal("]"))
            stack.extend(reversed(todo))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)


def _read_jsonl(path: Path, text_field: TextFields, id_field: str | None) -> Iterator[Record]:
    names = _names(text_field)
    index = 0
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            pos = f"line {lineno}"
            i, index = index, index + 1
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield Record(i, pos, pos, error=f"invalid UTF-8 at byte {exc.start} of the line")
                continue
            try:
                obj = _loads(line)
            except json.JSONDecodeError as exc:
                yield Record(i, pos, pos, error=f"malformed JSON at column {exc.colno}")
                continue
            except RecursionError:
                yield Record(i, pos, pos, error="JSON nested too deeply")
                continue
            if not isinstance(obj, dict):
                yield Record(i, pos, pos, error="not a JSON object")
                continue
            if "\\u" in line and not _encodable(obj):
                # json.loads accepts a lone "\ud800" escape; no UTF-8 output can hold it.
                rid = (
                    _record_id(obj.get(id_field), pos) if id_field and _encodable(obj.get(id_field)) else pos
                )
                yield Record(i, rid, pos, error=_UNPAIRED)
                continue
            rid = _record_id(obj.get(id_field), pos) if id_field else pos
            text = _join([obj.get(n) for n in names], names)
            if isinstance(text, tuple):
                yield Record(i, rid, pos, error=_cell_error(*text, "missing text field"))
            else:
                yield Record(i, rid, pos, text=text, data=obj)


_UNPAIRED = "invalid text (unpaired surrogate)"


def _encodable(value: object) -> bool:
    """Whether every string in ``value`` (a decoded JSON value) can be written as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_encodable(k) and _encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_encodable(v) for v in value)
    return True


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def csv_header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        try:
            header = next(csv.reader(fh))
        except StopIteration:
            raise InputError(f"{path} is empty (a CSV input needs a header row)") from None
        except csv.Error as exc:
            raise InputError(f"{path}: malformed CSV header: {exc}") from None
    if any(_has_surrogates(h) for h in header):
        raise InputError(f"{path}: the CSV header is not valid UTF-8")
    return header


def _lift_csv_field_limit() -> None:
    """The csv module refuses fields over 128 KiB by default; a long document is not malformed."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long narrower than Py_ssize_t (Windows)
            limit //= 2


def check_columns(source: Path, fmt: Format, text_field: TextFields, id_field: str | None) -> None:
    """Refuse a text or id column that a CSV or Parquet input does not have (before any work)."""
    if fmt == "csv":
        _require_columns(source, csv_header(source), text_field, id_field)
    elif fmt == "parquet":
        _require_columns(source, _parquet_file(source).schema_arrow.names, text_field, id_field)


def _require_columns(
    source: Path, names: Sequence[str], text_field: TextFields, id_field: str | None
) -> None:
    for name in (*_names(text_field), id_field):
        if name and name not in names:
            raise ConfigError(f"{source}: no column {name!r} (columns: {', '.join(names)})")


def _read_csv(path: Path, text_field: TextFields, id_field: str | None) -> Iterator[Record]:
    header = csv_header(path)
    _require_columns(path, header, text_field, id_field)
    names = _names(text_field)
    t_cols = [header.index(n) for n in names]
    i_col = header.index(id_field) if id_field else None
    _lift_csv_field_limit()
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        index = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The csv module cannot resynchronise after a syntax error: stop here.
                raise InputError(f"{path}: malformed CSV at line {start}: {exc}") from None
            if not row:
                continue
            pos = f"line {start}"
            i, index = index, index + 1
            if len(row) != len(header):
                yield Record(i, pos, pos, error=f"row has {len(row)} fields, the header has {len(header)}")
                continue
            if any(_has_surrogates(v) for v in row):
                yield Record(i, pos, pos, error="invalid UTF-8")
                continue
            rid = row[i_col] if i_col is not None and row[i_col] else pos
            text = _join([row[c] for c in t_cols], names)
            if isinstance(text, tuple):
                yield Record(i, rid, pos, error=_cell_error(*text, "missing text field"))
            else:
                yield Record(i, rid, pos, text=text, data=row)


_INVALID_UTF8: Any = object()  # a string cell whose bytes are not valid UTF-8


def _column_values(column: Any) -> list[Any]:
    """A Parquet column as Python values. A string column with invalid UTF-8 (Arrow does not
    check it on read) gives ``_INVALID_UTF8`` for each bad cell instead of failing the batch."""
    try:
        return list(column.to_pylist())
    except UnicodeDecodeError:
        import pyarrow as pa

        binary = pa.large_binary() if pa.types.is_large_string(column.type) else pa.binary()
        values: list[Any] = []
        for raw in column.cast(binary).to_pylist():
            if raw is None:
                values.append(None)
                continue
            try:
                values.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                values.append(_INVALID_UTF8)
        return values


def _parquet_file(path: Path) -> Any:
    pq = _pyarrow_parquet()
    try:
        return pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"{path} is not a readable Parquet file: {type(exc).__name__}") from exc


def _read_parquet(
    path: Path, text_field: TextFields, id_field: str | None, shard_size: int
) -> Iterator[Shard]:
    pf = _parquet_file(path)
    _require_columns(path, pf.schema_arrow.names, text_field, id_field)
    names = _names(text_field)
    index = 0
    for n, batch in enumerate(pf.iter_batches(batch_size=shard_size)):
        columns = [_column_values(batch.column(name)) for name in names]
        ids = _column_values(batch.column(id_field)) if id_field else [None] * batch.num_rows
        records = []
        for k, rid in enumerate(ids):
            pos = f"row {index + 1}"
            ident = pos if rid is _INVALID_UTF8 else _record_id(rid, pos)
            cells = [col[k] for col in columns]
            text = _join(cells, names)
            if any(c is _INVALID_UTF8 for c in cells):
                records.append(Record(index, ident, pos, error="invalid UTF-8"))
            elif isinstance(text, tuple):
                records.append(Record(index, ident, pos, error=_cell_error(*text, "null")))
            else:
                records.append(Record(index, ident, pos, text=text))
            index += 1
        yield Shard(n, tuple(records), native=batch)


def read_shards(
    source: str | Path,
    fmt: Format,
    *,
    text_field: TextFields = "text",
    id_field: str | None = None,
    shard_size: int = 500,
) -> Iterator[Shard]:
    """Read ``source`` lazily as shards of at most ``shard_size`` records, in input order."""
    p = Path(source)
    if fmt == "txt":
        if not p.is_dir():
            raise InputError(f"{p} is not a directory (format txt reads a directory of .txt files)")
        return _chunked(_read_txt(p), shard_size)
    if not p.is_file():
        raise InputError(f"input not found: {p}")
    if fmt == "jsonl":
        return _chunked(_read_jsonl(p, text_field, id_field), shard_size)
    if fmt == "csv":
        return _chunked(_read_csv(p, text_field, id_field), shard_size)
    if fmt == "parquet":
        return _read_parquet(p, text_field, id_field, shard_size)
    raise ConfigError(f"unknown format {fmt!r}; available: {', '.join(FORMATS)}")


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ConfigError("Parquet needs pyarrow: pip install 'veil[batch]'") from exc
    return pq


# -- analysis (in workers) ---------------------------------------------------------------------

Analysed = Document | VeilError | None


def analyse_many(pipe: Pipeline, items: Sequence[tuple[str, str | None]]) -> list[Analysed]:
    """Detect and resolve ``(id, text)`` pairs as one batch; ``None`` text stays ``None``.

    Each document gives its :class:`Document` (entities resolved and policy-filtered) or the
    :class:`VeilError` that says why it failed. Detectors with ``detect_many`` run once on
    the whole batch (spaCy's ``nlp.pipe``); if that fails, every document is retried alone
    so the error names the document that caused it.
    """
    present = [(i, t) for i, t in items if t is not None]
    analysed = iter(pipe.analyze_many(present))
    return [None if t is None else next(analysed) for _, t in items]


_WORKER_PIPE: Pipeline | None = None


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel kill this worker when the parent dies (SIGKILL of a run would
    otherwise leave workers blocked on their queue forever, holding a model in memory)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no prctl: workers still exit when their queue closes
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_init(factory: Callable[[], Pipeline], parent: int | None = None) -> None:
    global _WORKER_PIPE
    if parent is not None:
        _die_with_parent(parent)
    _WORKER_PIPE = factory()


def _worker_analyse(items: list[tuple[str, str | None]]) -> list[Analysed]:
    if _WORKER_PIPE is None:  # pragma: no cover - the initializer always runs first
        raise ProcessingError("worker pipeline was not initialised")
    # The parent already holds the text: send back only what it does not have.
    return [replace(a, text="") if isinstance(a, Document) else a for a in analyse_many(_WORKER_PIPE, items)]


# -- outputs -----------------------------------------------------------------------------------


@contextmanager
def _atomic_binary(path: Path) -> Iterator[BinaryIO]:
    with atomic_open(path, "wb", encoding=None) as fh:
        yield cast(BinaryIO, fh)


@dataclass(frozen=True, slots=True)
class _Outcome:
    record: Record
    text: str | None  # None: record left out of the output


class _Output:
    """Writes one shard's part and assembles the parts into the final output."""

    suffix = ""

    def __init__(self, output: Path, text_field: TextFields) -> None:
        self.output = output
        self.text_field = text_field
        self.names = _names(text_field)

    def write_part(self, part: Path, shard: Shard, outcomes: list[_Outcome]) -> None:
        raise NotImplementedError

    def assemble(self, parts: list[Path], source: Path) -> None:
        raise NotImplementedError


class _JsonlOutput(_Output):
    suffix = ".jsonl"

    def write_part(self, part: Path, shard: Shard, outcomes: list[_Outcome]) -> None:
        with atomic_open(part) as fh:
            for o in outcomes:
                if o.text is None:
                    continue
                obj = dict(o.record.data) if o.record.data is not None else {}
                obj.update(zip(self.names, split_fields(o.text, self.names, o.record), strict=True))
                fh.write(_dumps(obj))
                fh.write("\n")

    def assemble(self, parts: list[Path], source: Path) -> None:
        with _atomic_binary(self.output) as out:
            for part in parts:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)


class _CsvOutput(_JsonlOutput):
    suffix = ".csv"

    def __init__(self, output: Path, text_field: TextFields, header: list[str]) -> None:
        super().__init__(output, text_field)
        self.header = header
        self.t_cols = [header.index(n) for n in self.names]

    def write_part(self, part: Path, shard: Shard, outcomes: list[_Outcome]) -> None:
        with atomic_open(part) as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for o in outcomes:
                if o.text is None:
                    continue
                row = list(o.record.data)
                for col, value in zip(self.t_cols, split_fields(o.text, self.names, o.record), strict=True):
                    row[col] = value
                writer.writerow(row)

    def assemble(self, parts: list[Path], source: Path) -> None:
        with _atomic_binary(self.output) as out:
            head = io.StringIO()
            csv.writer(head, lineterminator="\n").writerow(self.header)
            out.write(head.getvalue().encode("utf-8"))
            for part in parts:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)


class _ParquetOutput(_Output):
    suffix = ".parquet"

    def _schema(self, source: Path) -> Any:
        import pyarrow as pa

        schema = _pyarrow_parquet().read_schema(source)
        for name in self.names:
            i = schema.get_field_index(name)
            typ = schema.field(i).type
            if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)):
                typ = pa.string()
            schema = schema.set(i, schema.field(i).with_type(typ))
        return schema

    def write_part(self, part: Path, shard: Shard, outcomes: list[_Outcome]) -> None:
        import pyarrow as pa

        pq = _pyarrow_parquet()
        batch = shard.native
        keep = pa.array([o.text is not None for o in outcomes], type=pa.bool_())
        cells = [
            [None] * len(self.names) if o.text is None else split_fields(o.text, self.names, o.record)
            for o in outcomes
        ]
        for k, name in enumerate(self.names):
            i = batch.schema.get_field_index(name)
            typ = batch.schema.field(i).type
            if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)):
                typ = pa.string()
            new_text = pa.array([c[k] for c in cells], type=typ)
            batch = batch.set_column(i, batch.schema.field(i).with_type(typ), new_text)
        table = pa.Table.from_batches([batch])
        table = table.filter(keep)
        with _atomic_binary(part) as fh:
            pq.write_table(table, fh)

    def assemble(self, parts: list[Path], source: Path) -> None:
        pq = _pyarrow_parquet()
        schema = self._schema(source)
        with _atomic_binary(self.output) as fh:
            writer = pq.ParquetWriter(fh, schema)
            try:
                for part in parts:
                    writer.write_table(pq.read_table(part).cast(schema))
            finally:
                writer.close()


class _TxtOutput(_Output):
    """One output file per input file, same relative path; each written atomically."""

    def write_part(self, part: Path, shard: Shard, outcomes: list[_Outcome]) -> None:
        for o in outcomes:
            if o.text is None:
                continue
            with atomic_open(self.output / o.record.data) as fh:
                fh.write(o.text)

    def assemble(self, parts: list[Path], source: Path) -> None:
        self.output.mkdir(parents=True, exist_ok=True)


# -- the manifest ------------------------------------------------------------------------------


class _Manifest:
    """The run's SQLite manifest; the vault file, if any, is attached for joint commits."""

    def __init__(self, path: Path, fingerprint: str, vault: Vault | None) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            # Atomic commits across attached databases need a rollback journal, not WAL.
            self.db.execute("PRAGMA journal_mode=DELETE")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE IF NOT EXISTS shards (idx INTEGER PRIMARY KEY, records INTEGER NOT NULL,"
                " part TEXT NOT NULL, stats TEXT NOT NULL);"
            )
            got = self.db.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchone()
            if got is None:
                self.db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            elif got[0] != fingerprint:
                raise ConfigError(
                    f"the work directory {path.parent} belongs to a run with other inputs or options; "
                    "rerun with the same arguments, or pass --restart to discard it"
                )
            self.vault = vault
            if vault is not None:
                self.db.execute("ATTACH DATABASE ? AS vault", (os.fspath(vault.path),))
        except sqlite3.Error as exc:
            raise WriteError(f"cannot open the manifest {path}: {type(exc).__name__}") from exc

    def done(self) -> dict[int, tuple[str, dict[str, Any]]]:
        rows = self.db.execute("SELECT idx, part, stats FROM shards").fetchall()
        return {int(i): (str(p), json.loads(s)) for i, p, s in rows}

    def commit(self, idx: int, records: int, part: str, stats: Mapping[str, Any]) -> None:
        from .vault import write_pending

        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT OR REPLACE INTO shards VALUES (?, ?, ?, ?)", (idx, records, part, json.dumps(stats))
            )
            if self.vault is not None:
                rows, counters = self.vault.pending_rows()
                write_pending(self.db, "vault", rows, counters)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise WriteError(f"cannot commit shard {idx} to the manifest: {type(exc).__name__}") from exc
        if self.vault is not None:
            self.vault.mark_committed()

    def close(self) -> None:
        self.db.close()


# -- the run -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did; also written, as JSON, to the report file."""

    output: Path
    report: Path
    documents: int
    written: int
    skipped: tuple[dict[str, str], ...]
    masked: tuple[dict[str, str], ...]
    chars: int
    entity_counts: Mapping[str, int]
    mentions: int
    seconds: float
    resumed_shards: int
    processed_chars: int

    @property
    def chars_per_second(self) -> float:
        return self.processed_chars / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """A one-line human summary (no document content)."""
        return (
            f"{self.documents} documents ({self.written} written, {len(self.skipped)} skipped, "
            f"{len(self.masked)} masked), {self.chars:,} chars, {self.mentions} mentions; "
            f"{self.processed_chars:,} chars in {self.seconds:.1f} s this run "
            f"({self.chars_per_second:,.0f} chars/s"
            + (f", {self.resumed_shards} shards resumed" if self.resumed_shards else "")
            + f"); output {self.output}; report {self.report}"
        )


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, frozenset | set):
        return sorted(str(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def _input_fingerprint(source: Path, fmt: Format) -> list[Any]:
    if fmt == "txt":
        h = hashlib.sha256()
        for p in _txt_files(source):
            st = p.stat()
            h.update(f"{p.relative_to(source).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return [h.hexdigest()]
    st = source.stat()
    return [st.st_size, st.st_mtime_ns]


def _counts(out: dict[str, int], add: Mapping[str, int]) -> None:
    for k, v in add.items():
        out[k] = out.get(k, 0) + v


class _Progress:
    def __init__(self, enabled: bool, total: int | None, initial: int = 0) -> None:
        """``initial``: documents finished by an earlier run, shown as done but not counted
        in the rate (so a resumed run's ETA is not flattered by work it did not do)."""
        self.bar: Any = None
        self.start = time.perf_counter()
        self.chars = 0
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, initial=initial, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1
            )

    def update(self, docs: int, chars: int) -> None:
        self.chars += chars
        if self.bar is not None:
            self.bar.update(docs)
            elapsed = time.perf_counter() - self.start
            if elapsed > 0:
                self.bar.set_postfix_str(f"{self.chars / elapsed:,.0f} chars/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _estimate_total(source: Path, fmt: Format) -> int | None:
    try:
        if fmt == "txt":
            return len(_txt_files(source))
        if fmt == "parquet":
            return int(_pyarrow_parquet().ParquetFile(source).metadata.num_rows)
        n = 0
        with source.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                n += chunk.count(b"\n")
        return max(n - (1 if fmt == "csv" else 0), 0)
    except Exception:  # only an ETA; never a reason to fail
        return None


def default_report_path(output: Path) -> Path:
    return output.with_name(output.name + ".report.json")


WORK_MARKER = ".veil-work"
"""The file that marks a directory as a Veil work directory, which Veil may delete."""


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (after resolving symlinks)."""
    return path.resolve().is_relative_to(folder.resolve())


def _check_paths(src: Path, out: Path, rep: Path, work: Path, vault: Path | None) -> None:
    """Refuse paths that would overwrite the input, or put anything of value where Veil deletes."""
    check_not_input(rep, [src])
    check_not_input(work / "manifest.sqlite", [src])
    if vault is not None:
        check_not_input(vault, [src])
    if rep.resolve() == out.resolve() or (out.exists() and rep.exists() and same_file(rep, out)):
        raise WriteError("the report path must differ from the output path")
    if vault is not None and vault.resolve() in (out.resolve(), rep.resolve()):
        raise WriteError("the vault path must differ from the output and report paths")
    if _within(src, work) or _within(out, work):
        raise WriteError(
            f"the work directory {work} must not be, or contain, the input or the output "
            "(Veil deletes it after the run)"
        )
    if src.is_dir():
        if _within(work, src):
            raise WriteError(f"the work directory {work} must not be inside the input directory")
        if _within(out, src):
            raise WriteError("the output directory must not be inside the input directory")
        if _within(src, out):
            raise WriteError("the input directory must not be inside the output directory")
        for name, path in (("report", rep), ("vault", vault)):
            if path is not None and _within(path, src):
                raise WriteError(f"the {name} must not be inside the input directory")
    for name, path in (("report", rep), ("vault", vault)):
        if path is not None and _within(path, work):
            raise WriteError(f"the {name} must not be inside the work directory {work} (Veil deletes it)")


def _prepare_work_dir(work: Path, restart: bool) -> None:
    """Create or adopt ``work`` and mark it as Veil's; never touch a foreign, non-empty directory.

    An existing directory is used only if it is empty or carries :data:`WORK_MARKER` (so it
    came from an earlier Veil run); ``restart`` deletes only a marked directory.
    """
    marker = work / WORK_MARKER
    try:
        if work.exists() or work.is_symlink():
            if not work.is_dir() or work.is_symlink():
                raise WriteError(f"the work directory {work} exists and is not a plain directory")
            if not marker.is_file() and any(work.iterdir()):
                raise WriteError(
                    f"refusing to use the work directory {work}: it is not empty and Veil did not "
                    f"create it (no {WORK_MARKER} marker); pass an empty or new --work-dir"
                )
            if restart and marker.is_file():
                _delete_marked(work)
        work.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError as exc:
        raise WriteError(f"cannot prepare the work directory {work}: {exc.strerror}") from None


def _delete_marked(work: Path) -> None:
    """Delete a marked work directory so that a kill at any point leaves a usable one: the
    manifest first (what is left is then a fresh start, never a claim of finished shards
    whose parts are gone), then the parts, and the marker last (a directory left without
    it would be refused as foreign)."""
    names = sorted(
        (p for p in work.iterdir() if p.name != WORK_MARKER),
        key=lambda p: (not p.name.startswith("manifest"), p.name),
    )
    for path in names:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    (work / WORK_MARKER).unlink(missing_ok=True)
    work.rmdir()


def _remove_work_dir(work: Path) -> None:
    """Delete ``work`` after a successful run, but only if it carries Veil's marker."""
    if (work / WORK_MARKER).is_file() and not work.is_symlink():
        # The output is complete; a work directory left over after an error is only clutter.
        with suppress(OSError):
            _delete_marked(work)


_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def _remove_stale_temporaries(out: Path, rep: Path, fmt: Format) -> None:
    """Temporary files that a killed run left beside (or, for a directory, inside) its
    outputs. They hold redacted text only, but they are clutter; Veil made them, so it
    removes the ones whose names it would have made."""
    candidates: list[Path] = []
    for target in (out, rep):
        if target.parent.is_dir():
            candidates += target.parent.glob(f".{glob.escape(target.name)}.*.tmp")
    if fmt == "txt" and out.is_dir():
        candidates += out.rglob(".*.tmp")
    for path in candidates:
        if _TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


def run_batch(
    source: str | Path,
    output: str | Path,
    *,
    policy: Policy | str | None = None,
    detectors: Sequence[Detector | Callable[[Document], Iterable[Span]]] | None = None,
    secrets: Mapping[str, Mapping[str, Any]] | None = None,
    timeout: float | None = None,
    fmt: Format | None = None,
    text_field: TextFields = "text",
    id_field: str | None = None,
    workers: int = 1,
    on_error: OnError = "fail",
    vault: str | Path | None = None,
    vault_key: bytes | None = None,
    report: str | Path | None = None,
    shard_size: int = 64,
    work_dir: str | Path | None = None,
    restart: bool = False,
    progress: bool | None = None,
) -> BatchSummary:
    """Redact the corpus ``source`` into ``output`` (same layout) and write a JSON report.

    ``policy``, ``detectors``, ``secrets`` and ``timeout`` build the
    :class:`~veil.pipeline.Pipeline` (once per worker). ``vault`` names a SQLite
    :class:`~veil.vault.Vault` for corpus-wide numbering (``vault_key`` if it was created
    with a key file). A run stopped at any point resumes when called again with the same
    arguments; ``restart`` discards the previous run's work directory instead.
    ``progress=None`` shows a progress bar when stderr is a terminal.

    Raises :class:`~veil.errors.InputError` / :class:`~veil.errors.ProcessingError` for the
    first bad record when ``on_error="fail"`` (shards finished before it stay committed).
    """

    src = Path(source)
    out = Path(output)
    fmt = fmt or detect_format(src)
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; available: {', '.join(FORMATS)}")
    if on_error not in ON_ERROR:
        raise ConfigError(f"--on-error must be one of {', '.join(ON_ERROR)}, got {on_error!r}")
    if workers < 1:
        raise ConfigError("--workers must be at least 1")
    if shard_size < 1:
        raise ConfigError("--shard-size must be at least 1")
    if not src.exists():
        raise InputError(f"input not found: {src}")
    if (out.exists() and same_file(out, src)) or out.resolve() == src.resolve():
        raise WriteError(f"refusing to overwrite input {src}")
    if vault_key is not None and vault is None:
        raise ConfigError("--vault-key needs --vault")
    names = _names(text_field)
    if not names or len(set(names)) != len(names) or (id_field is not None and id_field in names):
        raise ConfigError("the text fields must be distinct columns, other than the id field")
    pol = resolve_policy(policy)
    work = Path(work_dir) if work_dir else out.with_name(out.name + ".veil-work")
    rep = Path(report) if report else default_report_path(out)
    _check_paths(src, out, rep, work, Path(vault) if vault else None)
    check_columns(src, fmt, text_field, id_field)

    from .vault import Vault

    # The vault is opened (and locked) before anything is deleted, so that a second run on
    # the same vault is refused before it can touch the first one's files, and a half-done
    # commit of the vault is rolled back by SQLite before its journal could be discarded.
    numbers = Vault(vault, key=vault_key) if vault else None
    manifest: _Manifest | None = None
    try:
        resuming = (work / WORK_MARKER).is_file() and not restart
        _prepare_work_dir(work, restart)
        if resuming:
            _remove_stale_temporaries(out, rep, fmt)
        writer = _writer(fmt, out, text_field, src)
        manifest = _Manifest(
            work / "manifest.sqlite",
            _fingerprint(
                src, out, fmt, text_field, id_field, on_error, shard_size, vault, pol, detectors, secrets
            ),
            numbers,
        )
        summary = _run(
            src,
            out,
            rep,
            work,
            fmt,
            text_field,
            id_field,
            workers,
            on_error,
            vault,
            shard_size,
            pol,
            detectors,
            secrets,
            timeout,
            progress,
            writer,
            numbers,
            manifest,
        )
    finally:
        if manifest is not None:
            manifest.close()
        if numbers is not None:
            numbers.close()
    _remove_work_dir(work)  # only after success, with the manifest closed
    return summary


def _writer(fmt: Format, out: Path, text_field: TextFields, src: Path) -> _Output:
    writer: _Output
    if fmt == "jsonl":
        writer = _JsonlOutput(out, text_field)
    elif fmt == "csv":
        writer = _CsvOutput(out, text_field, csv_header(src))
    elif fmt == "parquet":
        writer = _ParquetOutput(out, text_field)
    else:
        writer = _TxtOutput(out, text_field)
    return writer


def _fingerprint(
    src: Path,
    out: Path,
    fmt: Format,
    text_field: TextFields,
    id_field: str | None,
    on_error: OnError,
    shard_size: int,
    vault: str | Path | None,
    pol: Policy,
    detectors: Sequence[Detector | Callable[[Document], Iterable[Span]]] | None,
    secrets: Mapping[str, Mapping[str, Any]] | None,
) -> str:
    """What the manifest checks on resume: the input's identity and every output-shaping option."""
    return hashlib.sha256(
        json.dumps(
            {
                "version": _MANIFEST_VERSION,
                "input": [os.fspath(src.resolve()), *_input_fingerprint(src, fmt)],
                "output": os.fspath(out.resolve()),
                "format": fmt,
                "fields": [text_field, id_field],
                "on_error": on_error,
                "shard_size": shard_size,
                "vault": os.fspath(Path(vault).resolve()) if vault else None,
                "policy": {f.name: _plain(getattr(pol, f.name)) for f in fields(pol)},
                "detectors": [getattr(d, "name", type(d).__name__) for d in detectors or ()] or None,
                "secrets": _plain(secrets or {}),
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()


def _documents(done: Mapping[int, tuple[str, Mapping[str, Any]]]) -> int:
    """Documents in the committed shards ``done`` (from :meth:`_Manifest.done`)."""
    return sum(int(stats.get("documents", 0)) for _, stats in done.values())


def _run(
    src: Path,
    out: Path,
    rep: Path,
    work: Path,
    fmt: Format,
    text_field: TextFields,
    id_field: str | None,
    workers: int,
    on_error: OnError,
    vault: str | Path | None,
    shard_size: int,
    pol: Policy,
    detectors: Sequence[Detector | Callable[[Document], Iterable[Span]]] | None,
    secrets: Mapping[str, Mapping[str, Any]] | None,
    timeout: float | None,
    progress: bool | None,
    writer: _Output,
    numbers: Vault | None,
    manifest: _Manifest,
) -> BatchSummary:
    """The run proper, with the vault locked and the manifest open (the caller closes both)."""
    from .pipeline import Pipeline

    show = sys.stderr.isatty() if progress is None else progress
    done = manifest.done()
    bar = _Progress(
        show,
        _estimate_total(src, fmt) if show else None,
        initial=_documents(done),
    )
    started = time.perf_counter()

    def factory() -> Pipeline:
        return Pipeline(
            pol, detectors=detectors, secrets=secrets, timeout=timeout, build_operators=workers == 1
        )

    try:
        resumed = len(done)
        pool: ProcessPoolExecutor | None = None
        if workers == 1:
            pipe = factory()
            transformer = pipe
        else:
            if "fork" not in multiprocessing.get_all_start_methods():
                raise ConfigError("--workers > 1 needs the 'fork' start method (Linux or macOS)")
            # Workers only analyse; this pipeline only numbers and transforms (no model).
            transformer = Pipeline(pol, detectors=[], secrets=secrets)
            pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_worker_init,
                initargs=(factory, os.getpid()),
            )

        def analyse(items: list[tuple[str, str | None]]) -> Future[list[Analysed]] | list[Analysed]:
            if pool is None:
                return analyse_many(pipe, items)
            return pool.submit(_worker_analyse, items)

        processed_chars = 0
        pending: deque[tuple[Shard, Future[list[Analysed]] | list[Analysed]]] = deque()

        def finish(shard: Shard, job: Future[list[Analysed]] | list[Analysed]) -> None:
            nonlocal processed_chars
            try:
                analysed = job.result() if isinstance(job, Future) else job
            except BrokenProcessPool as exc:
                raise ProcessingError(f"a worker process died while analysing shard {shard.index}") from exc
            outcomes, stats = _transform_shard(transformer, shard, analysed, numbers, on_error)
            part = work / f"part-{shard.index:06d}{writer.suffix}"
            writer.write_part(part, shard, outcomes)
            manifest.commit(shard.index, len(shard.records), part.name, stats)
            processed_chars += stats["chars"]
            bar.update(len(shard.records), stats["chars"])

        try:
            for shard in read_shards(
                src, fmt, text_field=text_field, id_field=id_field, shard_size=shard_size
            ):
                if shard.index in done:
                    continue  # counted in the bar's starting point
                items = [(r.id, r.text) for r in shard.records]
                pending.append((shard, analyse(items)))
                while len(pending) > workers:
                    finish(*pending.popleft())
            while pending:
                finish(*pending.popleft())
        finally:
            if pool is not None:
                for _, job in pending:
                    if isinstance(job, Future):
                        job.cancel()
                pool.shutdown(wait=True, cancel_futures=True)
            if numbers is not None:
                numbers.rollback()

        done = manifest.done()
        parts = [work / done[i][0] for i in sorted(done)]
        writer.assemble(parts, src)
        summary = _summary(out, rep, done, time.perf_counter() - started, resumed, processed_chars)
        _write_report(rep, summary, src, fmt, pol.name, workers, on_error, vault)
    except VeilError as exc:
        with suppress(Exception):
            finished = manifest.done()
            docs = _documents(finished)
            exc.add_note(
                f"stopped: {len(finished)} shard(s), {docs} document(s), committed in {work}. "
                "The same command resumes from there "
                "(after changing the input, add --restart)."
            )
        raise
    finally:
        bar.close()
    return summary


def _transform_shard(
    pipe: Pipeline, shard: Shard, analysed: list[Analysed], numbers: Vault | None, on_error: OnError
) -> tuple[list[_Outcome], dict[str, Any]]:
    from .pipeline import _LocalNumbers

    outcomes: list[_Outcome] = []
    skipped: list[dict[str, str]] = []
    masked: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    mentions = 0
    chars = 0
    for rec, got in zip(shard.records, analysed, strict=True):
        if rec.text is None:
            err: VeilError = InputError(f"record {rec.position} (id {rec.id}): {rec.error}", doc_id=rec.id)
            if on_error == "fail":
                raise err
            skipped.append({"id": rec.id, "position": rec.position, "reason": rec.error or "unreadable"})
            outcomes.append(_Outcome(rec, None))
            continue
        chars += len(rec.text)
        if isinstance(got, Document):
            try:
                result = pipe.transform(
                    replace(got, text=rec.text), _LocalNumbers() if numbers is None else numbers
                )
            except VeilError as exc:
                got = exc
            except Exception as exc:
                got = ProcessingError(
                    f"unexpected failure: {type(exc).__name__}", doc_id=rec.id, stage="transform"
                )
            else:
                outcomes.append(_Outcome(rec, result.text))
                for ent in result.entities:
                    counts[ent.label.value] = counts.get(ent.label.value, 0) + 1
                    mentions += len(ent.mentions)
                continue
        failure = got if isinstance(got, VeilError) else ProcessingError("no analysis result", doc_id=rec.id)
        if on_error == "fail":
            raise failure
        reason = f"{type(failure).__name__}: {failure.message}"
        entry = {"id": rec.id, "position": rec.position, "reason": reason}
        if on_error == "mask":
            masked.append(entry)
            outcomes.append(_Outcome(rec, PLACEHOLDER))
        else:
            skipped.append(entry)
            outcomes.append(_Outcome(rec, None))
    stats = {
        "documents": len(shard.records),
        "written": sum(o.text is not None for o in outcomes),
        "chars": chars,
        "entity_counts": counts,
        "mentions": mentions,
        "skipped": skipped,
        "masked": masked,
    }
    return outcomes, stats


def _summary(
    out: Path,
    rep: Path,
    done: Mapping[int, tuple[str, dict[str, Any]]],
    seconds: float,
    resumed: int,
    processed_chars: int,
) -> BatchSummary:
    counts: dict[str, int] = {}
    skipped: list[dict[str, str]] = []
    masked: list[dict[str, str]] = []
    docs = written = chars = mentions = 0
    for i in sorted(done):
        s = done[i][1]
        docs += s["documents"]
        written += s["written"]
        chars += s["chars"]
        mentions += s["mentions"]
        _counts(counts, s["entity_counts"])
        skipped.extend(s["skipped"])
        masked.extend(s["masked"])
    return BatchSummary(
        output=out,
        report=rep,
        documents=docs,
        written=written,
        skipped=tuple(skipped),
        masked=tuple(masked),
        chars=chars,
        entity_counts=dict(sorted(counts.items())),
        mentions=mentions,
        seconds=seconds,
        resumed_shards=resumed,
        processed_chars=processed_chars,
    )


def _write_report(
    rep: Path,
    s: BatchSummary,
    src: Path,
    fmt: Format,
    policy_name: str,
    workers: int,
    on_error: OnError,
    vault: str | Path | None,
) -> None:
    data = {
        "report": "veil batch",
        "version": 1,
        "input": os.fspath(src),
        "output": os.fspath(s.output),
        "format": fmt,
        "policy": policy_name,
        "workers": workers,
        "on_error": on_error,
        "vault": os.fspath(vault) if vault else None,
        "documents": s.documents,
        "written": s.written,
        "chars": s.chars,
        "entity_counts": dict(s.entity_counts),
        "mentions": s.mentions,
        "skipped": list(s.skipped),
        "masked": list(s.masked),
        "this_run": {
            "seconds": round(s.seconds, 3),
            "chars": s.processed_chars,
            "chars_per_second": round(s.chars_per_second),
            "resumed_shards": s.resumed_shards,
        },
    }
    with atomic_open(rep) as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


__all__ = [
    "FORMATS",
    "MASK_CHAR",
    "ON_ERROR",
    "BatchSummary",
    "Format",
    "OnError",
    "Record",
    "Shard",
    "analyse_many",
    "detect_format",
    "read_shards",
    "run_batch",
]
