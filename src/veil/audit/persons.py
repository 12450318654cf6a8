"""Unmasked people: names the detectors call PERSON, and names in speaker position.

A person is keyed by its surname. Every capitalised occurrence of the surname (or of a
first name seen with it) is a mention, the way a reader would read the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from ..model import Label
from .lexicon import (
    CONTRACTION,
    DEPARTMENTS,
    NOT_NAMES,
    ROLE_WORDS,
    SPEECH_VERBS,
    first_names,
    org_words,
    places,
    titles,
)
from .roles import Role, role_ending_at
from .text import ABBREV, TextIndex, Token, is_speech_evidence, key

_NAME_SHAPE = re.compile(r"[^\W\d_][\w'’-]*\.?")
_NAME = r"[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,2}"
_NAME_THEN_SPEECH = re.compile(rf"(?<![\w.])({_NAME})[ \t]+(?:{SPEECH_VERBS})\b")
_SPEECH_THEN_NAME = re.compile(rf"\b(?:{SPEECH_VERBS})[ \t]+({_NAME})\b")
_NAME_THEN_WHO = re.compile(rf"(?<![\w.])({_NAME}),[ \t]+who\b")
_NAME_THEN_AGE = re.compile(rf"(?<![\w.])({_NAME})(?:,[ \t]*\d{{1,3}}[ \t]*(?=[,;.)])|[ \t]+\(\d{{1,3}}\))")
_REFERRED_TO_AS_THING = re.compile(
    rf"[ \t]*,[ \t]*which\b|[ \t]+(?:{SPEECH_VERBS})[ \t]+(?:that[ \t]+)?its\b"
)
_SPEECH_AFTER = re.compile(rf"[ \t]+(?:{SPEECH_VERBS})\b")
_SPEECH_BEFORE = re.compile(rf"\b(?:{SPEECH_VERBS})[ \t]+$")
_STEM = re.compile(r"[\w-]+")
_ATTRIBUTION = re.compile(r"[,\"”'’][ \t]*$")


class Evidence(IntEnum):
    """Why a capitalised word may be a person's name, weakest first."""

    OBJECT_OF_SPEECH = 0  # "say X" in running text: a model's ORG or LOC label wins
    CUE = 1  # "X said", "..., said X", "X, who", "X, 54,", "Minister X": outweighs ORG or LOC
    DETECTOR = 2  # a detector labelled it PERSON


@dataclass(frozen=True, slots=True)
class Person:
    """An unmasked person: its surname key, mentions in text order, whether it is ever
    named in full, whether a mention is in speaker position, and roles written before it."""

    key: str
    mentions: tuple[tuple[int, int], ...]
    full: bool
    speaker: bool
    roles: tuple[Role, ...]

    @property
    def first(self) -> int:
        return self.mentions[0][0]


def name_ok(ix: TextIndex, tok: Token, evidence: Evidence) -> bool:
    """Whether ``tok`` can be (part of) a person's name, given the evidence that it is."""
    voted_person = evidence is Evidence.DETECTOR
    k = tok.key
    if not tok.cap or not _NAME_SHAPE.fullmatch(tok.text) or len(k) < 2:
        return False
    if CONTRACTION.search(tok.text) or (k in ix.lower_words and k not in first_names()):
        return False  # "Don't", "Please": a common word written with a capital
    if k in NOT_NAMES or k in ROLE_WORDS or k in titles() or k in org_words() or k in DEPARTMENTS:
        return False
    votes = ix.votes_for(k)
    if "NORP" in votes and "PERSON" not in votes:
        return False
    if k in places() and (not voted_person or "LOC" in votes or ix.after_locative(k)):
        return False
    i = ix.tok_from(tok.start) - 1
    if i >= 0 and ix.toks[i].key == "the" and not ix.gap(ix.toks[i].end, tok.start):
        return False  # "The Onion", "the Smiths": titles and organisations take an article
    if voted_person or "PERSON" in votes:
        return True
    if votes & {"LOC", "ORG"} and evidence < Evidence.CUE:
        return False
    return not _org_shaped(ix, k)


def _run(ix: TextIndex, i: int) -> tuple[int, int]:
    """Token indices ``[a, b)`` of the run of capitalised words around token ``i``."""
    toks = ix.toks
    a, b = i, i + 1
    while (
        a > 0 and toks[a - 1].cap and toks[a - 1].key != "the" and not ix.gap(toks[a - 1].end, toks[a].start)
    ):
        a -= 1
    while b < len(toks) and toks[b].cap and not ix.gap(toks[b - 1].end, toks[b].start):
        b += 1
    return a, b


def _org_shaped(ix: TextIndex, word_key: str) -> bool:
    """Signs anywhere in the text that a capitalised word names an organisation: it is an
    acronym, its run of capitalised words takes an article ("the United Nations") or holds
    an organisation word ("Gazprom Neft Group"), or it is referred back to with "which" or
    "its" ("Gazprom said its ...")."""
    toks = ix.toks
    for i, t in enumerate(toks):
        if t.key != word_key or not t.cap:
            continue
        if t.text.rstrip(".").isupper():
            return True
        a, b = _run(ix, i)
        if a > 0 and toks[a - 1].key == "the" and not ix.gap(toks[a - 1].end, toks[a].start):
            return True
        if any(toks[j].key in org_words() for j in range(a, b)):
            return True
        if _REFERRED_TO_AS_THING.match(ix.text[toks[b - 1].end : toks[b - 1].end + 80]):
            return True
    return False


