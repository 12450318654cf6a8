"""Issue 11: lower-case names in chat and tickets on lines that also hold capitals.

The rules read only the name lexicon, so no model is loaded (but one pipeline test). Every
name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.chat_people import lower_case_people
from veil.detect.names import lexicon
from veil.model import Label
from veil.pipeline import Pipeline


def _found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in lower_case_people(text, lexicon()) if s.label is Label.PERSON]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("[21:14] Ade: u seen ifeoma today", "ifeoma"),  # a given name in no English list
        ("[GG] Bogdan: lol it was dragan", "dragan"),
    ],
)
def test_chat_people_given_name_in_no_word_list(text: str, name: str) -> None:
    assert _found(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Laptop returned to IT (handled by ruaridh). Final pay approved.", "ruaridh"),
        ("OK from the NOC, thanks yewande", "yewande"),
        ("BP ok, son oisin to ring after 10", "oisin"),
        ("bed 2 - mr o'halloran, NBM from midnight", "o'halloran"),
        ("Handover given by temitope to night team (Tomás)", "temitope"),
        ("PR is up, cc wojtek for review", "wojtek"),
        ("Still on for Friday? my flatmate bisola says hi", "bisola"),
    ],
)
def test_chat_people_after_a_word_that_takes_a_person(text: str, name: str) -> None:
    assert name in _found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("#48 VPN\n14:02 agent lucia: asked user to update\n15:05 agent lucia: escalated", "lucia"),
        ("#ops\nrhys.evans 09:02 db01 cpu at 98%\nfunmi 09:03 is that the nightly job?", "funmi"),
        ("Standup 14/5\n- wojtek: finished the OAuth refactor\n- mei: blocked on creds", "mei"),
    ],
)
def test_chat_people_speaker_labels(text: str, name: str) -> None:
    assert name in _found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rota: cover lucia's shift on Sat", "lucia"),
        ("OK so me n ifeoma went for her bday", "ifeoma"),
        ("Good trip! me and jasmine loved it", "jasmine"),
    ],
)
def test_chat_people_possessive_and_me_and(text: str, name: str) -> None:
    assert name in _found(text)


@pytest.mark.parametrize(
    "text",
    ["If an infant's not getting iodine, ask the GP.", "Paris's museums and today's plan", "jenkins's queue"],
)
def test_chat_people_possessive_controls(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Comment (wkz): reproduced on staging.\nComment (Anneliese): thanks", "wkz"),
        ("Agent note (Ebun): refund issued", "Ebun"),
        ("[21:15] Ifeoluwa 💃: no o\n[21:16] Ade: ok\n[21:17] Ifeoluwa 💃: 👍", "Ifeoluwa"),
        ("Export fails with a 500.\nFiled by vkq", "vkq"),  # a capitalised participle before "by"
        ("Thanks yewande, closing this.", "yewande"),  # a capitalised cue
    ],
)
def test_chat_people_ticket_users_and_decorated_labels(text: str, name: str) -> None:
    assert name in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Courier note (DPD): left in the rain",  # an acronym
        "Comment (urgent): call back",  # an English word
        "[10:14] Bot 🤖: Hi\n[10:15] Visitor 🙂: hello",  # labels that are words
        "[10:14] Ifeoluwa 💃: hi",  # one decorated label: no conversation
        "Created by terraform. Updated by jenkins",  # tools
        "Fixed by dependabot. Approved by mergebot. Deployed by argocd, thanks stackoverflow",
        "Comment (lgtm): merged",
    ],
)
def test_chat_people_ticket_controls(text: str) -> None:
    assert _found(text) == []


def test_chat_people_subject_after_chat_opener() -> None:
    assert _found("ngl yewande was lowkey rude to the waiter. OK?") == ["yewande"]


@pytest.mark.parametrize(
    "text",
    [
        "Thanks! deployed with grafana, jenkins and docker on kubernetes",
        "OK, hey jenkins rebuilt it; cc grafana alerts; ping kubectl logs",
        "handled by paris office. Flew to paris with will and grace",  # a place, ordinary words
        "In what we call spacetime, the eye makes movements called saccades.",  # terms, not people
        "Replication matters, and metascience is a growing field.",
        "It works vice versa. A dry rosé style of wine.",
        "lol nginx was down again, ngl redis is slow",  # machines after chat openers
        "The Q3 report was written by hand and approved by committee.",
        "- note: bring the cake\n- todo: book the room",  # bullet labels that are words
        "agent notes: see below\nuser guide: chapter 2",  # role words before words
    ],
)
def test_chat_people_controls(text: str) -> None:
    assert _found(text) == []


def test_chat_people_two_letter_labels_beside_named_labels() -> None:
    text = (
        "Standup\n- kq: finished the OAuth refactor\n- mei: blocked on creds\n- new starter joins, buddy = kq"
    )
    found = _found(text)
    assert found.count("kq") == 2
    assert "mei" in found


@pytest.mark.parametrize(
    "text",
    [
        "Standup\n- kq: finished the refactor\n- zx: blocked on creds",  # no label is a name
        "Release\n- ui: new buttons\n- qa: signed off\n- mei: docs",  # known abbreviations
    ],
)
def test_chat_people_two_letter_labels_controls(text: str) -> None:
    assert [w for w in _found(text) if len(w) == 2] == []


def test_chat_people_time_labels_need_two_turns() -> None:
    assert _found("funmi 09:03 is that the nightly job?") == []


def test_chat_people_pipeline_masks_lower_case_name_on_mixed_line() -> None:
    text = "Leaver checklist (Finance). Laptop returned to IT, handled by ruaridh. Exit interview declined."
    pipe = Pipeline(preset("pii").narrowed(["PERSON"]), build_operators=False)
    doc = pipe.analyze(text, "d")
    assert "ruaridh" in [text[m.start : m.end] for e in doc.entities for m in e.mentions]
