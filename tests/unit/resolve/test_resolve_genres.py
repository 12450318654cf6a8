"""Names in letters, tickets, transcripts and mail headers: short forms of a first name,
user names, sign-offs, answer markers and opening words. Every name is invented.

Spans are built by hand (NER as ``Evidence.MODEL``) so each test pins a rule, not a model.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.context import ContextDetector
from veil.detect.lexicon import used_in_lower_case
from veil.embedded import mask_embedded_names
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _span(text: str, surface: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(start, start + len(surface), Label.PERSON, "ner", 1.0, Evidence.MODEL)


def _resolve(text: str, spans: list[Span]) -> Document:
    return NameResolver(preset("pii").narrowed(["PERSON"])).resolve(Document("d", text, spans=tuple(spans)))


def _mentions(doc: Document) -> dict[str, set[str]]:
    return {e.id: {doc.text[m.start : m.end] for m in e.mentions} for e in doc.entities}


# -- short forms of a first name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "full", "short"),
    [
        ("On Monday Ravindra Pillai wrote to us.\nRavi - the room is ready.", "Ravindra Pillai", "Ravi"),
        ("Theodora Vance chaired the panel. Later Theo thanked the speakers.", "Theodora Vance", "Theo"),
        ("William Oduya signed first. Then Bill read the minutes aloud.", "William Oduya", "Bill"),
    ],
    ids=["clipped", "clipped-two", "nicknames-dataset"],
)
def test_resolve_short_form_of_first_name_joins_the_person(text: str, full: str, short: str) -> None:
    doc = _resolve(text, [_span(text, full)])
    assert any({full, short} <= forms for forms in _mentions(doc).values())


def test_resolve_short_form_found_alone_moves_into_the_person() -> None:
    text = "Robert Quillan opened. Bob said the budget was fine."
    doc = _resolve(text, [_span(text, "Robert Quillan"), _span(text, "Bob")])
    assert {"Robert Quillan", "Bob"} in list(_mentions(doc).values())


@pytest.mark.parametrize(
    ("text", "full", "word"),
    [
        ("Patricia Gomez will speak. Give the dog a pat. Pat is late.", "Patricia Gomez", "Pat"),
        ("Alexander Brandt met Alexandra Lee. Alex waved.", "Alexander Brandt", "Alex"),
        ("Theodora Vance left. The rest stayed.", "Theodora Vance", "The"),
    ],
    ids=["used-in-lower-case", "two-people-could-be-meant", "function-word"],
)
def test_resolve_short_form_controls(text: str, full: str, word: str) -> None:
    spans = [_span(text, full)]
    if "Alexandra Lee" in text:
        spans.append(_span(text, "Alexandra Lee"))
    doc = _resolve(text, spans)
    at = text.rindex(word)
    assert not any(m.start <= at < m.end for e in doc.entities for m in e.mentions)


# -- a user name made of an initial and a surname ------------------------------------------


def test_embedded_user_name_of_a_known_person_is_masked() -> None:
    text = "Ticket from ftembo-hale: export fails. Farida Tembo-Hale says it began Monday."
    doc = _resolve(text, [_span(text, "Farida Tembo-Hale")])
    doc = mask_embedded_names(doc)
    at = text.index("ftembo-hale")
    assert any(m.start == at and m.end == at + len("ftembo-hale") for e in doc.entities for m in e.mentions)


def test_embedded_user_name_needs_the_persons_initial() -> None:
    text = "Tom Pike joined. The spike in errors began at noon."
    doc = mask_embedded_names(_resolve(text, [_span(text, "Tom Pike")]))
    at = text.index("spike")
    assert not any(m.start <= at < m.end for e in doc.entities for m in e.mentions)


# -- letters and mail headers --------------------------------------------------------------


def _cited(text: str) -> set[str]:
    return {text[s.start : s.end] for s in ContextDetector().detect(Document("d", text))}


def test_context_sign_off_word_is_not_a_surname() -> None:
    assert "Love" not in _cited("We miss you.\nLove, Marijke")
    assert "Cheers" not in _cited("See you then.\nCheers, Tobiah")


def test_context_dear_and_a_kinship_word_names_nobody() -> None:
    assert "Grandad" not in _cited("Dear Grandad,\nWe miss you.")


def test_context_quoted_display_name_in_family_name_first_order() -> None:
    text = 'From: "Adeyinka, Chiamaka" <c.adeyinka@example.org>\nSent: Monday'
    assert {"Adeyinka", "Chiamaka"} <= _cited(text)


# -- transcripts and tickets ---------------------------------------------------------------


def test_resolve_answer_marker_spill_is_not_a_person() -> None:
    text = "Q. Was it Tobenna Ekwe?\nA. Yes."
    spill = text[text.index("Tobenna") : text.index("Yes") + len("Yes")]
    doc = _resolve(text, [_span(text, spill)])
    at = text.index("Yes")
    assert not any(m.start <= at < m.end for e in doc.entities for m in e.mentions)
    assert any("Tobenna Ekwe" in forms for forms in _mentions(doc).values())


def test_resolve_opening_word_only_the_model_calls_a_person_is_dropped() -> None:
    text = "Escalated to the second line. Nothing else changed."
    doc = _resolve(text, [_span(text, "Escalated")])
    assert doc.entities == ()


def test_resolve_opening_word_with_a_speech_verb_stays_a_person() -> None:
    text = "Hazard said the plan would work."
    context = list(ContextDetector().detect(Document("d", text)))
    doc = _resolve(text, [_span(text, "Hazard"), *context])
    assert any("Hazard" in forms for forms in _mentions(doc).values())


def test_lexicon_lower_case_name_before_a_speech_verb_is_not_an_ordinary_word() -> None:
    assert not used_in_lower_case("my manager, Gretchen. gretchen just said no.", "gretchen")
    assert used_in_lower_case("There is hope. Hope said nothing.", "hope")


# -- statements and signatures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Statement of PC 5120 BRANNOCK\nAt 21:40 I attended.", "BRANNOCK"),
        ("DS 3391 Oyelaran took the call.", "Oyelaran"),
        ("Sgt. 77 Mwangi-Roth signed below.", "Mwangi-Roth"),
    ],
    ids=["caps", "title-case", "dotted-rank"],
)
def test_context_name_after_rank_and_number(text: str, name: str) -> None:
    assert name in _cited(text)


def test_context_rank_number_control_product_name() -> None:
    assert not _cited("The PC 4000 Pro was on sale.") & {"Pro"}


def test_resolve_apposition_of_two_is_not_a_list_of_people() -> None:
    text = "Refund approved. Aurelie Vantongeren, Customer Care"
    org = text.index("Customer Care")
    spans = [
        _span(text, "Aurelie Vantongeren"),
        Span(org, org + len("Customer Care"), Label.ORG, "ner", 1.0, Evidence.MODEL),
    ]
    doc = _resolve(text, spans)
    assert not any(m.start <= org < m.end for e in doc.entities for m in e.mentions)


def test_resolve_clipped_name_that_is_a_frequent_word_is_the_word() -> None:
    text = "Mandy Oyelowo starred in it. The film was A Single Man."
    doc = _resolve(text, [_span(text, "Mandy Oyelowo")])
    at = text.index("Man.")
    assert not any(m.start <= at < m.end for e in doc.entities for m in e.mentions)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("HAPPY BIRTHDAY LEOCADIA!!! have the best day", "LEOCADIA"),
        ("Congrats Ottilie! See you Friday.", "Ottilie"),
        ("thanks so much, Dmitri. couldnt have done it", "Dmitri"),
    ],
    ids=["caps", "title-case", "thanks-comma"],
)
def test_context_wish_addressed_to_a_given_name(text: str, name: str) -> None:
    assert name in _cited(text)


@pytest.mark.parametrize(
    "text",
    ["Thanks Everyone! Hi There.", "HAPPY BIRTHDAY TO YOU", "Welcome Back, Commander.", "Good luck, Team!"],
    ids=["everyone-there", "to-you", "welcome-back", "team"],
)
def test_context_wish_controls(text: str) -> None:
    assert _cited(text) == set()


def test_resolve_question_marker_opening_a_transcript_line_is_no_initial() -> None:
    text = "Q. Did you see him?\nA. No.\nQ. Tobenna Ekwe?\nA. Yes."
    marked = text.index("Q. Tobenna")
    doc = _resolve(text, [_span(text, "Q. Tobenna Ekwe")])
    assert not any(m.start <= marked < m.end for e in doc.entities for m in e.mentions)
    assert any("Tobenna Ekwe" in forms for forms in _mentions(doc).values())


def test_resolve_initial_at_a_line_start_outside_a_transcript_stays() -> None:
    text = "A. Okonkwo wrote the report.\nThe board read it."
    doc = _resolve(text, [_span(text, "A. Okonkwo")])
    assert any("A. Okonkwo" in forms for forms in _mentions(doc).values())


# -- chat and transcripts ------------------------------------------------------------------


def test_resolve_lower_case_name_of_a_known_person() -> None:
    text = "my manager, Gretchen Oyelaran, never listened. gretchen just said do it. later oyelaran left."
    doc = _resolve(text, [_span(text, "Gretchen Oyelaran")])
    forms = next(iter(_mentions(doc).values()))
    assert {"gretchen", "oyelaran"} <= forms


def test_resolve_lower_case_word_of_a_name_stays_a_word() -> None:
    text = "Rose Tchamba planted a rose. The will was read."
    doc = _resolve(text, [_span(text, "Rose Tchamba")])
    at = text.index("rose.")
    assert not any(m.start <= at < m.end for e in doc.entities for m in e.mentions)


def _lexicon_spans(text: str) -> set[str]:
    from veil.detect.names import lexicon
    from veil.detect.shapes import shape_evidence

    return {text[s.start : s.end] for s in shape_evidence(text, lexicon())}


def test_chat_speaker_after_a_time_stamp_and_a_person_after_ask() -> None:
    text = "[09:14] evangelina: anyone seen the keys\n[09:15] tomasz: nope\n[09:15] evangelina: ill ask oluwaseun"
    assert {"evangelina", "tomasz", "oluwaseun"} <= _lexicon_spans(text)


def test_transcript_speaker_in_capitals() -> None:
    text = "INTERVIEWER: How did you meet?\nMARISOL: Through work.\nINTERVIEWER: And then?\nMARISOL: Yes."
    found = _lexicon_spans(text)
    assert "MARISOL" in found
    assert "INTERVIEWER" not in found


def test_transcript_speaker_controls() -> None:
    assert _lexicon_spans("NOTE: see below\nSUMMARY: none\nNOTE: again") == set()


# -- a given name alone -----------------------------------------------------------------


def _lexicon_names(text: str) -> set[str]:
    from veil.detect.names import NameLexiconDetector

    return {text[s.start : s.end] for s in NameLexiconDetector().detect(Document("d", text))}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Plan: increase the dose; dietitian referral (Aoife) next week.", "Aoife"),
        ("The fault was also seen by Rohan on the live system.", "Rohan"),
        ("Report it to Zoltán before the audit.", "Zoltán"),
    ],
    ids=["parentheses", "by", "to"],
)
def test_names_lone_given_name_inside_a_sentence(text: str, name: str) -> None:
    assert name in _lexicon_names(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Aoife, the new lead, starts today.", "Aoife"),
        ("We met Aoife Brennan there.", "Aoife"),
        ("The Secretary-General spoke first.", "Secretary-General"),
        ("[10:15] Bot: how can I help?", "Bot"),
        ("They flew to Paris in May.", "Paris"),
    ],
    ids=["sentence-start", "part-of-a-pair", "hyphenated-title", "label", "place"],
)
def test_names_lone_given_name_controls(text: str, word: str) -> None:
    assert word not in _lexicon_names(text)


def test_context_name_addressed_at_the_end_of_a_question() -> None:
    assert "Ruairí" in _cited("Can you pick this up, Ruairí?")
    assert "Microsoft" not in _cited("Is it ready, Microsoft?")


def test_context_name_in_parentheses_after_a_role() -> None:
    assert {"Oyinkansola", "Nadia"} <= _cited(
        "Agent note (Oyinkansola): refunded. The HR rep (Nadia) agreed."
    )
    assert "Later" not in _cited("The manager (Later) left.")


def test_context_unquoted_nickname_in_parentheses_inside_a_name() -> None:
    assert "Dariusz (Darek) Wiśniewski" in _cited("Return to work - Dariusz (Darek) Wiśniewski - 3 days.")
    assert _cited("The Paris (France) Office is closed.") == set()


def test_resolve_nickname_in_parentheses_joins_the_person() -> None:
    text = "Interview: Dariusz (Darek) Wiśniewski. Later Darek confirmed he is fit."
    context = list(ContextDetector().detect(Document("d", text)))
    doc = _resolve(text, context)
    at = text.rindex("Darek")
    assert any(m.start == at for e in doc.entities for m in e.mentions)


def test_resolve_short_form_of_a_one_word_given_name() -> None:
    text = "Minutes attached.\nThanks, Deborah\n\nOn Tuesday someone wrote:\n> Deb, can you resend it?"
    doc = _resolve(text, [_span(text, "Deborah")])
    assert {"Deborah", "Deb"} in list(_mentions(doc).values())


def test_resolve_relative_in_parentheses_keeps_no_given_name_in_clear() -> None:
    text = "Patient: Rose Kettleby, 81F.\nDaughter (Summer Kettleby) to collect; summer clothes needed."
    doc = _resolve(text, [_span(text, "Rose Kettleby")])
    at = text.index("Summer")
    assert any(m.start <= at < m.end for e in doc.entities for m in e.mentions)
    lower = text.index("summer")
    assert not any(m.start <= lower < m.end for e in doc.entities for m in e.mentions)


def test_resolve_initial_before_a_surname_joins_it() -> None:
    text = "He used a colleague's badge (badge holder: P. Szymańska) to clock in."
    doc = _resolve(text, [_span(text, "Szymańska")])
    assert any("P. Szymańska" in forms for forms in _mentions(doc).values())


def test_resolve_answer_marker_before_a_surname_is_no_initial() -> None:
    text = "Q. Who signed it?\nA. Szymańska signed it."
    doc = _resolve(text, [_span(text, "Szymańska")])
    assert any("Szymańska" in forms for forms in _mentions(doc).values())
    assert not any("A. Szymańska" in forms for forms in _mentions(doc).values())


def test_context_family_name_first_before_a_chat_time() -> None:
    assert {"Osei", "Kwame"} <= _cited("Osei, Kwame 10:33\nNot yet, I'll chase.")


def test_names_sentence_initial_given_name_before_a_verb() -> None:
    assert "Rohan" in _lexicon_names("Mentored two apprentices. Rohan has led the migration.")
    assert "Rohan" not in _lexicon_names("Mentored two apprentices. Rohan Valley is lovely.")
