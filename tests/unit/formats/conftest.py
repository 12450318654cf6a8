"""Fixtures for the document-format tests: a fast pipeline that knows a few invented names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

import pytest

from veil.config import from_dict
from veil.model import Document, Label, Span
from veil.pipeline import Pipeline

#: Invented names; every word of them is a PERSON wherever it occurs as a whole word.
NAMES = ("Osric Penhaligon", "Mira Castellanos", "Tom Riley", "Sergey Lavrov", "Anneliese Vogt")
_WORDS = sorted({w for n in NAMES for w in n.split()}, key=len, reverse=True)
_NAME_RE = re.compile(r"\b(?:" + "|".join(_WORDS) + r")(?:\s+(?:" + "|".join(_WORDS) + r"))*\b")


class NamesDetector:
    name: ClassVar[str] = "names"

    def detect(self, doc: Document) -> Iterable[Span]:
        return [Span(m.start(), m.end(), Label.PERSON, "names") for m in _NAME_RE.finditer(doc.text)]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    policy = from_dict(
        {
            "labels": ["PERSON"],
            "default_operator": "pseudonym",
            "ner": {"enabled": False},
            "detectors": {"enabled": []},
        }
    )
    return Pipeline(policy, detectors=[NamesDetector()])
