"""A multi-country name lexicon, and what it is used for: re-casing and name evidence.

The lexicon (``veil/data/names.tsv.gz``, built by ``scripts/build_name_lexicon.py``) holds

* given names and surnames written in Latin script from every locale of **Faker**'s person
  providers (MIT), with the romanised Japanese and Chinese lists: about 21,000 given names
  and 22,500 surnames, matched case- and diacritic-insensitively ("Zsofia" = "Zsófia");
* the 80,000 most frequent English words of **pyspellchecker**'s frequency list (MIT), by
  rank: a name that is also an ordinary word ("Will", "Rose", "Summer") is never evidence on
  its own (:meth:`NameLexicon.is_ordinary`).

It loads in well under a second and takes a few MB. Two users:

* :func:`recased_view` gives the same-length view of a text in which ALL CAPS runs and
  all-lower-case lines are re-cased ("CLAIMANT: TOBIAS WREN" -> "Claimant: Tobias Wren",
  "i asked tom hendricks" -> "I asked Tom Hendricks"), so that the NER model can read them.
  Offsets map 1:1 because every character keeps its length.
* :class:`NameLexiconDetector` marks a capitalised pair of words that the lexicon knows as a
  given name and a surname, in either order ("Ildikó Fekete-Nagy", "Fekete-Nagy Ildikó"),
  as PERSON evidence (``source="names.lexicon"``), and a lone given name inside a sentence
  that is no frequent English word nor a place (or opening one before a verb that makes it
  the subject: "Rohan has led the migration").
"""

from __future__ import annotations

import gzip
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import ClassVar

from ..config import Policy
from ..model import Document, Evidence, Label, Span
from .lexicon import (
    HONORIFIC_WORDS,
    NAME_PARTICLES_EXTENDED,
    NON_PERSON_WORDS,
    ORG_WORDS,
    PLACE_PREFIXES,
    TITLES,
    fold,
    places,
)
from .verbs import verb_form

#: Source of the spans :class:`NameLexiconDetector` emits.
LEXICON_SOURCE = "names.lexicon"
#: Words more frequent than this rank in English are ordinary words, whatever else they are.
ORDINARY_RANK = 5000
#: Words up to this rank are written in lower case when a run is re-cased.
COMMON_RANK = 30_000
# How far the re-casing looks around a word (characters).
_WINDOW = 200
# Chat abbreviations that are no English words but no names either.
_CHAT = frozenset(
    "lol brb pls plz thx thanx omg tmrw tmr btw imo imho idk afaik asap fyi np ty irl dm".split()
)
# A word: starts with a letter; letters, digits, apostrophes and inner hyphens after.
_WORD_RE = re.compile(r"[^\W\d_](?:[\w’']*[^\W_]|)(?:-[^\W\d_][\w’']*)*")


@dataclass(frozen=True, slots=True)
class NameLexicon:
    """Given names, surnames (folded) and the frequency rank of common English words."""

    given: frozenset[str]
    surnames: frozenset[str]
    rank: Mapping[str, int]

    def _parts(self, word: str) -> list[str]:
        w = fold(word.strip("'’"))
        return [w, *(p for p in w.split("-") if p and p != w)]

    def is_given(self, word: str) -> bool:
        return any(p in self.given for p in self._parts(word))

    def is_surname(self, word: str) -> bool:
        return any(p in self.surnames for p in self._parts(word))

    def is_name(self, word: str) -> bool:
        return self.is_given(word) or self.is_surname(word)

    def is_ordinary(self, word: str) -> bool:
        """Whether ``word`` is a frequent English word (rank below :data:`ORDINARY_RANK`)."""
        return self.rank.get(word.casefold(), ORDINARY_RANK) < ORDINARY_RANK

    def is_english(self, word: str) -> bool:
        """Whether ``word`` is in the English word list at all (80,000 words)."""
        return word.casefold() in self.rank

    def is_common(self, word: str) -> bool:
        """Whether ``word`` is among the :data:`COMMON_RANK` most frequent English words."""
        return self.rank.get(word.casefold(), COMMON_RANK) < COMMON_RANK


