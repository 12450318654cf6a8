"""Hypothesis properties of PatternDetector and DenyListDetector.

* every span lies inside the text, on word boundaries, sorted and without overlaps;
* a valid identifier (built by construction, with its check digits) planted in random
  filler is always found, exactly, with the right label.
"""

from __future__ import annotations

import itertools
import string

import phonenumbers
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.es import dni

from veil.config import preset
from veil.detect.lists import DenyListDetector
from veil.detect.patterns import PatternDetector
from veil.model import Document, Label

DETECTOR = PatternDetector(preset("pii"))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# A small alphabet rich in the characters the recognizers care about, to force near-misses.
TRICKY = st.text(alphabet="aZ19 0-./@:+()[],\n#x", max_size=120)


@SETTINGS
@given(TRICKY)
def test_patterns_spans_inside_text_on_word_boundaries(text: str) -> None:
    spans = list(DETECTOR.detect(Document("p", text)))
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert not (s.start > 0 and _is_word(text[s.start - 1]) and _is_word(text[s.start]))
        assert not (s.end < len(text) and _is_word(text[s.end - 1]) and _is_word(text[s.end]))
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start


@SETTINGS
@given(st.text(alphabet="ab .\n", max_size=60), st.lists(st.text(alphabet="ab .", min_size=1, max_size=5)))
def test_lists_spans_inside_text_on_word_boundaries(text: str, deny: list[str]) -> None:
    deny = [d for d in deny if d.strip()]
    det = DenyListDetector(preset("pii").with_lists(deny=deny))
    for s in det.detect(Document("p", text)):
        assert 0 <= s.start < s.end <= len(text)
        assert not (s.start > 0 and _is_word(text[s.start - 1]) and _is_word(text[s.start]))
        assert not (s.end < len(text) and _is_word(text[s.end - 1]) and _is_word(text[s.end]))


@SETTINGS
@given(st.text(alphabet="ab \n", max_size=40), st.text(alphabet="ab", min_size=1, max_size=4))
def test_lists_every_occurrence_is_covered(text: str, term: str) -> None:
    det = DenyListDetector(preset("pii").with_lists(deny=[term]))
    spans = list(det.detect(Document("p", text)))
    lowered, pos = text.lower(), 0
    while (i := lowered.find(term.lower(), pos)) != -1:
        j = i + len(term)
        if not (i > 0 and _is_word(text[i - 1])) and not (j < len(text) and _is_word(text[j])):
            assert any(s.start <= i and j <= s.end for s in spans)
        pos = i + 1


# ---------------------------------------------------------------- planted identifiers

# Filler words: consonants only, so they never spell a keyword that changes a decision
# ("order", "version", "page"...); without m, n and s, which spell identifier abbreviations
# ("mrn 212.200.0000" is a medical record number, rightly an ID, not a phone).
WORD = st.text(alphabet="bcdfghjklqrwxz", min_size=3, max_size=8)
FILLER = st.lists(st.tuples(WORD, st.sampled_from(["", ",", ";", "."])), max_size=6).map(
    lambda ws: " ".join(w + p for w, p in ws)
)
SEP = st.sampled_from(["-", " ", ".", "/", " - ", " . ", "  "])
CARD_SEP = st.sampled_from(["", " ", "-", "."])


@st.composite
def ssn(draw: st.DrawFn) -> str:
    area = draw(st.integers(1, 899).filter(lambda a: a != 666))
    group, serial = draw(st.integers(1, 99)), draw(st.integers(1, 9999))
    sep = draw(SEP)
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


@st.composite
def nino(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from("ABCEGHJKLMNOPRSTWXYZ"))
    second = draw(st.sampled_from("ABCEGHJKLMNPRSTWXYZ"))
    assume(first + second not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
    digits = draw(st.text(alphabet=string.digits, min_size=6, max_size=6))
    sep = draw(st.sampled_from(["", " ", "-", " - ", "."]))
    suffix = draw(st.sampled_from("ABCD"))
    return sep.join([first + second, digits[:2], digits[2:4], digits[4:], suffix])


@st.composite
def german_iban(draw: st.DrawFn) -> str:
    bban = draw(st.text(alphabet=string.digits, min_size=18, max_size=18))
    compact = "DE" + iban.calc_check_digits("DE00" + bban) + bban
    if draw(st.booleans()):
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


@st.composite
def visa(draw: st.DrawFn) -> str:
    body = "4" + draw(st.text(alphabet=string.digits, min_size=14, max_size=14))
    number = body + luhn.calc_check_digit(body)
    sep = draw(CARD_SEP)
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


@st.composite
def spanish_dni(draw: st.DrawFn) -> str:
    digits = f"{draw(st.integers(10_000_000, 99_999_999))}"
    return digits + draw(st.sampled_from(["", "-"])) + dni.calc_check_digit(digits)


@st.composite
def us_phone(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["212", "415", "617", "312", "202", "305", "713", "206"]))
    exchange = f"{draw(st.integers(200, 999))}"
    line = f"{draw(st.integers(0, 9999)):04d}"
    number = phonenumbers.parse(area + exchange + line, "US")
    assume(phonenumbers.is_valid_number(number))
    style = draw(
        st.sampled_from(["({a}) {e}-{l}", "{a}.{e}.{l}", "{a} / {e} . {l}", "{a}-{e}-{l}", "+1 {a} {e} {l}"])
    )
    return style.format(a=area, e=exchange, l=line)


@st.composite
def email(draw: st.DrawFn) -> str:
    local = draw(st.text(alphabet="abcxyz019._", min_size=1, max_size=12).filter(lambda s: s[0].isalnum()))
    domain = draw(st.text(alphabet="abcdef", min_size=2, max_size=8))
    tld = draw(st.sampled_from(["com", "org", "co.uk", "de"]))
    return f"{local}@{domain}.{tld}"


@st.composite
def ipv4(draw: st.DrawFn) -> str:
    return ".".join(str(draw(st.integers(0, 255))) for _ in range(4))


@st.composite
def long_date(draw: st.DrawFn) -> str:
    month = draw(st.sampled_from(["January", "March", "May", "July", "October", "December"]))
    day, year = draw(st.integers(1, 28)), draw(st.integers(1900, 2030))
    return draw(st.sampled_from([f"{day} {month} {year}", f"{month} {day}, {year}"]))


PLANTED = st.one_of(
    ssn().map(lambda v: (v, Label.ID)),
    nino().map(lambda v: (v, Label.ID)),
    spanish_dni().map(lambda v: (v, Label.ID)),
    german_iban().map(lambda v: (v, Label.IBAN)),
    visa().map(lambda v: (v, Label.CARD)),
    us_phone().map(lambda v: (v, Label.PHONE)),
    email().map(lambda v: (v, Label.EMAIL)),
    ipv4().map(lambda v: (v, Label.IP)),
    long_date().map(lambda v: (v, Label.DATE)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILLER, PLANTED, FILLER)
def test_patterns_planted_identifier_is_found(before: str, planted: tuple[str, Label], after: str) -> None:
    value, label = planted
    text = f"{before} {value} {after}".strip() + "\n"
    start = text.index(value)
    found = [(s.start, s.end, s.label) for s in DETECTOR.detect(Document("p", text))]
    assert (start, start + len(value), label) in found, (label.value, len(value), found)
