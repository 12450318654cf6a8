"""A person's name in another script or in phonetic transcription, right after the name.

Biographies open with "Antonín Dvořák (/ ˈdvɔːrʒɑːk /; Czech: [ˈantoɲiːn ˈdvor̝aːk]; 1841 –
1904)" or "Ichiyō Higuchi (樋口 一葉 Higuchi Ichiyō, 1872 – 1896)": the transcription, the
respelling ("DVOR-zhahk") and the native-script form are the person's name too, and each
one identifies them. In the first parenthesis directly after a person mention, each of
these pieces becomes a mention of that person:

* ``/ ... /`` and ``[ ... ]`` (one mention per comma-separated variant);
* a respelling with a hyphen and a syllable in capitals ("koh-VAHL-chik");
* a run of words in a non-Latin script (Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, CJK,
  kana, Hangul);
* after the label of a language ("Hungarian: Kovács János,", not "Role: Project Lead"),
  the capitalised words up to the next comma or semicolon.

Pieces are read left to right and a ";"-separated part of the parenthesis stops at the
first thing that is none of these (a date, "born", a remark), so nothing else in the
parenthesis is masked. The scan is bounded (:data:`_MAX_PAREN` characters per mention).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Evidence, Label
from ._link import Entities, entity_label
from ._names import core_words
from ._state import SOURCE_LINK, Mention, Vote, Votes

#: Languages whose label may introduce the name written in Latin script ("Dutch: Pieter ...").
LANGUAGES: frozenset[str] = frozenset(
    """
    afrikaans albanian arabic armenian azerbaijani basque belarusian bengali bosnian breton
    bulgarian catalan chinese cantonese mandarin cornish croatian czech danish dutch english
    esperanto estonian faroese filipino tagalog finnish french frisian galician georgian german
    greek hausa hawaiian hebrew hindi hungarian icelandic igbo indonesian irish italian japanese
    javanese kazakh korean kurdish latin latvian lithuanian luxembourgish macedonian malay
    maltese manx maori mongolian norse norwegian occitan pashto persian polish portuguese punjabi
    romanian romansh russian sami scots serbian sinhala slovak slovene slovenian somali sorbian
    spanish swahili swedish tamil telugu thai tibetan turkish ukrainian urdu uzbek vietnamese
    welsh yiddish yoruba zulu romanized romanised
    """.split()
)
_MAX_PAREN = 300
_VOTE = Vote(Label.PERSON, Evidence.NONE, 0.0)
_SOURCES = frozenset({SOURCE_LINK})
_OPEN = re.compile(r"[ \t]?\(")
# Letters of scripts other than Latin (and the IPA block, read separately).
_SCRIPT = (
    "\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u0531-\u058f\u05d0-\u05ea\u0620-\u064a\u0671-\u06d3"
    "\u0900-\u0dff\u0e00-\u0e7f\u10a0-\u10ff\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff"
)
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u0900-\u0903\u093a-\u094f"
_NATIVE = re.compile(
    rf"[{_SCRIPT}][{_SCRIPT}{_MARKS}'’·・-]*+(?:[ \t]+[{_SCRIPT}][{_SCRIPT}{_MARKS}'’·・-]*+)*+"
)
_PHONETIC = re.compile(
    r"/(?P<slash>[^/()\n]{0,80}(?:\([^/()\n]{0,8}\)[^/()\n]{0,40}){0,4})/|\[(?P<bracket>[^\[\]\n]{1,80})\]"
)
_LANGUAGE = re.compile(r"(?<![\w-])(?:[A-Z][a-z]++[ \t]+){0,2}(?:[A-Z][a-z]++|IPA):[ \t]*+")
_SKIP = re.compile(r"(?:,|(?<![\w-])(?:or|also|lit\.)(?![\w-]))")
# "d(ə)-VOR-zha(h)k", "koh-VAHL-chik": a respelling has a hyphen and a syllable in capitals.
_SYLLABLE = r"[\w()ˈˌː]"
_RESPELLING = re.compile(
    rf"(?<![\w()ˈˌː-])(?=[\w()ˈˌː-]*?[A-Z]{{2}})(?P<word>{_SYLLABLE}++(?:-{_SYLLABLE}++)++)(?=[ \t]*[;,)])"
)
_LATIN_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*+(?:[ \t]+[A-Z][\w'’-]*+){0,3}(?=[ \t]*[,;)])")


def transcriptions(text: str, entities: Entities, votes: Votes) -> Entities:
    """Each person entity with the transcriptions that follow its mentions added to it."""
    out: Entities = []
    for ent in entities:
        if entity_label(ent, votes) is not Label.PERSON:
            out.append(ent)
            continue
        added = [
            Mention(a, b, text[a:b], tuple(core_words(text[a:b])), (_VOTE,), _SOURCES)
            for m in ent
            for a, b in _pieces(text, m.end)
        ]
        out.append([*ent, *added] if added else ent)
    return out


def _pieces(text: str, end: int) -> Iterator[tuple[int, int]]:
    opened = _OPEN.match(text, end)
    if opened is None:
        return
    close = _closing(text, opened.end())
    part_start = opened.end()
    for part_end in [*(i for i in range(part_start, close) if text[i] == ";"), close]:
        yield from _part(text, part_start, part_end)
        part_start = part_end + 1


def _closing(text: str, start: int) -> int:
    """The offset of the ``)`` that closes the parenthesis opened before ``start`` (or the
    end of the bounded window)."""
    depth = 0
    stop = min(len(text), start + _MAX_PAREN)
    for i in range(start, stop):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "\n":
            return i
    return stop


def _part(text: str, pos: int, end: int) -> Iterator[tuple[int, int]]:
    labelled = phonetic = False  # a "[...]" needs a label before it, a respelling a "/.../"
    while pos < end:
        pos = _skip_blanks(text, pos, end)
        if (m := _PHONETIC.match(text, pos, end)) and (labelled or m.group("slash") is not None):
            group = "slash" if m.group("slash") is not None else "bracket"
            phonetic = True
            yield from _variants(text, m.start(group), m.end(group))
        elif m := _NATIVE.match(text, pos, end):
            yield m.start(), m.end()
        elif m := _LANGUAGE.match(text, pos, end):
            labelled = True
            pos = m.end()
            if _is_language(m.group()) and (name := _LATIN_NAME.match(text, pos, end + 1)):
                yield name.start(), name.end()
                pos = name.end()
            continue
        elif (phonetic and (m := _RESPELLING.match(text, pos, end + 1))) or (
            m := _SKIP.match(text, pos, end)
        ):
            if m.re is _RESPELLING:
                yield m.start(), m.end()
        else:
            return
        if m.end() == pos:
            return
        pos = m.end()


def _is_language(label: str) -> bool:
    """ "Hungarian:", "Old Norse:" (not "Role:", "Status:"): the words in Latin script after
    a label are a name only when the label names a language."""
    words = label.rstrip(" \t:").split()
    return bool(words) and words[-1].casefold() in LANGUAGES


def _skip_blanks(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in " \t":
        pos += 1
    return pos


def _variants(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The comma-separated variants of one transcription, without surrounding spaces."""
    pos = start
    for piece in text[start:end].split(","):
        a = pos + len(piece) - len(piece.lstrip())
        b = pos + len(piece.rstrip())
        if a < b:
            yield a, b
        pos += len(piece) + 1
