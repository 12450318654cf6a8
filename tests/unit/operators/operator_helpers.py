"""Helpers for operator tests (imported by name; test dirs are not packages): build :class:`Target` objects by hand."""

from __future__ import annotations

from veil.model import Label
from veil.protocols import Target

KEY = b"0123456789abcdef-test-key"  # 25 bytes, only for tests


def target(
    text: str,
    label: Label = Label.PERSON,
    *,
    canonical: str | None = None,
    part: str = "full",
    number: int = 1,
    key: str | None = None,
) -> Target:
    canonical = canonical or text
    return Target(
        text=text,
        label=label,
        entity_id="e1",
        key=key if key is not None else canonical.casefold(),
        number=number,
        canonical=canonical,
        part=part,
    )
