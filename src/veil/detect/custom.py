"""User-defined recognizers from the policy's ``[[recognizers]]`` tables.

Each recognizer is a regular expression, optional context words with a window, an
optional ``python-stdnum`` validator and a label with a score (see
:class:`veil.config.RecognizerSpec`). The expressions come from users, so they are run by
the ``regex`` module with a time limit per document: an expression that takes longer
(catastrophic backtracking) fails the document with a :class:`~veil.errors.DetectorError`
instead of hanging or being skipped (failing closed).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import ConfigError, DetectorError
from .hits import Hit, is_word

#: Seconds one user expression may spend on one document.
TIMEOUT = 2.0


def compile_user_regex(pattern: str, ignore_case: bool, where: str) -> Any:
    """Compile a user expression with the ``regex`` module; a bad one is a ConfigError."""
    import regex  # type: ignore[import-untyped]

    try:
        compiled = regex.compile(pattern, regex.IGNORECASE | regex.V0 if ignore_case else regex.V0)
    except (regex.error, ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: the regex does not compile ({type(exc).__name__})") from None
    if compiled.match("") is not None:
        raise ConfigError(f"{where}: the regex matches the empty string")
    return compiled


def load_validator(module: str, where: str) -> Callable[[str], bool]:
    """``stdnum.<module>.is_valid``; an unknown module is a ConfigError."""
    try:
        mod = importlib.import_module(f"stdnum.{module}")
    except ImportError:
        raise ConfigError(f"{where}: python-stdnum has no module {module!r}") from None
    check = getattr(mod, "is_valid", None)
    if not callable(check):
        raise ConfigError(f"{where}: stdnum.{module} has no is_valid()")
    return check  # type: ignore[no-any-return]


class UserRecognizers:
    """Runs every recognizer of a policy; call it with a text to get its hits."""

    def __init__(self, specs: tuple[Any, ...]) -> None:
        self._compiled = []
        for i, spec in enumerate(specs):
            where = f"recognizer {spec.name!r}"
            regex = compile_user_regex(spec.regex, spec.ignore_case, where)
            validator = load_validator(spec.validator, where) if spec.validator else None
            context = (
                re.compile(r"(?i)(?<!\w)(?:" + "|".join(re.escape(w) for w in spec.context) + r")(?!\w)")
                if spec.context
                else None
            )
            self._compiled.append((i, spec, regex, validator, context))

    def __call__(self, text: str) -> Iterator[Hit]:
        for i, spec, regex, validator, context in self._compiled:
            try:
                matches = list(regex.finditer(text, timeout=TIMEOUT))
            except TimeoutError:
                raise DetectorError(
                    f"user recognizer {i} ({spec.label.value}) exceeded {TIMEOUT:g}s", stage="detect"
                ) from None
            for m in matches:
                start, end = m.span()
                if start == end:
                    continue
                if (start > 0 and is_word(text[start - 1]) and is_word(text[start])) or (
                    end < len(text) and is_word(text[end - 1]) and is_word(text[end])
                ):
                    continue
                if context is not None:
                    lo, hi = max(0, start - spec.window), min(len(text), end + spec.window)
                    if not (context.search(text, lo, start) or context.search(text, end, hi)):
                        continue
                if validator is not None:
                    try:
                        ok = bool(validator(m.group()))
                    except Exception:  # a validator that cannot read the value rejects it
                        ok = False
                    if not ok:
                        continue
                yield Hit(start, end, spec.label, spec.score)
