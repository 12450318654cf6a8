"""Scoring system spans against gold documents: how ``veil eval`` computes its figures.

The definitions are in :mod:`veil.evaluate`'s module docstring, the figures in
:mod:`veil.metrics`. :func:`score` prepares each document once (:class:`ScoredDocument`:
coverage of the system spans, the gold mentions that need masking) and feeds it to one
accumulator per family of metrics, as spaCy's ``Scorer`` feeds its ``PRFScore`` objects:

* :class:`EntityRecall` and :class:`MentionRecall` -- per gold type, label-blind (the
  headline figures) and label-aware;
* :class:`WordPrecision` -- per system label, the headline word precision;
* :class:`LabelPrecision` -- per system label, mention and entity precision;
* :class:`TabMetrics` -- TAB's entity recall, token and mention recall, token precision;
* :class:`Errors` -- the missed entities and the false positives.

To add a metric, add an accumulator with ``add(doc)`` and read it in :func:`score`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .errors import InputError
from .metrics import (
    FORGIVEN_CHARS,
    FORGIVEN_WORDS,
    PRF,
    TAB_LABELS,
    TAB_TOKEN,
    WORD,
    FalsePositive,
    LabelScores,
    MissedEntity,
    Report,
    TabScores,
    TokenWeighting,
    uniform_weight,
)

if TYPE_CHECKING:
    from .evaluate import Gold, GoldDocument, GoldEntity, GoldMention, Predictions, SystemSpan


# -- scoring -------------------------------------------------------------------------------


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _coverage(n: int, spans: Iterable[tuple[int, int]]) -> bytearray:
    cov = bytearray(n)
    for s, e in spans:
        cov[s:e] = b"\x01" * (e - s)
    return cov


def _forgiven(text: str) -> bytearray:
    marks = bytearray(1 if c in FORGIVEN_CHARS else 0 for c in text)
    for m in TAB_TOKEN.finditer(text):
        if m.group().casefold() in FORGIVEN_WORDS:
            marks[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return marks


def words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ``\\w+`` runs inside ``text[start:end]`` as absolute offsets."""
    return [(m.start(), m.end()) for m in WORD.finditer(text, start, end)]


def _all_set(marks: bytearray, start: int, end: int) -> bool:
    return all(marks[start:end])


def _tab_masked(cov: bytearray, forgiven: bytearray, start: int, end: int) -> bool:
    return all(c or f for c, f in zip(cov[start:end], forgiven[start:end], strict=True))


def _word_masked(text: str, cov: bytearray, start: int, end: int) -> bool:
    return all(_all_set(cov, s, e) for s, e in words(text, start, end))


def _contains(mentions: Sequence[GoldMention], s: int, e: int) -> bool:
    return any(m.start <= s and e <= m.end for m in mentions)


def _overlaps(mentions: Sequence[GoldMention], s: int, e: int) -> bool:
    return any(m.start < e and s < m.end for m in mentions)


