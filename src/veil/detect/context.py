"""Context evidence that a capitalised name is a person, whatever the NER model says.

* a title before it: "Dr. Ada Byron", "Mariupol Mayor Vadym Boichenko" (capitalised title
  word from :data:`~veil.detect.lexicon.TITLES`);
* a lower-case role before it: "military analyst Pavel Felgenhauer", "spokesperson Ana";
* an age after it: "Dmytro Vasylenko, 68, said";
* a speech verb after it: "Lavrov said" (weak: score 0.5, used by the resolver only as a
  vote for spans other detectors found, never as a mention on its own).

Spans carry the label PERSON and ``source="context"`` (``context.speech`` for speech
verbs). They cover only the name, not the title or role; the resolver decides whether a
title joins the mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from ..config import Policy
from ..model import Document, Label, Span
from .lexicon import NOT_AUTHORS, ORG_WORDS, PERSON_TITLES, ROLE_MODIFIERS, ROLES, TITLES

_NAME_WORD = r"(?:[A-Z][a-z]?\.|[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,}(?![a-z]))"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|la|le|bin|ibn|al|el|ter|ten)"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_NAME_WORD}){{0,3}}"

_title_alt = "|".join(sorted((re.escape(t.capitalize()) for t in PERSON_TITLES), key=len, reverse=True))
_role_alt = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))

_TITLE_RE = re.compile(rf"\b(?:{_title_alt})\.?[ \t]+(?P<name>{_NAME})")
_ROLE_RE = re.compile(rf"\b(?:{_role_alt})[ \t]+(?P<name>{_NAME})")
# "the mayor of Kherson, Ihor Kolesnyk, said": a role of a place or body, then the name in apposition.
_ROLE_OF_RE = re.compile(
    rf"\b(?:{_role_alt})[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){{0,4}},[ \t]+"
    rf"(?P<name>{_NAME})(?=[ \t]*,)"
)
_AGE_RE = re.compile(rf"(?P<name>{_NAME}),[ \t]+(?P<age>\d{{1,3}})(?=[ \t]*[,;.)])")
_SPEECH_RE = re.compile(
    rf"(?P<name>{_NAME})[ \t]+(?:said|says|told|added|asked|wrote|explained|noted|argued|insisted|"
    r"stated|replied|recalled|testified|tweeted)\b"
)
# Citations: "Bavelier (2012)", "Green and Bavelier, 2003", "Klingberg et al. (2005)".
_AUTHOR = r"(?:[A-Z][\w'’]*[a-z][\w'’]*(?:-[A-Z][\w'’]*)?)"
_CITE_RE = re.compile(
    rf"(?P<names>{_AUTHOR}(?:[ \t]*(?:,[ \t]*(?:and|&)?|and|&)[ \t]*{_AUTHOR}){{0,6}})(?:[ \t]+et[ \t]+al\.?)?"
    r"(?:[ \t]*,[ \t]*|[ \t]+\([ \t]*)(?:19|20)\d\d[a-z]?\b"
    r"|(?P<names2>(?<=[(;] )"
    + _AUTHOR
    + r"(?:[ \t]*(?:,|and|&)[ \t]*"
    + _AUTHOR
    + r"){0,3})[ \t]+(?:19|20)\d\d[a-z]?(?=[;)])"
)
# Strong person cues after a name: "Brock Holt (born June 11, 1988)", "Holt was born",
# "Ana Ruiz, who ...".
_BORN_RE = re.compile(rf"(?P<name>{_NAME})(?:[ \t]+\((?:born|b\.|née)\b|[ \t]+was[ \t]+born\b|,[ \t]+who\b)")
# Credit lines: "Image: Nick Moreau", "Photo credit: Holley (Armstrong & Plaskitt)".
_CREDIT_RE = re.compile(
    rf"\b(?:Image|Photo|Photograph|Video|Picture|Illustration|Credit)s?(?:[ \t]+credits?)?:[ \t]+"
    rf"(?P<names>{_NAME}(?:[ \t]*(?:\(|&|,|and)[ \t]*{_NAME}\)?){{0,3}})"
)
_NOT_CREDITED = frozenset(
    "public domain|creative commons|wikimedia commons|wikimedia|wikipedia|flickr|getty images|reuters|afp|ap|nasa|unknown|anonymous".split(
        "|"
    )
)
# Case names: "Lynch v. Overholser".
_CASE_RE = re.compile(rf"(?P<a>{_AUTHOR})[ \t]+v(?:s)?\.[ \t]+(?P<b>{_AUTHOR})")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# A mask left by a previous redaction is not a name.
_MASK = re.compile(r"^(?:X{2,}|x{3,}|\*{2,}|█+|_{2,})$")

_STOP_FIRST = frozenset(
    """
    The A An This That These Those It He She They We I You His Her Their Our My Your Its
    But And Or If When While After Before As At In On Of For From To With By Mr Mrs Ms Dr
    """.split()
)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop leading stop words and trailing possessive; reject masks and title-only names."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and (
        words[0].group().rstrip(".") in _STOP_FIRST or words[0].group().rstrip(".").casefold() in TITLES
    ):
        words.pop(0)
    for i, w in enumerate(words):
        if i and (w.group().casefold() in NOT_AUTHORS or not w.group()[:1].isupper()):
            words = words[:i]
            break
    if not words:
        return None
    s = start + words[0].start()
    e = start + words[-1].end()
    surface = text[s:e]
    for suffix in ("'s", "’s", "'", "’"):
        if surface.endswith(suffix):
            e -= len(suffix)
            break
    surface = text[s:e]
    if (
        not surface
        or any(_MASK.match(w) for w in surface.split())
        or all(w.casefold() in TITLES for w in surface.split())
    ):
        return None
    if surface.split()[-1].casefold() in ORG_WORDS:
        return None
    return s, e


class ContextDetector:
    """Person names marked by a title, a role, an age or a speech verb around them."""

    name: ClassVar[str] = "context"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    def _find(self, text: str) -> Iterator[Span]:
        for rx, score, source in (
            (_TITLE_RE, 0.9, "context"),
            (_ROLE_RE, 0.8, "context"),
            (_ROLE_OF_RE, 0.8, "context"),
            (_AGE_RE, 0.8, "context"),
            (_BORN_RE, 0.8, "context"),
            (_SPEECH_RE, 0.5, "context.speech"),
        ):
            for m in rx.finditer(text):
                if rx is _ROLE_RE or rx is _ROLE_OF_RE:
                    # "the former military analyst X": the role word must be lower case.
                    role = text[m.start() : m.start("name")].split()[0]
                    if not role.islower():
                        continue
                if rx is _AGE_RE:
                    age = int(m.group("age"))
                    if not 1 <= age <= 120:
                        continue
                trimmed = _trim(text, m.start("name"), m.end("name"))
                if trimmed is None:
                    continue
                yield Span(trimmed[0], trimmed[1], Label.PERSON, source, score)

    def _citations(self, text: str) -> Iterator[Span]:
        for m in _CITE_RE.finditer(text):
            group = "names" if m.group("names") else "names2"
            base = m.start(group)
            line_start = text.rfind("\n", 0, base) + 1
            after = text[m.end() : m.end() + 2].lstrip(")")
            if not text[line_start:base].strip() and (not after or after[0] == "\n"):
                continue  # a heading such as "Pittsburgh Pirates (2012)", not a citation
            if re.search(r"\b(?:of|the|The)[ \t]+$", text[max(0, base - 5) : base]):
                continue  # "The Philosophy of Grammar (1924)": a work's title
            for part in re.finditer(rf"{_AUTHOR}", m.group(group)):
                word = part.group()
                if word.casefold() in NOT_AUTHORS or word.casefold() in TITLES:
                    continue
                yield Span(base + part.start(), base + part.end(), Label.PERSON, "context.cite", 0.7)

    def _credits_cases_emails(self, text: str) -> Iterator[Span]:
        for m in _CREDIT_RE.finditer(text):
            base = m.start("names")
            for part in re.finditer(_NAME, m.group("names")):
                if part.group().casefold() in _NOT_CREDITED:
                    continue
                lead = re.match(r"[A-Z]{2,5}[ \t]+(?=[A-Z][a-z])", part.group())
                start = base + part.start() + (lead.end() if lead else 0)  # "NASA Bill Ingalls"
                trimmed = _trim(text, start, base + part.end())
                if trimmed is not None:
                    yield Span(trimmed[0], trimmed[1], Label.PERSON, "context.cite", 0.7)
        for m in _CASE_RE.finditer(text):
            for g in ("a", "b"):
                if m.group(g).casefold() not in NOT_AUTHORS:
                    yield Span(m.start(g), m.end(g), Label.PERSON, "context.cite", 0.6)
        # "Lotte Wilms lotte.wilms@kb.nl": a name right before an address built from it.
        for m in _EMAIL_RE.finditer(text):
            local = m.group().split("@")[0].casefold()
            before = re.search(rf"({_NAME})[ \t]*[(<]?$", text[max(0, m.start() - 80) : m.start()])
            if before is None:
                continue
            start = m.start() - len(before.group(0)) + before.start(1) - before.start(0)
            words = list(re.finditer(r"\S+", before.group(1)))
            hits = [
                i
                for i, w in enumerate(words)
                if len(w.group()) > 2 and w.group().casefold().strip(".") in local
            ]
            if not hits:
                continue
            first = hits[0]
            # "Andrew Beresford a.m.beresford@...": the given name may appear only as an initial
            if first > 0 and words[first - 1].group()[0].casefold() == local[0]:
                first -= 1
            trimmed = _trim(text, start + words[first].start(), start + words[-1].end())
            if trimmed is not None:
                yield Span(trimmed[0], trimmed[1], Label.PERSON, "context", 0.9)

    def detect(self, doc: Document) -> Iterable[Span]:
        return [*self._find(doc.text), *self._citations(doc.text), *self._credits_cases_emails(doc.text)]


__all__ = ["ROLE_MODIFIERS", "ContextDetector"]
