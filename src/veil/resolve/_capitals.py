"""Step 6c: a person's name word written in capitals elsewhere is that person.

Records and statements write a name once in the usual case and again in capitals, or the
other way round ("Tamsin Oyibo ... OYIBO stated", "Darren PRITCHARD ... Pritchard").
Propagation matches a person's surface forms as written; this step adds each single name
word of a person (three letters or more) written entirely in capitals, when it belongs to
one person of the text only and is no frequent English word, function word, title or
place ("ROSE", "WILL", "JORDAN" stay as they are), so that headings in capitals keep their
ordinary words.

The new mentions carry no vote of their own; the person's label decides.
"""

from __future__ import annotations

import re

from ..detect.lexicon import FUNCTION_WORDS, NAME_PARTICLES, TITLES, places
from ..detect.names import lexicon as names_lexicon
from ..model import Label
from ._alias import add_mentions
from ._link import Entities, entity_label
from ._state import Votes

_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:-[^\W\d_][^\W\d_'’]*)*")
# A word that may be written in capitals: "OYIBO", "DOMÍNGUEZ-SALAS".
_CAPS_WORD = re.compile(r"(?<![\w'’-])[A-Z][^\W\d_a-z]{2,}(?:-[^\W\d_a-z]+)*+(?![\w'’-])")


def capitals_of_persons(text: str, entities: Entities, votes: Votes) -> Entities:
    """``entities`` with each person's name words written in capitals added to that person."""
    capitals = {w for w in _CAPS_WORD.findall(text) if w.isupper()}
    if not capitals:
        return entities
    lex = names_lexicon()
    owner: dict[str, int] = {}
    shared: set[str] = set()
    for i, ent in enumerate(entities):
        if entity_label(ent, votes) is not Label.PERSON:
            continue
        for m in ent:
            for w in _NAME_WORD.findall(text[m.start : m.end]):
                low = w.casefold()
                if (
                    len(w) < 3
                    or w.isupper()
                    or low in FUNCTION_WORDS
                    or low in NAME_PARTICLES
                    or low.rstrip(".") in TITLES
                    or low in places()
                    or lex.is_ordinary(w)
                ):
                    continue
                cap = w.upper()
                if owner.get(cap, i) != i:
                    shared.add(cap)
                owner[cap] = i
    found = {cap: i for cap, i in owner.items() if cap not in shared and cap in capitals}
    if not found:
        return entities
    return add_mentions(text, entities, found)
