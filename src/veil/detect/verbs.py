"""Verbs that people do, for the rules that read lower-case text without a POS tagger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import SPEECH_VERBS

if TYPE_CHECKING:
    from .names import NameLexicon

# Verbs of people, not of machines: "sanjay fell asleep", "priya texted", not "nginx crashed",
# "redis is down", "kubernetes went down" (auxiliaries, any word in -ed and verbs of motion
# would take those too).
PEOPLE_VERBS: frozenset[str] = SPEECH_VERBS | frozenset(
    """
    fell met brought bought thought felt knew saw spoke forgot called texted emailed messaged
    pinged phoned rang joined quit laughed cried smiled agreed offered visited arrived wants
    wanted thinks reckons
    """.split()
)


def verb_form(word: str, lex: NameLexicon) -> bool:
    """Whether a lower-case ``word`` reads as a verb: one of the verbs above, or an English
    stem with -ed or -ing ("texted", "pinging"); such a word after a given name is no
    surname ("bartholomew texted me")."""
    w = word.casefold()
    if w in PEOPLE_VERBS:
        return True
    for suffix in ("ed", "ing"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            if any(
                lex.is_common(x) for x in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem)
            ):
                return True
    return False
