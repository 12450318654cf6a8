"""Audit on invented documents, with a fake analyzer so that only the audit logic is tested.

The fake analyzer labels the strings it is given (PERSON, EMAIL, ...) wherever they occur,
the way a perfect detector would; the audit must then decide what is a leak, a residual
identifier, a quasi-identifier or a partial mask.
"""

from __future__ import annotations

import re

import pytest

from veil.audit import (
    RISK_LEVELS,
    AuditReport,
    Finding,
    audit_result,
    audit_text,
    find_masks,
    render_html,
    render_terminal,
    risk_above,
    summarize,
    to_json_dict,
)
from veil.errors import ConfigError, ProcessingError
from veil.model import Document, Entity, Label, Replacement, Result, Span


class FakeAnalyzer:
    """Labels every whole-word occurrence of the given strings."""

    def __init__(self, **labels: list[str]) -> None:
        self.labels = labels

    def analyze(self, text: str, doc_id: str = "doc") -> Document:
        entities = []
        spans = []
        for label, surfaces in self.labels.items():
            for n, surface in enumerate(surfaces):
                mentions = tuple(
                    Span(m.start(), m.end(), Label(label), "fake")
                    for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)
                )
                if mentions:
                    spans.extend(mentions)
                    entities.append(Entity(f"{label}-{n}", Label(label), mentions, ("fake",)))
        return Document(doc_id, text, tuple(spans), tuple(entities))


def audit(text: str, **labels: list[str]) -> AuditReport:
    return audit_text(text, "t", pipeline=FakeAnalyzer(**labels))


def kinds(report: AuditReport) -> set[str]:
    return {f.kind for f in report.findings}


# -- masks -------------------------------------------------------------------------------

MASK_CASES = [
    ("Minister XXX said.", "XXX", None),
    ("He met [REDACTED] today.", "[REDACTED]", None),
    ("He met [PERSON] today.", "[PERSON]", "PERSON"),
    ("He met [PERSON_1] today.", "[PERSON_1]", "PERSON"),
    ("He met <PERSON> today.", "<PERSON>", "PERSON"),
    ("He met █████ today.", "█████", None),
    ("He met *** today.", "***", None),
    ("He met [PERSON:ab12cd34] today.", "[PERSON:ab12cd34]", "PERSON"),
    ("He met ⟦PERSON:gAAAAB-x_y=⟧ today.", "⟦PERSON:gAAAAB-x_y=⟧", "PERSON"),
    ("Write to [EMAIL_2] now.", "[EMAIL_2]", "EMAIL"),
    ("He met [NAME] today.", "[NAME]", "PERSON"),
]


@pytest.mark.parametrize(("text", "mask", "label"), MASK_CASES, ids=[c[1] for c in MASK_CASES])
def test_find_masks_recognises_styles(text, mask, label):
    masks = find_masks(text)
    assert [(m.start, m.end, m.label) for m in masks] == [
        (text.index(mask), text.index(mask) + len(mask), label)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[UPDATE] The vote is today.",
        "He said [sic] it was fine.",
        "<div>hi</div>",
        "Size XXL only.",
        "2 * 3 = 6",
    ],
    ids=["update-tag", "sic", "html", "xxl", "arithmetic"],
)
def test_find_masks_ignores_non_masks(text):
    assert find_masks(text) == ()


def test_find_masks_custom_pattern_with_label():
    text = "Agent ##PERSON## met ##LOC## today."
    masks = find_masks(text, [r"##(?P<label>[A-Z]+)##"])
    assert [(m.start, m.label) for m in masks] == [
        (text.index("##PERSON"), "PERSON"),
        (text.index("##LOC"), "LOC"),
    ]


def test_find_masks_invalid_pattern_is_config_error():
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        find_masks("x", ["(unclosed"])


# -- clean documents ---------------------------------------------------------------------


def test_audit_clean_document_is_low_with_no_findings():
    text = "The council met on Tuesday to discuss the budget. Members agreed to meet again next month."
    report = audit(text)
    assert report.risk == "low"
    assert report.findings == ()
    assert report.reasons


def test_audit_properly_masked_document_has_no_person_findings():
    text = "[PERSON_1] said the plan was sound. [PERSON_1] added that work would start soon."
    report = audit(text)
    assert report.findings == ()
    assert report.risk == "low"


# -- residual identifiers ----------------------------------------------------------------


