"""Assemble the app: routes, error mapping, middleware and the worker pool."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from .dependencies import Service, options_key, policy_for
from .error_map import install_handlers
from .jobs import WARM_UP_TEXT, PipelineFactory, WorkerState, default_factory
from .middleware import AccessLog, BodyLimit, CatchAll
from .models import PolicyOptions
from .routes import api, page, version
from .settings import ServiceSettings

__all__ = ["create_app", "serve"]

log = logging.getLogger("veil.service")


def _worker_state(settings: ServiceSettings, factory: PipelineFactory) -> WorkerState:
    # Runs in each new worker: build the base pipeline before the first job arrives.
    state = WorkerState(settings, factory)
    base = PolicyOptions()
    try:
        policy = policy_for(settings, base)
    except Exception as exc:  # reported by the first request with the same options
        log.debug("worker warm-up skipped: %s", type(exc).__name__)
        return state
    state.warm(options_key(settings, base), policy)
    return state


def create_app(settings: ServiceSettings, *, pipeline_factory: PipelineFactory | None = None) -> FastAPI:
    """Build the ASGI app. ``pipeline_factory`` replaces ``Pipeline(policy, secrets=...)`` (tests).

    Documents run in ``settings.concurrency`` worker processes forked from this one (see
    :mod:`veil.service.workers`); they are started with the app's lifespan, or on first use.
    """
    from .workers import WorkerPool

    factory = pipeline_factory or default_factory(settings.secrets)
    pool = WorkerPool(settings.concurrency, partial(_worker_state, settings, factory))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="Veil",
        version=version(),
        summary="Find every identifier, link every mention, transform consistently.",
        description=(
            "Text anonymization API. Send `Authorization: Bearer <token>`. Offsets are code points "
            'into the text you sent. Errors are `{"error": {"type", "message"}}` and never echo '
            "your text."
        ),
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.veil = Service(settings, pool)
    install_handlers(app, settings.timeout)
    app.include_router(api)
    app.include_router(page)

    # Added innermost first: CatchAll ends up outermost, the body limit runs before
    # anything reads the body, and the access log sees the matched route.
    app.add_middleware(AccessLog)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(CatchAll)
    return app


def serve(
    settings: ServiceSettings, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info"
) -> None:
    """Build the default pipeline (loading the model once), then run the app with uvicorn.

    Configuration errors surface here, before the port is bound. The workers are forked
    after the model is loaded, so they share it and start warm. uvicorn's access log is off:
    it writes paths and query strings as sent; Veil's own (``veil.service.access``) writes
    the route template and the status.
    """
    import uvicorn

    factory = default_factory(settings.secrets)
    started = time.perf_counter()
    # Fail before binding if the policy, model or keys are unusable; and load what loads on
    # first use, so every worker forked from this process starts warm.
    factory(settings.policy).analyze(WARM_UP_TEXT, "warm-up")
    # What is loaded now is shared with the workers; keep the collector from touching it
    # (and so copying its pages into every worker).
    gc.freeze()
    log.info("pipeline ready in %.1f s", time.perf_counter() - started)
    if settings.token is None:
        log.warning(
            "authentication is OFF (--insecure-no-auth); anyone who can reach %s:%d can use it", host, port
        )
    app = create_app(settings, pipeline_factory=factory)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        server_header=False,
        date_header=False,
    )
