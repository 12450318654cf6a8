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
from dataclasses import dataclass
from datetime import date, datetime

from ..model import Label
from .hits import Hit

_BIRTH = re.compile(
    r"(?i)(?:(?<![\w])(?:dob|d\.o\.b\.?|date[ \t]of[ \t](?:birth|death)|birth[ \t]?date|birthday|"
    r"born|died|deceased|geboren(?:[ \t]am)?|n[ée]e?[ \t]le)|\bb\.)[ \t]{0,2}[:.,\-]?[ \t]{0,3}"
    r"(?:on[ \t]{1,2}|in[ \t]{1,2})?(?:the[ \t]{1,2})?$"
)
_WINDOW = 32
_RANGE = re.compile(
    r"(?i)(?<![\w])\d{1,2}(?:st|nd|rd|th)?[ \t]{0,2}(?:[\-–]|to|and)[ \t]{0,2}\d{1,2}(?:st|nd|rd|th)?[ \t]"
)
_BORN_YEAR = re.compile(r"(?i)(?<![\w])(?:born|died)[ \t]{1,2}in[ \t]{1,2}((?:1[5-9]|20)\d\d)(?![\w])")


def birth_role(text: str, start: int) -> bool:
    """Whether the date starting at ``start`` is announced as a date of birth or death."""
    return _BIRTH.search(text, max(0, start - _WINDOW), start) is not None


def born_years(text: str) -> Iterator[Hit]:
    for m in _BORN_YEAR.finditer(text):
        yield Hit(m.start(1), m.end(1), Label.DOB, 0.8)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date read by :func:`parse`; ``has_year`` / ``has_day`` say what the text gave."""

    value: date
    has_year: bool
    has_day: bool
    ambiguous: bool


def parse(text: str) -> ParsedDate | None:
    """Read a written or numeric date ("Thu, 6 Jun 2024", "22nd January 1995",
    "07/22/1990") with ``python-dateutil``; ``None`` when it cannot.

    ``ambiguous`` is true when day and month could be swapped (03/04/2021).
    """
    from dateutil import parser

    if _RANGE.search(text):  # "8-12 January 2024": no single date to read
        return None
    cleaned = re.sub(r"(?i)^(?:the|on|of)\s+|\s+of\s+", " ", text).strip(" ,.;:")
    try:
        a = parser.parse(cleaned, default=datetime(1904, 1, 1), dayfirst=True)
        b = parser.parse(cleaned, default=datetime(1908, 2, 2), dayfirst=True)
        swapped = parser.parse(cleaned, default=datetime(1904, 1, 1), dayfirst=False)
    except (ValueError, OverflowError):
        return None
    return ParsedDate(a.date(), a.year == b.year, a.day == b.day, a.date() != swapped.date())
