"""Linking keys for non-name mentions: two surfaces with one key are one entity.

:func:`structured_key` is the hook :mod:`veil.resolve` calls to group pattern mentions
(phones, cards, IBANs, ID numbers, dates, ...). Telephone numbers are normalised to E.164
with ``phonenumbers``, so "+1 415-555-0173" and "(415) 555-0173" are one entity (one
pseudonym, one surrogate); a number without a country code is read in the first
configured region where it is valid (else the first region). Code-like labels compare
their letters and digits only; everything else compares case- and space-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..model import Label

_CODE_LABELS = frozenset({Label.PHONE, Label.CARD, Label.IBAN, Label.ID})


def _phone_key(surface: str, regions: Sequence[str]) -> str | None:
    import phonenumbers as pn

    parsed = None
    for region in regions or ("US",):
        try:
            candidate = pn.parse(surface, region.upper())
        except pn.NumberParseException:
            continue
        if parsed is None:
            parsed = candidate
        if pn.is_valid_number(candidate):
            parsed = candidate
            break
    if parsed is None:
        return None
    return f"+{parsed.country_code}{parsed.national_number}"


def structured_key(label: Label, surface: str, regions: Sequence[str] = ("US",)) -> str:
    """The normalised form under which mentions of ``label`` are linked."""
    if label is Label.PHONE:
        key = _phone_key(surface, regions)
        if key is not None:
            return key
    if label in _CODE_LABELS:
        return re.sub(r"\W", "", surface).casefold()
    return " ".join(unicodedata.normalize("NFKC", surface).split()).casefold()
