"""Lists of people: the members the model missed, cut short or called a place.

Runs after the label vote. A *list* is a chain of capitalised names joined by ", ", "and",
"or" or "&" ("Ansel Orrin, Bea Lund, and Cato Wexley"; "Bill Orrin and Bob Tell and Herman
Stone"; "Senators KELLY, RUSK, and Luján"). Its members are the mentions found so far,
each grown over the capitalised words right after it ("Herman" of "Herman Stone"), plus
capitalised runs between or around them that nothing found.

When at least two members are people and people are at least two thirds of the members,
the list names people, and

* a member that nothing found becomes a PERSON mention;
* a member the model alone called ORG or LOC (a goddess that is also a town: "Athena")
  becomes PERSON, since the list outweighs the place list;
* a lone given name that stops short of its member ("Herman" before "Stone") grows over
  the one or two capitalised words after it, when no further capitalised word follows.

Two members where one is a full person name and the other a lone given name ("the
Mary-Kate and Ashley Olsen comedy", "Bill and Hillary Rodham") are people too.

No member is an acronym of three letters or fewer, holds a word of an organisation or
place name ("Bridge", "University"), or holds a function word. Each step is bounded:
the text between two mentions is read once, and only 80 characters around a list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..detect.lexicon import FUNCTION_WORDS, NON_PERSON_WORDS, ORG_WORDS, TITLES, first_names, places
from ..detect.names import lexicon as names_lexicon
from ..model import Evidence, Label
from ._names import core_words
from ._state import COORD_WEIGHT, SOURCE_NAMES, Mention, Vote, Votes

_WORD = r"[A-Z][\w'’-]*+"
_RUN = rf"(?<![\w'’.-]){_WORD}(?:[ \t]+{_WORD}){{0,3}}"
_SEP = r"[ \t]*(?:,[ \t]*(?:and[ \t]+|or[ \t]+|&[ \t]*)?|[ \t](?:and|or)[ \t]+|[ \t]*&[ \t]*)"
_GAP = re.compile(_SEP)
_GAP_MEMBER = re.compile(rf"{_SEP}(?P<run>{_RUN}){_SEP}")
_AFTER = re.compile(rf"{_SEP}(?P<run>{_RUN})(?![\w'’-])(?![ \t]+[A-Z])")
_BEFORE = re.compile(rf"(?P<run>{_RUN}){_SEP}$")
_GROW = re.compile(rf"(?: {_WORD}){{1,2}}(?![\w'’-])(?![ \t]+[A-Z])")
_WINDOW = 80


@dataclass
class _List:
    members: list[Mention | tuple[int, int]] = field(default_factory=list)
    grown: dict[int, int] = field(default_factory=dict)  # member index -> grown end


def coordinate(text: str, mentions: Sequence[Mention], votes: Votes) -> tuple[tuple[Mention, ...], Votes]:
    """The mentions and votes after the list rules of the module docstring."""
    labels = dict(votes.labels)
    totals = {k: dict(v) for k, v in votes.totals.items()}
    added: list[Mention] = []
    replaced: dict[int, Mention] = {}
    for lst in _lists(text, sorted(mentions, key=lambda m: m.start)):
        found = [m for m in lst.members if isinstance(m, Mention)]
        people = [m for m in found if labels.get(m.key) is Label.PERSON]
        n = len(lst.members)
        pair = n == 2 and _given_and_full(text, lst.members, labels)
        if not pair and (len(people) < 2 or len(people) * 3 < n * 2):
            continue
        for i, member in enumerate(lst.members):
            if isinstance(member, tuple):
                a, b = member
                if _person_shaped(text[a:b]) and not _ordinary(text[a:b]):
                    m = _mention(text, a, b)
                    added.append(m)
                    labels.setdefault(m.key, Label.PERSON)
                    totals.setdefault(m.key, {Label.PERSON: COORD_WEIGHT})
                continue
            if labels.get(member.key) is not Label.PERSON:
                if _person_shaped(member.surface) and Evidence.CLASSIFIER not in member.evidence:
                    labels[member.key] = Label.PERSON
                continue
            end = lst.grown.get(i)
            if end is not None and _person_shaped(text[member.start : end]):
                grown = _mention(text, member.start, end, member)
                replaced[id(member)] = grown
                labels.setdefault(grown.key, Label.PERSON)
                totals.setdefault(grown.key, {Label.PERSON: COORD_WEIGHT})
    if not added and not replaced and labels == votes.labels:
        return tuple(mentions), votes
    out = [replaced.get(id(m), m) for m in mentions]
    out.extend(added)
    out.sort(key=lambda m: m.start)
    # a key whose every mention grew ("herman" -> "herman stone") names nothing any more
    gone = {m.key for m in mentions} - {m.key for m in out}
    labels = {k: v for k, v in labels.items() if k not in gone}
    totals = {k: v for k, v in totals.items() if k not in gone}
    return tuple(out), replace(votes, labels=labels, totals=totals)


def _lists(text: str, ordered: Sequence[Mention]) -> list[_List]:
    lists: list[_List] = []
    cur = _List()
    prev_end = -1
    for m in ordered:
        if cur.members and m.start < prev_end:
            continue  # nested or overlapping mentions: the first one stands for the member
        grow = _GROW.match(text, m.end, min(len(text), m.end + _WINDOW)) if _given_only(m) else None
        end = grow.end() if grow and not _clause_word(text, grow) else m.end
        if cur.members:
            gap = text[prev_end : m.start]
            middle = _GAP_MEMBER.fullmatch(text, prev_end, m.start) if len(gap) <= _WINDOW else None
            if _GAP.fullmatch(gap):
                pass
            elif middle is not None:
                cur.members.append(middle.span("run"))
            else:
                lists.append(cur)
                cur = _List()
        if end > m.end:
            cur.grown[len(cur.members)] = end
        cur.members.append(m)
        prev_end = end
    lists.append(cur)
    out = []
    for lst in lists:
        if sum(isinstance(x, Mention) for x in lst.members) < 1:
            continue
        first = lst.members[0]
        start = first.start if isinstance(first, Mention) else first[0]
        before = _BEFORE.search(text, max(0, start - _WINDOW), start)
        if before is not None:
            lst.members.insert(0, before.span("run"))
            lst.grown = {i + 1: e for i, e in lst.grown.items()}
        last = len(lst.members) - 1
        last_end = lst.grown.get(last, _end(lst.members[last]))
        after = _AFTER.match(text, last_end, min(len(text), last_end + _WINDOW))
        if after is not None:
            lst.members.append(after.span("run"))
        if len(lst.members) >= 2:
            out.append(lst)
    return out


def _given_only(m: Mention) -> bool:
    """A lone given name ("Herman"), which the model may have cut off its surname."""
    lex = names_lexicon()
    return len(m.core) == 1 and (m.core[0] in first_names() or lex.is_given(m.core[0]))


def _end(member: Mention | tuple[int, int]) -> int:
    return member.end if isinstance(member, Mention) else member[1]


def _clause_word(text: str, grow: re.Match[str]) -> bool:
    return any(w.casefold() in FUNCTION_WORDS for w in grow.group().split())


def _person_shaped(surface: str) -> bool:
    words = surface.split()
    if not words or (len(surface) <= 3 and surface.isupper()) or any(ch.isdigit() for ch in surface):
        return False
    return not any(
        (low := w.casefold().rstrip(".")) in FUNCTION_WORDS
        or low in ORG_WORDS
        or low in NON_PERSON_WORDS
        or (low in TITLES and i == len(words) - 1)
        for i, w in enumerate(words)
    )


def _ordinary(surface: str) -> bool:
    """ "Yesterday", "However": frequent English words that are no given names."""
    lex = names_lexicon()
    return all(lex.is_ordinary(w) and w.casefold() not in first_names() for w in surface.split())


def _given_and_full(
    text: str, members: Sequence[Mention | tuple[int, int]], labels: dict[str, Label]
) -> bool:
    """ "Mary-Kate and Ashley Olsen": a lone given name beside a full person name."""
    full = [
        m
        for m in members
        if isinstance(m, Mention) and labels.get(m.key) is Label.PERSON and len(m.core) >= 2
    ]
    if len(full) != 1:
        return False
    other = members[1] if members[0] is full[0] else members[0]
    a, b = (other.start, other.end) if isinstance(other, Mention) else other
    word = text[a:b]
    low = word.casefold()
    lex = names_lexicon()
    return (
        " " not in word
        and low not in places()
        and (low in first_names() or (lex.is_given(word) and not lex.is_ordinary(word)))
        and text[b : b + 6].lstrip(" \t,").startswith(("and", "&"))
    )


def _mention(text: str, start: int, end: int, base: Mention | None = None) -> Mention:
    surface = text[start:end]
    vote = Vote(Label.PERSON, Evidence.NONE, COORD_WEIGHT)
    votes = (*base.votes, vote) if base is not None else (vote,)
    sources = base.sources | {SOURCE_NAMES} if base is not None else frozenset({SOURCE_NAMES})
    return Mention(start, end, surface, tuple(core_words(surface)), votes, sources)


__all__ = ["coordinate"]
