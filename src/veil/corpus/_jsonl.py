"""JSON Lines: one object per line; other fields are written back as they were read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..write import atomic_open
from ._base import CorpusFormat, Outcome, Record, Shard, Writer, chunked, concatenate, record_id

UNPAIRED = "invalid text (unpaired surrogate)"


class RawNumber:
    """A JSON number or constant kept as written ("0.10000000000000000001", "1e400", "NaN"),
    so that pass-through fields are written back untouched."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"RawNumber({self.text!r})"


class _DuplicateKey(ValueError):
    pass


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys: which "text" would be redacted, and which
    # passed through, would be a silent choice.
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


def loads(line: str) -> Any:
    """Parse one JSON value, numbers kept as written; a duplicate key raises ``ValueError``."""
    return json.loads(
        line,
        parse_float=RawNumber,
        parse_int=RawNumber,
        parse_constant=RawNumber,
        object_pairs_hook=_unique_object,
    )


class _Literal(str):
    """Output text that :func:`dumps` writes as is (punctuation between values)."""

    __slots__ = ()


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` that writes :class:`RawNumber` as read.
    Iterative, so any nesting ``json.loads`` accepted can be written back."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Literal):
            out.append(item)
        elif isinstance(item, RawNumber):
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


def encodable(value: object) -> bool:
    """Whether every string in ``value`` (a decoded JSON value) can be written as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(encodable(k) and encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(encodable(v) for v in value)
    return True


def _records(path: Path, text_fields: tuple[str, ...], id_field: str | None) -> Iterator[Record]:
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
                obj = loads(line)
            except json.JSONDecodeError as exc:
                yield Record(i, pos, pos, error=f"malformed JSON at column {exc.colno}")
                continue
            except _DuplicateKey:
                yield Record(i, pos, pos, error="duplicate key in a JSON object")
                continue
            except RecursionError:
                yield Record(i, pos, pos, error="JSON nested too deeply")
                continue
            if not isinstance(obj, dict):
                yield Record(i, pos, pos, error="not a JSON object")
                continue
            if "\\u" in line and not encodable(obj):
                # json.loads accepts a lone "\ud800" escape; no UTF-8 output can hold it.
                rid = record_id(obj.get(id_field), pos) if id_field and encodable(obj.get(id_field)) else pos
                yield Record(i, rid, pos, error=UNPAIRED)
                continue
            rid = record_id(obj.get(id_field), pos) if id_field else pos
            yield _record(i, rid, pos, obj, text_fields)


def _record(i: int, rid: str, pos: str, obj: dict[str, Any], text_fields: tuple[str, ...]) -> Record:
    texts: list[str] = []
    for name in text_fields:
        text = obj.get(name)
        if text is None:
            return Record(i, rid, pos, error=f"missing text field {name!r}")
        if not isinstance(text, str):
            return Record(i, rid, pos, error=f"text field {name!r} is not a string")
        texts.append(text)
    return Record(i, rid, pos, texts=tuple(texts), data=obj)


class JsonlWriter(Writer):
    suffix = ".jsonl"

    def write_part(self, part: Path, shard: Shard, outcomes: list[Outcome]) -> None:
        with atomic_open(part) as fh:
            for o in outcomes:
                if o.texts is None:
                    continue
                obj = dict(o.record.data) if o.record.data is not None else {}
                for name, text in zip(self.text_fields, o.texts, strict=True):
                    obj[name] = text
                fh.write(dumps(obj))
                fh.write("\n")

    def assemble(self, parts: list[Path], source: Path) -> None:
        concatenate(self.output, parts)


class JsonlFormat(CorpusFormat):
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")

    def read(
        self, source: Path, text_fields: tuple[str, ...], id_field: str | None, shard_size: int
    ) -> Iterator[Shard]:
        return chunked(_records(source, text_fields, id_field), shard_size)

    def writer(self, output: Path, text_fields: tuple[str, ...], source: Path) -> Writer:
        return JsonlWriter(output, text_fields)
