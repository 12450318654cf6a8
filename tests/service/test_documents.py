"""``POST /v1/redact/file`` and ``/v1/extract``: documents in, the same format out.

Small documents of every format are generated here (python-docx, fpdf2, the stdlib
``email`` package); a fast word-list detector stands in for the models. Each answer is
compared with what the library (:func:`veil.formats.redact_document`) gives for the same
document and policy.
"""

from __future__ import annotations

import io
import logging
import re
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from email.message import EmailMessage
from typing import Any, ClassVar

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("docx")
pytest.importorskip("fpdf")

with warnings.catch_warnings():
    # As in test_api.py: Starlette warns that it prefers httpx2; the client works the same.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from veil.config import Policy, preset
from veil.detect.lists import DenyListDetector
from veil.formats import get_format, redact_document
from veil.formats._core import join
from veil.model import Document, Label, Span
from veil.pipeline import Pipeline
from veil.service import ServiceSettings, create_app

TOKEN = "t0ken-for-documents-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NAMES = ("Ada Byron", "Byron", "Charles Babbage", "Babbage", "ada@example.org")
LINE = "Ada Byron met Charles Babbage in London."
LINE2 = "Later Byron wrote to ada@example.org."
#: An upload's file name that is itself a person's name: it must never come back.
UPLOAD_STEM = "Tom Riley statement"

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


class FirstOnlyDetector:
    """Finds a case number only where it first occurs (a detector that misses a repeat):
    the second occurrence is left in, and verification must refuse the document."""

    name: ClassVar[str] = "first-only"
    number: ClassVar[str] = "AB-12345"

    def detect(self, doc: Document) -> Iterable[Span]:
        i = doc.text.find(self.number)
        return [Span(i, i + len(self.number), Label.ID, self.name)] if i >= 0 else []


class SlowDetector:
    name: ClassVar[str] = "slow"

    def detect(self, doc: Document) -> Iterable[Span]:
        time.sleep(2.0)
        return []


def fast_factory(policy: Policy) -> Pipeline:
    return Pipeline(policy, detectors=[WordDetector(), DenyListDetector(policy)])


def _client(factory: Callable[[Policy], Pipeline] = fast_factory, **kwargs: Any) -> TestClient:
    settings = ServiceSettings(**{"token": TOKEN, "policy": preset("pii"), **kwargs})
    return TestClient(create_app(settings, pipeline_factory=factory), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with _client() as c:
        yield c


# -- small documents of every format ---------------------------------------------------------


def _txt() -> bytes:
    return f"{LINE}\n{LINE2}\n".encode()


def _html() -> bytes:
    return (
        b'<!doctype html><html><head><meta charset="utf-8"><title>Notes</title></head><body>'
        b"<p>Ada <b>Byron</b> met Charles Babbage in London.</p>"
        b'<img src="x.png" alt="Byron at work"><p><a href="mailto:ada@example.org">write</a></p>'
        b"</body></html>"
    )


def _markdown() -> bytes:
    return f"# Meeting notes\n\n{LINE}\n\n- {LINE2}\n- [Byron](mailto:ada@example.org)\n".encode()


def _eml() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ada Byron <ada@example.org>"
    msg["To"] = "Charles Babbage <cb@example.net>"
    msg["Subject"] = "A note from Byron"
    msg.set_content(f"{LINE}\n{LINE2}\n", cte="quoted-printable")
    return bytes(msg)


def _docx() -> bytes:
    import docx

    document = docx.Document()
    p = document.add_paragraph("Ada ")
    p.add_run("By").bold = True  # a name split across formatting runs
    p.add_run("ron met Charles Babbage in London.")
    document.add_paragraph(LINE2)
    document.core_properties.author = "Ada Byron"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, LINE)
    pdf.ln()
    pdf.cell(0, 10, LINE2)
    return bytes(pdf.output())


# format, extension, content type sent back, generator
FORMATS = [
    ("text", ".txt", "text/plain", _txt),
    ("html", ".html", "text/html", _html),
    ("markdown", ".md", "text/markdown", _markdown),
    ("eml", ".eml", "message/rfc822", _eml),
    ("docx", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _docx),
    ("pdf", ".pdf", "application/pdf", _pdf),
]
IDS = [f[0] for f in FORMATS]


def _post(client: TestClient, name: str, data: bytes, content_type: str, **form: Any) -> Any:
    return client.post("/v1/redact/file", files={"file": (name, data, content_type)}, data=form, headers=AUTH)


