"""What every corpus format shares: records, shards, and the reader/writer contract."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, cast

from ..errors import ConfigError
from ..write import atomic_open


@dataclass(frozen=True, slots=True)
class Record:
    """One input record: its position, its id and its texts, or why it could not be read.

    ``position`` is a line number (JSONL, CSV), a row number (Parquet) or a relative path
    (text directory); ``id`` is the ``--id-field`` value when there is one, else the position.
    ``texts`` holds one text per text field, in the job's ``text_fields`` order (a text file
    has one). ``data`` carries the other columns through untouched.
    """

    index: int
    id: str
    position: str
    texts: tuple[str, ...] | None = field(default=None, repr=False)
    error: str | None = None
    data: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        if self.texts is None:
            size = "unreadable"
        else:
            size = "[redacted " + "+".join(str(len(t)) for t in self.texts) + " chars]"
        return f"Record({self.index}, id={self.id!r}, position={self.position!r}, text={size}, error={self.error!r})"


@dataclass(frozen=True, slots=True)
class Shard:
    """Consecutive records, processed and committed together. ``native`` is a Parquet batch."""

    index: int
    records: tuple[Record, ...]
    native: Any = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to write for one record: one text per text field, or ``None`` to leave it out."""

    record: Record
    texts: tuple[str, ...] | None


def chunked(records: Iterable[Record], size: int) -> Iterator[Shard]:
    """Group records into shards of ``size``, numbered from 0."""
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


def record_id(value: object, fallback: str) -> str:
    """The id of a record from its id cell; containers and nulls fall back to the position."""
    if value is None or isinstance(value, dict | list):
        return fallback
    return str(value)


def require_columns(
    source: Path, names: Sequence[str], text_fields: Sequence[str], id_field: str | None
) -> None:
    """Refuse a text or id column that a tabular input does not have."""
    for name in (*text_fields, id_field):
        if name and name not in names:
            raise ConfigError(f"{source}: no column {name!r} (columns: {', '.join(names)})")


@contextmanager
def atomic_binary(path: Path) -> Iterator[BinaryIO]:
    """:func:`~veil.write.atomic_open` in binary mode."""
    with atomic_open(path, "wb", encoding=None) as fh:
        yield cast(BinaryIO, fh)


def concatenate(output: Path, parts: list[Path], head: bytes = b"") -> None:
    """Write ``head`` then every part, in order, atomically to ``output`` (streamed)."""
    with atomic_binary(output) as out:
        out.write(head)
        for part in parts:
            with part.open("rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)


class Writer:
    """Writes one shard's part and assembles the parts into the final output.

    ``write_part`` writes atomically (a part either exists whole or not at all), and
    ``assemble`` replaces the output atomically, so a kill at any point leaves nothing half
    written. Both must be deterministic: a resumed run writes the same bytes.
    """

    suffix: ClassVar[str] = ""

    def __init__(self, output: Path, text_fields: tuple[str, ...]) -> None:
        self.output = output
        self.text_fields = text_fields

    def write_part(self, part: Path, shard: Shard, outcomes: list[Outcome]) -> None:
        raise NotImplementedError

    def assemble(self, parts: list[Path], source: Path) -> None:
        raise NotImplementedError


class CorpusFormat:
    """One row of the format table: how to find, check, read and write one kind of corpus.

    A new format is one subclass added to :data:`veil.corpus.FORMAT_TABLE`. ``read`` must be
    lazy (constant memory), yield records in input order, and turn a bad record into a
    :class:`Record` with ``error`` set (never raise for one record); raise
    :class:`~veil.errors.InputError` only when the rest of the input cannot be split into
    records safely. Errors name positions, never text.
    """

    name: ClassVar[str]
    #: File extensions (lower case, with the dot) that select this format.
    extensions: ClassVar[tuple[str, ...]] = ()
    #: Whether the input is a directory rather than a file.
    directory: ClassVar[bool] = False

    def check(self, source: Path, text_fields: tuple[str, ...], id_field: str | None) -> None:
        """Refuse, before any work, options the input cannot satisfy (a missing column)."""

    def read(
        self, source: Path, text_fields: tuple[str, ...], id_field: str | None, shard_size: int
    ) -> Iterator[Shard]:
        raise NotImplementedError

    def writer(self, output: Path, text_fields: tuple[str, ...], source: Path) -> Writer:
        raise NotImplementedError

    def fingerprint(self, source: Path) -> list[Any]:
        """What identifies this input's content for resume (size and mtime by default)."""
        st = source.stat()
        return [st.st_size, st.st_mtime_ns]

    def count(self, source: Path) -> int | None:
        """Roughly how many records ``source`` holds (for the progress bar), or ``None``."""
        n = 0
        with source.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                n += chunk.count(b"\n")
        return n

    def stale_temporaries(self, output: Path) -> Iterable[Path]:
        """Temporary files a killed run may have left *inside* the output (a directory)."""
        return ()
