"""Steps 5 and 6: propagate each entity's surface forms through the text; join titles."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from ..detect.lexicon import (
    FUNCTION_WORDS,
    NAME_PARTICLES,
    NOT_AUTHORS,
    NOT_NAMES,
    ORG_WORDS,
    TITLES,
    first_names,
    is_role_noun,
    places,
    used_in_lower_case,
)
from ..model import NAME_LABELS, Evidence, Label
from ._link import Entities, entity_label, pick_entity
from ._names import core_words, fold, is_initial, is_title, is_word_char
from ._shapes import given_at_start, ordinary_not_given
from ._state import SOURCE_LINK, SOURCE_PROPAGATE, Mention, Vote, Votes

SENT_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")
_TITLE_BEFORE = re.compile(r"(?<![A-Za-z])([A-Z][A-Za-z]*+\.?)[ \t]+$")
_WORD_BEFORE = re.compile(r"(?:^|(?<=\s))([A-Z][a-z'’]+)[ ]$")
_CONTRACTION = re.compile(r"['’](?:m|re|s|ve|ll|d|t)$")


def forms(ent: Sequence[Mention], label: Label) -> set[str]:
    """The surface forms to look for: each mention without titles, and for a person the
    surname (with its particles) and a known first name."""
    out: set[str] = set()
    for m in ent:
        core = " ".join(w for w in m.surface.split() if not is_title(w)) or m.surface
        out.add(_POSSESSIVE_END.sub("", core))
    if label is Label.PERSON:
        longest = max(ent, key=lambda m: len(m.core)).surface.split()
        words = [_POSSESSIVE_END.sub("", w) for w in longest if not is_title(w)]
        if len(words) >= 2:
            tail = [words[-1]]
            i = len(words) - 2
            while i > 0 and words[i].casefold() in NAME_PARTICLES:
                tail.insert(0, words[i])
                i -= 1
            out.add(" ".join(tail))
            if len(tail) > 1:
                out.add(words[-1])
            # the first name alone ("Jared" after "Jared Padalecki"), when it is a known one
            if words[0].casefold() in first_names() and not is_initial(words[0]):
                out.add(words[0])
    # A function word is never a form to propagate: the model's "G. The" ("... by G. The
    # technical term ...") must not turn every mid-sentence "The" into that person.
    return {
        f
        for f in out
        if len(f) >= 2
        and not is_initial(f)
        and f.casefold() not in TITLES
        and not all(w in FUNCTION_WORDS for w in f.casefold().split())
    }


_FORM_START = re.compile(r"(?<![\w'’-])(?![a-z0-9_])\w++")


def find_forms(text: str, forms: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Where the case-folded ``forms`` occur in ``text`` starting with a capital letter, not
    inside a word, left to right without overlaps, the longest form first at each place.

    One pass over the capitalised words with a dictionary keyed on each form's first word:
    an alternation of every form in one expression costs its number of forms at every
    character, which made propagation quadratic on long documents."""
    by_first: dict[str, list[str]] = defaultdict(list)
    for f in sorted(forms, key=len, reverse=True):
        head = re.match(r"\w+", f)
        if head is not None:
            by_first[head.group()].append(f)
    last = 0
    for m in _FORM_START.finditer(text):
        s = m.start()
        if s < last or not text[s].isupper():
            continue
        for f in by_first.get(m.group().casefold(), ()):
            e = s + len(f)
            if text[s:e].casefold() == f and not (e < len(text) and is_word_char(text[e])):
                yield s, e
                last = e
                break


def propagate(text: str, entities: Entities, votes: Votes) -> Entities:
    """Every other capitalised occurrence of an entity's forms becomes its mention, except
    inside another entity's name, in a hyphenated compound, or, for a form the text also
    uses in lower case ("Rose" / "rose"), at the start of a sentence."""
    entities = [list(ent) for ent in entities]
    labels = [entity_label(ent, votes) for ent in entities]
    owners: dict[str, list[int]] = defaultdict(list)
    for i, ent in enumerate(entities):
        if labels[i] not in NAME_LABELS:
            continue
        for f in forms(ent, labels[i]):
            owners[fold(f).casefold()].append(i)
    if not owners:
        return entities
    # A name inside another entity's name ("Kennedy" in "Kennedy Airport") is part of that
    # name, not a mention of its own: occupied text is never propagated into.
    occupied = sorted((m.start, m.end) for ent in entities for m in ent)
    starts = [o[0] for o in occupied]
    common: dict[str, bool] = {}
    # Matched on the text without diacritics ("Ibanez" for "Ibáñez"); same offsets.
    for s, e in find_forms(fold(text), owners):
        surface = text[s:e]
        key = fold(surface).casefold()
        if key not in owners:
            continue
        if text[e : e + 1] == "-" and is_word_char(text[e + 1 : e + 2] or " "):
            continue  # part of a hyphenated compound
        j = bisect.bisect_right(starts, e)
        if any(occupied[k][0] < e and s < occupied[k][1] for k in range(max(0, j - 4), j)):
            continue
        if key not in common:
            low = surface.lower()
            common[key] = low != surface and used_in_lower_case(text, low)
        if common[key] and SENT_END.search(text[max(0, s - 3) : s]) is not None:
            continue
        pick = pick_entity(entities, owners[key], s)
        entities[pick].append(
            Mention(
                s,
                e,
                surface,
                tuple(core_words(surface)),
                (Vote(labels[pick], Evidence.NONE, 0.0),),
                frozenset({SOURCE_PROPAGATE}),
            )
        )
        # Matches never overlap one another, so only the spans found before propagation
        # need checking (inserting each match into the sorted lists was quadratic).
    return entities


