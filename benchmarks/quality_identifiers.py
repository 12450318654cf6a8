"""Identifiers benchmark (issue 13): Veil against Presidio with all its recognizers.

Scores both systems on ``tests/data/tab_identifiers.json`` (invented documents in TAB's
format: judgments, clinical letters, HR files, support tickets, invoices, police
statements; built by ``tests/data/tab_identifiers_build.py``) with :mod:`veil.evaluate`::

    PYTHONPATH=src .venv/bin/python benchmarks/quality.py --identifiers

* Veil: ``Pipeline(preset)`` for ``strict`` and for ``pii``; predicted spans are the
  mentions of ``Pipeline.analyze(...).entities`` (every label the preset protects).
* Presidio: ``AnalyzerEngine`` over the same spaCy model, with **every** predefined
  recognizer that runs offline (the pattern recognizers of all countries, plus the spaCy
  NER recognizer), asked for every entity type; ``AnonymizerEngine`` masks the text and
  its output spans are scored. Entity types map to TAB's: PERSON, LOCATION -> LOC,
  ORGANIZATION -> ORG, NRP -> DEM, DATE_TIME -> DATETIME, every other (code-like) type
  -> CODE.

Per TAB type the report gives **entity recall** as TAB defines it (an entity is protected
when every DIRECT/QUASI mention is masked, forgiving TAB's function words and
punctuation; label-blind) and **word precision** of the system's spans mapped to that type
(label-aware: a word counts when it lies in a gold mention of the same type). Over all
types: ER_di, ER_qi, all entities together, and TAB's uniform token precision.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from veil.evaluate import TAB_LABELS, Gold, Report, SystemSpan, score

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT / "tests" / "data" / "tab_identifiers.json"
DEFAULT_OUT = ROOT / "docs" / "quality-identifiers.md"
TYPES = ("CODE", "PERSON", "DATETIME", "LOC", "ORG", "DEM", "QUANTITY")
PRESIDIO_TO_TAB = {
    "PERSON": "PERSON",
    "LOCATION": "LOC",
    "ORGANIZATION": "ORG",
    "NRP": "DEM",
    "DATE_TIME": "DATETIME",
}
_SKIP = (
    "Azure",
    "LangExtract",
    "BasicLangExtract",
    "GLiNER",
    "HuggingFace",
    "MedicalNER",
    "Stanza",
    "Transformers",
    "Spacy",
)

Predictions = dict[str, tuple[SystemSpan, ...]]


@dataclass(frozen=True, slots=True)
class TypeRow:
    type: str
    entities: int
    protected: int
    precision_num: float
    precision_den: float

    @property
    def recall(self) -> float:
        return self.protected / self.entities if self.entities else 0.0

    @property
    def precision(self) -> float:
        return self.precision_num / self.precision_den if self.precision_den else 0.0


def run_veil(gold: Gold, policy_name: str, model: str) -> Predictions:
    from veil.config import resolve_policy
    from veil.pipeline import Pipeline

    pipe = Pipeline(resolve_policy(policy_name).with_model(model), build_operators=False)
    out: Predictions = {}
    for doc in gold.documents:
        analyzed = pipe.analyze(doc.text, doc.id)
        out[doc.id] = tuple(
            SystemSpan(m.start, m.end, ent.label.value, ent.id)
            for ent in analyzed.entities
            for m in ent.mentions
        )
    return out


def presidio_engine(model: str):  # type: ignore[no-untyped-def]
    import presidio_analyzer.predefined_recognizers as predefined
    from _presidio import nlp_config
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = nlp_config(model, {"DATE": "DATE_TIME", "TIME": "DATE_TIME"})
    nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(
        predefined.SpacyRecognizer(
            supported_language="en",
            supported_entities=list({"PERSON", "LOCATION", "ORGANIZATION", "NRP", "DATE_TIME"}),
        )
    )
    for name in sorted(dir(predefined)):
        if not name.endswith("Recognizer") or name.startswith(_SKIP):
            continue
        try:
            registry.add_recognizer(getattr(predefined, name)(supported_language="en"))
        except ImportError:
            continue  # needs an optional package this machine does not have
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])


def run_presidio(gold: Gold, model: str) -> tuple[Predictions, int]:
    analyzer = presidio_engine(model)
    n_recognizers = len(analyzer.registry.recognizers)
    out: Predictions = {}
    for doc in gold.documents:
        # The analyzer's results as returned (default score threshold); overlapping results of
        # several recognizers are merged by the scorer, so they cannot buy precision.
        results = analyzer.analyze(text=doc.text, language="en")
        spans = [SystemSpan(r.start, r.end, PRESIDIO_TO_TAB.get(r.entity_type, "CODE")) for r in results]
        out[doc.id] = tuple(sorted(spans, key=lambda s: (s.start, s.end)))
    return out, n_recognizers


def type_rows(gold: Gold, report: Report) -> list[TypeRow]:
    totals: Counter[str] = Counter()
    for doc in gold.documents:
        for ent in doc.entities:
            if ent.needs_masking:
                totals[ent.label] += 1
    missed = Counter(m.label for m in report.missed)
    rows = []
    for t in TYPES:
        s = report.label(t) if any(x.label == t for x in report.labels) else None
        rows.append(
            TypeRow(
                t,
                totals[t],
                totals[t] - missed[t],
                s.word_precision_num if s else 0.0,
                s.word_precision_den if s else 0.0,
            )
        )
    return rows


def markdown(gold_path: Path, results: dict[str, tuple[Gold, Report, float]], command: str, head: str) -> str:
    lines = [
        "# Identifiers: Veil against Presidio on invented TAB-format documents (issue 13)",
        "",
        "Generated by `benchmarks/quality.py --identifiers`; do not edit by hand. Reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        f"- Gold: `{gold_path.name}` (built by `tests/data/tab_identifiers_build.py`; invented documents)",
        f"- Veil commit {head}",
        "",
        "Entity recall per TAB type (TAB's masking test, label-blind) / word precision of the system's "
        "spans of that type (label-aware):",
        "",
        "| system | " + " | ".join(TYPES) + " | ER_di | ER_qi | ER all | token precision (TAB) | time (s) |",
        "|---|" + "---|" * (len(TYPES) + 5),
    ]
    for name, (gold, report, seconds) in results.items():
        rows = type_rows(gold, report)
        t = report.tab
        cells = [
            f"{r.recall:.2f} / {r.precision:.2f}" if r.precision_den else f"{r.recall:.2f} / -" for r in rows
        ]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {t.er_direct:.3f} | {t.er_quasi:.3f} | {t.er_all:.3f} | "
            f"{t.token_precision:.3f} | {seconds:.1f} |"
        )
    lines += [
        "",
        "Counts (gold entities that need masking): "
        + ", ".join(f"{r.type} {r.entities}" for r in type_rows(*next(iter(results.values()))[:2])),
        "",
        "Targets (Veil `strict`): ER_di >= 0.95; ER all >= 0.85 at token precision >= 0.80; CODE >= 0.85.",
        "",
    ]
    return "\n".join(lines)


def main(gold_path: Path, out_path: Path, model: str, command: str, head: str) -> int:
    from veil.evaluate import load_gold
    from veil.write import atomic_open

    gold = load_gold(gold_path)
    results: dict[str, tuple[Gold, Report, float]] = {}
    for name, policy in (("Veil strict", "strict"), ("Veil pii", "pii")):
        t0 = time.perf_counter()
        preds = run_veil(gold, policy, model)
        results[name] = (gold, score(gold, preds, label_map=TAB_LABELS), time.perf_counter() - t0)
    t0 = time.perf_counter()
    preds, n = run_presidio(gold, model)
    results[f"Presidio ({n} recognizers)"] = (
        gold,
        score(gold, preds, label_map={v: v for v in TYPES}),
        time.perf_counter() - t0,
    )
    text = markdown(gold_path, results, command, head)
    with atomic_open(out_path) as fh:
        fh.write(text)
    print(text)
    return 0
