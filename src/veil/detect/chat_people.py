"""Lower-case names in chat, tickets and notes whose lines also hold capitals.

:mod:`veil.detect.chat` reads lines written wholly in lower case; a name in lower case on a
line with one capitalised word or acronym ("[21:14] Ayo: u seen tunde today", "handled by
raj. Final pay approved by ...") escapes it. These rules read each lower-case word with its
neighbour and the name lexicon (PERSON evidence, ``Evidence.NAME_LEXICON``):

* **a given name that is no English word at all**, four letters or more ("tunde", "deniz"):
  such a word in lower case is a name wherever it stands; so is a lexicon name that is none
  of the 30,000 most frequent English words before "'s" ("lucia's shift");
* **after a word that takes a person**: a greeting, thanks or a verb whose object is a
  person ("hey tunde", "thanks kemi", "cc priti", "seen tunde"), a kinship or household noun
  ("son cian", "my flatmate bisi"), a title in lower case ("mr o'sullivan"), "by" after a
  participle of something people do ("handled by raj", "given by kemi"), or "me and" ("me n
  jasmine"): a lexicon name that is no frequent English word, or a word in no English word
  list;
* **a speaker label**: a role before the name ("14:02 agent lucia: asked ..."), a name
  before a time stamp ("priti 09:03 ...", in a text with two such lines), or a bullet label
  ("- mei: blocked ...", in a text with two bullet labels) that the lexicon knows as a name
  and that is no English word, and then the two-letter labels of the same list ("- aj: ...");
  a label decorated with emoji ("Chioma 💃: ...", twice); a user in parentheses after a role
  or a ticket field ("Comment (jpc):", "HR rep (Nadia)"). A lower-case label names that
  person wherever its word stands ("buddy = aj");
* **a subject after a chat opener**: "ngl kayode was rude": a word in no English word list
  after an opener or chat abbreviation, before "was", "is" or a verb people do.

Words of tools and services ("grafana", "jenkins", "kubectl"), places ("paris") and frequent
English words ("will", "grace") are never names here. One pass over the words of the text;
the rules read only the positions of words that pass a test of the word alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from ..model import Evidence, Label, Span
from .lexicon import HONORIFIC_WORDS, fold, places, role_nouns
from .names import LEXICON_SOURCE, NameLexicon
from .verbs import PEOPLE_VERBS

# A word, perhaps with an O'/D' prefix ("o'sullivan"); not part of a handle, address or
# path. Names are taken in lower case only; the words before them in any case ("Thanks kemi").
_WORD = re.compile(r"(?<![\w@./'’-])(?:[A-Za-z]['’])?+[^\W\d_][^\W\d_]*+(?![\w@-]|['’](?!s\b)|\.\w|/)")
# Words after which a lower-case name is a person: greetings, thanks, verbs taking a person.
_CUES = frozenset(
    """
    hey hi hiya hello yo thanks thank thx ty cheers cc dear ask asked tell told text texted ping
    pinged email emailed message messaged meet met invite invited dm phone phoned
    ring rang seen saw see remind reminded morning evening night bye congrats welcome
    """.split()
)
_KIN = frozenset(
    """
    son daughter wife husband brother sister bro sis mum mom mam dad father mother grandson
    granddaughter nephew niece cousin uncle aunt auntie aunty grandma grandpa granny grandad nan
    nana nanna gran partner boyfriend girlfriend fiance fiancee fiancé fiancée hubby bf gf
    flatmate roommate housemate bestie
    """.split()
)
# Participles of what people do, before "by" and the person who did it.
_DONE_BY = frozenset(
    """
    handled given approved signed reviewed written seen checked closed assigned raised reported
    requested covered done taken sent made led run chaired presented prepared escalated fixed
    logged triaged resolved authorised authorized visited examined assessed witnessed filed
    submitted opened created updated edited
    """.split()
)
# Chat openers after which a clause starts; after a chat abbreviation, "was" and "is" too
# ("ngl kayode was rude"), not after a conjunction ("and metascience is").
_OPENERS = frozenset(
    """
    ok okay so and but then when if because cuz coz cos apparently also maybe yeah yes no hey well
    guess think like
    """.split()
)
_CHAT_OPENERS = frozenset("omg lol lmao tbh btw fyi ngl imo idk smh".split())
_SUBJECT_VERBS = PEOPLE_VERBS | frozenset("was is has had".split())
# Chat abbreviations, and tools and services whose names are no English words or are names.
_NOT_NAMES = frozenset(
    """
    lol lmao brb pls plz thx thanx omg tmrw tmr btw imo imho idk afaik asap fyi np ty irl dm tbh
    ngl smh rn tho bday gonna wanna gotta dunno lemme kinda sorta ya yall
    pr qa ui ux db hr it pm am ci cd os id tv uk us eu eta tbd wip todo re fw ps nb cc bcc
    grafana jenkins docker kubernetes kubectl nginx redis kafka jira github gitlab slack teams
    zoom sentry heroku ansible terraform travis helm postgres mysql mongo mongodb elastic kibana
    splunk datadog pagerduty okta vpn wifi chatgpt copilot gpt excel outlook sharepoint onedrive
    whatsapp insta instagram tiktok snapchat facebook twitter linkedin youtube netflix spotify
    bot chatbot dev devops sre ops qa hr it dependabot renovate webpack argocd sonarqube codecov
    snyk vercel netlify npm yarn pip stackoverflow lgtm circleci jenkinsfile
    """.split()
)
# Endings of the names of bots, tools and services ("mergebot", "argocd", "graphql").
_TOOL_ENDINGS = ("bot", "ops", "hub", "lab", "js", "ql", "db", "cd", "sdk", "api", "app")
# Speaker labels: a role and a name, a name and a time stamp, a bullet and a name.
_STAMP = r"(?:\[?\d{1,2}:\d{2}(?::\d{2})?+\]?[ \t]+|\[[^\]\n]{1,30}+\][ \t]+)?+"
_ROLE_LABEL = re.compile(rf"^[ \t]*+{_STAMP}([a-z]++)[ \t]++([a-z]++)[ \t]*+:[ \t]", re.MULTILINE)
_TIME_LABEL = re.compile(r"^[ \t]*+([a-z][\w.]*+)[ \t]++\d{1,2}:\d{2}\b", re.MULTILINE)
_BULLET_LABEL = re.compile(r"^[ \t]*+[-*•][ \t]++([a-z]++)[ \t]*+:[ \t]", re.MULTILINE)
# A speaker label decorated with symbols or emoji before its colon: "Chioma 💃: no o".
_DECORATED_LABEL = re.compile(rf"^[ \t]*+{_STAMP}([^\W\d_]++)[ \t]++[^\w\s:]{{1,6}}+[ \t]*+:", re.MULTILINE)
# A user in parentheses after a role or a ticket's field: "Comment (jpc):", "HR rep (Nadia)".
_PAREN_USER = re.compile(r"(?<![\w'’-])([^\W\d_]++)[ \t]++\(([^\W\d_]{2,}+)\)")
_FIELD_WORDS = frozenset("comment comments note notes reply update updated author by owner".split())
# Every word after which :func:`_after_cue` may hold, and the "'s" that :func:`_possessive` reads.
_ANY_CUE = _CUES | _KIN | HONORIFIC_WORDS | _OPENERS | _CHAT_OPENERS | frozenset(("and", "n", "by"))
_APOSTROPHE_S = re.compile(r"['’]s")


def _pure_given(word: str, lex: NameLexicon) -> bool:
    """A lexicon given name in no English word list, four letters or more ("tunde")."""
    return (
        len(word) >= 4
        and not lex.is_english(word)  # the cheap test first: most words are English
        and lex.is_given(word)
        and not lex.is_english(fold(word))
        and word not in _NOT_NAMES
    )


def _name_or_unknown(word: str, lex: NameLexicon) -> bool:
    """A lexicon name that is no frequent English word nor a place, or a word of three
    letters or more in no English word list; never a tool or a chat abbreviation."""
    if len(word.replace("'", "").replace("’", "")) < 3 or word in _NOT_NAMES:
        return False
    if lex.is_name(word):
        return not lex.is_ordinary(word) and word not in places()
    return not lex.is_english(fold(word)) and not word.endswith(_TOOL_ENDINGS)


def _possessive(text: str, cur: re.Match[str], lex: NameLexicon) -> bool:
    """ "lucia's shift": a lexicon name before "'s" that is none of the 30,000 most frequent
    English words, no place and no tool ("infant's", "paris's", "jenkins's" are not)."""
    word = cur.group()
    return (
        text.startswith(("'s", "’s"), cur.end())
        and lex.is_name(word)
        and not lex.is_common(word)
        and word not in places()
        and word not in _NOT_NAMES
    )


def _span(start: int, end: int) -> Span:
    return Span(start, end, Label.PERSON, LEXICON_SOURCE, 0.5, Evidence.NAME_LEXICON)


def _labels(text: str, lex: NameLexicon) -> Iterator[Span]:
    roles = role_nouns()
    decorated = list(_DECORATED_LABEL.finditer(text))
    if len(decorated) >= 2:  # turns of a conversation
        for m in decorated:
            if _name_or_unknown(m.group(1).casefold(), lex):
                yield _span(m.start(1), m.end(1))
    for m in _PAREN_USER.finditer(text):
        head, user = m.group(1).casefold(), m.group(2)
        if (
            (head in roles or head in _FIELD_WORDS)
            and not user.isupper()
            and _name_or_unknown(user.casefold(), lex)
        ):
            yield _span(m.start(2), m.end(2))
    for m in _ROLE_LABEL.finditer(text):
        if m.group(1) in roles and _name_or_unknown(m.group(2), lex):
            yield _span(m.start(2), m.end(2))  # "agent lucia: asked user to ..."
    for pattern in (_TIME_LABEL, _BULLET_LABEL):
        found = list(pattern.finditer(text))
        if len(found) < 2:
            continue  # a conversation or a list takes two turns
        initials: list[re.Match[str]] = []
        named = False
        for m in found:
            word = m.group(1)
            if not word.isalpha():
                continue  # a handle ("rhys.evans 09:02") is read by veil.detect.handles
            if word not in _NOT_NAMES and lex.is_name(word) and not lex.is_english(word):
                named = True
                yield _span(m.start(1), m.end(1))
            elif pattern is _TIME_LABEL and _name_or_unknown(word, lex):
                yield _span(m.start(1), m.end(1))  # "priti 09:03 ..."
            elif len(word) == 2 and word not in _NOT_NAMES and not lex.is_english(word):
                initials.append(m)
        if named:  # "- aj: ..." beside "- mei: ...": the labels are people
            for m in initials:
                yield _span(m.start(1), m.end(1))


def lower_case_people(text: str, lex: NameLexicon) -> Iterator[Span]:
    """PERSON evidence for lower-case names on lines that also hold capitals (module doc)."""
    labels = list(_labels(text, lex))
    yield from labels
    # a lower-case speaker label names that person elsewhere too ("buddy = aj")
    taken = {sp.start for sp in labels}
    speakers = {text[sp.start : sp.end] for sp in labels if text[sp.start : sp.end].islower()}
    matches = list(_WORD.finditer(text))
    if not matches:
        return
    words = [m.group() for m in matches]
    ends = [m.end() for m in matches]
    # Each rule needs a lower-case word that is a speaker label, a pure given name, a word
    # before "'s" or a word after a cue: gather those positions, then read only them.
    distinct = set(words)
    picked = {w for w in distinct if w.islower() and (w in speakers or _pure_given(w, lex))}
    cues = {w for w in distinct if w.casefold() in _ANY_CUE}
    last = len(matches) - 1
    positions = {i for i, w in enumerate(words) if w in picked}
    positions.update(i + 1 for i, w in enumerate(words) if w in cues and i < last)
    for apostrophe in _APOSTROPHE_S.finditer(text):
        i = bisect_left(ends, apostrophe.start())
        if i <= last and ends[i] == apostrophe.start():
            positions.add(i)
    for i in sorted(positions):
        cur, word = matches[i], words[i]
        if not word.islower():
            continue
        prev = matches[i - 1] if i >= 1 else None
        before = matches[i - 2] if i >= 2 else None
        nxt = matches[i + 1] if i < last else None
        joined = prev is not None and prev.end() + 1 == cur.start() and text[prev.end()] == " "
        cue = prev.group().casefold() if joined and prev is not None else ""
        if (
            (word in speakers and cur.start() not in taken)
            or (_pure_given(word, lex) and cue != "vice")  # not "vice versa"
            or _possessive(text, cur, lex)
            or (cue and _after_cue(text, cue, before, prev, cur, nxt) and _name_or_unknown(word, lex))
        ):
            yield _span(cur.start(), cur.end())


def _after_cue(
    text: str,
    cue: str,
    before: re.Match[str] | None,
    prev: re.Match[str] | None,
    cur: re.Match[str],
    nxt: re.Match[str] | None,
) -> bool:
    """Whether the word after ``cue`` takes a person there (module doc)."""
    if cue in _CUES or cue in _KIN or cue in HONORIFIC_WORDS:
        return True
    if cue in ("and", "n", "&") and before is not None and before.group().casefold() == "me":
        return True  # "me and sienna", "me n jasmine"
    if (
        cue == "by"
        and before is not None
        and prev is not None
        and before.group().casefold() in _DONE_BY
        and text[before.end() : prev.start()] == " "
    ):
        return True
    if nxt is None or text[cur.end() : nxt.start()] != " " or "'" in cur.group():
        return False
    verb = nxt.group()
    return (cue in _OPENERS and verb in PEOPLE_VERBS) or (cue in _CHAT_OPENERS and verb in _SUBJECT_VERBS)


__all__ = ["lower_case_people"]
