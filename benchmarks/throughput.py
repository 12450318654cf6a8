"""Throughput: Veil (1 and N workers) vs Presidio vs raw spaCy NER, on the same texts, in one run.

The texts are the GUM dev documents (``../shared/data/gum/dev.json`` beside the repository) replicated until
they reach ``--mb`` megabytes of characters. Each system gets the same label set: persons,
places and organisations from the same spaCy model (Veil's default, or ``--model``) plus the
pattern labels both have (email, phone, URL, IP, IBAN, card, ID numbers).

* raw spaCy NER -- ``load_model`` (NER only) and ``nlp.pipe``, the faster of a fixed batch
  of 32 texts and Veil's character-budget batches: the floor for any model-based
  anonymizer on this machine;
* Veil -- ``veil batch`` end to end (read JSONL, detect, resolve, transform, write JSONL,
  manifest), ``--workers 1`` and ``--workers N``;
* Presidio -- ``AnalyzerEngine`` with ``NlpEngineProvider`` on the same model (default
  settings: the full spaCy pipeline Presidio loads) and ``AnonymizerEngine``, one document
  at a time as its documentation shows.

Each row gives wall-clock seconds and CPU seconds (user + system, from ``getrusage``: this
process, plus the reaped worker processes for ``--workers N``). On a shared machine the wall
clock swings with the other load; the single-process CPU-time ratio to raw NER is the steadier
figure (``benchmarks/ner_overhead.py`` measures it with repeats). Raw NER runs first, on the
very ``nlp`` object Veil then uses in process, so spaCy's vocabulary is warm for Veil's run; the
second of the two raw passes is warm too. Veil's rows include building its pipeline and the
first-use loads (name lexicon, place lists, the clean view's table; about 0.7 s of CPU per
process here), which weigh more on a small ``--mb``.

Usage::

    .venv/bin/python benchmarks/throughput.py            # 5 MB, prints a markdown table
    .venv/bin/python benchmarks/throughput.py --mb 0.5 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

from veil.config import DEFAULT_MODEL

GUM = Path(__file__).resolve().parents[2] / "shared" / "data" / "gum" / "dev.json"
MODEL = DEFAULT_MODEL
VEIL_LABELS = ["PERSON", "LOC", "ORG", "EMAIL", "PHONE", "URL", "IP", "IBAN", "CARD", "ID"]
PRESIDIO_LABELS = [
    "PERSON",
    "LOCATION",
    "ORGANIZATION",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "URL",
    "IP_ADDRESS",
    "IBAN_CODE",
    "CREDIT_CARD",
    "US_SSN",
]


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _cpu_all() -> float:
    """CPU seconds of this process and of its reaped children (the batch workers)."""
    return _cpu() + _cpu(resource.RUSAGE_CHILDREN)


def corpus(mb: float) -> list[str]:
    docs = [d["text"] for d in json.loads(GUM.read_text("utf-8"))]
    target = int(mb * 1_000_000)
    out: list[str] = []
    total = 0
    while total < target:
        for t in docs:
            out.append(t)
            total += len(t)
            if total >= target:
                break
    return out


def bench_spacy(texts: list[str]) -> tuple[float, float]:
    """Raw NER time: the faster of ``nlp.pipe(batch_size=32)`` and Veil's character-budget
    batches, so that Veil's own batching cannot make the floor look slower than it is."""
    from veil.detect.ner import _BATCH_CHARS, _groups, load_model
    from veil.model import Document

    nlp = load_model(MODEL)
    nlp("warm up")
    t, c = time.perf_counter(), _cpu()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    fixed = (time.perf_counter() - t, _cpu() - c)
    docs = [Document(str(i), text) for i, text in enumerate(texts)]
    t, c = time.perf_counter(), _cpu()
    for group in _groups(range(len(docs)), docs, 32):  # the very batches Veil's detector forms
        for _ in nlp.pipe([texts[i] for i in group], batch_size=len(group)):
            pass
    budget = (time.perf_counter() - t, _cpu() - c)
    print(
        f"raw NER: batch 32 {fixed[0]:.1f}s (CPU {fixed[1]:.1f}s), "
        f"{_BATCH_CHARS}-char batches {budget[0]:.1f}s (CPU {budget[1]:.1f}s)",
        file=sys.stderr,
    )
    return min(fixed[0], budget[0]), min(fixed[1], budget[1])


def _policy():  # type: ignore[no-untyped-def]
    from veil.config import preset

    return preset("pii").narrowed(VEIL_LABELS).with_model(MODEL)


