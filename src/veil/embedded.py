"""Person names inside other identifiers: URLs, e-mail addresses, handles, CamelCase words
and letter-spaced words.

After resolution, a person's name words ("anna", "kowalski") are looked for in:

* a token around ``@``, ``://`` or ``www.`` ("news.example.org/people/anna-kowalski",
  "anna.kowalski@example.org", "@AnnaKowalski"), also run together, perhaps with an
  initial ("annakowalski@...", "akowalski@...");
* a CamelCase word ("AnnaKowalski");
* a lower-case user name standing alone, made of the person's initial or first name and
  surname ("ajohnston-pike", "annakowalski" for "Anna Kowalski");
* a letter-spaced word ("S e r g e y", "S.e.r.g.e.y");
* text that the clean view removed (tag attributes such as ``title="Anna Kowalski"``).

A letter run counts only when it splits wholly into name words and at most two single
letters ("annapolis" is not "anna"). Each occurrence outside the existing mentions becomes a mention of that person (source
``embedded``), so it is masked even when URL and EMAIL are not protected. A word shorter
than three letters or a title is never looked for, so initials do not mask every "a" of a
URL. The search is linear: only those tokens are examined, each split into letter runs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import replace

from .detect.lexicon import TITLES
from .model import Document, Entity, Label, Span

SOURCE = "embedded"
_LETTERS = re.compile(r"[^\W\d_]+")
_NAME_WORD = re.compile(r"[^\W\d_]{3,}+")
_ANCHOR = re.compile(r"@|://|(?<![\w.])www\.")
_STOP = " \t\n\r\"'<>()[]{}|`,;"
_CAMEL = re.compile(r"(?<![\w])(?:[A-Z][a-z]++){2,}+(?![\w])")
# A letter-spaced word starts at a letter that does not itself follow a spaced letter.
_SPACED = re.compile(r"(?<![\w.\-·])(?<!(?<!\w)[^\W\d_][ .\-·])[^\W\d_](?:[ .\-·][^\W\d_](?!\w)){2,}+")
_MAX_FORM = 40


def _forms(doc: Document) -> dict[str, int]:
    """Lower-cased name words of each person entity -> the entity's index (first wins)."""
    forms: dict[str, int] = {}
    for k, ent in enumerate(doc.entities):
        if ent.label is not Label.PERSON:
            continue
        for m in ent.mentions:
            for w in _NAME_WORD.findall(m.text(doc.text)):
                low = w.lower()
                if len(low) == len(w) and low not in TITLES:
                    forms.setdefault(low, k)
    return forms


# A user name standing alone in running text: "ajohnston-pike", "mrossi" (lower case).
_LOWER_TOKEN = re.compile(r"(?<![\w@./-])[a-z][a-z-]{3,40}+(?![\w@-])")


def _user_names(doc: Document) -> dict[str, int]:
    """User names made of a person's initial (or first name) and surname, lower case:
    "Alastair Johnston-Pike" -> "ajohnston-pike", "ajohnstonpike", "alastairjohnston-pike"
    -> the entity's index. Only multi-word names with a surname of three letters or more."""
    out: dict[str, int] = {}
    for k, ent in enumerate(doc.entities):
        if ent.label is not Label.PERSON:
            continue
        for m in ent.mentions:
            words = [w for w in m.text(doc.text).split() if w.lower().strip(".") not in TITLES]
            if len(words) < 2 or not words[0][:1].isalpha():
                continue
            first, last = words[0].lower().strip("."), words[-1].lower()
            if len(last) < 3 or not last.replace("-", "").isalpha():
                continue
            for sur in {last, last.replace("-", "")}:
                out.setdefault(first[0] + sur, k)
                if len(first) > 1 and first.isalpha():
                    out.setdefault(first + sur, k)
    return out


