"""The context detector: titles, roles, ages, citations, credits, case names, e-mail owners."""

from __future__ import annotations

import pytest

from veil.detect.context import ContextDetector
from veil.model import Document


def _found(text: str) -> list[tuple[str, str]]:
    return sorted({(text[s.start : s.end], s.source) for s in ContextDetector().detect(Document("d", text))})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russian Foreign Minister Sergei Orlov said",
            [("Sergei Orlov", "context"), ("Sergei Orlov", "context.speech")],
        ),
        ("said military analyst Pavel Orlov in Moscow", [("Pavel Orlov", "context")]),
        ("The mayor of Kherson, Ihor Kolesnyk, said", [("Ihor Kolesnyk", "context")]),
        ("said Dmytro Vasylenko, 68, on Monday", [("Dmytro Vasylenko", "context")]),
        ("Brock Holt (born June 11, 1988) is a player", [("Brock Holt", "context")]),
        ("as shown by Bavelier (2012) and others", [("Bavelier", "context.cite")]),
        (
            "(Feng, Spence, & Pratt, 2007)",
            [("Feng", "context.cite"), ("Pratt", "context.cite"), ("Spence", "context.cite")],
        ),
        ("Image: NASA Bill Ingalls.", [("Bill Ingalls", "context.cite")]),
        ("in Lynch v. Overholser this Court", [("Lynch", "context.cite"), ("Overholser", "context.cite")]),
        ("Netherlands Lotte Wilms lotte.wilms@kb.nl Library", [("Lotte Wilms", "context")]),
        ("Valeska Orlova, an Australian woman and former member", [("Valeska Orlova", "context")]),
        ("influenced by Ihara Saikaku, a 17th-century writer, whose", [("Ihara Saikaku", "context")]),
        ("met Kolesnyk, the former mayor of Kherson.", [("Kolesnyk", "context")]),
    ],
    ids=[
        "title",
        "role",
        "role-of-place",
        "age",
        "born",
        "citation",
        "citation-list",
        "credit",
        "case",
        "email-owner",
        "apposition-person-noun",
        "apposition-role",
        "apposition-the-role",
    ],
)
def test_context_finds_person_evidence(text, expected):
    assert _found(text) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Pittsburgh Pirates (2012)\n\nHe played",
        "In The Philosophy of Grammar (1924) he wrote",
        "Image: Twitter / Public Domain",
        "The Health Ministry said on Monday",
        "Mariupol Mayor XXX said the attacks",
        "They toured Kherson, a city whose mayor resigned.",
        "The buyer is Globex, the company's owner, and",
        "misguided decision. However, the JSC will receive pilot and command trainers",
        "a kid from Brooklyn, the son of a plumber,",
        "Germany, a member of NATO, said",
        "Toyota, a leader in hybrids, and",
    ],
    ids=[
        "heading",
        "work-title",
        "platform-credit",
        "org-speaker",
        "masked-name",
        "apposition-clause",
        "apposition-possessive",
        "apposition-verb",
        "apposition-after-from",
        "apposition-country-member",
        "apposition-company-leader",
    ],
)
def test_context_negative_cases(text):
    assert [s for s, src in _found(text) if src != "context.speech"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana Ruiz met the press.", [("Ana Ruiz", "names")]),
        ("He read The Sydney Morning Herald daily.", []),
        ("Fans of the St. Louis Cardinals cheered.", []),
        ("They sailed the Ross Sea.", []),
    ],
    ids=["given-surname", "longer-proper-noun", "preceded-by-capital", "place-word"],
)
def test_context_given_name_followed_by_surname(text, expected):
    assert [x for x in _found(text) if x[1] == "names"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He starred in Brideshead Revisited (2008) and more.", []),
        ("as argued by De Certeau (1984) in his book", [("Certeau", "context.cite")]),
    ],
    ids=["film-title", "particle-surname"],
)
def test_context_citation_inside_longer_title(text, expected):
    assert [x for x in _found(text) if x[1].startswith("context.cite")] == expected


