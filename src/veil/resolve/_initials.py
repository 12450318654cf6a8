"""Step 5b: initials that match a person of the document join that person.

:mod:`._alias` links initials that the text defines right after a name ("Anneliese Vogt
(AV)") or that are shaped so that they can hardly be anything else ("D.K.", "JvdM",
"HMBL"). This step adds the two shapes it leaves out:

* **Capital initials used without a definition.** A token of two to four capitals equal
  to the initials of one person of the document, first + last ("TB" of "Tamsin Bright",
  "HO" of "H. Obi") or every name word ("GKR" of "Gunnar K. Rasmussen"), is a mention of
  that person wherever it occurs, before or after the full name. A person must match:
  with no person of those initials, an acronym ("NHS", "IT") is left alone. The token is
  not taken when two people share those initials, when it is a function word ("US",
  "IT", "OR": spaCy's English stop words) or a common acronym of office and ticket text
  ("PR", "QA", "HR", "ETA"), when the text also writes it in lower case, when it stands
  in a run of capitals ("TB TESTING"), or when the model holds it as an organisation or
  place ("joined CE") and no occurrence opens a line or sentence (initials in minutes
  and transcripts do: "MO opened the meeting", "SN: Tell me about your role").
* **Lower-case initials defined next to the full name** in parentheses, either order:
  "gkr (Gunnar K. Rasmussen)", "Gunnar K. Rasmussen (gkr)". Lower-case initials are
  taken only with such a definition, since most short lower-case words are words. The
  same adjacency defines capitals too ("TB (Tamsin Bright)").

The new mentions carry no vote of their own; the person's label decides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from ..detect.lexicon import FUNCTION_WORDS, NAME_PARTICLES, used_in_lower_case
from ..model import Label
from ._alias import add_mentions
from ._link import Entities, entity_label
from ._names import initials, is_initial
from ._state import Votes

# Acronyms of office, ticket and chat text that a person's initials may spell ("Priya Rao
# opened a PR"): never taken as initials without a definition.
_COMMON_ACRONYMS = frozenset(
    """
    AM PM OK ID IT HR PR QA CV PA PS NB VP MD GP HQ UK US EU UN TV PC OS UI UX DB CI CD IP
    AI VR AR DM FYI ASAP TBD TBC TBA AOB ETA EOD EOW COB OOO WFH FAQ RSVP CEO CFO CTO
    COO CIO CMO API URL PDF CSV SQL VPN SSO SLA KPI ROI SEO CRM ERP DNS SSH SMS MMS GPS USB
    LAN WAN NDA RFP RFQ POC MVP PTO AWOL NA BBC CNN NHS GDP DNA HIV FBI CIA NASA MBA PHD
    """.split()
)
_CAPS = re.compile(r"(?<![\w.'’-])[A-Z]{2,4}(?![\w'’-])(?!\.\w)")
# "gkr (" before a name, or ") " ... the alias in parentheses after a name.
_ALIAS_BEFORE = re.compile(r"(?<![\w.'’-])(?P<alias>[A-Za-z]{2,4})[ \t]*\([ \t]*$")
_ALIAS_AFTER = re.compile(r"[ \t]*\([ \t]*(?P<alias>[A-Za-z]{2,4})[ \t]*\)")
_CLOSE_AFTER = re.compile(r"[ \t]*\)")
# A neighbouring word in capitals: the token is part of a heading or ALL CAPS run.
_CAPS_BEFORE = re.compile(r"(?<![\w'’-])[A-Z]{2,}[ \t]+$")
_LEADING = re.compile(r"(?:^|[.!?][ \t]+|^[ \t]*[-*•][ \t]*)$", re.MULTILINE)
_CAPS_AFTER = re.compile(r"[ \t]+[A-Z]{2,}(?![a-z])")


@cache
def _stop_words() -> frozenset[str]:
    """English function words in spaCy's list ("us", "me", "am"), which capitals may spell."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | FUNCTION_WORDS


def _person_initials(core: tuple[str, ...]) -> set[str]:
    """Initials of a name of two words or more whose last word is not an initial: every
    word ("GKR"), and first + last ("GR"), in capitals."""
    words = [w for w in core if w not in NAME_PARTICLES]
    if len(words) < 2 or is_initial(words[-1]):
        return set()
    out = {x.upper() for x in initials(list(core)) if x.isalpha()}
    out.add((words[0][:1] + words[-1][:1]).upper())
    return {x for x in out if 2 <= len(x) <= 4 and x.isalpha()}


def initials_of_persons(text: str, entities: Entities, votes: Votes) -> Entities:
    """``entities`` with undefined capital initials and parenthesised lower-case initials
    added to the one person they match."""
    by_initials: dict[str, set[int]] = defaultdict(set)
    defined: dict[str, int] = {}
    for i, ent in enumerate(entities):
        if entity_label(ent, votes) is not Label.PERSON:
            continue
        for m in ent:
            letters = _person_initials(m.core)
            for x in letters:
                by_initials[x].add(i)
            if not letters:
                continue
            for alias in _definitions(text, m.start, m.end):
                if alias.upper() in letters and alias.casefold() not in _stop_words():
                    defined.setdefault(alias, i)
    held_by_other = {
        text[m.start : m.end] for ent in entities if entity_label(ent, votes) is not Label.PERSON for m in ent
    }
    owner: dict[str, int] = dict(defined)
    matches = [m for m in _CAPS.finditer(text) if len(by_initials.get(m.group(), ())) == 1]
    # Where the model holds the token as an organisation or place ("joined CE"), it is
    # still the person's when it opens a line or sentence somewhere ("MO opened the
    # meeting", "SN: Tell me about..."), as initials in minutes and transcripts do.
    leading = {m.group() for m in matches if _LEADING.search(text, max(0, m.start() - 3), m.start())}
    for match in matches:
        token = match.group()
        if token in owner:
            continue
        people = by_initials[token]
        if (
            token.casefold() in _stop_words()
            or token in _COMMON_ACRONYMS
            or (token in held_by_other and token not in leading)
            or used_in_lower_case(text, token.lower())
            or _CAPS_BEFORE.search(text, max(0, match.start() - 40), match.start())
            or _CAPS_AFTER.match(text, match.end())
        ):
            continue
        owner[token] = next(iter(people))
    if not owner:
        return entities
    return add_mentions(text, entities, owner)


def _definitions(text: str, start: int, end: int) -> list[str]:
    """Aliases written in parentheses next to the name at ``[start, end)``: "(gkr)" after
    it, or "gkr (" before it when the parenthesis closes right after the name."""
    out = []
    after = _ALIAS_AFTER.match(text, end)
    if after:
        out.append(after.group("alias"))
    before = _ALIAS_BEFORE.search(text, max(0, start - 12), start)
    if before and _CLOSE_AFTER.match(text, end):
        out.append(before.group("alias"))
    return out
