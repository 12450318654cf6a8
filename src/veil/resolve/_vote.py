"""Steps 2 and 3: fuse overlapping name pieces into mentions, then vote on each surface's label."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..detect.lexicon import (
    NON_PERSON_WORDS,
    ORG_WORDS,
    PLACE_CLASSIFIERS,
    PLACE_PREFIXES,
    THING_CLASSIFIERS,
    first_names,
    is_role_noun,
    places,
    surnames,
    used_in_lower_case,
)
from ..detect.names import lexicon as names_lexicon
from ..model import Evidence, Label, Span
from ._link import in_place
from ._names import core_words
from ._normalise import speech_subject
from ._state import (
    COORD_WEIGHT,
    SOURCE_CLASSIFIER,
    SOURCE_NAMES,
    SOURCE_SPEECH,
    SPEECH_SUBJECT_WEIGHT,
    WEIGHTS,
    Mention,
    Vote,
    Votes,
    winner,
)
from ._towns import person_not_town
from ._venues import lists_of_things, venue_label

_COORD = re.compile(r"(?<!\s)\s*+(?:,\s*(?:and\s+|or\s+|&\s*)?|and\s+|or\s+|&\s*)")


@dataclass
class _Draft:
    """A mention while fusion is still growing it (local to :func:`fuse`)."""

    start: int
    end: int
    votes: list[Vote] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)

    def weight(self, label: Label) -> float:
        return sum(v.weight for v in self.votes if v.label is label)

    def add(self, label: Label, evidence: Evidence, source: str, weight: float | None = None) -> None:
        self.votes.append(Vote(label, evidence, WEIGHTS[evidence] if weight is None else weight))
        self.sources.add(source)


def fuse(text: str, names: Iterable[tuple[int, int, Span]], speech: Sequence[Span]) -> tuple[Mention, ...]:
    """Overlapping name pieces become one mention carrying all their evidence, plus the
    evidence the text gives around it (first names, classifier nouns, speech verbs)."""
    drafts: list[_Draft] = []
    for s, e, span in sorted(names, key=lambda t: (t[0], -t[1])):
        recent = drafts[-4:]
        same = next((x for x in reversed(recent) if (x.start, x.end) == (s, e)), None)
        container = next((x for x in reversed(recent) if x.start <= s and e <= x.end), None)
        if same is not None:
            d = same
        elif container is not None and container.weight(span.label) > 0:
            d = container  # same label inside: more evidence for the container
        elif container is not None:
            # A name of another kind nested in this one ("Andy Warhol" in "Andy Warhol
            # Foundation") stays a mention of its own until policy and merge decide.
            d = _Draft(s, e)
            drafts.append(d)
        elif drafts and s < drafts[-1].end:
            d = drafts[-1]  # partial overlap: the union, so that nothing is lost
            d.end = max(d.end, e)
        else:
            d = _Draft(s, e)
            drafts.append(d)
        d.add(span.label, span.evidence, span.source)
    speech_at = {(sp.start, sp.end) for sp in speech}
    speech_surfaces = {text[sp.start : sp.end].casefold() for sp in speech}
    return tuple(_with_text_evidence(text, d, speech_at, speech_surfaces) for d in drafts)


def _with_text_evidence(
    text: str, d: _Draft, speech_at: set[tuple[int, int]], speech_surfaces: set[str]
) -> Mention:
    surface = text[d.start : d.end]
    core = core_words(surface)
    _classifier_votes(text, d)
    given = first_names()
    # "Brock Holt": a known first name followed by capitalised words is evidence of a
    # person (the model often calls such names ORG).
    if (
        len(core) >= 2
        and core[0] in given
        and all(w[:1].isupper() for w in surface.split())
        and core[-1] not in ORG_WORDS
    ):
        d.add(Label.PERSON, Evidence.GIVEN_NAME, SOURCE_NAMES)
    elif len(core) == 1 and core[0] in given and core[0] not in places() and surface[:1].isupper():
        # A lone known first name ("Nathan", "Sue") the model calls ORG or LOC.
        d.add(Label.PERSON, Evidence.FIRST_NAME, SOURCE_NAMES)
    already = any(v.evidence is Evidence.SPEECH for v in d.votes)
    if not already and ((d.start, d.end) in speech_at or surface.casefold() in speech_surfaces):
        d.add(
            Label.PERSON,
            Evidence.SPEECH,
            SOURCE_SPEECH,
        )
    _weigh_speech(text, d, core)
    return Mention(d.start, d.end, surface, tuple(core), tuple(d.votes), frozenset(d.sources))


def _known_surname(word: str) -> bool:
    lex = names_lexicon()
    return word in surnames() or (lex.is_surname(word) and not lex.is_ordinary(word))


def _weigh_speech(text: str, d: _Draft, core: list[str]) -> None:
    """A speech verb after a name shaped like a person's ("Castellanos said", not "NASA
    said" or "the Kremlin said") weighs as much as the model's guess, so that a tie goes
    to PERSON, when the model has no other opinion or the name is a known surname. Against
    the model's ORG or LOC alone ("Siemens told reporters") it stays a weak hint."""
    if not any(v.evidence is Evidence.SPEECH for v in d.votes) or not speech_subject(text, d.start, d.end):
        return
    model_says_other = any(v.evidence is Evidence.MODEL and v.label is not Label.PERSON for v in d.votes)
    if model_says_other and not all(_known_surname(w) for w in core):
        return
    d.votes = [
        replace(v, weight=SPEECH_SUBJECT_WEIGHT) if v.evidence is Evidence.SPEECH else v for v in d.votes
    ]


