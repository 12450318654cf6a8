"""The straight pipeline: read -> detect -> resolve -> policy -> transform -> write.

:class:`Pipeline` is built once from a :class:`~veil.config.Policy` (loading the spaCy
model once) and then run on many documents. Every stage is wrapped so that any failure
becomes a :class:`~veil.errors.ProcessingError` naming the document and the stage; a
result is returned only when every stage succeeded, so the original text can never be
emitted by mistake.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Protocol

from . import registry
from .config import Policy, resolve_policy
from .embedded import mask_embedded_names
from .errors import (
    ConfigError,
    DetectorError,
    OperatorError,
    ProcessingError,
    ResolveError,
    VeilError,
)
from .model import Document, Entity, Label, Replacement, Result, Span
from .protocols import Detector, Operator, Target
from .textview import TextView, restore_offsets, view_of

#: The command line's per-document time limit when ``--timeout`` is not given: this many
#: seconds, plus :data:`DEFAULT_TIMEOUT_PER_MB` per million characters of the document.
DEFAULT_TIMEOUT = 60.0
DEFAULT_TIMEOUT_PER_MB = 60.0


def time_limit(timeout: float | None) -> tuple[float, float]:
    """``(timeout, timeout_per_mb)`` for :class:`Pipeline` from a command line's
    ``--timeout``: exactly ``timeout`` seconds when given, else :data:`DEFAULT_TIMEOUT` plus
    :data:`DEFAULT_TIMEOUT_PER_MB` per million characters."""
    if timeout is None:
        return DEFAULT_TIMEOUT, DEFAULT_TIMEOUT_PER_MB
    return timeout, 0.0


#: What a stage may raise that fails its document: any exception, and also ``SystemExit``
#: and ``GeneratorExit`` (a plugin calling ``sys.exit(0)`` must not end the run with exit
#: code 0 and no output). ``KeyboardInterrupt`` still stops the whole run, writing nothing.
STAGE_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit, GeneratorExit)


class NumberSource(Protocol):
    """Assigns the per-label ordinal of an entity (``[PERSON_3]``). A vault implements it."""

    def number(self, label: Label, key: str) -> int: ...


class LocalNumbers:
    """Numbers in order of first appearance, kept in memory: one per document (or record)
    by default, or shared by the documents of one command (``veil redact a.txt b.txt``)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Label, str], int] = {}
        self._count: dict[Label, int] = {}

    def number(self, label: Label, key: str) -> int:
        k = (label, key)
        if k not in self._seen:
            self._count[label] = self._count.get(label, 0) + 1
            self._seen[k] = self._count[label]
        return self._seen[k]


@contextmanager
def _deadline(seconds: float | None, doc_id: str) -> Iterator[None]:
    """Raise DetectorError if the block runs longer than ``seconds``.

    The deadline uses SIGALRM, which only the main thread receives: asking for a timeout
    from another thread is a :class:`ConfigError` rather than a limit silently ignored.
    """
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        raise ConfigError(
            "a per-document timeout can only be enforced in the main thread; "
            "run without a timeout here or bound the work from the caller",
            doc_id=doc_id,
            stage="detect",
        )

    def _alarm(signum: int, frame: object) -> None:
        raise DetectorError(f"timed out after {seconds:g}s", doc_id=doc_id, stage="detect")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _build_detector(name: str, policy: Policy) -> Detector:
    factory = registry.get("veil.detectors", name)
    try:
        det = factory(policy)
    except VeilError:
        raise
    except STAGE_FAILURES as exc:
        raise ConfigError(f"detector {name!r} could not be built: {type(exc).__name__}") from exc
    if not isinstance(det, Detector):
        raise ConfigError(f"detector {name!r} does not implement Detector")
    return det


