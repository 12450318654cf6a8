"""Evidence from the shape of a line: chat, Title Case headings and postal addresses.

The NER detector adds this evidence to what the model finds (one call,
:func:`shape_evidence`):

* names in lower-case chat (:mod:`veil.detect.chat`), lower-case names on lines that also
  hold capitals (:mod:`veil.detect.chat_people`) and user names and handles
  (:mod:`veil.detect.handles`);
* **a role in apposition in Title Case**: "Farewell To Grace, Our Longest-Serving
  Volunteer": a capitalised run of name words after which a comma, an optional determiner,
  up to three capitalised modifiers and a capitalised role noun (or, after a determiner, an
  agent noun in -ist, -ian, -eer: "Our New Receptionist") end the clause. The run
  must start with a lexicon given name (ordinary words such as "Grace" included: the role
  is the context they need) and is a person (``Evidence.PERSON_CONTEXT``);
* **the town of a postal address**: "14 MILL LANE, ASHBY": the capitalised words after a
  street line ("... Lane,", "... Road,") up to the end of the line, a comma or a postcode are
  a place (``Label.LOC`` with ``Evidence.CLASSIFIER``, which outweighs a name list's guess).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Evidence, Label, Span
from .chat import chat_names, transcript_speakers
from .chat_people import lower_case_people
from .handles import handle_names
from .lexicon import role_nouns
from .names import NameLexicon

SHAPE_SOURCE = "names.shapes"

_COMMA = re.compile(r",[ \t]+(?=[A-Z])")
_ROLE_AFTER = re.compile(
    r"(?<![\w'’-])(?P<det>(?:Our|The|A|An|Their|His|Her|My|Your|OUR|THE)[ \t]+)?"
    r"(?P<mods>(?:[A-Z][\w'’-]*+[ \t]+){0,3}?)(?P<noun>[A-Z][a-z]++)(?=[ \t]*(?:[,.;:!?)]|\n|$))"
)
_TOKEN = re.compile(r"\S+")
# Agent nouns the role list may miss ("Our New Receptionist", "The Physician"), counted
# after a determiner only.
_AGENT_SUFFIXES = ("ist", "ian", "eer")
_STREET = (
    "street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|way|crescent|court|ct|place|pl|terrace|"
    "gardens|grove|row|square|sq|hill|boulevard|blvd|mews|walk|parade"
)
_ADDRESS_TOWN = re.compile(
    r"(?<![\w'’-])(?:\d+[A-Za-z]?[ \t]+)?(?:[A-Z][\w'’-]*+[ \t]+){1,4}?"
    rf"(?i:{_STREET})\.?,[ \t]*(?P<town>[A-Z][^\W\d_]*+(?!\w)(?:[ \t]+[A-Z][^\W\d_]*+(?!\w)){{0,2}})"
    r"(?=[ \t]*(?:,|\n|$|\d|[A-Z]{1,2}\d))",
    re.MULTILINE,
)


def _name_run(text: str, comma: int, lex: NameLexicon) -> tuple[int, int] | None:
    """The capitalised name words right before ``comma`` (at most three), the first a
    lexicon given name and the others names or no English words; ``None`` when none."""
    window = text[max(0, comma - 80) : comma]
    base = comma - len(window)
    tokens = list(_TOKEN.finditer(window))
    run: list[re.Match[str]] = []
    for tok in reversed(tokens):
        word = tok.group()
        if len(run) == 3 or not (word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha()):
            break
        if run and not (lex.is_name(word) or not lex.is_english(word)):
            break
        if tok.end() != (run[0].start() - 1 if run else len(window)):
            break  # words must be adjacent, separated by one space
        run.insert(0, tok)
    while run and not lex.is_given(run[0].group()):
        run.pop(0)
    if not run:
        return None
    return base + run[0].start(), base + run[-1].end()


def title_case_roles(text: str, lex: NameLexicon) -> Iterator[Span]:
    """A given name before a comma and a capitalised role in apposition (module doc)."""
    nouns = role_nouns()
    for c in _COMMA.finditer(text):
        m = _ROLE_AFTER.match(text, c.end())
        if m is None:
            continue
        noun = m.group("noun").casefold()
        if noun not in nouns and not (m.group("det") and noun.endswith(_AGENT_SUFFIXES)):
            continue
        run = _name_run(text, c.start(), lex)
        if run is not None:
            yield Span(run[0], run[1], Label.PERSON, SHAPE_SOURCE, 0.8, Evidence.PERSON_CONTEXT)


def address_towns(text: str) -> Iterator[Span]:
    """The town after a street line of a postal address (module doc)."""
    for m in _ADDRESS_TOWN.finditer(text):
        yield Span(m.start("town"), m.end("town"), Label.LOC, SHAPE_SOURCE, 0.8, Evidence.CLASSIFIER)


def shape_evidence(text: str, lex: NameLexicon) -> Iterator[Span]:
    """All the evidence of this module for ``text``."""
    yield from chat_names(text, lex)
    yield from transcript_speakers(text, lex)
    yield from handle_names(text, lex)
    yield from lower_case_people(text, lex)
    yield from title_case_roles(text, lex)
    yield from address_towns(text)
