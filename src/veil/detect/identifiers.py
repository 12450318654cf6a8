"""Identifiers that only context reveals: case, record, account and licence numbers, plates,
and bank or card numbers split across a line break.

* **Generic identifiers.** After a keyword that announces an identifier ("no.", "number",
  "ref", "account", "case", "claim", "policy", "invoice", "order", "ticket", "member",
  "MRN", "NHS", "passport", "licence", "registration", ... see :data:`KEYWORDS`), optionally
  followed by connector words ("number", "is", ":", "#"), a chain of up to five groups
  separated by single spaces is read ("SN 22-9184", "EK 418203", "412 Js 2281/23"). The
  chain is an identifier when it mixes letters and digits or holds at least four digits,
  and it is not a quantity or a date: no currency sign before it, no unit or counted noun
  after it ("£5,000", "3 children", "12 May" never qualify), no month name in it. A list
  continues the chain ("nos. 52117/09 and 6631/10"). Every other occurrence of a found
  identifier in the document is reported too.
* **Plates** in UK ("YK63 RZN"), German ("KS-HA 4471"), French ("AB-123-CD"), Belgian
  ("1-ABC-234") and Dutch side-code formats are found without context; US plates vary too
  much and need a keyword ("plate", "registration", "tag"), which the generic rule gives.
* **Split numbers.** IBANs and card numbers broken by one line break are validated on a
  view of the text where that break is a space, then reported line by line.

Every expression here is linear-time: single character classes with bounded or possessive
repetition, no nested unbounded quantifiers; the chains are read by a Python loop with a
fixed bound.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from ..model import Label
from .hits import Hit, is_word

#: Words after which a code-like token is an identifier.
KEYWORDS: tuple[str, ...] = (
    r"nos?\.?",
    r"nr\.?",
    "number",
    "num",
    "#",
    r"ref\.?",
    "reference",
    "account",
    r"acct\.?",
    "case",
    "docket",
    "claim",
    "policy",
    "invoice",
    "order",
    "ticket",
    "member",
    "membership",
    "mrn",
    "nhs",
    "passport",
    "licen[cs]e",
    "registration",
    r"reg\.?",
    "plate",
    "id",
    "identifier",
    "customer",
    "client",
    "employee",
    "staff",
    "payroll",
    "badge",
    "file",
    "session",
    "tracking",
    "mandate",
    "serial",
    "username",
    "user name",
    "login",
    "code",
    "sort code",
    "ending(?: in)?",
    "dl#?",
    "aktenzeichen",
    "az\\.",
    "rechnungsnummer",
    "kundennummer",
    "auftragsnummer",
    "referenz",
    "dossier",
    "numéro",
)
_KEYWORD = re.compile(r"(?i)(?<![\w#])(?:" + "|".join(KEYWORDS) + r")(?![\w])")
# Between the keyword and the identifier: punctuation and a few connector words.
_CONNECTOR = re.compile(
    r"(?i)(?:[ \t]{0,3}(?:[:#=(]|no\.?|nr\.?|number|num|id|is|was|of|the|with|reference|ref\.?)?){0,4}+[ \t]{0,3}"
)
_GROUP = re.compile(r"#?[A-Za-z0-9][A-Za-z0-9_\-/.]{0,40}+")
# Numbered public instruments and places ("Law no. 8/1991", "Decree No. 123/2004", "Room no.
# 12B", "Flight no. BA0117") are not a person's file.
_INSTRUMENT_BEFORE = re.compile(
    r"(?i)(?<![\w])(?:law|act|decree|article|regulation|directive|resolution|protocol|rule|section|chapter|"
    r"paragraph|ordinance|bill|convention|page|vol|volume|issue|room|flight|bus|route|platform|gate|"
    r"judgment|decision|recommendation)\.?[ \t]{1,2}$"
)
_LIST_GLUE = re.compile(r"(?i)[ \t]{0,2}(?:,|and|&|or)[ \t]{1,2}")
_MONTHS = re.compile(r"(?i)^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?$")
_UNIT_AFTER = re.compile(
    r"(?i)^[ \t]{0,2}(?:%|percent|per cent|children|child|kids?|sons?|daughters?|people|persons?|years?|yrs?|"
    r"months?|weeks?|days?|hours?|minutes?|kg|kilos?|lbs?|pounds|cm|mm|km|m|ft|feet|in|inch(?:es)?|mph|"
    r"miles?|metres?|meters?|euros?|dollars?|lei|times)(?![\w])"
)
_CURRENCY_BEFORE = re.compile(r"(?i)(?:[£$€¥]|eur|usd|gbp|nok|chf|sek|dkk|lei|rs\.?)[ \t]{0,2}$")
_NUMERIC_DATE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}$")
_TRAIL = "-/._"
MAX_GROUPS = 5


def _group_at(text: str, pos: int) -> tuple[int, int] | None:
    m = _GROUP.match(text, pos)
    if m is None:
        return None
    end = m.end()
    while end > pos and text[end - 1] in _TRAIL:
        end -= 1
    if end == pos or (end < len(text) and is_word(text[end])):
        return None
    return pos, end


def _has_digit(s: str) -> bool:
    return any(ch.isdigit() for ch in s)


def _chain(text: str, pos: int) -> tuple[int, int] | None:
    """The identifier chain starting at ``pos``, or ``None``."""
    groups: list[tuple[int, int]] = []
    while len(groups) < MAX_GROUPS:
        found = _group_at(text, pos)
        if found is None:
            break
        groups.append(found)
        nxt = found[1]
        if nxt + 1 < len(text) and text[nxt] == " " and text[nxt + 1].isalnum():
            pos = nxt + 1
        else:
            break
    # Keep groups while they carry digits, or are short letter groups between / after them
    # ("SN 22-9184", "412 Js 2281/23", "QQ 12 34 56 C", "YK63 RZN").
    kept: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(groups):
        g = text[s:e]
        if _has_digit(g):
            kept.append((s, e))
            continue
        short = len(g.lstrip("#")) <= 4 and g.lstrip("#").isalpha()
        later_digit = any(_has_digit(text[a:b]) for a, b in groups[i + 1 :])
        if short and later_digit and g.lstrip("#")[0].isupper():
            kept.append((s, e))
        elif short and g.isupper() and len(g) <= 3 and kept:
            kept.append((s, e))
            break
        else:
            break
    while (
        kept
        and not _has_digit(text[kept[0][0] : kept[0][1]])
        and not any(_has_digit(text[a:b]) for a, b in kept[1:])
    ):
        kept.pop()
    if not kept:
        return None
    start, end = kept[0][0], kept[-1][1]
    return (start, end) if _is_identifier(text, start, end) else None


def _looks_like_date(raw: str) -> bool:
    m = _NUMERIC_DATE.match(raw)
    if m is None:
        return False
    a, b, c = (int(x) for x in re.split(r"[./\-]", raw))
    if a > 31:  # year first
        return 1 <= b <= 12 and 1 <= c <= 31
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)


def _is_identifier(text: str, start: int, end: int) -> bool:
    raw = text[start:end]
    digits = sum(ch.isdigit() for ch in raw)
    letters = sum(ch.isalpha() for ch in raw)
    if digits == 0:
        return False
    if letters == 0 and digits < 4:
        return False
    if letters and digits + letters < 4:
        return False
    if _looks_like_date(raw) or any(_MONTHS.match(w) for w in raw.split()):
        return False
    if _CURRENCY_BEFORE.search(text, max(0, start - 6), start):
        return False
    if letters == 0 and _UNIT_AFTER.match(text, end):
        return False
    return not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw)  # "5,000" is a quantity


def generic_ids(text: str) -> Iterator[Hit]:
    """Code-like tokens announced by a keyword, and their other occurrences."""
    found: list[tuple[int, int]] = []
    for m in _KEYWORD.finditer(text):
        if _INSTRUMENT_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue  # "Law no. 8/1991", "Protocol No. 11": a public text, not a person's file
        c = _CONNECTOR.match(text, m.end())
        pos = c.end() if c is not None else m.end()
        if pos >= len(text) or text[pos] in "\n\r":
            continue
        for _ in range(MAX_GROUPS):
            span = _chain(text, pos)
            if span is None:
                break
            found.append(span)
            glue = _LIST_GLUE.match(text, span[1])
            if glue is None:
                break
            pos = glue.end()
    seen: set[str] = set()
    for s, e in found:
        if s > 0 and text[s - 1] == "#":  # "Ticket #INC-448210": the sign is part of it
            s -= 1
        yield Hit(s, e, Label.ID, 0.8)
        surface = text[s:e]
        if surface in seen or len(surface) < 5:
            continue
        seen.add(surface)
        i = text.find(surface)
        while i != -1:
            j = i + len(surface)
            if (i == 0 or not is_word(text[i - 1])) and (j == len(text) or not is_word(text[j])):
                yield Hit(i, j, Label.ID, 0.75)
            i = text.find(surface, j)


# ------------------------------------------------------------------------------ plates

_PLATES = re.compile(
    r"(?<![\w\-])(?:"
    r"[A-Z]{2}(?:0[2-9]|[1-7]\d)[ ]?[A-Z]{3}"  # UK since 2001: YK63 RZN
    r"|[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[ ]\d{1,4}[EH]?"  # Germany: KS-HA 4471
    r"|[A-Z]{2}-\d{3}-[A-Z]{2}"  # France since 2009: AB-123-CD
    r"|[1-9]-[A-Z]{3}-\d{3}"  # Belgium: 1-ABC-234
    r"|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}"  # Netherlands
    r")(?![\w]|-\w)"
)


def plates(text: str) -> Iterator[Hit]:
    for m in _PLATES.finditer(text):
        yield Hit(m.start(), m.end(), Label.ID, 0.7)


# ------------------------------------------------------------------- split across lines

_BREAK = re.compile(r"(?<=[A-Za-z0-9])\r?\n(?=[A-Za-z0-9])")


def split_numbers(text: str, recognizers: tuple[object, ...]) -> Iterator[Hit]:
    """IBANs and cards broken by one line break, reported as one hit per line."""
    if "\n" not in text:
        return
    breaks = [m.start() for m in _BREAK.finditer(text) if text[m.start()] == "\n"]
    if not breaks:
        return
    chars = list(text)
    for b in breaks:
        chars[b] = " "
    view = "".join(chars)
    for recognize in recognizers:
        for h in recognize(view):  # type: ignore[operator]
            inside = [b for b in breaks if h.start < b < h.end - 1]
            if not inside:
                continue
            cuts = [h.start, *inside, h.end]
            for a, z in itertools.pairwise(cuts):
                s = a + 1 if text[a] == "\n" else a
                e = z
                if s < e:
                    yield Hit(s, e, h.label, h.score)
