"""The surrogate operator: consistency per entity, name parts, case, gender and shapes."""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Callable

import pytest
from faker.providers.person.en_US import Provider as US
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from operator_helpers import KEY, target
from stdnum import iban, luhn

from veil.model import Label
from veil.operators import _SUFFIXES, _TITLES, SurrogateOperator

MALE = {n.casefold() for n in US.first_names_male}
FEMALE = {n.casefold() for n in US.first_names_female}
LAST = set(US.last_names)
# Titles and suffixes are kept on purpose ("Dr. Ada Byron" -> "Dr. Mary Smith").
_KEPT_WORDS = _TITLES | _SUFFIXES


@pytest.fixture(scope="module")
def op() -> SurrogateOperator:
    return SurrogateOperator()


@pytest.fixture(scope="module")
def keyed() -> SurrogateOperator:
    return SurrogateOperator(key=KEY)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'-]*", text)


def test_surrogate_consistent_across_calls_and_instances(op: SurrogateOperator) -> None:
    t = target("Volodymyr Zelenskyy")
    first = op.apply(t)
    assert op.apply(t) == first
    assert SurrogateOperator().apply(t) == first
    assert first != t.text


def test_surrogate_key_changes_mapping(op: SurrogateOperator, keyed: SurrogateOperator) -> None:
    names = [f"Person Number{i}" for i in range(20)]
    plain = [op.apply(target(n)) for n in names]
    secret = [keyed.apply(target(n)) for n in names]
    assert plain != secret
    assert secret == [SurrogateOperator(key=KEY).apply(target(n)) for n in names]


def test_surrogate_person_parts_follow_one_fake(op: SurrogateOperator) -> None:
    canonical = "Volodymyr Zelenskyy"
    full = op.apply(target(canonical))
    fake_first, fake_last = full.split()
    assert op.apply(target("Zelenskyy", canonical=canonical, part="last")) == fake_last
    assert op.apply(target("Volodymyr", canonical=canonical, part="first")) == fake_first
    assert (
        op.apply(target("V. Zelenskyy", canonical=canonical, part="other")) == f"{fake_first[0]}. {fake_last}"
    )
    assert op.apply(target("ZELENSKYY", canonical=canonical, part="other")) == fake_last.upper()
    assert op.apply(target("Zelenskyy's", canonical=canonical, part="other")) == f"{fake_last}'s"


@pytest.mark.parametrize(
    ("mention", "shape"),
    [
        ("JOHN SMITH", r"[A-Z]+ [A-Z'-]+"),
        ("J. Varga", r"[A-Z]\. [A-Z][a-z'-]+"),
        ("Dr. Ada Byron", r"Dr\. [A-Z][a-z]+ [A-Z][a-z'-]+"),
        ("Foreign Minister Lavrov", r"Foreign Minister [A-Z][a-z'-]+"),
        ("Mary Ann Evans", r"[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z'-]+"),
    ],
    ids=["all-caps", "initial", "title", "multiword-title", "middle-name"],
)
def test_surrogate_person_keeps_format(op: SurrogateOperator, mention: str, shape: str) -> None:
    out = op.apply(target(mention))
    assert re.fullmatch(shape, out), out
    original = {w.casefold() for w in _words(mention)} - {"dr", "foreign", "minister"}
    assert not original & {w.casefold() for w in _words(out)}


@pytest.mark.parametrize(
    ("first", "names"),
    [("John", MALE), ("Robert", MALE), ("Mary", FEMALE), ("Jennifer", FEMALE)],
    ids=["john", "robert", "mary", "jennifer"],
)
def test_surrogate_person_keeps_gender(op: SurrogateOperator, first: str, names: set[str]) -> None:
    for i in range(15):
        surname = "Testperson" + "abcdefghijklmnopqrstuvwxyz"[i]
        out = op.apply(target(f"{first} {surname}"))
        assert out.split()[0].casefold() in names, out


@pytest.mark.parametrize(
    ("title", "names"), [("Mr.", MALE), ("Mrs.", FEMALE), ("Ms", FEMALE)], ids=["mr", "mrs", "ms"]
)
def test_surrogate_person_gender_from_title(op: SurrogateOperator, title: str, names: set[str]) -> None:
    for i in range(10):
        suffix = "abcdefghijklmnopqrstuvwxyz"[i]
        out = op.apply(target(f"{title} Zqx{suffix} Testperson{suffix}"))
        assert out.split()[1].casefold() in names, out


