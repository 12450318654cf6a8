"""The routes: parse the request, pick the policy, run one job in a worker, answer.

``api`` holds the ``/v1`` endpoints; ``page`` serves the review page and its assets.
"""

from __future__ import annotations

import time
from importlib import metadata, resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import config
from ..errors import ConfigError, InputError
from ..model import Label
from .dependencies import Service, get_service, operator_names, require_token
from .jobs import DocxJob, RestoreJob, TextJob, audit_module
from .models import (
    ERRORS_AUDIT,
    ERRORS_GET,
    ERRORS_POST,
    DetectResponse,
    ExtractResponse,
    HealthResponse,
    InfoResponse,
    RedactRequest,
    RedactResponse,
    RestoreRequest,
    RestoreResponse,
    TextRequest,
)

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


@api.post("/extract", tags=["review page"], dependencies=_auth, responses=ERRORS_POST)
async def extract(
    file: Annotated[UploadFile, File(description="A .txt (UTF-8) or .docx file.")], service: ServiceDep
) -> ExtractResponse:
    """Turn an uploaded .txt or .docx into plain text (the page then sends it to /v1/detect)."""
    deadline = _deadline(service)
    name = Path(file.filename or "upload").name
    suffix = Path(name).suffix.lower()
    data = await file.read()
    if suffix == ".txt":
        from ..write import decode_text

        text = decode_text(data, "the uploaded file")
    elif suffix == ".docx":
        text = str(await service.pool.run("docx", DocxJob(data), deadline))
    else:
        raise InputError("only .txt and .docx files can be uploaded")
    return ExtractResponse(name=name, chars=len(text), text=text)


def _static(name: str, media_type: str) -> None:
    async def serve_file() -> Response:
        return FileResponse(str(resources.files("veil").joinpath("static", name)), media_type=media_type)

    page.add_api_route("/" if name == "index.html" else f"/static/{name}", serve_file, methods=["GET"])


_static("index.html", "text/html; charset=utf-8")
_static("app.js", "text/javascript; charset=utf-8")
_static("app.css", "text/css; charset=utf-8")
