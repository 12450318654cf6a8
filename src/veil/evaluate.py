"""Scoring protection quality against annotated gold documents (``veil eval``).

Three gold formats are read, and told apart automatically (:func:`load_gold`; examples of
each in ``docs/eval.md``):

* **TAB** (Text Anonymization Benchmark): a JSON array of documents with ``doc_id``,
  ``text`` and ``annotations`` keyed by annotator; each annotator lists
  ``entity_mentions`` with offsets, ``entity_type``, ``identifier_type``
  (DIRECT / QUASI / NO_MASK) and ``entity_id``. Several annotators per document.
* **GUM-simple**: a JSON array of documents with ``id``, ``text`` and ``entities``
  (``id``, ``type``, ``identifier``, ``mentions`` as ``[start, end]`` pairs); one
  annotation per document (read as a single annotator named ``gold``).
* **spans** (the shape of spaCy/Prodigy/Doccano exports): a JSON array of documents with
  ``text`` and ``spans``, each span ``{"start", "end", "label"}`` or ``[start, end,
  label]``; the document id is ``id``, ``doc_id`` or its position. Every span is a mention
  to mask (DIRECT); spans that share an optional ``entity`` id form one entity, and without
  one, spans of one label with the same case-folded text do.

System output is a mapping ``doc_id -> spans`` (:class:`SystemSpan`), either produced by
the Veil pipeline (:func:`predict`) or read from a file in TAB's system-output format
(:func:`load_predictions`: a JSON object ``doc_id -> [[start, end], ...]`` with an optional
third element, the label). Documents absent from the predictions masked nothing.

Definitions
-----------

Offsets are half-open code-point ranges. *Words* are the maximal ``\\w+`` runs inside a
span (a run is cut at the span's edges). ``C`` is the set of characters covered by the
system spans of a document (of any label), ``C_L`` those covered by spans labelled ``L``.

**Headline ("GUM") metrics, per label L** -- the project's quality targets:

* *masked mention*: every ``\\w+`` word of the mention lies entirely inside ``C``
  (punctuation and spaces between words need not be covered; nothing else is forgiven).
* *entity recall*: share of gold entities of type ``L`` whose name mentions (those flagged
  DIRECT or QUASI) are all masked. Micro-average over annotators and documents.
* *mention recall*: share of those gold mentions that are masked.
* *word precision*: the words of the system spans labelled ``L`` (spans of one label are
  merged first, so a word masked twice counts once); a word scores when it lies inside a
  gold mention of type ``L``. With several annotators a word earns the share of the
  document's annotators that have such a mention (as TAB's precision); a document whose
  annotators marked nothing still counts as one annotator, so its false positives cost.
* *F1*: harmonic mean of entity recall and word precision.

Recall is label-blind (a person masked as ORG is still protected); precision is not.

**TAB metrics** (re-implemented from the benchmark's description, label-blind):

* *ER_di / ER_qi*: share of direct / quasi entities that are protected, i.e. whose
  DIRECT/QUASI mentions are all masked in TAB's sense: every character is in ``C`` or
  forgiven. Forgiven are the characters of tokens in :data:`FORGIVEN_WORDS` and the
  characters in :data:`FORGIVEN_CHARS`. An entity is direct when its *first* mention is
  DIRECT. ``er_all`` counts both kinds together.
* *token recall*: for every entity that needs masking, **all** its mentions (NO_MASK ones
  too) are split into words and each word is tested as a span as above; *mention recall*
  does the same with whole mentions. Per-type breakdowns use the entity's first type.
* *token precision*: the words of the system spans, each with a weight ``w`` (uniform by
  default: :func:`uniform_weight`; any :class:`TokenWeighting` can be plugged in); a word
  adds ``|A| * w`` to the numerator and ``N_d * w`` to the denominator, where ``A`` are the
  annotators with a DIRECT/QUASI mention (of an entity that needs masking) containing the
  word and ``N_d`` the annotators of the document that marked at least one entity.
  TAB's scorer counts repeated or overlapping system spans again; Veil merges them first
  (``merge_spans=True``) so a duplicated span cannot buy precision. Pass ``False`` to
  reproduce the scorer.
* *F1* from token precision and token recall.

The forgiven words are the fixed list TAB used before March 2023 (the numbers of the
TAB paper were produced with it), matched whole-word and case-insensitively; Veil does not
use part-of-speech tags here, so the scores need no parser and do not move with a model
version. Tokens for this list are ``\\w+`` runs, with a possessive ``'s`` / ``’s`` as one token.

**Per-label P/R/F1 on mentions and on entities** (label-aware, gold types mapped to the
system's labels with :data:`TAB_LABELS` for TAB gold):

* mention recall: gold mentions of type ``L`` masked (word test) by ``C_L``;
  mention precision: merged system spans labelled ``L`` overlapping a gold ``L`` mention;
* entity recall: gold ``L`` entities all of whose name mentions are masked by ``C_L``;
  entity precision: system ``L`` entities (grouped by entity id when the system gives one,
  otherwise by case-folded surface form) with a mention overlapping a gold ``L`` mention.

Every ratio is 0.0 when its denominator is 0; the counts are reported alongside.
Reports carry document ids, offsets and labels; span text only with ``include_text``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import ConfigError, InputError
from .metrics import (
    FORGIVEN_CHARS,
    FORGIVEN_WORDS,
    PRF,
    TAB_LABELS,
    FalsePositive,
    LabelScores,
    MissedEntity,
    Report,
    TabScores,
    TokenWeighting,
    uniform_weight,
)
from .scoring import score, words

if TYPE_CHECKING:
    from .config import Policy

GoldFormat = Literal["tab", "gum", "spans"]
#: The gold formats :func:`load_gold` reads (``--format`` of ``veil eval``; docs/eval.md).
GOLD_FORMATS: tuple[GoldFormat, ...] = ("tab", "gum", "spans")
IDENTIFIER_TYPES: frozenset[str] = frozenset({"DIRECT", "QUASI", "NO_MASK"})

# -- gold ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One annotated mention; ``mask`` is true for DIRECT and QUASI mentions."""

    start: int
    end: int
    mask: bool


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One annotator's entity. ``direct`` and ``label`` come from its first mention."""

    id: str
    annotator: str
    label: str
    direct: bool
    mentions: tuple[GoldMention, ...]

    @property
    def needs_masking(self) -> bool:
        return any(m.mask for m in self.mentions)

    @property
    def quasi(self) -> bool:
        return self.needs_masking and not self.direct

    @property
    def masked_mentions(self) -> tuple[GoldMention, ...]:
        return tuple(m for m in self.mentions if m.mask)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """A gold document. ``annotators`` are those counted in ``N_d`` (see module doc)."""

    id: str
    text: str = field(repr=False)
    annotators: tuple[str, ...]
    entities: tuple[GoldEntity, ...]

    def __repr__(self) -> str:
        return (
            f"GoldDocument({self.id!r}, text=[redacted {len(self.text)} chars], "
            f"annotators={len(self.annotators)}, entities={len(self.entities)})"
        )


