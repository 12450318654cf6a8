"""HTML: text nodes, human-visible attributes, mail and phone links, ``<meta>`` content,
comments, and string literals in inline scripts (JSON-LD included), redacted in place.

Parsing uses the standard library's HTML parser (a tokenizer that never recurses), only
to find where each piece of text lies; the output is the input with those pieces edited,
so every other byte of markup is unchanged. Character references (``&amp;``, ``&#76;``)
are decoded for detection and replaced whole.

Text nodes joined by inline tags (``Ser<b>gey</b>``) form one segment, so a name split
by formatting is still one name; the tags themselves are kept. Block tags, ``<br>`` and
comments end a segment.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import ClassVar

from ..errors import InputError
from ._segments import Edit, Segment, SegmentBuilder, apply_to_source

#: Tags that do not end a run of text: formatting inside a sentence.
INLINE = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strike "
    "strong sub sup time tt u var".split()
)
#: Attributes a reader sees (tooltips, alternative text, labels, form values).
VISIBLE_ATTRS = frozenset({"alt", "title", "aria-label", "placeholder", "value", "label", "summary"})
LINK_ATTRS = frozenset({"href", "src", "action", "cite"})
LINK_SCHEMES = ("mailto:", "tel:", "sms:")
MAX_DEPTH = 10_000

_CHARREF = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_ATTR = re.compile(r"""([^\s/>"'=][^\s/>"'=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']*))?""")
_TAGNAME = re.compile(r"<[!/]?[A-Za-z][^\s/>]*")
_JS_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
_JS_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def decode(data: bytes, name: str = "HTML") -> tuple[str, str]:
    """The document text and the encoding to write it back in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii")
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            raise InputError(f"{name} declares charset {enc!r} but is not valid in it") from None
    raise InputError(f"{name} is neither UTF-8 nor declares its charset")


def add_unescaped(b: SegmentBuilder, source: str, start: int, end: int) -> None:
    """Add ``source[start:end]`` with character references decoded (each one atomic)."""
    pos = start
    for m in _CHARREF.finditer(source, start, end):
        b.add(source[pos : m.start()], pos)
        b.add(html.unescape(m.group()), m.start(), m.end(), atomic=True)
        pos = m.end()
    b.add(source[pos:end], pos)


def add_js_string(b: SegmentBuilder, source: str, start: int, end: int) -> None:
    """Add a JS/JSON string literal's body with its escapes decoded (each one atomic)."""
    pos = start
    for m in _JS_ESCAPE.finditer(source, start, end):
        b.add(source[pos : m.start()], pos)
        try:
            ch = json.loads('"' + m.group() + '"') if m.group()[1] in 'u"\\/bfnrt' else m.group()[1]
        except ValueError:
            ch = m.group()[1:]
        b.add(ch, m.start(), m.end(), atomic=True)
        pos = m.end()
    b.add(source[pos:end], pos)


class _Scanner(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.src = source
        self.line_starts = [0]
        for m in re.finditer("\n", source):
            self.line_starts.append(m.end())
        self.segments: list[Segment] = []
        self.run = SegmentBuilder(kind="text")
        self.in_script: str | None = None  # the script's type when inside <script>
        self.in_style = False
        self.depth = 0

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def flush(self) -> None:
        if len(self.run) and self.run.build().text.strip():
            self.segments.append(self.run.build())
        self.run = SegmentBuilder(kind="text")

    # -- tags -----------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, closing=True)

    def _tag(self, tag: str, *, closing: bool) -> None:
        start = self._at()
        raw = self.get_starttag_text() or ""
        if tag not in INLINE:
            self.flush()
        if not closing and tag not in _VOID:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise InputError(f"HTML nests deeper than {MAX_DEPTH} elements")
        self._attributes(tag, start, raw)
        if tag == "script" and not closing:
            types = dict(self._attr_values(start, raw))
            self.in_script = types.get("type", "text/javascript").lower()
        elif tag == "style" and not closing:
            self.in_style = True

    def _attr_values(self, start: int, raw: str) -> list[tuple[str, str]]:
        name = _TAGNAME.match(raw)
        pos = name.end() if name else 1
        out = []
        for m in _ATTR.finditer(raw, pos):
            value = m.group(2) or ""
            out.append((m.group(1).lower(), html.unescape(value.strip("\"'"))))
        return out

    def _attributes(self, tag: str, start: int, raw: str) -> None:
        name_m = _TAGNAME.match(raw)
        pos = name_m.end() if name_m else 1
        attrs = [(m.group(1).lower(), m) for m in _ATTR.finditer(raw, pos) if m.group(2)]
        names = {k for k, _ in attrs}
        for key, m in attrs:
            vstart, vend = start + m.start(2), start + m.end(2)
            if self.src[vstart] in "\"'":
                vstart, vend = vstart + 1, vend - 1
            value = html.unescape(self.src[vstart:vend]).strip().lower()
            if key in VISIBLE_ATTRS or (key == "content" and tag == "meta" and "charset" not in names):
                b = SegmentBuilder(kind="attribute")
                add_unescaped(b, self.src, vstart, vend)
                if b.build().text.strip():
                    self.segments.append(b.build())
            elif key in LINK_ATTRS and value.startswith(LINK_SCHEMES):
                scheme = self.src.index(":", vstart) + 1
                b = SegmentBuilder(kind="link")
                add_unescaped(b, self.src, scheme, vend)
                self.segments.append(b.build())

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.flush()
        self.depth = max(0, self.depth - 1)
        if tag == "script":
            self.in_script = None
        elif tag == "style":
            self.in_style = False

    # -- text -----------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        start = self._at()
        if self.in_style:
            return
        if self.in_script is not None:
            self._script(start, start + len(data))
            return
        self.run.add(data, start)

    def _script(self, start: int, end: int) -> None:
        for m in _JS_STRING.finditer(self.src, start, end):
            after = self.src[m.end() : m.end() + 40].lstrip()
            if after.startswith(":") and "json" in (self.in_script or ""):
                continue  # a JSON key, not a value
            b = SegmentBuilder(kind="script")
            add_js_string(b, self.src, m.start() + 1, m.end() - 1)
            if b.build().text.strip():
                self.segments.append(b.build())

    def handle_entityref(self, name: str) -> None:
        self._ref()

    def handle_charref(self, name: str) -> None:
        self._ref()

    def _ref(self) -> None:
        start = self._at()
        m = _CHARREF.match(self.src, start)
        if m is None:  # pragma: no cover - the parser only reports what matches
            raise InputError("HTML character reference at an unexpected place")
        if self.in_script is None and not self.in_style:
            self.run.add(html.unescape(m.group()), m.start(), m.end(), atomic=True)

    def handle_comment(self, data: str) -> None:
        self.flush()
        start = self._at() + 4  # after "<!--"
        b = SegmentBuilder(kind="comment")
        b.add(data, start)
        if data.strip():
            self.segments.append(b.build())


def scan(source: str) -> list[Segment]:
    """The segments of an HTML source string."""
    p = _Scanner(source)
    p.feed(source)
    p.close()
    p.flush()
    return p.segments


class HtmlFormat:
    """HTML documents (``.html``, ``.htm``, ``.xhtml``)."""

    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm", ".xhtml")

    def segments(self, data: bytes) -> list[Segment]:
        source, _ = decode(data)
        return scan(source)

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        source, enc = decode(data)
        out = apply_to_source(source, segments, edits)
        return out.encode(enc, errors="xmlcharrefreplace")

    def layers(self, data: bytes) -> list[str]:
        source, _ = decode(data)
        return [source, html.unescape(source), *(s.text for s in scan(source))]
