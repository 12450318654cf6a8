"""A directory of ``.txt`` files: each file is one document, written to the same relative path."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..write import atomic_open, decode_text
from ._base import CorpusFormat, Outcome, Record, Shard, Writer, chunked


def txt_files(root: Path) -> list[Path]:
    """Every ``*.txt`` file below ``root``, sorted by relative path."""
    return sorted(
        (p for p in root.rglob("*.txt") if p.is_file()), key=lambda p: p.relative_to(root).as_posix()
    )


def _records(root: Path) -> Iterator[Record]:
    for i, path in enumerate(txt_files(root)):
        rel = path.relative_to(root).as_posix()
        try:
            text = decode_text(path.read_bytes(), rel, allow_empty=True)
        except InputError as exc:
            yield Record(i, rel, rel, error=exc.message, data=rel)
            continue
        except OSError as exc:
            yield Record(i, rel, rel, error=f"cannot read: {exc.strerror}", data=rel)
            continue
        yield Record(i, rel, rel, texts=(text,), data=rel)


class TxtWriter(Writer):
    """One output file per input file, same relative path; each written atomically."""

    def write_part(self, part: Path, shard: Shard, outcomes: list[Outcome]) -> None:
        for o in outcomes:
            if o.texts is None:
                continue
            with atomic_open(self.output / o.record.data) as fh:
                fh.write(o.texts[0])

    def assemble(self, parts: list[Path], source: Path) -> None:
        self.output.mkdir(parents=True, exist_ok=True)


class TxtFormat(CorpusFormat):
    name = "txt"
    directory = True

    def read(
        self, source: Path, text_fields: tuple[str, ...], id_field: str | None, shard_size: int
    ) -> Iterator[Shard]:
        if not source.is_dir():
            raise InputError(f"{source} is not a directory (format txt reads a directory of .txt files)")
        return chunked(_records(source), shard_size)

    def writer(self, output: Path, text_fields: tuple[str, ...], source: Path) -> Writer:
        return TxtWriter(output, text_fields)

    def fingerprint(self, source: Path) -> list[Any]:
        import hashlib

        h = hashlib.sha256()
        for p in txt_files(source):
            st = p.stat()
            h.update(f"{p.relative_to(source).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return [h.hexdigest()]

    def count(self, source: Path) -> int | None:
        return len(txt_files(source))

    def stale_temporaries(self, output: Path) -> Iterable[Path]:
        return output.rglob(".*.tmp") if output.is_dir() else ()
