"""The table of corpus formats. To add one, write a :class:`CorpusFormat` subclass (reader and
writer) and add it to :data:`FORMAT_TABLE`; ``veil batch --format`` and extension detection
follow."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from ..errors import ConfigError, InputError
from ._base import CorpusFormat, Shard
from ._csv import CsvFormat
from ._jsonl import JsonlFormat
from ._parquet import ParquetFormat
from ._txt import TxtFormat

FORMAT_TABLE: Mapping[str, CorpusFormat] = MappingProxyType(
    {f.name: f for f in (TxtFormat(), JsonlFormat(), CsvFormat(), ParquetFormat())}
)
#: The format names, for ``--format`` choices.
FORMATS: tuple[str, ...] = tuple(FORMAT_TABLE)


def corpus_format(name: str) -> CorpusFormat:
    """The table row for ``name``; an unknown name is a :class:`ConfigError` listing the known ones."""
    try:
        return FORMAT_TABLE[name]
    except KeyError:
        raise ConfigError(f"unknown format {name!r}; available: {', '.join(FORMATS)}") from None


def detect_format(path: str | Path) -> str:
    """The format of ``path``: a directory is ``txt``; files go by extension."""
    p = Path(path)
    if p.is_dir():
        return next(f.name for f in FORMAT_TABLE.values() if f.directory)
    suffix = p.suffix.lower()
    for f in FORMAT_TABLE.values():
        if suffix in f.extensions:
            return f.name
    raise ConfigError(
        f"cannot tell the format of {p} from its extension; pass --format ({', '.join(FORMATS)})"
    )


def text_fields_of(text_fields: str | Sequence[str]) -> tuple[str, ...]:
    """``"body"`` or ``["body", "title"]`` as a tuple; empty or repeated names are an error."""
    fields = (text_fields,) if isinstance(text_fields, str) else tuple(text_fields)
    if not fields or not all(isinstance(f, str) and f for f in fields):
        raise ConfigError("--text-field needs at least one non-empty column name")
    if len(set(fields)) != len(fields):
        raise ConfigError("--text-field names a column more than once")
    return fields


def read_shards(
    source: str | Path,
    fmt: str,
    *,
    text_fields: str | Sequence[str] = ("text",),
    id_field: str | None = None,
    shard_size: int = 500,
) -> Iterator[Shard]:
    """Read ``source`` lazily as shards of at most ``shard_size`` records, in input order."""
    p = Path(source)
    f = corpus_format(fmt)
    if not f.directory and not p.is_file():
        raise InputError(f"input not found: {p}")
    return f.read(p, text_fields_of(text_fields), id_field, shard_size)