def test_audit_residual_name_and_email():
    text = "Please contact Jane Doe at jane.doe@example.org about the lease."
    report = audit(text, PERSON=["Jane Doe"], EMAIL=["jane.doe@example.org"])
    res = [f for f in report.findings if f.kind == "residual_identifier"]
    assert {(f.start, f.label) for f in res} == {
        (text.index("Jane Doe"), "PERSON"),
        (text.index("jane.doe"), "EMAIL"),
    }
    assert kinds(report) == {"residual_identifier"}
    assert report.risk == "high"


def test_audit_full_name_later_surname_is_residual_not_leak():
    text = "Minister XXX spoke first. Anna Brandt said the plan would work. Brandt added that costs were low."
    report = audit(text, PERSON=["Anna Brandt", "Brandt"])
    assert "linked_leak" not in kinds(report)
    res = [f for f in report.findings if f.kind == "residual_identifier"]
    assert [f.start for f in res] == [text.index("Anna Brandt"), text.index("Brandt added")]
    assert res[0].group == res[1].group


# -- linked leaks ------------------------------------------------------------------------


def test_audit_linked_leak_surname_unmasks_role_mask():
    text = (
        '"We will not sign," Finance Minister XXX said on Monday.\n'
        "Brandt said the budget was final.\n"
        "Later Brandt voiced doubts about the timetable."
    )
    report = audit(text, PERSON=["Brandt"])
    leaks = [f for f in report.findings if f.kind == "linked_leak"]
    mask = text.index("XXX")
    assert [(f.start, f.mask_start, f.mask_end) for f in leaks] == [
        (text.index("Brandt said"), mask, mask + 3),
        (text.index("Brandt voiced"), mask, mask + 3),
    ]
    assert leaks[0].related == ((leaks[1].start, leaks[1].end),)
    assert "minister" in leaks[0].explanation
    assert "Brandt" not in leaks[0].explanation
    assert report.risk == "high"
    assert "residual_identifier" not in kinds(report)


def test_audit_linked_leak_two_masks_follow_order_of_mentions():
    text = (
        "Foreign Minister XXX said talks would go on. Novak said the West was to blame.\n"
        "Elsewhere, a district was shelled.\n"
        '"They are stuck," military analyst XXX told reporters.\n'
        "Markov said the economy was suffering."
    )
    report = audit(text, PERSON=["Novak", "Markov"])
    leaks = {f.start: f.mask_start for f in report.findings if f.kind == "linked_leak"}
    first, second = (m.start() for m in re.finditer("XXX", text))
    assert leaks == {text.index("Novak"): first, text.index("Markov"): second}


def test_audit_speaker_name_found_without_detector():
    # The detector misses the name; speaker position ("X said") is enough.
    text = "Defense Secretary XXX said the base would close.\nHolloway said the decision was final."
    report = audit(text)
    leaks = [f for f in report.findings if f.kind == "linked_leak"]
    assert [f.start for f in leaks] == [text.index("Holloway")]


def test_audit_place_in_speaker_position_is_not_a_leak():
    text = "Defense Secretary XXX said the base would close.\nMoscow said the decision was illegal. Troops left Moscow."
    report = audit(text, LOC=["Moscow"])
    assert "linked_leak" not in kinds(report)


def test_audit_surname_without_any_mask_is_residual():
    text = "Holloway said the decision was final. Holloway did not elaborate."
    report = audit(text, PERSON=["Holloway"])
    assert kinds(report) == {"residual_identifier"}
    assert "no earlier masked person" in report.findings[0].explanation


def test_audit_mask_for_a_place_is_not_linked():
    text = "A depot in the XXX district was hit. Holloway said the decision was final."
    report = audit(text, PERSON=["Holloway"])
    assert "linked_leak" not in kinds(report)


# -- quasi-identifiers -------------------------------------------------------------------

QUASI_CASES = [
    ("The mayor of Smallville, XXX, said the roads were closed.", "mayor of Smallville", "ROLE", "high"),
    ("Springfield Mayor [PERSON_1] said the roads were closed.", "Springfield Mayor", "ROLE", "high"),
    ("Ruritanian Defense Secretary XXX said nothing.", "Ruritanian Defense Secretary", "ROLE", "high"),
    ('"I had to take up arms," said XXX, 68.', "68", "AGE", "medium"),
    ("The patient was born on 12 March 1961 in a village.", "12 March 1961", "DATE", "high"),
    ("Deliveries go to 14 Elm Street every week.", "14 Elm Street", "ADDRESS", "high"),
    (
        "She is the only female surgeon at St. Mary's hospital.",
        "female surgeon at St. Mary's",
        "ROLE",
        "high",
    ),
]


