"""Person names in shapes the model and the other context rules miss.

* **Bare initials** before a surname, as author lines print them: "N S Andrews and R T
  Palacio" (two or three single capitals without dots, then a surname that is a name in
  the lexicon, even one that is also a town, or no English word at all; not "U S Army").
* **A capitalised particle** after a known given name: "Carlo De Benedetti", "Luca Di
  Montezemolo", "Leonardo Da Vinci" (the lexicon pairs only lower-case particles).
* **A title before a name whose last word also ends place names**: "Judge Shanlyn Park",
  "Senator Moana Hall". The context rules reject names ending in "Park" or "Hall"; after a
  person's title, a two-word name whose last word is a known surname is a person.

* **A title of a place or body, then the name in apposition**: "the King of Athens,
  Theseus unified", "the President of Veloria, Ama Osei, said" (a known given name, or one
  word that is no frequent English word; never a place: "the Queen of England, Scotland").

* **An organisation's name spilling onto its speaker**: "... Council on American-Islamic
  Relations Alia Salem said" (a known given name and a capitalised word right before a
  speech verb, after another capitalised word), even where both words are also towns.

Spans carry the label PERSON and :class:`~veil.model.Evidence` (``GIVEN_NAME`` for the
first two and the spill, ``PERSON_CONTEXT`` for the titles); the resolver weighs them with the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Evidence, Label, Span
from .lexicon import (
    FUNCTION_WORDS,
    NON_PERSON_WORDS,
    ORG_WORDS,
    PERSON_TITLES,
    PLACE_PREFIXES,
    SPEECH_VERBS,
    TITLES,
    first_names,
    fold,
    places,
)
from .names import lexicon as names_lexicon

SOURCE = "context.shapes"

_INITIALS = re.compile(
    r"(?<![\w.'’&-])(?P<initials>[A-Z](?:[ \t][A-Z]){1,2})[ \t]+(?P<last>[A-Z][a-z][\w'’-]*+)(?![\w'’-])"
)
_NOT_INITIALS = frozenset({"U S", "U K", "U N", "E U", "A M", "P M", "B C", "A D"})
_PARTICLE = re.compile(
    r"(?<![\w'’-])(?P<first>[A-Z][a-z]++)[ \t]+(?:De|Di|Da|Del|Della|Dello|Van|Von|Du|Le|La|Van[ \t]+Der|"
    r"Van[ \t]+Den|De[ \t]+La|Ter|Ten|Dos|Das)[ \t]+(?P<last>[A-Z][\w'’-]*+)"
)
_TITLED = re.compile(
    r"(?<![\w'’-])(?P<title>[A-Z][a-z]++)\.?[ \t]+(?P<name>[A-Z][a-z][\w'’-]*+[ \t]+(?P<last>[A-Z][a-z]++))"
    r"(?![\w'’-])(?![ \t]+[A-Z])"
)
# "the King of Athens, Theseus unified", "the President of Veloria, Ama Osei said"
_TITLE_OF = re.compile(
    r"(?<![\w'’-])(?P<title>[A-Z][a-z]++)[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]*+(?:[ \t]+[A-Z][\w'’-]*+){0,2},"
    r"[ \t]+(?P<name>[A-Z][a-z][\w'’-]*+(?:[ \t]+[A-Z][a-z][\w'’-]*+){0,2})(?=[ \t]*[,.;]|[ \t]+[a-z])"
)
# "... Council on American-Islamic Relations Alia Salem said": an organisation's name
# spills onto the person who speaks for it.
_SPEECH = re.compile(r"[ \t]+(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b")
_SPILLED = re.compile(
    r"(?<![\w'’-])(?P<org>[A-Z][\w'’-]*+)[ \t]+(?P<first>[A-Z][a-z]++)[ \t]+(?P<last>[A-Z][a-z][\w'’-]*+)$"
)
_LIST_AFTER = re.compile(r"[ \t]*(?:,[ \t]*|[ \t](?:and|or)[ \t]+|[ \t]*&[ \t]*)[A-Z]")
#: Words that end organisation or place names and are surnames too ("Park", "Hall").
_SURNAME_ORG_WORDS = ORG_WORDS - NON_PERSON_WORDS


def shape_spans(text: str) -> Iterator[Span]:
    """The spans of the three rules of the module docstring."""
    lex = names_lexicon()
    for m in _INITIALS.finditer(text):
        last = m.group("last")
        low = last.casefold()
        if m.group("initials") in _NOT_INITIALS or low in ORG_WORDS or low in FUNCTION_WORDS:
            continue
        if lex.is_name(last) or not lex.is_english(last):
            yield Span(m.start(), m.end(), Label.PERSON, SOURCE, 0.6, Evidence.GIVEN_NAME)
    for m in _PARTICLE.finditer(text):
        first, last = m.group("first"), m.group("last")
        known = first.casefold() in first_names() or (lex.is_given(first) and not lex.is_ordinary(first))
        low = last.casefold()
        place = first.casefold() in PLACE_PREFIXES or fold(" ".join(m.group().split())).casefold() in places()
        if known and not place and low not in ORG_WORDS and low not in places() and low not in FUNCTION_WORDS:
            yield Span(m.start(), m.end(), Label.PERSON, SOURCE, 0.6, Evidence.GIVEN_NAME)
    for m in _TITLED.finditer(text):
        last = m.group("last").casefold()
        if last not in _SURNAME_ORG_WORDS or m.group("title").casefold() not in PERSON_TITLES:
            continue
        first = m.group("name").split()[0]
        low = first.casefold()
        if low in TITLES or low in FUNCTION_WORDS or low in places():
            continue
        given = low in first_names() or lex.is_given(first) or not lex.is_english(first)
        if given and lex.is_surname(last):
            yield Span(m.start("name"), m.end("name"), Label.PERSON, SOURCE, 0.8, Evidence.PERSON_CONTEXT)
    for m in _TITLE_OF.finditer(text):
        if m.group("title").casefold() not in PERSON_TITLES:
            continue
        words = m.group("name").split()
        first = words[0]
        low = first.casefold()
        if (
            any(w.casefold() in ORG_WORDS or w.casefold() in FUNCTION_WORDS for w in words)
            or fold(m.group("name")) in places()
            or _LIST_AFTER.match(text, m.end())
        ):
            continue  # a place, or one of a list ("the Queen of England, Scotland and Wales")
        if (
            low in first_names()
            or (lex.is_given(first) and not lex.is_ordinary(first))
            or (len(words) == 1 and not lex.is_ordinary(first))
        ):
            yield Span(m.start("name"), m.end("name"), Label.PERSON, SOURCE, 0.8, Evidence.PERSON_CONTEXT)

    for m in _SPEECH.finditer(text):
        spill = _SPILLED.search(text, max(0, m.start() - 60), m.start())
        if spill is None:
            continue
        org, first, last = spill.group("org"), spill.group("first"), spill.group("last").casefold()
        known = first.casefold() in first_names() or (lex.is_given(first) and not lex.is_ordinary(first))
        if (
            known
            and org.casefold() not in TITLES
            and org.casefold() not in FUNCTION_WORDS
            and last not in ORG_WORDS
            and last not in FUNCTION_WORDS
        ):
            yield Span(spill.start("first"), spill.end(), Label.PERSON, SOURCE, 0.6, Evidence.GIVEN_NAME)


__all__ = ["SOURCE", "shape_spans"]
