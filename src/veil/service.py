"""The HTTP API and the review page (``veil serve``).

A thin layer over the library: each endpoint validates its request, builds (or reuses) a
:class:`~veil.pipeline.Pipeline` for the requested policy and calls one library function.
No rule of Veil lives here or in the page's JavaScript.

Endpoints, all under ``/v1`` (the OpenAPI schema is at ``/openapi.json``)::

    GET  /v1/health    liveness; says whether a token is required (no auth)
    GET  /v1/info      presets, labels, operators and limits (for the review page)
    POST /v1/detect    entities with every mention's offsets, nothing transformed
    POST /v1/redact    transformed text + the JSON report (+ its audit on request)
    POST /v1/audit     re-identification findings on an already redacted text
    POST /v1/restore   reverse the ``encrypt`` operator (server started with a key)
    POST /v1/extract   a .txt or .docx upload as plain text (for the review page)

Security model:

* a bearer token is required on every endpoint except ``/``, static assets, the schema
  and ``/v1/health``; :class:`ServiceSettings` refuses to exist without a token unless
  ``insecure_no_auth`` is set;
* request bodies above ``max_body_bytes`` get 413 before the body is parsed;
* at most ``concurrency`` documents are processed at once; a request that waits longer
  than ``timeout`` seconds for a slot gets 503, one whose processing exceeds ``timeout``
  gets 504 (the worker finishes in the background and its slot is freed only then, so
  the bound on concurrent work holds);
* request text never appears in logs or error bodies: validation errors are reduced to
  their location and type (pydantic's echoed ``input`` is dropped), library errors carry
  only ids, offsets and labels by contract, and any other exception is logged by type;
* CORS is off unless origins are given.

Offsets in responses are code points into the text that was sent (Python ``str``
indexing), like everywhere else in Veil.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import logging
import threading
import time
import uuid
import zipfile
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import config, registry
from .config import Policy
from .errors import ConfigError, InputError, ProcessingError, VeilError
from .keys import Key
from .model import Document, Label, Result
from .options import options_from_mapping

if TYPE_CHECKING:
    from .pipeline import Pipeline

__all__ = ["ServiceSettings", "create_app", "serve"]

log = logging.getLogger("veil.service")

T = TypeVar("T")

DEFAULT_MAX_BODY_BYTES = 1_048_576
DEFAULT_TIMEOUT = 30.0
DEFAULT_CONCURRENCY = 2
MIN_TOKEN_CHARS = 16
# An uploaded .docx may not expand to more than this many bytes (zip-bomb guard).
_MAX_DOCX_EXPANDED = 64 * 1_048_576
_PIPELINE_CACHE_SIZE = 32
_DOC_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"


PipelineFactory = Callable[[Policy], "Pipeline"]


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """How the service runs. Invalid combinations raise :class:`~veil.errors.ConfigError`.

    ``token`` is the bearer token clients must send; without one the settings are refused
    unless ``insecure_no_auth`` is true. ``policy`` is the base policy that requests may
    narrow (labels), re-operate (operator) and extend (allow/deny lists). ``secrets`` are
    passed to operators (``{"encrypt": {"key": ...}}``); ``restore_key`` enables
    ``/v1/restore``. ``timeout`` is in seconds; ``max_body_bytes`` bounds every request
    body, uploads included.
    """

    token: str | None = field(default=None, repr=False)
    insecure_no_auth: bool = False
    policy: Policy = field(default_factory=lambda: config.preset("pii"))
    secrets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    restore_key: Key | None = field(default=None, repr=False)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY
    cors_origins: tuple[str, ...] = ()
    max_list_items: int = 1000

    def __post_init__(self) -> None:
        if self.token is not None:
            if len(self.token.strip()) < MIN_TOKEN_CHARS or self.token != self.token.strip():
                raise ConfigError(
                    f"the API token must be at least {MIN_TOKEN_CHARS} characters without surrounding "
                    "whitespace (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
                )
        elif not self.insecure_no_auth:
            raise ConfigError(
                "refusing to start without an API token: pass --token-file FILE or set VEIL_TOKEN "
                "(or --insecure-no-auth for a local experiment)"
            )
        if self.max_body_bytes < 1024:
            raise ConfigError("max body size must be at least 1024 bytes")
        if not self.timeout > 0:
            raise ConfigError("timeout must be a positive number of seconds")
        if self.concurrency < 1:
            raise ConfigError("concurrency must be at least 1")
        for origin in self.cors_origins:
            if origin == "*" or not origin.startswith(("http://", "https://")):
                raise ConfigError("CORS origins must be explicit http(s) origins (no '*')")

    def __repr__(self) -> str:
        return (
            f"ServiceSettings(token={'[secure]' if self.token else None}, "
            f"insecure_no_auth={self.insecure_no_auth}, policy={self.policy!r}, "
            f"secrets={sorted(self.secrets)}, restore_key={'[secure]' if self.restore_key else None}, "
            f"max_body_bytes={self.max_body_bytes}, timeout={self.timeout:g}, "
            f"concurrency={self.concurrency}, cors_origins={list(self.cors_origins)})"
        )


# -- request and response models ------------------------------------------------------------

_ListItem = Annotated[str, Field(min_length=1, max_length=200)]


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    preset: Literal["pii", "strict"] | None = Field(
        default=None, description="Start from this preset instead of the server's policy."
    )
    labels: list[str] | None = Field(
        default=None, max_length=64, description="Protect only these labels (e.g. PERSON, EMAIL)."
    )
    operator: str | None = Field(
        default=None,
        max_length=64,
        description="Transform every label with this operator (redact, tag, ...).",
    )
    allow: list[_ListItem] = Field(
        default_factory=list,
        description="Strings never masked: an entity with a mention equal to one (case-insensitive) is kept.",
    )
    deny: list[_ListItem] = Field(
        default_factory=list, description="Strings always masked, everywhere they occur."
    )


class TextRequest(_Options):
    """A text and the options to process it with."""

    text: str = Field(min_length=1, description="UTF-8 text; offsets in the response index it by code point.")
    doc_id: str = Field(default="doc", pattern=_DOC_ID_PATTERN)


class RedactRequest(TextRequest):
    """A text to transform; ``audit`` also audits the output (every replacement counts as a mask)."""

    audit: bool = Field(default=False, description="Also run the audit on the transformed text.")


class RestoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    doc_id: str = Field(default="doc", pattern=_DOC_ID_PATTERN)


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


# -- small pieces ---------------------------------------------------------------------------


def _version() -> str:
    try:
        return metadata.version("veil")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0+unknown"


def _error(status: int, kind: str, message: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"error": {"type": kind, "message": message, **extra}}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _status_for(exc: VeilError) -> int:
    if isinstance(exc, ConfigError):
        return 400
    if isinstance(exc, InputError):
        return 422
    return 500


def _entities_json(doc: Document) -> list[dict[str, Any]]:
    out = []
    for e in doc.entities:
        canonical = e.canonical(doc.text)
        out.append(
            {
                "id": e.id,
                "label": e.label.value,
                "detectors": list(e.sources),
                "mentions": [{"start": m.start, "end": m.end} for m in e.mentions],
                # Which mention is the entity's canonical (longest) form: the page sends
                # its text as the allow-list entry when the user unmasks the entity.
                "canonical": next(i for i, m in enumerate(e.mentions) if m.text(doc.text) == canonical),
            }
        )
    return out


def _check_encodable(text: str) -> None:
    # JSON can carry lone surrogates ("\ud800"); they are not text and cannot be written.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"text contains an unpaired surrogate at offset {exc.start}") from None


class _PipelineCache:
    """Pipelines by request options, least recently used first out.

    spaCy models are cached per process by :func:`veil.detect.ner.load_model`, so a new
    entry costs only its detectors' and operators' set-up.
    """

    def __init__(self, factory: PipelineFactory, size: int) -> None:
        self._factory = factory
        self._size = size
        self._items: OrderedDict[tuple[Any, ...], Pipeline] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], policy: Callable[[], Policy]) -> Pipeline:
        with self._lock:
            pipe = self._items.get(key)
            if pipe is not None:
                self._items.move_to_end(key)
                return pipe
            # Built under the lock: two requests with new options must not build twice,
            # and building is cheap next to loading the model (which is shared).
            pipe = self._factory(policy())
            self._items[key] = pipe
            if len(self._items) > self._size:
                self._items.popitem(last=False)
            return pipe


class _Limiter:
    """Bounds concurrent work and the time a request may take.

    Work runs on a dedicated pool of ``concurrency`` threads. A slot is taken before the
    work starts and freed when it really ends, not when the client is answered with 504,
    so abandoned work still counts against the bound.
    """

    def __init__(self, concurrency: int, timeout: float) -> None:
        self._slots = threading.BoundedSemaphore(concurrency)
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="veil-worker")
        self._timeout = timeout

    async def run(self, fn: Callable[[], T]) -> T:
        deadline = time.monotonic() + self._timeout
        # Polling keeps the limiter independent of any one event loop (a threading
        # semaphore would block the loop; an asyncio one is bound to a loop).
        while not self._slots.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise _Busy
            await asyncio.sleep(0.005)

        def work() -> T:
            try:
                return fn()
            finally:
                self._slots.release()

        try:
            fut = asyncio.get_running_loop().run_in_executor(self._pool, work)
        except BaseException:
            self._slots.release()
            raise
        try:
            return await asyncio.wait_for(asyncio.shield(fut), max(0.01, deadline - time.monotonic()))
        except TimeoutError:
            fut.add_done_callback(_discard_result)
            raise _TimedOut from None


def _discard_result(fut: asyncio.Future[Any]) -> None:
    # Retrieve the exception of abandoned work so asyncio does not log it (with its args).
    if not fut.cancelled():
        fut.exception()


class _Busy(Exception):
    pass


class _TimedOut(Exception):
    pass


class _BodyLimit:
    """ASGI middleware: 413 for a body above ``limit`` bytes, declared or streamed."""

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
                await _error(400, "BadRequest", "invalid Content-Length")(scope, receive, send)
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
        log.info("rejected %s: body above %d bytes", scope.get("path", "?"), self.limit)
        response = _error(413, "PayloadTooLarge", f"request body exceeds {self.limit} bytes")
        await response(scope, receive, send)


def _crash_response() -> JSONResponse:
    return _error(500, "InternalError", "internal error; the text was not processed")


class _CatchAll:
    """ASGI middleware (outermost of ours): an unexpected exception becomes the generic 500.

    Starlette's ``ServerErrorMiddleware`` re-raises after its exception handler has run, and
    uvicorn then logs the traceback -- ``str(exc)`` and every chained cause, which can quote
    the input (UnicodeError and spaCy errors do). So nothing may escape the app: the request
    middleware in :func:`create_app` catches what escapes the routes (and logs the request
    id), and this catches what escapes the other middleware. Only the type is logged. An
    exception after the response has started cannot change the status; the response is then
    cut short.
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
            log.error(
                "%s %s: unexpected %s", scope.get("method", "?"), scope.get("path", "?"), type(exc).__name__
            )
            if not started:
                await _crash_response()(scope, receive, send)


