"""PatternDetector: table-driven positives and negatives, odd separators, checksums, linearity."""

from __future__ import annotations

import itertools
import time

import pytest

from veil.config import preset
from veil.detect.patterns import LABEL_PRIORITY, PatternDetector
from veil.errors import ConfigError
from veil.model import Document, Label, Span


@pytest.fixture(scope="module")
def detector() -> PatternDetector:
    return PatternDetector(preset("pii"))


def _found(detector: PatternDetector, text: str) -> list[Span]:
    return list(detector.detect(Document("t", text)))


def _surfaces(detector: PatternDetector, text: str, label: Label) -> list[str]:
    return [s.text(text) for s in _found(detector, text) if s.label is label]


# (text, surface that must be found exactly, label)
POSITIVES = [
    ("Write to ada.lovelace@example.org today.", "ada.lovelace@example.org", Label.EMAIL),
    ("Mail: bob+news@mail.co.uk.", "bob+news@mail.co.uk", Label.EMAIL),
    ("Contact jane [at] uni [dot] org for details", "jane [at] uni [dot] org", Label.EMAIL),
    ("Contact jane(at)uni.org for details", "jane(at)uni.org", Label.EMAIL),
    ("Contact jane (AT) uni (DOT) edu now", "jane (AT) uni (DOT) edu", Label.EMAIL),
    ("Call +44 20 7946 0958 now", "+44 20 7946 0958", Label.PHONE),
    ("Call (415) 555-2671 now", "(415) 555-2671", Label.PHONE),
    ("Call 415.555.2671 now", "415.555.2671", Label.PHONE),
    ("Call 415 / 555 . 2671 now", "415 / 555 . 2671", Label.PHONE),
    ("Ruf an: 030/1234 5678 bitte", "030/1234 5678", Label.PHONE),
    ("Tel. +49 (0)30 1234-5678", "+49 (0)30 1234-5678", Label.PHONE),
    ("Bureau 01 42 68 53 00 Paris", "01 42 68 53 00", Label.PHONE),
    ("phone 4155552671", "4155552671", Label.PHONE),
    ("See https://example.com/a?b=1.", "https://example.com/a?b=1", Label.URL),
    ("See https://en.wikipedia.org/wiki/Foo_(bar), ok", "https://en.wikipedia.org/wiki/Foo_(bar)", Label.URL),
    ("(see www.example.org)", "www.example.org", Label.URL),
    ("go to example.org/path/x.html now", "example.org/path/x.html", Label.URL),
    ("server 192.168.1.20 is down", "192.168.1.20", Label.IP),
    ("server 2001:db8::8a2e:370:7334 is down", "2001:db8::8a2e:370:7334", Label.IP),
    ("IBAN DE89 3704 0044 0532 0130 00 EUR", "DE89 3704 0044 0532 0130 00", Label.IBAN),
    ("IBAN GB82WEST12345698765432.", "GB82WEST12345698765432", Label.IBAN),
    ("card 4111 1111 1111 1111 exp", "4111 1111 1111 1111", Label.CARD),
    ("card 5555-5555-5555-4444 exp", "5555-5555-5555-4444", Label.CARD),
    ("card 378282246310005 exp", "378282246310005", Label.CARD),
    ("card 4111.1111.1111.1111 exp", "4111.1111.1111.1111", Label.CARD),
    ("SSN 536-90-1234.", "536-90-1234", Label.ID),
    ("SSN 536 - 90 - 1234.", "536 - 90 - 1234", Label.ID),
    ("number 536.90.1234 on file", "536.90.1234", Label.ID),
    ("SSN: 536901234", "536901234", Label.ID),
    ("NINO AB 12 34 56 C.", "AB 12 34 56 C", Label.ID),
    ("NINO AB123456C.", "AB123456C", Label.ID),
    ("NINO AB-12-34-56-C.", "AB-12-34-56-C", Label.ID),
    ("Steuer-ID 36 574 261 809", "36 574 261 809", Label.ID),
    ("NIR 2 95 10 99 126 111 93", "2 95 10 99 126 111 93", Label.ID),
    ("DNI 54362315-K", "54362315-K", Label.ID),
    ("NIE X-2482300W", "X-2482300W", Label.ID),
    ("CF RCCMNL83S18D969H", "RCCMNL83S18D969H", Label.ID),
    ("BSN 1112.22.333", "1112.22.333", Label.ID),
    ("nr 85.07.30-033.28", "85.07.30-033.28", Label.ID),
    ("PESEL 44051401359", "44051401359", Label.ID),
    ("personnummer 880320-0016", "880320-0016", Label.ID),
    ("hetu 131052-308T", "131052-308T", Label.ID),
    ("CPR 211062-5629", "211062-5629", Label.ID),
    ("NHS number 943 476 5870", "943 476 5870", Label.ID),
    ("born 12 March 2021 in", "12 March 2021", Label.DOB),  # a date of birth (issue 13)
    ("on 12 March 2021 in", "12 March 2021", Label.DATE),
    ("born on the 12th of March, 2021 in", "the 12th of March, 2021", Label.DOB),
    ("born March 12, 2021 in", "March 12, 2021", Label.DOB),
    ("born in March 2021 in", "March 2021", Label.DOB),
    ("DOB 03/07/1985 and", "03/07/1985", Label.DOB),
    ("d.o.b. 12.09.1941", "12.09.1941", Label.DOB),
    ("was born in 1961 and", "1961", Label.DOB),
    ("Thu, 6 Jun 2024 at", "Thu, 6 Jun 2024", Label.DATE),
    ("off 8-12 January 2024 ill", "8-12 January 2024", Label.DATE),
    ("met Monday, March 12, 2021 at", "Monday, March 12, 2021", Label.DATE),
    ("seen 2021-03-15 at", "2021-03-15", Label.DATE),
    ("seen 12/03/2021 at", "12/03/2021", Label.DATE),
    ("seen 12.03.2021 at", "12.03.2021", Label.DATE),
    ("seen 3/15/21 at", "3/15/21", Label.DATE),
    ("a 68-year-old man", "68-year-old", Label.AGE),
    ("a man aged 68 was", "68", Label.AGE),
    ("he is 68 years old", "68 years old", Label.AGE),
    ("HPI: 33 y/o pharmacist", "33 y/o", Label.AGE),
    ("Age: 28\n", "28", Label.AGE),
    ("John Smith, 68, said", "68", Label.AGE),
    ("lives at 12 Baker Street now", "12 Baker Street", Label.ADDRESS),
    (
        "at 1600 Pennsylvania Avenue NW, Washington, DC 20500.",
        "1600 Pennsylvania Avenue NW, Washington, DC 20500",
        Label.ADDRESS,
    ),
    ("at 221B Baker St. London", "221B Baker St.", Label.ADDRESS),
    ("at 10 Downing Street, Apt 4 today", "10 Downing Street, Apt 4", Label.ADDRESS),
    ("follow @jack_dorsey on", "@jack_dorsey", Label.HANDLE),
]


