"""The HTTP API, in process (fastapi TestClient / httpx ASGITransport).

Most tests use a small, fast pipeline (a word-list detector, the real deny-list detector,
resolver and policy, and a test operator registered for this module) so they run without
the spaCy model; tests marked ``model`` compare the API with the real library.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import multiprocessing
import re
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar

import httpx
import pytest

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its TestClient and warns when it finds
    # httpx; the client works the same, and filterwarnings=error would fail collection.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from veil import registry
from veil.config import Policy, preset
from veil.detect.lists import DenyListDetector
from veil.errors import ConfigError, InputError
from veil.model import Document, Label, Span
from veil.pipeline import Pipeline
from veil.protocols import Target
from veil.service import ServiceSettings, create_app, docx_to_text

TOKEN = "t0ken-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = (
    "Ada Byron met Charles Babbage in London. Later Byron wrote to Babbage at "
    "ada@example.org; Babbage replied the next day."
)

# -- a fast stand-in pipeline ---------------------------------------------------------------

_WORDS = {
    "Ada Byron": Label.PERSON,
    "Byron": Label.PERSON,
    "Charles Babbage": Label.PERSON,
    "Babbage": Label.PERSON,
    "ada@example.org": Label.EMAIL,
}


class WordDetector:
    """Every occurrence of a fixed word list (longest first, no overlaps)."""

    name: ClassVar[str] = "words"

    def detect(self, doc: Document) -> Iterable[Span]:
        found: list[Span] = []
        for word in sorted(_WORDS, key=len, reverse=True):
            for m in re.finditer(re.escape(word), doc.text):
                span = Span(m.start(), m.end(), _WORDS[word], "words")
                if not any(span.overlaps(s) for s in found):
                    found.append(span)
        return found


class SlowDetector:
    name: ClassVar[str] = "slow"
    delay = 1.0

    def detect(self, doc: Document) -> Iterable[Span]:
        time.sleep(self.delay)
        return []


class LeakyCrashDetector:
    """Fails with an exception whose message quotes the text, as third-party code may."""

    name: ClassVar[str] = "leaky"

    def detect(self, doc: Document) -> Iterable[Span]:
        raise RuntimeError(f"cannot handle {doc.text!r}")


class SvcTag:
    name: ClassVar[str] = "svctag"

    def apply(self, target: Target) -> str:
        return f"<{target.label.value}-{target.number}>"


@pytest.fixture(scope="module", autouse=True)
def _svctag_operator() -> Iterator[None]:
    registry.register("veil.operators", "svctag.v1", SvcTag)
    yield
    registry.unregister("veil.operators", "svctag.v1")


def _policy() -> Policy:
    return preset("pii").with_operator("svctag")


def fast_factory(policy: Policy) -> Pipeline:
    return Pipeline(policy, detectors=[WordDetector(), DenyListDetector(policy)])


def _client(**kwargs: Any) -> TestClient:
    factory = kwargs.pop("factory", fast_factory)
    settings = ServiceSettings(**{"token": TOKEN, "policy": _policy(), **kwargs})
    return TestClient(create_app(settings, pipeline_factory=factory), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with _client() as c:
        yield c


# -- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "refusing to start without an API token"),
        ({"token": "short"}, "at least 16 characters"),
        ({"token": f" {TOKEN} "}, "surrounding whitespace"),
        ({"token": TOKEN, "max_body_bytes": 10}, "max body size"),
        ({"token": TOKEN, "timeout": 0}, "timeout"),
        ({"token": TOKEN, "concurrency": 0}, "concurrency"),
        ({"token": TOKEN, "cors_origins": ("*",)}, "CORS"),
    ],
    ids=["no-token", "short-token", "padded-token", "tiny-body", "zero-timeout", "no-workers", "cors-star"],
)
def test_settings_invalid_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ServiceSettings(**kwargs)


def test_settings_insecure_no_auth_allowed_explicitly() -> None:
    assert ServiceSettings(insecure_no_auth=True).token is None


def test_settings_repr_hides_token() -> None:
    assert TOKEN not in repr(ServiceSettings(token=TOKEN))
    assert "[secure]" in repr(ServiceSettings(token=TOKEN))


# -- auth -----------------------------------------------------------------------------------

_PROTECTED = [
    ("POST", "/v1/detect"),
    ("POST", "/v1/redact"),
    ("POST", "/v1/audit"),
    ("POST", "/v1/restore"),
    ("POST", "/v1/extract"),
    ("GET", "/v1/info"),
]


@pytest.mark.parametrize(("method", "path"), _PROTECTED, ids=[p for _, p in _PROTECTED])
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": f"Basic {TOKEN}"}],
    ids=["missing", "wrong", "not-bearer"],
)
def test_api_auth_required(client: TestClient, method: str, path: str, headers: dict[str, str]) -> None:
    body = {"text": TEXT} if method == "POST" else None
    r = client.request(method, path, json=body, headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json()["error"]["type"] == "Unauthorized"


def test_api_health_needs_no_token(client: TestClient) -> None:
    r = client.get("/v1/health")
    assert r.status_code == 200
    assert r.json()["auth_required"] is True


def test_api_insecure_no_auth_serves_without_token() -> None:
    with _client(token=None, insecure_no_auth=True) as c:
        assert c.post("/v1/detect", json={"text": TEXT}).status_code == 200
        assert c.get("/v1/health").json()["auth_required"] is False


# -- limits and errors ----------------------------------------------------------------------


def test_api_oversize_declared_rejected_with_413() -> None:
    with _client(max_body_bytes=2048) as c:
        big = {"text": "Ada Byron " * 400}
        r = c.post("/v1/redact", json=big, headers=AUTH)
        assert r.status_code == 413
        assert r.json()["error"]["type"] == "PayloadTooLarge"
        assert "Ada" not in r.text


def test_api_oversize_streamed_rejected_with_413() -> None:
    # No Content-Length: the limit must hold while the body streams in.
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"Ada Byron " * 10
        yield b'"}'

    app = create_app(
        ServiceSettings(token=TOKEN, policy=_policy(), max_body_bytes=2048), pipeline_factory=fast_factory
    )

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as ac:
            return await ac.post(
                "/v1/redact", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
            )

    r = asyncio.run(go())
    assert r.status_code == 413


def test_api_upload_oversize_rejected_with_413() -> None:
    with _client(max_body_bytes=4096) as c:
        files = {"file": ("big.txt", b"Ada Byron\n" * 1000, "text/plain")}
        assert c.post("/v1/extract", files=files, headers=AUTH).status_code == 413


_SECRET = "Zebulon Quackenbush"


@pytest.mark.parametrize(
    "body",
    [
        f'{{"text": "{_SECRET}',
        f'{{"text": "{_SECRET}", }}',
        f'["{_SECRET}"]',
        f'{{"text": {{"name": "{_SECRET}"}}}}',
        f'{{"text": "hello", "{_SECRET}": 1}}',
        f'{{"text": "hello", "labels": ["{_SECRET}"]}}',
        f'{{"text": "hello", "doc_id": "{_SECRET}"}}',
        f'{{"text": "hello", "allow": ["{_SECRET * 20}"]}}',
    ],
    ids=[
        "truncated",
        "trailing-comma",
        "array",
        "text-object",
        "extra-key",
        "bad-label",
        "bad-doc-id",
        "long-allow",
    ],
)
def test_api_malformed_request_422_without_echo(
    client: TestClient, body: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    r = client.post("/v1/redact", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code in (400, 422)
    assert "error" in r.json()
    assert _SECRET not in r.text
    assert "Zebulon" not in r.text
    assert all("Zebulon" not in rec.getMessage() for rec in caplog.records)


def test_api_bad_label_is_400_config_error(client: TestClient) -> None:
    r = client.post("/v1/detect", json={"text": TEXT, "labels": ["PERSN"]}, headers=AUTH)
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "ConfigError"
    # issue 10: the closest label and no command-line flag; issue 12.8: the field, not the value sent
    message = r.json()["error"]["message"]
    assert message.startswith("labels[0]: unknown label (did you mean 'PERSON'?)")
    assert "PERSN" not in r.text and "--labels" not in r.text


def test_api_unknown_operator_is_400(client: TestClient) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "operator": "surrogat"}, headers=AUTH)
    assert r.status_code == 400
    assert "Byron" not in r.text
    assert "did you mean 'surrogate'" in r.text and "veil.operators" not in r.text and ".v1" not in r.text
    assert "'surrogat'" not in r.text  # issue 12.8: not echoed


def test_api_keyless_operator_error_shows_no_internals(client: TestClient) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "operator": "encrypt"}, headers=AUTH)
    assert r.status_code == 400
    assert "needs a secret key" in r.text and "secrets=" not in r.text
    assert r.json()["error"]["message"].startswith("operator: ")


def test_api_lone_surrogate_rejected(client: TestClient) -> None:
    body = '{"text": "Ada Byron \\ud800 wrote"}'
    r = client.post("/v1/redact", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422
    assert "Byron" not in r.text


def test_api_crash_fails_closed_without_text(caplog: pytest.LogCaptureFixture) -> None:
    def factory(policy: Policy) -> Pipeline:
        return Pipeline(policy, detectors=[LeakyCrashDetector()])

    caplog.set_level(logging.DEBUG)
    with _client(factory=factory) as c:
        r = c.post("/v1/redact", json={"text": TEXT}, headers=AUTH)
    assert r.status_code == 500
    assert r.json()["error"]["type"] == "DetectorError"
    assert "Byron" not in r.text
    assert "text" not in r.json() or r.json().get("text") is None
    assert all("Byron" not in rec.getMessage() for rec in caplog.records)


def test_api_logs_carry_no_text(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for path in ("/v1/detect", "/v1/redact"):
        assert client.post(path, json={"text": TEXT, "doc_id": "d1"}, headers=AUTH).status_code == 200
    assert any("request" in rec.getMessage() for rec in caplog.records if rec.name == "veil.service.access")
    for rec in caplog.records:
        for word in ("Byron", "Babbage", "example.org"):
            assert word not in rec.getMessage()


def test_api_timeout_gives_504() -> None:
    slow = SlowDetector()
    slow.delay = 1.0

    def factory(policy: Policy) -> Pipeline:
        return Pipeline(policy, detectors=[slow])

    with _client(factory=factory, timeout=0.2) as c:
        started = time.monotonic()
        r = c.post("/v1/detect", json={"text": TEXT}, headers=AUTH)
        assert r.status_code == 504
        assert time.monotonic() - started < 0.9
        assert "Byron" not in r.text


def test_api_no_free_worker_gives_503_with_retry_after() -> None:
    app = create_app(ServiceSettings(token=TOKEN, policy=_policy()), pipeline_factory=fast_factory)
    app.state.veil.pool.close()  # a pool that hands out no worker, as when every one is taken
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/v1/detect", json={"text": TEXT}, headers=AUTH)
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert "Byron" not in r.text


# -- results --------------------------------------------------------------------------------


def test_api_redact_identical_to_library(client: TestClient) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "doc_id": "d1"}, headers=AUTH)
    assert r.status_code == 200
    expected = fast_factory(_policy()).redact(TEXT, "d1")
    assert r.json()["text"] == expected.text
    assert r.json()["report"] == json.loads(json.dumps(expected.report()))
    assert "Byron" not in r.json()["text"]


def test_api_redact_with_audit_identical_to_library(client: TestClient) -> None:
    from veil.audit import audit_result

    r = client.post("/v1/redact", json={"text": TEXT, "doc_id": "d1", "audit": True}, headers=AUTH)
    assert r.status_code == 200
    pipe = fast_factory(_policy())
    expected = audit_result(pipe.redact(TEXT, "d1"), pipeline=pipe).to_dict(include_text=False)
    assert r.json()["audit"] == json.loads(json.dumps(expected))
    assert "Byron" not in json.dumps(r.json()["audit"])


def test_api_audit_identical_to_library(client: TestClient) -> None:
    from veil.audit import audit_text

    leaky = TEXT.replace("Charles Babbage", "<PERSON-2>", 1)
    r = client.post("/v1/audit", json={"text": leaky, "doc_id": "d1"}, headers=AUTH)
    assert r.status_code == 200
    pipe = fast_factory(_policy())
    expected = audit_text(leaky, "d1", policy=pipe.policy, pipeline=pipe).to_dict(include_text=False)
    assert r.json() == json.loads(json.dumps(expected))
    assert r.json()["findings"], "the leaked names should be found"


def test_api_detect_identical_to_library(client: TestClient) -> None:
    r = client.post("/v1/detect", json={"text": TEXT, "doc_id": "d1"}, headers=AUTH)
    assert r.status_code == 200
    doc = fast_factory(_policy()).analyze(TEXT, "d1")
    got = r.json()["entities"]
    assert [(e["id"], e["label"]) for e in got] == [(e.id, e.label.value) for e in doc.entities]
    assert [[(m["start"], m["end"]) for m in e["mentions"]] for e in got] == [
        [(m.start, m.end) for m in e.mentions] for e in doc.entities
    ]
    for e, ent in zip(got, doc.entities, strict=True):
        canonical = e["mentions"][e["canonical"]]
        assert TEXT[canonical["start"] : canonical["end"]] == ent.canonical(TEXT)


def test_api_detect_links_all_mentions(client: TestClient) -> None:
    r = client.post("/v1/detect", json={"text": TEXT}, headers=AUTH)
    babbage = [
        e
        for e in r.json()["entities"]
        if any(TEXT[m["start"] : m["end"]] == "Babbage" for m in e["mentions"])
    ]
    assert len(babbage) == 1
    surfaces = {TEXT[m["start"] : m["end"]] for m in babbage[0]["mentions"]}
    assert surfaces == {"Charles Babbage", "Babbage"}
    assert len(babbage[0]["mentions"]) == TEXT.count("Babbage")


def test_api_allow_unmasks_every_mention(client: TestClient) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "allow": ["Charles Babbage"]}, headers=AUTH)
    assert r.status_code == 200
    out = r.json()["text"]
    assert out.count("Babbage") == TEXT.count("Babbage")
    assert "Byron" not in out


def test_api_deny_masks_every_occurrence(client: TestClient) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "deny": ["london"]}, headers=AUTH)
    assert r.status_code == 200
    assert "London" not in r.json()["text"]
    labels = {e["label"] for e in r.json()["report"]["entities"]}
    assert "MISC" in labels


def test_api_deny_applies_even_when_labels_narrowed(client: TestClient) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "labels": ["EMAIL"], "deny": ["London"]}, headers=AUTH)
    assert r.status_code == 200
    out = r.json()["text"]
    assert "London" not in out
    assert "example.org" not in out
    assert "Byron" in out


def test_api_pipelines_cached_per_options() -> None:
    # Pipelines are built in the worker process: count them in memory it shares.
    built = multiprocessing.get_context("fork").Value("i", 0)

    def factory(policy: Policy) -> Pipeline:
        with built.get_lock():
            built.value += 1
        return fast_factory(policy)

    with _client(factory=factory, concurrency=1) as c:
        for body in ({}, {}, {"allow": ["Byron"]}, {"allow": ["Byron"]}, {}):
            assert c.post("/v1/detect", json={"text": TEXT, **body}, headers=AUTH).status_code == 200
    assert built.value == 2


def test_api_offsets_are_code_points(client: TestClient) -> None:
    text = "👩‍💻 Ada Byron 🎉 wrote to Babbage."
    r = client.post("/v1/detect", json={"text": text}, headers=AUTH)
    spans = {text[m["start"] : m["end"]] for e in r.json()["entities"] for m in e["mentions"]}
    assert spans == {"Ada Byron", "Babbage"}


# -- upload ---------------------------------------------------------------------------------


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Contact"
    table.rows[0].cells[1].text = "ada@example.org"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_api_extract_docx(client: TestClient) -> None:
    data = _docx_bytes(["Ada Byron met Charles Babbage.", "Byron wrote first."])
    files = {"file": ("letter.docx", data, "application/octet-stream")}
    r = client.post("/v1/extract", files=files, headers=AUTH)
    assert r.status_code == 200
    assert r.json()["text"] == "Ada Byron met Charles Babbage.\nByron wrote first.\nContact\tada@example.org"
    assert r.json()["name"] == "letter.docx"


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("notes.txt", TEXT.encode("utf-8"), 200),
        ("notes.txt", b"\xff\xfe bad", 422),
        ("notes.txt", b"", 422),
        ("notes.pdf", b"%PDF-1.4", 422),
        ("fake.docx", b"not a zip", 422),
    ],
    ids=["txt", "not-utf8", "empty", "pdf", "fake-docx"],
)
def test_api_extract_kinds(client: TestClient, name: str, data: bytes, status: int) -> None:
    r = client.post("/v1/extract", files={"file": (name, data, "application/octet-stream")}, headers=AUTH)
    assert r.status_code == status
    if status == 200:
        assert r.json()["text"] == TEXT


def test_docx_to_text_refuses_zip_bomb() -> None:
    data = _docx_bytes(["x" * 2000])
    with pytest.raises(InputError, match="expands to more than"):
        docx_to_text(data, max_expanded=1000)


# -- page, schema, CORS ---------------------------------------------------------------------


def test_api_page_and_assets_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        r = client.get(asset)
        assert r.status_code == 200, asset
    assert "/static/app.js" in page.text


def test_api_openapi_documents_endpoints_and_auth(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/v1/health", "/v1/detect", "/v1/redact", "/v1/audit", "/v1/restore", "/v1/extract"):
        assert path in schema["paths"], path
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert schema["paths"]["/v1/redact"]["post"]["security"] == [{"HTTPBearer": []}]


def test_api_cors_off_by_default(client: TestClient) -> None:
    headers = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    r = client.options("/v1/redact", headers=headers)
    assert "access-control-allow-origin" not in r.headers


def test_api_cors_allows_listed_origin_only() -> None:
    with _client(cors_origins=("https://news.example",)) as c:
        ok = c.options(
            "/v1/redact",
            headers={"Origin": "https://news.example", "Access-Control-Request-Method": "POST"},
        )
        assert ok.headers["access-control-allow-origin"] == "https://news.example"
        other = c.options(
            "/v1/redact",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in other.headers


def test_api_info_lists_operators(client: TestClient) -> None:
    info = client.get("/v1/info", headers=AUTH).json()
    assert "svctag" in info["operators"]
    assert set(info["presets"]) == {"pii", "strict"}
    assert info["default_operator"] == "svctag"


def test_api_threads_do_not_mix_results(client: TestClient) -> None:
    texts = [f"Ada Byron wrote {i} letters to Babbage." for i in range(8)]
    expected = [fast_factory(_policy()).redact(t, "d").text for t in texts]
    got: dict[int, str] = {}

    def post(i: int) -> None:
        got[i] = client.post("/v1/redact", json={"text": texts[i], "doc_id": "d"}, headers=AUTH).json()[
            "text"
        ]

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[i] for i in range(len(texts))] == expected


def _raise_secret(*args: object) -> Any:
    try:
        raise ValueError("SECRET-INPUT (the cause)")
    except ValueError as exc:
        raise RuntimeError("SECRET-INPUT") from exc


@pytest.mark.parametrize("where", ["route", "headers"], ids=["in-route", "in-veil-middleware"])
def test_api_unexpected_exception_logs_type_only(
    where: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing of ``str(exc)`` reaches a log. Starlette's ServerErrorMiddleware re-raises after
    its handler, and uvicorn then logs the traceback (message and chained causes) to
    ``uvicorn.error``; the wrapper below does what uvicorn does with an escaped exception."""
    import veil.service.middleware

    settings = ServiceSettings(token=TOKEN, policy=_policy())
    app = create_app(settings, pipeline_factory=fast_factory)
    app.add_api_route("/v1/boom", lambda: _raise_secret(), methods=["GET"])
    if where == "headers":  # fails outside every route and exception handler
        monkeypatch.setattr(
            veil.service.middleware, "uuid", type("U", (), {"uuid4": staticmethod(_raise_secret)})
        )

    async def like_uvicorn(scope: Any, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception as exc:
            logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=exc)

    caplog.set_level(logging.DEBUG)
    with TestClient(like_uvicorn, raise_server_exceptions=False) as c:
        r = c.get("/v1/boom" if where == "route" else "/v1/health", headers=AUTH)
    assert r.status_code == 500
    assert r.json()["error"] == {
        "type": "InternalError",
        "message": "internal error; the text was not processed",
    }
    assert "SECRET-INPUT" not in r.text
    assert any("RuntimeError" in rec.getMessage() for rec in caplog.records if rec.name == "veil.service")
    for rec in caplog.records:
        assert "SECRET-INPUT" not in logging.Formatter().format(rec), rec.name


