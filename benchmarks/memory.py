"""Peak memory of ``veil batch`` on a large JSON Lines corpus (parent + worker processes).

Generates ``--gb`` gigabytes of JSONL from the GUM dev texts (each record: id, text, and
a pass-through field), runs ``veil batch --workers N`` on it in a subprocess, and samples
the resident set size of the whole process tree from ``/proc`` every 0.2 s. The target is a
peak below 1.5 GB for a 1 GB input with 2 workers: memory must not grow with the corpus.

Usage::

    .venv/bin/python benchmarks/memory.py --gb 1          # the real test (long: runs NER on 1 GB)
    .venv/bin/python benchmarks/memory.py --gb 0.05       # quick check
    .venv/bin/python benchmarks/memory.py --gb 1 --no-ner # I/O, shards and manifest only
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GUM = Path(__file__).resolve().parents[2] / "shared" / "data" / "gum" / "dev.json"
PAGE = os.sysconf("SC_PAGE_SIZE")


def generate(path: Path, gb: float) -> tuple[int, int]:
    docs = [d["text"] for d in json.loads(GUM.read_text("utf-8"))]
    target = int(gb * 1e9)
    size = n = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < target:
            for t in docs:
                line = json.dumps({"id": f"doc{n}", "text": t, "meta": {"n": n}}, ensure_ascii=False) + "\n"
                fh.write(line)
                size += len(line.encode("utf-8"))
                n += 1
                if size >= target:
                    break
    return n, size


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory(root: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) over ``root`` and its descendants.

    RSS counts pages shared by forked workers once per process (an upper bound); PSS
    splits them between the sharers (what the tree really costs).
    """
    tree = _children()
    rss = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                rss += int(fh.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            pass
        pss += _pss(pid)
        stack.extend(tree.get(pid, []))
    return rss, pss


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gb", type=float, default=1.0, help="input size in GB (default 1)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-ner", action="store_true", help="patterns only (measures the runner, not spaCy)")
    ap.add_argument("--dir", type=Path, default=None, help="where to put the input and output")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        src = Path(tmp) / "big.jsonl"
        n, size = generate(src, args.gb)
        print(f"input: {n:,} records, {size / 1e9:.2f} GB", file=sys.stderr)
        cmd = [
            sys.executable,
            "-m",
            "veil.cli",
            "batch",
            str(src),
            "-o",
            str(Path(tmp) / "out.jsonl"),
            "--workers",
            str(args.workers),
            "--id-field",
            "id",
            "--no-progress",
        ]
        if args.no_ner:
            policy = Path(tmp) / "policy.toml"
            policy.write_text('preset = "pii"\n[ner]\nenabled = false\n', encoding="utf-8")
            cmd += ["--policy", str(policy)]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd)
        peak = peak_pss = 0
        samples = []
        while proc.poll() is None:
            rss, pss = tree_memory(proc.pid)
            peak = max(peak, rss)
            peak_pss = max(peak_pss, pss)
            samples.append(rss)
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"veil batch failed with exit code {proc.returncode}")
        out_size = (Path(tmp) / "out.jsonl").stat().st_size
    mid = sorted(samples)[len(samples) // 2] if samples else 0
    print(
        "\n| input | workers | NER | seconds | peak RSS sum (parent + workers) | peak PSS sum | median RSS sum "
        "| output |\n|---|---:|---|---:|---:|---:|---:|---:|\n"
        f"| {size / 1e9:.2f} GB, {n:,} records | {args.workers} | {'off' if args.no_ner else 'on'} | "
        f"{seconds:.0f} | {peak / 1e9:.2f} GB | {peak_pss / 1e9:.2f} GB | {mid / 1e9:.2f} GB | "
        f"{out_size / 1e9:.2f} GB |"
    )


if __name__ == "__main__":
    main()