def _build_operator(name: str, policy: Policy, secrets: Mapping[str, Any]) -> Operator:
    factory = registry.get("veil.operators", name)
    options = dict(policy.options_for(name))
    options.update(secrets.get(name, {}))
    try:
        op = factory(**options)
    except VeilError:
        raise
    except TypeError as exc:
        raise ConfigError(f"invalid options for operator {name!r}: {exc}") from None
    except STAGE_FAILURES as exc:
        raise ConfigError(f"operator {name!r} could not be built: {type(exc).__name__}") from exc
    if not isinstance(op, Operator):
        raise ConfigError(f"operator {name!r} does not implement Operator")
    return op


def name_part(mention: str, canonical: str) -> str:
    """Which part of ``canonical`` the mention is: full, first, last or other."""
    m = mention.strip().casefold()
    c = canonical.strip().casefold()
    if m == c:
        return "full"
    words = c.split()
    if len(words) >= 2:
        if m == words[-1]:
            return "last"
        if m == words[0]:
            return "first"
        if c.endswith(" " + m):
            return "last"
    return "other"


class Pipeline:
    """A configured anonymization pipeline.

    Usage::

        pipe = Pipeline(preset("pii"))
        result = pipe.redact("Dr. Ada Byron wrote to ada@example.org.", doc_id="letter-1")
        print(result.text)

    ``detectors`` replaces the detectors named by the policy (any objects implementing
    :class:`~veil.protocols.Detector`, or plain callables ``doc -> Iterable[Span]``).
    ``numbers`` assigns entity ordinals (a :class:`~veil.vault.Vault` gives corpus-wide
    ones). ``secrets`` passes keys to operators, e.g. ``{"hash": {"key": b"..."}}``.
    ``timeout`` bounds analysis (clean view, detection, resolution) per document, in
    seconds, plus ``timeout_per_mb`` seconds per million characters of the document; a
    document over time fails with :class:`~veil.errors.DetectorError` (nothing is output).
    """

    def __init__(
        self,
        policy: Policy | str | None = None,
        *,
        detectors: Sequence[Detector | Callable[[Document], Iterable[Span]]] | None = None,
        secrets: Mapping[str, Mapping[str, Any]] | None = None,
        numbers: Callable[[], NumberSource] | None = None,
        timeout: float | None = None,
        timeout_per_mb: float = 0.0,
        build_operators: bool = True,
    ) -> None:
        from .resolve import NameResolver

        self.policy = resolve_policy(policy)
        if detectors is None:
            self.detectors: list[Detector] = [_build_detector(n, self.policy) for n in self.policy.detectors]
        else:
            self.detectors = [_normalise_detector(d) for d in detectors]
        self.resolver = NameResolver(self.policy)
        self._secrets = dict(secrets or {})
        self._numbers = numbers or LocalNumbers
        self.timeout = timeout
        self.timeout_per_mb = timeout_per_mb
        self.operators: dict[str, Operator] = {}
        if build_operators:
            from .config import check_operator_labels

            check_operator_labels(self.policy)
            for label in self.policy.protected_labels:
                name = self.policy.operator_for(label)
                if name not in self.operators:
                    self.operators[name] = _build_operator(name, self.policy, self._secrets)
            # Options for operators the policy does not use are still validated now, so a
            # bad table fails at load time rather than the day a label is switched on.
            for name in self.policy.operator_options:
                if name not in self.operators and (name not in ("hash", "encrypt") or name in self._secrets):
                    _build_operator(name, self.policy, self._secrets)

    # -- stages ---------------------------------------------------------------------------

    def _detect(self, doc: Document, precomputed: Mapping[int, list[Span]] | None = None) -> Document:
        spans: list[Span] = []
        n = len(doc.text)
        for i, det in enumerate(self.detectors):
            try:
                if precomputed is not None and i in precomputed:
                    found = precomputed[i]
                else:
                    found = list(det.detect(doc))
            except VeilError as exc:
                exc.doc_id = exc.doc_id or doc.id
                exc.stage = exc.stage or "detect"
                raise
            except STAGE_FAILURES as exc:
                raise DetectorError(
                    f"detector {det.name!r} failed: {type(exc).__name__}", doc_id=doc.id, stage="detect"
                ) from exc
            for s in found:
                if not isinstance(s, Span) or s.end > n:
                    raise DetectorError(
                        f"detector {det.name!r} returned an invalid span", doc_id=doc.id, stage="detect"
                    )
            spans.extend(found)
        if self.policy.min_score > 0:  # policy min_score; deny-listed strings always stay
            spans = [s for s in spans if s.score >= self.policy.min_score or s.source == "lists"]
        return replace(doc, spans=tuple(spans))

    def _resolve(self, doc: Document) -> Document:
        from .scores import score_entities

        try:
            return score_entities(doc.spans, self.resolver.resolve(doc))
        except VeilError:
            raise
        except STAGE_FAILURES as exc:
            raise ResolveError(
                f"resolution failed: {type(exc).__name__}", doc_id=doc.id, stage="resolve"
            ) from exc

    def _apply_policy(self, doc: Document) -> Document:
        from .resolve import core_words

        # An entity is allowed when its canonical name (its longest mention), as written or
        # without its title ("Dr. Ana Ruiz"), is on the list. A bare "Washington" on the list
        # does not unmask "Denzel Washington" and his other mentions.
        allow = {" ".join(a.casefold().split()) for a in self.policy.allow}
        kept: list[Entity] = []
        for ent in doc.entities:
            if ent.label not in self.policy.protected_labels:
                continue
            if allow:
                canonical = ent.canonical(doc.text)
                if (
                    " ".join(canonical.casefold().split()) in allow
                    or " ".join(core_words(canonical)) in allow
                ):
                    continue
            kept.append(ent)
        return replace(doc, entities=tuple(kept))

    def _transform(self, doc: Document, numbers: NumberSource) -> Result:
        text = doc.text
        pieces: list[tuple[Span, Entity, str, str]] = []
        for ent in doc.entities:
            op_name = self.policy.operator_for(ent.label)
            op = self.operators.get(op_name)
            if op is None:
                raise OperatorError(
                    f"no operator for label {ent.label.value}", doc_id=doc.id, stage="transform"
                )
            canonical = ent.canonical(text)
            key = ent.key or canonical.casefold()
            number = numbers.number(ent.label, key)
            for m in ent.mentions:
                surface = m.text(text)
                target = Target(
                    text=surface,
                    label=ent.label,
                    entity_id=ent.id,
                    key=key,
                    number=number,
                    canonical=canonical,
                    part=name_part(surface, canonical),
                )
                try:
                    new = op.apply(target)
                except VeilError as exc:
                    exc.doc_id = exc.doc_id or doc.id
                    exc.stage = exc.stage or "transform"
                    raise
                except STAGE_FAILURES as exc:
                    raise OperatorError(
                        f"operator {op_name!r} failed on [{m.start},{m.end}) {ent.label.value}: {type(exc).__name__}",
                        doc_id=doc.id,
                        stage="transform",
                    ) from exc
                # The replacement must not contain the mention.
                if not isinstance(new, str) or new == surface or _keeps_mention(surface, new, ent.label):
                    raise OperatorError(
                        f"operator {op_name!r} did not mask [{m.start},{m.end}) {ent.label.value}",
                        doc_id=doc.id,
                        stage="transform",
                    )
                pieces.append((m, ent, op_name, new))
        pieces.sort(key=lambda p: p[0].start)
        out: list[str] = []
        reps: list[Replacement] = []
        pos = 0
        for m, ent, op_name, new in pieces:
            if m.start < pos:
                raise OperatorError(
                    f"overlapping mentions at [{m.start},{m.end})", doc_id=doc.id, stage="transform"
                )
            out.append(text[pos : m.start])
            out.append(new)
            pos = m.end
            reps.append(Replacement(m.start, m.end, ent.label, ent.id, op_name, new))
        out.append(text[pos:])
        ops = {label.value: self.policy.operator_for(label) for label in self.policy.labels}
        return Result(
            doc_id=doc.id,
            text="".join(out),
            entities=doc.entities,
            replacements=tuple(reps),
            operators=ops,
            original=text,
        )

    # -- public ---------------------------------------------------------------------------

    def analyze(
        self, text: str, doc_id: str = "doc", *, _precomputed: Mapping[int, list[Span]] | None = None
    ) -> Document:
        """Detect and resolve: the document with its spans and (policy-filtered) entities.

        Detection and resolution run on the clean view of the text (:mod:`veil.textview`:
        markup, invisible characters and odd spaces removed, NFKC); the spans come back
        mapped onto ``text``, each covering its whole original extent. ``timeout`` bounds
        this whole step.
        """
        _as_document(text, doc_id)
        return self._analyze(text, doc_id, _precomputed)

    def _analyze(
        self,
        text: str | TextView,
        doc_id: str,
        precomputed: Mapping[int, list[Span]] | None,
    ) -> Document:
        try:
            n = len(text if isinstance(text, str) else text.original)
            limit = self.timeout + self.timeout_per_mb * n / 1e6 if self.timeout else None
            with _deadline(limit, doc_id):
                return self._analyze_view(
                    view_of(text) if isinstance(text, str) else text, doc_id, precomputed
                )
        except VeilError as exc:
            exc.doc_id = exc.doc_id or doc_id
            raise
        except STAGE_FAILURES as exc:  # anything unexpected still fails closed
            raise ProcessingError(f"unexpected failure: {type(exc).__name__}", doc_id=doc_id) from exc

    def _analyze_view(
        self, view: TextView, doc_id: str, precomputed: Mapping[int, list[Span]] | None
    ) -> Document:
        doc = Document(id=doc_id, text=view.text)
        analysed = self._apply_policy(self._resolve(self._detect(doc, precomputed)))
        analysed = restore_offsets(view, analysed)
        return mask_embedded_names(analysed, removed=view.removed())

    def transform(self, doc: Document, numbers: NumberSource | None = None) -> Result:
        """Apply the operators to an analysed document (the last stages of :meth:`redact`).

        ``numbers`` assigns entity ordinals; a fresh per-document source by default.
        Raises :class:`~veil.errors.OperatorError` (or another ``VeilError``) on any failure.
        """
        try:
            return self._transform(doc, numbers if numbers is not None else self._numbers())
        except VeilError as exc:
            exc.doc_id = exc.doc_id or doc.id
            raise
        except STAGE_FAILURES as exc:
            raise OperatorError(
                f"unexpected failure: {type(exc).__name__}", doc_id=doc.id, stage="transform"
            ) from exc

    def redact(
        self,
        text: str,
        doc_id: str = "doc",
        *,
        numbers: NumberSource | None = None,
        _precomputed: Mapping[int, list[Span]] | None = None,
    ) -> Result:
        """Run every stage on ``text``; raise instead of returning anything partial."""
        return self.transform(self.analyze(text, doc_id, _precomputed=_precomputed), numbers)

    def analyze_many(self, items: Sequence[tuple[str, str]]) -> list[Document | VeilError]:
        """Detect and resolve ``(doc_id, text)`` pairs as one batch.

        Each item gives its analysed :class:`Document` or the :class:`VeilError` that says
        why it failed. Detectors with ``detect_many`` run once on the whole batch (spaCy's
        ``nlp.pipe``); if that fails, each document is retried alone, so that the error
        names the document that caused it.
        """
        views = [view_of(t) for _, t in items]
        docs = [Document(id=i, text=v.text) for (i, _), v in zip(items, views, strict=True)]
        pre: dict[int, list[list[Span]]] = {}
        for k, det in enumerate(self.detectors):
            many = getattr(det, "detect_many", None)
            if many is None or self.timeout or not docs:
                continue
            try:
                pre[k] = many(docs)
            except STAGE_FAILURES:  # fall back to one call per document to name the culprit
                continue
        out: list[Document | VeilError] = []
        for j, (doc_id, _) in enumerate(items):
            try:
                out.append(self._analyze(views[j], doc_id, {k: v[j] for k, v in pre.items()}))
            except VeilError as exc:
                out.append(exc)
        return out

    def redact_many(
        self,
        items: Iterable[tuple[str, str]],
        *,
        numbers: NumberSource | None = None,
        batch_size: int = 32,
    ) -> Iterator[Result | VeilError]:
        """Redact ``(doc_id, text)`` pairs in order, batching NER through ``nlp.pipe``.

        Yields a :class:`Result` or, for a document that failed, the :class:`VeilError`
        that says why (the caller decides between skip, fail and mask; never the text).
        ``numbers`` is shared across the documents (corpus-wide numbering).
        """
        nums = numbers if numbers is not None else self._numbers()
        batch: list[tuple[str, str]] = []

        def flush() -> Iterator[Result | VeilError]:
            for analysed in self.analyze_many(batch):
                if isinstance(analysed, VeilError):
                    yield analysed
                    continue
                try:
                    yield self.transform(analysed, nums)
                except VeilError as exc:
                    yield exc

        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from flush()
                batch.clear()
        if batch:
            yield from flush()


