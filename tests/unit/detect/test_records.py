"""Names in records, minutes and transcripts: capitals after field labels, family name first
in capitals, initials in people lists, action items and speaker labels.

Through :class:`~veil.detect.context.ContextDetector` (which runs :mod:`veil.detect.records`),
so each test reads only the context rules, never a model; the resolver tests add the
resolution steps. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.context import ContextDetector
from veil.detect.records import RECORD_SOURCE, record_names
from veil.model import Document, Evidence, Label
from veil.resolve import NameResolver


def _records(text: str) -> set[str]:
    return {text[s.start : s.end] for s in record_names(text)}


def _persons(text: str) -> set[str]:
    """The PERSON mentions the resolver keeps from the context detector's spans alone."""
    spans = tuple(ContextDetector().detect(Document("d", text)))
    doc = NameResolver(preset("pii").narrowed(["PERSON"])).resolve(Document("d", text, spans=spans))
    return {text[m.start : m.end] for e in doc.entities if e.label is Label.PERSON for m in e.mentions}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "STATEMENT\nSURNAME: OKONKWO-VALE   FORENAMES: Tamsin Oyibo\nDOB: 02/02/1990",
            {"OKONKWO-VALE", "Tamsin Oyibo"},
        ),
        ("DRIVER 2: TRAN VAN, QUY (VN NATIONAL)\nPASSENGER: TRAN, LOC (AGE 4)", {"TRAN VAN", "QUY", "TRAN"}),
        ("Specimen: skin.\nPatient: GREWAL, Manjeet   MRN 0091\nReported by: lab", {"GREWAL", "Manjeet"}),
        ("Family name: Zsámboki\nGiven name(s): Ildikó Réka", {"Zsámboki", "Ildikó Réka"}),
        ("Next of kin: Mr Tobiah Quarshie (brother)", {"Tobiah Quarshie"}),
    ],
)
def test_records_field_labelled_as_a_name_or_person_is_a_person(text: str, names: set[str]) -> None:
    assert names <= _records(text)


@pytest.mark.parametrize(
    "text",
    [
        "FIRE CHECK - BLOCK D\nINSPECTOR: ON FILE\nSIGNED: DUTY MANAGER",
        "Driver: Van 7 (Reg KX19 LMP)\nCustomer: Account 44812",
        "WITNESS: NONE\nSUSPECT: UNKNOWN MALE",
        "Employee: Night Shift\nPatient: 58 year old",
        "Subject: Your Statement Is Ready",
    ],
)
def test_records_field_values_that_are_no_names_give_nothing(text: str) -> None:
    assert _records(text) == set()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("INTERVIEW - Suspect: BRANNIGAN, Corwin Ellis\nPresent: DC Ng", {"BRANNIGAN", "Corwin Ellis"}),
        ("10:00  R v OSTROWSKI-HALE, Wren (plea)", {"OSTROWSKI-HALE", "Wren"}),
        ("BETWEEN: ZIELKE, Aurelia Nell (Claimant) and MBEKI-TORRES, Jaroslav (Defendant)", None),
    ],
)
def test_records_family_name_in_capitals_then_given_names(text: str, names: set[str] | None) -> None:
    expected = names or {"ZIELKE", "Aurelia Nell", "MBEKI-TORRES", "Jaroslav"}
    assert expected <= _records(text)


@pytest.mark.parametrize(
    "text",
    [
        "IN THE COUNTY COURT AT LEEDS, Leeds Combined Court",
        "WARNING, Please read carefully.",
        "PARIS, Texas is a small town.",
        "NOTE, However, the lift is out.",
        "MANCHESTER, Victoria",
        "Lattice Lab, CNRS, France",
    ],
)
def test_records_capitals_then_comma_that_are_no_names_give_nothing(text: str) -> None:
    assert _records(text) == set()


def test_records_initials_in_people_lists_and_action_items() -> None:
    text = (
        "Sync 3/4\nAttendees: QD, Ysolda (PMO), HR; apologies: VX\n"
        "Actions:\n- QD to send the plan\n- ZF to book room\nIT to reset the laptop. TN to check ref."
    )
    found = _records(text)
    assert {"QD", "Ysolda", "VX", "ZF", "TN"} <= found
    assert not {"PMO", "HR", "IT"} & found


def test_records_panel_initials_are_people_after_resolution() -> None:
    text = "Candidate: Orrin Vasquez-Tate\nPanel: WQ, ZN\nGood on SQL. ZN to check ref. WQ: hire."
    persons = _persons(text)
    assert {"WQ", "ZN"} <= persons
    assert text.count("ZN") == sum(1 for _ in _occurrences(text, "ZN", persons))


def _occurrences(text: str, token: str, persons: set[str]) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(token, i) and token in persons]


def test_records_speaker_labels_with_turns_are_people() -> None:
    text = (
        "Interviewer (QM): How long have you lived here?\nP3 (Ottoline): Years.\n"
        "QM: And the garden?\nXJ: It was my father's.\nQM: Thank you.\nXJ: Pleasure."
    )
    found = _records(text)
    assert {"QM", "XJ"} <= found
    text2 = "HOST: Welcome back, Jorunn.\nJORUNN: Thanks for having me.\nHOST: So.\nJORUNN: Yes."
    assert "JORUNN" in _records(text2)


