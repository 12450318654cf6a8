"""Issue 13: identifiers beyond names (codes, dates of birth, phones, quasi-identifiers)."""

from __future__ import annotations

import pytest

import veil
from veil.config import preset
from veil.detect.patterns import PatternDetector
from veil.model import Document, Label


@pytest.fixture(scope="module")
def detector() -> PatternDetector:
    return PatternDetector(preset("pii"))


def _hits(detector: PatternDetector, text: str) -> list[tuple[str, Label]]:
    return [(s.text(text), s.label) for s in detector.detect(Document("t", text))]


FOUND = [
    ("application (no. 36110/97) against", "36110/97", Label.ID),
    ("two applications (nos. 52117/09 and 6631/10) against", "52117/09", Label.ID),
    ("two applications (nos. 52117/09 and 6631/10) against", "6631/10", Label.ID),
    ("MRN H0048213 seen", "H0048213", Label.ID),
    ("Medical record number: MRN-7730412\n", "MRN-7730412", Label.ID),
    ("her passport X1234567 was", "X1234567", Label.ID),
    ("Driver license: D1234-56789 (CA)", "D1234-56789", Label.ID),
    ("Staff number: SN 22-9184 and", "SN 22-9184", Label.ID),
    ("Aktenzeichen: 412 Js 2281/23\n", "412 Js 2281/23", Label.ID),
    ("Ticket #INC-448210 Priority", "#INC-448210", Label.ID),
    ("policy no. HX-993-118-27, I live", "HX-993-118-27", Label.ID),
    ("the case, no. 2a-1187/03, was", "2a-1187/03", Label.ID),
    ("order ORD-2024-118734. Then quoting ORD-2024-118734 again", "ORD-2024-118734", Label.ID),
    ("returned his licence (PENHA409121AR9XY) to", "PENHA409121AR9XY", Label.ID),
    ("vehicle, registration YK63 RZN, was", "YK63 RZN", Label.ID),
    ("the plate 1-ABC-234, was", "1-ABC-234", Label.ID),
    ("registration KS-HA 4471.", "KS-HA 4471", Label.ID),
    ("New Jersey plate K47-LWP, was", "K47-LWP", Label.ID),
    ("IBAN\nES91 2100 0418\n4502 0005 1332\nis it", "ES91 2100 0418", Label.IBAN),
    ("IBAN\nES91 2100 0418\n4502 0005 1332\nis it", "4502 0005 1332", Label.IBAN),
    ("card 5282 1993 5181\n9097 on", "5282 1993 5181", Label.CARD),
    ("card 5282 1993 5181\n9097 on", "9097", Label.CARD),
    ("Contact: tel. 555-123-4567. Insurance", "555-123-4567", Label.PHONE),
    ("Queries: 090 647 2211.", "090 647 2211", Label.PHONE),
    ("DOB 03/07/1985 MRN", "03/07/1985", Label.DOB),
    ("he was born 14 May 1979 in", "14 May 1979", Label.DOB),
    ("Date of birth: 1988-11-30\n", "1988-11-30", Label.DOB),
    ("a Moldovan national, Mrs", "Moldovan", Label.NORP),
    ("a member of the Seventh-day Adventist Church and", "Seventh-day Adventist Church", Label.NORP),
    ("He worked as a long-distance lorry driver for", "long-distance lorry driver", Label.OCCUPATION),
    ("the mother of three children.", "three children", Label.QUANTITY),
    ("he was fined £5,000.", "£5,000", Label.QUANTITY),
    ("who is 1.91 m tall", "1.91 m", Label.QUANTITY),
    ("Address: 14 Beacon Road, Harwick HW3 9QT\n", "HW3 9QT", Label.ADDRESS),
    ("at Bergmannstraße 12, 10961 Berlin.", "Bergmannstraße 12, 10961 Berlin", Label.ADDRESS),
]


@pytest.mark.parametrize(
    ("text", "surface", "label"), FOUND, ids=[f"{i}-{x[2].value}" for i, x in enumerate(FOUND)]
)
def test_identifiers_found(detector: PatternDetector, text: str, surface: str, label: Label) -> None:
    assert (surface, label) in _hits(detector, text)


# Quantities, dates and ordinary numbers after a keyword are not identifiers.
NOT_IDS = [
    "he was fined no. £5,000 in",
    "the number of children: 3 children",
    "case heard on 12 May and",
    "number 47 bus along",
    "the Reference request was",
    "Hospital No. 4 in town",
    "order of 12 kg flour",
    "case was listed at the court",
]


