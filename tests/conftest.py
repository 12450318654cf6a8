"""Shared fixtures. The spaCy model is loaded once per test session."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import pytest

from veil.config import from_dict
from veil.model import Document, Label, Span

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "examples" / "seed-article.txt"
GUM_DEV = SHARED / "data" / "gum" / "dev.json"
EXAMPLE = ROOT / "examples" / "wire-story.txt"


def shared_file(path: Path) -> Path:
    """A file from ../shared; in CI its absence is a failure, elsewhere a skip."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI must run beside a copy of shared/")
        pytest.skip(f"{path} is not available on this machine")
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_file(SEED).read_text("utf-8")


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text("utf-8")


@pytest.fixture(scope="session")
def person_pipeline():
    from veil.config import preset
    from veil.pipeline import Pipeline

    return Pipeline(preset("pii").narrowed(["PERSON"]))


@pytest.fixture(scope="session")
def pii_pipeline():
    from veil.pipeline import Pipeline

    return Pipeline("pii")


# -- a fast pipeline for format tests: a few invented names, no model -----------------

#: Invented names; every word of them is a PERSON wherever it occurs as a whole word.
NAMES = ("Osric Penhaligon", "Mira Castellanos", "Tom Riley", "Sergey Lavrov", "Anneliese Vogt")
_WORDS = sorted({w for n in NAMES for w in n.split()}, key=len, reverse=True)
_NAME_RE = re.compile(r"\b(?:" + "|".join(_WORDS) + r")(?:\s+(?:" + "|".join(_WORDS) + r"))*\b")


class NamesDetector:
    name: ClassVar[str] = "names"

    def detect(self, doc: Document) -> Iterable[Span]:
        return [Span(m.start(), m.end(), Label.PERSON, "names") for m in _NAME_RE.finditer(doc.text)]


@pytest.fixture(scope="session")
def names_pipeline():
    from veil.pipeline import Pipeline

    policy = from_dict(
        {
            "labels": ["PERSON"],
            "default_operator": "pseudonym",
            "ner": {"enabled": False},
            "detectors": {"enabled": []},
        }
    )
    return Pipeline(policy, detectors=[NamesDetector()])