@pytest.mark.parametrize(
    ("text", "surface", "label"),
    POSITIVES,
    ids=[f"{lab.value}-{i}" for i, (_, _, lab) in enumerate(POSITIVES)],
)
def test_patterns_finds(detector: PatternDetector, text: str, surface: str, label: Label) -> None:
    spans = _found(detector, text)
    start = text.index(surface)
    assert Span(start, start + len(surface), label, "patterns", 1.0) in [
        Span(s.start, s.end, s.label, s.source, 1.0) for s in spans
    ], [(s, s.text(text)) for s in spans]


# (text, labels that must not be reported anywhere in it)
NEGATIVES = [
    ("version 1.2.3.4 released", {Label.PHONE, Label.IP, Label.CARD, Label.ID}),
    ("ISBN 978-3-16-148410-0 is a book", {Label.PHONE, Label.CARD, Label.ID}),
    ("ISBN 9780306406157 is a book", {Label.PHONE, Label.CARD, Label.ID}),
    ("it costs $1,234.56 or 1.234.567 EUR", {Label.PHONE, Label.CARD, Label.ID}),
    ("between 1990-2000 and 1914-18", {Label.PHONE, Label.ID, Label.DATE}),
    ("Hume (1694–1746) and pages 136–137", {Label.PHONE}),
    ("in 1999 and in 2021 we", {Label.DATE, Label.PHONE}),
    # An order, invoice or ticket number is a reference (issue 13: a generic ID), never a
    # phone, a card or a national ID number that merely has the same shape.
    ("order 4155552671 shipped", {Label.PHONE, Label.CARD}),
    ("order number 4111111111111111 shipped", {Label.CARD}),
    ("invoice 536-90-1234", {Label.PHONE}),
    ("ticket 536901234 closed", {Label.PHONE}),
    ("plain 111222333 digits", {Label.ID}),
    ("plain 44051401359 digits", {Label.ID}),
    ("card 4111 1111 1111 1112 bad luhn", {Label.CARD}),
    ("card 1234 5678 9012 3452 no brand", {Label.CARD}),
    ("IBAN DE89 3704 0044 0532 0130 01 bad", {Label.IBAN}),
    ("SSN 000-12-3456 and 666-12-3456", {Label.ID}),
    ("NINO QQ 12 34 56 E", {Label.ID}),
    ("NINO BG 12 34 56 A", {Label.ID}),
    ("DNI 54362315-Z", {Label.ID}),
    ("server 999.1.1.1 and 10:30:45", {Label.IP}),
    ("score 3.14159 and 1,000,000", {Label.PHONE, Label.DATE, Label.CARD}),
    ("I may 2 go. Sun, August", {Label.DATE}),
    ("on 32/13/2021 or 2021-13-45", {Label.DATE}),
    ("ada@example.org", {Label.HANDLE, Label.URL}),
    ("Node.js and file.txt", {Label.URL}),
    ("Chapter 3, 12, 14", {Label.AGE}),
    ("it is 2019 years old", {Label.AGE}),
]


