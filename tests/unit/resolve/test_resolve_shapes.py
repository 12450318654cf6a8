"""Issue 11: names in every shape — addresses, lone surnames, linking, false people.

Spans are built by hand (NER as ``Evidence.MODEL``), so each test pins the resolver's rule,
not a model's guess. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _at(text: str, surface: str, nth: int = 0) -> int:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start


def _span(text: str, surface: str, label: Label = Label.PERSON, nth: int = 0, **kw: object) -> Span:
    start = _at(text, surface, nth)
    evidence = kw.get("evidence", Evidence.MODEL)
    source = str(kw.get("source", "ner"))
    return Span(start, start + len(surface), label, source, 1.0, evidence)  # type: ignore[arg-type]


def _resolve(text: str, spans: list[Span], labels: tuple[str, ...] = ("PERSON",)) -> Document:
    policy = preset("pii").narrowed(list(labels))
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _masked(doc: Document) -> set[tuple[int, int]]:
    return {(m.start, m.end) for e in doc.entities for m in e.mentions}


def _covered(doc: Document, surface: str, nth: int = 0, *, last: bool = False) -> bool:
    start = doc.text.rindex(surface) if last else _at(doc.text, surface, nth)
    return any(m.start <= start and start + len(surface) <= m.end for e in doc.entities for m in e.mentions)


# -- a surname inside an e-mail address is not an ordinary lower-case word ----------------


@pytest.mark.parametrize(
    ("text", "full", "address", "later"),
    [
        (
            "Jana Dorn emailed jana.dorn@corp.example about it. Dorn said thanks.",
            "Jana Dorn",
            "jana.dorn@corp.example",
            "Dorn",
        ),
        (
            "Per Vikstrom wrote (p.vikstrom@mail.example). Vikstrom asked again.",
            "Per Vikstrom",
            "p.vikstrom@mail.example",
            "Vikstrom",
        ),
        (
            "Ask Olu Bamgbose, bamgbose_o@firm.example.\nBamgbose handles refunds.",
            "Olu Bamgbose",
            "bamgbose_o@firm.example",
            "Bamgbose",
        ),
        (
            "Lena Marsk posted at https://blog.example/marsk/notes today. Marsk agreed.",
            "Lena Marsk",
            "https://blog.example/marsk/notes",
            "Marsk",
        ),
    ],
    ids=["dotted-local-part", "initial-local-part", "underscore", "url-path"],
)
def test_resolve_surname_in_address_still_propagates(text, full, address, later):
    label = Label.URL if address.startswith("http") else Label.EMAIL
    doc = _resolve(
        text,
        [_span(text, full), _span(text, address, label, source="patterns", evidence=Evidence.NONE)],
        labels=("PERSON", label.value),
    )
    assert _covered(doc, later, last=True)


@pytest.mark.parametrize(
    "text",
    [
        "Hope Castillo arrived. Hope is all we have, said the mayor, and hope is cheap.",
        "Mark Ruddle signed. Mark the form as done; mark it twice.",
    ],
    ids=["hope", "mark"],
)
def test_resolve_common_word_at_sentence_start_is_not_propagated(text):
    first = text.split()[0]
    doc = _resolve(text, [_span(text, text.split(".")[0].replace(" arrived", "").replace(" signed", ""))])
    assert not _covered(doc, first, nth=1)


# -- a lone surname before a speech verb; organisations before the same verbs stay ORG ------


def _speech(text: str, surface: str) -> Span:
    return _span(text, surface, source="context.speech", evidence=Evidence.SPEECH)


@pytest.mark.parametrize(
    ("text", "name", "model_label"),
    [
        ("Talks stalled on Friday. Velkov said the West was to blame.", "Velkov", None),
        ("Castellane told reporters the plant would reopen.", "Castellane", None),
        ("Markets fell. Harrington warned that rates could rise.", "Harrington", Label.ORG),
        ("Asked about the delay, Whitcombe blamed the supplier.", "Whitcombe", None),
    ],
    ids=["said", "told-reporters", "known-surname-against-model-org", "blamed"],
)
def test_resolve_lone_surname_before_speech_verb_is_person(text, name, model_label):
    spans = [_speech(text, name)]
    if model_label is not None:
        spans.append(_span(text, name, model_label))
    assert _covered(_resolve(text, spans), name)


@pytest.mark.parametrize(
    ("text", "name", "model_label"),
    [
        ("NATO said the drills would go ahead.", "NATO", Label.ORG),
        ("Vantoria said quarterly sales rose.", "Vantoria", Label.ORG),
        ("The Kremlin said nothing new.", "Kremlin", Label.ORG),
        ("Officials said the road was closed.", "Officials", None),
        ("Brightwell Holdings said profits fell.", "Brightwell Holdings", Label.ORG),
        ("Moscow said the talks had failed.", "Moscow", Label.LOC),
        ("Eastfield said no, and eastfield is a word here.", "Eastfield", None),
    ],
    ids=["acronym", "model-org", "determiner", "plural-role", "org-word", "place", "lower-case-word"],
)
def test_resolve_speech_verb_controls_stay_non_person(text, name, model_label):
    spans = [_speech(text, name)]
    if model_label is not None:
        spans.append(_span(text, name, model_label))
    assert not _covered(_resolve(text, spans), name)


# -- fewer false people: a role noun alone is nobody -----------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Customer says the app crashes on login.", "Customer"),
        ("Driver's licence and proof of address are required.", "Driver"),
        ("Tenants agree to pay the rent monthly.", "Tenants"),
        ("Minutes follow.\nTreasurer's report: the fund is solvent.", "Treasurer"),
        ("Patient denies chest pain.", "Patient"),
    ],
    ids=["says", "possessive", "plural", "line-start", "clinical"],
)
def test_resolve_role_noun_alone_is_not_a_person(text, word):
    assert not _covered(_resolve(text, [_span(text, word)]), word)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Customer Ilse Marrow says the app crashes.", [("Ilse Marrow", Evidence.MODEL)]),
        ("Hunter said the road was closed.", [("Hunter", Evidence.MODEL)]),
        ("Witness, 54, told the court she saw it.", [("Witness", Evidence.PERSON_CONTEXT)]),
    ],
    ids=["name-after-role", "surname-that-is-a-role", "person-context"],
)
def test_resolve_role_noun_controls_stay_people(text, spans):
    doc = _resolve(text, [_span(text, s, evidence=ev) for s, ev in spans])
    assert all(_covered(doc, s) for s, _ in spans)


# -- linking beyond surface forms ---------------------------------------------------------


def _entity_of(doc: Document, surface: str, nth: int = 0) -> str | None:
    start = _at(doc.text, surface, nth)
    for e in doc.entities:
        if any(m.start <= start < m.end for m in e.mentions):
            return e.id
    return None


@pytest.mark.parametrize(
    ("text", "spans", "same"),
    [
        (
            "Present: Anneliese Vorbach (AV), Kari Holmsen.\nAV opened the meeting. AV closed it.",
            ["Anneliese Vorbach", "Kari Holmsen"],
            [("Anneliese Vorbach", 0), ("AV", 1), ("AV", 2)],
        ),
        (
            "Dániel Kovalik arrived late; D.K. signed the minutes.",
            ["Dániel Kovalik"],
            [("Dániel Kovalik", 0), ("D.K.", 0)],
        ),
        (
            "Chair: Jan van der Merwald. JvdM noted the budget.",
            ["Jan van der Merwald"],
            [("Jan van der Merwald", 0), ("JvdM", 0)],
        ),
        (
            "Helga Marie Bollinger-Lund presented. HMBL took questions.",
            ["Helga Marie Bollinger-Lund"],
            [("Helga Marie Bollinger-Lund", 0), ("HMBL", 0)],
        ),
        (
            "Alexander Petrovin, known to everyone as Sasha, arrived. Sasha left early.",
            ["Alexander Petrovin"],
            [("Alexander Petrovin", 0), ("Sasha", 0), ("Sasha", 1)],
        ),
        (
            "Guillermo Orozco, nicknamed Memo, scored twice. Memo celebrated.",
            ["Guillermo Orozco"],
            [("Guillermo Orozco", 0), ("Memo", 0), ("Memo", 1)],
        ),
        (
            'Tobias ("Tobi") Wrenfield signed. Later Tobi called.',
            ['Tobias ("Tobi") Wrenfield'],
            [("Tobias", 0), ("Tobi", 1)],
        ),
        (
            "Our intern is Adebowale Okonjo; he goes by Wale. Wale starts Monday.",
            ["Adebowale Okonjo"],
            [("Adebowale Okonjo", 0), ("Wale", 0), ("Wale", 1)],
        ),
        (
            "Elzbieta Wojcik has worked here since 2011; colleagues call her Ela. Ela agreed.",
            ["Elzbieta Wojcik"],
            [("Elzbieta Wojcik", 0), ("Ela", 0), ("Ela", 1)],
        ),
        (
            "Federico Marchetti (aka Fede) signed; Fede paid the deposit.",
            ["Federico Marchetti"],
            [("Federico Marchetti", 0), ("Fede", 0), ("Fede", 1)],
        ),
    ],
    ids=[
        "defined-in-parentheses",
        "dotted-initials",
        "particle-initials",
        "long-caps",
        "known-as",
        "nicknamed",
        "quoted",
        "goes-by",
        "called-later-in-sentence",
        "aka-in-parentheses",
    ],
)
def test_resolve_aliases_join_their_person(text, spans, same):
    doc = _resolve(text, [_span(text, s) for s in spans])
    ids = {_entity_of(doc, s, nth) for s, nth in same}
    assert len(ids) == 1 and None not in ids


@pytest.mark.parametrize(
    ("text", "spans", "word"),
    [
        ("Anneliese Vorbach met the MS society. MS is a disease.", ["Anneliese Vorbach"], "MS"),
        # Undefined capitals join a person whose initials they are (resolve._initials), but
        # not when two people share those initials.
        (
            "Kari Holmsen and Kurt Hallberg called. KH is not defined here.",
            ["Kari Holmsen", "Kurt Hallberg"],
            "KH",
        ),
        ("Tom Reddick, known as the boss, left. The boss stayed.", ["Tom Reddick"], "boss"),
        ("Maria Ostrova called Hanna about it.", ["Maria Ostrova"], "Hanna"),
    ],
    ids=[
        "unrelated-acronym",
        "undefined-two-capitals-shared",
        "lower-case-nickname",
        "called-is-not-a-nickname",
    ],
)
def test_resolve_alias_controls(text, spans, word):
    doc = _resolve(text, [_span(text, s) for s in spans])
    first = _entity_of(doc, spans[0])
    assert _entity_of(doc, word) != first


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        (
            "ROBERT J. KELLWAY filed it. Robert James Kellway is the claimant.",
            "ROBERT J. KELLWAY",
            "Robert James Kellway",
        ),
        ("R. J. Kellway wrote. Robert James Kellway replied.", "R. J. Kellway", "Robert James Kellway"),
        (
            "Kovács-Szabó Erzsébet chaired. Erzsébet Kovács-Szabó thanked all.",
            "Kovács-Szabó Erzsébet",
            "Erzsébet Kovács-Szabó",
        ),
        ("Marta Ibáñez Ochoa signed. MARTA IBANEZ OCHOA agreed.", "Marta Ibáñez Ochoa", "MARTA IBANEZ OCHOA"),
    ],
    ids=["middle-initial-all-caps", "initials-and-middle-name", "family-name-first", "diacritics"],
)
def test_resolve_links_name_variants(text, a, b):
    doc = _resolve(text, [_span(text, a), _span(text, b)])
    assert _entity_of(doc, a) == _entity_of(doc, b) is not None


@pytest.mark.parametrize(
    ("text", "full", "later"),
    [
        ("Marta Ibáñez signed. Later Ibanez called.", "Marta Ibáñez", "Ibanez"),
        ("Asa Lindstrom wrote. Then Lindström left.", "Asa Lindstrom", "Lindström"),
        ("Lukasz Wrobel came. WRÓBEL agreed.", "Lukasz Wrobel", "WRÓBEL"),
    ],
    ids=["accents-dropped", "accents-added", "all-caps-accented"],
)
def test_resolve_surname_propagates_ignoring_diacritics(text, full, later):
    doc = _resolve(text, [_span(text, full)])
    assert _entity_of(doc, later) == _entity_of(doc, full) is not None


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("Robert J. Kellway and Robert T. Kellway are brothers.", "Robert J. Kellway", "Robert T. Kellway"),
        ("K. Varnai wrote to Janos Varnai.", "K. Varnai", "Janos Varnai"),
    ],
    ids=["different-middle-initials", "different-first-initial"],
)
def test_resolve_name_variant_controls(text, a, b):
    doc = _resolve(text, [_span(text, a), _span(text, b)])
    assert _entity_of(doc, a) != _entity_of(doc, b)


@pytest.mark.parametrize(
    ("text", "person", "as_person", "as_place"),
    [
        (
            "Valeska Paris, an Australian woman, spoke. Paris was born in Geneva. She moved to Paris. Paris claims"
            " more. A portrait of Paris hung in the city of Paris.",
            "Valeska Paris",
            [1, 3, 4],
            [2, 5],
        ),
        (
            "Senator Ida Lincoln spoke. Lincoln said the vote in Lincoln, Nebraska, was close.",
            "Ida Lincoln",
            [1],
            [2],
        ),
    ],
    ids=["paris", "lincoln"],
)
def test_resolve_surname_that_is_a_place_joins_its_person(text, person, as_person, as_place):
    surname = person.split()[-1]
    spans = [_span(text, person, evidence=Evidence.PERSON_CONTEXT)]
    spans += [_span(text, surname, Label.LOC, nth=n) for n in range(1, text.count(surname))]
    doc = _resolve(text, spans, labels=("PERSON", "LOC"))
    owner = _entity_of(doc, person)
    assert all(_entity_of(doc, surname, n) == owner for n in as_person)
    assert all(_entity_of(doc, surname, n) != owner for n in as_place)


def test_resolve_place_surname_needs_a_person_beyond_doubt():
    text = "Biomed Taiwan grew. Taiwan can help, said the minister."
    spans = [
        _span(text, "Biomed Taiwan"),
        _span(text, "Taiwan", Label.LOC, nth=1),
        _span(text, "Taiwan", Label.LOC, nth=1),
    ]
    doc = _resolve(text, spans, labels=("PERSON", "LOC"))
    assert _entity_of(doc, "Taiwan", 1) != _entity_of(doc, "Biomed Taiwan")


def test_resolve_name_made_of_person_words_is_a_person():
    text = "Ewart Pell called. PELL, EWART is the holder."
    spans = [
        _span(text, "Ewart Pell", Label.ORG),
        _span(text, "PELL", evidence=Evidence.CITATION, source="context.cite"),
        _span(text, "EWART", evidence=Evidence.CITATION, source="context.cite"),
    ]
    doc = _resolve(text, spans)
    assert _covered(doc, "Ewart Pell")


@pytest.mark.parametrize(
    ("text", "span", "name", "spill"),
    [
        (
            "Reporter: Kofi Mensah\nDescription: it jams.",
            "Kofi Mensah\nDescription",
            "Kofi Mensah",
            "Description",
        ),
        (
            "Yours,\n\nR. T. Fairbrook\nHead of Lettings",
            "R. T. Fairbrook\nHead of Lettings",
            "R. T. Fairbrook",
            "Head",
        ),
        ("DEFENDANT: LEOPOLD VARNISH\nCASE NO: 2024-1", "LEOPOLD VARNISH\nCASE", "LEOPOLD VARNISH", "CASE"),
        ("Bettina Szalka | Accounts | 555 0100", "Bettina Szalka | Accounts", "Bettina Szalka", "Accounts"),
    ],
    ids=["field-label", "job-title", "caps-field", "bar-separated"],
)
def test_resolve_model_span_spilling_past_a_line_is_cut(text, span, name, spill):
    doc = _resolve(text, [_span(text, span)])
    assert _covered(doc, name)
    assert not _covered(doc, spill)


def test_resolve_spill_control_keeps_a_name_on_the_next_line():
    text = "Signed:\nMarta Quill\nJonas Brandvold"
    doc = _resolve(text, [_span(text, "Marta Quill\nJonas Brandvold")])
    assert _covered(doc, "Jonas Brandvold")


def test_resolve_clinical_abbreviation_is_not_a_person():
    text = "Pt seen with daughter. Pt reports dizziness."
    assert not _covered(_resolve(text, [_span(text, "Pt")]), "Pt")


@pytest.mark.parametrize(
    ("text", "person", "place"),
    [
        ("Jordan Fishwick went fishing in Jordan last spring.", "Jordan Fishwick", "Jordan"),
        ("Austin Pryce and his wife live in Austin, Texas.", "Austin Pryce", "Austin"),
    ],
    ids=["in-place", "place-comma-state"],
)
def test_resolve_first_name_that_is_a_place_stays_the_place(text, person, place):
    spans = [_span(text, person), _span(text, place, Label.LOC, nth=1)]
    doc = _resolve(text, spans, labels=("PERSON", "LOC"))
    assert _entity_of(doc, place, 1) != _entity_of(doc, person)


def test_resolve_first_name_place_control_from_a_person():
    text = "Geri Raebrook sold it. He got this from Geri, and I loved it."
    spans = [_span(text, "Geri Raebrook"), _span(text, "Geri", Label.LOC, nth=1)]
    doc = _resolve(text, spans, labels=("PERSON", "LOC"))
    assert _entity_of(doc, "Geri", 1) == _entity_of(doc, "Geri Raebrook")


@pytest.mark.parametrize(
    ("text", "model_span", "mention"),
    [
        (
            "support ranging from US President Baran Oates to others",
            "Baran Oates",
            "US President Baran Oates",
        ),
        (
            "comments by former Ohio Senator Rick Santoro about it",
            "Rick Santoro",
            "Ohio Senator Rick Santoro",
        ),
        ("the words of the prosecutor, Marco Tedesco, QC, were", "Marco Tedesco", "Marco Tedesco, QC"),
        ("Daniel Bernhold FRS (born 1700) was a mathematician", "Daniel Bernhold", "Daniel Bernhold FRS"),
    ],
    ids=["acronym-before-title", "place-before-title", "postnominal-after-comma", "postnominal"],
)
def test_resolve_mention_takes_qualified_titles_and_postnominals(text, model_span, mention):
    doc = _resolve(text, [_span(text, model_span)])
    assert _at(text, mention) in {m.start for e in doc.entities for m in e.mentions}
    assert _covered(doc, mention)


def test_resolve_qualifier_control_sentence_start():
    text = "Talks ended. Russian officials left. Then President Baran Oates spoke."
    doc = _resolve(text, [_span(text, "Baran Oates")])
    assert not _covered(doc, "Then")


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("Charles Boldwin, NASA Administrator\n\nFile image", "Charles Boldwin", "NASA Administrator"),
        ("Paul Dewhurst, an Ottawa New Democrat MP, said so.", "Paul Dewhurst", "Ottawa New Democrat MP"),
        ("Joe Clarkson, your United States Senator, spoke.", "Joe Clarkson", "United States Senator"),
    ],
    ids=["bare", "article", "possessive"],
)
def test_resolve_appositive_title_is_a_mention(text, name, title):
    doc = _resolve(text, [_span(text, name)])
    assert _entity_of(doc, title) == _entity_of(doc, name) is not None


@pytest.mark.parametrize(
    ("text", "name", "other"),
    [
        ("Ada Quill, Bo Lindqvist and Cy Moro came.", "Ada Quill", "Bo Lindqvist"),
        ("Ada Quill, the Administrator of NASA, came.", "Ada Quill", "NASA"),
    ],
    ids=["list-of-names", "title-not-last"],
)
def test_resolve_appositive_title_controls(text, name, other):
    doc = _resolve(text, [_span(text, name)])
    assert _entity_of(doc, other) != _entity_of(doc, name)


@pytest.mark.parametrize(
    ("text", "people", "others", "expected"),
    [
        (
            "gods such as Zorath, Helvine, Posidor, Amarine, and Atheva.",
            ["Zorath", "Posidor"],
            ["Helvine", "Amarine", "Atheva"],
            True,
        ),
        (
            "firms such as Acmeco, Brightel, Corvant, and Ada Quill.",
            ["Ada Quill"],
            ["Brightel", "Corvant"],
            False,
        ),
    ],
    ids=["two-of-five-people", "one-person-among-orgs"],
)
def test_resolve_coordination_lists(text, people, others, expected):
    spans = [_span(text, p) for p in people] + [_span(text, o, Label.ORG) for o in others]
    doc = _resolve(text, spans)
    assert all(_covered(doc, o) is expected for o in others)
