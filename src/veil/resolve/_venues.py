"""Step 3, label vote: names of places, venues and brands that look like people's.

Streets, hospital wards, gardens and rooms are often named after people or with given
names ("Jordan Close", "Victoria Ward", "Rose Garden", "Princess Way"), and shops and
tools after surnames ("the Greggs by the bridge", "Jenkins" among build tools). The model
calls many of them PERSON. The text says otherwise in a few general ways:

* a name that ends in a place-type noun that is also a name word (:data:`VENUE_NOUNS`:
  "Close", "Ward", "Way") is a place when the text treats it as one: a determiner before
  it ("the Rose Garden"), a house number ("14 Jordan Close"), a field label of its kind
  ("Ward: Rose Ward"), or the noun used on its own as a common noun elsewhere in the text
  ("the Ward Manager", "the ward round");
* a place-type noun alone after a title that also names streets ("Princess Way", "King
  Street": :data:`PLACE_NAMING_TITLES`) or after a determiner ("the Ward Manager") is no
  person;
* a single word that only the model calls a person, that no name list knows (nor its
  singular: "the Johnsons" is a family), written each time after a determiner and before a
  preposition of place ("the Zorbix by the station", "a Zorbix on Mill Road"), is a shop or
  a thing; before a noun it may be a surname qualifying it ("the Brackenbury report");
* a single word that only the model calls a person, in a list whose other members (two
  at least) are all organisations or places ("Django, React, Jenkins"), is one of them.

* a single word only the model calls a person after a title and "of" ("the Bishop of
  Ely") is the title's place.

A person context (a title such as "Mrs", a role) keeps a name a person, except the
street-naming title before a place-type noun, which is the place's own name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..detect.lexicon import PLACE_NAMING_TITLES, TITLES, VENUE_NOUNS, first_names, used_in_lower_case
from ..detect.names import lexicon as names_lexicon
from ..model import Evidence, Label
from ._state import Mention

# "the", "a", "an" (not "that", which is as often a conjunction: "that Street argues")
_DETERMINER = re.compile(r"(?:^|(?<=[^\w]))(?:the|The|THE|a|A|an|An)[ \t]++$")
_HOUSE_NUMBER = re.compile(r"(?:^|(?<=\s))\d{1,5}[A-Za-z]?,?[ \t]++$")
_TITLE_BEFORE = re.compile(r"(?:^|(?<=[^\w]))([A-Za-z]+)\.?[ \t]++$")
_COORD = re.compile(r"[ \t]*+(?:,[ \t]*+(?:and[ \t]++|or[ \t]++|&[ \t]*+)?|and[ \t]++|or[ \t]++|&[ \t]*+)")
_LABEL_BEFORE = re.compile(r"(?:^|(?<=[^\w]))(\w+)[ \t]*+:[ \t]*+$")
_PLACE_AFTER = re.compile(r"[ \t]++(?:by|on|in|at|near|opposite|next to|behind|outside)\b")
_OFFICE_OF = re.compile(r"(?:^|(?<=[^\w]))([A-Z][a-z]++)[ \t]++of[ \t]++(?:the[ \t]++)?$")
_WINDOW = 24


def _window(text: str, m: Mention) -> str:
    return text[max(0, m.start - _WINDOW) : m.start]


def _determined(text: str, m: Mention) -> bool:
    return _DETERMINER.search(_window(text, m)) is not None


def _numbered(text: str, m: Mention) -> bool:
    return _HOUSE_NUMBER.search(_window(text, m)) is not None


def _street_title(text: str, m: Mention) -> bool:
    before = _TITLE_BEFORE.search(_window(text, m))
    return (
        before is not None
        and before.group(1)[:1].isupper()
        and before.group(1).casefold() in PLACE_NAMING_TITLES
    )


def _labelled(text: str, m: Mention, noun: str) -> bool:
    """ "Ward: Rose Ward": the field label before the name is the name's own kind."""
    before = _LABEL_BEFORE.search(_window(text, m))
    return before is not None and before.group(1).casefold() == noun


