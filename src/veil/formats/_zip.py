"""Reading and rewriting zip containers (DOCX) safely.

Limits guard against zip bombs: the number of entries, the total uncompressed size and
the compression ratio of each large entry. An encrypted entry or a corrupt archive is an
:class:`~veil.errors.InputError`. Rewriting keeps every entry's name, order, date and
compression; only the entries given new bytes change.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from ..errors import InputError

MAX_ENTRIES = 10_000
MAX_TOTAL = 512 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # small entries may compress very well (XML full of spaces)


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip archive, checking the limits before anything is inflated."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{what} is not a valid zip container ({type(exc).__name__})") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"{what} has {len(infos)} entries (limit {MAX_ENTRIES})")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(f"{what} is encrypted; Veil cannot read it")
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"{what} has an entry that inflates more than {MAX_RATIO}x (zip bomb?)")
    if total > MAX_TOTAL:
        raise InputError(f"{what} inflates to more than {MAX_TOTAL // (1024 * 1024)} MiB")
    return zf


def read(zf: zipfile.ZipFile, name: str, what: str) -> bytes:
    try:
        with zf.open(name) as fh:
            data = fh.read(MAX_TOTAL + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise InputError(f"{what}: entry {name!r} cannot be read ({type(exc).__name__})") from None
    if len(data) > MAX_TOTAL:
        raise InputError(f"{what}: entry {name!r} is too large")
    return data


def rewrite(data: bytes, replaced: Mapping[str, bytes], what: str) -> bytes:
    """``data`` with the entries in ``replaced`` given new contents."""
    src = open_zip(data, what)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = replaced[info.filename] if info.filename in replaced else read(src, info.filename, what)
            dst.writestr(info, body, compress_type=info.compress_type)
    return out.getvalue()
