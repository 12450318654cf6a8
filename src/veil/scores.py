"""Confidence scores of resolved mentions and entities.

Detectors give each span a score in ``[0, 1]`` (a validated IBAN 1.0, a checksum-less
national ID after its keyword 0.9, a model's name 0.85, a date 0.85, a generic code
after a keyword 0.8, an occupation 0.5, ...). The scores are **ordinal, not
calibrated**: a higher score means stronger evidence of the same detector family, not a
probability that the span is an identifier. ``min_score`` in a policy drops spans below
it before resolution (deny-listed strings are always kept).

After resolution, :func:`score_entities` gives every mention the highest score of the
detector spans of its label that overlap it (or the entity's score when none does, e.g.
a mention added by propagation), and every entity the highest score of its mentions.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from .model import Document, Span


def _best(
    spans: Sequence[Span], starts: Sequence[int], span: Span, *, same_label: bool, reach: int = 2000
) -> float | None:
    best: float | None = None
    # Detector spans are short; look back a bounded distance for overlapping ones (at most
    # 2000 characters, and no further than the longest span: one that starts ``reach`` or
    # more before ``span`` ends before it).
    i = bisect.bisect_left(starts, span.end)
    j = i - 1
    reach = min(reach, 2000)
    while j >= 0 and span.start - starts[j] < reach:
        raw = spans[j]
        if raw.overlaps(span) and (not same_label or raw.label is span.label):
            best = raw.score if best is None else max(best, raw.score)
        j -= 1
    return best


def score_entities(raw: Sequence[Span], doc: Document) -> Document:
    """``doc`` with scores on its entities and their mentions, from the raw ``raw`` spans."""
    spans = sorted(raw, key=lambda s: s.start)
    starts = [s.start for s in spans]
    reach = max((len(s) for s in spans), default=0)
    entities = []
    for ent in doc.entities:
        found = [_best(spans, starts, m, same_label=True, reach=reach) for m in ent.mentions]
        known = [x for x in found if x is not None]
        if not known:
            known = [
                x
                for x in (_best(spans, starts, m, same_label=False, reach=reach) for m in ent.mentions)
                if x is not None
            ]
        score = max(known) if known else 1.0
        mentions = tuple(
            replace(m, score=f if f is not None else score) for m, f in zip(ent.mentions, found, strict=True)
        )
        entities.append(replace(ent, mentions=mentions, score=score))
    return replace(doc, entities=tuple(entities))
