"""Errors to responses: one body shape, never the input, and what may be logged.

Every error body is ``{"error": {"type", "message"}}`` (validation errors add
``details`` with location and type only). What is logged about a request is limited to
its method (when it is a standard one), its route *template* and the status: never the
path as sent, the query, the body, or the message of a third-party exception.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from ..errors import ConfigError, InputError, VeilError

__all__ = [
    "Busy",
    "JobFailed",
    "TimedOut",
    "crash_response",
    "error_response",
    "install_handlers",
    "method_of",
    "route_of",
    "status_for",
]

log = logging.getLogger("veil.service")

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_KINDS = {401: "Unauthorized", 404: "NotFound", 405: "MethodNotAllowed", 501: "NotImplemented"}


class Busy(Exception):
    """No worker became free before the request's deadline (503)."""


class TimedOut(Exception):
    """The work ran past the request's deadline and was stopped (504)."""


class JobFailed(Exception):
    """A job failed in a worker process; ``kind``, ``status`` and ``message`` are safe to show."""

    def __init__(self, kind: str, status: int, message: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.status = status
        self.message = message


def status_for(exc: VeilError) -> int:
    if isinstance(exc, ConfigError):
        return 400
    if isinstance(exc, InputError):
        return 422
    return 500


def error_response(
    status: int, kind: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"error": {"type": kind, "message": message, **extra}}
    merged = dict(headers or {})
    if status == 401:
        merged["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=merged or None)


def crash_response() -> JSONResponse:
    return error_response(500, "InternalError", "internal error; the text was not processed")


def route_of(scope: Scope) -> str:
    """The route template that matched (``/v1/redact``), or ``-``: never the path as sent."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "-"


def method_of(scope: Scope) -> str:
    method = scope.get("method", "")
    return method if method in _METHODS else "OTHER"


def _where(request: Request) -> str:
    return f"{method_of(request.scope)} {route_of(request.scope)}"


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # pydantic's errors echo the offending input ("input", "ctx") and a key the client
    # invented is input too: keep only known field names, indices, the type and the message.
    from .models import RedactRequest

    known = set(RedactRequest.model_fields) | {"body", "query", "path", "header", "file"}
    details = []
    for err in exc.errors():
        loc = [part if isinstance(part, int) or part in known else "<key>" for part in err.get("loc", ())]
        details.append({"loc": loc, "type": str(err.get("type", "")), "msg": str(err.get("msg", ""))[:200]})
    return details


async def _on_invalid(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):  # pragma: no cover - registered for this type
        raise exc
    details = _validation_details(exc)
    log.info("%s: invalid request (%d errors)", _where(request), len(details))
    return error_response(422, "ValidationError", "the request is invalid", details=details)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):  # pragma: no cover
        raise exc
    kind = _KINDS.get(exc.status_code, "HTTPError")
    # Keep the exception's headers: a 405 carries ``Allow``.
    return error_response(exc.status_code, kind, str(exc.detail), headers=dict(exc.headers or {}))


async def _on_veil(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, VeilError):  # pragma: no cover
        raise exc
    status = status_for(exc)
    # The message goes to the client (it names fields and valid values); the log keeps
    # the type only for a client error, since a message may still name a value sent.
    if status < 500:
        log.info("%s: %d %s", _where(request), status, type(exc).__name__)
    else:
        log.warning("%s: %d %s: %s", _where(request), status, type(exc).__name__, exc)
    return error_response(status, type(exc).__name__, str(exc))


async def _on_job_failed(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, JobFailed):  # pragma: no cover
        raise exc
    if exc.status < 500:
        log.info("%s: %d %s", _where(request), exc.status, exc.kind)
    else:
        # A worker's VeilError message carries ids, stages, offsets and labels only.
        log.warning("%s: %d %s: %s", _where(request), exc.status, exc.kind, exc.message)
    return error_response(exc.status, exc.kind, exc.message)


def install_handlers(app: FastAPI, timeout: float) -> None:
    """Map every error the routes raise to the uniform body."""

    async def on_busy(request: Request, exc: Exception) -> JSONResponse:
        log.warning("%s: no free worker within %gs", _where(request), timeout)
        return error_response(503, "Busy", "the server is busy; retry later", headers={"Retry-After": "1"})

    async def on_timeout(request: Request, exc: Exception) -> JSONResponse:
        log.warning("%s: stopped after %gs", _where(request), timeout)
        return error_response(504, "Timeout", f"processing took longer than {timeout:g}s and was stopped")

    app.add_exception_handler(RequestValidationError, _on_invalid)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(VeilError, _on_veil)
    app.add_exception_handler(JobFailed, _on_job_failed)
    app.add_exception_handler(Busy, on_busy)
    app.add_exception_handler(TimedOut, on_timeout)