@pytest.mark.parametrize(
    ("text", "phrase", "label", "severity"),
    QUASI_CASES,
    ids=["mayor-of", "place-mayor", "defense-secretary", "age", "dob", "street", "only-surgeon"],
)
def test_audit_quasi_identifier(text, phrase, label, severity):
    report = audit(text)
    quasi = [f for f in report.findings if f.kind == "quasi_identifier"]
    assert len(quasi) == 1, quasi
    f = quasi[0]
    start = text.index(phrase)
    assert (f.label, f.severity) == (label, severity)
    assert f.start <= start and f.end >= start + len(phrase)
    for word in re.findall(r"[A-Z][a-z]+", phrase):
        if word.casefold() not in {"mayor", "defense", "secretary"}:
            assert word not in f.explanation
    assert kinds(report) == {"quasi_identifier"}


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said the roads were closed.",
        "A spokesperson said the roads were closed.",
        "Officials met 68 residents on Tuesday.",
        "The plant was built in 1961 near the river.",
    ],
    ids=["bare-mayor", "bare-spokesperson", "number-not-age", "year-not-dob"],
)
def test_audit_no_quasi_identifier_without_anchor(text):
    report = audit(text)
    assert report.findings == ()
    assert report.risk == "low"


def test_audit_role_attached_to_a_name_is_reported_as_the_name():
    text = "Ruritanian President Anna Brandt spoke on Monday."
    report = audit(text, PERSON=["Anna Brandt"])
    assert kinds(report) == {"residual_identifier"}


# -- partial masks -----------------------------------------------------------------------

PARTIAL_CASES = [
    ("John XXX said the car was stolen.", "John", "PERSON", "high"),
    ("Card number XXXX-XXXX-XXXX-4821 was used.", "4821", "NUMBER", "medium"),
    ("Write to j***@tinyfirm.example for details.", "@tinyfirm.example", "EMAIL", "medium"),
    ("Lav███ confirmed it.", "Lav", "UNKNOWN", "high"),
]


@pytest.mark.parametrize(
    ("text", "visible", "label", "severity"),
    PARTIAL_CASES,
    ids=["first-name", "last-digits", "email-domain", "stem"],
)
def test_audit_partial_mask(text, visible, label, severity):
    report = audit(text)
    partial = [f for f in report.findings if f.kind == "partial_mask"]
    assert [(f.start, f.end, f.label, f.severity) for f in partial] == [
        (text.index(visible), text.index(visible) + len(visible), label, severity)
    ]
    assert partial[0].mask_start is not None


@pytest.mark.parametrize(
    "text",
    [
        "XXX's car was stolen on Thursday.",
        "XXX said Thursday the car was stolen.",
        "Police in the XXX district found it.",
        "The call came from [PHONE_1] at noon.",
    ],
    ids=["possessive", "weekday", "district", "whole-phone"],
)
def test_audit_whole_masks_are_not_partial(text):
    assert "partial_mask" not in kinds(audit(text))


# -- reports -----------------------------------------------------------------------------

LEAKY = '"No," Finance Minister XXX said.\nBrandt said the budget was final. Write to ann@mail.example.'


def test_report_hides_identifier_text_by_default():
    report = audit(LEAKY, PERSON=["Brandt"], EMAIL=["ann@mail.example"])
    dumped = repr(report) + repr(report.findings) + str(to_json_dict([report])) + render_terminal([report])
    for secret in ("Brandt", "ann@mail.example", "Finance"):
        assert secret not in dumped
    assert "Brandt" not in render_html([report])


def test_report_include_text_shows_text_and_sentence():
    report = audit(LEAKY, PERSON=["Brandt"], EMAIL=["ann@mail.example"])
    data = report.to_dict(include_text=True)
    leak = next(f for f in data["findings"] if f["kind"] == "linked_leak")
    assert leak["text"] == "Brandt"
    assert leak["sentence"].startswith("Brandt said")
    assert "»Brandt«" in render_terminal([report], show_text=True)
    assert "Brandt" in render_html([report], show_text=True)


def test_report_json_schema_fields():
    report = audit(LEAKY, PERSON=["Brandt"])
    data = to_json_dict([report])
    assert data["schema_version"] == "1.0"
    doc = data["documents"][0]
    assert set(doc) == {"doc_id", "chars", "risk", "reasons", "masks", "counts", "findings"}
    f = doc["findings"][0]
    assert set(f) == {
        "id",
        "kind",
        "severity",
        "start",
        "end",
        "label",
        "explanation",
        "mask",
        "related",
        "group",
    }


