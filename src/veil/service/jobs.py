"""What a worker process does with a job: each is one library call, answered as plain data.

A job names the pipeline it needs by the key of the request's options; the worker keeps
the pipelines it has built (least recently used first out), so a repeated set of options
costs no set-up. spaCy models are cached per process by :func:`veil.detect.ner.load_model`
and inherited from the server when the worker is forked.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import Policy
from ..errors import ConfigError, ProcessingError, VeilError
from ..model import Document
from .docx import docx_to_text
from .settings import ServiceSettings

if TYPE_CHECKING:
    from ..pipeline import Pipeline

__all__ = [
    "WARM_UP_TEXT",
    "DocxJob",
    "PipelineFactory",
    "RestoreJob",
    "TextJob",
    "WorkerState",
    "audit_module",
]

log = logging.getLogger("veil.service")

PipelineFactory = Callable[[Policy], "Pipeline"]

_PIPELINE_CACHE_SIZE = 32
#: Run once by the server and by each worker so that lazily loaded word lists and models
#: are in memory before the first request (invented names, no one's data).
WARM_UP_TEXT = "Ada Lovelace wrote to Charles Babbage in London; Babbage answered from Paris."


@dataclass(frozen=True, slots=True)
class TextJob:
    """A text to detect, redact or audit with the pipeline for ``key`` (built from ``policy``)."""

    key: Hashable
    policy: Policy
    text: str
    doc_id: str
    audit: bool = False

    def __repr__(self) -> str:
        return f"TextJob(doc_id={self.doc_id!r}, chars={len(self.text)}, text=[redacted])"


@dataclass(frozen=True, slots=True)
class RestoreJob:
    text: str
    doc_id: str

    def __repr__(self) -> str:
        return f"RestoreJob(doc_id={self.doc_id!r}, chars={len(self.text)}, text=[redacted])"


@dataclass(frozen=True, slots=True)
class DocxJob:
    data: bytes

    def __repr__(self) -> str:
        return f"DocxJob(bytes={len(self.data)})"


def audit_module() -> Any | None:
    try:
        from .. import audit
    except ImportError:
        return None
    return audit if hasattr(audit, "audit_text") and hasattr(audit, "audit_result") else None


def default_factory(secrets: Any) -> PipelineFactory:
    def build(policy: Policy) -> Pipeline:
        from ..pipeline import Pipeline

        return Pipeline(policy, secrets=secrets)

    return build


def entities_json(doc: Document) -> list[dict[str, Any]]:
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


class WorkerState:
    """One worker's pipelines and the jobs it answers. Lives in the worker process."""

    def __init__(self, settings: ServiceSettings, factory: PipelineFactory) -> None:
        self._settings = settings
        self._factory = factory
        self._pipelines: OrderedDict[Hashable, Pipeline] = OrderedDict()

    def warm(self, key: Hashable, policy: Policy) -> None:
        """Build the base pipeline and run it once before the first job (word lists and
        models load on first use). A failure here is raised again, with its message, by the
        first job that needs the pipeline."""
        try:
            self.pipeline(key, policy).analyze(WARM_UP_TEXT, "warm-up")
        except Exception as exc:  # not ignored: the first job builds again and fails with it
            log.debug("worker warm-up deferred: %s", type(exc).__name__)

    def pipeline(self, key: Hashable, policy: Policy) -> Pipeline:
        pipe = self._pipelines.get(key)
        if pipe is not None:
            self._pipelines.move_to_end(key)
            return pipe
        pipe = self._factory(policy)
        self._pipelines[key] = pipe
        if len(self._pipelines) > _PIPELINE_CACHE_SIZE:
            self._pipelines.popitem(last=False)
        return pipe

    def __call__(self, name: str, payload: Any) -> Any:
        if name == "detect" and isinstance(payload, TextJob):
            return self.detect(payload)
        if name == "redact" and isinstance(payload, TextJob):
            return self.redact(payload)
        if name == "audit" and isinstance(payload, TextJob):
            return self.audit(payload)
        if name == "restore" and isinstance(payload, RestoreJob):
            return self.restore(payload)
        if name == "docx" and isinstance(payload, DocxJob):
            return docx_to_text(payload.data, "the uploaded file")
        raise ConfigError(f"unknown job {name!r}")

    def detect(self, job: TextJob) -> dict[str, Any]:
        doc = self.pipeline(job.key, job.policy).analyze(job.text, job.doc_id)
        counts: dict[str, int] = {}
        for e in doc.entities:
            counts[e.label.value] = counts.get(e.label.value, 0) + 1
        return {
            "doc_id": doc.id,
            "chars": len(doc.text),
            "entity_counts": counts,
            "entities": entities_json(doc),
        }

    def redact(self, job: TextJob) -> dict[str, Any]:
        pipe = self.pipeline(job.key, job.policy)
        result = pipe.redact(job.text, job.doc_id)
        audited = None
        if job.audit:
            module = audit_module()
            if module is None:
                raise ConfigError("audit is not available in this version of Veil")
            # audit_result knows where the replacements are, so pseudonyms and surrogates
            # are not mistaken for names that were left in.
            audited = dict(module.audit_result(result, pipeline=pipe).to_dict(include_text=False))
        return {"doc_id": result.doc_id, "text": result.text, "report": result.report(), "audit": audited}

    def audit(self, job: TextJob) -> dict[str, Any]:
        module = audit_module()
        if module is None:
            raise ConfigError("audit is not available in this version of Veil")
        pipe = self.pipeline(job.key, job.policy)
        report = module.audit_text(job.text, job.doc_id, policy=pipe.policy, pipeline=pipe)
        return dict(report.to_dict(include_text=False))

    def restore(self, job: RestoreJob) -> dict[str, Any]:
        from ..operators import restore as restore_text

        key = self._settings.restore_key
        if key is None:
            raise ConfigError("restore needs a key: start the server with --key-file")
        try:
            text = str(restore_text(job.text, key))
        except VeilError:
            raise
        except Exception as exc:
            raise ProcessingError(f"restore failed: {type(exc).__name__}", doc_id=job.doc_id) from exc
        return {"doc_id": job.doc_id, "text": text}
