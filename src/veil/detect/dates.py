"""Dates with roles: which detected dates are a person's date of birth (or death).

:func:`birth_role` tells whether a date is announced as a date of birth or death ("DOB",
"d.o.b.", "date of birth", "born (on|in)", "died (on)", "deceased"); such dates carry the
label ``DOB``, which the ``pii`` preset protects, while every other date is a ``DATE``
(protected by ``strict``). :func:`born_years` finds the bare year of "born in 1961".
:func:`parse` reads any detected date with ``python-dateutil`` (used by ``generalize``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from ..model import Label
from .hits import Hit

_BIRTH = re.compile(
    r"(?i)(?:(?<![\w])(?:dob|d\.o\.b\.?|date[ \t]of[ \t](?:birth|death)|birth[ \t]?date|birthday|"
    r"born|died|deceased|geboren(?:[ \t]am)?|n[ée]e?[ \t]le)|\bb\.)[ \t]{0,2}[:.,\-]?[ \t]{0,3}"
    r"(?:on[ \t]{1,2}|in[ \t]{1,2})?(?:the[ \t]{1,2})?$"
)
_WINDOW = 32
_BORN_YEAR = re.compile(r"(?i)(?<![\w])(?:born|died)[ \t]{1,2}in[ \t]{1,2}((?:1[5-9]|20)\d\d)(?![\w])")


def birth_role(text: str, start: int) -> bool:
    """Whether the date starting at ``start`` is announced as a date of birth or death."""
    return _BIRTH.search(text, max(0, start - _WINDOW), start) is not None


def born_years(text: str) -> Iterator[Hit]:
    for m in _BORN_YEAR.finditer(text):
        yield Hit(m.start(1), m.end(1), Label.DOB, 0.8)


def parse(text: str) -> tuple[date, bool] | None:
    """The date written in ``text`` and whether its day and month could be swapped.

    Reads written and numeric forms with ``dateutil``; ``None`` when it cannot.
    """
    from dateutil import parser

    cleaned = re.sub(r"(?i)^(?:the|on|of)\s+|\s+of\s+", " ", text).strip(" ,.;:")
    default = datetime(1900, 1, 1)
    try:
        first = parser.parse(cleaned, default=default, dayfirst=True, fuzzy=False)
        other = parser.parse(cleaned, default=default, dayfirst=False, fuzzy=False)
    except (ValueError, OverflowError):
        return None
    return first.date(), first.date() != other.date()
