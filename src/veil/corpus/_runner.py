"""The run: read shards, analyse them (in workers), number and transform them in order,
commit each with its part, then assemble the output and write the report."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Policy, resolve_policy
from ..errors import ConfigError, InputError, ProcessingError, VeilError
from ..failure import PLACEHOLDER
from ..model import Document, Span
from ..protocols import Detector
from ._base import CorpusFormat, Outcome, Record, Shard, Writer
from ._formats import corpus_format, detect_format
from ._job import BatchJob, OnError
from ._manifest import Manifest, documents, fingerprint, plain
from ._paths import (
    WORK_MARKER,
    check_paths,
    default_report_path,
    default_work_dir,
    prepare_work_dir,
    remove_stale_temporaries,
    remove_work_dir,
)
from ._report import BatchSummary, summarize, write_report

if TYPE_CHECKING:
    from ..pipeline import NumberSource, Pipeline
    from ..vault import Vault

MASK_CHAR = "*"  # no longer written: a masked record gets veil.failure.PLACEHOLDER

# -- analysis (in workers) ---------------------------------------------------------------------

Analysed = Document | VeilError | None


def analyse_many(pipe: Pipeline, items: Sequence[tuple[str, str | None]]) -> list[Analysed]:
    """Detect and resolve ``(id, text)`` pairs as one batch; ``None`` text stays ``None``.

    Each document gives its :class:`Document` (entities resolved and policy-filtered) or the
    :class:`VeilError` that says why it failed. Detectors with ``detect_many`` run once on
    the whole batch (spaCy's ``nlp.pipe``); if that fails, every document is retried alone
    so the error names the document that caused it.
    """
    present = [(i, t) for i, t in items if t is not None]
    analysed = iter(pipe.analyze_many(present))
    return [None if t is None else next(analysed) for _, t in items]


_WORKER_PIPE: Pipeline | None = None


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel kill this worker when the parent dies (SIGKILL of a run would
    otherwise leave workers blocked on their queue forever, holding a model in memory)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no prctl: workers still exit when their queue closes
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_init(factory: Callable[[], Pipeline], parent: int | None = None) -> None:
    global _WORKER_PIPE
    if parent is not None:
        _die_with_parent(parent)
    _WORKER_PIPE = factory()


def _worker_analyse(items: list[tuple[str, str | None]]) -> list[Analysed]:
    if _WORKER_PIPE is None:  # pragma: no cover - the initializer always runs first
        raise ProcessingError("worker pipeline was not initialised")
    # The parent already holds the text: send back only what it does not have.
    return [replace(a, text="") if isinstance(a, Document) else a for a in analyse_many(_WORKER_PIPE, items)]


def _items(shard: Shard, text_fields: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """The documents of a shard: one per text field of each record, in order."""
    items: list[tuple[str, str | None]] = []
    for r in shard.records:
        if r.texts is None:
            items.append((r.id, None))
        elif len(text_fields) == 1:
            items.append((r.id, r.texts[0]))
        else:
            items.extend((f"{r.id}/{name}", text) for name, text in zip(text_fields, r.texts, strict=True))
    return items


# -- numbering and transforming (in the parent, in input order) -------------------------------


@dataclass(slots=True)
class _ShardStats:
    documents: int
    chars: int = 0
    mentions: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    masked: list[dict[str, str]] = field(default_factory=list)


def _transform_record(
    pipe: Pipeline, rec: Record, analysed: list[Analysed], numbers: NumberSource
) -> tuple[tuple[str, ...], list[Any]] | VeilError:
    """Each text of ``rec`` transformed, all with ``numbers``, or the first failure."""
    texts = rec.texts or ()
    out: list[str] = []
    entities: list[Any] = []
    for text, got in zip(texts, analysed, strict=True):
        if not isinstance(got, Document):
            return got if isinstance(got, VeilError) else ProcessingError("no analysis result", doc_id=rec.id)
        try:
            result = pipe.transform(replace(got, text=text), numbers)
        except VeilError as exc:
            return exc
        except Exception as exc:
            return ProcessingError(
                f"unexpected failure: {type(exc).__name__}", doc_id=rec.id, stage="transform"
            )
        out.append(result.text)
        entities.extend(result.entities)
    return tuple(out), entities


def transform_shard(
    pipe: Pipeline, shard: Shard, analysed: list[Analysed], numbers: Vault | None, on_error: OnError
) -> tuple[list[Outcome], dict[str, Any]]:
    """Number and transform a shard's records in order; apply ``on_error`` to bad ones.

    Without a vault each record is numbered on its own (``[PERSON_1]`` restarts), its text
    fields together."""
    from ..pipeline import LocalNumbers

    outcomes: list[Outcome] = []
    stats = _ShardStats(len(shard.records))
    got = iter(analysed)
    for rec in shard.records:
        if rec.texts is None:
            next(got)
            err: VeilError = InputError(f"record {rec.position} (id {rec.id}): {rec.error}", doc_id=rec.id)
            if on_error == "fail":
                raise err
            stats.skipped.append(
                {"id": rec.id, "position": rec.position, "reason": rec.error or "unreadable"}
            )
            outcomes.append(Outcome(rec, None))
            continue
        stats.chars += sum(len(t) for t in rec.texts)
        shared = LocalNumbers() if numbers is None else numbers
        done = _transform_record(pipe, rec, [next(got) for _ in rec.texts], shared)
        if not isinstance(done, VeilError):
            outcomes.append(Outcome(rec, done[0]))
            for ent in done[1]:
                stats.counts[ent.label.value] = stats.counts.get(ent.label.value, 0) + 1
                stats.mentions += len(ent.mentions)
            continue
        if on_error == "fail":
            raise done
        entry = {"id": rec.id, "position": rec.position, "reason": f"{type(done).__name__}: {done.message}"}
        if on_error == "mask":
            stats.masked.append(entry)
            outcomes.append(Outcome(rec, tuple(PLACEHOLDER for _ in rec.texts)))  # veil.failure
        else:
            stats.skipped.append(entry)
            outcomes.append(Outcome(rec, None))
    return outcomes, {
        "documents": stats.documents,
        "written": sum(o.texts is not None for o in outcomes),
        "chars": stats.chars,
        "entity_counts": stats.counts,
        "mentions": stats.mentions,
        "skipped": stats.skipped,
        "masked": stats.masked,
    }


# -- the run -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Paths:
    """The job's paths, with defaults filled in."""

    src: Path
    out: Path
    rep: Path
    work: Path
    fmt: CorpusFormat


def _fingerprint(job: BatchJob, p: _Paths, pol: Policy) -> str:
    """What the manifest checks on resume: the input's identity and every output-shaping option."""
    return fingerprint(
        {
            "input": [os.fspath(p.src.resolve()), *p.fmt.fingerprint(p.src)],
            "output": os.fspath(p.out.resolve()),
            "format": p.fmt.name,
            "fields": [*job.text_fields, job.id_field],
            "on_error": job.on_error,
            "shard_size": job.shard_size,
            "vault": os.fspath(job.vault.resolve()) if job.vault else None,
            "policy": {f.name: plain(getattr(pol, f.name)) for f in fields(pol)},
            "detectors": [getattr(d, "name", type(d).__name__) for d in job.detectors or ()] or None,
            "secrets": plain(job.secrets or {}),
        }
    )


def run(job: BatchJob) -> BatchSummary:
    """Redact the corpus ``job.source`` into ``job.output`` (same layout) and write a JSON report.

    A run stopped at any point resumes when called again with the same job; see the package
    docstring. Raises :class:`~veil.errors.InputError` / :class:`~veil.errors.ProcessingError`
    for the first bad record when ``on_error="fail"`` (shards finished before it stay
    committed).
    """
    src, out = job.source, job.output
    fmt = corpus_format(job.fmt or detect_format(src))
    if not src.exists():
        raise InputError(f"input not found: {src}")
    pol = resolve_policy(job.policy)
    paths = _Paths(
        src, out, job.report or default_report_path(out), job.work_dir or default_work_dir(out), fmt
    )
    check_paths(src, out, paths.rep, paths.work, job.vault)
    fmt.check(src, job.text_fields, job.id_field)

    from ..vault import Vault

    # The vault is opened (and locked) before anything is deleted, so that a second run on
    # the same vault is refused before it can touch the first one's files, and a half-done
    # commit of the vault is rolled back by SQLite before its journal could be discarded.
    numbers = Vault(job.vault, key=job.vault_key) if job.vault else None
    manifest: Manifest | None = None
    try:
        resuming = (paths.work / WORK_MARKER).is_file() and not job.restart
        prepare_work_dir(paths.work, job.restart)
        if resuming:
            remove_stale_temporaries((out, paths.rep), fmt.stale_temporaries(out))
        writer = fmt.writer(out, job.text_fields, src)
        manifest = Manifest(paths.work / "manifest.sqlite", _fingerprint(job, paths, pol), numbers)
        summary = _run(job, paths, pol, writer, numbers, manifest)
    finally:
        if manifest is not None:
            manifest.close()
        if numbers is not None:
            numbers.close()
    remove_work_dir(paths.work)  # only after success, with the manifest closed
    return summary


def _pipelines(job: BatchJob, pol: Policy) -> tuple[Pipeline, ProcessPoolExecutor | None]:
    """The pipeline that transforms in the parent, and the worker pool (``None``: analyse here too)."""
    from ..pipeline import Pipeline

    def factory() -> Pipeline:
        return Pipeline(
            pol,
            detectors=job.detectors,
            secrets=job.secrets,
            timeout=job.timeout,
            build_operators=job.workers == 1,
        )

    if job.workers == 1:
        return factory(), None
    if "fork" not in multiprocessing.get_all_start_methods():
        raise ConfigError("--workers > 1 needs the 'fork' start method (Linux or macOS)")
    # Workers only analyse; this pipeline only numbers and transforms (no model).
    transformer = Pipeline(pol, detectors=[], secrets=job.secrets)
    pool = ProcessPoolExecutor(
        job.workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(factory, os.getpid()),
    )
    return transformer, pool


def _run(
    job: BatchJob, p: _Paths, pol: Policy, writer: Writer, numbers: Vault | None, manifest: Manifest
) -> BatchSummary:
    """The run proper, with the vault locked and the manifest open (the caller closes both)."""
    show = sys.stderr.isatty() if job.progress is None else job.progress
    done = manifest.done()
    bar = _Progress(show, _estimate_total(p.fmt, p.src) if show else None, initial=documents(done))
    started = time.perf_counter()
    try:
        resumed = len(done)
        pipe, pool = _pipelines(job, pol)

        def analyse(items: list[tuple[str, str | None]]) -> Future[list[Analysed]] | list[Analysed]:
            if pool is None:
                return analyse_many(pipe, items)
            return pool.submit(_worker_analyse, items)

        processed_chars = 0
        pending: deque[tuple[Shard, Future[list[Analysed]] | list[Analysed]]] = deque()

        def finish(shard: Shard, task: Future[list[Analysed]] | list[Analysed]) -> None:
            nonlocal processed_chars
            try:
                analysed = task.result() if isinstance(task, Future) else task
            except BrokenProcessPool as exc:
                raise ProcessingError(f"a worker process died while analysing shard {shard.index}") from exc
            outcomes, stats = transform_shard(pipe, shard, analysed, numbers, job.on_error)
            part = p.work / f"part-{shard.index:06d}{writer.suffix}"
            writer.write_part(part, shard, outcomes)
            manifest.commit(shard.index, len(shard.records), part.name, stats)
            processed_chars += stats["chars"]
            bar.update(len(shard.records), stats["chars"])

        try:
            if not p.fmt.directory and not p.src.is_file():
                raise InputError(f"input not found: {p.src}")
            for shard in p.fmt.read(p.src, job.text_fields, job.id_field, job.shard_size):
                if shard.index in done:
                    continue  # counted in the bar's starting point
                pending.append((shard, analyse(_items(shard, job.text_fields))))
                while len(pending) > job.workers:
                    finish(*pending.popleft())
            while pending:
                finish(*pending.popleft())
        finally:
            if pool is not None:
                for _, task in pending:
                    if isinstance(task, Future):
                        task.cancel()
                pool.shutdown(wait=True, cancel_futures=True)
            if numbers is not None:
                numbers.rollback()

        done = manifest.done()
        writer.assemble([p.work / done[i][0] for i in sorted(done)], p.src)
        summary = summarize(p.out, p.rep, done, time.perf_counter() - started, resumed, processed_chars)
        header = {
            "input": os.fspath(p.src),
            "output": os.fspath(p.out),
            "format": p.fmt.name,
            "policy": pol.name,
            "workers": job.workers,
            "on_error": job.on_error,
            "vault": os.fspath(job.vault) if job.vault else None,
        }
        write_report(p.rep, summary, header)
    except VeilError as exc:
        with suppress(Exception):
            finished = manifest.done()
            exc.add_note(
                f"stopped: {len(finished)} shard(s), {documents(finished)} document(s), committed in "
                f"{p.work}. The same command resumes from there (after changing the input, add --restart)."
            )
        raise
    finally:
        bar.close()
    return summary


def run_batch(
    source: str | Path,
    output: str | Path,
    *,
    policy: Policy | str | None = None,
    detectors: Sequence[Detector | Callable[[Document], Iterable[Span]]] | None = None,
    secrets: Mapping[str, Mapping[str, Any]] | None = None,
    **options: Any,
) -> BatchSummary:
    """``run(BatchJob(source, output, ...))``: the same keywords as :class:`BatchJob`."""
    return run(BatchJob(source, output, policy=policy, detectors=detectors, secrets=secrets, **options))


# -- progress ----------------------------------------------------------------------------------


class _Progress:
    def __init__(self, enabled: bool, total: int | None, initial: int = 0) -> None:
        """``initial``: documents finished by an earlier run, shown as done but not counted
        in the rate (so a resumed run's ETA is not flattered by work it did not do)."""
        self.bar: Any = None
        self.start = time.perf_counter()
        self.chars = 0
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, initial=initial, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1
            )

    def update(self, docs: int, chars: int) -> None:
        self.chars += chars
        if self.bar is not None:
            self.bar.update(docs)
            elapsed = time.perf_counter() - self.start
            if elapsed > 0:
                self.bar.set_postfix_str(f"{self.chars / elapsed:,.0f} chars/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _estimate_total(fmt: CorpusFormat, source: Path) -> int | None:
    try:
        return fmt.count(source)
    except Exception:  # only an ETA; never a reason to fail
        return None
