"""Names in lower-case chat: speaker labels, kinship words and a subject before a verb.

Chat and tickets write names in lower case ("rachel: ok", "cake for grandma joyce", "omg
sanjay fell asleep"), where the model sees no name and the re-cased view capitalises only
words the lexicon knows as names. Three shapes are evidence of a person there
(``Evidence.NAME_LEXICON``, ``source="names.lexicon"``), each only on a line written
entirely in lower case, so that ordinary text is untouched:

* **speaker labels**: a word followed by a colon at the start of a line, in a document with
  two or more such labels of which one comes back (turns of a conversation), when it is a
  lexicon given name that is no ordinary English word, or a word in no English word list that
  comes back itself ("rachel: ok" / "ben: see u at 6" / "rachel: ...", also after a time stamp
  "[09:14] priyanka: ..."); ordinary words ("ok:
  see you at 6", "note:") are never speakers, and labels that never come back are fields;
* **a person after a verb that takes one**: "ill ask oluwaseun", "can u ping dmitri": a word in
  no English word list right after ask/tell/ping/text/... and at the end of its clause;
* **kinship words**: "grandma joyce", "uncle ravi": a given name (or a word that is no English
  word) directly after a kinship noun;
* **a subject before a verb**: a word that is in no English word list, after a chat
  interjection or conjunction ("omg", "lol", "and", "but"), and directly before a verb people
  do (a speech verb, a frequent irregular past, "texted", "called"): "omg sanjay fell
  asleep", not "lol nginx crashed again".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..model import Evidence, Label, Span
from .names import LEXICON_SOURCE, NameLexicon
from .verbs import PEOPLE_VERBS

# A speaker label opening a line, perhaps after a time stamp: "rachel: ok", "[09:14] priyanka: ...".
_STAMP = r"(?:\[?\d{1,2}:\d{2}(?::\d{2})?+(?:[ \t]*[AaPp][Mm])?+\]?[ \t]+|\[[^\]\n]{1,30}\][ \t]+)?+"
_SPEAKER = re.compile(rf"^[ \t]*{_STAMP}([^\W\d_]+)[ \t]*:[ \t]+\S", re.MULTILINE)
# Verbs whose object in chat is a person: "ill ask oluwaseun", "can u ping dmitri".
_PERSON_OBJECT_VERBS = frozenset(
    "ask asked tell told call called text texted ping pinged email emailed message messaged meet met "
    "thank thanked invite invited cc dm phone phoned ring rang".split()
)
_WORD = re.compile(r"(?<![\w@./:'’-])[^\W\d_][^\W\d_'’]*(?![\w@'’-]|\.\w|/)")
_KIN = frozenset(
    "grandma grandpa granny grandad granddad grandmother grandfather nana nanna gran aunt auntie aunty uncle"
    " cousin".split()
)
# Words after which a chat line starts a new clause: interjections and conjunctions.
_OPENERS = frozenset(
    """
    omg lol lmao tbh btw fyi ok okay so and but then when if because cuz coz cos until while
    apparently also maybe yeah yes no hey well guess think
    """.split()
)
_CHAT = frozenset(
    "lol lmao brb pls plz thx thanx omg tmrw tmr btw imo imho idk afaik asap fyi np ty irl dm tbh ngl smh".split()
)


def _name_word(word: str, lex: NameLexicon) -> bool:
    """A lexicon given name that is no ordinary English word ("joyce", "rachel")."""
    return lex.is_given(word) and not lex.is_ordinary(word)


def _unknown(word: str, lex: NameLexicon) -> bool:
    """A word of three letters or more in no English word list and no chat abbreviation."""
    return len(word) >= 3 and not lex.is_english(word) and word.casefold() not in _CHAT


def _span(start: int, end: int) -> Span:
    return Span(start, end, Label.PERSON, LEXICON_SOURCE, 0.5, Evidence.NAME_LEXICON)


def transcript_speakers(text: str, lex: NameLexicon) -> Iterator[Span]:
    """ "MARISOL: Through my cousin ..." in an interview or hearing transcript: a speaker label
    in capitals, in a text with two or more labels of which one comes back, that the lexicon
    knows as a given name and that is no frequent English word ("INTERVIEWER:", "THE COURT:",
    "NOTE:", "Q:" never are)."""
    speakers = [m for m in _SPEAKER.finditer(text) if m.group(1).isupper() and len(m.group(1)) >= 3]
    counts = Counter(m.group(1) for m in speakers)
    if len(counts) >= 2 and max(counts.values()) >= 2:
        for m in speakers:
            word = m.group(1)
            if _name_word(word, lex):
                yield _span(m.start(1), m.end(1))


def chat_names(text: str, lex: NameLexicon) -> Iterator[Span]:
    """PERSON evidence for names in lower-case chat lines (see the module docstring)."""
    if not any(line.islower() for line in text.splitlines()):
        return  # the common case: no line is written in lower case
    speakers = [m for m in _SPEAKER.finditer(text) if m.group(1).islower()]
    counts = Counter(m.group(1) for m in speakers)
    if len(counts) >= 2 and max(counts.values()) >= 2:  # two speakers, and turns
        for m in speakers:
            word = m.group(1)
            if _name_word(word, lex) or (_unknown(word, lex) and counts[word] >= 2):
                yield _span(m.start(1), m.end(1))
    pos = 0
    for line in text.splitlines(keepends=True):
        base = pos
        pos += len(line)
        if not line.islower():
            continue
        words = list(_WORD.finditer(line))
        if not words:
            continue  # "e.g." or an address alone on its line
        for prev, cur, nxt in zip([None, *words[:-1]], words, [*words[1:], None], strict=True):
            word = cur.group()
            gap_before = line[prev.end() : cur.start()] if prev is not None else ""
            if prev is not None and gap_before == " " and prev.group() in _KIN:
                if _name_word(word, lex) or _unknown(word, lex):
                    yield _span(base + cur.start(), base + cur.end())
                continue
            if (
                prev is not None
                and gap_before == " "
                and prev.group() in _PERSON_OBJECT_VERBS
                and _unknown(word, lex)
                and (nxt is None or line[cur.end() : nxt.start()].strip() in ("", ",", ".", "!", "?"))
            ):
                yield _span(base + cur.start(), base + cur.end())  # "ill ask oluwaseun"
                continue
            if (
                prev is not None
                and nxt is not None
                and gap_before == " "
                and line[cur.end() : nxt.start()] == " "
                and prev.group() in _OPENERS
                and _unknown(word, lex)
                and nxt.group() in PEOPLE_VERBS
            ):
                yield _span(base + cur.start(), base + cur.end())