def test_render_html_is_self_contained():
    page = render_html([audit(LEAKY, PERSON=["Brandt"])])
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "class='linked_leak" in page


def _finding(severity: str) -> Finding:
    return Finding("quasi_identifier", severity, 0, 1, "x", "ROLE")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severities", "risk"),
    [
        ((), "low"),
        (("low",), "low"),
        (("low",) * 3, "medium"),
        (("medium",), "medium"),
        (("medium",) * 3, "high"),
        (("high",), "high"),
    ],
    ids=["none", "one-low", "three-low", "one-medium", "three-medium", "one-high"],
)
def test_risk_levels(severities, risk):
    from veil.audit import assess_risk

    level, reasons = assess_risk([_finding(s) for s in severities])
    assert level == risk and reasons


def test_summarize_counts_corpus():
    reports = [audit("The council met on Tuesday."), audit(LEAKY, PERSON=["Brandt"])]
    summ = summarize(reports)
    assert summ["documents"] == 2
    assert summ["risk"] == "high"
    assert summ["documents_by_risk"] == {"low": 1, "medium": 0, "high": 1}
    assert summ["findings_by_kind"]["linked_leak"] == 1
    assert summ["high_risk_documents"] == ["t"]


def test_risk_above_orders_levels():
    assert RISK_LEVELS == ("low", "medium", "high")
    assert risk_above("high", "medium") and not risk_above("medium", "medium")
    with pytest.raises(ConfigError):
        risk_above("severe", "low")


def test_audit_analyzer_failure_fails_closed():
    class Broken:
        def analyze(self, text: str, doc_id: str = "doc") -> Document:
            raise RuntimeError("boom with secret text")

    with pytest.raises(ProcessingError) as info:
        audit_text("Anna Brandt was here.", "d1", pipeline=Broken())
    assert "Brandt" not in str(info.value) and "d1" in str(info.value)


def test_audit_result_treats_replacements_as_masks():
    original = "Anna Brandt said no. Brandt left."
    new_text = "Maria Olsen said no. Olsen left."
    result = Result(
        doc_id="r",
        text=new_text,
        entities=(),
        replacements=(
            Replacement(0, 11, Label.PERSON, "e1", "pseudonym", "Maria Olsen"),
            Replacement(21, 27, Label.PERSON, "e1", "pseudonym", "Olsen"),
        ),
        original=original,
    )
    report = audit_result(result, pipeline=FakeAnalyzer(PERSON=["Maria Olsen", "Olsen"]))
    assert [(m.start, m.end) for m in report.masks] == [(0, 11), (21, 26)]
    assert report.findings == ()


@pytest.mark.parametrize(
    ("text", "labelled"),
    [
        ("Please come in. We said please twice.", "Please"),
        ("Don't go there, he said.", "Don"),
        ("Mom said the door was open.", "Mom"),
        ("He wrote for The Onion for years.", "Onion"),
        ("In 1891 [PERSON] was appointed; the 13 [PERSON] artworks stayed.", "nobody"),
    ],
    ids=["common-word", "contraction", "kinship", "the-title", "number-beside-name-mask"],
)
def test_audit_detector_noise_is_not_reported(text, labelled):
    report = audit(text, PERSON=[labelled])
    assert report.findings == ()


# -- linked leaks from any person evidence (issue 11, item 7) ------------------------------

# The model often calls a lone foreign surname ORG ("Lavrov said ..."); the fake analyzer
# reproduces that mistake with ORG=[surname]. Each text: (text, surname, role of the mask).
PERSON_EVIDENCE_CASES = [
    (
        "Ruritanian Foreign Minister XXX said talks would go on. Talks stalled on Friday. "
        "Vasko said the West was to blame.",
        "Vasko",
        "minister",
    ),
    (
        "Ruritanian Foreign Minister XXX met his counterpart on Friday. Vasko told the press nothing.",
        "Vasko",
        "minister",
    ),
    (
        "Finance Minister [PERSON_1] met the unions on Monday. Kesselring, who has run the "
        "ministry since 2019, left early.",
        "Kesselring",
        "minister",
    ),
    (
        "Health Minister █████ visited the ward. Minister Okonjo promised more beds.",
        "Okonjo",
        "minister",
    ),
    (
        "Chief Judge XXX opened the session. Halvorsen, 61, read the verdict aloud.",
        "Halvorsen",
        "judge",
    ),
    (
        'Defence Secretary XXX arrived late.\n"We will not sign," said Draskovic.',
        "Draskovic",
        "secretary",
    ),
]