def _common_noun(text: str, noun: str, group: Sequence[Mention]) -> bool:
    """The place-type noun on its own elsewhere in the text: in lower case ("the ward
    round"), capitalised after "the" and before no lower-case word ("the Ward Manager"; not
    "the Hill administration", where a surname qualifies a noun) or as a field label at the
    start of a line ("Ward:")."""
    word = re.escape(noun)
    pattern = re.compile(
        r"(?<![\w'’])the[ \t]++(" + word + r")\b(?![-'’]|[ \t]++(?-i:[a-z]))"
        r"|^[ \t]*+(" + word + r")[ \t]*+:",
        re.IGNORECASE | re.MULTILINE,
    )
    for hit in pattern.finditer(text):
        s, e = hit.span(1) if hit.group(1) is not None else hit.span(2)
        if not any(m.start < e and s < m.end for m in group):
            return True
    return used_in_lower_case(text, noun)


def venue_label(text: str, words: Sequence[str], group: Sequence[Mention], context: bool) -> Label | None:
    """LOC when a name the vote gives to PERSON is a place by the rules of the module
    docstring; ORG when it is a thing named after a person; None otherwise."""
    if not words:
        return None
    last = words[-1]
    if last in VENUE_NOUNS:
        if len(words) == 1:
            if any(_street_title(text, m) for m in group):
                return Label.LOC
            if not context and all(_determined(text, m) for m in group):
                return Label.LOC
        elif not context and (
            any(_determined(text, m) or _numbered(text, m) or _labelled(text, m, last) for m in group)
            or _common_noun(text, last, group)
        ):
            return Label.LOC
    if len(words) == 1 and not context and all(_office_of(text, m) for m in group):
        return Label.LOC  # "the Bishop of Ely", "Mayor of Tarnow"
    lex = names_lexicon()
    if (
        len(words) == 1
        and not context
        and last not in first_names()
        and not lex.is_name(last)
        and not (last.endswith("s") and lex.is_name(last[:-1]))  # "the Johnsons by the pool": a family
        and all(
            m.evidence <= {Evidence.MODEL} and _determined(text, m) and _placed_after(text, m) for m in group
        )
    ):
        return Label.ORG
    return None


def _office_of(text: str, m: Mention) -> bool:
    """ "the Bishop of Ely's office": the word after a title and "of" names the title's
    place or body, not a person."""
    before = _OFFICE_OF.search(_window(text, m))
    return before is not None and before.group(1).casefold() in TITLES


def _placed_after(text: str, m: Mention) -> bool:
    """ "the Zorbix by the station", "the Zorbix on Mill Road": a preposition of place
    after the word (not a noun it qualifies: "the Brackenbury report" names a person)."""
    return _PLACE_AFTER.match(text, m.end) is not None


def lists_of_things(
    text: str, mentions: Sequence[Mention], labels: Mapping[str, Label], context: Mapping[str, bool]
) -> dict[str, Label]:
    """New labels for single words only the model calls a person, in lists whose other
    members (two at least) are all organisations or places: the most frequent of those."""
    ordered = sorted(mentions, key=lambda m: m.start)
    runs: list[list[Mention]] = []
    for m in ordered:
        if runs and _COORD.fullmatch(text, runs[-1][-1].end, m.start):
            runs[-1].append(m)
        else:
            runs.append([m])
    out: dict[str, Label] = {}
    for run in runs:
        if len(run) < 3:
            continue
        for m in run:
            if labels.get(m.key) is not Label.PERSON or " " in m.key or context.get(m.key, False):
                continue
            if not m.evidence <= {Evidence.MODEL} or m.key in first_names():
                continue
            others = [labels.get(o.key) for o in run if o is not m]
            if len(others) < 2 or not all(lab in (Label.ORG, Label.LOC) for lab in others):
                continue
            orgs = sum(lab is Label.ORG for lab in others)
            out[m.key] = Label.ORG if orgs * 2 >= len(others) else Label.LOC
    return out