# -- one document, prepared once -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoredDocument:
    """A gold document with the system's spans laid over it.

    ``spans`` are ``(start, end, label, entity)`` with labels mapped to the gold's types;
    ``covered`` marks the characters of any span, ``covered_as`` those of each label's spans.
    ``to_mask`` are the gold entities that need masking; ``gold_by_annotator`` and
    ``gold_by_label`` hold their DIRECT/QUASI mentions.
    """

    gold: GoldDocument
    spans: tuple[tuple[int, int, str | None, str | None], ...]
    covered: bytearray
    forgiven: bytearray
    covered_as: Mapping[str, bytearray]
    by_label: Mapping[str, list[tuple[int, int]]]
    gold_by_annotator: Mapping[str, list[GoldMention]]
    gold_by_label: Mapping[tuple[str, str], list[GoldMention]]

    @classmethod
    def build(
        cls, gold: GoldDocument, predicted: Sequence[SystemSpan], label_map: Mapping[str, str]
    ) -> ScoredDocument:
        n = len(gold.text)
        for k, sp in enumerate(predicted):
            if sp.end > n or sp.start < 0 or sp.start >= sp.end:
                raise InputError(
                    f"document {gold.id}: predicted span {k} [{sp.start}, {sp.end}) is outside the text (length {n})"
                )
        spans = tuple(
            (s.start, s.end, label_map.get(s.label, s.label) if s.label else None, s.entity)
            for s in predicted
        )
        by_label: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s, e, lab, _ in spans:
            if lab is not None:
                by_label[lab].append((s, e))
        by_annotator: dict[str, list[GoldMention]] = defaultdict(list)
        by_gold_label: dict[tuple[str, str], list[GoldMention]] = defaultdict(list)
        for ent in gold.entities:
            if ent.needs_masking:
                by_annotator[ent.annotator].extend(ent.masked_mentions)
                by_gold_label[(ent.annotator, ent.label)].extend(ent.masked_mentions)
        return cls(
            gold,
            spans,
            _coverage(n, ((s, e) for s, e, _, _ in spans)),
            _forgiven(gold.text),
            {lab: _coverage(n, sp) for lab, sp in by_label.items()},
            by_label,
            by_annotator,
            by_gold_label,
        )

    @property
    def text(self) -> str:
        return self.gold.text

    @property
    def to_mask(self) -> Iterator[GoldEntity]:
        return (ent for ent in self.gold.entities if ent.needs_masking)

    def tab_masked(self, start: int, end: int) -> bool:
        """Masked in TAB's sense: every character covered or forgiven."""
        return _tab_masked(self.covered, self.forgiven, start, end)

    def word_masked(self, start: int, end: int, label: str | None = None) -> bool:
        """Every word covered (by the spans labelled ``label`` when one is given)."""
        cov = self.covered if label is None else self.covered_as.get(label, bytearray(len(self.text)))
        return _word_masked(self.text, cov, start, end)

    def gold_with_label(self, label: str) -> list[GoldMention]:
        """DIRECT/QUASI gold mentions of type ``label``, over all annotators (``gold`` when none)."""
        return [m for a in self.annotators for m in self.gold_by_label.get((a, label), ())]

    @property
    def annotators(self) -> tuple[str, ...]:
        """The annotators a word of precision is shared by; a document nobody marked counts one."""
        return self.gold.annotators or ("gold",)


# -- accumulators, one per family of metrics -----------------------------------------------


class Accumulator(Protocol):
    """A family of metrics: ``add`` is called once per document, in gold order."""

    def add(self, doc: ScoredDocument) -> None: ...


@dataclass(slots=True)
class Count:
    """``hit`` out of ``total`` items."""

    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += ok
        self.total += 1


@dataclass(slots=True)
class Weighted:
    """A weighted numerator and denominator (precision shared between annotators)."""

    num: float = 0.0
    den: float = 0.0


@dataclass(slots=True)
class EntityRecall:
    """Per gold type: entities all of whose name mentions are masked, by any span
    (``blind``, the headline) and by spans of the same label (``aware``)."""

    blind: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    aware: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))

    def add(self, doc: ScoredDocument) -> None:
        for ent in doc.to_mask:
            named = ent.masked_mentions
            self.blind[ent.label].add(all([doc.word_masked(m.start, m.end) for m in named]))
            self.aware[ent.label].add(all([doc.word_masked(m.start, m.end, ent.label) for m in named]))


@dataclass(slots=True)
class MentionRecall:
    """Per gold type: name mentions masked by any span (``blind``) and by same-label spans."""

    blind: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    aware: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))

    def add(self, doc: ScoredDocument) -> None:
        for ent in doc.to_mask:
            for m in ent.masked_mentions:
                self.blind[ent.label].add(doc.word_masked(m.start, m.end))
                self.aware[ent.label].add(doc.word_masked(m.start, m.end, ent.label))