_QUALIFIER_BEFORE = re.compile(r"(?:^|(?<=\s))([A-Z]{2,4}|[A-Z][a-z]+)[ \t]+$")
_POSTNOMINAL_AFTER = re.compile(
    r",?[ \t]+(?:FRS|FRSE|FBA|PhD|Ph\.D\.|DPhil|MD|OBE|MBE|CBE|KBE|DBE|QC|KC|Esq\.?|Jr\.?|Sr\.?)\b\.?"
)


# "Charles Bolden, NASA Administrator", "Paul Dewar, an Ottawa New Democrat MP": a
# capitalised title phrase in apposition names the person too.
_APPOSITIVE_TITLE = re.compile(
    r",[ \t]+(?:(?:an?|the|your|our|his|her|their)[ \t]+)?"
    r"(?P<words>(?:[A-Z][\w.&-]*[ \t]+){0,3}[A-Z][\w.-]*)(?=[ \t]*(?:[,.;:)]|\n|$))"
)


def extend_titles(text: str, entities: Entities, votes: Votes) -> Entities:
    """Capitalised titles directly before a person mention join it ("Foreign Minister
    Lavrov"), with the place or body that qualifies them ("US President Barack Obama");
    so do one capitalised given name the model missed and post-nominal letters ("Daniel
    Bernoulli FRS", "Jr.")."""
    out: Entities = []
    for ent in entities:
        if entity_label(ent, votes) is not Label.PERSON:
            out.append(list(ent))
            continue
        extended = []
        for m in ent:
            s = m.start
            while True:
                mt = _TITLE_BEFORE.search(text, max(0, s - 30), s)
                if mt is None or mt.end() != s or not is_title(mt.group(1)):
                    break
                s = mt.start(1)
            if s < m.start:
                s = _qualifier_before(text, s)
            post = _POSTNOMINAL_AFTER.match(text, m.end)
            end = post.end() if post else m.end
            extended.append(replace(m, start=_given_name_before(text, s), end=end))
            title = _APPOSITIVE_TITLE.match(text, end)
            if title and is_title(title.group("words").split()[-1]):
                a, b = title.span("words")
                vote = Vote(Label.PERSON, Evidence.NONE, 0.0)
                extended.append(
                    Mention(a, b, text[a:b], tuple(core_words(text[a:b])), (vote,), frozenset({SOURCE_LINK}))
                )
        out.append(extended)
    return out


def _qualifier_before(text: str, start: int) -> int:
    """ "US" / "Russian" / "Mariupol" before a title that joined a person's mention."""
    prev = _QUALIFIER_BEFORE.search(text, max(0, start - 20), start)
    if prev is None:
        return start
    word = prev.group(1)
    w = word.casefold()
    qualifies = word.isupper() or w in places() or w.endswith(("ian", "ese", "ish", "an"))
    at_sentence_start = SENT_END.search(text[max(0, prev.start(1) - 3) : prev.start(1)]) is not None
    if qualifies and w not in TITLES and w not in NOT_NAMES and not at_sentence_start:
        return prev.start(1)
    return start


def _given_name_before(text: str, start: int) -> int:
    """Join one capitalised word directly before a person mention ("Petro" in "Hydrologist
    Petro Lysenko" when the model found only "Lysenko"), unless it starts a sentence (and is
    no given name: "Hope Garrow called" when the model found only "Garrow"), is a
    title, month, demonym, place or an ordinary word that is no given name ("The Day
    Esperanza Villalobos Met"), so that no part of a name is left exposed."""
    prev = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    if prev is None:
        return start
    w = prev.group(1).casefold()
    new = start - len(prev.group(0))
    if (
        _CONTRACTION.search(w) is not None  # "I'm Wiktoria", "It's Ana"
        or is_role_noun(w)  # "Solicitor Ms Ana Ruiz": a role, not a given name
        or w in TITLES
        or (w.endswith("s") and w[:-1] in TITLES)
        or w in NOT_AUTHORS
        or w in NOT_NAMES
        or w.endswith(("ian", "ese", "ish"))
        or w in places()
        or w in ORG_WORDS
        or (SENT_END.search(text[max(0, new - 3) : new]) is not None and not given_at_start(prev.group(1)))
        or ordinary_not_given(prev.group(1))
    ):
        return start
    return new
