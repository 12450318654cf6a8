"""Role phrases ("Russian Foreign Minister", "the mayor of X") and what surrounds each mask.

A :class:`MaskContext` says what the text tells about one mask: the role that introduces
it, whether it speaks ("XXX said"), an age beside it, and whether it reads as a place.
The finders use it to decide which masks stand for people and what describes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Label
from .lexicon import DEPARTMENTS, NOT_NAMES, PLACE_NOUNS, ROLE_WORDS, SPEECH_RE, SPEECH_VERBS, titles
from .report import Mask
from .text import ABBREV, TextIndex

_SUPERLATIVE = re.compile(
    r"\b(?:only|sole|lone|first|last|oldest|youngest)\b(?:[ \t]+[\w-]+){0,3}[ \t]*$", re.IGNORECASE
)
_APPOSITION_AFTER = re.compile(r"[ \t]*,[ \t]*(?:the|a|an|another|our|their|its)?[ \t]*([^,.;\"“”\n]{0,80})")
_AGE_AFTER = re.compile(r"[ \t]*,[ \t]*(\d{1,3})[ \t]*(?=[,;.)]|$)|[ \t]*\((\d{1,3})\)")
_YEARS_OLD_BEFORE = re.compile(r"\b(\d{1,3})-year-old[ \t]+(?:[a-z]+[ \t]+){0,2}$")
_SPEAKS_AFTER = re.compile(rf"(?:[ \t]*,[^,.;\"“”\n]{{1,80}},)?[ \t]*(?:{SPEECH_VERBS})\b")
_SPOKEN_OF_BEFORE = re.compile(rf"\b(?:{SPEECH_VERBS}|according to)[ \t]+(?:the[ \t]+)?$")
_SPEECH_BEFORE = re.compile(rf"\b(?:{SPEECH_VERBS})[ \t]+$")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|near|from|outside)[ \t]+(?:the[ \t]+)?$")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")
_COMMA_BEFORE = re.compile(r",[ \t]*$")


@dataclass(frozen=True, slots=True)
class Role:
    start: int
    end: int
    head: str
    phrase: str  # case-folded words, compared internally and never reported
    anchored: bool  # tied to a named place or organisation
    superlative: bool = False  # "the only", "the sole", "the first"


def role_ending_at(ix: TextIndex, pos: int) -> Role | None:
    """A role phrase whose head word ends right before ``pos`` (spaces only between)."""
    i = ix.tok_before(pos)
    if i < 0:
        return None
    head = ix.toks[i]
    if ix.text[head.end : pos].strip() or head.key not in ROLE_WORDS:
        return None
    return role_from_head(ix, i)


def _modifiers(ix: TextIndex, i: int, limit: int) -> list[int]:
    """Token indices of the role phrase ending with head ``i``: up to five words before it."""
    words = [i]
    j = i - 1
    while j >= 0 and len(words) < 6:
        t = ix.toks[j]
        if t.start < limit or ix.text[t.end : ix.toks[words[0]].start].strip():
            break
        if t.key in NOT_NAMES or SPEECH_RE.fullmatch(t.key):
            break
        if t.text.endswith(".") and not ABBREV.match(t.text):
            break
        words.insert(0, j)
        j -= 1
    return words


def _of_tail(ix: TextIndex, i: int) -> tuple[int, bool]:
    """The end of an "of/for/at/in [the] Capitalised ..." tail after head ``i``, and
    whether it names something (a capitalised word)."""
    toks, head = ix.toks, ix.toks[i]
    end, anchored = head.end, False
    k = i + 1
    if not (
        k < len(toks) and toks[k].key in {"of", "for", "at", "in"} and not ix.gap(head.end, toks[k].start)
    ):
        return end, anchored
    k += 1
    if k < len(toks) and toks[k].key == "the" and not ix.gap(toks[k - 1].end, toks[k].start):
        k += 1
    last = toks[k - 1]
    while k < len(toks) and not ix.gap(last.end, toks[k].start):
        t = toks[k]
        if t.cap:
            anchored = True
            end = t.end
        elif t.key not in {"of", "for", "and"}:
            break
        last = t
        k += 1
        if t.text.endswith(".") and not ABBREV.match(t.text):
            end -= 1
            break
    return end, anchored


def role_from_head(ix: TextIndex, i: int) -> Role:
    """The role phrase around the role word at token ``i``: its modifiers and "of" tail."""
    head = ix.toks[i]
    limit = ix.sentence_start(head.start)
    words = [ix.toks[j] for j in _modifiers(ix, i, limit)]
    anchored = any(
        w.cap and w.key not in DEPARTMENTS and w.key not in ROLE_WORDS and w.key not in titles()
        for w in words[:-1]
    )
    end, tail_anchored = _of_tail(ix, i)
    sup = bool(_SUPERLATIVE.search(ix.text[max(limit, head.start - 60) : head.start]))
    phrase = " ".join(w.key for w in words) + ix.text[head.end : end].casefold()
    return Role(words[0].start, end, head.key, phrase, anchored or tail_anchored, sup)


@dataclass(frozen=True, slots=True)
class MaskContext:
    """What the text says about one mask. ``title`` is a title word right before it that is
    not a role ("Dr.", "Justice"); ``sentence`` is the index of its sentence."""

    mask: Mask
    role: Role | None = None
    speaker: bool = False
    age: tuple[int, int] | None = None
    place_like: bool = False
    sentence: int = 0
    title: str | None = None

    @property
    def described(self) -> bool:
        """Whether anything ties the mask to a person: a role, a title, speech or an age."""
        return self.role is not None or self.title is not None or self.speaker or self.age is not None

    @property
    def person_like(self) -> bool:
        if self.mask.label is not None:
            return self.mask.label == Label.PERSON.value
        return not self.place_like and self.described


def _role_in_apposition_before(ix: TextIndex, mask: Mask, before: str) -> Role | None:
    """ "the mayor of X, XXX": a role phrase ending at a comma right before the mask."""
    comma = _COMMA_BEFORE.search(before)
    if not comma:
        return None
    cpos = mask.start - len(before) + comma.start()
    first = ix.tok_before(cpos)
    for i in range(first, max(-1, first - 8), -1):
        t = ix.toks[i]
        if t.start < ix.sentence_start(mask.start):
            return None
        if t.key in ROLE_WORDS:
            role = role_from_head(ix, i)
            if role.end >= cpos - 1 and not ix.text[role.end : cpos].strip():
                return role
            return None
    return None


def _role_in_apposition_after(ix: TextIndex, mask: Mask, after: str) -> Role | None:
    """ "XXX, another spokesperson for the agency,": a role word in the apposition."""
    app = _APPOSITION_AFTER.match(after)
    if not app:
        return None
    for i in range(ix.tok_from(mask.end + app.start(1)), len(ix.toks)):
        t = ix.toks[i]
        if t.start >= mask.end + app.end(1):
            break
        if t.key in ROLE_WORDS:
            return role_from_head(ix, i)
    return None


def _age(mask: Mask, before: str, after: str) -> tuple[int, int] | None:
    """ "XXX, 68", "XXX (68)" or "68-year-old XXX": the offsets of the age."""
    age = _AGE_AFTER.match(after)
    if age:
        g = 1 if age.group(1) else 2
        if 0 < int(age.group(g)) < 120:
            return (mask.end + age.start(g), mask.end + age.end(g))
        return None
    yo = _YEARS_OLD_BEFORE.search(before)
    if yo:
        return (mask.start - len(before) + yo.start(1), mask.start - len(before) + yo.end(0))
    return None


def mask_context(ix: TextIndex, mask: Mask) -> MaskContext:
    """What the text around ``mask`` says about it."""
    text = ix.text
    before = text[max(0, mask.start - 160) : mask.start]
    after = text[mask.end : mask.end + 160]
    role = (
        role_ending_at(ix, mask.start)
        or _role_in_apposition_before(ix, mask, before)
        or _role_in_apposition_after(ix, mask, after)
    )
    speaker = bool(
        _SPEAKS_AFTER.match(after)
        or _SPOKEN_OF_BEFORE.search(before)
        or (role is not None and _SPEECH_BEFORE.search(text[: role.start]))
    )
    nxt = _NEXT_WORD.match(after)
    place_like = bool(nxt and nxt.group(1).casefold() in PLACE_NOUNS) or bool(
        _PLACE_PREPOSITION_BEFORE.search(before) and role is None
    )
    return MaskContext(
        mask,
        role,
        speaker,
        _age(mask, before, after),
        place_like,
        ix.sentence_index(mask.start),
        _title(ix, mask),
    )


def _title(ix: TextIndex, mask: Mask) -> str | None:
    """A title word ("Dr.", "Mr", "Justice") right before the mask, spaces only between."""
    i = ix.tok_before(mask.start)
    if i < 0 or ix.text[ix.toks[i].end : mask.start].strip(" \t"):
        return None
    word = ix.toks[i].key
    return word if word in titles() and word not in ROLE_WORDS and word not in DEPARTMENTS else None
