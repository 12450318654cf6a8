"""Step 1: normalise detector spans into name pieces, speech hints and other spans."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import replace

from ..detect.lexicon import (
    FUNCTION_WORDS,
    HONORIFICS,
    LABEL_WORDS,
    MASK_WORD,
    NAME_PARTICLES,
    NON_PERSON_WORDS,
    NOT_AUTHORS,
    NOT_NAMES,
    ORG_WORDS,
    PLACE_PREFIXES,
    TITLES,
    first_names,
    is_role_noun,
    places,
    used_in_lower_case,
)
from ..detect.names import lexicon as names_lexicon
from ..model import NAME_LABELS, Evidence, Label, Span
from ._names import POSSESSIVES, is_title, widen
from ._state import RECASED, Pieces

_DETERMINERS = ("the ", "The ", "THE ")
_TRAIL = ".,;:!?\"'“”‘’)]}"
# A name never crosses a line break, comma, slash, bar, angle bracket or spaced dash ("Kherson, Ihor
# Kolesnyk", "Bettina Szalai | Accounts"), nor a possessive ("Civic Passion's Wong
# Yeung-tat": two names).
_NAME_PIECE = re.compile(r"(?:[^\n,;/|<>'’ \t]| (?![-–—][ \t]|  )|['’](?!s\s))+(?:['’]s)?")
# A dash with spaces around it ends a name too ("HARRIET VANE - ADDENDUM", "Meet The Team -
# Ana Ruiz"); a hyphen inside a name ("Vance-Molyneux") does not.
_SPACED_DASH = re.compile(r"[ \t][-–—][ \t]")
# A field label's note in parentheses before its colon ("Comment (jpc):").
_LABEL_NOTE = re.compile(r"[ \t]?\([^()\n]{1,40}\):")
# A name never crosses a tab or a run of three spaces: a form's columns.


def split_spans(text: str, spans: Iterable[Span]) -> Pieces:
    """Name spans cut and trimmed into pieces; speech hints; every other span widened."""
    names: list[tuple[int, int, Span]] = []
    speech: list[Span] = []
    other: list[Span] = []
    for span in spans:
        if span.evidence is Evidence.SPEECH:
            speech.append(span)
            continue
        if span.label in NAME_LABELS and span.evidence is not Evidence.DENY:
            for piece in _NAME_PIECE.finditer(text[span.start : span.end]):
                if _spill(text, span, span.start + piece.start(), span.start + piece.end()):
                    continue
                for a, b in split_blocked(text, span, span.start + piece.start(), span.start + piece.end()):
                    part = replace(span, start=a, end=b)
                    norm = normalise_name(text, part)
                    if norm is not None:
                        names.append((norm[0], norm[1], part))
            continue
        s, e = widen(text, span.start, span.end)
        if text[s:e].strip() and not MASK_WORD.match(text[s:e].strip()):
            other.append(replace(span, start=s, end=e))
    # A name before a speech verb that nothing else found ("Lavrov said") becomes a mention
    # with the weak speech vote; one that another detector found only gets the vote (in fuse).
    found = sorted((s, e) for s, e, _ in names)
    for span in speech:
        subject = normalise_name(text, span)
        if subject is None or not speech_subject(text, *subject):
            continue
        i = bisect.bisect_left(found, (subject[1], -1))
        if not any(s < subject[1] and subject[0] < e for s, e in found[max(0, i - 8) : i]):
            names.append((subject[0], subject[1], span))
    return Pieces(tuple(names), tuple(speech), tuple(other))


_DETERMINER_BEFORE = re.compile(
    r"(?:^|\W)(?:the|a|an|its|his|her|their|our|my|your|this|that)[ \t]+$", re.IGNORECASE
)


def speech_subject(text: str, start: int, end: int) -> bool:
    """Whether the capitalised words before a speech verb may be a person's name on their
    own ("Lavrov said", "Castellanos told reporters"): not a role ("Officials said"), a
    place, a body ("Police"), an acronym ("NATO"), a month, a word the text also writes in
    lower case, nor a noun after a determiner ("the Kremlin said"). Such a subject is a
    weak vote: the model's ORG or LOC outweighs it."""
    words = text[start:end].split()
    if not words or _DETERMINER_BEFORE.search(text, max(0, start - 8), start):
        return False
    given = first_names()
    for w in words:
        low = w.rstrip(".").casefold()
        if (
            not w[:1].isupper()
            or low in NOT_NAMES
            or low in FUNCTION_WORDS
            or "'" in w
            or "’" in w
            or low in NOT_AUTHORS
            or low in TITLES
            or low in NON_PERSON_WORDS
            or low in ORG_WORDS
            or low in PLACE_PREFIXES
            or is_role_noun(low)
            or (low in places() and low not in given)
        ):
            return False
    lone = words[0] if len(words) == 1 else ""
    acronym = lone.isupper() and len(lone) <= 5
    # "Work notes:", "Research suggests": a frequent English word that is no name
    lex = names_lexicon()
    ordinary = bool(lone) and lex.is_common(lone) and not lex.is_name(lone)
    return not lone or not (acronym or ordinary or used_in_lower_case(text, lone.lower()))


