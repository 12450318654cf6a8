"""Load test of ``veil serve`` on loopback: latency percentiles and throughput.

Starts a real server (``python -m veil.cli serve``) on 127.0.0.1 and a random free port,
then, for each text size (1 KB and 20 KB by default), sends a bounded number of
``/v1/redact`` requests with a bounded number in flight, and prints p50/p99 latency and
requests per second. Every response is compared with the one the same server gave for
the same text when it was idle, so a wrong answer under load shows up as a mismatch.

Usage::

    .venv/bin/python benchmarks/load.py                      # defaults below
    .venv/bin/python benchmarks/load.py --requests 100 --clients 8 --server-concurrency 2
    .venv/bin/python benchmarks/load.py --json results.json

Bounded by design: at most ``--requests`` per size, ``--clients`` in flight, and
``--max-seconds`` per size (requests not yet sent when time runs out are skipped and
reported). Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "examples" / "wire-story.txt", ROOT / "tests" / "browser" / "wire-story-fixture.txt")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_text(size: int, variant: int) -> str:
    """About ``size`` bytes of the example story, cut at a line or word boundary.

    ``variant`` rotates the paragraphs so the texts differ (no response can be a cache hit).
    """
    source = next(p for p in SOURCES if p.exists()).read_text("utf-8")
    paragraphs = [p for p in source.split("\n\n") if p.strip()]
    k = variant % len(paragraphs)
    paragraphs = paragraphs[k:] + paragraphs[:k]
    out = ""
    while len(out.encode("utf-8")) < size:
        out += "\n\n".join(paragraphs) + "\n\n"
    cut = out.encode("utf-8")[:size].decode("utf-8", "ignore")
    space = max(cut.rfind("\n"), cut.rfind(" "))
    return cut[:space] if space > size // 2 else cut


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    # nearest-rank percentile: the smallest value with at least q% of values at or below it
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


async def run_size(
    client: httpx.AsyncClient, size: int, n_requests: int, clients: int, max_seconds: float, variants: int
) -> dict[str, Any]:
    texts = [make_text(size, v) for v in range(variants)]
    # Reference answers, one request at a time on an otherwise idle server.
    reference = []
    for i, text in enumerate(texts):
        r = await client.post("/v1/redact", json={"text": text, "doc_id": f"ref{i}"})
        r.raise_for_status()
        reference.append(r.json()["text"])

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    mismatches = 0
    skipped = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n_requests):
        queue.put_nowait(i)
    start = time.perf_counter()
    deadline = start + max_seconds

    async def worker() -> None:
        nonlocal mismatches, skipped
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if time.perf_counter() > deadline:
                skipped += 1
                continue
            v = i % variants
            t0 = time.perf_counter()
            r = await client.post("/v1/redact", json={"text": texts[v], "doc_id": f"ref{v}"})
            elapsed = time.perf_counter() - t0
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code == 200:
                latencies.append(elapsed)
                if r.json()["text"] != reference[v]:
                    mismatches += 1

    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.perf_counter() - start
    ok = len(latencies)
    return {
        "size_bytes": size,
        "actual_bytes": round(statistics.mean(len(t.encode("utf-8")) for t in texts)),
        "requests": n_requests,
        "clients": clients,
        "ok": ok,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "skipped": skipped,
        "mismatches": mismatches,
        "wall_s": round(wall, 3),
        "rps": round(ok / wall, 2) if wall > 0 else None,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
    }


async def bench(base: str, token: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        timeout=args.server_timeout + 10,
        limits=limits,
    ) as client:
        results = []
        for size in args.sizes:
            results.append(
                await run_size(client, size, args.requests, args.clients, args.max_seconds, args.variants)
            )
        return results


def start_server(port: int, token_file: Path, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "veil.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--token-file",
        str(token_file),
        "--concurrency",
        str(args.server_concurrency),
        "--timeout",
        str(args.server_timeout),
        "--log-level",
        "warning",
    ]
    if args.preset:
        cmd += ["--preset", args.preset]
    env = {k: v for k, v in os.environ.items() if k != "VEIL_TOKEN"}
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(base: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            raise SystemExit(f"server exited early:\n{err[-2000:]}")
        try:
            if httpx.get(base + "/v1/health", timeout=1).status_code == 200:
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 20480], help="text sizes in bytes")
    parser.add_argument("--requests", type=int, default=60, help="requests per size (max 1000)")
    parser.add_argument("--clients", type=int, default=4, help="requests in flight (max 32)")
    parser.add_argument("--variants", type=int, default=4, help="distinct texts per size")
    parser.add_argument("--max-seconds", type=float, default=120, help="time budget per size")
    parser.add_argument("--server-concurrency", type=int, default=2)
    parser.add_argument("--server-timeout", type=float, default=30)
    parser.add_argument("--preset", choices=["pii", "strict"], default=None)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 1000 or not 1 <= args.clients <= 32:
        parser.error("--requests must be 1..1000 and --clients 1..32")

    token = secrets.token_urlsafe(24)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        token_file = Path(tmp) / "token"
        token_file.write_text(token)
        proc = start_server(port, token_file, args)
        try:
            ready = wait_ready(base, proc)
            results = asyncio.run(bench(base, token, args))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    print(
        f"server ready in {ready:.1f} s; server concurrency {args.server_concurrency}, cpus {os.cpu_count()}"
    )
    print(
        f"{'size':>7} {'ok':>5} {'clients':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7}  other"
    )
    for r in results:
        other = {k: v for k, v in r["statuses"].items() if k != "200"}
        notes = []
        if other:
            notes.append(f"statuses {other}")
        if r["skipped"]:
            notes.append(f"{r['skipped']} skipped (time budget)")
        notes.append(f"{r['mismatches']} mismatches")
        print(
            f"{r['actual_bytes']:>7} {r['ok']:>5} {r['clients']:>7} {r['p50_ms']:>8} {r['p99_ms']:>8} "
            f"{r['max_ms']!s:>8} {r['rps']!s:>7}  {', '.join(notes)}"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results}, indent=2)
        )


if __name__ == "__main__":
    main()