_WORDS = re.compile(r"\w{3,}")


def _keeps_mention(surface: str, new: str, label: Label) -> bool:
    """Whether ``new`` still shows the mention: contains it, or (for a person) keeps one of
    its name words of 3+ letters as a whole word ("Smith/Jones" -> "Williams/Jones")."""
    if surface.strip() and surface in new:
        return True
    if label is Label.PERSON:
        from .detect.lexicon import TITLES

        kept = {w.casefold() for w in _WORDS.findall(new)}
        return any(w.casefold() in kept and w.casefold() not in TITLES for w in _WORDS.findall(surface))
    return False


def _normalise_detector(d: Detector | Callable[[Document], Iterable[Span]]) -> Detector:
    if isinstance(d, Detector):
        return d
    if callable(d):
        fn = d

        class _CallableDetector:
            name = getattr(fn, "__name__", "callable")

            def detect(self, doc: Document) -> Iterable[Span]:
                return fn(doc)

        return _CallableDetector()  # type: ignore[return-value]
    raise ConfigError("detectors must implement Detector or be callables")


def _as_document(text: str, doc_id: str) -> Document:
    if not isinstance(text, str):
        raise ConfigError(f"document {doc_id}: text must be str, got {type(text).__name__}")
    return Document(id=doc_id, text=text)


