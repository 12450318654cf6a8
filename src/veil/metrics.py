"""The figures ``veil eval`` reports: per-label scores, TAB's metrics, missed entities and
false positives, each with the counts behind it. Definitions in :mod:`veil.evaluate`;
computed by :func:`veil.scoring.score`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .evaluate import GoldFormat

#: Tokens whose characters need not be masked (TAB's word list before March 2023).
FORGIVEN_WORDS: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "and", "or", "from", "until", "to", "about", "after", "as", "at",
        "before", "between", "by", "during", "for", "in", "into", "of", "on", "over", "since",
        "with", "the", "a", "an", "no", "nr", "’s", "'s",
    }
)  # fmt: skip
#: Characters that need not be masked.
FORGIVEN_CHARS: frozenset[str] = frozenset(" ,.-;:/&()[]–'\"’“”")

#: Veil label -> TAB entity type, applied to system labels when the gold is TAB.
TAB_LABELS: Mapping[str, str] = {
    "PERSON": "PERSON",
    "LOC": "LOC",
    "ADDRESS": "LOC",
    "ORG": "ORG",
    "DATE": "DATETIME",
    "AGE": "DEM",
    "NORP": "DEM",
    "QUANTITY": "QUANTITY",
    "MISC": "MISC",
    "ID": "CODE",
    "EMAIL": "CODE",
    "PHONE": "CODE",
    "URL": "CODE",
    "IP": "CODE",
    "IBAN": "CODE",
    "CARD": "CODE",
    "HANDLE": "CODE",
}

WORD = re.compile(r"\w+")
TAB_TOKEN = re.compile(r"[’']s\b|\w+")


# -- weighting -----------------------------------------------------------------------------


class TokenWeighting(Protocol):
    """Weights of the system's words for token precision.

    Called once per document with its text and the ``(start, end)`` of every system word;
    must return one non-negative weight per word, in order.
    """

    def __call__(self, text: str, tokens: Sequence[tuple[int, int]]) -> Sequence[float]: ...


def uniform_weight(text: str, tokens: Sequence[tuple[int, int]]) -> Sequence[float]:
    """Every word weighs 1 (TAB's uniform precision)."""
    return [1.0] * len(tokens)


# -- scores --------------------------------------------------------------------------------


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision and recall with the counts behind them."""

    tp_precision: float
    n_precision: float
    tp_recall: float
    n_recall: float

    @property
    def precision(self) -> float:
        return _ratio(self.tp_precision, self.n_precision)

    @property
    def recall(self) -> float:
        return _ratio(self.tp_recall, self.n_recall)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "precision_num": round(self.tp_precision, 4),
            "precision_den": round(self.n_precision, 4),
            "recall_num": self.tp_recall,
            "recall_den": self.n_recall,
        }


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Scores for one label: the headline metrics, then label-aware mention/entity P/R/F1."""

    label: str
    entities: int
    entities_masked: int
    mentions: int
    mentions_masked: int
    word_precision_num: float
    word_precision_den: float
    mention: PRF
    entity: PRF

    @property
    def entity_recall(self) -> float:
        return _ratio(self.entities_masked, self.entities)

    @property
    def mention_recall(self) -> float:
        return _ratio(self.mentions_masked, self.mentions)

    @property
    def word_precision(self) -> float:
        return _ratio(self.word_precision_num, self.word_precision_den)

    @property
    def f1(self) -> float:
        return _f1(self.word_precision, self.entity_recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "entities": self.entities,
            "entities_masked": self.entities_masked,
            "entity_recall": round(self.entity_recall, 4),
            "mentions": self.mentions,
            "mentions_masked": self.mentions_masked,
            "mention_recall": round(self.mention_recall, 4),
            "word_precision": round(self.word_precision, 4),
            "word_precision_num": round(self.word_precision_num, 4),
            "word_precision_den": round(self.word_precision_den, 4),
            "f1": round(self.f1, 4),
            "mention_prf": self.mention.to_dict(),
            "entity_prf": self.entity.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class TabScores:
    """TAB's metrics (label-blind), with counts."""

    direct: int
    direct_protected: int
    quasi: int
    quasi_protected: int
    tokens: int
    tokens_masked: int
    mentions: int
    mentions_masked: int
    precision_num: float
    precision_den: float
    tokens_by_type: Mapping[str, tuple[int, int]]
    """type -> (masked tokens, tokens)."""

    @property
    def er_direct(self) -> float:
        return _ratio(self.direct_protected, self.direct)

    @property
    def er_quasi(self) -> float:
        return _ratio(self.quasi_protected, self.quasi)

    @property
    def er_all(self) -> float:
        return _ratio(self.direct_protected + self.quasi_protected, self.direct + self.quasi)

    @property
    def token_recall(self) -> float:
        return _ratio(self.tokens_masked, self.tokens)

    @property
    def mention_recall(self) -> float:
        return _ratio(self.mentions_masked, self.mentions)

    @property
    def token_precision(self) -> float:
        return _ratio(self.precision_num, self.precision_den)

    @property
    def f1(self) -> float:
        return _f1(self.token_precision, self.token_recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "er_direct": round(self.er_direct, 4),
            "er_quasi": round(self.er_quasi, 4),
            "er_all": round(self.er_all, 4),
            "token_recall": round(self.token_recall, 4),
            "mention_recall": round(self.mention_recall, 4),
            "token_precision": round(self.token_precision, 4),
            "f1": round(self.f1, 4),
            "counts": {
                "direct": [self.direct_protected, self.direct],
                "quasi": [self.quasi_protected, self.quasi],
                "tokens": [self.tokens_masked, self.tokens],
                "mentions": [self.mentions_masked, self.mentions],
                "precision": [round(self.precision_num, 4), round(self.precision_den, 4)],
            },
            "token_recall_by_type": {
                t: round(_ratio(m, n), 4) for t, (m, n) in sorted(self.tokens_by_type.items())
            },
        }


@dataclass(frozen=True, slots=True)
class MissedEntity:
    """A gold entity that needs masking and is not protected; ``unmasked`` are offsets."""

    doc_id: str
    entity_id: str
    annotator: str
    label: str
    unmasked: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class FalsePositive:
    """A (merged) system span overlapping no DIRECT/QUASI gold mention of any annotator."""

    doc_id: str
    start: int
    end: int
    label: str | None


@dataclass(frozen=True, slots=True)
class Report:
    """The result of :func:`score`. Holds ids, offsets and labels only."""

    format: GoldFormat
    documents: int
    labels: tuple[LabelScores, ...]
    tab: TabScores
    missed: tuple[MissedEntity, ...]
    false_positives: tuple[FalsePositive, ...]
    merge_spans: bool = True

    def label(self, name: str) -> LabelScores:
        for s in self.labels:
            if s.label == name:
                return s
        raise KeyError(name)

    def to_dict(self, *, texts: Mapping[str, str] | None = None) -> dict[str, Any]:
        """JSON-ready dict. Span text is added only when ``texts`` (doc id -> text) is given."""

        def _text(doc_id: str, s: int, e: int) -> dict[str, str]:
            return {"text": texts[doc_id][s:e]} if texts is not None and doc_id in texts else {}

        return {
            "gold_format": self.format,
            "documents": self.documents,
            "merge_spans": self.merge_spans,
            "labels": [s.to_dict() for s in self.labels],
            "tab": self.tab.to_dict(),
            "missed_entities": [
                {
                    "doc_id": m.doc_id,
                    "entity_id": m.entity_id,
                    "annotator": m.annotator,
                    "label": m.label,
                    "unmasked": [{"start": s, "end": e, **_text(m.doc_id, s, e)} for s, e in m.unmasked],
                }
                for m in self.missed
            ],
            "false_positives": [
                {
                    "doc_id": f.doc_id,
                    "start": f.start,
                    "end": f.end,
                    "label": f.label,
                    **_text(f.doc_id, f.start, f.end),
                }
                for f in self.false_positives
            ],
        }

    def __repr__(self) -> str:
        return (
            f"Report({self.format}, documents={self.documents}, labels={[s.label for s in self.labels]}, "
            f"missed={len(self.missed)}, false_positives={len(self.false_positives)})"
        )
