"""The service's deadline: detection runs in worker processes that are killed when a
request runs out of time, while other requests keep being served.

The stalling detector below runs a catastrophic regular expression of its own (not one of
Veil's): like a super-linear regex in a real detector, it holds the GIL for seconds.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
import warnings
from collections.abc import Iterable
from typing import Any, ClassVar

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # see test_api.py: Starlette prefers httpx2
    from fastapi.testclient import TestClient

from veil.config import Policy, preset
from veil.detect.lists import DenyListDetector
from veil.model import Document, Label, Span
from veil.pipeline import Pipeline
from veil.service import ServiceSettings, create_app
from veil.service.error_map import Busy, TimedOut
from veil.service.workers import WorkerPool

TOKEN = "t0ken-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = "Ada Byron wrote to Babbage."
STALL = "STALL"
# About 8 s of backtracking in C, holding the GIL, on the development machine (2^26 steps).
_CATASTROPHIC = re.compile(r"(a+)+$")
_STALLING_INPUT = "a" * 26 + "!"


class StallingDetector:
    """Finds "Byron"; on a text containing STALL it first stalls in a regex."""

    name: ClassVar[str] = "stalling"

    def detect(self, doc: Document) -> Iterable[Span]:
        if STALL in doc.text:
            _CATASTROPHIC.match(_STALLING_INPUT)
        start = doc.text.find("Byron")
        return [Span(start, start + len("Byron"), Label.PERSON, "stalling")] if start >= 0 else []


class DyingDetector:
    name: ClassVar[str] = "dying"

    def detect(self, doc: Document) -> Iterable[Span]:
        if "DIE" in doc.text:
            os._exit(3)  # as a crash in C code or the OOM killer would end the process
        if "EXIT" in doc.text:
            raise SystemExit(0)
        return []


def _policy() -> Policy:
    return preset("pii").with_operator("tag")


def _factory(policy: Policy) -> Pipeline:
    return Pipeline(policy, detectors=[StallingDetector(), DyingDetector(), DenyListDetector(policy)])


def _app(**kwargs: Any) -> Any:
    settings = ServiceSettings(**{"token": TOKEN, "policy": _policy(), **kwargs})
    return create_app(settings, pipeline_factory=_factory)


async def _timed_post(ac: httpx.AsyncClient, text: str, t0: float) -> tuple[int, float, str]:
    r = await ac.post("/v1/redact", json={"text": text}, headers=AUTH)
    return r.status_code, time.monotonic() - t0, r.text


def test_service_deadline_holds_and_others_are_served() -> None:
    timeout = 1.5
    _factory(_policy()).redact(TEXT, "warm-up")  # word lists load on first use; serve() does this
    app = _app(timeout=timeout, concurrency=2)

    async def go() -> tuple[tuple[int, float, str], tuple[int, float, str], int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60) as ac:
            # Both workers up and warm before the clock starts.
            assert (await ac.post("/v1/redact", json={"text": TEXT}, headers=AUTH)).status_code == 200
            t0 = time.monotonic()
            stalled = asyncio.create_task(_timed_post(ac, f"{STALL} Ada Byron", t0))
            await asyncio.sleep(0.2)
            normal = await _timed_post(ac, TEXT, t0)
            slow = await stalled
            after = await ac.post("/v1/redact", json={"text": TEXT}, headers=AUTH)
            return slow, normal, after.status_code

    try:
        slow, normal, after = asyncio.run(go())
    finally:
        app.state.veil.pool.close()
    status, elapsed, body = slow
    assert status == 504
    assert elapsed < timeout + 1.0, f"504 after {elapsed:.2f}s"
    assert "Byron" not in body
    n_status, n_elapsed, n_body = normal
    assert n_status == 200
    assert n_elapsed < timeout, f"a normal request waited {n_elapsed:.2f}s behind a stalled one"
    assert "Byron" not in httpx.Response(200, text=n_body).json()["text"]
    assert after == 200  # the killed worker was replaced


@pytest.mark.parametrize("marker", ["DIE", "EXIT"], ids=["worker-dies", "system-exit"])
def test_service_worker_failure_fails_closed_and_recovers(marker: str) -> None:
    with TestClient(_app(concurrency=1), raise_server_exceptions=False) as c:
        r = c.post("/v1/redact", json={"text": f"{marker} Ada Byron"}, headers=AUTH)
        assert r.status_code == 500
        # A dead worker is an internal error; SystemExit raised by a detector fails the
        # document in its stage (the pipeline treats it as any other detector failure).
        expected = "InternalError" if marker == "DIE" else "DetectorError"
        assert r.json()["error"]["type"] == expected
        assert "Byron" not in r.text
        ok = c.post("/v1/redact", json={"text": TEXT}, headers=AUTH)
        assert ok.status_code == 200
        assert "Byron" not in ok.json()["text"]


def _sleeper() -> Any:
    def run(name: str, payload: Any) -> Any:
        time.sleep(float(payload))
        return payload

    return run


def test_worker_pool_busy_when_no_worker_by_deadline() -> None:
    pool = WorkerPool(1, _sleeper)

    async def go() -> None:
        first = asyncio.create_task(pool.run("sleep", 0.6, time.monotonic() + 5))
        await asyncio.sleep(0.1)
        with pytest.raises(Busy):
            await pool.run("sleep", 0.0, time.monotonic() + 0.2)
        assert await first == 0.6

    try:
        asyncio.run(go())
    finally:
        pool.close()


def test_worker_pool_kills_overdue_job_and_replaces_worker() -> None:
    pool = WorkerPool(1, _sleeper)

    async def go() -> float:
        t0 = time.monotonic()
        with pytest.raises(TimedOut):
            await pool.run("sleep", 30.0, t0 + 0.3)
        elapsed = time.monotonic() - t0
        assert await pool.run("sleep", 0.0, time.monotonic() + 5) == 0.0
        return elapsed

    try:
        assert asyncio.run(go()) < 1.3
    finally:
        pool.close()


def test_service_factory_failing_at_warm_up_fails_requests_closed() -> None:
    def broken(policy: Policy) -> Pipeline:
        raise TypeError("a broken plugin")

    app = create_app(ServiceSettings(token=TOKEN, policy=_policy()), pipeline_factory=broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        for _ in range(2):  # the same worker answers again: it did not die at warm-up
            r = c.post("/v1/redact", json={"text": TEXT}, headers=AUTH)
            assert r.status_code == 500
            assert r.json()["error"]["type"] == "InternalError"
            assert "Byron" not in r.text


def test_worker_pool_serves_waiting_requests_in_order() -> None:
    pool = WorkerPool(1, _sleeper)
    finished: list[float] = []

    async def job(seconds: float) -> None:
        await pool.run("sleep", seconds, time.monotonic() + 20)
        finished.append(seconds)

    async def go() -> None:
        tasks = []
        for seconds in (0.3, 0.01, 0.02, 0.03):  # each arrives while the ones before wait
            tasks.append(asyncio.create_task(job(seconds)))
            await asyncio.sleep(0.05)
        await asyncio.gather(*tasks)

    try:
        asyncio.run(go())
    finally:
        pool.close()
    assert finished == [0.3, 0.01, 0.02, 0.03]
