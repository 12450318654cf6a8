"""Static checks of the public surface: mypy reads this file in CI (``assert_type``)."""

from __future__ import annotations

from typing import assert_type

import veil
from veil.config import Policy
from veil.model import Entity, Label, Result


def test_public_types_are_what_the_docs_say() -> None:
    policy = veil.preset("pii")
    assert_type(policy, Policy)
    assert_type(policy.narrowed(["PERSON"]), Policy)
    assert_type(Label.parse("person"), Label)
    pipe = veil.Pipeline(policy.narrowed(["EMAIL"]), detectors=[])
    result = pipe.redact("nothing to see", "doc-1")
    assert_type(result, Result)
    assert_type(result.text, str)
    assert_type(result.entities, tuple[Entity, ...])
    assert result.text == "nothing to see"
