"""A directory of documents: each file is one document, written to the same relative path.

Every file below the directory is read, in order of relative path. Its extension chooses
the document format (:func:`veil.formats.format_for_name`):

* ``.txt`` (the ``text`` format) is plain text, redacted as ``veil redact`` redacts a text
  file: strict UTF-8, an empty file is an empty document;
* every other format a registered :class:`~veil.formats.DocumentFormat` claims (``.md``,
  ``.html``, ``.eml``, ``.docx``, ``.pdf``, ...) is read into its segments here, in the
  parent; its joined text is analysed like any record's, and the result is written back
  into the document's own bytes and verified (:func:`veil.formats.write_back`), so a
  document is written whole and verified, or not at all;
* a file no format claims is *unsupported*: never copied (its content was never checked),
  listed in the report as ``unsupported format``; with ``on_error="fail"`` the run refuses
  to start while any is present.

``on_error="mask"`` writes every failed document, whatever its format, as :data:`WITHHELD`
at its path: :data:`veil.failure.PLACEHOLDER` and a newline, the bytes ``veil redact
--on-error mask`` writes; it holds nothing of the document, not even its length. A document that could not be read (invalid
UTF-8, a corrupt or encrypted DOCX/PDF) is unreadable: left out, as an unreadable record is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, VeilError
from ..failure import PLACEHOLDER
from ..formats import DocumentFormat, Segment, format_for_name, join, write_back
from ..write import atomic_open, decode_text
from ._base import CorpusFormat, Outcome, Record, Shard, Writer, chunked

if TYPE_CHECKING:
    from ..config import Policy
    from ..model import Result

#: What ``on_error="mask"`` writes in place of a failed document (any format).
WITHHELD = (PLACEHOLDER + "\n").encode("ascii")
#: The report's reason for a file that no document format reads.
UNSUPPORTED = "unsupported format"


@dataclass(frozen=True, slots=True)
class DirFile:
    """A record's file: its relative path and, for a document of a format other than text,
    the format, the bytes read and their segments (kept in the parent for the write-back)."""

    rel: str
    fmt: DocumentFormat | None = None
    raw: bytes = field(default=b"", repr=False)
    segments: tuple[Segment, ...] = field(default=(), repr=False)


def all_files(root: Path) -> list[Path]:
    """Every file below ``root``, sorted by relative path."""
    return sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def unsupported(root: Path) -> list[str]:
    """The relative paths of the files below ``root`` that no document format reads."""
    return [p.relative_to(root).as_posix() for p in all_files(root) if format_for_name(p) is None]


def _record(i: int, root: Path, path: Path) -> Record:
    rel = path.relative_to(root).as_posix()
    fmt = format_for_name(path)
    if fmt is None:
        return Record(i, rel, rel, error=UNSUPPORTED, data=DirFile(rel))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Record(i, rel, rel, error=f"cannot read: {exc.strerror}", data=DirFile(rel))
    try:
        if fmt.name == "text":
            return Record(i, rel, rel, texts=(decode_text(raw, rel, allow_empty=True),), data=DirFile(rel))
        segments = tuple(fmt.segments(raw))
    except VeilError as exc:
        return Record(i, rel, rel, error=exc.message, data=DirFile(rel))
    except Exception as exc:  # a parser crash: the file is unreadable, never half read
        return Record(
            i, rel, rel, error=f"cannot read as {fmt.name}: {type(exc).__name__}", data=DirFile(rel)
        )
    text, _ = join(segments)
    return Record(i, rel, rel, texts=(text,), data=DirFile(rel, fmt, raw, segments))


class DirWriter(Writer):
    """One output file per input file, same relative path; each written atomically."""

    def write_part(self, part: Path, shard: Shard, outcomes: list[Outcome]) -> None:
        for o in outcomes:
            target = self.output / o.record.data.rel
            if o.data is not None:
                with atomic_open(target, "wb") as fh:
                    fh.write(o.data)  # type: ignore[arg-type]
            elif o.texts is not None:
                with atomic_open(target) as fh:
                    fh.write(o.texts[0])

    def assemble(self, parts: list[Path], source: Path) -> None:
        self.output.mkdir(parents=True, exist_ok=True)


class DirectoryFormat(CorpusFormat):
    """A directory of documents of any registered format (named ``txt`` for compatibility)."""

    name = "txt"
    directory = True

    def preflight(self, source: Path, on_error: str) -> None:
        if on_error != "fail" or not source.is_dir():
            return
        found = unsupported(source)
        if found:
            shown = ", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")
            raise InputError(
                f"{len(found)} file(s) in {source} that no document format reads: {shown}. "
                "They are never copied; pass --on-error skip to leave them out (each is listed in "
                "the report), or remove them"
            )

    def read(
        self, source: Path, text_fields: tuple[str, ...], id_field: str | None, shard_size: int
    ) -> Iterator[Shard]:
        if not source.is_dir():
            raise InputError(f"{source} is not a directory (format txt reads a directory of documents)")
        return chunked((_record(i, source, p) for i, p in enumerate(all_files(source))), shard_size)

    def finish(self, record: Record, results: Sequence[Result], policy: Policy) -> Outcome:
        file: DirFile = record.data
        if file.fmt is None:
            return super().finish(record, results, policy)
        out = write_back(file.raw, file.fmt, file.segments, results[0], policy, doc_id=record.id)
        return Outcome(record, None, data=out.data)

    def masked(self, record: Record) -> Outcome:
        return Outcome(record, None, data=WITHHELD)

    def writer(self, output: Path, text_fields: tuple[str, ...], source: Path) -> Writer:
        return DirWriter(output, text_fields)

    def fingerprint(self, source: Path) -> list[Any]:
        h = hashlib.sha256()
        for p in all_files(source):
            st = p.stat()
            h.update(f"{p.relative_to(source).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return [h.hexdigest()]

    def count(self, source: Path) -> int | None:
        return len(all_files(source))

    def stale_temporaries(self, output: Path) -> Iterable[Path]:
        return output.rglob(".*.tmp") if output.is_dir() else ()