def test_surrogate_single_name_role(op: SurrogateOperator) -> None:
    assert op.apply(target("Lavrov")) in LAST
    assert op.apply(target("Alice")).casefold() in FEMALE


@pytest.mark.parametrize(
    ("label", "text", "check"),
    [
        (Label.EMAIL, "ada@example.org", lambda o: re.fullmatch(r"[\w.]+@example\.(com|org|net)", o)),
        (Label.PHONE, "+44 20 7946 0958", lambda o: re.fullmatch(r"\+44 \d\d \d{4} \d{4}", o)),
        (Label.PHONE, "(555) 123-4567", lambda o: re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", o)),
        (Label.PHONE, "020 7946 0958", lambda o: re.fullmatch(r"0\d\d \d{4} \d{4}", o)),
        (
            Label.CARD,
            "4111 1111 1111 1111",
            lambda o: re.fullmatch(r"4\d{3}( \d{4}){3}", o) and luhn.is_valid(o.replace(" ", "")),
        ),
        (
            Label.CARD,
            "5500-0000-0000-0004",
            lambda o: re.fullmatch(r"5\d{3}(-\d{4}){3}", o) and luhn.is_valid(o.replace("-", "")),
        ),
        (
            Label.IBAN,
            "GB82 WEST 1234 5698 7654 32",
            lambda o: o.startswith("GB") and len(o) == 27 and iban.is_valid(o),
        ),
        (
            Label.IBAN,
            "DE89370400440532013000",
            lambda o: o.startswith("DE") and len(o) == 22 and iban.is_valid(o),
        ),
        (
            Label.URL,
            "https://www.example.com/foo/bar",
            lambda o: re.fullmatch(r"https://www\.[\w.-]+/\S+", o),
        ),
        (Label.URL, "example.org", lambda o: "://" not in o and "/" not in o),
        (Label.IP, "192.168.1.1", lambda o: ipaddress.ip_address(o).version == 4),
        (Label.IP, "2001:db8::1", lambda o: ipaddress.ip_address(o).version == 6),
        (Label.ID, "123-45-6789", lambda o: re.fullmatch(r"\d{3}-\d\d-\d{4}", o)),
        (Label.ID, "AB123456", lambda o: re.fullmatch(r"[A-Z]{2}\d{6}", o)),
        (Label.HANDLE, "@ada_b", lambda o: o.startswith("@") and len(o) > 1),
        (Label.AGE, "63-year-old", lambda o: re.fullmatch(r"(5[89]|6\d)-year-old", o)),
        (Label.QUANTITY, "1.5 million", lambda o: re.fullmatch(r"\d\.\d million", o)),
        (Label.DATE, "March 3, 2021", lambda o: re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, 2021", o)),
        (Label.DATE, "2021-03-04", lambda o: re.fullmatch(r"2021-\d\d-\d\d", o)),
        (Label.DATE, "3rd March 2021", lambda o: re.fullmatch(r"\d{1,2}(st|nd|rd|th) [A-Z][a-z]+ 2021", o)),
        (Label.DATE, "March 2021", lambda o: re.fullmatch(r"[A-Z][a-z]+ 2021", o)),
        (Label.DATE, "2014", lambda o: re.fullmatch(r"20(09|1\d)", o)),
        (
            Label.DATE,
            "Thursday",
            lambda o: o in {"Monday", "Tuesday", "Wednesday", "Friday", "Saturday", "Sunday"},
        ),
        (Label.DATE, "yesterday", lambda o: o == "[DATE]"),
        (Label.ADDRESS, "12 Baker Street, London", lambda o: re.match(r"\d+ ", o) and "," in o),
        (Label.ORG, "Associated Press", lambda o: len(o) > 2),
        (Label.LOC, "KYIV", lambda o: o.isupper()),
        (Label.NORP, "Ukrainian", lambda o: o == "[NORP_1]"),
    ],
    ids=[
        "email",
        "phone-intl",
        "phone-us",
        "phone-trunk",
        "card-visa",
        "card-dashes",
        "iban-gb",
        "iban-de",
        "url",
        "url-bare",
        "ipv4",
        "ipv6",
        "id-ssn-shape",
        "id-letters",
        "handle",
        "age",
        "quantity",
        "date-written",
        "date-iso",
        "date-ordinal",
        "date-month",
        "date-year",
        "date-weekday",
        "date-unparsable",
        "address",
        "org",
        "loc-caps",
        "norp",
    ],
)
def test_surrogate_shapes(
    op: SurrogateOperator, label: Label, text: str, check: Callable[[str], object]
) -> None:
    out = op.apply(target(text, label))
    assert out != text and text not in out
    assert check(out), out


def test_surrogate_date_stays_in_year(op: SurrogateOperator) -> None:
    for i in range(1, 29):
        out = op.apply(target(f"2019-02-{i:02d}", Label.DATE))
        assert out.startswith("2019-") and out != f"2019-02-{i:02d}"


def test_surrogate_org_acronym(op: SurrogateOperator) -> None:
    fake = op.apply(target("Associated Press", Label.ORG))
    acro = op.apply(target("AP", Label.ORG, canonical="Associated Press"))
    assert acro.isupper() and acro != "AP"
    assert acro == "".join(w[0] for w in fake.split() if w[:1].isalpha()).upper()


def test_surrogate_never_returns_mention(op: SurrogateOperator) -> None:
    # Short and common values collide most easily with a random draw.
    cases = [(Label.ID, "7"), (Label.AGE, "30"), (Label.PHONE, "+1 2"), (Label.PERSON, "Smith")]
    for label, text in cases:
        for i in range(40):
            out = op.apply(target(text, label, key=f"k{i}"))
            assert text.casefold() not in out.casefold()


@pytest.mark.parametrize(
    ("mention", "shape"),
    [("AP", r"[A-Z]{2}"), ("U.N.", r"[A-Z]\.[A-Z]\."), ("KYIV", r"[A-Z][A-Z ,.'-]+")],
    ids=["acronym", "dotted-acronym", "caps-name"],
)
def test_surrogate_acronym_shapes(op: SurrogateOperator, mention: str, shape: str) -> None:
    out = op.apply(target(mention, Label.LOC))
    assert re.fullmatch(shape, out), out
    assert out != mention


def _alpha_words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


def _leaked(original: str, out: str) -> set[str]:
    return {w for w in _alpha_words(original) if len(w) >= 2} & _alpha_words(out)


@pytest.mark.parametrize(
    "mention",
    ["Smith/Jones", "MacDonald-Smith", "O'Brien-Kelly", "J. Smith-Jones", "Anne-Marie Smith", "Smith,Jones"],
    ids=["slash", "hyphen-surname", "apostrophe-hyphen", "initial-hyphen", "hyphen-first", "comma"],
)
def test_surrogate_person_replaces_every_name_part(
    op: SurrogateOperator, keyed: SurrogateOperator, mention: str
) -> None:
    for operator in (op, keyed):
        for number in range(1, 4):
            t = target(mention, key=f"{mention}#{number}", number=number)
            out = operator.apply(t)
            assert not _leaked(mention, out), (mention, out)


def test_surrogate_person_fake_part_never_equals_original_part(op: SurrogateOperator) -> None:
    # The fake the entity key draws first becomes half of the real name ("MacDonald-Smith" ->
    # "Smith"): the operator must notice and draw again.
    key = "zqxwv-testperson"
    fake = op.apply(target("Zqxwv-Testperson", key=key))
    for mention in (f"Zqxwv-{fake}", f"{fake}-Zqxwv", f"Zqxwv/{fake}"):
        out = op.apply(target(mention, key=key))
        assert not _leaked(mention, out), (mention, out)


_NAME_WORD = st.one_of(
    st.sampled_from(sorted(LAST | {n.title() for n in MALE | FEMALE})),
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=8).map(str.title),
).filter(lambda w: w.casefold().rstrip(".") not in _KEPT_WORDS)


@given(
    words=st.lists(_NAME_WORD, min_size=2, max_size=4),
    seps=st.lists(st.sampled_from([" ", "-", "/", "'"]), min_size=3, max_size=3),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_surrogate_person_no_name_part_survives(
    op: SurrogateOperator, words: list[str], seps: list[str]
) -> None:
    mention = words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=False))
    out = op.apply(target(mention))
    assert not _leaked(mention, out), (mention, out)


def test_surrogate_fallback_avoids_mention(op: SurrogateOperator) -> None:
    # No PHONE draw changes "_", and "_" is inside the pseudonym "[PHONE_1]".
    assert "_" not in op.apply(target("_", Label.PHONE))
