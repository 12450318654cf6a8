"""Veil: anonymize text. Every mention of every identifying entity is found, linked and
transformed consistently.

Usage::

    import veil
    result = veil.redact("Dr. Ada Byron met Byron's lawyer.", policy="pii")
    result.text          # 'Dr. [PERSON_1] met [PERSON_1]'s lawyer.'
    result.entities      # linked entities, each with all its mentions
    result.report()      # JSON-ready report without identifier text

Importing ``veil`` is light: spaCy and the other heavy dependencies load only when a
pipeline is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import Policy, load_policy, preset
from .errors import (
    AuditRiskError,
    ConfigError,
    DetectorError,
    InputError,
    OperatorError,
    ProcessingError,
    ResolveError,
    VeilError,
    WriteError,
)
from .model import Document, Entity, Evidence, Label, Replacement, Result, Span

if TYPE_CHECKING:
    from .pipeline import Pipeline, detect, redact

__all__ = [
    "AuditRiskError",
    "ConfigError",
    "DetectorError",
    "Document",
    "Entity",
    "Evidence",
    "InputError",
    "Label",
    "OperatorError",
    "Pipeline",
    "Policy",
    "ProcessingError",
    "Replacement",
    "ResolveError",
    "Result",
    "Span",
    "VeilError",
    "WriteError",
    "detect",
    "load_policy",
    "preset",
    "redact",
]

_LAZY = {"Pipeline", "detect", "redact"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'veil' has no attribute {name!r}")
