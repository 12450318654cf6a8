"""Text that a document carries, with exact offsets back into its source.

A :class:`Segment` is one run of human-readable text (a paragraph, a text node, an
attribute value, a header). Its ``text`` is what detection sees; ``pieces`` map every
character of it back to the format's own coordinates, so an edit on the text becomes an
edit on the source:

* an *identity* piece maps ``n`` text characters onto ``n`` source characters one to one;
* an *atomic* piece maps some text characters onto a source range as a whole (an HTML
  entity ``&amp;`` is one text character and five source characters). An edit that
  touches an atomic piece covers all of it.

Edits are half-open ``[start, end)`` ranges of the segment text with their new text.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Piece:
    """``text[start:end]`` comes from ``source[src_start:src_end]``."""

    start: int
    end: int
    src_start: int
    src_end: int
    atomic: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    """One run of text in a document. ``where`` is a format-private locator."""

    text: str = field(repr=False)
    pieces: tuple[Piece, ...] = ()
    where: Hashable = None
    kind: str = "text"

    def __repr__(self) -> str:
        return f"Segment({self.kind}, where={self.where!r}, text=[redacted {len(self.text)} chars])"

    def source_ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        """The source ranges that the text range ``[start, end)`` covers, one per piece.

        Atomic pieces are covered whole. What lies between pieces in the source (markup)
        is not part of any range, so an edit never removes it."""
        if not self.pieces:
            return [(start, end)]
        starts = [p.start for p in self.pieces]
        i = max(0, bisect.bisect_right(starts, start) - 1)
        out: list[tuple[int, int]] = []
        while i < len(self.pieces) and self.pieces[i].start < end:
            p = self.pieces[i]
            if p.atomic:
                out.append((p.src_start, p.src_end))
            else:
                lo = max(start, p.start) - p.start
                hi = min(end, p.end) - p.start
                out.append((p.src_start + lo, p.src_start + hi))
            i += 1
        return out


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` of a segment's text with ``new``."""

    start: int
    end: int
    new: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Edit({self.start}, {self.end}, new=[redacted])"


class SegmentBuilder:
    """Builds a segment from source slices, optionally transforming some of them."""

    def __init__(self, where: Hashable = None, kind: str = "text") -> None:
        self._text: list[str] = []
        self._pieces: list[Piece] = []
        self._len = 0
        self.where = where
        self.kind = kind

    def add(self, text: str, src_start: int, src_end: int | None = None, *, atomic: bool = False) -> None:
        """Append ``text``; it comes from ``[src_start, src_end)`` (same length if omitted)."""
        if not text:
            return
        if src_end is None:
            src_end = src_start + len(text)
        self._pieces.append(Piece(self._len, self._len + len(text), src_start, src_end, atomic))
        self._text.append(text)
        self._len += len(text)

    def build(self) -> Segment:
        return Segment("".join(self._text), tuple(self._pieces), self.where, self.kind)

    def __len__(self) -> int:
        return self._len


def plain(text: str, offset: int = 0, where: Hashable = None, kind: str = "text") -> Segment:
    """A segment whose text is ``source[offset:offset+len(text)]`` verbatim."""
    b = SegmentBuilder(where, kind)
    b.add(text, offset)
    return b.build()


def apply_to_source(source: str, segments: Sequence[Segment], edits: Sequence[Iterable[Edit]]) -> str:
    """Apply per-segment edits to the source string the segments' pieces point into.

    Raises ``ValueError`` if two edits overlap in the source (a format bug, never silent).
    """
    ranges: list[tuple[int, int, str]] = []
    for seg, seg_edits in zip(segments, edits, strict=True):
        for e in seg_edits:
            # The new text goes where the edit starts; the rest of what it covers is removed.
            for k, (s, t) in enumerate(seg.source_ranges(e.start, e.end)):
                ranges.append((s, t, e.new if k == 0 else ""))
    ranges.sort()
    out: list[str] = []
    pos = 0
    for s, t, new in ranges:
        if s < pos:
            raise ValueError(f"overlapping edits at source offset {s}")
        out.append(source[pos:s])
        out.append(new)
        pos = t
    out.append(source[pos:])
    return "".join(out)
