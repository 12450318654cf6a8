"""Issue 11, blind set: person spans that spill past the name onto chat words, form columns,
field labels and contractions, and lower-case verbs taken for a name. Every name is invented.
"""

from __future__ import annotations

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _span(text: str, surface: str, label: Label = Label.PERSON) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface), label, "ner", 1.0, Evidence.MODEL)


def _surfaces(text: str, spans: list[Span]) -> list[str]:
    policy = preset("pii").narrowed(["PERSON"])
    doc = NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))
    return sorted(text[m.start : m.end] for e in doc.entities for m in e.mentions)


def test_control_spans_chat_words_after_a_name_are_trimmed():
    text = "collection only from the shed. I'm Torvald btw\nok and Jessamy ur dad called"
    spans = [_span(text, "Torvald btw"), _span(text, "Jessamy ur dad")]
    assert _surfaces(text, spans) == ["Jessamy", "Torvald"]


def test_control_spans_particle_inside_a_name_stays():
    text = "A letter from Ludmila van Oosterbeek arrived today."
    assert _surfaces(text, [_span(text, "Ludmila van Oosterbeek")]) == ["Ludmila van Oosterbeek"]


def test_control_spans_contraction_before_a_name_does_not_join():
    text = "great, I'm Wenzeslava, can I pick it up?"
    assert _surfaces(text, [_span(text, "Wenzeslava")]) == ["Wenzeslava"]


def test_control_spans_wide_gap_to_a_field_label_is_cut():
    text = "Signed: T. Abernathy-Quist   Witnessed: PC 4471"
    assert _surfaces(text, [_span(text, "T. Abernathy-Quist   Witnessed")]) == ["T. Abernathy-Quist"]


def test_control_spans_tab_to_a_field_label_is_cut():
    text = "Signed: T. Abernathy-Quist\tWitnessed: PC 4471"
    assert _surfaces(text, [_span(text, "T. Abernathy-Quist\tWitnessed")]) == ["T. Abernathy-Quist"]


def test_control_spans_label_with_a_note_after_a_line_break_is_cut():
    text = "Reporter: Ottilie Varga\nComment (ov): fixed on staging."
    assert _surfaces(text, [_span(text, "Ottilie Varga\nComment")]) == ["Ottilie Varga"]


def test_control_spans_lower_case_verb_after_a_pronoun_is_no_name():
    text = "I have known Will Brackenbury for years. I will say he was sober."
    assert _surfaces(text, [_span(text, "Will Brackenbury")]) == ["Will Brackenbury"]


def test_control_spans_name_words_with_inner_capitals_or_no_case_stay():
    text = "Solutions by Jorin le Rond d'Avelard and by Sikang Tu 司空图 were cited."
    spans = [_span(text, "Jorin le Rond d'Avelard"), _span(text, "Sikang Tu 司空图")]
    assert _surfaces(text, spans) == ["Jorin le Rond d'Avelard", "Sikang Tu 司空图"]


def test_control_spans_role_noun_before_a_title_does_not_join():
    text = "Present: DC Ione Prewett, Solicitor Ms Fenella Dworkin (FD)"
    spans = [_span(text, "Ione Prewett"), _span(text, "Ms Fenella Dworkin")]
    assert "Ms Fenella Dworkin" in _surfaces(text, spans)
