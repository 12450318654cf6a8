"""The small protocols each pipeline stage implements.

read -> detect -> resolve -> policy -> transform -> write. A third party extends a stage
by implementing one of these and declaring an entry point (see :mod:`veil.registry`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol, runtime_checkable

from .model import Document, Entity, Label, Span


@runtime_checkable
class Detector(Protocol):
    """Finds candidate spans in a document.

    ``detect`` must return spans inside ``doc.text`` with a :class:`Label`. It must not
    swallow its own failures: raising is how a detector reports that the document
    cannot be processed safely (the pipeline then fails closed).
    """

    name: ClassVar[str]

    def detect(self, doc: Document) -> Iterable[Span]: ...


@runtime_checkable
class Resolver(Protocol):
    """Turns a document's raw spans into non-overlapping, linked entities."""

    name: ClassVar[str]

    def resolve(self, doc: Document) -> Document: ...


@dataclass(frozen=True, slots=True)
class Target:
    """What an operator is asked to transform: one mention of one entity.

    ``key`` is a stable identity of the entity (its normalised canonical form) and
    ``number`` its 1-based ordinal among entities of the same label (per document, or
    corpus-wide with a vault). ``part`` tells which part of the canonical name this
    mention is: ``full``, ``first``, ``last`` or ``other``.
    """

    text: str = field(repr=False)
    label: Label
    entity_id: str
    key: str = field(repr=False)
    number: int
    canonical: str = field(repr=False)
    part: str = "full"

    def __repr__(self) -> str:
        return (
            f"Target(text=[redacted {len(self.text)} chars], label={self.label.value}, "
            f"entity={self.entity_id!r}, number={self.number}, part={self.part!r})"
        )


@runtime_checkable
class Operator(Protocol):
    """Transforms one mention. Must be deterministic for a given entity key.

    An operator validates its parameters in ``__init__`` and raises
    :class:`~veil.errors.ConfigError` there; ``apply`` must return a string that does not
    equal the original mention (the pipeline checks and fails closed otherwise).
    """

    name: ClassVar[str]

    def apply(self, target: Target) -> str: ...


__all__ = ["Detector", "Entity", "Operator", "Resolver", "Span", "Target"]
