"""Issue 11: user names and handles in tickets, chat and social posts.

The rule reads only the name lexicon, so most tests load no model; the last ones run the
pipeline, so that the clean view and the resolver keep a handle whole. Every name is invented.
"""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.detect.handles import handle_names
from veil.detect.names import lexicon
from veil.model import Label
from veil.pipeline import Pipeline
from veil.textview import view_of


def _found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in handle_names(text, lexicon()) if s.label is Label.PERSON]


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("Reporter: tatiana.okonkwo (Payroll)", "tatiana.okonkwo"),
        ("escalated to Network (@gunnar.h)", "gunnar.h"),
        ("Absolutely gutted for @siobhan_reilly, robbed in the final", "siobhan_reilly"),
        ("[GG] xX_dragan_Xx: who took the last drop", "xX_dragan_Xx"),
        ("cc @ignacio thanks", "ignacio"),
        ("moved the job, see thread by fenella.w yesterday", "fenella.w"),
    ],
)
def test_handle_names_name_runs(text: str, handle: str) -> None:
    assert _found(text)[0] == handle


def test_handle_names_at_sign_is_left_out() -> None:
    text = "ping @ignacio.v about it"
    spans = list(handle_names(text, lexicon()))
    assert (spans[0].start, spans[0].end) == (
        text.index("ignacio.v"),
        text.index("ignacio.v") + len("ignacio.v"),
    )


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("user hope.q cannot log in", "hope.q"),  # an ordinary word as a given name
        ("ticket closed by sky_r", "sky_r"),
        ("@bisi_t u coming sat", "bisi_t"),  # a word no list knows, beside an initial
        ("ronke.b: omg\nbisi_t: yes\nronke.b: ok", "ronke.b"),  # a speaker label
        ("ronke.b 09:02 db01 is down again", "ronke.b"),  # a speaker before a time stamp
    ],
)
def test_handle_names_weak_handles_need_a_user_cue(text: str, handle: str) -> None:
    assert handle in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "the hope.q value is read from the config",  # no cue
        "set sky_r in the sky map",
        "add bisi_t to the build",  # "to" is a cue, but an unknown word needs an initial
        "@devops and @sre_oncall please look",  # no name, no initial
        "@here @channel @everyone the build is red",
        "@jenkins rebuilt the branch; travis_ci is green",  # tools
    ],
)
def test_handle_names_weak_handles_without_cue_or_name(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "set max_retries and user_id in config.yaml, then call self.name",
        "see notes_tatiana.txt and report.final.docx",  # file names
        "mail tatiana.okonkwo@example.org or visit www.okonkwo.com",  # address, domain
        "docs at https://example.org/people/tatiana.okonkwo today",  # URL path
        "a site at okonkwo.co.uk and one at tatiana.de",  # domains
        "upgraded to python3.11 and v2.4.1 on 10.0.0.1",  # versions
        "tagged v1.2.3-beta and build_2024_01 for release",
        "I met Tatiana.Then we left",  # two sentences glued together
        "e.g. the a.m. shift, i.e. before 4chan went down",
        "the os.path and np.linalg modules",
    ],
)
def test_handle_names_not_handles(text: str) -> None:
    assert _found(text) == []


def test_handle_names_camel_case_account() -> None:
    assert _found("so proud of @SiobhanReilly today") == ["SiobhanReilly"]


@pytest.mark.parametrize(
    "text",
    ["thanks @ChelseaFC and @Okonkwo_FC", "via @NHSEngland and @BBCSport", "on @YouTube and @PowerPoint"],
)
def test_handle_names_accounts_of_organisations(text: str) -> None:
    assert _found(text) == []


def test_handle_names_digits_stay_outside() -> None:
    text = "gg @bogdan92 and xX_ignacio07_Xx"
    assert _found(text) == ["bogdan", "xX_ignacio", "Xx"]


def test_handle_names_link_name_words_elsewhere() -> None:
    text = "Reporter: tatiana.okonkwo\nTatiana says it drops; okonkwo again at 3pm"
    assert _found(text) == ["tatiana.okonkwo", "Tatiana", "okonkwo"]


def test_handle_names_ordinary_name_word_links_only_before_a_speech_verb() -> None:
    text = "user hope.q cannot log in. Hope says she reset it; no hope left though"
    assert _found(text) == ["hope.q", "Hope"]


def test_handle_names_view_keeps_underscores_inside_words() -> None:
    assert view_of("@bisi_t u coming? _Tatiana_ said").text == "@bisi_t u coming? Tatiana said"


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("@bisi_t u coming sat or nah", ["bisi_t"]),
        (
            "marcus_t: yeh went for her bday\nronke.b: ok\nmarcus_t: will do",
            ["marcus_t", "ronke.b", "marcus_t"],
        ),
        ("[GG] xX_dragan_Xx: who took the last drop\n[GG] Burak: not me", ["xX_dragan_Xx"]),
    ],
)
def test_handle_names_pipeline_masks_whole_handles(text: str, handles: list[str]) -> None:
    pipe = Pipeline(preset("pii").narrowed(["PERSON"]), build_operators=False)
    doc = pipe.analyze(text, "d")
    found = [text[m.start : m.end] for e in doc.entities for m in e.mentions]
    for handle in handles:
        assert handle in found