def _no_name_in(text: str) -> None:
    low = text.casefold()
    for name in NAMES:
        assert name.casefold() not in low, name


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix", "media", "make"), FORMATS, ids=IDS)
def test_redact_file_round_trip_same_format(
    client: TestClient, fmt: str, suffix: str, media: str, make: Callable[[], bytes]
) -> None:
    data = make()
    r = _post(client, UPLOAD_STEM + suffix, data, "application/octet-stream")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    assert r.headers["content-disposition"] == f'attachment; filename="redacted{suffix}"'
    assert r.headers["x-veil-format"] == fmt
    # The same document as the library writes, read back in its own format, every layer.
    expected = redact_document(data, get_format(fmt), fast_factory(preset("pii")), doc_id="doc")
    assert int(r.headers["x-veil-replacements"]) == len(expected.result.replacements) > 0
    reader = get_format(fmt)
    assert reader.layers(r.content) == reader.layers(expected.data)
    for layer in reader.layers(r.content):
        _no_name_in(layer)
    assert "Riley" not in str(r.headers)


@pytest.mark.parametrize(("fmt", "suffix", "media", "make"), FORMATS, ids=IDS)
def test_redact_file_format_from_content_type(
    client: TestClient, fmt: str, suffix: str, media: str, make: Callable[[], bytes]
) -> None:
    if media == "text/plain":
        media = "text/plain; charset=utf-8"
    r = _post(client, "upload", make(), media)
    assert r.status_code == 200, r.text
    assert r.headers["x-veil-format"] == fmt
    assert r.headers["content-disposition"] == f'attachment; filename="redacted{suffix}"'


def test_redact_file_explicit_format_wins(client: TestClient) -> None:
    r = _post(client, "notes.txt", _markdown(), "text/plain", format="markdown")
    assert r.status_code == 200, r.text
    assert r.headers["x-veil-format"] == "markdown"
    assert r.content.startswith(b"# Meeting notes")


def test_redact_file_options_apply(client: TestClient) -> None:
    r = _post(client, "memo.docx", _docx(), "application/octet-stream", allow=["Charles Babbage"])
    assert r.status_code == 200, r.text
    text = "\n".join(get_format("docx").layers(r.content))
    assert "Charles Babbage" in text
    assert "Byron" not in text
    r = _post(client, "memo.html", _html(), "text/html", labels=["EMAIL"])
    assert r.status_code == 200, r.text
    assert b"Byron" in r.content
    assert b"ada@example.org" not in r.content


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("memo.docx", lambda: b"PK\x03\x04 not really a zip"),
        ("memo.docx", lambda: _docx()[: len(_docx()) // 2]),
        ("statement.pdf", lambda: _pdf()[:200]),
        ("statement.pdf", lambda: b"%PDF-1.7\n garbage"),
        ("message.eml", lambda: b"\x00\x01\x02"),
        ("notes.txt", lambda: b"\xff\xfe not utf-8"),
        ("notes.txt", lambda: b""),
    ],
    ids=[
        "docx-not-zip",
        "docx-truncated",
        "pdf-truncated",
        "pdf-garbage",
        "eml-binary",
        "txt-not-utf8",
        "empty",
    ],
)
def test_redact_file_corrupt_is_422_without_output(
    client: TestClient, name: str, make: Callable[[], bytes]
) -> None:
    r = _post(client, name, make(), "application/octet-stream")
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json()["error"]["type"] == "InputError"
    assert "content-disposition" not in r.headers


