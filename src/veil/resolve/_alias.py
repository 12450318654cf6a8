"""Step 4b: aliases a text gives a person — abbreviations and nicknames — join that person.

* An abbreviation defined in parentheses right after a person's name ("Anneliese Vogt
  (AV)") when its letters are the name's initials; every later "AV" is that person.
* Initials written as such, matching a linked person's name: dotted ("D.K.", "S.M.K."),
  with particles in lower case ("JvdM"), or three capitals or more ("HMBL"). Two bare
  capitals ("MS", "TB") count here only when the text defines them, since most are
  acronyms; :mod:`._initials` takes them when they match exactly one person.
* A nickname introduced in the text: "Alexander Petrov, known to everyone as Sasha",
  "nicknamed Memo", "(aka Memo)", "...; he goes by Tobi", "Ekaterina "Katya" Sorokina",
  "Tobias ("Tobi") Wren".

Alias mentions carry no vote of their own; the person's label decides.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..detect.lexicon import FUNCTION_WORDS, used_in_lower_case
from ..model import Evidence, Label
from ._link import Entities, entity_label
from ._names import core_words, initials, is_word_char
from ._state import SOURCE_LINK, Mention, Vote, Votes

_DEFINED = re.compile(r"[ \t]*\([ \t]*(?P<alias>[A-Z][A-Za-z.]{1,9})[ \t]*\)")
_NICKNAME = re.compile(
    r"(?:,?[ \t]+|[ \t]*\([ \t]*|[;,][ \t]+(?:he|she|they|who)[ \t]+)"
    r"(?:(?:also|better|widely|affectionately|commonly|universally)[ \t]+)?"
    r"(?:known(?:[ \t]+to[ \t]+(?:\w+[ \t]+){0,2}?\w+)?[ \t]+as|nicknamed|dubbed|also[ \t]+called|a\.k\.a\.?|aka"
    r"|goes[ \t]+by|go[ \t]+by|went[ \t]+by|(?:prefers|likes)[ \t]+to[ \t]+be[ \t]+called)"
    r"[ \t]+[\"“‘']?(?P<alias>[A-Z][\w-]{1,20})"
    r"|[ \t]*\(?[ \t]*[\"“‘'](?P<quoted>[A-Z][\w-]{1,20})[\"”’']"
)
# A nickname given later in the person's sentence: "colleagues call her Ela", "everyone
# calls him Sasha", "she goes by Kasia".
_CALLED = re.compile(
    r"\b(?:call|calls|called)[ \t]+(?:her|him|them)[ \t]+[\"“‘']?(?P<alias>[A-Z][\w-]{1,20})"
    r"|\b(?:he|she|they)[ \t]+(?:goes|go|went)[ \t]+by[ \t]+[\"“‘']?(?P<alias2>[A-Z][\w-]{1,20})"
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_QUOTED = re.compile(r"[\"“‘'](?P<alias>[A-Z][\w-]{1,20})[\"”’']|\((?P<paren>[A-Z][a-z][\w-]{1,20})\)")
_TOKEN = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,4}|(?<![\w.])[A-Z][A-Za-z]{1,6}\b")


def _letters(token: str) -> str:
    return token.replace(".", "")


def aliases(text: str, entities: Entities, votes: Votes) -> Entities:
    """``entities`` with abbreviation and nickname mentions added to the person they name."""
    entities = [list(ent) for ent in entities]
    persons = [i for i, ent in enumerate(entities) if entity_label(ent, votes) is Label.PERSON]
    owner: dict[str, int] = {}  # alias as written -> entity
    # Short capitalised tokens ("AV", "D.K."), collected once and indexed by their letters:
    # scanning the text once per person was quadratic in the number of people.
    tokens_by_letters: dict[str, list[str]] = defaultdict(list)
    for token in sorted({t.group() for t in _TOKEN.finditer(text)}):
        tokens_by_letters[_letters(token)].append(token)
    for i in persons:
        names = [m for m in entities[i] if len(m.core) >= 2]
        if not names:
            continue
        letters: set[str] = set()
        for m in names:
            letters |= initials(list(m.core))
        for m in entities[i]:
            defined = _DEFINED.match(text, m.end)
            if defined and _letters(defined.group("alias")) in letters:
                owner.setdefault(defined.group("alias"), i)
            nick = _NICKNAME.match(text, m.end)
            alias = nick and (nick.group("alias") or nick.group("quoted"))
            if not alias:  # later in the sentence: "...; colleagues call her Ela."
                end = _SENTENCE_END.search(text, m.end)
                later = _CALLED.search(text, m.end, end.start() if end else len(text))
                alias = (later.group("alias") or later.group("alias2")) if later else None
            if alias and _nickname_ok(text, alias):
                owner.setdefault(alias, i)
        for m in names:  # 'Ekaterina "Katya" Sorokina': a quoted word inside the name
            quoted = _QUOTED.search(m.surface)
            alias = quoted and (quoted.group("alias") or quoted.group("paren"))
            if alias and _nickname_ok(text, alias):
                owner.setdefault(alias, i)
        for token in (t for bare in sorted(letters) for t in tokens_by_letters.get(bare, ())):
            bare = _letters(token)
            if token in owner or bare.casefold() in FUNCTION_WORDS:
                continue
            shaped = "." in token or not bare.isupper() or len(bare) >= 3
            if shaped and not used_in_lower_case(text, bare.lower()):
                owner.setdefault(token, i)
    if not owner:
        return entities
    return add_mentions(text, entities, owner)


def _nickname_ok(text: str, alias: str) -> bool:
    return alias.casefold() not in FUNCTION_WORDS and not used_in_lower_case(text, alias.lower())


def add_mentions(text: str, entities: Entities, owner: dict[str, int]) -> Entities:
    """Every occurrence of an alias becomes a mention of its person; a mention another
    entity held at exactly that place (the model's "AV" as ORG) moves to the person."""
    pattern = re.compile(
        r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in sorted(owner, key=len, reverse=True)) + r")"
    )
    held = {(m.start, m.end): i for i, ent in enumerate(entities) for m in ent}
    spans = sorted((m.start, m.end) for ent in entities for m in ent)
    moved: set[tuple[int, int]] = set()
    added: list[tuple[int, Mention]] = []
    for match in pattern.finditer(text):
        s, e = match.span()
        if e < len(text) and is_word_char(text[e]) and not match.group().endswith("."):
            continue
        target = owner[match.group()]
        if (s, e) in held:
            if held[(s, e)] == target:
                continue
            moved.add((s, e))
        elif any(a < e and s < b for a, b in spans):
            continue  # inside a longer name
        surface = match.group()
        vote = Vote(Label.PERSON, Evidence.NONE, 0.0)
        added.append(
            (target, Mention(s, e, surface, tuple(core_words(surface)), (vote,), frozenset({SOURCE_LINK})))
        )
    out = [[m for m in ent if (m.start, m.end) not in moved] for ent in entities]
    for target, m in added:
        out[target].append(m)
    return [ent for ent in out if ent]
