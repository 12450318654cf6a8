"""Markdown: only text is detected, so headings, emphasis, lists and link syntax survive.

``markdown-it-py`` (CommonMark) finds the blocks; each inline block (a paragraph, a
heading, a table cell) becomes one segment with its syntax left out: emphasis and
strike-through markers, link destinations, autolink brackets, inline HTML tags and
backslashes. A name split by emphasis (``La**vr**ov``) is therefore one name to the
detectors, and only its letters are replaced. Code spans and code blocks are detected
too (a name in code is still a name), and so are HTML blocks (as HTML). The address of a
``mailto:`` or ``tel:`` link is its own segment, so a protected address is masked there
as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from ..errors import InputError
from ..write import decode_text
from . import html as _html
from ._segments import Edit, Segment, SegmentBuilder, apply_to_source

_EMPHASIS = re.compile(r"\*{1,3}|~~|(?<!\w)_{1,3}|_{1,3}(?!\w)")
# Linear: an angle-bracket destination holds no "<" (CommonMark), so a scan ends there.
_LINK_TAIL = re.compile(r"\]\(\s*(<[^<>\n]*+>|[^\s()]*+)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_CODE = re.compile(r"(`+)(.+?)\1", re.S)


def _line_starts(source: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", source))
    return starts


class _Mapper:
    """Maps an inline block's content (as markdown-it reports it) back to source offsets."""

    def __init__(self, source: str, line_starts: list[int]) -> None:
        self.src = source
        self.ls = line_starts
        self.line = 0
        self.col = 0

    def locate(self, content: str, first_line: int) -> list[int]:
        """Source offset of every character of ``content`` (``-1`` for joining newlines)."""
        if first_line > self.line:
            self.line, self.col = first_line, 0
        offsets: list[int] = []
        for k, part in enumerate(content.split("\n")):
            if k:
                offsets.append(-1)
            if not part:
                continue
            while self.line < len(self.ls):
                start = self.ls[self.line] + self.col
                end = self.ls[self.line + 1] if self.line + 1 < len(self.ls) else len(self.src)
                at = self.src.find(part, start, end)
                if at >= 0:
                    offsets.extend(range(at, at + len(part)))
                    self.col = at + len(part) - self.ls[self.line]
                    break
                self.line, self.col = self.line + 1, 0
            else:
                raise InputError("Markdown: could not map a block back to its source")
        return offsets


def _opens_link(content: str, bracket: int) -> bool:
    """Whether the ``[`` at ``bracket`` opens a link or image (``[text](target)``); a bare
    ``[`` (``[PERSON_1]``) is text."""
    close = content.find("]", bracket + 1)
    while close >= 0:
        if _LINK_TAIL.match(content, close):
            return "[" not in content[bracket + 1 : close]
        close = content.find("]", close + 1)
    return False


def _spans(content: str) -> Iterator[tuple[int, int, str]]:
    """Ranges of ``content`` with their kind: ``text``, ``skip`` or ``link``."""
    pos = 0
    n = len(content)
    while pos < n:
        ch = content[pos]
        if ch == "\\" and pos + 1 < n and not content[pos + 1].isalnum():
            yield pos, pos + 1, "skip"
            yield pos + 1, pos + 2, "text"
            pos += 2
            continue
        if ch == "`" and (m := _CODE.match(content, pos)):
            yield pos, pos + len(m.group(1)), "skip"
            yield m.start(2), m.end(2), "text"
            yield m.end(2), m.end(), "skip"
            pos = m.end()
            continue
        if ch == "]" and (m := _LINK_TAIL.match(content, pos)):
            dest = m.group(1).strip("<>")
            if dest.lower().startswith(_html.LINK_SCHEMES):
                d0 = m.start(1) + (1 if m.group(1).startswith("<") else 0)
                colon = content.index(":", d0) + 1
                yield pos, colon, "skip"
                yield colon, d0 + len(dest), "link"
                yield d0 + len(dest), m.end(), "skip"
            else:
                yield pos, m.end(), "skip"
            pos = m.end()
            continue
        if (ch == "[" or content.startswith("![", pos)) and _opens_link(content, pos + (ch == "!")):
            yield pos, pos + (2 if ch == "!" else 1), "skip"
            pos += 2 if ch == "!" else 1
            continue
        if ch == "<" and (m := _AUTOLINK.match(content, pos)):
            target = m.group(1)
            if "@" in target and ":" not in target:
                yield pos, pos + 1, "skip"
                yield pos + 1, m.end() - 1, "link"
                yield m.end() - 1, m.end(), "skip"
            elif target.lower().startswith(_html.LINK_SCHEMES):
                colon = content.index(":", pos) + 1
                yield pos, colon, "skip"
                yield colon, m.end() - 1, "link"
                yield m.end() - 1, m.end(), "skip"
            else:
                yield pos, m.end(), "skip"
            pos = m.end()
            continue
        if ch == "<" and (m := _INLINE_TAG.match(content, pos)):
            yield pos, m.end(), "skip"
            pos = m.end()
            continue
        if ch in "*_~" and (m := _EMPHASIS.match(content, pos)):
            yield pos, m.end(), "skip"
            pos = m.end()
            continue
        yield pos, pos + 1, "text"
        pos += 1


