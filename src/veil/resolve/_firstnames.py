"""Step 6b: first names that are also ordinary words or places ("Hope", "Will", "Joy", "Paris").

:func:`~veil.resolve._propagate.propagate` repeats a person's first name only when it is a
known first name, and not at the start of a sentence when the text also writes it in lower
case ("Rose" / "rose"). That keeps "Hope" (no first name in the lists) and "Joy" ("real joy
... Joy retires") in clear after "Hope Delgado" and "Joy Ramsay". Two rules settle these
words by their context instead, once the document has a person whose full name starts with
the word:

* :func:`common_first_names`: a capitalised occurrence of the first name is that person
  when it stands inside a sentence ("would call Hope later"), or starts a sentence and is
  followed by a verb-like word: a speech verb, a modal or auxiliary, a frequent irregular
  past, an adverb, or a lower-case word ending in -ed or -s ("Joy retires", "Sunny will",
  "Paris booked"), or by a comma and a request ("Sunny, could you ..."). It is a place or a common noun, not the person, after a place
  preposition ("flew to Paris", "in Victoria"), after a determiner ("the Hope"), before
  another capitalised word ("Hope Street"), after a capitalised word inside a sentence
  (a Title Case heading), and never in lower case ("real joy"). A single-word mention that
  the model labelled as a place or organisation is taken over when it passes these tests.
* :func:`places_out_of_people`: a one-word place name linked to a person because it is
  also the person's first name or surname ("Victoria Hale moved to Victoria") leaves the
  person where it follows a verb of motion and "to" / "from" / "towards".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..detect.lexicon import FUNCTION_WORDS, SPEECH_VERBS, TITLES, places
from ..detect.names import lexicon
from ..model import Evidence, Label
from ._link import Entities, entity_label, pick_entity
from ._names import core_words, fold, is_initial, is_title
from ._propagate import SENT_END
from ._state import SOURCE_PROPAGATE, Mention, Vote, Votes

# Words after a sentence-initial name that make it the subject of a verb. The copulas
# ("is", "was", "has") are left out: abstract nouns take them as often ("Hope is all we have").
_AUX = frozenset(
    """
    will would can could should shall may might must does did won't can't didn't doesn't
    couldn't wouldn't shouldn't won’t can’t didn’t doesn’t couldn’t wouldn’t shouldn’t
    """.split()
)
_IRREGULAR_PAST = frozenset(
    """
    said told paid made took gave got went came left sent wrote met brought bought thought found
    felt kept knew ran sat saw spoke stood won lost began became fell held heard led meant put
    rang sang slept spent taught woke wore drove flew rode chose forgot
    """.split()
)
_ADVERBS = frozenset("also never always just then already often later soon still really finally once".split())
# A name addressed at the start of a sentence: a comma, then a request or a greeting.
_VOCATIVE = re.compile(r",[ \t]+(?:could|can|would|will|please|pls|thanks|thank|do|did|are|have|you)\b")
_PLURAL_VERBS = frozenset("are were have do don't aren't weren't haven't".split())
_DETERMINERS = frozenset("the a an this that these those no every each new".split())
_NEXT_WORD = re.compile(r"(?:'s|’s)?[ \t]+([a-z][a-z'’]*)")
_PREV_WORD = re.compile(r"(?<![\w'’-])([\w'’-]++)[ \t]++$")
_WORD = re.compile(r"(?<![\w'’.@/-])[^\W\d_]\w*+(?![@-])")
_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z]")
# A place used as a place: "in Florence", "the city of Florence", "Florence, Italy" ("to" and
# "from" only after a verb of motion: "sent it to Florence" may be the person).
_IN_PLACE = re.compile(
    r"(?:^|\W)(?:in|at|near|into|outside|throughout|across|around|(?:city|town|capital|mayor|streets|people) of)[ \t]+$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(r",[ \t]*[A-Z]")
# A verb of motion, then "to" / "from" / "towards": the place ("moved to Victoria").
_MOTION_TO = re.compile(
    r"\b(?:move[sd]?|moving|fl(?:y|ies|ew|own|ying)|go(?:es|ing|ne)?|went|travel(?:l?ed|l?ing|s)?|"
    r"dr(?:ive|ove|iven|iving)|return(?:s|ed|ing)?|relocat(?:e|es|ed|ing)|emigrat(?:e|es|ed|ing)|"
    r"immigrat(?:e|es|ed|ing)|c(?:o|a)me|coming|head(?:s|ed|ing)?|sail(?:s|ed|ing)?|"
    r"commut(?:e|es|ed|ing)|rode|ride|trip|flight|journey|visit|back|way)"
    r"[ \t]+(?:(?:back|home|out|over|away)[ \t]+)?(?:to|from|towards?)[ \t]+$",
    re.IGNORECASE,
)


def _first_names(entities: Entities, labels: Sequence[Label]) -> dict[str, list[int]]:
    """For each person whose longest mention has two or more name words, its first word
    when the name lexicon knows it as a given name: the word as written -> entities."""
    lex = lexicon()
    out: dict[str, list[int]] = {}
    for i, ent in enumerate(entities):
        if labels[i] is not Label.PERSON or not ent:
            continue
        longest = max(ent, key=lambda m: len(m.core))
        words = [w for w in longest.surface.split() if not is_title(w)]
        if len(words) < 2:
            continue
        first = words[0]
        if (
            len(first) < 3
            or not first.isalpha()
            or not (first[0].isupper() and first[1:].islower())
            or is_initial(first)
            or first.casefold() in TITLES
            or first.casefold() in FUNCTION_WORDS
            or not lex.is_given(first)
        ):
            continue
        out.setdefault(first, []).append(i)
    return out


def _verb_after(text: str, end: int) -> bool:
    """Whether the word after ``end`` (past a possessive) reads as a verb of its subject."""
    if _VOCATIVE.match(text, end, min(len(text), end + 20)):
        return True  # "Sunny, could you close the door?"
    m = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    if m is None:
        return False
    w = m.group(1)
    if w in SPEECH_VERBS or w in _AUX or w in _IRREGULAR_PAST or w in _ADVERBS:
        return True
    if w in FUNCTION_WORDS or len(w) < 4:
        return False
    if w.endswith("ed"):
        return True
    if not w.endswith("s") or w.endswith(("ss", "us", "is")):
        return False
    # a plural noun, not a verb, when a plural verb follows it ("Sunny skies are forecast")
    after = _NEXT_WORD.match(text, m.end(), min(len(text), m.end() + 20))
    return after is None or after.group(1) not in _PLURAL_VERBS


def _is_mention(text: str, start: int, end: int, place: bool, taken: bool) -> bool:
    """Whether the capitalised first name at ``[start, end)`` names the person (module doc);
    ``taken``: a model's place or organisation span covers it, and only a verb after it
    outweighs that."""
    if end < len(text) and (text[end] == "-" or _NEXT_CAPITAL.match(text, end, end + 3)):
        return False  # "Hope-Smith", "Hope Street"
    if place and (
        _IN_PLACE.search(text, max(0, start - 24), start) is not None
        or _PLACE_AFTER.match(text, end, end + 4)
    ):
        return False
    if _MOTION_TO.search(text, max(0, start - 40), start):
        return False
    if taken or SENT_END.search(text[max(0, start - 3) : start]) is not None:
        return _verb_after(text, end)
    prev = _PREV_WORD.search(text, max(0, start - 40), start)
    if prev is not None:
        word = prev.group(1)
        if word.casefold() in _DETERMINERS:
            return False  # "the Hope"
        if word[:1].isupper() and not is_title(word):
            return False  # inside a Title Case heading ("What Will Happen")
    return True


def common_first_names(text: str, entities: Entities, votes: Votes) -> Entities:
    """Capitalised occurrences of a person's first name that read as that person become its
    mentions, even when the word is an ordinary word or a place (module doc)."""
    entities = [list(ent) for ent in entities]
    labels = [entity_label(ent, votes) for ent in entities]
    owners = _first_names(entities, labels)
    if not owners:
        return entities
    # where each existing mention is, and of which entity (sorted by start)
    spans = sorted((m.start, m.end, i) for i, ent in enumerate(entities) for m in ent)
    starts = [a for a, _, _ in spans]
    moved: dict[int, set[tuple[int, int]]] = {}
    # one pass over the words (a pattern per first name was a pass per person)
    for m in _WORD.finditer(text):
        candidates = owners.get(m.group())
        if candidates is None:
            continue
        s, e = m.span()
        place = fold(m.group()).casefold() in places()
        j = bisect.bisect_left(starts, e)
        overlapping = [(a, b, i) for a, b, i in spans[max(0, j - 8) : j] if s < b]
        if any(labels[i] is Label.PERSON for _, _, i in overlapping):
            continue  # already a person's mention
        if overlapping and [(a, b) for a, b, _ in overlapping] != [(s, e)]:
            continue  # part of a longer name of another kind ("Hope Street Bakery")
        if not _is_mention(text, s, e, place, bool(overlapping)):
            continue
        if overlapping:
            moved.setdefault(overlapping[0][2], set()).add((s, e))
        pick = pick_entity(entities, candidates, s)
        entities[pick].append(
            Mention(
                s,
                e,
                text[s:e],
                tuple(core_words(text[s:e])),
                (Vote(Label.PERSON, Evidence.NONE, 0.0),),
                frozenset({SOURCE_PROPAGATE}),
            )
        )
    for i, gone in moved.items():
        entities[i] = [m for m in entities[i] if (m.start, m.end) not in gone]
    return [ent for ent in entities if ent]


def places_out_of_people(text: str, entities: Entities, votes: Votes) -> Entities:
    """A one-word place name in a person's entity leaves it where it follows a verb of
    motion and "to" / "from" ("moved to Victoria"); it becomes an entity of its own."""
    out: Entities = []
    extra: Entities = []
    for ent in entities:
        if entity_label(ent, votes) is not Label.PERSON:
            out.append(ent)
            continue
        kept: list[Mention] = []
        for m in ent:
            if (
                len(m.core) == 1
                and not m.person_context
                and Evidence.MODEL not in {v.evidence for v in m.votes if v.label is Label.PERSON}
                and m.key in places()
                and _MOTION_TO.search(text, max(0, m.start - 40), m.start)
            ):
                extra.append([m])
            else:
                kept.append(m)
        if kept:
            out.append(kept)
    return out + extra
