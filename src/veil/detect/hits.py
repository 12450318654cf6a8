"""The small value every pattern recognizer yields, shared by the pattern modules."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
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


def matches_at(pattern: re.Pattern[str], text: str, starts: Sequence[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` when every match of ``pattern`` starts at one of the sorted
    ``starts`` and none is empty: the match at the first start that has one, then on from
    its end. Lets a recognizer try its expression only where a cheap scan says it may match."""
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = pattern.match(text, start)
        if m is not None:
            yield m
            pos = m.end()