# -- issue 12.8: nothing sent comes back or goes to a log -------------------------------------


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    # Veil's and uvicorn's records (the test client's own httpx log is not the server's).
    return "\n".join(
        logging.Formatter().format(rec) for rec in caplog.records if rec.name.startswith(("veil", "uvicorn"))
    )


@pytest.mark.parametrize(
    ("options", "field", "valid"),
    [
        ({"labels": ["Kowalski"]}, "labels[0]", "PERSON"),
        ({"labels": ["PERSON", "Kowalski"]}, "labels[1]", "EMAIL"),
        ({"operator": "Kowalski"}, "operator", "pseudonym"),
    ],
    ids=["label", "second-label", "operator"],
)
def test_issue_12_option_error_names_field_without_echo(
    client: TestClient, caplog: pytest.LogCaptureFixture, options: dict[str, Any], field: str, valid: str
) -> None:
    caplog.set_level(logging.DEBUG)
    r = client.post("/v1/redact", json={"text": TEXT, **options}, headers=AUTH)
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert message.startswith(f"{field}: ")
    assert valid in message.split("valid", 1)[1]
    assert "kowalski" not in r.text.lower()
    assert "kowalski" not in _logged(caplog).lower()


def test_issue_10_operator_that_cannot_transform_a_label_is_400(client: TestClient) -> None:
    r = client.post("/v1/redact", json={"text": TEXT, "operator": "generalize"}, headers=AUTH)
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("operator: ")
    assert "PERSON" in r.json()["error"]["message"]
    assert "Byron" not in r.text


