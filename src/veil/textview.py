"""The clean view of a text that detection runs on, with a map back to the original.

Names hidden by markup or invisible characters ("<b>Sergey</b> Lavrov", "Ser<b></b>gey",
"La**vr**ov", "Lav\\u200brov", a no-break space between first and last name) are not seen
by NER, patterns or context rules that read the raw text. :func:`view_of` builds a view in
which, in one left-to-right pass:

* HTML tags of known elements are removed (block elements such as ``<p>``, ``<br>``,
  ``<div>`` become a line break; inline ones such as ``<b>``, ``<span class=x>`` vanish).
  A tag whose attributes hold a URL or an e-mail address becomes those values between
  spaces, so that they are still detected;
* HTML character references are decoded (``&nbsp;``, ``&#8203;``, ``&shy;``);
* Markdown emphasis runs (``*``, ``_``, ``~``, backticks, up to three) that touch a word
  are removed (an underscore only at a word's edge, so that "femi_b" stays a handle), and
  a link ``[text](url)`` reads ``text (url)``;
* default-ignorable code points (zero-width spaces and joiners, U+2060, soft hyphen,
  variation selectors, U+FEFF...) and bidi controls (U+202A-E, U+2066-9, U+200E/F,
  U+061C) are removed;
* space variants (no-break, thin, ideographic...) become a space, line and paragraph
  separators a line break;
* NFKC is applied (fullwidth letters, ligatures, compatibility forms), per base character
  with its combining marks.

**The map.** The view is cut into segments. A *linear* segment maps view offset ``v`` to
``o + (v - v0)`` (untouched text, or a 1-to-1 replacement such as a no-break space). An
*atomic* segment maps its whole view range to its whole original range (an NFKC expansion
"ﬁ" -> "fi", a composition "e"+U+0301 -> "é", a tag replaced by a line break). Removed text
has no segment: it lies between two segments in the original. A view span ``[s, e)`` maps to
the original from the start of the character at ``s`` to the end of the character at
``e - 1``, so every original character between them - inner tags and invisibles included -
is inside the mapped span, and an atomic segment is never cut.

Everything here is linear in the length of the text; a text with nothing to clean is its
own view (one segment) without any per-character work.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from array import array
from dataclasses import dataclass, field, replace
from functools import cache

from .model import Document, Span

# Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt), which holds the
# bidi controls U+200E/F, U+202A-E, U+2066-9 and U+061C too.
_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_BREAKS = "\u0085\u2028\u2029"
_ODD_CHAR = re.compile(f"[{_IGNORABLE}{_SPACES}{_BREAKS}]")
_SPACE_RE = re.compile(f"[{_SPACES}]")

_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|br|caption|center|dd|div|dl|dt|fieldset|figcaption|"
    "figure|footer|form|h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|tbody|td|"
    "tfoot|th|thead|title|tr|ul"
)
_INLINE_TAGS = (
    "a|abbr|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|ins|kbd|label|mark|nobr|q|s|samp|"
    "small|span|strike|strong|sub|sup|time|tt|u|var|wbr"
)
_TAG_BODY = r"(?=[\s/>])[^<>]{0,2000}>"
_BLOCK_RE = re.compile(rf"(?i)</?(?:{_BLOCK_TAGS}){_TAG_BODY}")
# An attribute value that should stay visible to the detectors (a link or an address).
_ATTR_VALUE = re.compile(r"""=[ \t\n]*+(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]++))""")

_MARKUP = (
    rf"(?P<tag>(?i:</?(?:{_BLOCK_TAGS}|{_INLINE_TAGS})){_TAG_BODY})"
    r"|(?P<ref>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<open>!?\[(?=[^\[\]\n]{1,500}\]\())"
    r"|(?P<close>\]\((?=[^()\s]{1,2000}\)))"
    # an underscore inside a word is no emphasis ("femi_b", "max_retries"), as in CommonMark
    r"|(?P<emph>(?<![*_~`])(?:(?<=[^\W_])(?:[*~`]{1,3}+|_{1,3}+(?![^\W_]))"
    r"|(?:[*~`]{1,3}+|(?<![^\W_])_{1,3}+)(?=[^\W_])))"
)
_MARKUP_RE = re.compile(_MARKUP)


@cache
def _unicode_tables() -> tuple[frozenset[str], frozenset[int]]:
    """In one pass over the code points above ASCII: the characters that compose canonically
    with the one before them (U+0301, Hangul vowels), and the code points NFKC changes or
    that combine (a code point without a decomposition mapping is its own NFKC; Hangul
    syllables, which decompose algorithmically, compose back)."""
    import sys

    decomposition, combining, normalize = (
        unicodedata.decomposition,
        unicodedata.combining,
        unicodedata.normalize,
    )
    second: set[str] = set()
    unstable: set[int] = set()
    for c in range(0x80, sys.maxunicode + 1):
        ch = chr(c)
        mapping = decomposition(ch)
        if mapping:
            parts = mapping.split()
            if len(parts) == 2 and not parts[0].startswith("<"):
                second.add(chr(int(parts[1], 16)))
            if normalize("NFKC", ch) != ch:
                unstable.add(c)
                continue
        if combining(ch):
            unstable.add(c)
    # Hangul syllables compose algorithmically: vowel and final jamo join the one before.
    second.update(chr(c) for c in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)))
    return frozenset(second), frozenset(unstable)


def _second_halves() -> frozenset[str]:
    """Characters that compose canonically with the one before them (U+0301, Hangul vowels)."""
    return _unicode_tables()[0]


@cache
def full_re() -> re.Pattern[str]:
    """The markup expression plus runs of characters to clean: ignorables, odd spaces, and
    every character NFKC may change or compose with the one before it (built once, on the
    first text that needs it; ~0.15 s). Plain accented text is never stopped at."""
    second, changing = _unicode_tables()
    codes = {ord(ch) for ch in second} | changing
    ranges: list[list[int]] = []
    for c in sorted(codes):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    unstable = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    odd = f"{_IGNORABLE}{_SPACES}{_BREAKS}{unstable}"
    return re.compile(_MARKUP + f"|(?P<other>[{odd}]++)")


_ASCII_SPECIAL = re.compile(r"[<&\[*_~`]")


@dataclass(frozen=True, slots=True)
class TextView:
    """A cleaned text for detection and the map from its offsets to the original's.

    Build it with :func:`view_of`. ``text`` is what detectors read; :meth:`span` turns a
    view span into the original span that covers it.
    """

    original: str = field(repr=False)
    text: str = field(repr=False)
    _v: array[int] = field(repr=False)  # segment start in the view
    _o: array[int] = field(repr=False)  # segment start in the original
    _oe: array[int] = field(repr=False)  # segment end in the original
    _linear: bytes = field(repr=False)

    @property
    def identity(self) -> bool:
        """Whether the view is the original text itself."""
        return self.text is self.original

    def _segment(self, v: int) -> int:
        return bisect.bisect_right(self._v, v) - 1

    def start(self, v: int) -> int:
        """The original offset where the view character at ``v`` starts."""
        if self.identity:
            return v
        i = self._segment(v)
        return self._o[i] + (v - self._v[i]) if self._linear[i] else self._o[i]

    def end(self, v: int) -> int:
        """The original offset where the view character at ``v - 1`` ends."""
        if self.identity:
            return v
        i = self._segment(v - 1)
        return self._o[i] + (v - self._v[i]) if self._linear[i] else self._oe[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` covering the view span ``[start, end)``."""
        return self.start(start), self.end(end)

    def removed(self) -> list[tuple[int, int]]:
        """Original ranges that have no counterpart in the view (tags, invisibles...)."""
        if self.identity:
            return []
        out: list[tuple[int, int]] = []
        pos = 0
        for o, oe in zip(self._o, self._oe, strict=True):
            if o > pos:
                out.append((pos, o))
            pos = oe
        if pos < len(self.original):
            out.append((pos, len(self.original)))
        return out

    def __repr__(self) -> str:
        return f"TextView(original=[redacted {len(self.original)} chars], view={len(self.text)} chars)"


