"""Reading inputs safely and writing outputs atomically.

* Inputs are read as bytes and decoded as strict UTF-8; empty, binary (NUL bytes) and
  non-UTF-8 inputs are each a distinct :class:`~veil.errors.InputError`.
* Outputs are written to a temporary file in the target directory, flushed, fsynced and
  renamed over the target, so a reader never sees half a file.
* An output path that is the same file as an input is refused.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import InputError, WriteError


def decode_text(data: bytes, name: str, *, allow_empty: bool = False) -> str:
    """Decode ``data`` as UTF-8 text, with a clear error for each kind of bad input.

    An empty or blank text is an error (probably the wrong file) unless ``allow_empty``:
    in a corpus directory it is a document with nothing to mask."""
    if not data and not allow_empty:
        raise InputError(f"{name} is empty")
    if b"\x00" in data[:65536]:
        raise InputError(f"{name} looks binary (contains NUL bytes); Veil reads UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not valid UTF-8 (first bad byte at offset {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() and not allow_empty:
        raise InputError(f"{name} contains only whitespace")
    return text


def read_text(path: str | Path | None) -> str:
    """Read a UTF-8 text file, or stdin when ``path`` is None or ``-``."""
    if path is None or str(path) == "-":
        return decode_text(sys.stdin.buffer.read(), "stdin")
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"input not found: {p}") from None
    except IsADirectoryError:
        raise InputError(f"input is a directory: {p} (use 'veil batch' for directories)") from None
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror}") from None
    return decode_text(data, str(p))


def same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def check_not_input(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse to write ``output`` if it is one of ``inputs``."""
    for inp in inputs:
        if str(inp) != "-" and Path(output).exists() and same_file(output, inp):
            raise WriteError(f"refusing to overwrite input file {inp}")
        if str(inp) != "-" and Path(output).resolve() == Path(inp).resolve():
            raise WriteError(f"refusing to overwrite input file {inp}")


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary sibling of ``path``; rename it into place only if the block succeeds."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WriteError(f"cannot create output in {target.parent}: {exc.strerror}") from None
    ok = False
    try:
        with os.fdopen(
            fd, mode, encoding=encoding if "b" not in mode else None, newline="" if "b" not in mode else None
        ) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        ok = True
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        if not ok:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_text(path: str | Path | None, text: str) -> None:
    """Write ``text`` atomically to ``path``, or to stdout when ``path`` is None or ``-``."""
    if path is None or str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with atomic_open(path) as fh:
        fh.write(text)


def read_bytes(path: str | Path | None) -> bytes:
    """Read a file's bytes, or stdin's when ``path`` is None or ``-`` (documents: PDF, DOCX...)."""
    if path is None or str(path) == "-":
        data = sys.stdin.buffer.read()
        name = "stdin"
    else:
        p = Path(path)
        name = str(p)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise InputError(f"input not found: {p}") from None
        except IsADirectoryError:
            raise InputError(f"input is a directory: {p} (use 'veil batch' for directories)") from None
        except OSError as exc:
            raise InputError(f"cannot read {p}: {exc.strerror}") from None
    if not data:
        raise InputError(f"{name} is empty")
    return data


def write_bytes(path: str | Path | None, data: bytes) -> None:
    """Write ``data`` atomically to ``path``, or to stdout when ``path`` is None or ``-``."""
    if path is None or str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with atomic_open(path, "wb") as fh:
        fh.write(data)  # type: ignore[arg-type]
