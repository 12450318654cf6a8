"""Speed of the ``pii`` and ``strict`` presets on GUM dev, measured in one process (issue 13).

    PYTHONPATH=src .venv/bin/python benchmarks/identifiers_speed.py [--repeat 3]

Both pipelines share the cached spaCy model; each preset analyses every document once per
repeat (the first repeat also warms up), alternating presets, and the best repeat counts.
Time is this process's CPU time (``time.process_time``), which other jobs on a shared
machine disturb far less than wall-clock time. Prints the seconds of each preset and the
ratio strict / pii. To compare with another version, run this same script with
``PYTHONPATH`` pointing at that version's ``src``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from veil.evaluate import load_gold
from veil.pipeline import Pipeline

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gum" / "dev.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", help="spaCy model for both presets (default: the policy's)")
    args = ap.parse_args(argv)
    docs = [(d.id, d.text) for d in load_gold(args.gold).documents]
    from veil.config import preset

    policies = {name: preset(name) for name in ("pii", "strict")}
    if args.model:
        policies = {name: p.with_model(args.model) for name, p in policies.items()}
    pipes = {name: Pipeline(p, build_operators=False) for name, p in policies.items()}
    best = {name: float("inf") for name in pipes}
    for _ in range(args.repeat):
        for name, pipe in pipes.items():
            t0 = time.process_time()
            for doc_id, text in docs:
                pipe.analyze(text, doc_id)
            best[name] = min(best[name], time.process_time() - t0)
    chars = sum(len(t) for _, t in docs)
    for name, secs in best.items():
        print(f"{name:<7} {secs:7.2f} s CPU  ({len(docs)} documents, {chars} characters)")
    print(f"strict / pii = {best['strict'] / best['pii']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