def test_redact_file_unsupported_content_type_is_415(client: TestClient) -> None:
    r = _post(client, "photo.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    assert r.status_code == 415
    assert r.json()["error"]["type"] == "UnsupportedMediaType"
    assert ".docx" in r.json()["error"]["message"]


def test_redact_file_name_and_content_type_disagree_is_422(client: TestClient) -> None:
    r = _post(client, "letter.docx", _docx(), "application/pdf")
    assert r.status_code == 422
    assert "format field" in r.json()["error"]["message"]


def test_redact_file_content_type_not_matching_bytes_is_422(client: TestClient) -> None:
    r = _post(client, "upload", _docx(), "application/pdf")
    assert r.status_code == 422
    assert r.json()["error"]["type"] == "InputError"


def test_redact_file_unknown_format_is_400_without_echo(client: TestClient) -> None:
    r = _post(client, "memo.docx", _docx(), "application/octet-stream", format="riley-format")
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert "valid formats: " in message and "docx" in message
    assert "riley" not in r.text.lower()


def test_redact_file_unknown_field_is_422_without_echo(client: TestClient) -> None:
    r = _post(client, "memo.docx", _docx(), "application/octet-stream", Riley="Tom Riley")
    assert r.status_code == 422
    assert "Riley" not in r.text


def test_redact_file_oversize_is_413() -> None:
    data = _docx()
    with _client(max_body_bytes=len(data) // 2) as c:
        r = _post(c, "memo.docx", data, "application/octet-stream")
    assert r.status_code == 413
    assert r.json()["error"]["type"] == "PayloadTooLarge"


def test_redact_file_verification_failure_is_422_and_returns_nothing() -> None:
    def factory(policy: Policy) -> Pipeline:
        return Pipeline(policy, detectors=[FirstOnlyDetector()])

    import docx

    document = docx.Document()
    document.add_paragraph(f"Case {FirstOnlyDetector.number} opened.")
    document.add_paragraph(f"Case {FirstOnlyDetector.number} closed.")
    buf = io.BytesIO()
    document.save(buf)
    with _client(factory) as c:
        r = _post(c, "memo.docx", buf.getvalue(), "application/octet-stream")
    assert r.status_code == 422, r.text[:300]
    assert r.json()["error"]["type"] == "VerificationError"
    assert "nothing was written" in r.json()["error"]["message"]
    assert FirstOnlyDetector.number not in r.text


def test_redact_file_timeout_is_504_and_work_stopped() -> None:
    def factory(policy: Policy) -> Pipeline:
        return Pipeline(policy, detectors=[SlowDetector()])

    with _client(factory, timeout=0.3) as c:
        started = time.monotonic()
        r = _post(c, "memo.docx", _docx(), "application/octet-stream")
        assert r.status_code == 504
        assert time.monotonic() - started < 1.3
        _no_name_in(r.text)


def test_redact_file_no_upload_name_in_responses_or_logs(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = [
        _post(client, UPLOAD_STEM + ".docx", _docx(), "application/octet-stream"),
        _post(client, UPLOAD_STEM + ".pdf", _pdf(), "application/pdf"),
        _post(client, UPLOAD_STEM + ".docx", b"PK\x03\x04 broken", "application/octet-stream"),
        _post(client, UPLOAD_STEM + ".docx", _docx(), "application/pdf"),
        _post(client, UPLOAD_STEM + ".png", b"\x89PNG", "image/png"),
        client.post(
            "/v1/extract",
            files={"file": (UPLOAD_STEM + ".docx", _docx(), "application/octet-stream")},
            headers=AUTH,
        ),
    ]
    assert [a.status_code for a in answers] == [200, 200, 422, 422, 415, 200]
    for a in answers:
        for part in ("Riley", "statement"):
            assert part not in str(a.headers)
            if a.headers["content-type"] == "application/json":
                assert part not in a.text
    assert any(rec.name == "veil.service.access" for rec in caplog.records)
    for rec in caplog.records:
        for part in ("Riley", "statement", *NAMES):
            assert part not in rec.getMessage()


# -- extract (the review page's view of a document) ---------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix", "media", "make"), FORMATS, ids=IDS)
def test_extract_is_the_text_redaction_sees(
    client: TestClient, fmt: str, suffix: str, media: str, make: Callable[[], bytes]
) -> None:
    data = make()
    r = client.post("/v1/extract", files={"file": ("doc" + suffix, data, media)}, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"format", "chars", "text"}
    assert body["format"] == fmt
    assert body["text"] == join(get_format(fmt).segments(data))[0]
    assert body["chars"] == len(body["text"])
    assert "Charles Babbage" in body["text"]


def test_extract_document_without_text_is_422(client: TestClient) -> None:
    data = b"<!doctype html><html><body><br></body></html>"
    r = client.post("/v1/extract", files={"file": ("blank.html", data, "text/html")}, headers=AUTH)
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "the uploaded file contains no text"


# -- schema ------------------------------------------------------------------------------------


def test_redact_file_declared_in_openapi(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/v1/redact/file"]["post"]
    assert "multipart/form-data" in op["requestBody"]["content"]
    ok = op["responses"]["200"]
    assert "application/pdf" in ok["content"]
    assert ok["content"]["application/pdf"]["schema"]["format"] == "binary"
    assert "Content-Disposition" in ok["headers"]
    for status in ("400", "401", "413", "415", "422", "500", "503", "504"):
        assert status in op["responses"], status
    assert "VerificationError" in op["responses"]["422"]["description"]


@pytest.mark.parametrize("name", ["docx", "DOCX", "docx.v1"], ids=["plain", "upper", "versioned"])
def test_redact_file_format_field_names(client: TestClient, name: str) -> None:
    r = _post(client, "upload.bin", _docx(), "application/octet-stream", format=name)
    assert r.status_code == 200, r.text
    assert r.headers["x-veil-format"] == "docx"
