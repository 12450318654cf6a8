"""Plain text from an uploaded .docx, with a guard against zip bombs."""

from __future__ import annotations

import io
import zipfile

from ..errors import ConfigError, InputError

__all__ = ["MAX_DOCX_EXPANDED", "docx_to_text"]

#: An uploaded .docx may not expand to more than this many bytes.
MAX_DOCX_EXPANDED = 64 * 1_048_576


def docx_to_text(data: bytes, name: str = "upload.docx", *, max_expanded: int | None = None) -> str:
    """Paragraph and table text of a .docx file, one paragraph per line.

    Raises :class:`~veil.errors.InputError` for a file that is not a readable .docx or
    that would expand beyond ``max_expanded`` bytes (default :data:`MAX_DOCX_EXPANDED`).
    """
    limit = MAX_DOCX_EXPANDED if max_expanded is None else max_expanded
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError(f"{name} is not a .docx file (not a zip archive)") from None
    if expanded > limit:
        raise InputError(f"{name} expands to more than {limit} bytes")
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - declared in the serve extra
        raise ConfigError("reading .docx needs python-docx (pip install 'veil[serve]')") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"{name} could not be read as .docx: {type(exc).__name__}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputError(f"{name} contains no text")
    return text