def bench_veil(texts: list[str], workers: int, tmp: Path) -> tuple[float, float]:
    from veil.corpus import run_batch

    src = tmp / "corpus.jsonl"
    if not src.exists():
        with src.open("w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"doc{i}", "text": t}) + "\n")
    out = tmp / f"veil-w{workers}.jsonl"
    t, c = time.perf_counter(), _cpu_all()
    run_batch(src, out, policy=_policy(), workers=workers, id_field="id", progress=False, on_error="fail")
    return time.perf_counter() - t, _cpu_all() - c


def bench_presidio(texts: list[str]) -> tuple[float, float]:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    anonymizer = AnonymizerEngine()
    # Warm up, including the URL recognizer's first (offline: failing) public-suffix fetch.
    analyzer.analyze("warm up: mail ada@example.org or see https://example.org/x", language="en")
    t, c = time.perf_counter(), _cpu()
    for text in texts:
        found = analyzer.analyze(text=text, language="en", entities=PRESIDIO_LABELS)
        anonymizer.anonymize(text=text, analyzer_results=found)  # type: ignore[arg-type]
    return time.perf_counter() - t, _cpu() - c


def profile_veil(texts: list[str], top: int) -> None:
    from veil.corpus import analyse_many
    from veil.pipeline import LocalNumbers, Pipeline

    pipe = Pipeline(_policy())
    pipe.redact("warm up text by Ada Byron.")
    prof = cProfile.Profile()
    prof.enable()
    for i in range(0, len(texts), 256):
        batch = [(f"d{j}", t) for j, t in enumerate(texts[i : i + 256])]
        for doc in analyse_many(pipe, batch):
            if hasattr(doc, "entities"):
                pipe._transform(doc, LocalNumbers())  # type: ignore[arg-type]
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout)
    print("\n### Where single-process Veil spends its time (cProfile, cumulative)\n")
    stats.sort_stats("cumulative").print_stats(top)
    print("\n### Top functions by own time\n")
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="megabytes of text (default 5)")
    ap.add_argument("--workers", type=int, default=2, help="workers for the parallel Veil run (default 2)")
    ap.add_argument("--skip-presidio", action="store_true")
    ap.add_argument("--profile", action="store_true", help="also profile single-process Veil (on <= 1 MB)")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model for every system (default: Veil's)")
    args = ap.parse_args(argv)
    global MODEL
    MODEL = args.model

    texts = corpus(args.mb)
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} documents, {chars:,} characters, {os.cpu_count()} CPUs", file=sys.stderr)
    rows: list[tuple[str, tuple[float, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("raw spaCy NER (`nlp.pipe`, NER only, 1 process)", bench_spacy(texts)))
        print(f"spaCy: {rows[-1][1][0]:.1f}s (CPU {rows[-1][1][1]:.1f}s)", file=sys.stderr)
        rows.append(("Veil `batch --workers 1`", bench_veil(texts, 1, Path(tmp))))
        print(f"veil w1: {rows[-1][1][0]:.1f}s (CPU {rows[-1][1][1]:.1f}s)", file=sys.stderr)
        rows.append((f"Veil `batch --workers {args.workers}`", bench_veil(texts, args.workers, Path(tmp))))
        print(f"veil w{args.workers}: {rows[-1][1][0]:.1f}s (CPU {rows[-1][1][1]:.1f}s)", file=sys.stderr)
    if not args.skip_presidio:
        rows.append(("Presidio analyzer + anonymizer (1 process)", bench_presidio(texts)))
        print(f"presidio: {rows[-1][1][0]:.1f}s (CPU {rows[-1][1][1]:.1f}s)", file=sys.stderr)

    spacy_s, spacy_cpu = rows[0][1]
    presidio_s = rows[3][1][0] if len(rows) > 3 else None
    print(
        f"\nThroughput on {chars / 1e6:.1f} M characters ({len(texts)} GUM documents), {os.cpu_count()} cores:\n"
    )
    print(
        "| system | seconds | chars/s | time vs raw spaCy NER | CPU seconds | CPU time vs raw spaCy NER "
        "| speed vs Presidio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (secs, cpu) in rows:
        vs_presidio = f"{presidio_s / secs:.2f}x" if presidio_s else "n/a"
        print(
            f"| {name} | {secs:.1f} | {chars / secs:,.0f} | {secs / spacy_s:.2f}x | {cpu:.1f} "
            f"| {cpu / spacy_cpu:.2f}x | {vs_presidio} |"
        )
    if args.profile:
        profile_veil(corpus(min(args.mb, 1.0)), 25)


if __name__ == "__main__":
    main()
