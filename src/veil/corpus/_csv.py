"""CSV with a header row (RFC 4180 quoting); other columns are written back unchanged."""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..write import atomic_open
from ._base import CorpusFormat, Outcome, Record, Shard, Writer, chunked, concatenate, require_columns

SWALLOWED = "the record spans lines that look like rows of their own (is a quote missing?)"


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _open(path: Path) -> io.TextIOWrapper:
    return path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="")


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file; an empty or malformed header is an :class:`InputError`."""
    with _open(path) as fh:
        try:
            header = next(csv.reader(fh, strict=True))
        except StopIteration:
            raise InputError(f"{path} is empty (a CSV input needs a header row)") from None
        except csv.Error as exc:
            raise InputError(f"{path}: malformed CSV header: {exc}") from None
    if any(_has_surrogates(h) for h in header):
        raise InputError(f"{path}: the CSV header is not valid UTF-8")
    return header


def _lift_field_limit() -> None:
    """The csv module refuses fields over 128 KiB by default; a long document is not malformed."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long narrower than Py_ssize_t (Windows)
            limit //= 2


_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")


def _shape(cell: str) -> str:
    """ "t-42" -> "a-9": what ids of one column have in common."""
    return _DIGITS.sub("9", _LETTERS.sub("a", cell))


def swallows_rows(row: list[str], width: int) -> bool:
    """Whether a cell of ``row`` holds, after a line break, a line that parses as a row of
    ``width`` fields whose first field has the shape of this row's own first field.

    That is what a stray or unclosed quote does: it turns the following rows into one long
    cell. A multi-line text rarely has a line such as ``3,Anna left`` in a two-column file
    whose first column holds numbers; when it does, the record is reported rather than
    written, which fails closed.
    """
    template = row[0]
    if not template or any(ch.isspace() for ch in template):
        return False
    shape = _shape(template)
    for cell in row:
        if "\n" not in cell and "\r" not in cell:
            continue
        for line in cell.splitlines()[1:]:
            fields = next(csv.reader([line]), None)
            if (
                fields is not None
                and len(fields) == width
                and fields[0]
                and not any(ch.isspace() for ch in fields[0])
                and _shape(fields[0]) == shape
            ):
                return True
    return False


def _records(path: Path, text_fields: tuple[str, ...], id_field: str | None) -> Iterator[Record]:
    header = csv_header(path)
    require_columns(path, header, text_fields, id_field)
    t_cols = [header.index(name) for name in text_fields]
    i_col = header.index(id_field) if id_field else None
    _lift_field_limit()
    with _open(path) as fh:
        # strict: end of file inside a quoted field, or text right after a closing quote, is an
        # error instead of a record silently made of the rest of the file.
        reader = csv.reader(fh, strict=True)
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
            if reader.line_num > start and swallows_rows(row, len(header)):
                yield Record(i, rid, pos, error=SWALLOWED)
                continue
            yield Record(i, rid, pos, texts=tuple(row[c] for c in t_cols), data=row)


class CsvWriter(Writer):
    suffix = ".csv"

    def __init__(self, output: Path, text_fields: tuple[str, ...], header: list[str]) -> None:
        super().__init__(output, text_fields)
        self.header = header
        self.t_cols = [header.index(name) for name in text_fields]

    def write_part(self, part: Path, shard: Shard, outcomes: list[Outcome]) -> None:
        with atomic_open(part) as fh:
            writer = csv.writer(fh, lineterminator="\n")
            for o in outcomes:
                if o.texts is None:
                    continue
                row = list(o.record.data)
                for col, text in zip(self.t_cols, o.texts, strict=True):
                    row[col] = text
                writer.writerow(row)

    def assemble(self, parts: list[Path], source: Path) -> None:
        head = io.StringIO()
        csv.writer(head, lineterminator="\n").writerow(self.header)
        concatenate(self.output, parts, head.getvalue().encode("utf-8"))


class CsvFormat(CorpusFormat):
    name = "csv"
    extensions = (".csv",)

    def check(self, source: Path, text_fields: tuple[str, ...], id_field: str | None) -> None:
        require_columns(source, csv_header(source), text_fields, id_field)

    def read(
        self, source: Path, text_fields: tuple[str, ...], id_field: str | None, shard_size: int
    ) -> Iterator[Shard]:
        return chunked(_records(source, text_fields, id_field), shard_size)

    def writer(self, output: Path, text_fields: tuple[str, ...], source: Path) -> Writer:
        return CsvWriter(output, text_fields, csv_header(source))

    def count(self, source: Path) -> int | None:
        n = super().count(source)
        return None if n is None else max(n - 1, 0)
