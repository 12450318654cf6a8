"""Step 4: link sub-names ("Varga", "J. Varga", "Mr. Varga") to full person names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..detect.lexicon import NAME_PARTICLES, ORG_WORDS, PLACE_CLASSIFIERS, first_names, places
from ..model import Label
from ._names import sub_name
from ._shapes import lower_case_name
from ._state import SOURCE_LINK, Mention, Votes, winner

Entities = list[list[Mention]]


def link(text: str, mentions: Sequence[Mention], votes: Votes) -> Entities:
    """Group mentions into entities: full person names (longest first, shorter full names
    folded into longer ones), then sub-names joined to the nearest matching full name,
    then every other surface key on its own. A surname that is also a place ("Valeska
    Paris" ... "Paris was born") joins the person wherever it is not used as a place
    ("in Paris", "Paris, France")."""
    labels = votes.labels
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[m.key].append(m)

    def name_like(k: str) -> bool:
        if lower_case_name(by_key[k][0]):
            return True  # "tom hendricks" in chat, found on the re-cased view
        surface = by_key[k][0].surface.split()
        return all(w.lstrip("(\"“‘'")[:1].isupper() or w.casefold() in NAME_PARTICLES for w in surface)

    full_keys = sorted(
        (k for k, lab in labels.items() if lab is Label.PERSON and len(k.split()) >= 2 and name_like(k)),
        key=lambda k: (-len(k.split()), by_key[k][0].start),
    )
    entity_of: dict[str, int] = {}
    entities: Entities = []
    full_words: list[list[str]] = []
    # A sub-name always shares a word with its full name (see sub_name): look only at the
    # full names holding one of its words (trying every full name for every key was
    # quadratic in the number of people).
    holding: dict[str, set[int]] = defaultdict(set)

    def sharing(words: list[str]) -> list[int]:
        return sorted(set().union(*(holding.get(w, set()) for w in words)))

    for k in full_keys:
        words = k.split()
        target = next(
            (
                i
                for i in sharing(words)
                if len(full_words[i]) >= len(words) and sub_name(words, full_words[i])
            ),
            None,
        )
        if target is None:
            entity_of[k] = len(entities)
            entities.append(list(by_key[k]))
            full_words.append(words)
            for w in words:
                holding[w].add(entity_of[k])
        else:
            entity_of[k] = target
            entities[target].extend(by_key[k])
    rest: dict[str, list[Mention]] = defaultdict(list)
    for k, ms in by_key.items():
        if k in entity_of:
            continue
        words = k.split()
        candidates = [
            i
            for i in sharing(words)
            if len(words) < len(full_words[i]) + 1 and sub_name(words, full_words[i])
        ]
        person_like = _person_like(k, ms[0].surface, votes)
        surname_place = not person_like and _surname_place(k, ms[0].surface, votes)
        if surname_place:
            # only a person beyond doubt: a known first name or a person context
            candidates = [
                i
                for i in candidates
                if k in (full_words[i][0], full_words[i][-1])
                and (full_words[i][0] in first_names() or any(m.person_context for m in entities[i]))
            ]
        if (
            not candidates
            or not (surname_place or person_like)
            or (len(words) > 1 and words[-1] in ORG_WORDS)
        ):
            rest[k].extend(ms)
            continue
        a_place = " " not in k and k in places() and votes.labels[k] is not Label.PERSON
        for m in ms:
            if (surname_place and _used_as_place(text, m)) or (a_place and _in_place(text, m)):
                rest[k].append(m)
                continue
            pick = pick_entity(entities, candidates, m.start)
            entities[pick].append(replace(m, sources=m.sources | {SOURCE_LINK}))
    entities.extend(rest[k] for k in sorted(rest, key=lambda k: rest[k][0].start))
    return entities


_LOCATIVE = re.compile(
    r"(?:^|\W)(?:in|at|near|from|to|into|outside|around|toward|towards|via|through|across|throughout)[ \t]+$",
    re.IGNORECASE,
)


# "of" marks a place only after a place noun or an office: "the city of Paris", "mayor of
# Paris" (but "a portrait of Washington" is the person).
_PLACE_OF = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            PLACE_CLASSIFIERS | {"capital", "mayor", "governor", "streets", "people", "citizens", "suburbs"}
        )
    )
    + r")[ \t]+of[ \t]+$",
    re.IGNORECASE,
)


def _surname_place(key: str, surface: str, votes: Votes) -> bool:
    """A one-word place name that is not voted PERSON and is not an acronym."""
    return (
        " " not in key
        and key in places()
        and votes.labels[key] is not Label.PERSON
        and not (surface.isupper() and len(surface) <= 5)
    )


_IN_PLACE = re.compile(r"(?:^|\W)(?:in|at|near|into|outside|throughout)[ \t]+$", re.IGNORECASE)


def _in_place(text: str, m: Mention) -> bool:
    """ "in Jordan", "Austin, Texas": a place name used as a place, whatever the person
    sharing it ("from" and "to" are left out: "bought it from Geri")."""
    return (
        _IN_PLACE.search(text, max(0, m.start - 12), m.start) is not None
        or re.match(r",[ \t]*[A-Z]", text[m.end : m.end + 4]) is not None
    )


def in_place(text: str, m: Mention) -> bool:
    """:func:`_in_place` for other steps of the resolver."""
    return _in_place(text, m)


def _used_as_place(text: str, m: Mention) -> bool:
    return used_as_place(text, m.start, m.end)


def used_as_place(text: str, start: int, end: int) -> bool:
    """ "in Paris", "the city of Paris", "Paris, France": the place, not the person."""
    return (
        _LOCATIVE.search(text, max(0, start - 14), start) is not None
        or _PLACE_OF.search(text, max(0, start - 24), start) is not None
        or re.match(r",[ \t]*[A-Z]", text[end : end + 4]) is not None
    )


def _person_like(key: str, surface: str, votes: Votes) -> bool:
    """Whether a key may be a sub-name: a multi-word ORG/LOC name ("Obama Foundation") or
    an acronym ("NASA") is not; a place name needs person votes close to its place votes."""
    label = votes.labels[key]
    totals = votes.totals[key]
    if surface.isupper() and len(surface) <= 5 and label is not Label.PERSON:
        return False
    return (
        label is Label.PERSON
        or key not in places()
        or totals.get(Label.LOC, 0.0) < totals.get(Label.PERSON, 0.0) + 2.0
    )


def pick_entity(entities: Entities, candidates: Sequence[int], pos: int) -> int:
    """Nearest full name mentioned within 300 characters before ``pos``, else the most mentioned."""
    if len(candidates) == 1:
        return candidates[0]
    recent = [(max((m.start for m in entities[i] if m.start < pos), default=-1), i) for i in candidates]
    best_pos, best = max(recent)
    if best_pos >= 0 and pos - best_pos <= 300:
        return best
    return max(candidates, key=lambda i: (len(entities[i]), -min(m.start for m in entities[i])))


def entity_label(ent: Sequence[Mention], votes: Votes) -> Label:
    """The vote over all an entity's mentions; a full person name decides for its sub-names.

    Mentions and votes are frozen, so the label of the same mentions under the same votes
    is remembered (``Votes.entity_labels``)."""
    ids = tuple(map(id, ent))
    known = votes.entity_labels.get(ids)
    if known is not None:
        return known[1]
    label = _entity_label(ent, votes)
    votes.entity_labels[ids] = (tuple(ent), label)
    return label


def _entity_label(ent: Sequence[Mention], votes: Votes) -> Label:
    totals: dict[Label, float] = {}
    keys = {m.key for m in ent}
    for m in ent:
        for lab, w in m.totals().items():
            totals[lab] = totals.get(lab, 0.0) + w
    if not totals:
        return Label.PERSON
    label = winner(totals)
    if any(votes.labels.get(k) is Label.PERSON and len(k.split()) >= 2 for k in keys):
        return Label.PERSON
    if len(keys) == 1:
        return votes.labels.get(next(iter(keys)), label)
    return label