@dataclass(frozen=True, slots=True)
class Gold:
    """A parsed gold file."""

    format: GoldFormat
    documents: tuple[GoldDocument, ...]

    def by_id(self) -> dict[str, GoldDocument]:
        return {d.id: d for d in self.documents}


def _fail(source: str, where: str, what: str) -> InputError:
    return InputError(f"{source}: {where}: {what}")


def _offsets(value: object, n: int, source: str, where: str) -> tuple[int, int]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in value)
    ):
        raise _fail(source, where, "offsets must be a pair of integers")
    start, end = value
    if not 0 <= start < end <= n:
        raise _fail(source, where, f"offsets [{start}, {end}) outside the text (length {n}) or empty")
    return start, end


def _str_field(obj: Mapping[str, Any], key: str, source: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise _fail(source, where, f"missing or non-string {key!r}")
    return value


def _identifier(value: object, source: str, where: str) -> bool:
    if value not in IDENTIFIER_TYPES:
        raise _fail(source, where, f"identifier type must be one of {', '.join(sorted(IDENTIFIER_TYPES))}")
    return value != "NO_MASK"


def _parse_tab_doc(raw: Mapping[str, Any], where: str, source: str) -> GoldDocument:
    doc_id = _str_field(raw, "doc_id", source, where)
    where = f"document {doc_id}"
    text = raw.get("text")
    if not isinstance(text, str):
        raise _fail(source, where, "missing or non-string 'text'")
    annotations = raw.get("annotations")
    if not isinstance(annotations, Mapping):
        raise _fail(source, where, "'annotations' must be an object keyed by annotator")
    entities: list[GoldEntity] = []
    annotators: list[str] = []
    for annotator, entry in annotations.items():
        a_where = f"{where}, annotator {annotator}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("entity_mentions"), list):
            raise _fail(source, a_where, "expected an object with an 'entity_mentions' list")
        groups: dict[str, list[tuple[GoldMention, str, bool]]] = {}
        for k, m in enumerate(entry["entity_mentions"]):
            m_where = f"{a_where}, mention {k}"
            if not isinstance(m, Mapping):
                raise _fail(source, m_where, "a mention must be an object")
            start, end = _offsets([m.get("start_offset"), m.get("end_offset")], len(text), source, m_where)
            label = _str_field(m, "entity_type", source, m_where)
            identifier = m.get("identifier_type")
            mask = _identifier(identifier, source, m_where)
            entity_id = _str_field(m, "entity_id", source, m_where)
            groups.setdefault(entity_id, []).append(
                (GoldMention(start, end, mask), label, identifier == "DIRECT")
            )
        for entity_id, items in groups.items():
            _, label, direct = items[0]
            entities.append(
                GoldEntity(entity_id, str(annotator), label, direct, tuple(m for m, _, _ in items))
            )
        if groups:
            annotators.append(str(annotator))
    return GoldDocument(doc_id, text, tuple(annotators), tuple(entities))


def _parse_gum_doc(raw: Mapping[str, Any], where: str, source: str) -> GoldDocument:
    doc_id = _str_field(raw, "id", source, where)
    where = f"document {doc_id}"
    text = raw.get("text")
    if not isinstance(text, str):
        raise _fail(source, where, "missing or non-string 'text'")
    raw_entities = raw.get("entities")
    if not isinstance(raw_entities, list):
        raise _fail(source, where, "'entities' must be a list")
    entities: list[GoldEntity] = []
    for k, e in enumerate(raw_entities):
        e_where = f"{where}, entity {k}"
        if not isinstance(e, Mapping):
            raise _fail(source, e_where, "an entity must be an object")
        entity_id = _str_field(e, "id", source, e_where)
        label = _str_field(e, "type", source, e_where)
        identifier = e.get("identifier")
        mask = _identifier(identifier, source, e_where)
        raw_mentions = e.get("mentions")
        if not isinstance(raw_mentions, list) or not raw_mentions:
            raise _fail(source, e_where, "'mentions' must be a non-empty list of [start, end]")
        mentions = tuple(
            GoldMention(*_offsets(m, len(text), source, f"{e_where}, mention {j}"), mask)
            for j, m in enumerate(raw_mentions)
        )
        entities.append(GoldEntity(entity_id, "gold", label, identifier == "DIRECT", mentions))
    return GoldDocument(doc_id, text, ("gold",), tuple(entities))


def detect_format(data: object) -> GoldFormat:
    """Tell the gold formats apart by the keys of the first document."""
    if not isinstance(data, list) or not data:
        raise InputError("gold must be a non-empty JSON array of documents")
    first = data[0]
    if isinstance(first, Mapping):
        if "annotations" in first:
            return "tab"
        if "entities" in first:
            return "gum"
        if "spans" in first:
            return "spans"
    keys = sorted(map(str, first)) if isinstance(first, Mapping) else []
    from .suggest import closest

    near = next((f for k in keys if (f := _FORMAT_KEYS.get(closest(k, _FORMAT_KEYS) or ""))), None)
    hint = f"; the closest is {near} (see docs/eval.md)" if near else "; see docs/eval.md"
    raise InputError(
        "cannot tell the gold format: expected TAB documents (with 'annotations'), GUM-simple "
        f"documents (with 'entities') or text+spans documents (with 'spans'); the first document has "
        f"keys {keys[:8]}{hint}"
    )


#: The key that tells each gold format apart (for the "closest format" hint).
_FORMAT_KEYS: dict[str, GoldFormat] = {"annotations": "tab", "entities": "gum", "spans": "spans"}


def _parse_spans_doc(raw: Mapping[str, Any], where: str, source: str) -> GoldDocument:
    ident = raw.get("id", raw.get("doc_id"))
    if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident):
        doc_id = str(ident)
    else:  # no id: the document's 0-based position in the array
        doc_id = where.removeprefix("document #")
    where = f"document {doc_id}"
    text = raw.get("text")
    if not isinstance(text, str):
        raise _fail(source, where, "missing or non-string 'text'")
    raw_spans = raw.get("spans")
    if not isinstance(raw_spans, list):
        raise _fail(source, where, "'spans' must be a list")
    groups: dict[tuple[str, str], list[GoldMention]] = {}
    for k, sp in enumerate(raw_spans):
        s_where = f"{where}, span {k}"
        entity: object = None
        if isinstance(sp, Mapping):
            pair: object = [sp.get("start"), sp.get("end")]
            label: object = sp.get("label")
            entity = sp.get("entity")
        elif isinstance(sp, list) and len(sp) == 3:
            pair, label = sp[:2], sp[2]
        else:
            raise _fail(source, s_where, 'a span must be {"start", "end", "label"} or [start, end, label]')
        start, end = _offsets(pair, len(text), source, s_where)
        if not isinstance(label, str) or not label:
            raise _fail(source, s_where, "missing or non-string 'label'")
        if entity is not None and not isinstance(entity, str | int):
            raise _fail(source, s_where, "'entity' must be a string or an integer")
        surface = " ".join(text[start:end].casefold().split())
        key = (label.upper(), f"entity {entity}" if entity is not None else f"text {surface}")
        groups.setdefault(key, []).append(GoldMention(start, end, True))
    entities = tuple(
        GoldEntity(f"{doc_id}_e{i}", "gold", label, True, tuple(mentions))
        for i, ((label, _), mentions) in enumerate(groups.items(), 1)
    )
    return GoldDocument(doc_id, text, ("gold",), entities)


