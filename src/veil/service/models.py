"""Request and response bodies of the API, and the error responses each route declares."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ERRORS_AUDIT",
    "ERRORS_GET",
    "ERRORS_POST",
    "DetectResponse",
    "EntityOut",
    "ErrorResponse",
    "ExtractResponse",
    "HealthResponse",
    "InfoResponse",
    "MentionOut",
    "PolicyOptions",
    "RedactRequest",
    "RedactResponse",
    "RestoreRequest",
    "RestoreResponse",
    "TextRequest",
]

DOC_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"

_ListItem = Annotated[str, Field(min_length=1, max_length=200)]


class PolicyOptions(BaseModel):
    """What to protect and how, on top of the server's policy."""

    model_config = ConfigDict(extra="forbid")

    preset: Literal["pii", "strict"] | None = Field(
        default=None, description="Start from this preset instead of the server's policy."
    )
    labels: list[str] | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Protect only these labels (e.g. PERSON, EMAIL); see `/v1/info` for the list.",
    )
    operator: str | None = Field(
        default=None,
        max_length=64,
        description="Transform every label with this operator (redact, tag, ...); see `/v1/info`.",
    )
    allow: list[_ListItem] = Field(
        default_factory=list,
        description="Strings never masked: an entity with a mention equal to one (case-insensitive) is kept.",
    )
    deny: list[_ListItem] = Field(
        default_factory=list, description="Strings always masked, everywhere they occur."
    )


class TextRequest(PolicyOptions):
    """A text and the options to process it with."""

    text: str = Field(min_length=1, description="UTF-8 text; offsets in the response index it by code point.")
    doc_id: str = Field(default="doc", pattern=DOC_ID_PATTERN)


class RedactRequest(TextRequest):
    """A text to transform; ``audit`` also audits the output (every replacement counts as a mask)."""

    audit: bool = Field(default=False, description="Also run the audit on the transformed text.")


class RestoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    doc_id: str = Field(default="doc", pattern=DOC_ID_PATTERN)


class MentionOut(BaseModel):
    start: int
    end: int


class EntityOut(BaseModel):
    id: str
    label: str
    detectors: list[str]
    mentions: list[MentionOut]
    canonical: int = Field(description="Index in `mentions` of the longest surface form.")


class DetectResponse(BaseModel):
    doc_id: str
    chars: int
    entity_counts: dict[str, int]
    entities: list[EntityOut]


class RedactResponse(BaseModel):
    doc_id: str
    text: str
    report: dict[str, Any]
    audit: dict[str, Any] | None = Field(
        default=None, description="The audit of `text` (offsets into `text`), when requested."
    )


class RestoreResponse(BaseModel):
    doc_id: str
    text: str


class ExtractResponse(BaseModel):
    name: str
    chars: int
    text: str


class HealthResponse(BaseModel):
    status: Literal["ok"]
    version: str
    auth_required: bool


class InfoResponse(BaseModel):
    version: str
    policy: str
    presets: list[str]
    labels: list[str]
    protected_labels: list[str]
    operators: list[str]
    default_operator: str
    audit_available: bool
    restore_available: bool
    max_body_bytes: int
    timeout: float


class ErrorDetail(BaseModel):
    type: str = Field(description="The kind of error (ConfigError, ValidationError, Timeout, ...).")
    message: str = Field(description="What went wrong; never quotes the request.")
    details: list[dict[str, Any]] | None = Field(
        default=None, description="Validation errors: location and error type only."
    )


class ErrorResponse(BaseModel):
    """Every error has this shape, and none echoes the request."""

    error: ErrorDetail


def _err(description: str, **headers: str) -> dict[str, Any]:
    out: dict[str, Any] = {"model": ErrorResponse, "description": description}
    if headers:
        out["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in headers.items()
        }
    return out


_UNAUTHORIZED = _err("Missing or wrong bearer token.", **{"WWW-Authenticate": "Always `Bearer`."})
_INTERNAL = _err("Unexpected failure; nothing of the text is returned.")

#: Error responses of the routes that process a request body.
ERRORS_POST: dict[int | str, dict[str, Any]] = {
    400: _err("An option names an unknown label or operator, or needs a key the server lacks."),
    401: _UNAUTHORIZED,
    413: _err("The request body is larger than the server accepts."),
    422: _err("Malformed JSON, wrong field types or unknown fields; unreadable upload."),
    500: _err("A document failed in the pipeline; nothing of it is returned."),
    503: _err("No worker became free in time.", **{"Retry-After": "Seconds to wait before retrying."}),
    504: _err("Processing took longer than the server's timeout; the work was stopped."),
}

#: Error responses of the authenticated routes without a body.
ERRORS_GET: dict[int | str, dict[str, Any]] = {401: _UNAUTHORIZED, 500: _INTERNAL}

#: Error responses of the routes that may run the audit.
ERRORS_AUDIT: dict[int | str, dict[str, Any]] = {
    **ERRORS_POST,
    501: _err("The audit is not available in this version of Veil."),
}
