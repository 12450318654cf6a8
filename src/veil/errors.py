"""Veil's exceptions. One hierarchy, and every message is free of document text.

::

    VeilError                 exit code 1
     +-- ConfigError          exit code 2   bad policy, unknown label/operator/name, bad key
     +-- InputError           exit code 3   unreadable, empty, binary or non-UTF-8 input
     +-- ProcessingError      exit code 4   a document failed in a pipeline stage
     |    +-- DetectorError                 a detector crashed or timed out
     |    +-- ResolveError                  span merging or linking failed
     |    +-- OperatorError                 an operator could not transform a mention
     +-- WriteError           exit code 5   the output could not be written atomically
     +-- AuditRiskError       exit code 6   ``redact --audit`` found risk above the limit
     +-- RecordsSkippedError  exit code 7   ``batch`` finished but left records out (listed in its report)

Messages carry document ids, stages, offsets, labels and hashes, never span text.
Third-party exceptions are translated at the boundary with ``raise ... from exc``.
"""

from __future__ import annotations


class VeilError(Exception):
    """Base class of every error Veil raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, doc_id: str | None = None, stage: str | None = None):
        self.message = message
        self.doc_id = doc_id
        self.stage = stage
        super().__init__(message)

    def __str__(self) -> str:
        where = []
        if self.doc_id is not None:
            where.append(f"document {self.doc_id}")
        if self.stage is not None:
            where.append(f"stage {self.stage}")
        prefix = f"[{', '.join(where)}] " if where else ""
        return prefix + self.message


class ConfigError(VeilError):
    """The policy, an option, a key or a registered name is invalid."""

    exit_code = 2


class InputError(VeilError):
    """The input cannot be read as text (missing, empty, binary, not UTF-8, malformed record)."""

    exit_code = 3


class ProcessingError(VeilError):
    """A document failed inside the pipeline; nothing of it may be written unmasked."""

    exit_code = 4


class DetectorError(ProcessingError):
    """A detector crashed, timed out or returned something invalid."""


class ResolveError(ProcessingError):
    """Merging or linking spans failed."""


class OperatorError(ProcessingError):
    """An operator could not transform a mention."""


class WriteError(VeilError):
    """Output could not be written (atomically) or would overwrite an input."""

    exit_code = 5


class AuditRiskError(VeilError):
    """The audit of an output found a risk above the accepted maximum."""

    exit_code = 6


class RecordsSkippedError(VeilError):
    """A batch run finished, but left records out of its output (``--on-error skip``, or an
    unreadable record under ``mask``); they are listed in its report."""

    exit_code = 7
