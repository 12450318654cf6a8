"""Step 5b: short forms of a person's first name join that person.

"Ravindra Pillai wrote: ... Ravi - yes": a capitalised word that is a nickname of a linked
person's first name ("Bob" for "Robert", "Kate" for "Katherine", from the ``nicknames``
dataset) or its first letters ("Ravi" for "Ravindra", "Alex" for "Alexandra"; three or more,
at least two short of the name, and no frequent English word: not "Man" of "Mandy") is that
person wherever it occurs.

Not when the text also uses the word in lower case ("will", "pat"), when it is a function
word, a title or an address form, or when another person of the text has that word in a
longer name (a second "Alex Brandt" keeps their own "Alex"). An entity that is only the short
form ("Bob" found alone by the model) joins the person. Lookups are by dictionary: each
distinct capitalised word of the text is examined once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..detect.lexicon import FUNCTION_WORDS, NOT_NAMES, TITLES, used_in_lower_case
from ..detect.names import lexicon as names_lexicon
from ..model import Label
from ._alias import add_mentions
from ._link import Entities, entity_label
from ._names import fold, is_initial
from ._state import Mention, Votes

_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]{2,11}(?![\w'’-])")
_MIN_PREFIX = 3  # "Ravi" of "Ravindra"; "Ra" would be a syllable, not a name
_MIN_CUT = 2  # a prefix is at least two letters shorter than the name ("Johan" is not "Johann")


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Given name -> its nicknames (lower case, three letters or more)."""
    from nicknames import NickNamer

    return {
        name: frozenset(n for n in nicks if len(n) >= _MIN_PREFIX and n.isalpha())
        for name, nicks in NickNamer().nickname_lookup.items()
    }


def _first_name(ent: Sequence[Mention]) -> str | None:
    """The given name of a person entity: the first word of its longest multi-word mention,
    or its one word when that is a given name of the lexicon ("Thanks, Deborah")."""
    names = [m for m in ent if len(m.core) >= 2]
    if names:
        first = max(names, key=lambda m: len(m.core)).core[0]
    else:
        first = ent[0].core[0] if ent and len(ent[0].core) == 1 else ""
        lex = names_lexicon()
        if not (lex.is_given(first) and not lex.is_ordinary(first)):
            return None
    return None if not first or is_initial(first) or not first.isalpha() else fold(first)


def short_forms(text: str, entities: Entities, votes: Votes) -> Entities:
    """``entities`` with each person's nicknames and clipped first names as mentions."""
    entities = [list(ent) for ent in entities]
    short: dict[str, set[int]] = {}
    lex = names_lexicon()
    for i, ent in enumerate(entities):
        if entity_label(ent, votes) is not Label.PERSON:
            continue
        first = _first_name(ent)
        if first is None:
            continue
        for n in _nicknames().get(first, ()):
            short.setdefault(n, set()).add(i)
        for k in range(_MIN_PREFIX, len(first) - _MIN_CUT + 1):
            clipped = first[:k]
            # a clipped name that is a frequent English word ("Man" of "Mandy", "Can" of
            # "Candace") is the word
            if not lex.is_ordinary(clipped):
                short.setdefault(clipped, set()).add(i)
    if not short:
        return entities
    # a form owned by an entity with other names too ("Alex Brandt" has "Alex") stays there;
    # an entity that is only the bare short form ("Bob" alone) moves to the person
    owned = {m.key for ent in entities if len({n.key for n in ent}) > 1 for m in ent}
    owner: dict[str, int] = {}
    for word in sorted({m.group() for m in _WORD.finditer(text)}):
        low = fold(word.lower())
        people = short.get(low)
        if (
            not people
            or len(people) > 1  # two people could be meant: leave it to the other steps
            or low in owned
            or low in FUNCTION_WORDS
            or low in NOT_NAMES
            or low in TITLES
            or used_in_lower_case(text, word.lower())
        ):
            continue
        owner[word] = next(iter(people))
    if not owner:
        return entities
    return add_mentions(text, entities, owner)
