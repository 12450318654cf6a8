"""Documents in their own formats: read, redacted across the whole document, written back,
and verified.

Each format is one reader/writer pair implementing :class:`DocumentFormat`, registered
under the ``veil.formats`` entry-point group exactly as detectors and operators are, so a
third party adds a format by declaring an entry point::

    [project.entry-points."veil.formats"]
    "odt.v1" = "my_package.odt:OdtFormat"

Usage::

    from veil.formats import format_for_name, redact_document
    fmt = format_for_name("memo.docx")
    out = redact_document(data, fmt, pipeline, doc_id="memo.docx")
    Path("memo.redacted.docx").write_bytes(out.data)
"""

from __future__ import annotations

from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING

from .. import registry
from ..errors import ConfigError
from ._core import DocumentFormat, DocumentResult, VerificationError, redact_document
from ._segments import Edit, Segment

if TYPE_CHECKING:
    from ..pipeline import NumberSource, Pipeline

#: Content types of the built-in formats, for e-mail attachments and uploads.
CONTENT_TYPES: dict[str, str] = {
    "text/plain": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "message/rfc822": "eml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/pdf": "pdf",
}


def names() -> list[str]:
    """The registered format names (``html.v1``, ...)."""
    return registry.names("veil.formats")


def get_format(name: str) -> DocumentFormat:
    """The format registered as ``name`` (``"docx"`` or ``"docx.v1"``)."""
    factory = registry.get("veil.formats", name)
    fmt = factory()
    if not isinstance(fmt, DocumentFormat):
        raise ConfigError(f"format {name!r} does not implement DocumentFormat")
    return fmt


@cache
def _by_suffix() -> dict[str, str]:
    table: dict[str, str] = {}
    for full in names():
        for suffix in get_format(full).suffixes:
            table.setdefault(suffix.lower(), full.split(".v")[0])
    return table


def format_for_name(path: str | PurePath) -> DocumentFormat | None:
    """The format a file name's extension names, or ``None``."""
    base = _by_suffix().get(PurePath(path).suffix.lower())
    return get_format(base) if base else None


def format_for_type(content_type: str) -> DocumentFormat | None:
    """The format of a MIME content type, or ``None``."""
    base = CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    return get_format(base) if base and base in {n.split(".v")[0] for n in names()} else None


def choose(path: str | PurePath | None, explicit: str | None = None) -> DocumentFormat | None:
    """The format for ``path``: ``explicit`` (``--format``) if given, else by extension.

    ``None`` means plain text handled by the text path (stdin, ``.txt``, or an extension no
    format claims). An unknown explicit name is a :class:`ConfigError` listing the formats.
    """
    if explicit:
        named = get_format(explicit)
        return None if named.name == "text" else named
    if path is None or str(path) == "-":
        return None
    found = format_for_name(path)
    return None if found is None or found.name == "text" else found


def redact_path(
    src: str | PurePath,
    dst: str | PurePath | None,
    fmt: DocumentFormat,
    pipeline: Pipeline,
    *,
    numbers: NumberSource | None = None,
) -> DocumentResult:
    """Read ``src``, redact it in format ``fmt`` and write ``dst`` atomically (stdout if
    ``dst`` is ``None`` or ``-``). Nothing is written unless verification passed."""
    import sys
    from pathlib import Path

    from ..errors import InputError
    from ..write import atomic_open

    try:
        data = Path(src).read_bytes()
    except FileNotFoundError:
        raise InputError(f"input not found: {src}") from None
    except OSError as exc:
        raise InputError(f"cannot read {src}: {exc.strerror}") from None
    if not data:
        raise InputError(f"{src} is empty")
    out = redact_document(data, fmt, pipeline, doc_id=str(src), numbers=numbers)
    if dst is None or str(dst) == "-":
        sys.stdout.buffer.write(out.data)
        sys.stdout.buffer.flush()
    else:
        with atomic_open(Path(dst), "wb") as fh:
            fh.write(out.data)  # type: ignore[arg-type]
    return out


def suffixes() -> list[str]:
    """Every file extension some format reads."""
    return sorted(_by_suffix())


__all__ = [
    "CONTENT_TYPES",
    "DocumentFormat",
    "DocumentResult",
    "Edit",
    "Segment",
    "VerificationError",
    "choose",
    "format_for_name",
    "format_for_type",
    "get_format",
    "names",
    "redact_document",
    "redact_path",
    "suffixes",
]