def _spill(text: str, span: Span, start: int, end: int) -> bool:
    """Whether a piece of a model's span is only its spill onto the next line, past a bar or
    a spaced dash: a field label ("Kofi Mensah-Larbi\nDescription:"), a job title ("R. T. Fairweather\nHead
    of Lettings") or ordinary words ("Bettina Szalai | Accounts"). Other detectors' pieces
    are kept."""
    before = text[span.start : start]
    dashed = _SPACED_DASH.search(text, span.start, min(end, start + 2)) is not None
    # a form's columns ("R. Ogunleye   Witnessed:"); the piece may open with the gap's end
    gap = before + text[start:end][: len(text[start:end]) - len(text[start:end].lstrip(" \t"))]
    wide = "\t" in gap or "   " in gap
    if span.evidence not in (Evidence.MODEL, Evidence.RECASED_MODEL) or not (
        "\n" in before or "|" in before or dashed or wide
    ):
        return False
    words = [w for w in text[start:end].split() if w.strip("-–—")]
    if not words:
        return True
    if (
        text[end : end + 1] == ":"
        or re.match(r"[ \t]+(?:NO|No|no)\b", text[end : end + 4])
        or _LABEL_NOTE.match(text, end) is not None  # "Comment (jpc):"
    ):
        return True
    if any(w[:1].islower() and w.casefold() not in NAME_PARTICLES for w in words):
        return True
    # a transcript's "A. Yes" / "Q. Right": an answer marker and ordinary words
    rest = [w for w in words if not re.fullmatch(r"[A-Z][.:]", w)] or words
    lex = names_lexicon()
    if all(
        (lex.is_common(w) and not lex.is_name(w)) or w.strip(".,!?:;").casefold() in NOT_NAMES for w in rest
    ):
        return True
    # past a spaced dash, any English words that are no names ("- ADDENDUM", "- Minutes")
    return dashed and all(
        (lex.is_english(w) or lex.is_english(w.removesuffix("s"))) and not lex.is_name(w) for w in words
    )