def parse_gold(data: object, *, source: str = "<gold>", gold_format: GoldFormat | None = None) -> Gold:
    """Validate parsed JSON gold and build a :class:`Gold`; ``gold_format`` (default:
    detected) is one of :data:`GOLD_FORMATS`.

    Any structural problem is an :class:`~veil.errors.InputError` naming the document,
    annotator or entity and the offsets, never the text.
    """
    if gold_format is not None and gold_format not in GOLD_FORMATS:
        from .suggest import unknown

        raise ConfigError(unknown("gold format", gold_format, GOLD_FORMATS))
    try:
        fmt = gold_format or detect_format(data)
    except InputError as exc:
        raise InputError(f"{source}: {exc.message}") from None
    if not isinstance(data, list) or not data:
        raise InputError(f"{source}: gold must be a non-empty JSON array of documents")
    parse = {"tab": _parse_tab_doc, "gum": _parse_gum_doc, "spans": _parse_spans_doc}[fmt]
    docs: list[GoldDocument] = []
    seen: set[str] = set()
    for i, raw in enumerate(data):
        if not isinstance(raw, Mapping):
            raise _fail(source, f"document #{i}", "a document must be an object")
        doc = parse(raw, f"document #{i}", source)
        if doc.id in seen:
            raise _fail(source, f"document {doc.id}", "duplicate document id")
        seen.add(doc.id)
        docs.append(doc)
    return Gold(fmt, tuple(docs))


