"""The routes: parse the request, pick the policy, run one job in a worker, answer.

``api`` holds the ``/v1`` endpoints; ``page`` serves the review page and its assets.
"""

from __future__ import annotations

import time
from importlib import metadata, resources
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import config
from ..errors import ConfigError, InputError
from ..model import Label
from .dependencies import Service, get_service, operator_names, require_token
from .jobs import DocumentJob, ExtractJob, RestoreJob, TextJob, audit_module
from .models import (
    ERRORS_AUDIT,
    ERRORS_FILE,
    ERRORS_GET,
    ERRORS_POST,
    DetectResponse,
    ExtractResponse,
    FileRequest,
    HealthResponse,
    InfoResponse,
    RedactRequest,
    RedactResponse,
    RestoreRequest,
    RestoreResponse,
    TextRequest,
)
from .uploads import choose_format, upload_media_types

__all__ = ["api", "page", "version"]

ServiceDep = Annotated[Service, Depends(get_service)]

api = APIRouter(prefix="/v1")
page = APIRouter(include_in_schema=False)
_auth = [Depends(require_token)]


def version() -> str:
    try:
        return metadata.version("veil")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0+unknown"


def _check_encodable(text: str) -> None:
    # JSON can carry lone surrogates ("\ud800"); they are not text and cannot be written.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"text contains an unpaired surrogate at offset {exc.start}") from None


def _text_job(service: Service, req: TextRequest, *, audit: bool = False) -> TextJob:
    _check_encodable(req.text)
    choice = service.policy_for(req)
    return TextJob(choice.key, choice.policy, req.text, req.doc_id, audit)


def _deadline(service: Service) -> float:
    return time.monotonic() + service.settings.timeout


@api.get("/health", tags=["service"], responses={500: ERRORS_GET[500]})
async def health(service: ServiceDep) -> HealthResponse:
    """Liveness. Needs no token and says nothing about the data."""
    return HealthResponse(status="ok", version=version(), auth_required=service.expected_token is not None)


@api.get("/info", tags=["service"], dependencies=_auth, responses=ERRORS_GET)
async def info(service: ServiceDep) -> InfoResponse:
    """What the page offers: presets, labels, operators, limits."""
    settings = service.settings
    base = settings.policy
    return InfoResponse(
        version=version(),
        policy=base.name,
        presets=list(config.PRESETS),
        labels=[label.value for label in Label],
        protected_labels=sorted(label.value for label in base.labels),
        operators=operator_names(),
        default_operator=base.default_operator,
        audit_available=audit_module() is not None,
        restore_available=settings.restore_key is not None,
        max_body_bytes=settings.max_body_bytes,
        timeout=settings.timeout,
    )


@api.post("/detect", tags=["anonymize"], dependencies=_auth, responses=ERRORS_POST)
async def detect(req: TextRequest, service: ServiceDep) -> DetectResponse:
    """Find and link the protected entities; every mention is given by offsets."""
    deadline = _deadline(service)
    answer = await service.pool.run("detect", _text_job(service, req), deadline)
    return DetectResponse.model_validate(answer)


@api.post("/redact", tags=["anonymize"], dependencies=_auth, responses=ERRORS_AUDIT)
async def redact(req: RedactRequest, service: ServiceDep) -> RedactResponse:
    """Transform the text; the report lists each entity's label, operator and mention offsets."""
    deadline = _deadline(service)
    if req.audit and audit_module() is None:
        raise StarletteHTTPException(501, "audit is not available in this version of Veil")
    answer = await service.pool.run("redact", _text_job(service, req, audit=req.audit), deadline)
    return RedactResponse.model_validate(answer)


@api.post("/audit", tags=["anonymize"], dependencies=_auth, responses=ERRORS_AUDIT)
async def audit(req: TextRequest, service: ServiceDep) -> dict[str, object]:
    """Report re-identification risk left in a (redacted) text, with offsets of each finding."""
    deadline = _deadline(service)
    if audit_module() is None:
        raise StarletteHTTPException(501, "audit is not available in this version of Veil")
    answer: dict[str, object] = await service.pool.run("audit", _text_job(service, req), deadline)
    return answer


