"""Worker processes that run the documents and can be stopped at the deadline.

Detection is CPU-bound Python and C code that holds the GIL; a thread that runs past its
deadline cannot be stopped, and it starves the event loop, so the server's timeout would
not hold. Each document therefore runs in one of ``concurrency`` worker processes:

* the workers are forked from the server, so they start warm: the spaCy model the server
  loaded before binding its port is shared copy-on-write, and each worker builds the base
  pipeline as soon as it starts;
* a request takes a free worker (waiting at most until its deadline: 503), sends it the job
  and waits for the answer until the deadline; past it, the worker is killed (SIGKILL),
  a fresh one is forked in its place, and the request gets 504;
* the number of workers is the bound on concurrent work, so killed work never piles up;
* a worker that dies (out of memory, a crash in C code) fails its request with 500 and is
  replaced; nothing of the text is returned.

Jobs and answers cross the process boundary as plain data (pickled): the worker sends back
what the route returns, or the type, status and message of a :class:`~veil.errors.VeilError`
(messages carry ids, offsets and labels only), or just the type of any other exception.

The ``fork`` start method is required (Linux, macOS with care): it is what lets a worker
use the pipeline factory and operators registered in the server process without pickling
them.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ..errors import VeilError
from .error_map import Busy, JobFailed, TimedOut, status_for

__all__ = ["Runner", "WorkerPool"]

log = logging.getLogger("veil.service")

#: Runs one job (name, payload) inside a worker and returns plain, picklable data.
Runner = Callable[[str, Any], Any]

_POLL_PARENT = 1.0  # seconds between checks that the server process is still alive
_KILL_WAIT = 2.0


def _serve_jobs(conn: Connection, make_runner: Callable[[], Runner], parent: int) -> None:
    """The worker's loop: answer jobs until the server closes the pipe or goes away."""
    # Ctrl-C on the server reaches the whole process group; the server stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    runner = make_runner()
    while True:
        try:
            if not conn.poll(_POLL_PARENT):
                if os.getppid() != parent:
                    return
                continue
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        name, payload = job
        outcome: tuple[Any, ...]
        try:
            outcome = ("ok", runner(name, payload))
        except VeilError as exc:
            outcome = ("error", type(exc).__name__, status_for(exc), str(exc))
        except BaseException as exc:  # SystemExit from a plugin too: the job failed, nothing returned
            outcome = ("crash", type(exc).__name__)
        try:
            conn.send(outcome)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the answer could not be pickled: still an answer
            conn.send(("crash", type(exc).__name__))


class _Worker:
    __slots__ = ("conn", "process")

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn


def _stop(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join(_KILL_WAIT)
    worker.conn.close()


def _stop_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        _stop(worker)
    workers.clear()


class WorkerPool:
    """``concurrency`` worker processes and the deadline of each job.

    Usage::

        pool = WorkerPool(2, make_runner)        # make_runner runs in each new worker
        pool.start()                             # optional: fork the workers now
        value = await pool.run("detect", payload, deadline=time.monotonic() + 30)
        pool.close()
    """

    def __init__(self, concurrency: int, make_runner: Callable[[], Runner]) -> None:
        self._make_runner = make_runner
        self._concurrency = concurrency
        self._slots = threading.BoundedSemaphore(concurrency)
        self._waiting: deque[object] = deque()
        self._idle: list[_Worker] = []
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        self._fork_lock = threading.Lock()
        self._closed = False
        # One thread per slot waits on its worker's pipe (no GIL held while waiting).
        self._threads = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="veil-wait")
        self._finalizer = weakref.finalize(self, _stop_all, self._live)

    def start(self) -> None:
        """Fork the missing workers now rather than on first use."""
        while (worker := self._fork_if_short()) is not None:
            self._checkin(worker)

    def close(self) -> None:
        """Stop every worker; jobs still running fail."""
        with self._lock:
            self._closed = True
            self._idle.clear()
        self._finalizer()
        self._threads.shutdown(wait=False)

    async def run(self, name: str, payload: Any, deadline: float) -> Any:
        """Run a job in a worker. Raises :class:`Busy` when no worker is free by ``deadline``,
        :class:`TimedOut` when the job is not done by then, :class:`JobFailed` when it failed."""
        if self._closed:
            raise Busy
        await self._acquire(deadline)
        try:
            fut = asyncio.get_running_loop().run_in_executor(
                self._threads, self._call, name, payload, deadline
            )
        except BaseException:
            self._slots.release()
            raise
        outcome = await fut
        if outcome[0] == "ok":
            return outcome[1]
        if outcome[0] == "error":
            raise JobFailed(outcome[1], outcome[2], outcome[3])
        log.error("job %s failed in its worker: unexpected %s", name, outcome[1])
        raise JobFailed("InternalError", 500, "internal error; the text was not processed")

    async def _acquire(self, deadline: float) -> None:
        # First come, first served: a request takes a free slot only when no earlier one is
        # waiting, so the wait is bounded by the requests ahead of it. Polling keeps the pool
        # independent of any one event loop (a threading semaphore would block the loop; an
        # asyncio one is bound to a loop).
        ticket = object()
        with self._lock:
            self._waiting.append(ticket)
        try:
            while True:
                with self._lock:
                    if self._waiting[0] is ticket and self._slots.acquire(blocking=False):
                        return
                if time.monotonic() >= deadline:
                    raise Busy
                await asyncio.sleep(0.005)
        finally:
            with self._lock:
                self._waiting.remove(ticket)

    # -- in a waiting thread, holding a slot -------------------------------------------------

    def _call(self, name: str, payload: Any, deadline: float) -> tuple[Any, ...]:
        try:
            worker = self._checkout()
            try:
                worker.conn.send((name, payload))
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not worker.conn.poll(remaining):
                    self._replace(worker)
                    raise TimedOut
                outcome: tuple[Any, ...] = worker.conn.recv()
            except (EOFError, OSError) as exc:
                # The worker died (killed from outside, out of memory, a crash in C code).
                self._replace(worker)
                return ("crash", f"worker lost ({type(exc).__name__})")
            self._checkin(worker)
            return outcome
        finally:
            self._slots.release()

    def _checkout(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise Busy
            if self._idle:
                return self._idle.pop()
        worker = self._fork_if_short()
        if worker is None:  # closed meanwhile
            raise Busy
        return worker

    def _checkin(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
            self._live.discard(worker)
        _stop(worker)

    def _replace(self, worker: _Worker) -> None:
        # Killed at once: the job's time is up, and the slot it holds must not outlive it.
        with self._lock:
            self._live.discard(worker)
        _stop(worker)
        spare = self._fork_if_short()
        if spare is not None:
            self._checkin(spare)

    def _fork_if_short(self) -> _Worker | None:
        # Forks are serialised, and made outside ``_lock`` so the event loop never waits on one.
        with self._fork_lock:
            with self._lock:
                if self._closed or len(self._live) >= self._concurrency:
                    return None
            ctx = multiprocessing.get_context("fork")
            ours, theirs = ctx.Pipe(duplex=True)
            process = ctx.Process(
                target=_serve_jobs,
                args=(theirs, self._make_runner, os.getpid()),
                name="veil-worker",
                daemon=True,
            )
            process.start()
            theirs.close()
            worker = _Worker(process, ours)
            with self._lock:
                self._live.add(worker)
            return worker