@pytest.mark.parametrize(
    ("text", "surname", "role"),
    PERSON_EVIDENCE_CASES,
    ids=["said", "told", "who", "title", "age", "said-after-quote"],
)
def test_audit_linked_leak_from_person_evidence_despite_org_label(text, surname, role):
    report = audit(text, ORG=[surname])
    leaks = [f for f in report.findings if f.kind == "linked_leak"]
    mask = find_masks(text)[0]
    assert [(f.start, f.mask_start, f.mask_end) for f in leaks] == [
        (text.index(surname), mask.start, mask.end)
    ]
    assert surname not in leaks[0].explanation and role in leaks[0].explanation
    assert report.risk == "high"


def test_audit_linked_leak_every_mention_of_the_surname():
    text = (
        "Ruritanian Foreign Minister XXX said talks would go on. Vasko said the West was to blame. "
        "Later Vasko voiced regret for the casualties."
    )
    report = audit(text, ORG=["Vasko"])
    leaks = [f for f in report.findings if f.kind == "linked_leak"]
    assert [f.start for f in leaks] == [m.start() for m in re.finditer("Vasko", text)]


ORG_CONTROLS = [
    ("The United Nations said the budget was final.", ["United Nations"]),
    ("NATO said the budget was final.", ["NATO"]),
    ("Gazprom said its pipeline would stay closed.", ["Gazprom"]),
    ("Gazprom, which supplies the region, cut deliveries.", ["Gazprom"]),
    ("Kremlin said the budget was final. Sources close to the Kremlin agreed.", ["Kremlin"]),
    ("Halvex Group said the budget was final.", ["Halvex Group"]),
    ("He did not say Stanford over here.", ["Stanford"]),
    ("He shook hands with the King. Street vendors cheered.", []),
    ("She later resigned as Foreign Affairs minister.", ["Foreign Affairs"]),
]


@pytest.mark.parametrize(
    ("sentence", "orgs"),
    ORG_CONTROLS,
    ids=[
        "article",
        "acronym",
        "its",
        "which",
        "article-elsewhere",
        "org-word",
        "object-of-say",
        "title-sentence",
        "department-before-role",
    ],
)
def test_audit_organisation_with_speech_verb_is_not_a_person(sentence, orgs):
    text = "Finance Minister XXX said the plan was sound. " + sentence
    report = audit(text, ORG=orgs)
    assert [f for f in report.findings if f.label == "PERSON"] == []


def test_audit_title_seed_takes_no_word_across_a_sentence_end():
    text = "Finance Minister XXX met his father. Upon arrival they spoke."
    assert [f for f in audit(text).findings if f.label == "PERSON"] == []


@pytest.mark.model
@pytest.mark.parametrize("surname", ["Draskovic", "Kesselring", "Okonjo"])
def test_audit_lone_surname_with_speech_verb_is_linked_with_the_model(pii_pipeline, surname):
    text = (
        "Ruritanian Foreign Minister XXX said talks would continue. Talks stalled on Friday. "
        f"{surname} said the West was to blame."
    )
    report = audit_text(text, "m", pipeline=pii_pipeline)
    leaks = [f for f in report.findings if f.kind == "linked_leak"]
    assert [(f.start, f.mask_start) for f in leaks] == [(text.index(surname), text.index("XXX"))]


# -- HTML page -----------------------------------------------------------------------------


@pytest.mark.parametrize("show_text", [False, True], ids=["hidden", "shown"])
def test_render_html_leaves_placeholders_in_the_document_alone(show_text):
    text = "The agenda read {{TEXT_NOTE}} and {{SCHEMA_VERSION}} and {{DOCUMENTS}} <b>today</b>."
    report = audit_text(text, "{{SUMMARY}}", pipeline=FakeAnalyzer())
    page = render_html([report], show_text=show_text)
    assert (
        "The agenda read {{TEXT_NOTE}} and {{SCHEMA_VERSION}} and {{DOCUMENTS}} &lt;b&gt;today&lt;/b&gt;."
        in page
    )
    assert "<h2>{{SUMMARY}} " in page
    assert page.count("schema 1.0") == 1


def test_audit_title_before_mask_makes_it_linkable_but_a_department_word_does_not():
    titled = audit("Dr. XXX opened the clinic. Halvorsen said the ward would open late.")
    assert [f.kind for f in titled.findings] == ["linked_leak"]
    assert "title 'dr'" in titled.findings[0].explanation
    department = audit("Education XXX opened the session. Halvorsen read the verdict aloud.")
    assert "linked_leak" not in kinds(department)
