"""What a batch run did: the summary it returns and the JSON report it writes (no text)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RecordsSkippedError
from ..write import atomic_open
from ._manifest import Done


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did; also written, as JSON, to the report file."""

    output: Path
    report: Path
    documents: int
    written: int
    skipped: tuple[dict[str, str], ...]
    masked: tuple[dict[str, str], ...]
    chars: int
    entity_counts: Mapping[str, int]
    mentions: int
    seconds: float
    resumed_shards: int
    processed_chars: int

    @property
    def chars_per_second(self) -> float:
        return self.processed_chars / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """A one-line human summary (no document content)."""
        return (
            f"{self.documents} documents ({self.written} written, {len(self.skipped)} skipped, "
            f"{len(self.masked)} masked), {self.chars:,} chars, {self.mentions} mentions; "
            f"{self.processed_chars:,} chars in {self.seconds:.1f} s this run "
            f"({self.chars_per_second:,.0f} chars/s"
            + (f", {self.resumed_shards} shards resumed" if self.resumed_shards else "")
            + f"); output {self.output}; report {self.report}"
        )

    def raise_for_skipped(self) -> None:
        """Raise :class:`~veil.errors.RecordsSkippedError` if any record was left out.

        The run itself finished (the output and the report are written); this turns "some
        records are missing from the output" into its own exit code for the CLI.
        """
        if self.skipped:
            raise RecordsSkippedError(
                f"{len(self.skipped)} of {self.documents} record(s) left out of the output; "
                f"they are listed in the report {self.report}"
            )


def summarize(
    out: Path, rep: Path, done: Done, seconds: float, resumed: int, processed_chars: int
) -> BatchSummary:
    """Add up the committed shards' counts."""
    counts: dict[str, int] = {}
    skipped: list[dict[str, str]] = []
    masked: list[dict[str, str]] = []
    docs = written = chars = mentions = 0
    for i in sorted(done):
        s = done[i][1]
        docs += s["documents"]
        written += s["written"]
        chars += s["chars"]
        mentions += s["mentions"]
        for k, v in s["entity_counts"].items():
            counts[k] = counts.get(k, 0) + v
        skipped.extend(s["skipped"])
        masked.extend(s["masked"])
    return BatchSummary(
        output=out,
        report=rep,
        documents=docs,
        written=written,
        skipped=tuple(skipped),
        masked=tuple(masked),
        chars=chars,
        entity_counts=dict(sorted(counts.items())),
        mentions=mentions,
        seconds=seconds,
        resumed_shards=resumed,
        processed_chars=processed_chars,
    )


def write_report(rep: Path, s: BatchSummary, header: Mapping[str, Any]) -> None:
    """Write the report atomically: ``header`` (input, output, format, options), then the counts."""
    data = {
        "report": "veil batch",
        "version": 1,
        **header,
        "documents": s.documents,
        "written": s.written,
        "chars": s.chars,
        "entity_counts": dict(s.entity_counts),
        "mentions": s.mentions,
        "skipped": list(s.skipped),
        "masked": list(s.masked),
        "this_run": {
            "seconds": round(s.seconds, 3),
            "chars": s.processed_chars,
            "chars_per_second": round(s.chars_per_second),
            "resumed_shards": s.resumed_shards,
        },
    }
    with atomic_open(rep) as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
