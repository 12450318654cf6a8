"""Word-level helpers on names: whole-word widening, the core of a name, sub-names."""

from __future__ import annotations

import re

from ..detect.lexicon import NAME_PARTICLES, TITLES

_WORD = re.compile(r"\w", re.UNICODE)
POSSESSIVES = ("'s", "’s")


def is_word_char(ch: str) -> bool:
    return bool(_WORD.match(ch))


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown to whole words: no partial word is ever left exposed."""
    while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]):
        end += 1
    return start, end


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
    """Whether core words ``part`` name the same person as the (longer) ``full``."""
    if not part or len(part) > len(full):
        return False
    if part == full:
        return True
    if len(part) == len(full):
        return initials_match(part, full)
    if len(part) == 1:
        w = part[0]
        return w not in NAME_PARTICLES and len(w) >= 2 and w in full
    n = len(part)
    if full[-n:] == part:  # contiguous tail: "garcía márquez"
        return True
    if n == 2 and part[0] == full[0] and part[1] == full[-1]:  # first + last
        return True
    return initials_match(part, full)


def initials_match(part: list[str], full: list[str]) -> bool:
    """ "j. varga" / "j. k. rowling" against "jános varga" / "joanne kathleen rowling"."""
    inits = [w for w in part if is_initial(w)]
    if not inits:
        return False
    rest = [w for w in part if not is_initial(w)]
    if not rest or full[-len(rest) :] != rest:
        return False
    head = full[: len(full) - len(rest)]
    letters = [w.rstrip(".")[0] for w in inits]
    if len(letters) > len(head):
        return False
    return all(h.startswith(ch) for h, ch in zip(head, letters, strict=False))