def split_blocked(text: str, span: Span, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a name piece at mask words ("John XXX Smith" -> "John", "Smith") and, in person
    names, at words with digits, keeping both sides. The words before a mask that end in a
    title ("Mariupol Mayor XXX") describe the masked person and are not a name."""
    words = list(re.finditer(r"\S+", text[start:end]))
    out: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def flush(before_mask: bool) -> None:
        if run and not (before_mask and is_title(run[-1].group())):
            out.append((start + run[0].start(), start + run[-1].end()))
        run.clear()

    given = first_names()
    for i, w in enumerate(words):
        word = w.group()
        if (
            (word == "and" or (word == "&" and span.label is Label.PERSON))
            and 0 < i < len(words) - 1
            and (words[i - 1].group().casefold() in given or words[i + 1].group().casefold() in given)
        ):
            flush(before_mask=False)  # "Buddy and Sue": two people, not one name
        elif MASK_WORD.match(word.strip(".,;:'’\"()")):
            flush(before_mask=True)
        elif span.label is Label.PERSON and any(ch.isdigit() for ch in word):
            if _is_code(word.strip(".,;:()")) and run and i < len(words) - 1:
                return []  # "Reg KX19 LMP": a code inside the span, no name around it
            flush(before_mask=False)
        else:
            run.append(w)
    flush(before_mask=False)
    return out


# Possessive determiners that open a noun phrase, never a name ("My Neighbour").
_POSSESSIVE_DETERMINERS = frozenset("my your our his her their its".split())


def _is_code(word: str) -> bool:
    """A token of ASCII letters and digits with both ("KX19", "B12"), not an ordinal ("4th")."""
    return (
        word.isascii()
        and word.isalnum()
        and any(c.isdigit() for c in word)
        and any(c.isalpha() for c in word)
        and not (word[:-2].isdigit() and word[-2:].lower() in ("st", "nd", "rd", "th"))
    )


_QA_LINES = re.compile(r"(?:^|\n)Q\.[ \t][^\n]*+\nA\.[ \t]")


def _person_words(text: str, s: int, e: int, recased: bool) -> tuple[int, int] | None:
    """Trim a PERSON span's words: no leading lower-case word, start at an inner title,
    stop at a possessive or "et al."; None when nothing name-like is left."""
    surface = text[s:e]
    words = list(re.finditer(r"\S+", surface))
    # never starts with a lower-case word ("spokesperson Ana" -> "Ana"), unless it was
    # found on the re-cased view of lower-case text (detect/ner.py)
    while words and not words[0].group()[:1].isupper() and not recased:
        words.pop(0)
    # "Q. Obinna Ekwe?": a transcript's question or answer marker opening the line, in a
    # text whose lines open with both markers, is no initial
    if (
        len(words) > 1
        and words[0].group() in ("Q.", "A.")
        and (s + words[0].start() == 0 or text[s + words[0].start() - 1] == "\n")
        and _QA_LINES.search(text) is not None
    ):
        words.pop(0)
    # "A. My Neighbour" -> "Neighbour" (a role noun, then dropped by the vote)
    while len(words) > 1 and words[0].group().casefold() in _POSSESSIVE_DETERMINERS:
        words.pop(0)
    # "Education Mr. Toccafondi" -> "Mr. Toccafondi"
    for i in range(1, len(words) - 1):
        if is_title(words[i].group()) and not is_title(words[0].group()):
            words = words[i:]
            break
    # "Nehru's Inaugural Address" -> "Nehru"; "Klingberg et al." -> "Klingberg"
    for i, w in enumerate(words[:-1]):
        if w.group().endswith(POSSESSIVES):
            words = words[: i + 1]
            break
        if w.group() == "et" and words[i + 1].group().startswith("al"):
            words = words[:i]
            break
    # "Rafe btw", "Jo ur dad": a name found on cased text does not end in a word of lower-case
    # letters only (a particle between capitalised words stays: "Ludwig van Beethoven"; so do
    # "d'Alembert", "al-Amr" and words of scripts without case)
    if not recased:
        while len(words) > 1 and words[-1].group().isalpha() and words[-1].group().islower():
            words.pop()
    if not words:
        return None
    s, e = s + words[0].start(), s + words[-1].end()
    surface = text[s:e]
    if all(w.strip(".,!?'’").casefold() in NOT_NAMES or is_title(w) for w in surface.split()):
        return None
    if any(ch.isdigit() for ch in surface):
        return None  # "COVID-19", "STS-1": no person's name has digits
    return s, e


def _trim_tail(text: str, s: int, e: int) -> int:
    """Drop a trailing possessive and punctuation (keep the dot of "Jr." / "U.S." / "Inc.")."""
    surface = text[s:e]
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
    return e


def normalise_name(text: str, span: Span) -> tuple[int, int] | None:
    """The extent of the name in ``span``: whole words, no determiner, title-led, trimmed."""
    s, e = widen(text, span.start, span.end)
    surface = text[s:e]
    for det in _DETERMINERS:
        if surface.startswith(det) and len(surface) > len(det):
            s += len(det)
            surface = text[s:e]
    if span.label is not Label.PERSON:
        # "Education Mr. Toccafondi" (ORG to the model): the person starts at the title
        words = list(re.finditer(r"\S+", surface))
        for i in range(1, len(words) - 1):
            if words[i].group().casefold() in HONORIFICS:
                s = s + words[i].start()
                break
    else:
        trimmed = _person_words(text, s, e, span.evidence in RECASED)
        if trimmed is None:
            return None
        s, e = trimmed
    e = _trim_tail(text, s, e)
    last = text[s:e].split()[-1] if text[s:e].split() else ""
    if text[e : e + 1] == ":" and " " in text[s:e].strip() and last.casefold() in LABEL_WORDS:
        e = s + text[s:e].rstrip().rfind(" ")  # "America Image: Nick Moreau": a label
    while s < e and not text[s].isalnum():
        s += 1
    surface = text[s:e]
    if not surface.strip() or not any(ch.isalpha() for ch in surface):
        return None
    if any(MASK_WORD.match(w) for w in surface.split()):
        return None
    if all(w.rstrip(".").casefold() in TITLES for w in surface.split()):
        return None
    return s, e