def _classifier_votes(text: str, d: _Draft) -> None:
    """ "the spacecraft Stardust", "the Olmec civilization": a classifier noun right before
    or after a name is evidence that it is a thing or a place, not a person."""
    before = re.search(r"(?:^|\s)([A-Za-z]+)\s+$", text[max(0, d.start - 24) : d.start])
    after = re.match(r"\s+([a-z]+)\b", text[d.end : d.end + 24])
    for word in (before.group(1).casefold() if before else "", after.group(1) if after else ""):
        if word in THING_CLASSIFIERS:
            d.add(Label.ORG, Evidence.CLASSIFIER, SOURCE_CLASSIFIER)
        elif word in PLACE_CLASSIFIERS:
            d.add(Label.LOC, Evidence.CLASSIFIER, SOURCE_CLASSIFIER)


def _coordination(text: str, mentions: Sequence[Mention], totals: dict[str, dict[Label, float]]) -> None:
    """Names in one list ("Ansel Adams, Chuck Close, Walker Evans and Helmut Newton") are
    of one kind: when a list's members are mostly people (half of them, or two and at least
    40 %), the others get a PERSON vote."""
    ordered = sorted(mentions, key=lambda m: m.start)
    lists: list[list[Mention]] = []
    for m in ordered:
        if lists and _COORD.fullmatch(text[lists[-1][-1].end : m.start]):
            lists[-1].append(m)
        else:
            lists.append([m])
    for members in lists:
        if len(members) < 2:
            continue
        if len(members) == 2 and text[members[0].end : members[1].start].strip() == ",":
            continue  # "Sigrun Hall, Customer Care": an apposition, not a list of two
        keys = [m.key for m in members]
        person = [k for k in keys if winner(totals[k]) is Label.PERSON]
        # mostly people: half the members, or two people and at least 40 % of them
        mostly = len(person) * 2 >= len(keys) or (len(person) >= 2 and len(person) * 5 >= len(keys) * 2)
        if not person or not mostly:
            continue
        for m, k in zip(members, keys, strict=True):
            if m.surface.isupper() and len(m.surface) <= 5:
                continue  # an acronym ("NASA") in a list of people is still an acronym
            if k not in person:
                totals[k][Label.PERSON] = totals[k].get(Label.PERSON, 0.0) + COORD_WEIGHT