@pytest.mark.parametrize("text", NOT_IDS)
def test_identifiers_keep_quantities_apart(detector: PatternDetector, text: str) -> None:
    assert [s for s, lab in _hits(detector, text) if lab is Label.ID] == []


def test_identifiers_phone_without_context_needs_validation(detector: PatternDetector) -> None:
    # 000-123-4567 is valid in no configured region: a phone only when the text says so.
    assert [s for s, lab in _hits(detector, "ratio 000-123-4567 units") if lab is Label.PHONE] == []
    assert ("000-123-4567", Label.PHONE) in _hits(detector, "mobile: 000-123-4567 units")


ISSUE_ITEMS = [
    ("Clinic note. DOB 03/07/1985. Seen today.", "03/07/1985"),
    ("Mrs Ana Ortiz was born 14 May 1979 in Leeds.", "14 May 1979"),
    ("Patient MRN: 40027715 admitted.", "40027715"),
    ("She showed passport X1234567 at the desk.", "X1234567"),
    ("Driving licence D1234-56789 was checked.", "D1234-56789"),
    ("The court record for case number 2023-CV-04471 was sealed.", "2023-CV-04471"),
    ("Support ticket: please call 555-123-4567 after 5pm.", "555-123-4567"),
]


@pytest.mark.parametrize(("text", "secret"), ISSUE_ITEMS, ids=[s for _, s in ISSUE_ITEMS])
def test_issue_13_pii_masks_every_listed_item(text: str, secret: str) -> None:
    out = veil.redact(text, policy="pii").text
    assert secret not in out
    assert not any(
        part in out for part in secret.replace("-", " ").replace("/", " ").split() if len(part) > 3
    )


def test_identifiers_phone_forms_link_to_one_entity() -> None:
    text = "Call +1 415-555-0173 today. Her number (415) 555-0173 is listed."
    result = veil.redact(text, policy="pii")
    phones = [e for e in result.entities if e.label is Label.PHONE]
    assert len(phones) == 1 and len(phones[0].mentions) == 2
    assert result.text.count("[PHONE_1]") == 2


def test_issue_13_strict_example_audits_medium_or_lower() -> None:
    from pathlib import Path

    from veil.audit import audit_result, risk_above

    text = (Path(__file__).resolve().parents[3] / "examples" / "wire-story.txt").read_text("utf-8")
    report = audit_result(veil.redact(text, policy="strict"))
    assert not risk_above(report.risk, "medium")


DATE_FORMS = [
    ("seen on Thu, 6 Jun 2024 at", "Thu, 6 Jun 2024", "2024"),
    ("born 22nd January 1995 in", "22nd January 1995", "1995"),
    ("born on the 9th of October 1968 in", "the 9th of October 1968", "1968"),
    ("DOB: 07/22/1990\n", "07/22/1990", "1990"),
    ("seen 2024-02-03 at", "2024-02-03", "2024"),
    ("Datum: 05.06.2024\n", "05.06.2024", "2024"),
    ("off 8-12 January 2024 ill", "8-12 January 2024", "2024"),
    ("on Monday 4 March 2024 we", "Monday 4 March 2024", "2024"),
    ("d.o.b. 29-06-1999 and", "29-06-1999", "1999"),
    ("seen Feb 19, 2024 at", "Feb 19, 2024", "2024"),
    ("was born in 1961 and", "1961", "1960s"),
]


@pytest.mark.parametrize(("text", "surface", "year"), DATE_FORMS, ids=[s for _, s, _ in DATE_FORMS])
def test_generalize_works_on_every_detected_date_form(
    detector: PatternDetector, text: str, surface: str, year: str
) -> None:
    from veil.operators import GeneralizeOperator
    from veil.protocols import Target

    found = [lab for s, lab in _hits(detector, text) if s == surface]
    assert found and found[0] in (Label.DATE, Label.DOB)
    target = Target(text=surface, label=found[0], entity_id="e1", key=surface, number=1, canonical=surface)
    assert GeneralizeOperator().apply(target) == year


@pytest.mark.parametrize(
    "text",
    ["under Law no. 8/1991 on", "Decree No. 123/2004 of", "Protocol No. 11 to", "the Turkish courts held"],
)
def test_identifiers_public_instruments_are_not_personal(detector: PatternDetector, text: str) -> None:
    assert [s for s, lab in _hits(detector, text) if lab in (Label.ID, Label.NORP)] == []
