"""Issue 11: role labels, job titles, reference headings and sign-offs mark unknown names.

Through :class:`~veil.detect.context.ContextDetector` (which runs :mod:`veil.detect.roles`),
so each test reads only the context rule, never a model. Every name is invented and in no
name list.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.context import ContextDetector
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver


def _person_context(text: str) -> set[str]:
    spans = ContextDetector().detect(Document("d", text))
    return {
        text[s.start : s.end]
        for s in spans
        if s.label is Label.PERSON and s.evidence is Evidence.PERSON_CONTEXT
    }


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Chair: Ysolde Marrack. Secretary: Branwen Okoye.", {"Ysolde Marrack", "Branwen Okoye"}),
        ("Ticket 4471\nAssignee: Tamzin Oyelaran\nStatus: open", {"Tamzin Oyelaran"}),
        ("Witnesses: Ermengild Sowande and Quillon Baptiste", {"Ermengild Sowande", "Quillon Baptiste"}),
        ("Present: Orla Nwachukwu, Piran Szekely; Apologies: Tegwen Adeyemi", None),
        ("Prepared by: Ludovica Aasgaard", {"Ludovica Aasgaard"}),
        ("Patient name: Oyelaran Thibodeaux\nDOB: 4 May 1980", {"Oyelaran Thibodeaux"}),
        ("Customer: Margaret Oyelowo\nOrder: 5512", {"Margaret Oyelowo"}),
    ],
)
def test_role_context_label_with_colon_marks_the_names(text: str, names: set[str] | None) -> None:
    expected = names or {"Orla Nwachukwu", "Piran Szekely", "Tegwen Adeyemi"}
    assert expected <= _person_context(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Our People - Zebulon Okonjo, Lead Engineer", "Zebulon Okonjo"),
        ("Contact Marisol Quennell, senior planner at the council, for details.", "Marisol Quennell"),
        ("Ingeborg Tchamba, Head Teacher\nSt Aldric's Primary", "Ingeborg Tchamba"),
    ],
)
def test_role_context_job_title_in_apposition_marks_the_name(text: str, name: str) -> None:
    assert name in _person_context(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Reference for Oluwaseun Thorvaldsen\nI managed Oluwaseun for two years.", "Oluwaseun Thorvaldsen"),
        ("Letter of recommendation for Casimira Ndlovu", None),
        ("Thank you for your time.\nCordially, Leopold Aarnio", "Leopold Aarnio"),
        ("Thank you for your time.\nRespectfully,\nIngrid Solvang-Oduya", "Ingrid Solvang-Oduya"),
    ],
)
def test_role_context_reference_heading_and_sign_off_mark_the_name(text: str, name: str | None) -> None:
    assert (name or "Casimira Ndlovu") in _person_context(text)


@pytest.mark.parametrize(
    "text",
    [
        "Status: Open. Priority: High",
        "Location: Kingston Upon Hull",
        "Chair: Finance Committee. Secretary: Board Office.",
        "Acme Holdings, market leader in adhesives, said profits rose.",
        "Toyota, the producer, and Ford, partner of the year.",
        "Owner: Everyone\nReporter: Monday",
        "Author: Admin\nAssignee: Unassigned\nReviewer: Pending\nOwner: Backend",
        # a role a company holds too: the name must start with a given name
        "Customer: Northwind Traders\nSupplier: Brightwave Fittings",
        "Product name: Quantix Pro",
        "Thanks for your help.\nCordially, Helpdesk",
        "Reference for Customer Service\nCordially, Support Team",
        "The first list, Project Manager for the council, was late.",
    ],
)
def test_role_context_labels_and_titles_without_a_name_give_nothing(text: str) -> None:
    assert not _person_context(text)


def test_role_context_name_then_propagates_to_the_bare_surname() -> None:
    text = "Chair: Ysolde Marrack. Secretary: Branwen Okoye.\n1. Okoye read the minutes; Marrack closed."
    spans = tuple(ContextDetector().detect(Document("d", text)))
    doc = NameResolver(preset("pii").narrowed(["PERSON"])).resolve(Document("d", text, spans=spans))
    covered = {text[m.start : m.end] for e in doc.entities for m in e.mentions}
    assert {"Branwen Okoye", "Okoye", "Ysolde Marrack", "Marrack"} <= covered


def test_role_context_spans_carry_person_context_evidence() -> None:
    text = "Assignee: Tamzin Oyelaran"
    spans = [
        s for s in ContextDetector().detect(Document("d", text)) if text[s.start : s.end] == "Tamzin Oyelaran"
    ]
    assert spans
    assert all(isinstance(s, Span) and s.evidence is Evidence.PERSON_CONTEXT for s in spans)
