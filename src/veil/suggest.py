"""Messages for a value the user got wrong: what they typed, and the closest valid value.

Every "unknown X" error of Veil goes through :func:`unknown`, so the CLI, the service and
the library say it the same way, without option names or module internals::

    unknown operator 'surrogat' (did you mean 'surrogate'?); available: encrypt, generalize, ...
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: Longest part of a user's value echoed back (a pasted document must not end up in a log).
_ECHO = 40


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``value`` (case-insensitive), or ``None`` when none is close."""
    options = list(choices)
    folded = {c.casefold(): c for c in options}
    match = difflib.get_close_matches(value.strip().casefold(), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def unknown(what: str, value: object, choices: Iterable[str]) -> str:
    """``unknown <what> '<value>' (did you mean '<closest>'?); available: a, b, c``."""
    options = sorted(dict.fromkeys(choices))
    shown = str(value).strip()
    if len(shown) > _ECHO:
        shown = shown[:_ECHO] + "..."
    guess = closest(str(value), options)
    hint = f" (did you mean {guess!r}?)" if guess is not None else ""
    return f"unknown {what} {shown!r}{hint}; available: {', '.join(options) or '(none)'}"


__all__ = ["closest", "unknown"]
