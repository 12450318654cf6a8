"""User names and handles: "kwabena.asante", "@dmitri.p", "sky_w", "xX_mehmet_Xx".

Tickets, chat and social posts name people by their user names, often with no full name
anywhere in the text. A handle is a token of letter runs joined by "." or "_" (digits and
decorations such as "xX_..._Xx" allowed), or any such token after "@" ("@thiago"). It is
read run by run, with the name lexicon:

* a **name run**: three letters or more, a lexicon given name or surname, also with a
  doubled last letter ("lolaa" for "lola"), and no tool name ("jenkins", "travis");
* an **unknown run**: three letters or more and in no English word list ("kav", "femi");
* a **short run**: one letter (an initial), a run of x's (a decoration), or two letters that
  are no English word ("aj"); digits are allowed anywhere.

Runs are also cut where the case changes ("@KwabenaAsante"); a run of two capitals or more
is an acronym, the mark of an organisation's account ("@ChelseaFC", "@NHSEngland").

Any other run, an English word that is no name ("user_id", "max_retries", "self.name",
"Evans.The"), makes the token a code identifier or two glued sentences: never a handle.
Nor is a token that continues as an e-mail address, a path or a URL, that ends in a file
extension or a domain ("notes_anna.txt", "asante.com", "example.co.uk"), or that holds a
version or a date ("v1.2.3-beta", "build_2024_01").

A handle is a person (``Evidence.NAME_LEXICON`` over the whole token, the "@" left out) when

* one name run is no frequent English word and no place ("deniz.yilmaz", "marcus_t",
  "@thiago"), or
* its context says it names a user ("@hope.m", "user hope.m", "closed by sky_w", a speaker
  label "lolaa.b: ..." or "priti 09:03 ..."), and it holds a name run, or an unknown run
  beside an initial ("femi_b").

The name and unknown runs of those handles, written elsewhere as words ("Kwabena", "lol it
was deniz"), are that person too when they are no frequent English word or a speech verb
follows ("Hope says"). One pass over the tokens, one over the words, dictionary lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Evidence, Label, Span
from .lexicon import places, speaks_after
from .names import LEXICON_SOURCE, NameLexicon

# A token of word characters, dots and hyphens, perhaps after "@"; not inside a URL, path,
# e-mail address or another token. Only a token after "@" or holding a dot, an underscore or
# a digit can be a handle (``_not_handle_shape``): the others, the words of prose, are
# skipped by the expression itself (the look-ahead stays inside the token).
_TOKEN = re.compile(r"(?<![\w@./:\\#+-])(?:(@)|(?=[^\W_][\w.-]*?[._\d]))([^\W_][\w.-]*+)")
# The runs of a token: digits, and letters cut at case changes ("KwabenaAsante", "NHSEngland").
_PIECE = re.compile(r"[A-Z]+(?=[A-Z][^\W\d_A-Z])|[A-Z]?+[^\W\d_A-Z]++|[A-Z]++|\d++")
_VERSION = re.compile(r"\d[._]\d")
_DIGIT_NAME = re.compile(r"(?<![^\W\d_])[^\W\d_]{3,}+\d++")
# The parts of a handle between its digits (the resolver takes no name with digits).
_LETTER_PART = re.compile(r"[^\W\d_](?:[^\W\d]|[.-])*+")
_WORD = re.compile(r"(?<![\w@./'’-])[^\W\d_]{3,}+(?![\w@'’]|[.-]\w)")
# Words after which a token names a user ("user hope.m", "closed by sky_w", "cc femi_b").
_USER_CUES = frozenset(
    """
    user username login account by from to cc bcc reporter assignee agent owner requester author
    assigned ping pinged thanks thank thx ty hey hi hello dm tag tagged via follow followed
    """.split()
)
# Tools, bots and services whose names are also in the name lists.
_TOOLS = frozenset(
    """
    jenkins travis hudson helm rails bot dev docker grafana kubernetes github gitlab jira
    slack sentry heroku ansible terraform nginx redis kafka django flask spring oracle
    """.split()
)
# Last pieces that make a dotted token a file name or a domain.
_ENDINGS = frozenset(
    """
    com org net edu gov mil int io ai app dev info biz name pro xyz online site tech
    py txt md rst json yaml yml toml csv tsv pdf doc docx xls xlsx ppt pptx png jpg jpeg gif svg
    html htm js ts jsx tsx css scss sh bat ps1 log cfg conf ini xml zip tar gz tgz bz2 rar exe dll
    so bin iso dmg apk jar war rb go rs java kt swift php pl sql db bak tmp old new lock env
    mp3 mp4 wav mov avi mkv webm ttf woff eml msg ics vcf key pem crt
    """.split()
)
# A speaker label: the token opens its line (after a time stamp, a bracketed tag or a bullet)
# and a colon or a time stamp follows it.
_LINE_START = re.compile(
    r"[ \t]*+(?:[-*•][ \t]++)?+(?:\[[^\]\n]{0,30}+\][ \t]*+|\d{1,2}:\d{2}(?::\d{2})?+[ \t]++)*+"
)
_LABEL_AFTER = re.compile(r"[ \t]*(?::|\(?\d{1,2}:\d{2}\b)")
_PREV_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]++)[ \t:]*+$")


# Words of code that no English word list holds: "len_val", "max_retries", "tatiana_config"
# are identifiers. "max" and "val" are given names too, so a handle never holds them.
_CODE_WORDS = frozenset(
    """
    config cfg conf utils util repo auth init env tmp temp src dst img btn msg idx len str num val
    obj arr tbl col api url uri http https json xml sql uid pid ptr buf ctx req res resp args
    kwargs param params attr attrs func fn cb err exc impl async sync min max avg cnt dev prod
    alpha beta gamma delta rc
    """.split()
)
# Endings of English inflections the word list may lack ("retries", "configs", "logged").
_INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


def _is_name(low: str, lex: NameLexicon) -> bool:
    """A given name or surname, also written with its last letter doubled ("lolaa")."""
    if low in _TOOLS or low in _CODE_WORDS:
        return False
    if lex.is_given(low) or lex.is_surname(low):
        return True
    return len(low) >= 4 and low[-1] == low[-2] and (lex.is_given(low[:-1]) or lex.is_surname(low[:-1]))


def _english(low: str, lex: NameLexicon) -> bool:
    """An English word, also inflected ("retries"), or a word of code."""
    if low in _CODE_WORDS or lex.is_english(low):
        return True
    return any(
        low.endswith(end) and len(low) > len(end) + 2 and lex.is_english(low[: -len(end)] + stem)
        for end, stem in _INFLECTIONS
    )


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the runs of one token are (see the module docstring)."""

    names: tuple[str, ...]  # name runs
    unknown: tuple[str, ...]  # runs of three letters or more in no word list
    strong: bool  # the runs alone make it a person's handle
    marked: bool  # an initial or a decoration ("hope.q", "xX_..._Xx")


