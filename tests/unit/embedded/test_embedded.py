"""Person names inside URLs, e-mail addresses, handles, CamelCase and letter-spaced words."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from veil.config import preset
from veil.detect.patterns import PatternDetector
from veil.model import Document, Label, Span
from veil.pipeline import Pipeline

NAME = "Anna Kowalski"


def _person(doc: Document) -> Iterable[Span]:
    i = doc.text.find(NAME)
    return [Span(i, i + len(NAME), Label.PERSON, "ner", 0.9)] if i != -1 else []


def _redact(text: str, labels: list[str]) -> str:
    policy = preset("pii").narrowed(labels)
    return Pipeline(policy, detectors=[_person, PatternDetector(policy)]).redact(text, "e").text


FORMS = {
    "url-path": "https://news.example.org/people/anna-kowalski",
    "email": "anna.kowalski@example.org",
    "email-glued": "annakowalski@example.org",
    "handle": "@AnnaKowalski",
    "camelcase": "AnnaKowalski",
    "snake-url": "www.example.org/anna_kowalski",
    "letter-spaced": "K o w a l s k i",
    "dotted": "K.o.w.a.l.s.k.i",
}


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_embedded_name_masked_without_url_or_email_protected(form: str) -> None:
    out = _redact(f"{NAME} met reporters. See {form} today.", ["PERSON"])
    tail = out[out.index("See") :]
    assert (
        "anna" not in tail.casefold() and "kowalski" not in tail.replace(" ", "").replace(".", "").casefold()
    )


def test_embedded_rest_of_identifier_kept() -> None:
    out = _redact(
        f"{NAME} met reporters. See https://news.example.org/people/anna-kowalski today.", ["PERSON"]
    )
    assert "https://news.example.org/people/[PERSON_1]-[PERSON_1]" in out


@pytest.mark.parametrize(
    "text",
    ["The Annapolis office", "see https://example.org/annapolis/", "a HannaKowalsky thing"],
    ids=["prose-word", "url-word", "camel-other"],
)
def test_embedded_other_words_untouched(text: str) -> None:
    out = _redact(f"{NAME} met reporters. {text}.", ["PERSON"])
    assert out.endswith(f"{text}.")


def test_embedded_protected_email_stays_one_email() -> None:
    out = _redact(f"{NAME} met reporters. Mail anna.kowalski@example.org today.", ["PERSON", "EMAIL"])
    assert "Mail [EMAIL_1] today." in out


def test_embedded_nothing_without_person_label() -> None:
    text = f"{NAME} met reporters. Mail anna.kowalski@example.org today."
    assert _redact(text, ["EMAIL"]) == text.replace("anna.kowalski@example.org", "[EMAIL_1]")
