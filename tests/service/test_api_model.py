"""The API against the real library (spaCy model, real detectors and operators)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

from veil.config import preset
from veil.keys import generate_key
from veil.pipeline import Pipeline
from veil.service import ServiceSettings, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # see test_api.py: Starlette prefers httpx2
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.model

TOKEN = "t0ken-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = (
    "Ms. Margarethe Olsvik, a ferry inspector from Tromsø, wrote to the harbour office on "
    "Tuesday. Olsvik said the night crossing had been cancelled twice. Reach her at "
    "m.olsvik@fjordline-example.no or +47 912 34 567. Her colleague Anders Breivold "
    "agreed, and Breivold later filed the complaint that Olsvik had drafted."
)
KEY = generate_key()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = ServiceSettings(
        token=TOKEN,
        secrets={op: {"key": KEY} for op in ("encrypt", "hash", "surrogate")},
        restore_key=KEY,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    "options",
    [{}, {"operator": "redact"}, {"preset": "strict"}, {"labels": ["PERSON"], "operator": "tag"}],
    ids=["default", "redact", "strict", "person-tag"],
)
def test_api_model_redact_identical_to_library(client: TestClient, options: dict[str, object]) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "doc_id": "story", **options}, headers=AUTH)
    assert r.status_code == 200, r.text
    policy = preset(str(options.get("preset", "pii")))
    if "labels" in options:
        policy = policy.narrowed(options["labels"])  # type: ignore[arg-type]
    if "operator" in options:
        policy = policy.with_operator(str(options["operator"]))
    expected = Pipeline(policy).redact(TEXT, "story")
    assert r.json()["text"] == expected.text
    assert r.json()["report"] == expected.report()


def test_api_model_detect_identical_to_library(client: TestClient) -> None:
    r = client.post("/v1/detect", json={"text": TEXT, "doc_id": "story"}, headers=AUTH)
    assert r.status_code == 200
    doc = Pipeline(preset("pii")).analyze(TEXT, "story")
    assert [[(m["start"], m["end"]) for m in e["mentions"]] for e in r.json()["entities"]] == [
        [(m.start, m.end) for m in e.mentions] for e in doc.entities
    ]


def test_api_model_unmask_then_mask_missed(client: TestClient) -> None:
    detected = client.post("/v1/detect", json={"text": TEXT}, headers=AUTH).json()["entities"]
    olsvik = next(e for e in detected if any(TEXT[m["start"] : m["end"]] == "Olsvik" for m in e["mentions"]))
    canonical = olsvik["mentions"][olsvik["canonical"]]
    allow = TEXT[canonical["start"] : canonical["end"]]
    body = {"text": TEXT, "allow": [allow], "deny": ["night crossing"], "operator": "redact"}
    out = client.post("/v1/redact", json=body, headers=AUTH).json()["text"]
    assert out.count("Olsvik") == TEXT.count("Olsvik")
    assert "night crossing" not in out
    assert "Breivold" not in out


def test_api_model_restore_round_trip(client: TestClient) -> None:
    masked = client.post("/v1/redact", json={"text": TEXT, "operator": "encrypt"}, headers=AUTH).json()[
        "text"
    ]
    assert "Olsvik" not in masked
    r = client.post("/v1/restore", json={"text": masked}, headers=AUTH)
    assert r.status_code == 200
    assert r.json()["text"] == TEXT


def test_api_model_restore_wrong_key_is_400_without_text(client: TestClient) -> None:
    other = Pipeline(preset("pii").with_operator("encrypt"), secrets={"encrypt": {"key": generate_key()}})
    masked = other.redact(TEXT, "d").text
    r = client.post("/v1/restore", json={"text": masked}, headers=AUTH)
    assert r.status_code == 400
    assert "⟦" not in r.text
    assert "Olsvik" not in r.text


def test_api_model_restore_needs_server_key() -> None:
    with TestClient(create_app(ServiceSettings(token=TOKEN)), raise_server_exceptions=False) as c:
        r = c.post("/v1/restore", json={"text": "nothing to open"}, headers=AUTH)
    assert r.status_code == 400
    assert "--key-file" in r.json()["error"]["message"]


def test_api_model_audit(client: TestClient) -> None:
    from veil.audit import audit_result, audit_text

    r = client.post("/v1/redact", json={"text": TEXT, "doc_id": "story", "audit": True}, headers=AUTH)
    assert r.status_code == 200, r.text
    pipe = Pipeline(preset("pii"))
    result = pipe.redact(TEXT, "story")
    assert r.json()["audit"] == audit_result(result, pipeline=pipe).to_dict(include_text=False)

    r = client.post("/v1/audit", json={"text": result.text, "doc_id": "story"}, headers=AUTH)
    assert r.status_code == 200, r.text
    expected = audit_text(result.text, "story", policy=pipe.policy, pipeline=pipe).to_dict(include_text=False)
    assert r.json() == expected