def _read_json(path: str | Path, what: str) -> object:
    from .write import decode_text

    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {p}") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} file {p}: {exc.strerror}") from None
    text = decode_text(raw, str(p))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{p} is not valid JSON (line {exc.lineno}, column {exc.colno})") from None


def load_gold(path: str | Path, gold_format: GoldFormat | None = None) -> Gold:
    """Read a gold file (format detected from its content unless ``gold_format`` is given)."""
    return parse_gold(_read_json(path, "gold"), source=str(path), gold_format=gold_format)


# -- system output -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SystemSpan:
    """A span a system masked. ``label`` and ``entity`` (a grouping id) are optional."""

    start: int
    end: int
    label: str | None = None
    entity: str | None = None


Predictions = Mapping[str, Sequence[SystemSpan]]


def parse_predictions(data: object, *, source: str = "<predictions>") -> dict[str, tuple[SystemSpan, ...]]:
    """Validate TAB system output: ``{doc_id: [[start, end] or [start, end, label], ...]}``."""
    if not isinstance(data, Mapping):
        raise InputError(f"{source}: predictions must be a JSON object mapping doc ids to span lists")
    out: dict[str, tuple[SystemSpan, ...]] = {}
    for doc_id, spans in data.items():
        if not isinstance(spans, list):
            raise _fail(source, f"document {doc_id}", "spans must be a list")
        items: list[SystemSpan] = []
        for k, s in enumerate(spans):
            where = f"document {doc_id}, span {k}"
            if not isinstance(s, list) or len(s) not in (2, 3):
                raise _fail(source, where, "a span must be [start, end] or [start, end, label]")
            start, end = s[0], s[1]
            if (
                not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end))
                or not 0 <= start < end
            ):
                raise _fail(source, where, "offsets must be integers with 0 <= start < end")
            label = s[2] if len(s) == 3 else None
            if label is not None and not isinstance(label, str):
                raise _fail(source, where, "the label must be a string")
            items.append(SystemSpan(start, end, label.upper() if label else None))
        out[str(doc_id)] = tuple(items)
    return out


