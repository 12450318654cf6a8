"""``partial_mask``: a mask that leaves part of an identifier visible."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from ...model import Label
from ..lexicon import (
    CONTRACTION,
    DEPARTMENTS,
    NOT_NAMES,
    PLACE_NOUNS,
    ROLE_WORDS,
    WEEKDAYS_MONTHS,
    first_names,
    org_words,
    places,
    titles,
)
from ..report import Finding
from ..roles import MaskContext
from ..text import TextIndex, Token
from ..view import AuditView

_NUMBER_LABELS = frozenset({"PHONE", "CARD", "IBAN", "ID", "IP"})
_LETTERS_BEFORE = re.compile(r"[^\W\d_]{2,}$")
_LETTERS_AFTER = re.compile(r"[^\W\d_]{2,}")
_DIGITS_AFTER = re.compile(r"[ \t.-]?(\d[\d \t.-]*\d|\d)(?![\w])")
_DIGITS_BEFORE = re.compile(r"(?<![\w])(\d[\d \t.-]*\d|\d)[ \t.-]?$")
_EMAIL_DOMAIN_AFTER = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_INITIAL = re.compile(r"[A-Z]\.")
_WORD_SHAPE = re.compile(r"[^\W\d_][\w'’-]*")


def _glued_letters(ix: TextIndex, c: MaskContext) -> Iterator[Finding]:
    """Letters glued to the mask: a stem or ending of the masked word stays visible."""
    m, text = c.mask, ix.text
    pre = _LETTERS_BEFORE.search(text[max(0, m.start - 40) : m.start])
    post = _LETTERS_AFTER.match(text[m.end : m.end + 40])
    for hit, s, e, side in (
        (pre, m.start - len(pre.group()) if pre else 0, m.start, "before"),
        (post, m.end, m.end + len(post.group()) if post else 0, "after"),
    ):
        if hit is None or (side == "after" and hit.group() in {"s", "es"}):
            continue
        n = e - s
        yield Finding(
            "partial_mask",
            "high" if n >= 3 else "medium",
            s,
            e,
            f"The mask covers only part of a word: {n} letters of it stay visible {side} the mask.",
            m.label or "UNKNOWN",
            m.start,
            m.end,
        )


def _visible_digits(ix: TextIndex, c: MaskContext) -> Iterator[Finding]:
    """Digits next to the mask: the visible part of a card, phone or account number."""
    m, text = c.mask, ix.text
    dpost = _DIGITS_AFTER.match(text[m.end : m.end + 40])
    dpre = _DIGITS_BEFORE.search(text[max(0, m.start - 40) : m.start])
    for hit, base in ((dpost, m.end), (dpre, m.start - 40 if m.start >= 40 else 0)):
        if hit is None:
            continue
        digits = sum(ch.isdigit() for ch in hit.group(1))
        if digits < 2 or (c.age is not None and hit is dpost):
            continue
        glued = not (text[m.end : m.end + 1] if hit is dpost else text[m.start - 1 : m.start]).isspace()
        if not (glued or m.label in _NUMBER_LABELS or ix.in_mask_run(m)):
            continue  # "the 13 [PERSON] artworks": a number beside a name mask is not its tail
        yield Finding(
            "partial_mask",
            "high" if digits >= 6 else "medium",
            base + hit.start(1),
            base + hit.end(1),
            f"{digits} digits of a masked number stay visible next to the mask; "
            "with a known prefix or issuer they narrow or reveal the number.",
            m.label or "NUMBER",
            m.start,
            m.end,
        )


def _email_domain(ix: TextIndex, c: MaskContext) -> Iterator[Finding]:
    m = c.mask
    email = _EMAIL_DOMAIN_AFTER.match(ix.text[m.end : m.end + 80])
    if email:
        yield Finding(
            "partial_mask",
            "medium",
            m.end,
            m.end + email.end(),
            "The domain of a masked e-mail address stays visible; for a small organisation "
            "it narrows the address to few people.",
            Label.EMAIL.value,
            m.start,
            m.end,
        )


def _is_name_part(ix: TextIndex, t: Token) -> bool:
    if _INITIAL.fullmatch(t.text):
        return True
    k = t.key
    if not t.cap or not _WORD_SHAPE.fullmatch(t.text) or len(k) < 2:
        return False
    if k in NOT_NAMES or k in ROLE_WORDS or k in titles() or k in DEPARTMENTS or k in org_words():
        return False
    if k in WEEKDAYS_MONTHS or k in PLACE_NOUNS or CONTRACTION.search(t.text):
        return False
    if k in ix.lower_words and k not in first_names():
        return False
    votes = ix.votes_for(k)
    if votes & {"LOC", "ORG", "NORP"} and "PERSON" not in votes:
        return False
    if k in places() and "PERSON" not in votes:
        return False
    return "PERSON" in votes or k in first_names() or ix.sentence_start(t.start) != t.start


def _name_beside(ix: TextIndex, c: MaskContext) -> Iterator[Finding]:
    """A name part left beside a person mask ("Sergei XXX", "XXX Lavrov", "J. XXX")."""
    m, text = c.mask, ix.text
    if m.label not in (None, Label.PERSON.value) or c.place_like:
        return
    beside: list[Token] = []
    i = ix.tok_before(m.start)
    if i >= 0 and not text[ix.toks[i].end : m.start].strip(" \t") and ix.toks[i].end < m.start:
        beside.append(ix.toks[i])
    j = ix.tok_from(m.end)
    if j < len(ix.toks) and not text[m.end : ix.toks[j].start].strip(" \t") and ix.toks[j].start > m.end:
        beside.append(ix.toks[j])
    for t in beside:
        if _is_name_part(ix, t):
            yield Finding(
                "partial_mask",
                "high",
                t.start,
                t.end,
                "Part of a masked name stays visible beside the mask (a first, middle or last "
                "name or an initial); with the context it can identify the person.",
                Label.PERSON.value,
                m.start,
                m.end,
            )


class PartialMaskFinder:
    """Letters, digits, an e-mail domain or a name part left visible beside a mask."""

    name: ClassVar[str] = "partial_mask"

    def find(self, view: AuditView, earlier: Sequence[Finding]) -> Iterator[Finding]:
        for c in view.contexts:
            yield from _glued_letters(view.index, c)
            yield from _visible_digits(view.index, c)
            yield from _email_domain(view.index, c)
            yield from _name_beside(view.index, c)
