"""Issue 11: names in lower-case chat (speaker labels, kinship words, a subject before a verb).

The rules read only the name lexicon, so no model is loaded. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.detect.chat import chat_names
from veil.detect.names import lexicon
from veil.model import Label


def _found(text: str) -> set[str]:
    return {text[s.start : s.end] for s in chat_names(text, lexicon()) if s.label is Label.PERSON}


def test_chat_names_speaker_labels_that_take_turns() -> None:
    text = "priya: u there?\nmateo: yes\npriya: ok see u at the gate"
    found = list(chat_names(text, lexicon()))
    starts = sorted(s.start for s in found)
    assert starts == [text.index("priya"), text.index("mateo"), text.rindex("priya")]


def test_chat_names_unknown_speaker_word_needs_to_come_back() -> None:
    text = "dhruvesh: hi\npriya: hey\ndhruvesh: lunch?"
    assert _found(text) == {"dhruvesh", "priya"}


@pytest.mark.parametrize(
    "text",
    [
        "ok: see you at 6\nnote: bring the cake",
        "ok: see you at 6\nok: fine",
        "priya: see you at 6",  # one label: a field, not a conversation
        "Priya: see you at 6\nMateo: ok\nPriya: fine",  # not lower case: the model's job
    ],
)
def test_chat_names_no_speakers(text: str) -> None:
    assert _found(text) == set()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("dont forget the flowers for auntie folasade", "folasade"),
        ("we visited uncle ravi on sunday", "ravi"),
    ],
)
def test_chat_names_after_kinship_word(text: str, name: str) -> None:
    assert _found(text) == {name}


def test_chat_names_kinship_word_before_ordinary_word_is_no_name() -> None:
    assert _found("my uncle said the deploy failed") == set()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("lol dhruvesh fell off his chair", "dhruvesh"),
        ("ok so tavish texted me at midnight", "tavish"),
    ],
)
def test_chat_names_unknown_word_before_a_verb_of_people(text: str, name: str) -> None:
    assert _found(text) == {name}


@pytest.mark.parametrize(
    "text",
    [
        "lol kubectl crashed again",
        "omg the build went green",
        "and kubectl is down again",
        "so kubectl went down again",
        "Omg Dhruvesh fell off his chair",  # not a lower-case line
    ],
)
def test_chat_names_machines_and_ordinary_words_stay(text: str) -> None:
    assert _found(text) == set()


def test_chat_names_reach_the_pipeline() -> None:
    from veil.config import preset
    from veil.pipeline import Pipeline

    text = "priya: u there?\nmateo: yes\npriya: lol dhruvesh fell off his chair"
    pipe = Pipeline(preset("pii").narrowed(["PERSON"]), build_operators=False)
    doc = pipe.analyze(text, "d")
    masked = {text[m.start : m.end] for e in doc.entities for m in e.mentions}
    assert {"priya", "mateo", "dhruvesh"} <= masked
    assert text.rindex("priya") in {m.start for e in doc.entities for m in e.mentions}


@pytest.mark.parametrize("text", ["e.g.", "intro\nhttps://example.org/a/b\nend", "x.y@example.org"])
def test_chat_names_lines_without_words(text: str) -> None:
    assert _found(text) == set()


@pytest.mark.parametrize(
    ("text", "name", "verb"),
    [
        ("ok so bartholomew texted me again", "bartholomew", "texted"),
        ("i think cordelia emailing them is fine", "cordelia", "emailing"),
    ],
)
def test_chat_names_verb_after_given_name_is_no_surname(text: str, name: str, verb: str) -> None:
    from veil.detect.names import recased_view

    found = recased_view(text)
    assert found is not None
    view = found[0]
    at = text.index(name)
    assert view[at : at + len(name)] == name.title()
    at = text.index(verb)
    assert view[at : at + len(verb)] == verb