class _Builder:
    def __init__(self, original: str) -> None:
        self.original = original
        self.parts: list[str] = []
        self.v: array[int] = array("q")
        self.o: array[int] = array("q")
        self.oe: array[int] = array("q")
        self.linear = bytearray()
        self.vpos = 0
        self.opos = 0  # original text before this is accounted for

    def _add(self, ostart: int, oend: int, new: str, linear: bool) -> None:
        n = len(new)
        if (
            linear
            and self.linear
            and self.linear[-1]
            and self.oe[-1] == ostart
            and self.vpos == (self.v[-1] + (self.oe[-1] - self.o[-1]))
        ):
            self.oe[-1] = oend
        else:
            self.v.append(self.vpos)
            self.o.append(ostart)
            self.oe.append(oend)
            self.linear.append(1 if linear else 0)
        self.parts.append(new)
        self.vpos += n

    def copy_to(self, end: int) -> None:
        """Keep the original text from the current position up to ``end`` unchanged."""
        if end > self.opos:
            self._add(self.opos, end, self.original[self.opos : end], True)
            self.opos = end

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace the original ``[start, end)`` by ``new`` (removed when empty)."""
        self.copy_to(start)
        if new:
            self._add(start, end, new, len(new) == end - start)
        self.opos = end

    def build(self) -> TextView:
        self.copy_to(len(self.original))
        return TextView(
            original=self.original,
            text="".join(self.parts),
            _v=self.v,
            _o=self.o,
            _oe=self.oe,
            _linear=bytes(self.linear),
        )


def _clean_chars(text: str) -> str:
    """Remove ignorables, fold spaces and apply NFKC to a short piece (no map needed)."""
    text = _ODD_CHAR.sub(_fold_char, text)
    return unicodedata.normalize("NFKC", text)


def _fold_char(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _BREAKS:
        return "\n"
    return " " if _SPACE_RE.match(ch) else ""


def _clean_run(b: _Builder, start: int, end: int) -> None:
    """Clean the original ``[start, end)`` (a run of characters to clean), cluster by
    cluster: a character with the marks and jamo that compose with it."""
    text = b.original
    if start > b.opos and _composes(text[start]):
        start -= 1  # with the character before it: "e" + U+0301 is normalised as one
    run = text[start:end]
    if _ODD_CHAR.search(run) is None and unicodedata.is_normalized("NFKC", run):
        return  # copied later as it is
    i = start
    while i < end:
        j = i + 1
        while j < end and _composes(text[j]):
            j += 1
        cluster = text[i:j]
        new = _clean_chars(cluster)
        if new != cluster:
            b.replace(i, j, new)
        i = j


def _composes(ch: str) -> bool:
    return bool(unicodedata.combining(ch)) or ch in _second_halves()


def _tag_text(tag: str) -> str:
    """What a tag becomes in the view: its link / address attribute values, a line break
    for a block element, nothing for an inline one."""
    values = [next(g for g in m.groups() if g is not None) for m in _ATTR_VALUE.finditer(tag)]
    kept = [v for v in values if "://" in v or "@" in v or v.lower().startswith("www.")]
    if kept:
        return " " + " ".join(html.unescape(v) for v in kept) + " "
    return "\n" if _BLOCK_RE.fullmatch(tag) else ""


def view_of(text: str) -> TextView:
    """The clean view of ``text`` (see the module docstring); ``text`` itself when clean."""
    needs_chars = not text.isascii() and (
        _ODD_CHAR.search(text) is not None or not unicodedata.is_normalized("NFKC", text)
    )
    if not needs_chars and _ASCII_SPECIAL.search(text) is None:
        return TextView(text, text, array("q", [0]), array("q", [0]), array("q", [len(text)]), b"\x01")
    b = _Builder(text)
    for m in (full_re() if needs_chars else _MARKUP_RE).finditer(text):
        kind = m.lastgroup
        s, e = m.span()
        if kind == "other":
            _clean_run(b, s, e)
        elif kind == "tag":
            b.replace(s, e, _tag_text(m.group()))
        elif kind == "ref":
            decoded = html.unescape(m.group())
            if decoded != m.group():
                b.replace(s, e, _clean_chars(decoded))
        elif kind == "close":
            b.replace(s, e, " (")
        else:  # "open", "emph"
            b.replace(s, e, "")
    return b.build()


def restore_offsets(view: TextView, doc: Document) -> Document:
    """``doc`` (analysed on ``view.text``) with the original text and its spans and
    entities mapped onto the original.

    Two mentions whose mapped extents overlap (they shared a character that NFKC expanded,
    or a replaced tag) become their union, owned by the longer one, so that the transform
    sees mentions that never overlap and nothing of either is left out.
    """
    if view.identity:
        return doc

    def mapped(sp: Span) -> Span:
        s, e = view.span(sp.start, sp.end)
        return replace(sp, start=s, end=e)

    flat = sorted(
        ((mapped(m), k) for k, ent in enumerate(doc.entities) for m in ent.mentions),
        key=lambda t: (t[0].start, -t[0].end),
    )
    merged: list[tuple[Span, int, int]] = []  # span, owner, length of the owner's span
    for sp, k in flat:
        if merged and sp.start < merged[-1][0].end:
            last, owner, length = merged[-1]
            if len(sp) > length:
                owner, length = k, len(sp)
            merged[-1] = (replace(last, end=max(last.end, sp.end)), owner, length)
            continue
        merged.append((sp, k, len(sp)))
    mentions: dict[int, list[Span]] = {}
    for sp, k, _ in merged:
        label = doc.entities[k].label
        mentions.setdefault(k, []).append(sp if sp.label is label else replace(sp, label=label))
    entities = tuple(
        replace(ent, mentions=tuple(mentions[k])) for k, ent in enumerate(doc.entities) if k in mentions
    )
    return replace(doc, text=view.original, spans=tuple(mapped(sp) for sp in doc.spans), entities=entities)


__all__ = ["TextView", "restore_offsets", "view_of"]
