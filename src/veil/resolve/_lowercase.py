"""Step 6b: a known person's name written in lower case elsewhere in the text.

Chat, tickets and transcripts write a name in lower case once they have written it properly
("my manager, Gretchen ... gretchen just said"). A lower-case occurrence of a word of a
person's name (three letters or more) is that person when it is the subject of a speech verb
("gretchen said", "gretchen just said") or when it has four letters or more and is in no
English word list at all ("oluwaseun", "tchamba"; not "bio"), so that "rose" or "will" in lower case stay words. One pass over
the lower-case words of the text with a dictionary.
"""

from __future__ import annotations

import re

from ..detect.lexicon import FUNCTION_WORDS, NOT_NAMES, TITLES, speaks_after
from ..detect.names import lexicon as names_lexicon
from ..model import Evidence, Label
from ._link import Entities, entity_label
from ._names import fold
from ._state import SOURCE_PROPAGATE, Mention, Vote, Votes

_LOWER = re.compile(r"(?<![\w@./'’-])[a-z][a-z'’-]{2,}+(?![\w@'’-])")
# "I will say", "we will tell": after a subject pronoun a lower-case word is a verb.
_PRONOUN_BEFORE = re.compile(r"(?:^|(?<![\w'’]))(?:[Ii]|you|we|they|he|she|it|You|We|They|He|She|It)[ \t]++$")


def lower_case_names(text: str, entities: Entities, votes: Votes) -> Entities:
    """``entities`` with lower-case occurrences of their persons' name words as mentions."""
    entities = [list(ent) for ent in entities]
    lex = names_lexicon()
    words: dict[str, int] = {}
    shared: set[str] = set()
    for i, ent in enumerate(entities):
        if entity_label(ent, votes) is not Label.PERSON:
            continue
        for m in ent:
            for w in m.core:
                w = fold(w)
                if len(w) < 3 or not w.isalpha() or w in FUNCTION_WORDS or w in NOT_NAMES or w in TITLES:
                    continue
                if words.setdefault(w, i) != i:
                    shared.add(w)  # two people share it: not linked here
    for w in shared:
        words.pop(w, None)
    if not words:
        return entities
    occupied = {(m.start, m.end) for ent in entities for m in ent}
    for match in _LOWER.finditer(text):
        low = match.group()
        owner = words.get(low)
        if owner is None or match.span() in occupied:
            continue
        if not (speaks_after(text, match.end()) or (len(low) >= 4 and not lex.is_english(low))):
            continue
        if _PRONOUN_BEFORE.search(text, max(0, match.start() - 6), match.start()):
            continue
        vote = Vote(Label.PERSON, Evidence.NONE, 0.0)
        entities[owner].append(
            Mention(match.start(), match.end(), low, (low,), (vote,), frozenset({SOURCE_PROPAGATE}))
        )
    return entities
