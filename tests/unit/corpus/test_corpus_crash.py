"""Crash testing at every write (issue 12.9), after SQLite's crash tests.

A forked child runs the batch with every file-system step that makes a run's state durable
counted: ``fsync`` (the data of a part, output or report reached disk), ``replace`` (a
temporary file renamed into place), ``unlink`` / ``rmdir`` (cleanup) and the manifest
commit. For each ``n`` the child dies (``os._exit``, no cleanup, like SIGKILL) just before
step ``n``; the same command is then run to the end, and its output must be byte-identical
to an uninterrupted run's. ``n`` goes from 1 until a child finishes, so every step is hit,
the final assembly and the cleanup of the work directory included.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fake
import pytest

from veil.corpus import _manifest

KILLED = 86
SECRET = "Zebulon"


def _steps() -> list[tuple[Any, str]]:
    return [
        (os, "fsync"),
        (os, "replace"),
        (os, "unlink"),
        (os, "rmdir"),
        (shutil, "rmtree"),
        (_manifest.Manifest, "commit"),
    ]


def _run_killed_at(n: int, run: Callable[[], object]) -> bool:
    """Run ``run`` in a forked child that dies before durable step ``n``; whether it died."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns to pytest
        try:
            count = 0
            for owner, name in _steps():
                real = getattr(owner, name)

                def step(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
                    nonlocal count
                    count += 1
                    if count == n:
                        os._exit(KILLED)
                    return _real(*args, **kwargs)

                setattr(owner, name, step)
            run()
        except BaseException:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, KILLED):
        raise AssertionError(f"the child failed with exit code {code} at step {n}")
    return code == KILLED


def _snapshot(out: Path) -> dict[str, bytes]:
    if out.is_dir():
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return {out.name: out.read_bytes()}


def _report(out: Path) -> dict[str, Any]:
    data = json.loads(Path(f"{out}.report.json").read_text("utf-8"))
    del data["this_run"]  # timing and resumed shards differ by design
    data["output"] = data["input"] = data["vault"] = None
    return dict(data)


def _jsonl(src: Path) -> None:
    lines = [
        json.dumps({"id": f"d{i}", "text": f"Hi Ada {i}, Pe{chr(97 + i)} and {SECRET}."}) for i in range(5)
    ]
    lines.insert(2, "{broken")  # a skipped record: its entry must survive every kill too
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _txt(src: Path) -> None:
    for i in range(5):
        sub = src / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"d{i}.txt").write_text(f"Hi Ada {i}, Pe{chr(97 + i)} and {SECRET}.", encoding="utf-8")


CASES = {
    "jsonl-vault": (_jsonl, "out.jsonl", True),
    "txt": (_txt, "out", False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_run_batch_kill_at_every_write_then_resume_is_byte_identical(tmp_path: Path, case: str) -> None:
    make, out_name, with_vault = CASES[case]
    src = tmp_path / ("in.jsonl" if out_name.endswith(".jsonl") else "in")
    make(src)

    def batch(out: Path) -> object:
        vault = out.with_name(out.name + ".vault") if with_vault else None
        return fake.batch(src, out, vault=vault, shard_size=2, on_error="skip")

    reference = tmp_path / "ref" / out_name
    reference.parent.mkdir()
    batch(reference)
    expected, expected_report = _snapshot(reference), _report(reference)
    n = 0
    while True:
        n += 1
        assert n < 200, "the run never finished"
        run_dir = tmp_path / f"kill{n}"
        run_dir.mkdir()
        out = run_dir / out_name
        if not _run_killed_at(n, lambda out=out: batch(out)):  # type: ignore[misc]
            break
        batch(out)  # the same command, to the end
        assert _snapshot(out) == expected, f"killed before step {n}"
        assert _report(out) == expected_report, f"killed before step {n}"
        assert not (run_dir / f"{out_name}.veil-work").exists()
        leftovers = [p.name for p in run_dir.iterdir() if p.name.endswith(".tmp")]
        assert not leftovers, f"killed before step {n}: {leftovers}"
    assert n > 10  # every shard's part and commit, the assembly, the report and the cleanup
