"""Academic citations the context detector's citation rules do not cover.

* **Author and year with no comma**, inside a parenthesis that other words open: "(see for
  example Dravnik 2014; ...)", "(cf. Lund and Oyelaran 2019)", "(e.g. Rask et al. 2005)",
  the year followed by ";", ")", "," or ":" (a page). Outside a parenthesis, two authors
  joined by "and" / "&" before a year that ends a clause: "as Halvorsen and Pikuleva 2017
  showed" is left alone, "... shown by Halvorsen and Pikuleva 2017." is a citation; there
  neither author may be a place ("Paris and London 2012,").
  An author is a capitalised word that is no frequent English word, month, title or
  place (a lone "London 2012" is not a citation).
* **A reference list in family-name-first order** with several authors: "Marx, Karl and
  Engels, Friedrich." Each "Surname, Given" pair counts when every given name is a known
  one, even where a surname is also a town ("Engels").

Detection starts from cheap anchors (a year; ", Given and"), so long texts stay linear.
Spans carry the label PERSON and ``Evidence.CITATION``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Evidence, Label, Span
from .lexicon import FUNCTION_WORDS, NOT_AUTHORS, ORG_WORDS, TITLES, first_names, places
from .names import lexicon as names_lexicon

SOURCE = "context.cite"

_AUTHOR = r"(?>[A-Z][\w'’]*[a-z][\w'’]*)(?:-[A-Z][\w'’]*+)?"
_YEAR = re.compile(r"(?<![\w.])(?:1[6-9]|20)\d\d[a-z]?(?![\w-])(?!\.\d)")
_CLOSES = re.compile(r"[ \t]*(?:[;),]|\.(?!\d)|:[ \t]*\d)")
_AUTHORS_BEFORE = re.compile(
    rf"(?<![\w'’-])(?P<a>{_AUTHOR})(?:[ \t]+(?:and|&)[ \t]+(?P<b>{_AUTHOR}))?(?P<etal>[ \t]+et[ \t]+al\.?)?[ \t]+$"
)
_LOOKBACK = 60
_PAREN_LOOKBACK = 120
_GIVEN = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_PAIR = rf"(?P<{{l}}>{_AUTHOR}),[ \t]+(?P<{{g}}>{_GIVEN})"
_FAMILY_CHAIN = re.compile(
    r"(?<![\w'’-])"
    + _PAIR.format(l="l1", g="g1")
    + r"[ \t]+(?:and|&)[ \t]+"
    + _PAIR.format(l="l2", g="g2")
    + r"(?=[ \t]*(?:[.,;:(]|$))",
    re.MULTILINE,
)


def citation_spans(text: str) -> Iterator[Span]:
    """The spans of the rules of the module docstring."""
    yield from _author_year(text)
    yield from _family_chains(text)


def _author_word(word: str, alone: bool) -> bool:
    low = word.casefold()
    if low in NOT_AUTHORS or low in TITLES or low in FUNCTION_WORDS or low in ORG_WORDS:
        return False
    lex = names_lexicon()
    if alone and low in places():
        return False
    return not lex.is_ordinary(word) and not (alone and lex.is_english(word) and not lex.is_surname(word))


def _in_parenthesis(text: str, pos: int) -> bool:
    """Whether an unclosed "(" opens on the same line within a short distance before ``pos``."""
    start = max(0, pos - _PAREN_LOOKBACK)
    for i in range(pos - 1, start - 1, -1):
        ch = text[i]
        if ch == "(":
            return True
        if ch in ")\n":
            return False
    return False


def _author_year(text: str) -> Iterator[Span]:
    for year in _YEAR.finditer(text):
        m = _AUTHORS_BEFORE.search(text, max(0, year.start() - _LOOKBACK), year.start())
        if m is None:
            continue
        two = m.group("b") is not None
        inside = _in_parenthesis(text, m.start())
        if _CLOSES.match(text, year.end()) is None or not (two or inside):
            continue
        names = [g for g in ("a", "b") if m.group(g) is not None]
        alone = (not two and m.group("etal") is None) or not inside
        if all(_author_word(m.group(g), alone) for g in names):
            for g in names:
                yield Span(m.start(g), m.end(g), Label.PERSON, SOURCE, 0.7, Evidence.CITATION)


def _family_chains(text: str) -> Iterator[Span]:
    given = first_names()
    lex = names_lexicon()
    for m in _FAMILY_CHAIN.finditer(text):
        firsts = (m.group("g1"), m.group("g2"))
        if not all(g.casefold() in given or (lex.is_given(g) and not lex.is_ordinary(g)) for g in firsts):
            continue
        lasts = (m.group("l1"), m.group("l2"))
        if any(w.casefold() in FUNCTION_WORDS or w.casefold() in NOT_AUTHORS for w in lasts):
            continue
        for g in ("l1", "g1", "l2", "g2"):
            yield Span(m.start(g), m.end(g), Label.PERSON, SOURCE, 0.7, Evidence.CITATION)


__all__ = ["SOURCE", "citation_spans"]
