"""Every regular expression in Veil runs in linear time (issue 12, item 3).

The expressions are found programmatically: every compiled pattern at module level (or
in a module-level tuple / dataclass row, such as the ID schemes) of every ``veil`` module,
so that a new one is covered without touching this file. Each is run with ``finditer``
over adversarial strings at 1 KB and 8 KB; linear time means ~8x, quadratic ~64x. The
check is on growth, not on absolute time: best of 3 runs of process CPU time, with a
margin and a floor that absorb a loaded machine.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import time

import pytest

import veil

# Repeated capitalised words, CamelCase, long digit runs, punctuation runs, and the
# shapes of the identifiers Veil looks for.
ADVERSARIAL = {
    "capitalised": "Kowalski ",
    "capitalised-glued": "Kowalski",
    "camelcase": "ThisIsAVeryLongClassName",
    "capitals": "ABC ",
    "digits": "1",
    "digit-groups": "12 ",
    "digit-dots": "1.",
    "punctuation": ".,;:!?-'",
    "commas": ", ",
    "spaces-lines": " \n",
    "email-ish": "a.b@c",
    "url-ish": "http://a",
    "markup": "<b *_[a](",
    "entities": "&#1",
    "name-comma": "Ana Ruiz, ",
    "title-name": "Dr. Ana ",
    "citation": "Smith and ",
    "case": "Kowalski v. ",
}


# Expressions that never read document text (pattern -> why).
EXEMPT = {r"\..+\.[a-z0-9_]{8}\.tmp": "corpus temporary files: matched against file names only"}


def regex_inventory() -> list[tuple[str, re.Pattern[str]]]:
    found: dict[tuple[str, int], re.Pattern[str]] = {}

    def visit(where: str, value: object, depth: int = 0) -> None:
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str) and value.pattern not in EXEMPT:
            found.setdefault((value.pattern, value.flags), value)
            names[(value.pattern, value.flags)] = where
        elif depth < 2 and isinstance(value, tuple | list):
            for item in value:
                visit(where, item, depth + 1)
        elif depth < 2 and dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                visit(f"{where}.{f.name}", getattr(value, f.name, None), depth + 1)

    names: dict[tuple[str, int], str] = {}
    for info in pkgutil.walk_packages(veil.__path__, "veil."):
        if info.name.startswith(("veil.spark", "veil.commands.spark")):
            continue  # needs pyspark; no regex of its own reads document text
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            if not attr.startswith("__"):
                visit(f"{info.name}.{attr}", value)
    from veil.textview import full_re

    visit("veil.textview.full_re()", full_re())  # built on first use, not at import
    return sorted(((names[k], p) for k, p in found.items()), key=lambda t: t[0])


PATTERNS = regex_inventory()


def _cpu(pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for _m in pattern.finditer(text):
            pass
        best = min(best, time.process_time() - t0)
    return best


def test_hostile_regex_enumeration_finds_the_known_ones() -> None:
    names = {name for name, _ in PATTERNS}
    assert "veil.detect.context._CASE_RE" in names
    assert "veil.detect.patterns._EMAIL" in names
    assert any(name.startswith("veil.detect.patterns._ID_SCHEMES") for name in names)
    assert "veil.textview.full_re()" in names


@pytest.mark.parametrize("unit", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_hostile_regex_linear_time(unit: str) -> None:
    small_text = (unit * (1024 // len(unit) + 1))[:1024]
    large_text = (unit * (8192 // len(unit) + 1))[:8192]
    slow = []
    for name, pattern in PATTERNS:
        small = _cpu(pattern, small_text)
        large = _cpu(pattern, large_text)
        # 8x the input: linear ~8x; quadratic ~64x. 20x plus 5 ms absorbs noise.
        if large > 20 * small + 0.005:
            slow.append(f"{name}: {small * 1e3:.2f} ms -> {large * 1e3:.2f} ms")
    assert not slow, "super-linear regexes:\n" + "\n".join(slow)
