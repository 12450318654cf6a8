"""The small value every pattern recognizer yields, shared by the pattern modules."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Label


@dataclass(frozen=True, slots=True)
class Hit:
    """A candidate ``[start, end)`` with its label and an ordinal confidence score."""

    start: int
    end: int
    label: Label
    score: float


def is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