@cache
def lexicon() -> NameLexicon:
    """The lexicon shipped with Veil, loaded once per process (names are stored folded)."""
    raw = files("veil").joinpath("data/names.tsv.gz").read_bytes()
    given: set[str] = set()
    family: set[str] = set()
    rank: dict[str, int] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        kind, _, word = line.partition("\t")
        if kind == "g":
            given.add(word)
        elif kind == "s":
            family.add(word)
        elif kind == "c":
            rank.setdefault(word, len(rank))
    return NameLexicon(frozenset(given), frozenset(family), rank)


# ------------------------------------------------------------------------------ re-casing


def _recase(word: str, title: bool) -> str:
    """``word`` in Title case or lower case, same length. Title case capitalises each part
    of a hyphenated word ("Okonkwo-Bell") and the part after an apostrophe that follows one
    or two letters ("O'Shaughnessy", not "He'Ll")."""
    out = []
    start = True
    part = 0  # letters since the last separator
    for i, ch in enumerate(word):
        if ch.isalpha():
            new = ch.upper() if (title and start) else ch.lower()
            out.append(new if len(new) == 1 else ch)
            start = False
            part += 1
        else:
            out.append(ch)
            rest = sum(1 for c in word[i + 1 :] if c.isalpha())
            start = ch == "-" or (ch in "'’" and part <= 2 and rest >= 3)
            part = 0
    return "".join(out)


_ROMAN = re.compile(r"[IVXLC]+")


def _is_caps(word: str) -> bool:
    """Two or more letters, all capitals, and not a Roman numeral ("WORLD WAR II")."""
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and not _ROMAN.fullmatch(word)


def _caps_groups(line: str, lex: NameLexicon) -> list[list[re.Match[str]]]:
    """Runs of ALL CAPS words in ``line`` that should be re-cased: two or more caps words
    with no lower-case letter between them, or one caps word right beside a capitalised
    word when one of the two is a known name ("Funmilayo ADEYEMI", not "NASA Administrator")."""
    words = list(_WORD_RE.finditer(line))
    groups: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for w in words:
        if len(w.group()) == 1 and w.group().isupper():
            continue  # an initial ("J. HARTWELL") neither starts nor breaks a run
        if _is_caps(w.group()):
            if run and any(ch.islower() for ch in line[run[-1].end() : w.start()]):
                groups.append(run)
                run = []
            run.append(w)
        elif run:
            groups.append(run)
            run = []
    if run:
        groups.append(run)
    out = []
    for g in groups:
        if len(g) >= 2:
            out.append(g)
            continue
        w = g[0]
        # look back a bounded window only, so that a long line stays linear
        before = re.search(
            r"(?:^|(?<=[^\w’'-]))([^\W\d_][\w’'-]*) $", line[max(0, w.start() - _WINDOW) : w.start()]
        )
        after = re.match(r" ([^\W\d_][\w’'-]*)", line[w.end() :])
        beside = [
            m.group(1)
            for m in (before, after)
            if m is not None and m.group(1)[:1].isupper() and m.group(1)[1:2].islower()
        ]
        named = [x for x in (w.group(), *beside) if lex.is_name(x) and not lex.is_ordinary(x)]
        if beside and named:
            out.append(g)
    return out


def _decide(words: list[str], gaps: list[str], lex: NameLexicon, caps: bool) -> list[bool]:
    """For each word of one run, whether it is shown capitalised in the view. ``gaps[i]``
    is the text between ``words[i]`` and ``words[i + 1]``."""
    title = []
    for w in words:
        f = w.casefold()
        if any(ch.isdigit() for ch in w):
            title.append(False)
        elif f.rstrip(".") in HONORIFIC_WORDS or (
            lex.is_name(w) and not lex.is_ordinary(w) and (caps or lex.is_given(w) or not lex.is_common(w))
        ):
            title.append(True)
        elif lex.is_common(f) or f in NAME_PARTICLES_EXTENDED:
            title.append(False)
        else:
            # an unknown word: in capitals most likely a name; in lower case only when it
            # follows a name (a surname the lexicon does not know: "marcus feld")
            title.append(caps and len(f) > 3)
    for i in range(len(words) - 2, -1, -1):
        # a given name that is also an ordinary word, right before a name ("WILL ASHBY")
        if not title[i] and title[i + 1] and gaps[i] == " " and lex.is_given(words[i]):
            title[i] = True
    if not caps:
        for i in range(1, len(words)):
            w = words[i]
            # a surname the lexicon does not know, after a given name ("marcus feld")
            if (
                not title[i]
                and title[i - 1]
                and gaps[i - 1] == " "
                and lex.is_given(words[i - 1])
                and not lex.is_common(w)
                and w.casefold() not in NAME_PARTICLES_EXTENDED
                and w.casefold() not in _CHAT
                and not any(ch.isdigit() for ch in w)
                and not verb_form(w, lex)  # "bartholomew texted"
            ):
                title[i] = True
    return title