def _titled(ix: TextIndex) -> list[tuple[int, int, Evidence]]:
    """A lone capitalised word right after a title or role word in the same sentence
    ("Minister Okonjo", "Dr. Okonjo", "analyst Okonjo"). Longer names after a title are
    left to the detectors: "General Systems Research" is not a general."""
    seeds: list[tuple[int, int, Evidence]] = []
    toks = ix.toks
    for i in range(len(toks) - 1):
        title, name = toks[i], toks[i + 1]
        if not (title.key in titles() or title.key in ROLE_WORDS) or title.key in DEPARTMENTS or not name.cap:
            continue
        if ix.gap(title.end, name.start) or (title.text.endswith(".") and not ABBREV.match(title.text)):
            continue
        after = toks[i + 2] if i + 2 < len(toks) else None
        if after is not None and not ix.gap(name.end, after.start) and (after.cap or after.key in ROLE_WORDS):
            continue  # "General Systems Research", "Foreign Affairs minister"
        seeds.append((name.start, name.end, Evidence.CUE))
    return seeds


def _seeds(ix: TextIndex) -> list[tuple[int, int, Evidence]]:
    """``(start, end, evidence)`` of candidate names: detector PERSON spans, and
    capitalised words with person evidence (speech verb, "who", age, title)."""
    seeds: list[tuple[int, int, Evidence]] = []
    if ix.doc is not None:
        spans = [m for e in ix.doc.entities if e.label == Label.PERSON for m in e.mentions]
        spans += [s for s in ix.doc.spans if s.label == Label.PERSON and not is_speech_evidence(s)]
        seeds.extend((s.start, s.end, Evidence.DETECTOR) for s in spans)
    for pattern in (_NAME_THEN_SPEECH, _NAME_THEN_WHO, _NAME_THEN_AGE):
        seeds.extend((m.start(1), m.end(1), Evidence.CUE) for m in pattern.finditer(ix.text))
    for m in _SPEECH_THEN_NAME.finditer(ix.text):
        if key(m.group(1).split()[0]) not in NOT_NAMES:
            attributed = _ATTRIBUTION.search(ix.text[max(0, m.start() - 3) : m.start()])
            seeds.append((m.start(1), m.end(1), Evidence.CUE if attributed else Evidence.OBJECT_OF_SPEECH))
    return seeds + _titled(ix)


def _leading_qualifier(ix: TextIndex, tok: Token) -> bool:
    return (
        tok.key in titles()
        or tok.key in ROLE_WORDS
        or tok.key in DEPARTMENTS
        or "NORP" in ix.votes_for(tok.key)
    )


def _name_tokens(ix: TextIndex, s: int, e: int, evidence: Evidence) -> list[Token]:
    """The words of the seed ``[s, e)`` that make up a name (titles and roles dropped)."""
    toks = [t for t in ix.toks[ix.tok_from(s) :] if t.start < e]
    toks = [t for t in toks if t.end <= e + 2]
    while toks and _leading_qualifier(ix, toks[0]):
        toks.pop(0)
    toks = [t for t in toks if name_ok(ix, t, evidence)]
    if not toks or ix.touches_mask(toks[0].start, toks[-1].end):
        return []
    if (
        len(toks) >= 2
        and ix.text[toks[0].end : toks[-1].start].strip(" \t-")
        and evidence is not Evidence.DETECTOR
    ):
        return []
    return toks


def _surnames(ix: TextIndex) -> tuple[dict[str, bool], dict[str, str]]:
    """Surname key -> named in full somewhere; first-name key -> its surname key."""
    full: dict[str, bool] = {}
    first_of: dict[str, str] = {}
    for s, e, evidence in sorted(_seeds(ix)):
        if ix.in_mask(s, e):
            continue
        toks = _name_tokens(ix, s, e, evidence)
        if not toks:
            continue
        surname = toks[-1].key
        full.setdefault(surname, False)
        if len(toks) >= 2:
            full[surname] = True
            first_of[toks[0].key] = surname
    return full, first_of


def _mentions(
    ix: TextIndex, full: dict[str, bool], first_of: dict[str, str]
) -> dict[str, list[tuple[int, int]]]:
    """Every capitalised occurrence of a surname or of a known first name, "First Last" joined."""
    mentions: dict[str, list[tuple[int, int]]] = {k: [] for k in full}
    for t in ix.toks:
        target = t.key if t.key in full else first_of.get(t.key)
        if target is None or not t.cap or ix.touches_mask(t.start, t.end):
            continue
        found = mentions[target]
        end = t.end - 1 if t.text.endswith(".") and not ABBREV.match(t.text) else t.end
        stem = _STEM.match(t.text)
        if stem and len(stem.group()) < end - t.start:
            end = t.start + len(stem.group())  # drop the possessive
        if any(s <= t.start < e for s, e in found):
            continue
        if found and t.key == target and ix.joined(found[-1], t.start):
            found.append((found.pop()[0], end))  # join "First Last" into one mention
        else:
            found.append((t.start, end))
    return mentions


def find_persons(ix: TextIndex) -> tuple[Person, ...]:
    """The unmasked people of the text, in order of their first mention."""
    full, first_of = _surnames(ix)
    out = []
    for surname, found in _mentions(ix, full, first_of).items():
        if not found:
            continue
        found.sort()
        speaker = False
        roles: list[Role] = []
        for s, e in found:
            if _SPEECH_AFTER.match(ix.text[e : e + 20]) or _SPEECH_BEFORE.search(ix.text[max(0, s - 20) : s]):
                speaker = True
            role = role_ending_at(ix, s)
            if role is not None:
                roles.append(role)
        out.append(Person(surname, tuple(found), full[surname], speaker, tuple(roles)))
    out.sort(key=lambda p: p.first)
    return tuple(out)