def load_predictions(path: str | Path) -> dict[str, tuple[SystemSpan, ...]]:
    """Read a system-output file in TAB's format (see :func:`parse_predictions`)."""
    return parse_predictions(_read_json(path, "predictions"), source=str(path))


def predict(gold: Gold, policy: Policy) -> dict[str, tuple[SystemSpan, ...]]:
    """Run Veil's pipeline (detect, resolve, policy) on every gold document.

    The predicted spans are the mentions of the entities the policy keeps, with their labels
    and entity ids. A document that fails raises (an evaluation is not partial).
    """
    from .pipeline import Pipeline

    pipe = Pipeline(policy, build_operators=False)
    out: dict[str, tuple[SystemSpan, ...]] = {}
    for doc in gold.documents:
        analyzed = pipe.analyze(doc.text, doc.id)
        out[doc.id] = tuple(
            SystemSpan(m.start, m.end, ent.label.value, ent.id)
            for ent in analyzed.entities
            for m in ent.mentions
        )
    return out


def evaluate(
    gold_path: str | Path,
    *,
    predictions: str | Path | None = None,
    policy: Policy | str | Path | None = None,
    labels: Sequence[str] = (),
    model: str | None = None,
    merge_spans: bool = True,
    gold_format: GoldFormat | None = None,
) -> tuple[Gold, Report]:
    """Load ``gold_path`` and score either a predictions file or Veil's pipeline on it.

    ``policy``, ``labels`` and ``model`` configure the pipeline as for ``veil redact``;
    they are ignored when ``predictions`` is given.
    """
    gold = load_gold(gold_path, gold_format)
    if predictions is not None:
        preds: Predictions = load_predictions(predictions)
    else:
        from .config import resolve_policy
        from .options import Options

        # The same options layer as every command (veil.options), on top of ``policy``.
        pol = Options(labels=tuple(labels), model=model).build_policy(base=resolve_policy(policy))
        preds = predict(gold, pol)
    return gold, score(gold, preds, merge_spans=merge_spans)


# -- rendering -----------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _label_rows(report: Report) -> list[list[str]]:
    rows = []
    for s in report.labels:
        rows.append(
            [
                s.label,
                f"{s.entities_masked}/{s.entities}",
                _fmt(s.entity_recall),
                _fmt(s.mention_recall),
                _fmt(s.word_precision),
                _fmt(s.f1),
                _fmt(s.mention.precision),
                _fmt(s.mention.recall),
                _fmt(s.mention.f1),
                _fmt(s.entity.precision),
                _fmt(s.entity.recall),
                _fmt(s.entity.f1),
            ]
        )
    return rows


_LABEL_HEAD = [
    "label",
    "entities",
    "ent.recall",
    "men.recall",
    "word.prec",
    "F1",
    "men.P",
    "men.R",
    "men.F1",
    "ent.P",
    "ent.R",
    "ent.F1",
]


def _tab_rows(t: TabScores) -> list[list[str]]:
    return [
        ["ER direct", _fmt(t.er_direct), f"{t.direct_protected}/{t.direct}"],
        ["ER quasi", _fmt(t.er_quasi), f"{t.quasi_protected}/{t.quasi}"],
        ["ER all", _fmt(t.er_all), f"{t.direct_protected + t.quasi_protected}/{t.direct + t.quasi}"],
        ["token recall", _fmt(t.token_recall), f"{t.tokens_masked}/{t.tokens}"],
        ["mention recall", _fmt(t.mention_recall), f"{t.mentions_masked}/{t.mentions}"],
        ["token precision", _fmt(t.token_precision), f"{t.precision_num:g}/{t.precision_den:g}"],
        ["F1", _fmt(t.f1), ""],
    ]