@dataclass(slots=True)
class WordPrecision:
    """Per system label: the words of its merged spans, each earning the share of
    annotators with a gold mention of that type around it."""

    scores: dict[str, Weighted] = field(default_factory=lambda: defaultdict(Weighted))

    def add(self, doc: ScoredDocument) -> None:
        annot = doc.annotators
        for lab, lab_spans in doc.by_label.items():
            tally = self.scores[lab]
            for span_s, span_e in _merge(lab_spans):
                for s, e in words(doc.text, span_s, span_e):
                    tally.num += sum(1 for a in annot if _contains(doc.gold_by_label.get((a, lab), ()), s, e))
                    tally.den += len(annot)


@dataclass(slots=True)
class LabelPrecision:
    """Per system label: merged spans (``mention``) and system entities (``entity``,
    grouped by entity id or surface form) that overlap a gold mention of that type."""

    mention: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    entity: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))

    def add(self, doc: ScoredDocument) -> None:
        for lab, lab_spans in doc.by_label.items():
            gold_l = doc.gold_with_label(lab)
            for s, e in _merge(lab_spans):
                self.mention[lab].add(_overlaps(gold_l, s, e))
            groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for s, e, lab2, ent_id in doc.spans:
                if lab2 == lab:
                    groups[ent_id if ent_id is not None else "text:" + doc.text[s:e].casefold()].append(
                        (s, e)
                    )
            for grouped in groups.values():
                self.entity[lab].add(any(_overlaps(gold_l, s, e) for s, e in grouped))


@dataclass(slots=True)
class TabMetrics:
    """TAB's label-blind metrics: entity recall (direct, quasi), token and mention recall
    over all mentions of entities that need masking, and weighted token precision."""

    weight: TokenWeighting
    merge_spans: bool
    direct: Count = field(default_factory=Count)
    quasi: Count = field(default_factory=Count)
    tokens: Count = field(default_factory=Count)
    mentions: Count = field(default_factory=Count)
    precision: Weighted = field(default_factory=Weighted)
    by_type: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))

    def add(self, doc: ScoredDocument) -> None:
        self._recall(doc)
        self._precision(doc)

    def _recall(self, doc: ScoredDocument) -> None:
        for ent in doc.to_mask:
            protected = all(doc.tab_masked(m.start, m.end) for m in ent.masked_mentions)
            (self.direct if ent.direct else self.quasi).add(protected)
            for m in ent.mentions:
                self.mentions.add(doc.tab_masked(m.start, m.end))
                for s, e in words(doc.text, m.start, m.end):
                    ok = doc.tab_masked(s, e)
                    self.tokens.add(ok)
                    self.by_type[ent.label].add(ok)

    def _precision(self, doc: ScoredDocument) -> None:
        pairs = [(s, e) for s, e, _, _ in doc.spans]
        sys_spans = _merge(pairs) if self.merge_spans else pairs
        sys_tokens = [t for s, e in sys_spans for t in words(doc.text, s, e)]
        weights = list(self.weight(doc.text, sys_tokens))
        if len(weights) != len(sys_tokens):
            raise InputError(f"document {doc.gold.id}: the token weighting returned {len(weights)} weights")
        n_d = len(doc.gold.annotators)
        for (s, e), w in zip(sys_tokens, weights, strict=True):
            agree = sum(1 for a in doc.gold.annotators if _contains(doc.gold_by_annotator.get(a, ()), s, e))
            self.precision.num += agree * w
            self.precision.den += n_d * w

    def result(self) -> TabScores:
        return TabScores(
            direct=self.direct.total,
            direct_protected=self.direct.hit,
            quasi=self.quasi.total,
            quasi_protected=self.quasi.hit,
            tokens=self.tokens.total,
            tokens_masked=self.tokens.hit,
            mentions=self.mentions.total,
            mentions_masked=self.mentions.hit,
            precision_num=self.precision.num,
            precision_den=self.precision.den,
            tokens_by_type={t: (v.hit, v.total) for t, v in self.by_type.items()},
        )


