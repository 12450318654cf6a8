"""The audited text, indexed once: words outside masks, sentences and detector label votes.

Every finder reads the text through one :class:`TextIndex`; the helpers here answer the
questions they all ask ("is this inside a mask?", "which word ends before this offset?").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import LOCATIVE

if TYPE_CHECKING:
    from ..model import Document, Span
    from .report import Mask

_TOKEN = re.compile(r"[A-Za-z0-9À-ÿĀ-ž][\wÀ-ž]*(?:[.'’-][\wÀ-ž]+)*\.?")
ABBREV = re.compile(r"^(?:[A-Z]\.)+$|^(?:St|Dr|Mr|Mrs|Ms|Jr|Sr|Gen|Col|Lt|Sgt|Rev|Prof|Gov|Sen|Rep|No)\.$")
_SENT_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])|\n+")
_SEPARATOR = re.compile(r"[ \t.-]{1,2}")


def sentence_breaks(text: str) -> list[int]:
    """Start offsets of the sentences of ``text`` (a line break always ends a sentence)."""
    breaks = [0]
    for m in _SENT_BREAK.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()].split()
        if "\n" not in m.group() and before and ABBREV.match(before[-1].lstrip('"“(')):
            continue
        breaks.append(m.end())
    return breaks


def sentence_bounds(text: str, pos: int, breaks: Sequence[int] | None = None) -> tuple[int, int]:
    """The sentence ``[start, end)`` around ``pos``; "U.K."-style abbreviations do not end one."""
    b = breaks if breaks is not None else sentence_breaks(text)
    i = bisect.bisect_right(b, pos) - 1
    end = b[i + 1] if i + 1 < len(b) else len(text)
    return b[i], end


def key(word: str) -> str:
    """The comparison form of a word: case-folded, without a final dot or possessive."""
    w = word.rstrip(".")
    for suffix in ("'s", "’s"):
        if w.endswith(suffix):
            w = w[: -len(suffix)]
    return w.casefold()


def is_speech_evidence(span: Span) -> bool:
    """Whether a detector span rests only on a speech verb ("X said"): too weak to vote
    on a label ("the United Nations said")."""
    return span.source == "context.speech"


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return key(self.text)

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


def _label_votes(doc: Document | None, text: str, index: TextIndex) -> dict[str, frozenset[str]]:
    """Word -> the labels detectors gave to spans containing it (outside masks)."""
    votes: dict[str, set[str]] = {}
    if doc is None:
        return {}
    spans = list(doc.spans)
    for ent in doc.entities:
        spans.extend(ent.mentions)
    for sp in spans:
        if is_speech_evidence(sp) or index.in_mask(sp.start, sp.end):
            continue
        for w in text[sp.start : sp.end].split():
            votes.setdefault(key(w), set()).add(sp.label.value)
    return {k: frozenset(v) for k, v in votes.items()}


@dataclass(frozen=True, slots=True)
class TextIndex:
    """The text with its masks, its words outside masks, sentence starts and label votes.

    ``lower_words`` are the words the text also writes in lower case: common words, not
    names ("Know", "Love").
    """

    text: str
    doc: Document | None
    masks: tuple[Mask, ...]
    mask_starts: tuple[int, ...]
    toks: tuple[Token, ...]
    tok_starts: tuple[int, ...]
    breaks: tuple[int, ...]
    votes: dict[str, frozenset[str]]
    lower_words: frozenset[str]

    @classmethod
    def build(cls, text: str, doc: Document | None, masks: tuple[Mask, ...]) -> TextIndex:
        bare = cls(text, doc, masks, tuple(m.start for m in masks), (), (), (), {}, frozenset())
        toks = tuple(
            Token(m.start(), m.end(), m.group())
            for m in _TOKEN.finditer(text)
            if not bare.in_mask(m.start(), m.end())
        )
        return cls(
            text,
            doc,
            masks,
            bare.mask_starts,
            toks,
            tuple(t.start for t in toks),
            tuple(sentence_breaks(text)),
            _label_votes(doc, text, bare),
            frozenset(t.key for t in toks if t.text[:1].islower()),
        )

    def votes_for(self, word_key: str) -> frozenset[str]:
        return self.votes.get(word_key, frozenset())

    def in_mask(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.mask_starts, e - 1) - 1
        return i >= 0 and self.masks[i].end > s

    def sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self.breaks, pos) - 1

    def sentence_start(self, pos: int) -> int:
        return self.breaks[self.sentence_index(pos)]

    def tok_before(self, pos: int) -> int:
        """Index of the last token ending at or before ``pos`` (or -1)."""
        i = bisect.bisect_left(self.tok_starts, pos) - 1
        while i >= 0 and self.toks[i].end > pos:
            i -= 1
        return i

    def tok_from(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos`` (``len(toks)`` if none)."""
        return bisect.bisect_left(self.tok_starts, pos)

    def gap(self, a: int, b: int) -> bool:
        """True when anything but spaces separates offsets ``a`` and ``b``."""
        return bool(self.text[a:b].strip(" \t"))

    def joined(self, prev: tuple[int, int], start: int) -> bool:
        """True when only spaces on one line separate the mention ``prev`` and ``start``."""
        between = self.text[prev[1] : start]
        return not between.strip() and between.count("\n") == 0

    def touches_mask(self, s: int, e: int) -> bool:
        """True when a mask sits right next to ``[s, e)`` with only spaces between."""
        i = bisect.bisect_right(self.mask_starts, e + 2) - 1
        for j in range(max(0, i - 1), min(len(self.masks), i + 2)):
            m = self.masks[j]
            if m.end <= s and not self.text[m.end : s].strip(" \t") and s - m.end <= 2:
                return True
            if m.start >= e and not self.text[e : m.start].strip(" \t") and m.start - e <= 2:
                return True
        return False

    def in_mask_run(self, mask: Mask) -> bool:
        """True when another mask is joined to ``mask`` by a separator ("XXXX XXXX 1234")."""
        i = self.masks.index(mask)
        prev = self.masks[i - 1] if i > 0 else None
        nxt = self.masks[i + 1] if i + 1 < len(self.masks) else None
        return bool(
            (prev and _SEPARATOR.fullmatch(self.text[prev.end : mask.start]))
            or (nxt and _SEPARATOR.fullmatch(self.text[mask.end : nxt.start]))
        )

    def after_locative(self, word_key: str) -> bool:
        """Whether the word is written, capitalised, after "in", "at", "from the", ..."""
        for i, t in enumerate(self.toks):
            if t.key == word_key and t.cap and i > 0:
                prev = self.toks[i - 1]
                if prev.key in LOCATIVE and not self.text[prev.end : t.start].strip():
                    return True
                if prev.key == "the" and i > 1 and self.toks[i - 2].key in LOCATIVE:
                    return True
        return False

    def __repr__(self) -> str:
        return f"TextIndex(text=[redacted {len(self.text)} chars], masks={len(self.masks)}, tokens={len(self.toks)})"