def _validation_details(exc: RequestValidationError, known: set[str]) -> list[dict[str, Any]]:
    # pydantic's errors echo the offending input ("input", "ctx"); keep only where and what.
    details = []
    for err in exc.errors():
        loc = [part if isinstance(part, int) or part in known else "<key>" for part in err.get("loc", ())]
        details.append({"loc": loc, "type": str(err.get("type", "")), "msg": str(err.get("msg", ""))[:200]})
    return details


def docx_to_text(data: bytes, name: str = "upload.docx") -> str:
    """Paragraph and table text of a .docx file, one paragraph per line.

    Raises :class:`~veil.errors.InputError` for a file that is not a readable .docx or
    that would expand beyond a safe size.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError(f"{name} is not a .docx file (not a zip archive)") from None
    if expanded > _MAX_DOCX_EXPANDED:
        raise InputError(f"{name} expands to more than {_MAX_DOCX_EXPANDED} bytes")
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - declared in the serve extra
        raise ConfigError("reading .docx needs python-docx (pip install 'veil[serve]')") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"{name} could not be read as .docx: {type(exc).__name__}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputError(f"{name} contains no text")
    return text


def _audit_module() -> Any | None:
    try:
        from . import audit
    except ImportError:
        return None
    return audit if hasattr(audit, "audit_text") and hasattr(audit, "audit_result") else None


def _default_factory(secrets: Mapping[str, Mapping[str, Any]]) -> PipelineFactory:
    def build(policy: Policy) -> Pipeline:
        from .pipeline import Pipeline

        return Pipeline(policy, secrets=secrets)

    return build


# -- the app --------------------------------------------------------------------------------


def create_app(settings: ServiceSettings, *, pipeline_factory: PipelineFactory | None = None) -> FastAPI:
    """Build the ASGI app. ``pipeline_factory`` replaces ``Pipeline(policy, secrets=...)`` (tests)."""
    app = FastAPI(
        title="Veil",
        version=_version(),
        summary="Find every identifier, link every mention, transform consistently.",
        description=(
            "Text anonymization API. Send `Authorization: Bearer <token>`. Offsets are code points "
            'into the text you sent. Errors are `{"error": {"type", "message"}}` and never echo '
            "your text."
        ),
        docs_url="/docs",
        redoc_url=None,
    )
    factory = pipeline_factory or _default_factory(settings.secrets)
    cache = _PipelineCache(factory, _PIPELINE_CACHE_SIZE)
    limiter = _Limiter(settings.concurrency, settings.timeout)
    bearer = HTTPBearer(auto_error=False, description="The token given to `veil serve`.")
    expected = settings.token.encode("utf-8") if settings.token is not None else None
    field_names = set(TextRequest.model_fields) | {"body", "query", "path", "header", "file"}

    # Not Annotated[..., Depends(bearer)]: with postponed annotations FastAPI resolves
    # annotation strings in module globals, where this local ``bearer`` does not exist.
    async def require_token(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:  # noqa: B008
        if expected is None:
            return
        given = credentials.credentials.encode("utf-8") if credentials is not None else b""
        if not hmac.compare_digest(given, expected):
            raise StarletteHTTPException(401, "a valid bearer token is required")

    auth = [Depends(require_token)]

    # -- errors: uniform shape, never the input ----------------------------------------------

    @app.exception_handler(RequestValidationError)
    async def _on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc, field_names)
        log.info("%s %s: invalid request (%d errors)", request.method, request.url.path, len(details))
        return _error(422, "ValidationError", "the request is invalid", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {401: "Unauthorized", 404: "NotFound", 405: "MethodNotAllowed"}.get(
            exc.status_code, "HTTPError"
        )
        return _error(exc.status_code, kind, str(exc.detail))

    @app.exception_handler(VeilError)
    async def _on_veil(request: Request, exc: VeilError) -> JSONResponse:
        status = _status_for(exc)
        # VeilError messages carry ids, stages, offsets and labels only (errors.py contract).
        log.warning("%s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        return _error(status, type(exc).__name__, str(exc))

    @app.exception_handler(_Busy)
    async def _on_busy(request: Request, exc: _Busy) -> JSONResponse:
        log.warning("%s %s: no free worker within %gs", request.method, request.url.path, settings.timeout)
        response = _error(503, "Busy", "the server is busy; retry later")
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(_TimedOut)
    async def _on_timeout(request: Request, exc: _TimedOut) -> JSONResponse:
        log.warning("%s %s: timed out after %gs", request.method, request.url.path, settings.timeout)
        return _error(504, "Timeout", f"processing took longer than {settings.timeout:g}s")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        rid = uuid.uuid4().hex[:12]
        start = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception as exc:  # anything no handler above turned into a response
            log.error(
                "request %s %s %s: unexpected %s", rid, request.method, request.url.path, type(exc).__name__
            )
            response = _crash_response()
        response.headers["X-Request-Id"] = rid
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        if not request.url.path.startswith("/docs"):
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
            )
        log.info(
            "request %s %s %s -> %d in %.1f ms",
            rid,
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - start) * 1000,
        )
        return response

    # -- policy from request options ---------------------------------------------------------

    def pipeline_for(opts: _Options) -> Pipeline:
        if len(opts.allow) > settings.max_list_items or len(opts.deny) > settings.max_list_items:
            raise ConfigError(f"allow and deny lists are limited to {settings.max_list_items} items each")
        # One options layer (veil.options) turns request fields into a policy, as for the CLI.
        request = options_from_mapping(
            {
                "preset": opts.preset,
                "labels": None if opts.labels is None else sorted({x.strip().upper() for x in opts.labels}),
                "operator": opts.operator,
                "allow": tuple(dict.fromkeys(opts.allow)),
                "deny": tuple(dict.fromkeys(opts.deny)),
            }
        )
        if opts.labels is not None and not request.labels:
            raise ConfigError("name at least one label to protect")

        def build() -> Policy:
            return request.build_policy(base=settings.policy)

        key = (request,)
        return cache.get(key, build)

    # -- endpoints -------------------------------------------------------------------------

    @app.get("/v1/health", tags=["service"])
    async def health() -> HealthResponse:
        """Liveness. Needs no token and says nothing about the data."""
        return HealthResponse(status="ok", version=_version(), auth_required=expected is not None)

    @app.get("/v1/info", tags=["service"], dependencies=auth)
    async def info() -> InfoResponse:
        """What the page offers: presets, labels, operators, limits."""
        base = settings.policy
        return InfoResponse(
            version=_version(),
            policy=base.name,
            presets=list(config.PRESETS),
            labels=[label.value for label in Label],
            protected_labels=sorted(label.value for label in base.labels),
            operators=sorted({n.rsplit(".v", 1)[0] for n in registry.names("veil.operators")}),
            default_operator=base.default_operator,
            audit_available=_audit_module() is not None,
            restore_available=settings.restore_key is not None,
            max_body_bytes=settings.max_body_bytes,
            timeout=settings.timeout,
        )

    @app.post("/v1/detect", tags=["anonymize"], dependencies=auth)
    async def detect(req: TextRequest) -> DetectResponse:
        """Find and link the protected entities; every mention is given by offsets."""
        _check_encodable(req.text)

        def work() -> Document:
            return pipeline_for(req).analyze(req.text, req.doc_id)

        doc = await limiter.run(work)
        counts: dict[str, int] = {}
        for e in doc.entities:
            counts[e.label.value] = counts.get(e.label.value, 0) + 1
        return DetectResponse.model_validate(
            {
                "doc_id": doc.id,
                "chars": len(doc.text),
                "entity_counts": counts,
                "entities": _entities_json(doc),
            }
        )

    @app.post("/v1/redact", tags=["anonymize"], dependencies=auth)
    async def redact(req: RedactRequest) -> RedactResponse:
        """Transform the text; the report lists each entity's label, operator and mention offsets."""
        _check_encodable(req.text)
        module = _audit_module() if req.audit else None
        if req.audit and module is None:
            raise StarletteHTTPException(501, "audit is not available in this version of Veil")

        def work() -> tuple[Result, dict[str, Any] | None]:
            pipe = pipeline_for(req)
            result = pipe.redact(req.text, req.doc_id)
            if module is None:
                return result, None
            # audit_result knows where the replacements are, so pseudonyms and surrogates
            # are not mistaken for names that were left in.
            return result, dict(module.audit_result(result, pipeline=pipe).to_dict(include_text=False))

        result, audited = await limiter.run(work)
        return RedactResponse(doc_id=result.doc_id, text=result.text, report=result.report(), audit=audited)

    @app.post("/v1/audit", tags=["anonymize"], dependencies=auth)
    async def audit(req: TextRequest) -> dict[str, Any]:
        """Report re-identification risk left in a (redacted) text, with offsets of each finding."""
        _check_encodable(req.text)
        module = _audit_module()
        if module is None:
            raise StarletteHTTPException(501, "audit is not available in this version of Veil")

        def work() -> dict[str, Any]:
            pipe = pipeline_for(req)
            report = module.audit_text(req.text, req.doc_id, policy=pipe.policy, pipeline=pipe)
            return dict(report.to_dict(include_text=False))

        return await limiter.run(work)

    @app.post("/v1/restore", tags=["anonymize"], dependencies=auth)
    async def restore(req: RestoreRequest) -> RestoreResponse:
        """Reverse the ``encrypt`` operator with the server's key (``veil serve --key-file``)."""
        _check_encodable(req.text)
        key = settings.restore_key
        if key is None:
            raise ConfigError("restore needs a key: start the server with --key-file")

        def work() -> str:
            from .operators import restore as restore_text

            try:
                return str(restore_text(req.text, key))
            except VeilError:
                raise
            except Exception as exc:
                raise ProcessingError(f"restore failed: {type(exc).__name__}", doc_id=req.doc_id) from exc

        text = await limiter.run(work)
        return RestoreResponse(doc_id=req.doc_id, text=text)

    @app.post("/v1/extract", tags=["review page"], dependencies=auth)
    async def extract(
        file: Annotated[UploadFile, File(description="A .txt (UTF-8) or .docx file.")],
    ) -> ExtractResponse:
        """Turn an uploaded .txt or .docx into plain text (the page then sends it to /v1/detect)."""
        name = Path(file.filename or "upload").name
        suffix = Path(name).suffix.lower()
        data = await file.read()
        if suffix == ".txt":
            from .write import decode_text

            text = decode_text(data, "the uploaded file")
        elif suffix == ".docx":
            text = await limiter.run(lambda: docx_to_text(data, "the uploaded file"))
        else:
            raise InputError("only .txt and .docx files can be uploaded")
        return ExtractResponse(name=name, chars=len(text), text=text)

    # -- the review page -------------------------------------------------------------------

    static = resources.files("veil").joinpath("static")

    def _static(name: str, media_type: str) -> Callable[[], Awaitable[Response]]:
        async def serve_file() -> Response:
            return FileResponse(str(static.joinpath(name)), media_type=media_type)

        return serve_file

    app.add_api_route("/", _static("index.html", "text/html; charset=utf-8"), include_in_schema=False)
    app.add_api_route(
        "/static/app.js", _static("app.js", "text/javascript; charset=utf-8"), include_in_schema=False
    )
    app.add_api_route(
        "/static/app.css", _static("app.css", "text/css; charset=utf-8"), include_in_schema=False
    )

    # Outermost first: the body limit runs before anything reads the body.
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(_BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(_CatchAll)
    return app


def serve(
    settings: ServiceSettings, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info"
) -> None:
    """Build the default pipeline (loading the model once), then run the app with uvicorn.

    Configuration errors surface here, before the port is bound.
    """
    import uvicorn

    factory = _default_factory(settings.secrets)
    started = time.perf_counter()
    factory(settings.policy)  # fail before binding if the policy, model or keys are unusable
    log.info("pipeline ready in %.1f s", time.perf_counter() - started)
    if settings.token is None:
        log.warning(
            "authentication is OFF (--insecure-no-auth); anyone who can reach %s:%d can use it", host, port
        )
    app = create_app(settings, pipeline_factory=factory)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, date_header=False)
