"""Resolution stays linear in the length of a document with many people (issue 12, item 3).

A 50 MB document did not finish in 13 minutes: propagation tried an alternation of every
name form at every character, and scanned the whole text once per form. Here a fake
detector finds each invented full name; the resolver links and propagates the later
surname mentions. 4x the document (and 4x the people): linear ~4x, quadratic ~16x.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable

from veil.config import preset
from veil.model import Document, Label, Span
from veil.pipeline import Pipeline

SYLLABLES = ["".join(p) for p in itertools.product("bdfgklmnprstvz", "aeiou")]


def _names(k: int) -> list[tuple[str, str]]:
    words = ("".join(p).capitalize() for p in itertools.product(SYLLABLES, repeat=3))
    return [(next(words), next(words)) for _ in range(k)]


def _document(k: int) -> tuple[str, set[str]]:
    parts, full = [], set()
    for first, last in _names(k):
        full.add(f"{first} {last}")
        parts.append(f"Yesterday {first} {last} met reporters. Later {last} said the talks had failed.\n")
    return "".join(parts), full


class _Full:
    name = "fake"

    def __init__(self, full: set[str]) -> None:
        self.full = full

    def detect(self, doc: Document) -> Iterable[Span]:
        out = []
        for line_start, line in _lines(doc.text):
            i = line.index(" ") + 1
            j = line.index(" met ")
            if line[i:j] in self.full:
                out.append(Span(line_start + i, line_start + j, Label.PERSON, "ner", 0.9))
        return out


def _lines(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line
        pos += len(line)


def _cpu(k: int) -> float:
    text, full = _document(k)
    pipe = Pipeline(preset("pii").narrowed(["PERSON"]), detectors=[_Full(full)])
    best = float("inf")
    for _ in range(2):
        t0 = time.process_time()
        result = pipe.redact(text, "scale")
        best = min(best, time.process_time() - t0)
    assert len(result.entities) == k
    assert all(len(e.mentions) == 2 for e in result.entities)
    return best


def test_hostile_resolve_linear_in_people() -> None:
    small, large = _cpu(400), _cpu(1600)
    assert large < 8 * small + 0.2, (small, large)