def vote(text: str, mentions: Sequence[Mention]) -> Votes:
    """One label per surface key (case-folded name without titles), by weighted vote and
    the place / organisation / common-word rules of the module docstring."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    totals: dict[str, dict[Label, float]] = defaultdict(dict)
    context: dict[str, bool] = defaultdict(bool)
    for m in mentions:
        by_key[m.key].append(m)
        for lab, w in m.totals().items():
            totals[m.key][lab] = totals[m.key].get(lab, 0.0) + w
        context[m.key] |= m.person_context
    _coordination(text, mentions, totals)
    labels = {
        key: _label(text, " ".join(by_key[key][0].core), votes, context[key], by_key[key])
        for key, votes in totals.items()
    }
    # "Ewan McAllister" (ORG to the model) when "EWAN" and "MCALLISTER" are people here:
    # a name made only of this text's person names is a person.
    for key, label in list(labels.items()):
        words = key.split()
        if (
            label in (Label.ORG, Label.LOC)
            and len(words) >= 2
            and all(labels.get(w) is Label.PERSON for w in words)
            and not any(w in ORG_WORDS for w in words)
        ):
            labels[key] = Label.PERSON
    labels.update(lists_of_things(text, mentions, labels, context))
    # "Customer says", "Driver's licence", "Tenants agree": a role noun alone, with no
    # person context, names nobody; it is not a mention at all.
    dropped = frozenset(
        key
        for key, label in labels.items()
        if label is Label.PERSON
        and " " not in key
        and not context[key]
        and (is_role_noun(key) or _opening_word(text, key, by_key[key]))
    )
    return Votes(totals=dict(totals), labels=labels, dropped=dropped)


_OPENS = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)$")


def _opening_word(text: str, key: str, group: list[Mention]) -> bool:
    """ "Escalated to T. Brannigan", "Attached is ...": a frequent English word (not a name
    in the lexicons) that only the model calls a person, each time at the start of a
    sentence or line, where every word is capitalised. Not a mention at all."""
    lex = names_lexicon()
    return (
        key not in first_names()
        and lex.is_common(key)
        and not lex.is_name(key)
        and all(m.evidence <= {Evidence.MODEL} and not m.surface.isupper() for m in group)
        and all(_OPENS.search(text, max(0, m.start - 3), m.start) for m in group)
    )


def _label(text: str, key: str, votes: dict[Label, float], context: bool, group: list[Mention]) -> Label:
    given = first_names()
    label = winner(votes)
    words = key.split()
    if label is Label.PERSON and words and any(w in NON_PERSON_WORDS for w in words):
        return Label.ORG  # "George Washington Bridge", whatever the context
    if label is Label.PERSON and (place := venue_label(text, words, group, context)) is not None:
        return place  # "14 Jordan Close", "the Rose Garden", "Princess Way"
    # A name the multi-country lexicon found ("hamid" on a chat line) keeps PERSON even when
    # it is also a place somewhere, unless the text uses it as a place ("in Hamid").
    lexicon_name = any(Evidence.NAME_LEXICON in m.evidence for m in group) and not any(
        in_place(text, m) for m in group
    )
    if label is Label.PERSON and words and not context:
        town = key in places() and words[0] not in given and not lexicon_name
        if words[0] in PLACE_PREFIXES or (town and not person_not_town(text, group)):
            label = Label.LOC
        elif words[-1] in ORG_WORDS and (words[0] not in given or len(words) >= 3):
            label = Label.ORG
    # "Image", "Toys": a single word only the model calls a person, which the text also
    # uses as an ordinary lower-case word, is probably not a name. It becomes MISC, which
    # the default policy still masks.
    if (
        label is Label.PERSON
        and len(words) == 1
        and not context
        and words[0] not in given
        and all(m.evidence <= {Evidence.MODEL} for m in group)
        and used_in_lower_case(text, words[0])
    ):
        label = Label.MISC
    return label
