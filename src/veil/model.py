"""Veil's data objects: spans, entities, documents and the results of a run.

All objects are frozen. Stages build new objects with :func:`dataclasses.replace`
instead of mutating. Offsets are half-open ``[start, end)`` in code points.

No ``__repr__`` here shows document text: a repr shows offsets, labels and
lengths, and writes ``[redacted]`` where text would be (pinned by a test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

_LABEL_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,39}")
_DECLARED: set[str] = set()


class Label(StrEnum):
    """The labels Veil assigns: a closed core, plus labels a policy declares.

    The members below are the built-in core (iterating ``Label`` gives only them). A
    policy's ``[[recognizers]]`` may declare new labels ("MRN", "EMPLOYEE_ID"): upper-case
    identifiers, see :meth:`declare`. A declared label is a ``Label`` like the others
    (``Label("MRN") is Label("MRN")``). Any other name is an error: a
    :class:`~veil.errors.ConfigError` in a policy, a :class:`~veil.errors.DetectorError`
    when a detector emits it (``Span(..., "MRN", ...)`` raises until "MRN" is declared).
    """

    PERSON = "PERSON"
    ORG = "ORG"
    LOC = "LOC"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    URL = "URL"
    IP = "IP"
    IBAN = "IBAN"
    CARD = "CARD"
    ID = "ID"
    DATE = "DATE"
    AGE = "AGE"
    ADDRESS = "ADDRESS"
    HANDLE = "HANDLE"
    NORP = "NORP"
    QUANTITY = "QUANTITY"
    MISC = "MISC"
    DOB = "DOB"
    """A date of birth or death, or another date tied to a named person's life."""
    OCCUPATION = "OCCUPATION"
    """An occupation or role describing a person ("retired harbour master")."""

    @classmethod
    def parse(cls, value: str) -> Label:
        """Return the label named ``value`` (case-insensitive) or raise ``ValueError``."""
        try:
            return cls(value.strip().upper())
        except ValueError:
            known = ", ".join([*(m.value for m in cls), *sorted(_DECLARED)])
            raise ValueError(f"unknown label {value.strip()[:40]!r}; known labels: {known}") from None

    @classmethod
    def declare(cls, name: str) -> Label:
        """Declare a label (idempotent) and return it; a built-in name returns the built-in.

        ``name`` must be an upper-case identifier of at most 40 characters (``A-Z``, digits,
        ``_``, starting with a letter); anything else raises ``ValueError``.
        """
        if not isinstance(name, str) or _LABEL_NAME.fullmatch(name) is None:
            raise ValueError("a new label must be an upper-case identifier such as MRN or EMPLOYEE_ID")
        _DECLARED.add(name)
        return cls(name)

    @property
    def builtin(self) -> bool:
        """Whether this is one of Veil's own labels (not declared by a policy)."""
        return self._name_ in type(self)._member_map_

    @classmethod
    def _missing_(cls, value: object) -> Label | None:
        if not isinstance(value, str) or value not in _DECLARED:
            return None
        member = cls._value2member_map_.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = value
            member._value_ = value
            cls._value2member_map_[value] = member
        return member  # type: ignore[return-value]

    def __reduce_ex__(self, protocol: object) -> tuple[Any, tuple[str, bool]]:
        # A declared label re-declares itself when unpickled (worker processes, Spark).
        return (_restore_label, (self.value, self.builtin))


def _restore_label(value: str, builtin: bool) -> Label:
    return Label(value) if builtin else Label.declare(value)


class Evidence(StrEnum):
    """Why a detector proposes a span: what the resolver weighs when it votes on a label.

    Votes are keyed on evidence, never on detector names, so renaming or replacing a
    detector cannot change a vote. A detector that makes no particular claim leaves the
    default, :attr:`NONE`, which counts like one model guess.
    """

    NONE = "none"
    """No claim beyond the label (patterns, plug-ins)."""
    MODEL = "model"
    """A statistical model's guess (NER)."""
    RECASED_MODEL = "recased_model"
    """The model's guess on a re-cased view of ALL CAPS or lower-case text: the words may
    be lower-case in the text ("i asked tom hendricks")."""
    NAME_LEXICON = "name_lexicon"
    """A given name beside a surname in the name lexicon, in either order; may be
    lower-case in the text."""
    PERSON_CONTEXT = "person_context"
    """A title, role, age, "(born", ", who", a person apposition or an address built from
    the name: strong evidence of a person."""
    CITATION = "citation"
    """An author in a clear citation, a credit line or a case name."""
    WEAK_CITATION = "weak_citation"
    """A lone "X, 2012": a hint of an author."""
    GIVEN_NAME = "given_name"
    """A known first name followed by a capitalised surname ("Ana Ruiz")."""
    FIRST_NAME = "first_name"
    """A lone known first name ("Sue")."""
    SPEECH = "speech"
    """A speech verb after it ("X said"): a weak hint, never a mention on its own."""
    CLASSIFIER = "classifier"
    """A classifier noun beside it ("the spacecraft X"): evidence of a thing or place."""
    DENY = "deny"
    """On the user's deny list: always masked, never re-labelled."""


#: Labels that name something with a proper name (linked by name matching in ``resolve``).
NAME_LABELS: frozenset[Label] = frozenset({Label.PERSON, Label.ORG, Label.LOC})


