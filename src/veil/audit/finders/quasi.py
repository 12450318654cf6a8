"""``quasi_identifier``: descriptions that single out one person without a name.

An exact age next to a masked person, a one-holder office or a rare occupation tied to a
named place or organisation, a date of birth and a street address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from ...model import Label
from ..lexicon import FEW_HOLDER_ROLES, ONE_HOLDER_OFFICES, RARE_OCCUPATIONS, ROLE_WORDS, places
from ..persons import Evidence, name_ok
from ..report import Finding, Mask, Severity
from ..roles import Role, role_from_head
from ..text import TextIndex, key
from ..view import AuditView

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?:in\s+)?\d{{4}})"
)
_DOB_RE = re.compile(
    rf"\b(?:born(?:\s+on|\s+in)?|date\s+of\s+birth|d\.?o\.?b\.?|birth\s*date)\s*[:\-]?\s*(?P<date>{_DATE})",
    re.IGNORECASE,
)
_EXACT_DATE = re.compile(
    r"\d{1,2}\D+\d{1,2}\D+\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2}\b"
)
_STREET_RE = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'’.-]*\s+){1,3}"
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Court|Ct\.?|Way|"
    r"Place|Pl\.?|Terrace|Close|Crescent|Highway|Hwy\.?)(?![\w])"
)


def _ages(view: AuditView) -> Iterator[Finding]:
    for c in view.contexts:
        if c.age is not None and c.person_like:
            yield Finding(
                "quasi_identifier",
                "medium",
                c.age[0],
                c.age[1],
                "An exact age is given next to a masked person; with the place and role in the "
                "text it narrows the candidates to a handful of people.",
                Label.AGE.value,
                c.mask.start,
                c.mask.end,
            )


def _singles_out(role: Role) -> bool:
    one = role.head in ONE_HOLDER_OFFICES
    few = role.head in FEW_HOLDER_ROLES
    rare = role.head in RARE_OCCUPATIONS
    return (role.anchored and (one or few or (rare and role.superlative))) or (
        role.superlative and role.anchored
    )


def _names_someone(ix: TextIndex, role: Role) -> bool:
    """A role attached to an unmasked name is reported with the name, not here."""
    nxt = ix.tok_from(role.end)
    if nxt >= len(ix.toks) or ix.text[role.end : ix.toks[nxt].start].strip():
        return False
    t = ix.toks[nxt]
    return t.cap and name_ok(ix, t, Evidence.DETECTOR) and "PERSON" in ix.votes_for(t.key)


def _big_place(ix: TextIndex, role: Role) -> bool:
    return any(key(w) in places() for w in ix.text[role.start : role.end].split())


def _role_severity(ix: TextIndex, role: Role) -> tuple[Severity, str]:
    if role.superlative:
        return "high", (
            f"A superlative ('only', 'first', ...) with the role '{role.head}' tied to a named place "
            "or organisation describes exactly one person."
        )
    if role.head in ONE_HOLDER_OFFICES:
        return "high", (
            f"The office '{role.head}' tied to a named place or organisation is held by one person "
            "at a time, so the description identifies its holder without a name."
        )
    if role.head in RARE_OCCUPATIONS and not _big_place(ix, role):
        return (
            "medium",
            f"A rare occupation ('{role.head}') tied to a named place narrows to very few people.",
        )
    return "medium", (
        f"The role '{role.head}' tied to a named place or organisation is shared by few people; "
        "with the rest of the text it can single one out."
    )


def _roles(view: AuditView) -> Iterator[Finding]:
    ix = view.index
    mask_by_role: dict[tuple[int, int], Mask] = {
        (c.role.start, c.role.end): c.mask for c in view.contexts if c.role is not None
    }
    seen: set[tuple[int, int]] = set()
    for i, t in enumerate(ix.toks):
        if t.key not in ROLE_WORDS:
            continue
        role = role_from_head(ix, i)
        if (role.start, role.end) in seen or not _singles_out(role) or _names_someone(ix, role):
            continue
        seen.add((role.start, role.end))
        mask = mask_by_role.get((role.start, role.end))
        sev, why = _role_severity(ix, role)
        if mask is not None:
            why += f" It describes the masked person at [{mask.start},{mask.end})."
        yield Finding(
            "quasi_identifier",
            sev,
            role.start,
            role.end,
            why,
            "ROLE",
            None if mask is None else mask.start,
            None if mask is None else mask.end,
        )


def _births(ix: TextIndex) -> Iterator[Finding]:
    for m in _DOB_RE.finditer(ix.text):
        if ix.in_mask(m.start("date"), m.end("date")):
            continue
        exact = bool(_EXACT_DATE.search(m.group("date")))
        yield Finding(
            "quasi_identifier",
            "high" if exact else "low",
            m.start("date"),
            m.end("date"),
            "A date of birth: with a place or a sex it identifies most people uniquely."
            if exact
            else "A year of birth narrows the candidates, more so with a place or role.",
            Label.DATE.value,
        )


def _streets(ix: TextIndex) -> Iterator[Finding]:
    for m in _STREET_RE.finditer(ix.text):
        if not ix.in_mask(m.start(), m.end()):
            yield Finding(
                "quasi_identifier",
                "high",
                m.start(),
                m.end(),
                "A street address points at one household or building.",
                Label.ADDRESS.value,
            )


class QuasiIdentifierFinder:
    """Ages beside masked people, identifying roles, dates of birth and street addresses."""

    name: ClassVar[str] = "quasi_identifier"

    def find(self, view: AuditView, earlier: Sequence[Finding]) -> Iterator[Finding]:
        yield from _ages(view)
        yield from _roles(view)
        yield from _births(view.index)
        yield from _streets(view.index)