@pytest.mark.parametrize(("text", "labels"), NEGATIVES, ids=[t[:24] for t, _ in NEGATIVES])
def test_patterns_rejects(detector: PatternDetector, text: str, labels: set[Label]) -> None:
    bad = [(s, s.text(text)) for s in _found(detector, text) if s.label in labels]
    assert bad == []


def test_patterns_date_not_phone(detector: PatternDetector) -> None:
    text = "on 12.03.2021 and 12/03/2021"
    assert {s.label for s in _found(detector, text)} == {Label.DATE}


def test_patterns_handle_not_inside_email(detector: PatternDetector) -> None:
    text = "mail jane@example.org or @jane"
    spans = _found(detector, text)
    assert [(s.label, s.text(text)) for s in spans] == [
        (Label.EMAIL, "jane@example.org"),
        (Label.HANDLE, "@jane"),
    ]


def test_patterns_spans_never_overlap_and_are_sorted(detector: PatternDetector) -> None:
    text = (
        "John Smith, 68, lives at 12 Baker Street, born 12 March 1955; call +44 20 7946 0958 "
        "or mail john@example.org (https://example.org/john) IBAN GB82WEST12345698765432."
    )
    spans = _found(detector, text)
    assert len(spans) >= 7
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start


def test_patterns_overlap_longer_wins(detector: PatternDetector) -> None:
    # The e-mail contains a bare domain (a URL candidate): the longer e-mail wins.
    text = "x jane@example.org y"
    assert [s.label for s in _found(detector, text)] == [Label.EMAIL]


def test_patterns_label_priority_is_total() -> None:
    assert len(set(LABEL_PRIORITY)) == len(LABEL_PRIORITY)


def test_patterns_unknown_phone_region_is_config_error() -> None:
    from dataclasses import replace

    with pytest.raises(ConfigError):
        PatternDetector(replace(preset("pii"), phone_regions=("XX",)))


def test_patterns_regions_enable_national_formats() -> None:
    from dataclasses import replace

    text = "Bureau 01 42 68 53 00 Paris"
    us_only = PatternDetector(replace(preset("pii"), phone_regions=("US",)))
    fr = PatternDetector(replace(preset("pii"), phone_regions=("FR",)))
    assert _surfaces(fr, text, Label.PHONE) == ["01 42 68 53 00"]
    assert _surfaces(us_only, text, Label.PHONE) == []


def test_patterns_repr_has_no_text(detector: PatternDetector) -> None:
    assert "example" not in repr(detector)


def test_patterns_source_and_scores(detector: PatternDetector) -> None:
    for s in _found(detector, "mail a@example.org, SSN 536-90-1234, 12 March 2021"):
        assert s.source == "patterns"
        assert 0.0 < s.score <= 1.0


# Inputs that make naive expressions backtrack; time must grow roughly linearly.
ADVERSARIAL = {
    "letters": "a",
    "digits": "1",
    "dots": "a.",
    "at": "a@",
    "at-dot": "a@b.",
    "digit-dot": "1.",
    "colons": "1:",
    "hex-colons": "a:",
    "street": "1 Baker ",
    "capitals": "Ab ",
    "iban": "DE89 ",
    "dashes": "1-",
    "obfuscated": "a [at] b [dot] ",
    "www": "www.a",
    "plus": "+1 ",
    "apposition": "Ab, 1, ",
    "months": "March 1 ",
    "slashes": "1/",
    "domains": "ab.",
    "hetu": "131052-",
}


@pytest.mark.parametrize("unit", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_patterns_linear_time(detector: PatternDetector, unit: str) -> None:
    def run(n: int) -> float:
        text = (unit * (n // len(unit) + 1))[:n]
        best = float("inf")
        for _ in range(3):
            # CPU time of this process: other jobs on the machine do not count.
            t0 = time.process_time()
            list(detector.detect(Document("t", text)))
            best = min(best, time.process_time() - t0)
        return best

    # Digit soups go through phonenumbers' own matcher (linear but ~100 us/char): keep them short.
    base = 800 if unit in ("1/", "1.", "1:") else 2_500
    small, large = run(base), run(4 * base)
    # 4x the input: linear means ~4x the time, quadratic ~16x, catastrophic backtracking
    # far more. The margin and the constant absorb noise on a busy machine.
    assert large < 10 * small + 0.05, (small, large)
