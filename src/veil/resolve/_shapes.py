"""Word tests the resolver's span-shaping steps share: where a name's span must stop."""

from __future__ import annotations

from ..detect.lexicon import FUNCTION_WORDS, NAME_PARTICLES_EXTENDED, TITLES, first_names
from ..detect.names import lexicon
from ._state import RECASED, Mention


def ordinary_not_given(word: str) -> bool:
    """Whether ``word`` is a frequent English word that no name list knows as a given name
    ("Day", "Team"; not "Will", "Grace"): a capitalised word of a Title Case heading, not the
    start of the name after it. A name particle ("De", "Van") is no such word."""
    lex = lexicon()
    low = word.casefold()
    return (
        lex.is_ordinary(word)
        and not lex.is_given(word)
        and low not in first_names()
        and low not in NAME_PARTICLES_EXTENDED  # "De Certeau", "Van Gogh"
    )


def lower_case_name(m: Mention) -> bool:
    """Whether ``m`` is a name written in lower case that the re-cased view of lower-case
    text found ("tom hendricks"): a full name for linking, as if it were capitalised."""
    return m.surface.islower() and any(v.evidence in RECASED for v in m.votes)


def given_at_start(word: str) -> bool:
    """Whether ``word``, starting a sentence right before a person's surname, is that
    person's given name ("Hope Garrow called" when only "Garrow" was found): a given name
    of the lexicon that is no function word or title ("The", "Mr")."""
    low = word.casefold()
    return (
        word[:1].isupper()
        and word[1:].islower()
        and low not in FUNCTION_WORDS
        and low not in TITLES
        and lexicon().is_given(word)
    )