def _persons(text: str) -> set[str]:
    return {
        text[s.start : s.end] for s in ContextDetector().detect(Document("d", text)) if s.source == "context"
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("From: <marek.tollefsen@bright.example>\n\nThe parcel never came.\nTollefsen", {"Tollefsen"}),
        ("reporter: d.okafor@mailbox.example\nOkafor says the total is wrong.", {"Okafor"}),
        ("Hi team, Dufresne (dufresne@atelier.example) is out; ask later.", {"Dufresne"}),
        ("cc: rhona.mcvey@glen.example\nRhona, see below. Mcvey approved it.", {"Rhona", "Mcvey"}),
        ("Sent by haddad.y@ship.example. HADDAD has not confirmed.", {"HADDAD"}),
    ],
    ids=["signature", "initial-dot-surname", "single-part", "first-and-last", "all-caps"],
)
def test_context_address_local_part_names_a_person(text, expected):
    assert expected <= _persons(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Write to support@shop.example. Support is closed on Sunday.", "Support"),
        ("Mail sales@acme.example today. Sales rose; sales fell.", "Sales"),
        ("Tourist Information (Turismo Merida), email: turismo@merida.example.", "Turismo"),
        ("Contact kestrel@birds.example. A kestrel hovered. Kestrel numbers fell.", "Kestrel"),
        ("Ask at ana.ruiz@corp.example about Corp pricing.", "Corp"),
    ],
    ids=["mailbox-word", "mailbox-plural", "longer-proper-name", "ordinary-word", "domain"],
)
def test_context_address_local_part_controls(text, absent):
    assert absent not in _persons(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Asked about the delay, Whitcombe blamed the supplier.", "Whitcombe"),
        ("Kettleby apologised to the committee.", "Kettleby"),
        ("Later, Marrowby conceded the point.", "Marrowby"),
    ],
    ids=["blamed", "apologised", "conceded"],
)
def test_context_speech_act_verbs_mark_their_subject(text, name):
    assert (name, "context.speech") in _found(text)


def _cited(text: str) -> set[str]:
    return {
        text[s.start : s.end]
        for s in ContextDetector().detect(Document("d", text))
        if s.source.startswith("context.cite")
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Reading list\n\nHalloran, Jack. White Fang\n\nMcAvoy, Thomas Henry. History",
            {"Halloran", "McAvoy"},
        ),
        ("Marsh, Karen and Dunmore, Paul. The Manifesto (1848)", {"Marsh", "Dunmore"}),
        ("Okafor, D. (2019). Notes on trade.", {"Okafor"}),
        ("From: Greer, Andrew <a.greer@example.org>", {"Greer", "Andrew"}),
    ],
    ids=["reading-list", "after-and", "initials", "mail-header"],
)
def test_context_family_name_first(text, expected):
    assert expected <= _cited(text)


@pytest.mark.parametrize(
    "text",
    [
        "Yesterday, Mark said he would come.",
        "Relatedly, Sharon Hale, for example, argues more.",
        "However, Rose.",
        "Peterson, C.; Matthews, M. D.",
    ],
    ids=["adverb-then-speech", "ly-adverb", "function-word", "initials-not-masked-alone"],
)
def test_context_family_name_first_controls(text):
    found = _cited(text)
    assert not found & {"Yesterday", "Relatedly", "However", "C.", "M. D."}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('Ekaterina "Katya" Sorokina spoke first.', 'Ekaterina "Katya" Sorokina'),
        ("Tobias ('Tobi') Wrenfield signed.", "Tobias ('Tobi') Wrenfield"),
        ("Jungwook “Wookie” Parkson argued.", "Jungwook “Wookie” Parkson"),
    ],
    ids=["double-quotes", "parenthesised", "curly-quotes"],
)
def test_context_quoted_nickname_inside_a_name(text, name):
    assert name in _persons(text)


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("with illustrator Johnnie Christmas at the stand", "Johnnie Christmas", True),
        ("polaroids of fashion designer Halston, a resident", "Halston", True),
        ("the tenant Olek Brandt paid late", "Olek Brandt", True),
        ("the six-member Afghan team won", "Afghan", False),
        ("an all-girl Afghan team won", "Afghan", False),
    ],
    ids=["illustrator", "designer", "party-role", "body-role", "hyphenated-compound"],
)
def test_context_role_nouns_before_a_name(text, name, expected):
    assert (name in _persons(text)) is expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi Ottoline,\n\nsee the thread below.", "Ottoline"),
        ("Dear Ms Quennell:\nThank you for the letter.", "Quennell"),
        ("The draft is late.\n\nBest,\nKasimir", "Kasimir"),
        ("Noted.\nKind regards,\n\nMirela Dunne", "Mirela Dunne"),
        ("cc: rhona.mcvane@glen.example\nMcVane approved it.", "McVane"),
    ],
    ids=["greeting", "dear-title", "sign-off", "sign-off-full-name", "mixed-case-address-name"],
)
def test_context_letter_names(text, name):
    assert name in _persons(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Hi All,\nthe build is green.", "All"),
        ("Thanks Everyone\nfor coming.", "Everyone"),
        ("Dear Customer,\nyour order shipped.", "Customer"),
        ("Regards,\nThe Team", "Team"),
    ],
    ids=["all", "everyone", "role-noun", "team"],
)
def test_context_letter_name_controls(text, word):
    assert not any(word in p for p in _persons(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ewart Pell called. PELL, EWART is the account holder.", {"PELL", "EWART"}),
        ("Account: HOLLOWAY, MARGARET (joint)", {"HOLLOWAY", "MARGARET"}),
    ],
    ids=["paired-in-text", "known-first-name"],
)
def test_context_family_name_first_in_capitals(text, expected):
    assert expected <= _cited(text)