@dataclass(slots=True)
class Errors:
    """Gold entities left unprotected (TAB's test for TAB gold, the word test otherwise)
    and merged system spans that touch no DIRECT/QUASI gold mention."""

    tab_gold: bool
    missed: list[MissedEntity] = field(default_factory=list)
    false_positives: list[FalsePositive] = field(default_factory=list)

    def add(self, doc: ScoredDocument) -> None:
        for ent in doc.to_mask:
            named = ent.masked_mentions
            test = doc.tab_masked if self.tab_gold else doc.word_masked
            ok_list = [test(m.start, m.end) for m in named]
            if not all(ok_list):
                unmasked = tuple((m.start, m.end) for m, ok in zip(named, ok_list, strict=True) if not ok)
                self.missed.append(MissedEntity(doc.gold.id, ent.id, ent.annotator, ent.label, unmasked))
        all_gold = [m for ms in doc.gold_by_annotator.values() for m in ms]
        span_labels: dict[tuple[int, int], str | None] = {}
        for s, e, lab, _ in doc.spans:
            span_labels.setdefault((s, e), lab)
        for s, e in _merge((s, e) for s, e, _, _ in doc.spans):
            if not _overlaps(all_gold, s, e):
                inner = sorted({lab for (a, b), lab in span_labels.items() if s <= a and b <= e and lab})
                self.false_positives.append(FalsePositive(doc.gold.id, s, e, "/".join(inner) or None))


# -- score ---------------------------------------------------------------------------------


def _label_scores(
    label: str, entity: EntityRecall, mention: MentionRecall, word: WordPrecision, precision: LabelPrecision
) -> LabelScores:
    def get(table: Mapping[str, Count]) -> Count:
        return table.get(label, Count())

    ent, men, wp = get(entity.blind), get(mention.blind), word.scores.get(label, Weighted())
    return LabelScores(
        label=label,
        entities=ent.total,
        entities_masked=ent.hit,
        mentions=men.total,
        mentions_masked=men.hit,
        word_precision_num=wp.num,
        word_precision_den=wp.den,
        mention=PRF(
            get(precision.mention).hit,
            get(precision.mention).total,
            get(mention.aware).hit,
            get(mention.aware).total,
        ),
        entity=PRF(
            get(precision.entity).hit,
            get(precision.entity).total,
            get(entity.aware).hit,
            get(entity.aware).total,
        ),
    )


def score(
    gold: Gold,
    predictions: Predictions,
    *,
    weight: TokenWeighting = uniform_weight,
    merge_spans: bool = True,
    label_map: Mapping[str, str] | None = None,
) -> Report:
    """Score system spans against ``gold`` (definitions in :mod:`veil.evaluate`).

    ``label_map`` maps system labels to the gold's types (default: :data:`TAB_LABELS` for
    TAB gold, identity for GUM). Predictions for documents not in the gold, or with offsets
    past a document's end, are an :class:`~veil.errors.InputError`.
    """
    unknown = sorted(set(predictions) - set(gold.by_id()))
    if unknown:
        raise InputError(
            f"predictions name {len(unknown)} document(s) not in the gold, e.g. {', '.join(unknown[:3])}"
        )
    lmap = dict(label_map if label_map is not None else (TAB_LABELS if gold.format == "tab" else {}))
    entity, mention, word, precision = EntityRecall(), MentionRecall(), WordPrecision(), LabelPrecision()
    tab, errors = TabMetrics(weight, merge_spans), Errors(gold.format == "tab")
    families: tuple[Accumulator, ...] = (entity, mention, word, precision, tab, errors)
    for gdoc in gold.documents:
        doc = ScoredDocument.build(gdoc, predictions.get(gdoc.id, ()), lmap)
        for family in families:
            family.add(doc)
    labels = sorted(set(entity.blind) | set(word.scores) | set(precision.mention))
    return Report(
        gold.format,
        len(gold.documents),
        tuple(_label_scores(lab, entity, mention, word, precision) for lab in labels),
        tab.result(),
        tuple(errors.missed),
        tuple(errors.false_positives),
        merge_spans,
    )