@pytest.mark.parametrize(
    "text",
    [
        "Q: Where were you?\nA: At home.\nQ: Alone?\nA: Yes.",
        "NB: bring ID\nPS: see you there\nNB: no parking",
        "DOB: 14/03/1987\nMRN: 0048812\nDOB: 15/03/1987",
        "QD: only one label here, said once.",
    ],
)
def test_records_labels_that_are_no_speakers_give_nothing(text: str) -> None:
    assert _records(text) == set()


def test_records_common_acronyms_in_lists_and_actions_stay() -> None:
    text = "Present: Chair, Secretary, HR, PMO\nActions: QA to retest; IT to patch; GO to page 3."
    assert _records(text) == set()


def test_records_spans_carry_person_context_evidence() -> None:
    spans = list(record_names("SURNAME: QUARSHIE-BELL"))
    assert spans
    assert all(s.evidence is Evidence.PERSON_CONTEXT and s.source == RECORD_SOURCE for s in spans)
    assert all(s.label is Label.PERSON for s in spans)


def test_records_ordinary_word_initials_need_a_person_with_those_initials() -> None:
    text = "Present: Greta Osterholm (Chair)\n3. AOB: lease - GO to contact the landlord."
    assert "GO" in _records(text)
    assert "GO" not in _records("3. AOB: lease - GO to contact the landlord.")


@pytest.mark.parametrize(
    "text",
    [
        "Changelog\nJS: fix tooltip\nCSS: tidy grid\nJS: drop polyfill",
        "Release plan\n- UAT to start Monday\n- ZQ to sign off",
        "Reviewers: FE, BE\nOwner: SRE",
    ],
)
def test_records_change_logs_and_team_acronyms_give_nothing(text: str) -> None:
    assert _records(text) == set()


def test_records_two_capitals_before_a_comma_are_a_family_name_only_when_known() -> None:
    assert _records("In the fifth century BC, Leucippus and Democritus argued ...") == set()
    assert {"NG", "Wen Li"} <= _records("Suspect: NG, Wen Li")


def test_records_acronym_after_with_is_the_person_of_those_initials() -> None:
    text = "Line manager: Nerys Achterberg. Next review with NA in 4 weeks."
    assert "NA" in _records(text)
    assert "NA" not in _records("Next review with NA in 4 weeks.")
    assert "US" not in _records("Ursula Sand ships with US carriers.")


def test_records_field_value_stops_at_the_next_field_acronym() -> None:
    assert "Tobiah QUARSHIE" in _records("Patient: Tobiah QUARSHIE DOB 01/02/80\nWard: 4")


def test_records_minutes_initials_before_a_reporting_verb_or_after_an_action_label() -> None:
    text = "Present: Lorcan Vey\n2. Finance: WQ reported reserves of 41k. IT reported an outage.\nAction: ZN"
    found = _records(text)
    assert {"WQ", "ZN"} <= found
    assert "IT" not in found
    assert "WQ" not in _records("2. Finance: WQ reported reserves of 41k.")  # no minutes around it


def test_records_speaker_label_in_capitals_that_is_no_english_word() -> None:
    text = "COUNSEL: Did you see him?\nOKWUOSA: I did.\nCOUNSEL: Where?\nOKWUOSA: At the gate."
    found = _records(text)
    assert "OKWUOSA" in found
    assert "COUNSEL" not in found


def test_records_acronym_before_a_comma_is_no_family_name() -> None:
    assert _records("Lattice Lab, CNRS, France\n\nIntroduction") == set()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Full Name (BLOCK CAPITALS): ADAEZE N OKORO\nDate: 3/4", "ADAEZE N OKORO"),
        ("Surname/Family name: BRZOZOWSKA\nDOB: 1/1/90", "BRZOZOWSKA"),
        ("Parent/Guardian: Mrs Joy ADEBOWALE", "Joy ADEBOWALE"),
        ("Name of deceased: HAROLD ERNEST PIKE", "HAROLD ERNEST PIKE"),
        ("Employee's name: Tamsin Oyibo", "Tamsin Oyibo"),
    ],
)
def test_records_label_variants_mark_the_name(text: str, name: str) -> None:
    assert name in _records(text)


@pytest.mark.parametrize(
    "text", ["Product name: Outlook Desktop", "Patient name: N/A", "File name: REPORT FINAL"]
)
def test_records_names_of_things_and_empty_values_give_nothing(text: str) -> None:
    assert _records(text) == set()


def test_records_party_a_company_can_be_needs_a_name_or_family_name_first() -> None:
    assert _records("Respondent: Northwind\nApplicant: Brightwell Holdings") == set()
    found = _records("Respondent: Tamsin Oyibo-Vance\nClaimant: QUARSHIE, Efua")
    assert {"Tamsin Oyibo-Vance", "QUARSHIE", "Efua"} <= found


def test_records_single_capital_speakers_only_with_turns() -> None:
    text = "A: Are you coming tonight?\nB: I think so.\nA: Great, see you there."
    assert {"A", "B"} <= _records(text)
    assert _records("A: Are you coming tonight?") == set()