def _read(token: str, lex: NameLexicon) -> _Reading | None:
    """The runs of ``token`` read with the lexicon, or ``None`` when one is an English word
    that is no name (a code identifier, glued sentences)."""
    names: list[str] = []
    unknown: list[str] = []
    pure = plain = marked = False
    for piece in _PIECE.findall(token):
        if piece.isdigit():
            continue
        low = piece.casefold()
        if len(piece) >= 2 and piece.isupper() and set(low) != {"x"}:
            return None  # an acronym: an organisation's account ("@ChelseaFC", "@NHSEngland")
        if len(low) >= 3 and _is_name(low, lex):
            names.append(low)
            if low not in places():
                pure = pure or not lex.is_english(low)  # "deniz", "okonkwo"
                plain = plain or not lex.is_ordinary(low)  # "marcus", "dmitri"
        elif len(piece) == 1 or set(low) == {"x"} or (len(low) == 2 and not lex.is_english(low)):
            marked = marked or len(piece) == 1 or set(low) == {"x"}
        elif len(low) >= 3 and not _english(low, lex) and low not in _TOOLS:
            unknown.append(low)
        else:
            return None
    # a name that is also an English word makes a handle alone only beside other names and
    # initials ("marcus_t"), not beside a word no list knows ("len_xyz")
    strong = pure or (plain and not unknown)
    return _Reading(tuple(names), tuple(unknown), strong, marked)


