"""The multi-country name lexicon, the re-cased view and the lexicon's name evidence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veil.detect.lexicon import fold
from veil.detect.names import LEXICON_SOURCE, NameLexiconDetector, lexicon, recased_view
from veil.model import Label


def test_names_lexicon_knows_names_of_many_countries() -> None:
    lex = lexicon()
    assert lex.is_given("Ildikó") and lex.is_given("Piotr") and lex.is_given("Chiamaka")
    assert lex.is_surname("Okonkwo") and lex.is_surname("Lindström") and lex.is_surname("Haddad")
    assert not lex.is_name("Quarterly")


def test_names_lexicon_ignores_case_and_diacritics() -> None:
    lex = lexicon()
    assert fold("Zsófia") == "zsofia"
    assert lex.is_given("ZSOFIA") == lex.is_given("Zsófia") is True


def test_names_lexicon_checks_each_part_of_a_compound() -> None:
    assert lexicon().is_surname("Nwosu-Baker")


def test_names_lexicon_tells_ordinary_words() -> None:
    lex = lexicon()
    for word in ("will", "Rose", "SUMMER", "customer"):
        assert lex.is_ordinary(word)
    for word in ("Gemma", "Okoro", "Ildikó"):
        assert not lex.is_ordinary(word)


def test_recased_view_reads_all_caps_names_in_title_case() -> None:
    text = "CLAIMANT: THEODORA BLACKWELL-ASANTE\nDATE OF BIRTH: 12/04/1981"
    found = recased_view(text)
    assert found is not None
    view, regions = found
    name = text.index("THEODORA BLACKWELL-ASANTE")
    assert view[name : name + len("Theodora Blackwell-Asante")] == "Theodora Blackwell-Asante"
    assert view[text.index("OF") : text.index("OF") + 2] == "of"
    assert regions == [(0, len(text))]


def test_recased_view_capitalises_names_in_lower_case_lines() -> None:
    text = "i pinged marcus feld about the deploy but he didnt answer"
    found = recased_view(text)
    assert found is not None
    view = found[0]
    start = text.index("marcus feld")
    assert view[start : start + len("marcus feld")] == "Marcus Feld"
    assert view[text.index("deploy") :].startswith("deploy")


def test_recased_view_leaves_ordinary_text_alone() -> None:
    assert recased_view("Ada Lovelace met Charles Babbage in London. The NHS said no.") is None


def test_recased_view_keeps_addresses_as_written() -> None:
    text = "cc: rhona.mcavoy@glenbrae.example and ok"
    found = recased_view(text)
    address = text.index("rhona.mcavoy@glenbrae.example")
    if found is not None:
        assert found[0][address : text.index(" and")] == "rhona.mcavoy@glenbrae.example"


def test_recased_view_keeps_an_acronym_beside_a_name() -> None:
    text = "PATIENT: AGNIESZKA KOWALCZYK DOB: 03/07/1966"
    found = recased_view(text)
    assert found is not None
    assert found[0][text.index("DOB") : text.index("DOB") + 3] == "DOB"


@given(st.text(alphabet=st.sampled_from("aAbBßİıﬁ ÉéŉǅQxZ-'’.\n@:"), max_size=80))
def test_recased_view_changes_only_case_and_keeps_length(text: str) -> None:
    found = recased_view(text)
    if found is None:
        return
    view, regions = found
    assert len(view) == len(text)
    for a, b in zip(view, text, strict=True):
        assert a in (b, b.upper(), b.lower())
    for start, end in regions:
        assert 0 <= start < end <= len(text)


def _marked(text: str) -> list[str]:
    spans = list(NameLexiconDetector().spans(text))
    assert all(s.label is Label.PERSON and s.source == LEXICON_SOURCE for s in spans)
    return [text[s.start : s.end] for s in spans]


def test_name_lexicon_detector_marks_given_and_surname_in_either_order() -> None:
    assert _marked("Yesterday Fekete-Nagy Ildikó signed; Ildikó Fekete-Nagy agreed.") == [
        "Fekete-Nagy Ildikó",
        "Ildikó Fekete-Nagy",
    ]


def test_name_lexicon_detector_accepts_one_ordinary_word_beside_a_surname() -> None:
    assert _marked("Then Hope Delgado arrived.") == ["Hope Delgado"]


def test_name_lexicon_detector_never_marks_lone_opening_words_or_ordinary_pairs() -> None:
    # an opening given name counts only before a verb that makes it the subject ("Gemma
    # arrived" does: tests/unit/resolve/test_resolve_genres.py)
    assert _marked("Gemma, the new lead. Will Power is a film. The Day Esperanza came.") == []


def test_name_lexicon_detector_keeps_particles_inside_the_name() -> None:
    assert _marked("Chair: Floortje van den Akker-Smit.") == ["Floortje van den Akker-Smit"]


def test_recased_view_writes_title_case_headlines_in_sentence_case() -> None:
    text = "Local Baker Wins Regional Award: Ferdinand Oakes Beats 40 Rivals"
    found = recased_view(text)
    assert found is not None
    view = found[0]
    name = text.index("Ferdinand Oakes")
    assert view[name : name + len("Ferdinand Oakes")] == "Ferdinand Oakes"
    assert view[text.index("Beats") : text.index(" 40")] == "beats"
    assert view.startswith("Local")


def test_recased_view_leaves_sentences_with_many_names_alone() -> None:
    assert recased_view("Ada Lovelace met Charles Babbage and Mary Somerville in London.") is None


def test_recased_view_stays_linear_on_a_long_line_of_isolated_capitals() -> None:
    # Each isolated capitalised word used to search the whole line before it (quadratic).
    text = "Ada MBEKI said " * 20_000
    found = recased_view(text)
    assert found is None or len(found[0]) == len(text)


def test_recased_view_treats_a_huge_token_as_an_address() -> None:
    text = "x" * 1000 + "-ADA-LOVELACE-BYRON " + "and more words"
    found = recased_view(text)
    if found is not None:
        assert found[0][:1020] == text[:1020]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Report by Zunaira Villalobos, 3 May.", "Zunaira Villalobos"),
        ("Tomiwa Lindgren wrote back.", "Tomiwa Lindgren"),
        ("On Monday Ndidi Okonkwo called.", "Ndidi Okonkwo"),
        ("Why Tomiwa Ekwueme Thinks Small Towns Matter", "Tomiwa Ekwueme"),
    ],
)
def test_name_lexicon_detector_marks_an_unlisted_given_name_before_a_surname(text: str, name: str) -> None:
    # The given-name list cannot know every given name: a capitalised word that is no English
    # word, before a known surname, is evidence of a person.
    assert _marked(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "The Villalobos family left.",  # an English word before the surname
        "Then Lindgren agreed.",
        "Read The Lindgren Report",
        "Xerolab Brightwater shipped.",  # neither word is a known name
    ],
)
def test_name_lexicon_detector_needs_an_unknown_word_and_a_known_surname(text: str) -> None:
    assert _marked(text) == []