def test_issue_12_access_log_writes_route_template_and_status_only(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert client.get("/v1/Kowalski_Lavrov?q=AnnaKowalski", headers=AUTH).status_code == 404
    assert client.post("/v1/detect?q=AnnaKowalski", json={"text": TEXT}, headers=AUTH).status_code == 200
    access = [rec.getMessage() for rec in caplog.records if rec.name == "veil.service.access"]
    assert any(re.search(r" GET - -> 404 in ", line) for line in access), access
    assert any(re.search(r" POST /v1/detect -> 200 in ", line) for line in access), access
    assert "kowalski" not in _logged(caplog).lower()


def test_issue_12_serve_turns_off_uvicorn_access_log(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    import veil.service.app

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    monkeypatch.setattr(veil.service.app, "default_factory", lambda secrets: fast_factory)
    veil.service.serve(ServiceSettings(token=TOKEN, policy=_policy()), port=0)
    assert seen["access_log"] is False


# -- issue 12.9: the OpenAPI schema says what can happen --------------------------------------


@pytest.mark.parametrize("path", ["/v1/detect", "/v1/redact", "/v1/audit", "/v1/restore", "/v1/extract"])
def test_issue_12_openapi_declares_error_statuses(client: TestClient, path: str) -> None:
    responses = client.get("/openapi.json").json()["paths"][path]["post"]["responses"]
    assert {"400", "401", "413", "500", "503", "504"} <= set(responses)
    assert "Retry-After" in responses["503"]["headers"]
    assert "WWW-Authenticate" in responses["401"]["headers"]
    assert responses["504"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }


def test_issue_12_labels_need_at_least_one_item(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TextRequest"]
    array = next(s for s in schema["properties"]["labels"]["anyOf"] if s.get("type") == "array")
    assert array["minItems"] == 1
    r = client.post("/v1/detect", json={"text": TEXT, "labels": []}, headers=AUTH)
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["loc"] == ["body", "labels"]


@pytest.mark.parametrize(
    ("method", "path", "allow"), [("GET", "/v1/redact", "POST"), ("POST", "/v1/info", "GET")]
)
def test_issue_12_405_carries_allow(client: TestClient, method: str, path: str, allow: str) -> None:
    r = client.request(method, path, headers=AUTH)
    assert r.status_code == 405
    assert r.headers["allow"] == allow
    assert r.json()["error"]["type"] == "MethodNotAllowed"


def test_api_labels_accumulate_as_on_the_command_line(client: TestClient) -> None:
    comma = client.post("/v1/redact", json={"text": TEXT, "labels": ["PERSON,email"]}, headers=AUTH)
    listed = client.post("/v1/redact", json={"text": TEXT, "labels": ["EMAIL", "person"]}, headers=AUTH)
    assert comma.status_code == listed.status_code == 200
    assert comma.json()["text"] == listed.json()["text"]
    assert "Byron" not in comma.json()["text"] and "example.org" not in comma.json()["text"]
