"""Controls (issue 11, blind set): places, venues, brands and labels that look like people.

Spans are built by hand (NER as ``Evidence.MODEL``), so each test pins the resolver's rule,
not a model's guess. Every name is invented.
"""

from __future__ import annotations

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver
from veil.resolve._normalise import speech_subject


def _span(text: str, surface: str, label: Label = Label.PERSON, evidence: Evidence = Evidence.MODEL) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface), label, "ner", 1.0, evidence)


def _resolve(text: str, spans: list[Span]) -> Document:
    policy = preset("pii").narrowed(["PERSON"])
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _touched(doc: Document, surface: str) -> bool:
    start = doc.text.index(surface)
    end = start + len(surface)
    return any(m.start < end and start < m.end for e in doc.entities for m in e.mentions)


def _person(text: str, surface: str) -> bool:
    return _touched(_resolve(text, [_span(text, surface)]), surface)


# -- names ending in a place-type noun -------------------------------------------------------


def test_venues_house_number_makes_a_street():
    assert not _person("Please knock at 14 Harriet Close after six.", "Harriet Close")


def test_venues_same_name_without_place_evidence_stays_a_person():
    assert _person("Harriet Close signed the tenancy on Monday.", "Harriet Close")


def test_venues_field_label_of_its_kind_makes_a_ward():
    assert not _person("Ward: Ivy Ward (Respiratory)\nBed 4, stable overnight.", "Ivy Ward")


def test_venues_noun_used_alone_elsewhere_makes_a_ward():
    text = "Staff Nurse post on Juniper Ward. Visits welcome, ask the Ward Sister."
    assert not _person(text, "Juniper Ward")


def test_venues_determiner_makes_a_garden_or_lounge():
    assert not _person("We had tea in the Daisy Tremont Lounge by the pool.", "Daisy Tremont Lounge")
    assert not _person("The Lily Fenwick Garden closes early on Sundays.", "Lily Fenwick Garden")


def test_venues_street_naming_title_before_a_place_noun():
    text = "The parade passes Queen Street and Duchess Way on Saturday."
    doc = _resolve(text, [_span(text, "Way", evidence=Evidence.PERSON_CONTEXT)])
    assert not _touched(doc, "Way")


def test_venues_honorific_before_a_place_noun_stays_a_person():
    text = "The form was signed by Mrs Way on Saturday."
    doc = _resolve(text, [_span(text, "Way", evidence=Evidence.PERSON_CONTEXT)])
    assert _touched(doc, "Way")


# -- brands and tools --------------------------------------------------------------------------


def test_venues_unknown_word_after_determiner_is_a_thing():
    assert not _person("what about the Zorbix by the bridge", "Zorbix")


def test_venues_unknown_word_without_determiner_stays_a_person():
    assert _person("pinging Zorbix about it now", "Zorbix")


def test_venues_model_person_in_a_list_of_organisations():
    text = "Skills: Kafka, Quarkus, Brennix, Terraform and Vault."
    spans = [_span(text, n, Label.ORG) for n in ("Quarkus", "Terraform", "Vault")] + [_span(text, "Brennix")]
    assert not _touched(_resolve(text, spans), "Brennix")


def test_venues_model_person_beside_one_organisation_stays_a_person():
    text = "Thanks to Quarkus and Brennix for the help."
    spans = [_span(text, "Quarkus", Label.ORG), _span(text, "Brennix")]
    assert _touched(_resolve(text, spans), "Brennix")


# -- spans the normaliser must not turn into names ------------------------------------------------


def test_venues_code_inside_a_model_person_span_leaves_no_name():
    text = "Driver: Van 7 (Reg QZ21 HMV)\nDelivered to the depot."
    doc = _resolve(text, [_span(text, "Reg QZ21 HMV")])
    assert not doc.entities


def test_venues_ampersand_keeps_a_firm_whole():
    text = "A wander round Hollis & Spencer and then home."
    doc = _resolve(text, [_span(text, "Hollis & Spencer", Label.ORG)])
    assert not _touched(doc, "Spencer")


def test_venues_possessive_determiner_opens_no_name():
    text = "Q. Who saw you?\nA. My Neighbour. And the dog.\nQ. Anyone else?"
    doc = _resolve(text, [_span(text, "A. My Neighbour")])
    assert not doc.entities


def test_venues_frequent_word_is_no_speech_subject():
    text = "Work notes: power cycled. Brannoc notes: done."
    work, other = text.index("Work"), text.index("Brannoc")
    assert not speech_subject(text, work, work + len("Work"))
    assert speech_subject(text, other, other + len("Brannoc"))


def test_venues_surname_qualifying_a_noun_is_no_place_evidence():
    text = "We interviewed Dorian Hill about his plans.\n\nWhat would a Hill presidency change?"
    assert _person(text, "Dorian Hill")
    text = "The realism that Street has in mind, says Marion Street, is robust."
    assert _person(text, "Marion Street")


def test_venues_surname_in_a_list_of_people_stays_a_person():
    text = "Painters such as Ansel Brodie, Chuck Close, Walker Penn and Rhoda Vance."
    spans = [_span(text, n) for n in ("Ansel Brodie", "Walker Penn", "Rhoda Vance")]
    spans.append(_span(text, "Chuck Close", Label.ORG))
    assert _touched(_resolve(text, spans), "Chuck Close")


def test_venues_surname_qualifying_a_noun_after_a_determiner_stays_a_person():
    assert _person("I read the Brackenbury report twice.", "Brackenbury")


def test_venues_plural_of_a_known_name_after_a_determiner_stays_a_family():
    assert _person("we met the Johnsons by the pool", "Johnsons")


def test_venues_word_after_a_title_and_of_is_its_place():
    assert not _person("Funding came from the Bishop of Quenby's office.", "Quenby")


def test_venues_word_after_a_title_alone_stays_a_person():
    assert _person("Funding came from Bishop Quenby last week.", "Quenby")


def test_venues_review_party_label_names_nobody():
    text = "Annual review. Reviewee: Tobiah Quarrington. Reviewer: Lise Marr."
    doc = _resolve(text, [_span(text, "Reviewee"), _span(text, "Tobiah Quarrington")])
    assert not _touched(doc, "Reviewee")


def test_venues_weekday_abbreviation_is_no_name():
    text = "- Sunil to finish load tests by Fri\n- KW to book room"
    assert not _person(text, "Fri")