_CACHE: dict[tuple[Any, ...], Pipeline] = {}


def _cached(policy: Policy | str | None, secrets: Mapping[str, Mapping[str, Any]] | None) -> Pipeline:
    if secrets:
        return Pipeline(policy, secrets=secrets)
    pol = resolve_policy(policy)
    key = (pol,)
    try:
        hash(key)
    except TypeError:
        return Pipeline(pol)
    if key not in _CACHE:
        _CACHE[key] = Pipeline(pol)
    return _CACHE[key]


def redact(
    text: str,
    policy: Policy | str | None = None,
    *,
    doc_id: str = "doc",
    secrets: Mapping[str, Mapping[str, Any]] | None = None,
) -> Result:
    """Anonymize ``text`` with ``policy`` (a :class:`Policy`, preset name or TOML path).

    Returns a :class:`~veil.model.Result` with ``.text``, ``.entities`` and ``.report()``.
    Raises a :class:`~veil.errors.VeilError` on any failure; never returns unmasked text.
    """
    return _cached(policy, secrets).redact(text, doc_id)


def detect(text: str, policy: Policy | str | None = None, *, doc_id: str = "doc") -> tuple[Entity, ...]:
    """Find and link the entities of ``text`` that ``policy`` protects, without transforming."""
    return _cached(policy, None).analyze(text, doc_id).entities