def _inline_segments(content: str, offsets: list[int]) -> list[Segment]:
    text = SegmentBuilder(kind="text")
    links: list[Segment] = []
    for start, end, kind in _spans(content):
        if kind == "skip":
            continue
        b = text if kind == "text" else SegmentBuilder(kind="link")
        for i in range(start, end):
            o = offsets[i]
            if o < 0:
                b.add("\n", _prev(offsets, i), _prev(offsets, i))
            else:
                b.add(content[i], o)
        if kind == "link":
            links.append(b.build())
    seg = _coalesce(text.build())
    return ([seg] if seg.text.strip() else []) + links


def _prev(offsets: list[int], i: int) -> int:
    j = i - 1
    while j >= 0 and offsets[j] < 0:
        j -= 1
    return offsets[j] + 1 if j >= 0 else 0


def _coalesce(seg: Segment) -> Segment:
    """Merge adjacent one-character pieces that are contiguous in the source."""
    b = SegmentBuilder(seg.where, seg.kind)
    run_text: list[str] = []
    run_src = -1
    run_end = -1
    for p in seg.pieces:
        ch = seg.text[p.start : p.end]
        if run_text and p.src_start == run_end and p.src_end - p.src_start == len(ch):
            run_text.append(ch)
            run_end = p.src_end
            continue
        if run_text:
            b.add("".join(run_text), run_src)
        if p.src_end - p.src_start == len(ch):
            run_text, run_src, run_end = [ch], p.src_start, p.src_end
        else:  # a joining newline: no source characters of its own
            run_text = []
            b.add(ch, p.src_start, p.src_end, atomic=True)
    if run_text:
        b.add("".join(run_text), run_src)
    return b.build()


def scan(source: str) -> list[Segment]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    tokens = md.parse(source)
    ls = _line_starts(source)
    mapper = _Mapper(source, ls)
    out: list[Segment] = []
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type == "inline":
            out.extend(_inline_segments(tok.content, mapper.locate(tok.content, tok.map[0])))
        elif tok.type in ("fence", "code_block") and tok.content.strip():
            first = tok.map[0] + (1 if tok.type == "fence" else 0)
            body = tok.content.rstrip("\n")
            offsets = mapper.locate(body, first)
            b = SegmentBuilder(kind="code")
            for i, o in enumerate(offsets):
                b.add(body[i], o if o >= 0 else _prev(offsets, i), None if o >= 0 else _prev(offsets, i))
            out.append(_coalesce(b.build()))
        elif tok.type == "html_block":
            start = ls[tok.map[0]]
            end = ls[tok.map[1]] if tok.map[1] < len(ls) else len(source)
            for seg in _html.scan(source[start:end]):
                b = SegmentBuilder(kind=seg.kind)
                for p in seg.pieces:
                    b.add(seg.text[p.start : p.end], start + p.src_start, start + p.src_end, atomic=p.atomic)
                out.append(b.build())
            mapper.line = max(mapper.line, tok.map[1])
    return out


def _escape(segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> list[list[Edit]]:
    """New text outside code is entity-escaped, so an operator's ``<PERSON_1>`` stays text
    (inline HTML would hide it) and ``&`` stays a character."""
    out: list[list[Edit]] = []
    for seg, seg_edits in zip(segments, edits, strict=True):
        if seg.kind == "code":
            out.append(list(seg_edits))
        else:
            out.append(
                [Edit(e.start, e.end, e.new.replace("&", "&amp;").replace("<", "&lt;")) for e in seg_edits]
            )
    return out


class MarkdownFormat:
    """Markdown documents (``.md``, ``.markdown``), CommonMark with tables."""

    name: ClassVar[str] = "markdown"
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".markdown")

    def segments(self, data: bytes) -> list[Segment]:
        return scan(decode_text(data, "Markdown document", allow_empty=True))

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        source = decode_text(data, "Markdown document", allow_empty=True)
        return apply_to_source(source, segments, _escape(segments, edits)).encode("utf-8")

    def layers(self, data: bytes) -> list[str]:
        source = decode_text(data, "Markdown document", allow_empty=True)
        return [source, *(s.text for s in scan(source))]
