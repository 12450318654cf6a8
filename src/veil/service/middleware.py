"""ASGI middleware: body limit, security headers and the access log, and the last-resort 500.

Outermost first: :class:`CatchAll` -> :class:`BodyLimit` -> (CORS) -> :class:`AccessLog` ->
the routes. The access log is Veil's own (uvicorn's is switched off by :func:`serve`): it
writes a request id, the method, the route *template*, the status and the duration, so
neither a path nor a query string as sent ever reaches a log.
"""

from __future__ import annotations

import logging
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .error_map import crash_response, error_response, method_of, route_of

__all__ = ["AccessLog", "BodyLimit", "CatchAll"]

log = logging.getLogger("veil.service")
access_log = logging.getLogger("veil.service.access")

_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class BodyLimit:
    """413 for a body above ``limit`` bytes, declared or streamed, before anything parses it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                await error_response(400, "BadRequest", "invalid Content-Length")(scope, receive, send)
                return
            if too_big:
                await self._reject(scope, receive, send)
                return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            if len(body) > self.limit:
                await self._reject(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Routing has not happened yet: the method is all that may be said about the request.
        log.info("%s: body above %d bytes rejected", method_of(scope), self.limit)
        response = error_response(413, "PayloadTooLarge", f"request body exceeds {self.limit} bytes")
        await response(scope, receive, send)


class AccessLog:
    """Security headers on every response, one access-log line per request, and a 500 for
    an exception that escapes the routes (logged with the request id, by type only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex[:12]
        start = time.perf_counter()
        status = 0
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = MutableHeaders(scope=message)
                headers["X-Request-Id"] = rid
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cache-Control"] = "no-store"
                if not path.startswith("/docs"):
                    headers["Content-Security-Policy"] = _CSP
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # anything no exception handler turned into a response
            log.error(
                "request %s %s %s: unexpected %s", rid, method_of(scope), route_of(scope), type(exc).__name__
            )
            if status == 0:
                await crash_response()(scope, receive, send_with_headers)
        access_log.info(
            "request %s %s %s -> %d in %.1f ms",
            rid,
            method_of(scope),
            route_of(scope),
            status,
            (time.perf_counter() - start) * 1000,
        )


class CatchAll:
    """The outermost of Veil's middleware: an unexpected exception becomes the generic 500.

    Starlette's ``ServerErrorMiddleware`` re-raises after its exception handler has run, and
    uvicorn then logs the traceback -- ``str(exc)`` and every chained cause, which can quote
    the input (UnicodeError and spaCy errors do). So nothing may escape the app:
    :class:`AccessLog` catches what escapes the routes, and this catches what escapes the
    other middleware. Only the type is logged. An exception after the response has started
    cannot change the status; the response is then cut short.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.error("%s %s: unexpected %s", method_of(scope), route_of(scope), type(exc).__name__)
            if not started:
                await crash_response()(scope, receive, send)
