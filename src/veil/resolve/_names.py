"""Word-level helpers on names: whole-word widening, the core of a name, sub-names."""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cache, lru_cache

from ..detect.lexicon import NAME_PARTICLES, TITLES

_WORD = re.compile(r"\w", re.UNICODE)
POSSESSIVES = ("'s", "’s")


def is_word_char(ch: str) -> bool:
    return bool(_WORD.match(ch))


_RUN = re.compile(r"\w+")


@lru_cache(maxsize=4)
def _runs(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the text's runs of word characters, found once per text."""
    starts: list[int] = []
    ends: list[int] = []
    for m in _RUN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown to whole words: no partial word is ever left exposed.

    The runs of word characters are found once per text and looked up by bisection:
    stepping one character at a time made each span inside a 5 MB word cost 5 MB of steps."""
    if start > 0 and start < len(text) and is_word_char(text[start - 1]) and is_word_char(text[start]):
        starts, _ = _runs(text)
        start = starts[bisect.bisect_right(starts, start) - 1]
    if 0 < end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]):
        starts, ends = _runs(text)
        end = ends[bisect.bisect_right(starts, end - 1) - 1]
    return start, end


_NO_DECOMPOSITION = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H"}


@cache
def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if ch in _NO_DECOMPOSITION:
        return _NO_DECOMPOSITION[ch]
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
        return parts[0]
    return ch


class _FoldTable(dict[int, str]):
    """``str.translate`` table that fills itself from :func:`_fold_char` (which is cached
    anyway), so that each distinct character is folded once and then mapped in C."""

    def __missing__(self, code: int) -> str:
        out = self[code] = _fold_char(chr(code))
        return out


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """``text`` without diacritics, one character for one ("Ibáñez" -> "Ibanez"), so that
    offsets into the folded text are offsets into the original."""
    if text.isascii():
        return text
    return text.translate(_FOLD_TABLE)


def is_title(word: str) -> bool:
    return word.rstrip(".").casefold() in TITLES


def is_initial(word: str) -> bool:
    w = word.rstrip(".")
    return len(w) == 1 and w.isalpha()


def core_words(surface: str) -> list[str]:
    """The name without leading titles and trailing possessive, case-folded, one item a word."""
    words = surface.split()
    while len(words) > 1 and is_title(words[0]):
        words.pop(0)
    out = []
    for w in words:
        w = w.casefold()
        for suffix in POSSESSIVES:
            if w.endswith(suffix):
                w = w[: -len(suffix)]
        out.append(w)
    return out


def sub_name(part: list[str], full: list[str]) -> bool:
    """Whether core words ``part`` name the same person as the (longer or equal) ``full``:
    the surname, the first name, a multi-part surname ("garcía márquez"), first + last,
    initials and middle names ("j. k. rowling", "robert j. kelly" of "robert james kelly"),
    or a two-word name in family-name-first order ("szabó erzsébet")."""
    if not part or len(part) > len(full):
        return False
    if part == full:
        return True
    if len(part) == 1:
        w = part[0]
        return w not in NAME_PARTICLES and len(w) >= 2 and not is_initial(w) and w in full
    if len(part) == len(full) == 2 and part == full[::-1] and not any(is_initial(w) for w in part):
        return True
    n = len(part)
    if full[-n:] == part:  # contiguous tail: "garcía márquez"
        return True
    if n == 2 and part[0] == full[0] and part[1] == full[-1]:  # first + last
        return True
    return _aligned(part, full) or (len(part) == len(full) and _aligned(full, part))


def _word_matches(short: str, long: str) -> bool:
    """One name word against another: equal, or an initial of it ("j." / "j" of "james")."""
    return short == long or (is_initial(short) and long[:1] == short[:1] and not is_initial(long))


def _aligned(part: list[str], full: list[str]) -> bool:
    """``part`` matches ``full`` word by word in order, skipping middle words of ``full``:
    the same surname, the same first word (or its initial), every other word equal or an
    initial ("r. j. kelly", "robert j. kelly" of "robert james kelly")."""
    if is_initial(part[-1]) or part[-1] != full[-1] or not _word_matches(part[0], full[0]):
        return False
    j = 1
    for w in part[1:-1]:
        while j < len(full) - 1 and not _word_matches(w, full[j]):
            j += 1
        if j >= len(full) - 1:
            return False
        j += 1
    return True


def initials(words: list[str]) -> set[str]:
    """The abbreviations a name may be written as: "AV" for "anneliese vogt", "JvdM" for
    "jan van der merwe", "HDY" and "HD" for "hollis drummond-yates" (letters only)."""
    heads = [w.rstrip(".") for w in words]
    plain = "".join(w[:1].upper() for w in heads if w not in NAME_PARTICLES)
    mixed = "".join(w[:1] if w in NAME_PARTICLES else w[:1].upper() for w in heads)
    split = "".join(p[:1].upper() for w in heads if w not in NAME_PARTICLES for p in w.split("-") if p)
    return {x for x in (plain, mixed, split) if len(x) >= 2}