def _not_handle_shape(text: str, at: str, token: str, end: int) -> bool:
    """An e-mail address, path or URL goes on; a file name or domain ends in a known piece;
    a plain word is a handle only after "@"."""
    if (end < len(text) and text[end] in "@/\\") or text.startswith("://", end):
        return True
    if not at and "." not in token and "_" not in token:
        # "sarah88" is a user name; "sarah" a word, "4chan" or "mp3" no user name
        return _DIGIT_NAME.fullmatch(token) is None
    if _VERSION.search(token):
        return True  # "v1.2.3-beta", "build_2024_01"
    if "." in token and token.rsplit(".", 1)[1].casefold() in _ENDINGS:
        return True
    return "." in token and len(token.rsplit(".", 1)[1]) == 2 and token.rsplit(".", 1)[1].isalpha()


def _user_context(text: str, start: int, end: int) -> bool:
    """A speaker label, or a word before the token that introduces a user."""
    line_start = max(text.rfind("\n", max(0, start - 60), start) + 1, start - 60)  # a bounded look back
    if (
        start - line_start <= 40
        and _LINE_START.fullmatch(text, line_start, start)
        and _LABEL_AFTER.match(text, end)
    ):
        return True
    prev = _PREV_WORD.search(text, max(line_start, start - 30), start)
    return prev is not None and prev.group(1).casefold() in _USER_CUES


def handle_names(text: str, lex: NameLexicon) -> Iterator[Span]:
    """PERSON evidence for user names and handles, and their names elsewhere (module doc)."""
    if "_" not in text and "." not in text and "@" not in text and not any(c.isdigit() for c in text):
        return
    linked: dict[str, bool] = {}  # name word -> whether it is an ordinary English word
    found: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        at, token = m.group(1) or "", m.group(2).rstrip(".-")
        start, end = m.start(2), m.start(2) + len(token)
        if len(token) < 3 or _not_handle_shape(text, at, token, end):
            continue
        reading = _read(token, lex)
        if reading is None or not (reading.names or reading.unknown):
            continue
        plain_word = not at and "." not in token and "_" not in token
        if not reading.strong:
            if plain_word or not (at or _user_context(text, m.start(), end)):
                continue
            if reading.unknown and not reading.marked:
                continue  # "@devops", "@sre_oncall", "to max_retries": no name, no initial
        found.append((start, end))
        for part in _LETTER_PART.finditer(text, start, end):
            end_part = part.start() + len(part.group().rstrip("._-"))
            yield Span(part.start(), end_part, Label.PERSON, LEXICON_SOURCE, 0.6, Evidence.NAME_LEXICON)
        for run in (*reading.names, *reading.unknown):
            if len(run) >= 3:
                linked[run] = lex.is_ordinary(run)
    if not linked:
        return
    k = 0
    for w in _WORD.finditer(text):
        while k < len(found) and found[k][1] <= w.start():
            k += 1
        if k < len(found) and found[k][0] < w.end():
            continue  # inside a handle
        ordinary = linked.get(w.group().casefold())
        if ordinary is None or (ordinary and not speaks_after(text, w.end())):
            continue
        yield Span(w.start(), w.end(), Label.PERSON, LEXICON_SOURCE, 0.5, Evidence.NAME_LEXICON)


__all__ = ["handle_names"]