@dataclass(frozen=True, slots=True)
class Span:
    """One mention: characters ``[start, end)`` carrying ``label``, found by ``source``.

    ``source`` names the detector (shown in reports); ``evidence`` says why it proposed the
    span, and is all the resolver reads when it weighs the label.
    """

    start: int
    end: int
    label: Label
    source: str
    score: float = 1.0
    evidence: Evidence = Evidence.NONE

    def __post_init__(self) -> None:
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise TypeError("span offsets must be integers")
        if self.start < 0 or self.start >= self.end:
            raise ValueError(f"invalid span offsets [{self.start}, {self.end})")
        if not isinstance(self.label, Label):
            object.__setattr__(self, "label", Label.parse(str(self.label)))
        if not isinstance(self.evidence, Evidence):
            object.__setattr__(self, "evidence", Evidence(str(self.evidence)))

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]

    def __repr__(self) -> str:
        return (
            f"Span({self.start}, {self.end}, {self.label.value}, source={self.source!r}, "
            f"score={self.score:.2f}, evidence={self.evidence.value})"
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved group of mentions that refer to one thing.

    ``mentions`` are sorted by offset and never overlap. ``sources`` names every
    detector that contributed a mention (or evidence for the label).
    """

    id: str
    label: Label
    mentions: tuple[Span, ...]
    sources: tuple[str, ...] = ()
    key: str = ""
    """Stable, text-derived identity (a normalised canonical form) used for
    consistency across documents. Never shown in reprs or reports."""
    score: float = 1.0
    """Confidence: the highest score of its mentions. Ordinal, not calibrated
    (see :mod:`veil.scores`)."""

    def __post_init__(self) -> None:
        if not self.mentions:
            raise ValueError(f"entity {self.id} has no mentions")

    @property
    def first(self) -> Span:
        return self.mentions[0]

    def canonical(self, doc_text: str) -> str:
        """The longest surface form of the entity (first one on ties)."""
        best = max(self.mentions, key=lambda s: (len(s), -s.start))
        return best.text(doc_text)

    def __repr__(self) -> str:
        offs = ", ".join(f"[{m.start},{m.end})" for m in self.mentions[:5])
        more = "" if len(self.mentions) <= 5 else f", +{len(self.mentions) - 5}"
        return (
            f"Entity({self.id!r}, {self.label.value}, mentions={len(self.mentions)} "
            f"({offs}{more}), sources={list(self.sources)}, score={self.score:.2f}, key=[redacted])"
        )


@dataclass(frozen=True, slots=True)
class Document:
    """A text to process, with what the pipeline has found in it so far."""

    id: str
    text: str = field(repr=False)
    spans: tuple[Span, ...] = ()
    entities: tuple[Entity, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __repr__(self) -> str:
        return (
            f"Document({self.id!r}, text=[redacted {len(self.text)} chars], "
            f"spans={len(self.spans)}, entities={len(self.entities)})"
        )


@dataclass(frozen=True, slots=True)
class Replacement:
    """What one mention was turned into."""

    start: int
    end: int
    label: Label
    entity_id: str
    operator: str
    new: str = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"Replacement({self.start}, {self.end}, {self.label.value}, entity={self.entity_id!r}, "
            f"operator={self.operator!r}, new=[redacted])"
        )


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of :func:`veil.redact` for one document.

    ``text`` is the transformed text. ``entities`` are the entities that were
    transformed (after policy); ``replacements`` map each original mention to its
    new text.
    """

    doc_id: str
    text: str = field(repr=False)
    entities: tuple[Entity, ...]
    replacements: tuple[Replacement, ...]
    operators: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    original: str = field(default="", repr=False, compare=False)

    def report(self, *, include_text: bool = False) -> dict[str, Any]:
        """A JSON-ready report: per entity its label, mention offsets, operator and detectors.

        Identifier text is only included when ``include_text`` is true.
        """
        by_entity: dict[str, list[Replacement]] = {}
        for r in self.replacements:
            by_entity.setdefault(r.entity_id, []).append(r)
        entities: list[dict[str, Any]] = []
        for ent in self.entities:
            reps = by_entity.get(ent.id, [])
            item: dict[str, Any] = {
                "id": ent.id,
                "label": ent.label.value,
                "operator": self.operators.get(ent.label.value, reps[0].operator if reps else ""),
                "detectors": list(ent.sources),
                "score": round(ent.score, 2),
                "mentions": [{"start": m.start, "end": m.end} for m in ent.mentions],
            }
            if include_text:
                item["text"] = [self.original[m.start : m.end] for m in ent.mentions]
                item["replacement"] = [r.new for r in reps]
            entities.append(item)
        counts: dict[str, int] = {}
        for ent in self.entities:
            counts[ent.label.value] = counts.get(ent.label.value, 0) + 1
        return {
            "doc_id": self.doc_id,
            "chars": len(self.original),
            "entity_counts": counts,
            "mention_count": sum(len(e.mentions) for e in self.entities),
            "entities": entities,
        }

    def __repr__(self) -> str:
        return (
            f"Result({self.doc_id!r}, text=[redacted {len(self.text)} chars], "
            f"entities={len(self.entities)}, replacements={len(self.replacements)})"
        )
