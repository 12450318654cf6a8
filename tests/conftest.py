"""Shared fixtures. The spaCy model is loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