@api.post("/restore", tags=["anonymize"], dependencies=_auth, responses=ERRORS_POST)
async def restore(req: RestoreRequest, service: ServiceDep) -> RestoreResponse:
    """Reverse the ``encrypt`` operator with the server's key (``veil serve --key-file``)."""
    deadline = _deadline(service)
    _check_encodable(req.text)
    if service.settings.restore_key is None:
        raise ConfigError("restore needs a key: start the server with --key-file")
    answer = await service.pool.run("restore", RestoreJob(req.text, req.doc_id), deadline)
    return RestoreResponse.model_validate(answer)


# Static text: the registered formats are not looked up at import time.
_FILE = File(
    description="The document: .txt, .md, .html, .eml, .docx, .pdf, or any registered format "
    "(see the `format` field). Its name is read for its extension only."
)
_BINARY = {"schema": {"type": "string", "format": "binary"}}


async def _read_upload(file: UploadFile) -> bytes:
    # The body limit (413) has already bounded the whole request; an empty part is a 422.
    data = await file.read()
    if not data:
        raise InputError("the uploaded file is empty")
    return data


@api.post("/extract", tags=["documents"], dependencies=_auth, responses=ERRORS_FILE)
async def extract(
    file: Annotated[UploadFile, _FILE],
    service: ServiceDep,
    format: Annotated[str | None, Form(max_length=32, description="As for `/v1/redact/file`.")] = None,
) -> ExtractResponse:
    """The text of an uploaded document, as its redaction sees it (for the review page).

    The format is chosen as for ``/v1/redact/file``; the upload's name is not sent back."""
    deadline = _deadline(service)
    chosen = choose_format(file.filename, file.content_type, format)
    data = await _read_upload(file)
    text = str(await service.pool.run("extract", ExtractJob(data, chosen.name), deadline))
    return ExtractResponse(format=chosen.name, chars=len(text), text=text)


@api.post(
    "/redact/file",
    tags=["documents"],
    dependencies=_auth,
    response_class=Response,
    responses={
        200: {
            "description": "The redacted document, in the format it was sent in; verified before it is sent.",
            "content": {media: _BINARY for media in upload_media_types()},
            "headers": {
                "Content-Disposition": {
                    "description": '`attachment; filename="redacted.<ext>"`: never the uploaded name.',
                    "schema": {"type": "string"},
                },
                "X-Veil-Format": {
                    "description": "The format it was read and written in.",
                    "schema": {"type": "string"},
                },
                "X-Veil-Replacements": {
                    "description": "How many mentions were replaced.",
                    "schema": {"type": "integer"},
                },
            },
        },
        **ERRORS_FILE,
    },
)
async def redact_file(
    form: Annotated[FileRequest, Form(media_type="multipart/form-data")],
    service: ServiceDep,
) -> Response:
    """Redact an uploaded document and send it back in the same format.

    Runs as ``veil redact FILE`` does (whole-document resolution, then verification of every
    text layer of the output) in a worker process under the server's deadline. Nothing of
    the document is returned unless verification passed."""
    deadline = _deadline(service)
    chosen = choose_format(form.file.filename, form.file.content_type, form.format)
    choice = service.policy_for(form)
    data = await _read_upload(form.file)
    job = DocumentJob(choice.key, choice.policy, data, chosen.name, form.doc_id)
    answer = await service.pool.run("redact_file", job, deadline)
    return Response(
        content=answer["data"],
        media_type=chosen.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{chosen.download_name}"',
            "X-Veil-Format": chosen.name,
            "X-Veil-Replacements": str(answer["replacements"]),
        },
    )


def _static(name: str, media_type: str) -> None:
    async def serve_file() -> Response:
        return FileResponse(str(resources.files("veil").joinpath("static", name)), media_type=media_type)

    page.add_api_route("/" if name == "index.html" else f"/static/{name}", serve_file, methods=["GET"])


_static("index.html", "text/html; charset=utf-8")
_static("app.js", "text/javascript; charset=utf-8")
_static("app.css", "text/css; charset=utf-8")
