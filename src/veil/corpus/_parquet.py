"""Parquet, streamed in record batches with ``pyarrow``; the output keeps the input's schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ._base import CorpusFormat, Outcome, Record, Shard, Writer, atomic_binary, record_id, require_columns

_INVALID_UTF8: Any = object()  # a string cell whose bytes are not valid UTF-8


def pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ConfigError("Parquet needs pyarrow: pip install 'veil[batch]'") from exc
    return pq


def parquet_file(path: Path) -> Any:
    """Open ``path`` as a ``pyarrow.parquet.ParquetFile``; an unreadable one is an :class:`InputError`."""
    pq = pyarrow_parquet()
    try:
        return pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"{path} is not a readable Parquet file: {type(exc).__name__}") from exc


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


def _record(index: int, ident: str, pos: str, cells: tuple[Any, ...], text_fields: tuple[str, ...]) -> Record:
    for name, text in zip(text_fields, cells, strict=True):
        if text is _INVALID_UTF8:
            return Record(index, ident, pos, error="invalid UTF-8")
        if text is None:
            return Record(index, ident, pos, error=f"text field {name!r} is null")
        if not isinstance(text, str):
            return Record(index, ident, pos, error=f"text field {name!r} is not a string")
    return Record(index, ident, pos, texts=cells)


def _string_type(typ: Any) -> Any:
    import pyarrow as pa

    return typ if pa.types.is_string(typ) or pa.types.is_large_string(typ) else pa.string()


class ParquetWriter(Writer):
    suffix = ".parquet"

    def _schema(self, source: Path) -> Any:
        schema = pyarrow_parquet().read_schema(source)
        for name in self.text_fields:
            i = schema.get_field_index(name)
            schema = schema.set(i, schema.field(i).with_type(_string_type(schema.field(i).type)))
        return schema

    def write_part(self, part: Path, shard: Shard, outcomes: list[Outcome]) -> None:
        import pyarrow as pa

        pq = pyarrow_parquet()
        batch = shard.native
        keep = pa.array([o.texts is not None for o in outcomes], type=pa.bool_())
        for j, name in enumerate(self.text_fields):
            i = batch.schema.get_field_index(name)
            typ = _string_type(batch.schema.field(i).type)
            new_text = pa.array([None if o.texts is None else o.texts[j] for o in outcomes], type=typ)
            batch = batch.set_column(i, batch.schema.field(i).with_type(typ), new_text)
        table = pa.Table.from_batches([batch]).filter(keep)
        with atomic_binary(part) as fh:
            pq.write_table(table, fh)

    def assemble(self, parts: list[Path], source: Path) -> None:
        pq = pyarrow_parquet()
        schema = self._schema(source)
        with atomic_binary(self.output) as fh:
            writer = pq.ParquetWriter(fh, schema)
            try:
                for part in parts:
                    writer.write_table(pq.read_table(part).cast(schema))
            finally:
                writer.close()


class ParquetFormat(CorpusFormat):
    name = "parquet"
    extensions = (".parquet",)

    def check(self, source: Path, text_fields: tuple[str, ...], id_field: str | None) -> None:
        require_columns(source, parquet_file(source).schema_arrow.names, text_fields, id_field)

    def read(
        self, source: Path, text_fields: tuple[str, ...], id_field: str | None, shard_size: int
    ) -> Iterator[Shard]:
        pf = parquet_file(source)
        require_columns(source, pf.schema_arrow.names, text_fields, id_field)
        return self._shards(pf, text_fields, id_field, shard_size)

    @staticmethod
    def _shards(
        pf: Any, text_fields: tuple[str, ...], id_field: str | None, shard_size: int
    ) -> Iterator[Shard]:
        index = 0
        for n, batch in enumerate(pf.iter_batches(batch_size=shard_size)):
            columns = [_column_values(batch.column(name)) for name in text_fields]
            ids = _column_values(batch.column(id_field)) if id_field else [None] * batch.num_rows
            records = []
            for cells, rid in zip(zip(*columns, strict=True), ids, strict=True):
                pos = f"row {index + 1}"
                ident = pos if rid is _INVALID_UTF8 else record_id(rid, pos)
                records.append(_record(index, ident, pos, cells, text_fields))
                index += 1
            yield Shard(n, tuple(records), native=batch)

    def writer(self, output: Path, text_fields: tuple[str, ...], source: Path) -> Writer:
        return ParquetWriter(output, text_fields)

    def count(self, source: Path) -> int | None:
        return int(pyarrow_parquet().ParquetFile(source).metadata.num_rows)