def _error_lines(report: Report, texts: Mapping[str, str] | None, limit: int | None) -> list[str]:
    def cut(items: Sequence[Any]) -> Sequence[Any]:
        return items if limit is None else items[:limit]

    def quote(doc_id: str, s: int, e: int) -> str:
        return f" {texts[doc_id][s:e]!r}" if texts is not None and doc_id in texts else ""

    lines = [f"Missed entities ({len(report.missed)}):"]
    for m in cut(report.missed):
        offs = ", ".join(f"[{s},{e}){quote(m.doc_id, s, e)}" for s, e in m.unmasked)
        lines.append(f"  {m.doc_id}  {m.entity_id}  {m.label}  annotator={m.annotator}  unmasked: {offs}")
    if limit is not None and len(report.missed) > limit:
        lines.append(f"  ... {len(report.missed) - limit} more (--report-format json lists all)")
    lines.append(f"False positives ({len(report.false_positives)}):")
    for f in cut(report.false_positives):
        lines.append(f"  {f.doc_id}  [{f.start},{f.end}){quote(f.doc_id, f.start, f.end)}  {f.label or '-'}")
    if limit is not None and len(report.false_positives) > limit:
        lines.append(f"  ... {len(report.false_positives) - limit} more (--report-format json lists all)")
    return lines


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out.extend("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)
    return out


def format_table(report: Report, *, texts: Mapping[str, str] | None = None, limit: int | None = 20) -> str:
    """A terminal table; span text only when ``texts`` is given."""
    lines = [f"veil eval: {report.documents} documents ({report.format} gold)", ""]
    lines.append("Per label (recall label-blind; precision, men.* and ent.* label-aware):")
    lines.extend(_table(_LABEL_HEAD, _label_rows(report)))
    lines.append("")
    lines.append("TAB metrics (uniform weight, pre-2023 forgiven word list):")
    lines.extend(_table(["metric", "value", "count"], _tab_rows(report.tab)))
    lines.append("")
    lines.extend(_error_lines(report, texts, limit))
    return "\n".join(lines) + "\n"


def format_markdown(report: Report, *, texts: Mapping[str, str] | None = None, limit: int | None = 20) -> str:
    """The same content as :func:`format_table` as Markdown."""

    def md(head: list[str], rows: list[list[str]]) -> list[str]:
        out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        out.extend("| " + " | ".join(r) + " |" for r in rows)
        return out

    lines = [f"## veil eval: {report.documents} documents ({report.format} gold)", ""]
    lines.extend(md(_LABEL_HEAD, _label_rows(report)))
    lines.extend(["", "### TAB metrics", ""])
    lines.extend(md(["metric", "value", "count"], _tab_rows(report.tab)))
    lines.extend(["", "### Errors", "", "```"])
    lines.extend(_error_lines(report, texts, limit))
    lines.append("```")
    return "\n".join(lines) + "\n"


def render(
    report: Report,
    fmt: Literal["table", "json", "markdown"] = "table",
    *,
    texts: Mapping[str, str] | None = None,
    limit: int | None = 20,
) -> str:
    """Render ``report``; ``texts`` (doc id -> text) adds span text, ``limit`` caps the error lists."""
    if fmt == "json":
        return json.dumps(report.to_dict(texts=texts), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return format_markdown(report, texts=texts, limit=limit)
    return format_table(report, texts=texts, limit=limit)


__all__ = [
    "FORGIVEN_CHARS",
    "FORGIVEN_WORDS",
    "PRF",
    "TAB_LABELS",
    "FalsePositive",
    "Gold",
    "GoldDocument",
    "GoldEntity",
    "GoldMention",
    "LabelScores",
    "MissedEntity",
    "Report",
    "SystemSpan",
    "TabScores",
    "TokenWeighting",
    "detect_format",
    "evaluate",
    "load_gold",
    "load_predictions",
    "parse_gold",
    "parse_predictions",
    "predict",
    "render",
    "score",
    "uniform_weight",
    "words",
]
