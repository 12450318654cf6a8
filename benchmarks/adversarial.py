"""Hostile input (issue 12, item 3): regex growth, a long line without spaces, one huge document.

Three parts, each printed as a table:

* ``regex`` -- every module-level compiled expression of every ``veil`` module (the same
  inventory as ``tests/property/test_hostile_regex.py``) run with ``finditer`` over
  adversarial strings at 1 KB and 8 KB; the worst growth ratio per expression (linear ~8x,
  quadratic ~64x). CPU time of this process, best of 3.
* ``line`` -- ``veil redact --labels PERSON`` (the CLI, default timeout) on a single line of
  ``--line-mb`` MB without spaces ("Kowalski" repeated, then CamelCase). Target: under 60 s,
  or a fail-closed exit at the default timeout (no output written).
* ``prose`` -- ``--mb`` MB of prose (the GUM dev texts, repeated) redacted as one document,
  and the same text split into 1 MB documents, each in a fresh process. Target: one document
  takes at most 2x the time of the split run, under 1.5 GB peak resident memory.

Usage::

    .venv/bin/python benchmarks/adversarial.py                      # all parts, 50 MB prose
    .venv/bin/python benchmarks/adversarial.py --parts regex,line
    .venv/bin/python benchmarks/adversarial.py --parts prose --mb 5 # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUM = ROOT.parent / "shared" / "data" / "gum" / "dev.json"
# The adversarial units and the pattern inventory are the regex test's own, so the benchmark
# measures exactly what the test checks.
sys.path.insert(0, str(ROOT / "tests" / "property"))
from test_hostile_regex import ADVERSARIAL as UNITS  # noqa: E402
from test_hostile_regex import regex_inventory as inventory  # noqa: E402


def _cpu(pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for _m in pattern.finditer(text):
            pass
        best = min(best, time.process_time() - t0)
    return best


def part_regex() -> None:
    print("## regex growth, 1 KB -> 8 KB (linear ~8x, quadratic ~64x; worst input per expression)\n")
    print("| expression | worst input | 1 KB ms | 8 KB ms | ratio |")
    print("|---|---|---:|---:|---:|")
    worst_all = 0.0
    for name, pattern in inventory():
        worst = (0.0, "", 0.0, 0.0)
        for unit_name, unit in UNITS.items():
            small = _cpu(pattern, (unit * (1024 // len(unit) + 1))[:1024])
            large = _cpu(pattern, (unit * (8192 // len(unit) + 1))[:8192])
            # A ratio of two times under ~50 us is noise: floor the denominator.
            ratio = large / max(small, 5e-5)
            if ratio > worst[0]:
                worst = (ratio, unit_name, small, large)
        worst_all = max(worst_all, worst[0])
        print(f"| {name} | {worst[1]} | {worst[2] * 1e3:.2f} | {worst[3] * 1e3:.2f} | {worst[0]:.1f} |")
    print(f"\nworst ratio over all expressions: {worst_all:.1f}\n")


def _veil(*args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from veil.cli import main; sys.argv[0] = 'veil'; main()",
        *args,
    ]


def part_line(mb: float) -> None:
    print(f"## {mb:g} MB line without spaces, `veil redact --labels PERSON` (default timeout)\n")
    print("| input | seconds | exit | output written |")
    print("|---|---:|---:|---|")
    for unit in ("Kowalski", "ThisIsAVeryLongClassName"):
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = Path(tmp) / "in.txt", Path(tmp) / "out.txt"
            n = int(mb * 1e6)
            src.write_text((unit * (n // len(unit) + 1))[:n] + "\n", "utf-8")
            t0 = time.perf_counter()
            proc = subprocess.run(
                _veil("redact", "--labels", "PERSON", str(src), "-o", str(dst)),
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            )
            took = time.perf_counter() - t0
            print(f"| `{unit}` x n | {took:.1f} | {proc.returncode} | {'yes' if dst.exists() else 'no'} |")
            if proc.returncode:
                print(f"|  stderr: {proc.stderr.strip().splitlines()[-1][:100]} | | | |")
    print()


def _prose(mb: float) -> str:
    texts = [d["text"] for d in json.loads(GUM.read_text("utf-8"))]
    joined = "\n\n".join(texts)
    n = int(mb * 1e6)
    return (joined * (n // len(joined) + 1))[:n]


def _child(mode: str, mb: float) -> None:
    """Run one prose measurement in this (fresh) process and print it as JSON."""
    from veil.pipeline import Pipeline

    text = _prose(mb)
    if mode == "split":
        docs = []
        pos = 0
        while pos < len(text):
            end = min(len(text), pos + 1_000_000)
            cut = text.rfind("\n", pos + 500_000, end) if end < len(text) else -1
            end = cut + 1 if cut != -1 else end
            docs.append(text[pos:end])
            pos = end
    else:
        docs = [text]
    pipe = Pipeline("pii")
    pipe.redact("warm up, Anna Kowalski said.", "warm")
    t0, c0 = time.perf_counter(), time.process_time()
    chars = 0
    for i, doc in enumerate(docs):
        chars += len(pipe.redact(doc, f"d{i}").text)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB
    print(json.dumps({"mode": mode, "docs": len(docs), "wall": wall, "cpu": cpu, "peak_mb": peak}))


def part_prose(mb: float) -> None:
    print(f"## {mb:g} MB of prose: one document vs 1 MB documents (each in a fresh process)\n")
    print("| run | documents | wall s | CPU s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    results = {}
    for mode in ("split", "single"):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--mb", str(mb)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results[mode] = r
        print(f"| {mode} | {r['docs']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mb']:.0f} |")
    ratio_wall = results["single"]["wall"] / results["split"]["wall"]
    ratio_cpu = results["single"]["cpu"] / results["split"]["cpu"]
    print(f"\nsingle / split: wall {ratio_wall:.2f}x, CPU {ratio_cpu:.2f}x (target <= 2x, peak < 1536 MB)\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--parts", default="regex,line,prose")
    ap.add_argument("--mb", type=float, default=50.0, help="size of the prose document (MB)")
    ap.add_argument("--line-mb", type=float, default=5.0, help="size of the line without spaces (MB)")
    ap.add_argument("--child", choices=["single", "split"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.mb)
        return
    sys.path.insert(0, str(ROOT / "src"))
    parts = args.parts.split(",")
    if "regex" in parts:
        part_regex()
    if "line" in parts:
        part_line(args.line_mb)
    if "prose" in parts:
        part_prose(args.mb)


if __name__ == "__main__":
    main()
