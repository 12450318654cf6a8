"""Audit already-redacted text: what still identifies people, why, and how badly.

``audit_text`` takes text that someone (Veil, another tool, a person) has masked and
returns an :class:`AuditReport` with findings of four kinds:

* ``residual_identifier`` -- an unmasked person name, contact detail or ID number, found
  with the same detectors as ``veil redact``;
* ``linked_leak`` -- an unmasked name that gives away the referent of a mask: a bare
  surname that is never introduced with a full name ("Lavrov said ...") after a masked,
  role-introduced person ("Foreign Minister XXX said ..."); the full-name antecedent was
  masked, the later mentions were not;
* ``quasi_identifier`` -- a description that singles out one person without a name: a
  one-holder office tied to a place or organisation ("the mayor of <town>"), an exact age
  next to a mask, a date of birth, a street address, "the only <occupation> at <place>";
* ``partial_mask`` -- a mask that leaves part of an identifier visible (a first or middle
  name, the last digits of a number, an e-mail domain, letters glued to the mask).

Masks are recognised by a registry of regular expressions (:data:`MASK_STYLES`): ``XXX``,
``[REDACTED]``, ``[PERSON]``, ``[PERSON_1]``, ``<PERSON>``, ``█████``, ``***`` and Veil's
own hash (``[PERSON:ab12cd]``) and encrypt (``⟦PERSON:...⟧``) tokens; callers add their
own with ``mask_patterns``. Everything is rule-based: role lexicons (titles, offices,
occupations), speech verbs and the order of mentions. No document string is special-cased.

Reports never contain identifier text unless asked: a finding carries offsets, a label, a
severity and an explanation built only from Veil's own lexicon words (role words such as
"minister"), never from the document. ``AuditReport.to_dict(include_text=True)`` adds the
text of each finding and its sentence.

Usage::

    report = audit_text(redacted, doc_id="article-7")
    report.risk                 # 'low' | 'medium' | 'high'
    report.reasons              # why the risk is what it is
    report.to_dict()            # JSON-ready, schema in docs/audit.md
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import ConfigError, ProcessingError, VeilError
from ..model import Result
from .finders import DEFAULT_FINDERS
from .masks import MASK_STYLES, MaskStyle, compile_mask_patterns, find_masks
from .render import render_html, render_terminal, to_json_dict
from .report import KINDS, RISK_LEVELS, SCHEMA_VERSION, Analyzer, AuditReport, Finding, Kind, Mask, Severity
from .risk import assess_risk, risk_above, summarize
from .view import AuditView, Finder, run_finders

_PIPELINES: dict[Any, Analyzer] = {}


def _pipeline_for(policy: Any) -> Analyzer:
    """One analysis-only pipeline per policy, built once and reused across calls."""
    from ..config import resolve_policy
    from ..pipeline import Pipeline

    pol = resolve_policy(policy)
    try:
        hash(pol)
    except TypeError:
        return Pipeline(pol, build_operators=False)
    if pol not in _PIPELINES:
        _PIPELINES[pol] = Pipeline(pol, build_operators=False)
    return _PIPELINES[pol]


def audit_text(
    text: str,
    doc_id: str = "doc",
    *,
    policy: Any = None,
    mask_patterns: Sequence[str | re.Pattern[str]] = (),
    pipeline: Analyzer | None = None,
    known_masks: Iterable[tuple[int, int]] = (),
    finders: Sequence[Finder] = DEFAULT_FINDERS,
) -> AuditReport:
    """Audit one redacted text and return its :class:`AuditReport`.

    ``policy`` (a :class:`~veil.config.Policy`, preset name or path; default ``pii``) chooses
    the detectors used for residual identifiers; ``pipeline`` replaces them with any object
    that has ``analyze(text, doc_id) -> Document`` (built once, reused across documents).
    ``mask_patterns`` adds mask styles (regexes; a group named ``label`` gives the label).
    ``known_masks`` are offsets known to be replacements even if they look like real text
    (Veil's pseudonyms); see :func:`audit_result`. ``finders`` are the kinds of finding to
    look for (:data:`~veil.audit.finders.DEFAULT_FINDERS`).

    Raises :class:`~veil.errors.VeilError` if detection fails (no partial report), and
    :class:`~veil.errors.ConfigError` for an invalid mask pattern.
    """
    if not isinstance(text, str):
        raise ConfigError(f"document {doc_id}: text must be str, got {type(text).__name__}")
    masks = find_masks(text, mask_patterns, known_masks)
    analyzer = pipeline if pipeline is not None else _pipeline_for(policy)
    try:
        doc = analyzer.analyze(text, doc_id)
    except VeilError:
        raise
    except Exception as exc:
        raise ProcessingError(
            f"audit analysis failed: {type(exc).__name__}", doc_id=doc_id, stage="audit"
        ) from exc
    try:
        findings = run_finders(AuditView.build(text, doc, masks), finders)
    except VeilError:
        raise
    except Exception as exc:
        raise ProcessingError(f"audit failed: {type(exc).__name__}", doc_id=doc_id, stage="audit") from exc
    risk, reasons = assess_risk(findings)
    return AuditReport(doc_id, risk, reasons, findings, masks, text)


def audit_result(result: Result, **kwargs: Any) -> AuditReport:
    """Audit the output of :func:`veil.redact`, treating every replacement as a mask.

    Pseudonyms look like real names; passing their output offsets as ``known_masks`` keeps
    them from being reported as residual names while still checking what is around them.
    """
    known: list[tuple[int, int]] = []
    shift = 0
    for r in sorted(result.replacements, key=lambda r: r.start):
        start = r.start + shift
        known.append((start, start + len(r.new)))
        shift += len(r.new) - (r.end - r.start)
    extra = tuple(kwargs.pop("known_masks", ()))
    return audit_text(result.text, result.doc_id, known_masks=(*known, *extra), **kwargs)


def audit_texts(
    items: Iterable[tuple[str, str]],
    *,
    policy: Any = None,
    mask_patterns: Sequence[str | re.Pattern[str]] = (),
    pipeline: Analyzer | None = None,
) -> list[AuditReport]:
    """Audit ``(doc_id, text)`` pairs with one pipeline; any failure raises (fail closed)."""
    analyzer = pipeline if pipeline is not None else _pipeline_for(policy)
    patterns = [s.pattern for s in compile_mask_patterns(mask_patterns)]
    return [audit_text(text, doc_id, mask_patterns=patterns, pipeline=analyzer) for doc_id, text in items]


__all__ = [
    "KINDS",
    "MASK_STYLES",
    "RISK_LEVELS",
    "SCHEMA_VERSION",
    "Analyzer",
    "AuditReport",
    "AuditView",
    "Finder",
    "Finding",
    "Kind",
    "Mask",
    "MaskStyle",
    "Severity",
    "assess_risk",
    "audit_result",
    "audit_text",
    "audit_texts",
    "find_masks",
    "render_html",
    "render_terminal",
    "risk_above",
    "summarize",
    "to_json_dict",
]
