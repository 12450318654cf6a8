"""Plain UTF-8 text: one segment, the whole file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from ..write import decode_text
from ._segments import Edit, Segment, apply_to_source, plain


class TextFormat:
    """Plain text (``.txt`` and anything without a more specific format)."""

    name: ClassVar[str] = "text"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".text")

    def segments(self, data: bytes) -> list[Segment]:
        return [plain(decode_text(data, "text document"))]

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        return apply_to_source(decode_text(data, "text document"), segments, edits).encode("utf-8")

    def layers(self, data: bytes) -> list[str]:
        return [data.decode("utf-8", errors="replace")]
