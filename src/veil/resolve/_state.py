"""The values the resolution steps pass to each other: mentions, votes, entity groups.

Every value is frozen. A step takes the state it needs and returns new state; nothing is
kept on the resolver between documents or between steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Evidence, Label, Span
from ._names import fold

#: The weight of one piece of evidence in a label vote. Evidence, not the detector that
#: produced it, decides the vote, so a renamed detector cannot change one.
WEIGHTS: Mapping[Evidence, float] = {
    Evidence.NONE: 1.0,
    Evidence.MODEL: 1.0,
    Evidence.RECASED_MODEL: 1.0,
    Evidence.NAME_LEXICON: 1.0,
    Evidence.PERSON_CONTEXT: 3.0,
    Evidence.CITATION: 2.0,
    Evidence.WEAK_CITATION: 1.5,
    Evidence.GIVEN_NAME: 1.5,
    Evidence.FIRST_NAME: 1.0,
    Evidence.SPEECH: 0.5,
    Evidence.CLASSIFIER: 2.0,
    Evidence.DENY: 1.0,
}
#: Evidence found on a re-cased view: such a name may start with a lower-case word.
RECASED: frozenset[Evidence] = frozenset({Evidence.RECASED_MODEL, Evidence.NAME_LEXICON})
#: Evidence that marks a name as a person's beyond doubt (no place or org rule overrides it).
PERSON_CONTEXT: frozenset[Evidence] = frozenset({Evidence.PERSON_CONTEXT, Evidence.CITATION})
#: A speech verb after a name shaped like a person's (``_normalise.speech_subject``).
SPEECH_SUBJECT_WEIGHT = 1.0
#: A list of names whose members are mostly people gives the others this PERSON weight.
COORD_WEIGHT = 1.0

# Names the resolver reports as contributors when its own rules add evidence or mentions.
SOURCE_NAMES = "names"
SOURCE_SPEECH = "context.speech"
SOURCE_CLASSIFIER = "classifier"
SOURCE_LINK = "link"
SOURCE_PROPAGATE = "propagate"

_PRIORITY = {Label.PERSON: 0, Label.ORG: 1, Label.LOC: 2}


def winner(votes: Mapping[Label, float]) -> Label:
    """The label with most weight; ties go PERSON > ORG > LOC (masking a person is the safe mistake)."""
    return min(votes, key=lambda lab: (-votes[lab], _PRIORITY.get(lab, 9), lab.value))


@dataclass(frozen=True, slots=True)
class Vote:
    """One weighed piece of evidence for ``label``."""

    label: Label
    evidence: Evidence
    weight: float


@dataclass(frozen=True, slots=True)
class Mention:
    """A name mention with its evidence. ``core`` is the case-folded name without titles."""

    start: int
    end: int
    surface: str = field(repr=False)
    core: tuple[str, ...] = field(repr=False)
    votes: tuple[Vote, ...] = ()
    sources: frozenset[str] = frozenset()
    key: str = field(init=False, repr=False, compare=False)
    """The words of ``core`` without diacritics: "ibáñez" and "ibanez" are one name
    (computed once, from ``core``; the resolver reads it many times per mention)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", fold(" ".join(self.core)))

    @property
    def evidence(self) -> frozenset[Evidence]:
        return frozenset(v.evidence for v in self.votes)

    @property
    def person_context(self) -> bool:
        return bool(self.evidence & PERSON_CONTEXT)

    def totals(self) -> dict[Label, float]:
        out: dict[Label, float] = {}
        for v in self.votes:
            out[v.label] = out.get(v.label, 0.0) + v.weight
        return out


@dataclass(frozen=True, slots=True)
class Votes:
    """The outcome of the label vote: per surface key, its weights and its label."""

    totals: Mapping[str, Mapping[Label, float]]
    labels: Mapping[str, Label]
    dropped: frozenset[str] = frozenset()
    """Keys that name nobody (a role noun alone): their mentions are discarded."""
    entity_labels: dict[tuple[int, ...], tuple[tuple[Mention, ...], Label]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """A memo of :func:`veil.resolve._link.entity_label` under these votes, by the ids of an
    entity's mentions (the value keeps the mentions alive, so an id is never reused while
    it is a key); each step of the resolver asks again for the same entities."""


@dataclass(frozen=True, slots=True)
class Pieces:
    """A document's spans after normalisation: name pieces, speech hints and the rest."""

    names: tuple[tuple[int, int, Span], ...]
    speech: tuple[Span, ...]
    other: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """Spans of one entity-to-be, ready for the final merge.

    ``rules_first``: on identical extents a rule (pattern, deny list) beats the model.
    """

    spans: tuple[Span, ...]
    label: Label
    sources: tuple[str, ...]
    rules_first: bool = False
