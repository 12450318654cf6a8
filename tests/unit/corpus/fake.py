"""A fast, deterministic stand-in for the model: capitalised words are PERSONs.

Used by the corpus tests (in process and in killed subprocesses) so they need no spaCy
model and no operator module: ``register()`` adds a ``fake_tag.v1`` operator that writes
``<LABEL_number>``.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from veil import registry
from veil.config import Policy, from_dict
from veil.model import Document, Label, Span
from veil.protocols import Target

_WORD = re.compile(r"\b[A-Z][a-z]+\b")


class CapsDetector:
    name: ClassVar[str] = "caps"

    def __init__(self, delay: float = 0.0, fail_on: str | None = None) -> None:
        self.delay = delay
        self.fail_on = fail_on

    def detect(self, doc: Document) -> Iterable[Span]:
        if self.delay:
            time.sleep(self.delay)
        if self.fail_on is not None and self.fail_on in doc.text:
            raise RuntimeError("injected failure")
        return [Span(m.start(), m.end(), Label.PERSON, "caps") for m in _WORD.finditer(doc.text)]


class FakeTag:
    name: ClassVar[str] = "fake_tag"

    def __init__(self, **options: object) -> None:
        pass

    def apply(self, target: Target) -> str:
        return f"<{target.label.value}_{target.number}>"


def register() -> None:
    if "fake_tag.v1" not in registry.names("veil.operators"):
        registry.register("veil.operators", "fake_tag.v1", FakeTag)


def policy() -> Policy:
    register()
    return from_dict(
        {
            "labels": ["PERSON"],
            "default_operator": "fake_tag",
            "ner": {"enabled": False},
            "detectors": {"enabled": []},
        }
    )


def batch(src: Path, out: Path, **options: Any) -> Any:
    """``run_batch`` with this module's policy and detector, no progress bar."""
    from veil.corpus import run_batch

    options.setdefault("progress", False)
    return run_batch(src, out, policy=policy(), detectors=[CapsDetector()], **options)


def main(argv: list[str]) -> None:
    """Subprocess entry: ``fake.py SOURCE OUTPUT [VAULT] WORKERS DELAY``."""
    from veil.corpus import run_batch

    source, output, vault, workers, delay = argv
    run_batch(
        source,
        output,
        policy=policy(),
        detectors=[CapsDetector(delay=float(delay))],
        vault=vault or None,
        workers=int(workers),
        shard_size=10,
        progress=False,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