def _in_address(line: str, w: re.Match[str]) -> bool:
    """Whether the word is part of an e-mail address, URL or handle (never re-cased). A
    token longer than :data:`_WINDOW` on either side counts as one (and keeps this linear)."""
    a, b = w.start(), w.end()
    while a > 0 and not line[a - 1].isspace():
        a -= 1
        if w.start() - a > _WINDOW:
            return True
    while b < len(line) and not line[b].isspace():
        b += 1
        if b - w.end() > _WINDOW:
            return True
    token = line[a:b]
    return "@" in token or "://" in token or token.startswith("www.")


# After a sentence's first word, a verb that makes it the subject ("Lowri has led the
# migration", "Kai said", "Nkem confirmed"): a sentence-initial given name then counts.
_ACTS = re.compile(
    r"[ \t]+(?:has|had|was|will|would|can|could|should|must|did|does|said|says|told|asked|wrote|"
    r"replied|confirmed|agreed|called|emailed|phoned|arrived|left|joined|thinks|thought|wants|wanted)\b"
)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 4) : pos]
    return re.search(r"(?:^|[.!?:;]\s+|\n\s*)$", before) is not None or pos == 0


def recased_view(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """A same-length copy of ``text`` with ALL CAPS runs and lower-case lines re-cased,
    and the ``(start, end)`` of each re-cased line; ``None`` when nothing needs it.

    A line is lower-case when it has at least two words and no capital letter; it is in
    Title Case when it has at least three words, no lower-case word of four letters or more,
    and at least two capitalised ordinary words after its first ("Local Baker Wins Award").
    In a re-cased run a word is capitalised when the lexicon knows it as a name that is not
    an ordinary word (or, in capitals, when it is no English word at all); ordinary words are
    lower-cased ("DATE OF BIRTH" -> "Date of birth"), except at the start of a sentence.
    """
    lex: NameLexicon | None = None
    chars: list[str] | None = None
    regions: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        base = pos
        pos += len(line)
        lower = line.islower()
        tokens = line.split()
        has_caps = any(len(t) >= 2 and t.isupper() and _is_caps(t) for t in tokens)
        titled = len(tokens) >= 3 and all(len(t) < 4 or not t[:1].islower() for t in tokens)
        if not (lower or has_caps or titled):
            continue  # the common case, decided without a regex
        if lex is None:
            lex = lexicon()
        runs: list[tuple[list[re.Match[str]], str]] = []
        if lower:
            words = list(_WORD_RE.finditer(line))
            if len(words) >= 2:
                runs.append((words, "lower"))
        if has_caps:
            runs.extend((g, "caps") for g in _caps_groups(line, lex))
        if titled and not lower:
            words = [
                w for w in _WORD_RE.finditer(line) if w.group()[:1].isupper() and w.group()[1:].islower()
            ]
            if sum(1 for w in words[1:] if lex.is_ordinary(w.group())) >= 2:
                runs.append((words, "title"))
        if not runs:
            continue
        if chars is None:
            chars = list(text)
        changed = False
        for run, mode in runs:
            kept = [w for w in run if not _in_address(line, w)]
            if not kept:
                continue
            gaps = [line[a.end() : b.start()] for a, b in itertools.pairwise(kept)]
            decided = _decide([w.group() for w in kept], gaps, lex, mode != "lower")
            for w, title in zip(kept, decided, strict=True):
                s = base + w.start()
                word = w.group()
                if mode == "title":
                    lowered = not title and lex.is_common(word) and not _sentence_start(text, s)
                    new = _recase(word, False) if lowered else word
                elif mode == "caps":
                    new = _recase(word, title or _sentence_start(text, s))
                    if len(word) <= 3 and not title and not lex.is_common(word):
                        new = word  # an acronym ("DOB", "TEL") stays as it is
                else:
                    new = (
                        _recase(word, True)
                        if (title or word in ("i", "i'm", "i’m", "i'll", "i've", "i'd"))
                        else word
                    )
                if new != word:
                    chars[s : s + len(word)] = new
                    changed = True
        if changed:
            if regions and regions[-1][1] == base:
                regions[-1] = (regions[-1][0], pos)
            else:
                regions.append((base, pos))
    if chars is None or not regions:
        return None
    return "".join(chars), regions


# ------------------------------------------------------------------------------ evidence

# A capitalised word (Title case or capitals), and what may stand between two words of a name.
_CAP_WORD = re.compile(r"(?<![\w’'-])[^\W\d_a-z][\w’'-]*(?<![-’'])")
_PLACE_STARTS = PLACE_PREFIXES | frozenset("san santa santo são sao st saint los las new".split())
# One word of a name: letters with inner hyphens, or an O'/D'/L' prefix ("O'Shaughnessy").
_NAME_WORD = re.compile(r"(?:[^\W\d_]{1,2}['’])?[^\W\d_]+(?:-[^\W\d_]+)*")
_NAME_GAP = re.compile(rf" (?:(?:{'|'.join(sorted(NAME_PARTICLES_EXTENDED))}) )*")


def _unlisted_given(word: str, lex: NameLexicon) -> bool:
    """Whether ``word`` may be a given name the lists miss: written Title Case (not "NASA",
    "YouTuber"), three letters or more (not an initial) and no English word at all."""
    return (
        len(word) >= 3
        and word.isalpha()
        and word[0].isupper()
        and word[1:].islower()
        and not lex.is_english(word)
    )


class NameLexiconDetector:
    """PERSON evidence from the lexicon: a given name beside a surname, in either order.

    A pair counts when one word is a known given name and the other a known surname, and
    at most one of them is an ordinary English word ("Hope Delgado" counts, "Will Power"
    does not); or when a given name that is no ordinary word stands before a capitalised
    word that is no English word ("Ildikó Vrabec"); or when a surname that is neither a
    given name nor an English word follows a Title Case word that is no English word, since the given-name list cannot
    know every given name ("Priyanka Venkataraman", "Perpetua Lindgren"). Words of organisations and places are
    left to the resolver, which weighs this evidence (``source="names.lexicon"``).
    """

    name: ClassVar[str] = "names"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy
        self.lexicon = lexicon()

    def _pair(self, a: str, b: str) -> bool:
        lex = self.lexicon
        if not (_NAME_WORD.fullmatch(a) and _NAME_WORD.fullmatch(b)):
            return False  # "I'm", "Prize-winner"... are no names
        if _is_caps(b) and len(b) <= 3:
            return False  # an acronym ("DOB")
        fa, fb = a.casefold(), b.casefold()
        if fa in _PLACE_STARTS or fa in TITLES or fb in NON_PERSON_WORDS or fb in ORG_WORDS:
            return False  # "Santa Catarina", "Kenya Law"
        place_a, place_b = fa in places(), fb in places()
        if (
            lex.is_given(a)
            and lex.is_surname(b)
            and not (place_a and place_b)
            and not (lex.is_ordinary(a) and lex.is_ordinary(b))
        ):
            return True  # "Hope Delgado", "Paris Whitlock"; not "Will Power"
        if place_a or place_b:
            return False  # "Houston Astros", "Washington Dulles"
        if lex.is_surname(a) and lex.is_given(b) and not lex.is_ordinary(a):
            return True  # family name first: "Fekete-Nagy Ildikó", not "The Day Esperanza"
        if _unlisted_given(a, lex) and lex.is_surname(b) and not lex.is_given(b) and not lex.is_english(fb):
            return True  # a word no list knows before a pure surname: "Priyanka Lindgren"
        return lex.is_given(a) and not lex.is_ordinary(a) and not lex.is_english(fb)

    def spans(self, text: str, original: str | None = None) -> Iterator[Span]:
        """Lexicon evidence on ``text`` (a re-cased view of ``original``, or the text itself)."""
        words = [m for m in _CAP_WORD.finditer(text) if m.group()[:1].isupper()]
        run: list[re.Match[str]] = []
        for prev, cur in itertools.pairwise(words):
            linked = (
                _NAME_GAP.fullmatch(text, prev.end(), cur.start()) is not None
                and prev.group().casefold() not in NAME_PARTICLES_EXTENDED
                and cur.group().casefold() not in NAME_PARTICLES_EXTENDED
                and self._pair(prev.group(), cur.group())
            )
            if linked and run and run[-1] is prev:
                run.append(cur)
                continue
            if run:
                yield Span(
                    run[0].start(), run[-1].end(), Label.PERSON, LEXICON_SOURCE, 0.6, Evidence.NAME_LEXICON
                )
            run = [prev, cur] if linked else []
        if run:
            yield Span(
                run[0].start(), run[-1].end(), Label.PERSON, LEXICON_SOURCE, 0.6, Evidence.NAME_LEXICON
            )
        yield from self._lone_given_names(text, words, original if original is not None else text)

    def _lone_given_names(self, text: str, words: list[re.Match[str]], original: str) -> Iterator[Span]:
        """A capitalised word alone, inside a sentence, that the lexicon knows as a given name
        and that is none of the 30,000 most frequent English words nor a place, written so in
        the original text (not only on the re-cased view): "dietitian
        referral (Aoife)", "also seen by Rohan", "Can you pick this up, Ruairí?". The next
        and previous words are not capitalised (a longer name is the pairs' business), and a
        sentence's first word is taken only before a verb that makes it the subject ("Lowri has
        led", "Kai said"; headlines and lists capitalise anything)."""
        lex = self.lexicon
        for i, m in enumerate(words):
            word = m.group()
            if (
                not 3 <= len(word) <= 40  # no given name is longer (nor is a 5 MB glued word)
                or original[m.start() : m.end()] != word  # re-cased: the view's other rules decide
                or word.isupper()
                or not _NAME_WORD.fullmatch(word)
                or not all(lex.is_given(part) for part in word.split("-"))  # not "Secretary-General"
                or lex.is_common(word)
                or word.casefold() in places()
                or word.casefold() in TITLES
                or (_sentence_start(text, m.start()) and not _ACTS.match(text, m.end()))
                or text[m.end() : m.end() + 1] == ":"  # a label ("Bot:"), the speakers' rules decide
            ):
                continue
            prev = words[i - 1] if i else None
            nxt = words[i + 1] if i + 1 < len(words) else None
            if prev is not None and re.fullmatch(r"[ \t]+", text[prev.end() : m.start()]):
                continue
            if nxt is not None and re.fullmatch(r"[ \t]+", text[m.end() : nxt.start()]):
                continue
            yield Span(m.start(), m.end(), Label.PERSON, LEXICON_SOURCE, 0.5, Evidence.NAME_LEXICON)

    def lone_given_name(self, word: str) -> bool:
        """Whether one word is a given name that is no English word at all ("Fergus")."""
        lex = self.lexicon
        w = word.strip()
        return bool(w) and " " not in w and lex.is_given(w) and not lex.is_common(w)

    def lower_case_names(self, text: str, view: str, start: int, end: int) -> Iterator[Span]:
        """In a re-cased lower-case stretch ``[start, end)``, each lone given name that is no
        English word ("piotr", "ines"): the re-casing capitalised it, so it is evidence even
        where the model does not pick it up."""
        for m in _WORD_RE.finditer(view, start, end):
            word = text[m.start() : m.end()]
            if word.islower() and m.group() != word and self.lone_given_name(word):
                yield Span(m.start(), m.end(), Label.PERSON, LEXICON_SOURCE, 0.5, Evidence.NAME_LEXICON)

    def trim_ordinary(self, view: str, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` without leading and trailing ordinary English words that are no
        names ("Call Barnaby Foskett" -> "Barnaby Foskett"); ``None`` if nothing is left."""
        words = list(_WORD_RE.finditer(view, start, end))
        lex = self.lexicon
        while words and lex.is_ordinary(words[0].group()) and not lex.is_given(words[0].group()):
            words.pop(0)
        while words and lex.is_ordinary(words[-1].group()) and not lex.is_given(words[-1].group()):
            words.pop()
        if not words:
            return None
        return words[0].start(), words[-1].end()

    def detect(self, doc: Document) -> Iterable[Span]:
        return list(self.spans(doc.text))