def _in_run(run: str, forms: dict[str, int]) -> Iterator[tuple[int, int, int]]:
    """``(0, len(run), entity)`` when the letter run is made of name words, perhaps with an
    initial or two ("annakowalski", "AnnaKowalski", "akowalski"); nothing otherwise, so that
    "annapolis" or "Hannah" are not taken for "Anna"."""
    low = run.lower()
    n = len(low)
    if n < 3 or len(low) != len(run):
        return
    if low in forms:
        yield 0, n, forms[low]
        return
    # singles[i]: fewest single letters in a split of low[:i] into name words and letters
    singles = [0] + [n + 1] * n
    owner: list[int | None] = [None] * (n + 1)
    for i in range(n):
        if singles[i] > n:
            continue
        if singles[i] + 1 < singles[i + 1]:
            singles[i + 1], owner[i + 1] = singles[i] + 1, owner[i]
        for j in range(i + 3, min(n, i + _MAX_FORM) + 1):
            k = forms.get(low[i:j])
            if k is not None and singles[i] < singles[j]:
                singles[j], owner[j] = singles[i], owner[i] if owner[i] is not None else k
    k_end = owner[n]
    if singles[n] <= 2 and k_end is not None:
        yield 0, n, k_end


def _token(text: str, pos: int) -> tuple[int, int]:
    """The run of characters around ``pos`` up to a space, quote or bracket."""
    start = pos
    while start > 0 and text[start - 1] not in _STOP:
        start -= 1
    end = pos
    while end < len(text) and text[end] not in _STOP:
        end += 1
    return start, end


def _regions(text: str, removed: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    last_end = -1
    for m in _ANCHOR.finditer(text):
        if m.start() < last_end:
            continue
        start, end = _token(text, m.start())
        last_end = end
        yield start, end
    for m in _CAMEL.finditer(text):
        yield m.span()
    yield from removed


def _hits(
    text: str, forms: dict[str, int], removed: list[tuple[int, int]], users: dict[str, int] | None = None
) -> Iterator[tuple[int, int, int]]:
    if users:
        for m in _LOWER_TOKEN.finditer(text):
            k = users.get(m.group())
            if k is not None:
                yield m.start(), m.end(), k
    for start, end in _regions(text, removed):
        for letters in _LETTERS.finditer(text, start, end):
            for s, e, k in _in_run(letters.group(), forms):
                yield letters.start() + s, letters.start() + e, k
    for m in _SPACED.finditer(text):
        positions = [m.start() + i for i in range(0, len(m.group()), 2)]
        collapsed = "".join(text[p] for p in positions)
        for s, e, k in _in_run(collapsed, forms):
            yield positions[s], positions[e - 1] + 1, k


def mask_embedded_names(doc: Document, *, removed: list[tuple[int, int]] | None = None) -> Document:
    """``doc`` with a mention added for every person name word found inside a URL, an
    e-mail address, a handle, a CamelCase or letter-spaced word, or ``removed`` text.

    Only entities already in ``doc`` (after policy) are used: with PERSON unprotected,
    nothing changes. Added mentions never overlap existing ones.
    """
    forms = _forms(doc)
    if not forms:
        return doc
    occupied = sorted((m.start, m.end) for ent in doc.entities for m in ent.mentions)
    starts = [s for s, _ in occupied]
    added: dict[int, list[Span]] = {}
    hits = _hits(doc.text, forms, removed or [], _user_names(doc))
    for s, e, k in sorted(hits, key=lambda h: (h[0], -h[1])):
        j = bisect.bisect_right(starts, s)
        if (j > 0 and occupied[j - 1][1] > s) or (j < len(starts) and starts[j] < e):
            continue
        occupied.insert(j, (s, e))
        starts.insert(j, s)
        added.setdefault(k, []).append(Span(s, e, Label.PERSON, SOURCE, 0.8))
    if not added:
        return doc
    entities: list[Entity] = []
    for k, ent in enumerate(doc.entities):
        if k not in added:
            entities.append(ent)
            continue
        mentions = tuple(sorted((*ent.mentions, *added[k]), key=lambda sp: sp.start))
        sources = ent.sources if SOURCE in ent.sources else (*ent.sources, SOURCE)
        entities.append(replace(ent, mentions=mentions, sources=sources))
    return replace(doc, entities=tuple(entities))


__all__ = ["mask_embedded_names"]