def test_context_family_name_first_in_capitals_control():
    assert not _cited("WARNING, DANGER: HIGH VOLTAGE")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("discrimination (see also, Gibbard et al. [4]). The study", {"Gibbard"}),
        ("as Kovalik and Lund et al. showed", {"Kovalik", "Lund"}),
        ("Christabel, Agatha. The Mysterious Affair\n", {"Christabel"}),
        ("Marx, Karl and Engelbert, Friedrich. The Manifesto\n", {"Engelbert"}),
        ("across two lines (Domínguez Caparrós, 2000: 103), giving", {"Domínguez Caparrós"}),
    ],
    ids=[
        "et-al-without-year",
        "two-authors-et-al",
        "foreign-given-name",
        "after-and-foreign",
        "two-word-surname",
    ],
)
def test_context_citation_shapes(text, expected):
    assert expected <= _cited(text)


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("in favour of Peter the Great, and against", "Peter", True),
        ("Pliny the Elder wrote it down.", "Pliny", True),
        ("The Great Gatsby and the Great War", "Gatsby", False),
    ],
    ids=["great", "elder", "not-an-epithet"],
)
def test_context_epithets(text, name, expected):
    assert (name in _persons(text)) is expected


def test_context_family_name_first_place_and_state_control():
    assert not _cited("Evansville, Indiana, United States - This week")


def test_context_title_before_year_is_not_an_author():
    assert not _cited("He starred in Brideshead Revisited (2008) and more.")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sonnets\n\nPaloma Ruiz Fabre\n\npalomaruizfabre@mail.example\n\nLab", "Paloma Ruiz Fabre"),
        ("Marek Tollan\n<m.tollan@firm.example>", "Marek Tollan"),
    ],
    ids=["blank-line-between", "next-line"],
)
def test_context_name_above_an_address_built_from_it(text, name):
    assert name in _persons(text)


def test_context_family_name_first_in_capitals_address_control():
    assert not _cited("ADDRESS: 14 MILL LANE, ASHBY\nCITY: LEEDS")


def test_context_two_word_surname_in_parentheses_is_a_clear_citation():
    text = "across two lines (Domínguez Caparrós, 2000: 103), giving"
    assert ("Domínguez Caparrós", "context.cite") in _found(text)


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Understand that Newtonby’s concept of gravity is old.", "Newtonby", True),
        ("from the study of empathy to Freudenthal's libido, to", "Freudenthal", True),
        ("Kuhnert's famous theory of revolutions", "Kuhnert", True),
        ("London's population grew.", "London", False),
        ("The company's theory of change", "The", False),
    ],
    ids=["concept", "libido", "adjective-then-idea", "place-with-other-noun", "function-word"],
)
def test_context_authors_ideas(text, name, expected):
    assert (name in _cited(text)) is expected
