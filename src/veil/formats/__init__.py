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

from .. import registry
from ..errors import ConfigError
from ._core import DocumentFormat, DocumentResult, VerificationError, redact_document
from ._segments import Edit, Segment

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
    "format_for_name",
    "format_for_type",
    "get_format",
    "names",
    "redact_document",
    "suffixes",
]
