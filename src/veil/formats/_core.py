"""Redact a whole document in its own format, then prove nothing masked is left in it.

Algorithm:

1. The format lists the document's text as :class:`Segment` s (``segments``).
2. The segments are joined with blank lines into one text, so detection and resolution
   run across the whole document: a name in a header links to its surname in the body.
3. The pipeline redacts that text. Each replacement becomes an :class:`Edit` of the
   segment it falls in (a replacement that would cross two segments is split).
4. The format writes the edits back into its own structure (``rebuild``).
5. **Verification, fail closed.** The format extracts every text layer of the output
   again (``layers``: visible text, metadata, attribute values, decoded parts, ...). Each
   masked string is searched for, case-insensitively, with whitespace normalised and at
   word boundaries. Any hit is a :class:`VerificationError` (exit code 4) and no output.

A string masked in one place but legitimately kept elsewhere (a protected PERSON
"Jordan" and an unprotected country "Jordan") therefore stops the document: Veil would
rather refuse than leave a string it was told identifies someone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from ..errors import ProcessingError, VeilError
from ..model import Label
from ..pipeline import STAGE_FAILURES
from ._segments import Edit, Segment

if TYPE_CHECKING:
    from ..config import Policy
    from ..model import Result
    from ..pipeline import NumberSource, Pipeline

#: Joins segments into the one text the pipeline sees. Resolution never links across it.
SEPARATOR = "\n\n"


class VerificationError(ProcessingError):
    """A masked string is still present in the output; nothing was written."""


@runtime_checkable
class DocumentFormat(Protocol):
    """A reader/writer pair for one document format.

    * ``segments`` lists the human-readable text of ``data`` in document order. It raises
      :class:`~veil.errors.InputError` for input it cannot read safely (encrypted, corrupt,
      too large, a zip bomb, the wrong format); it never returns partial text.
    * ``rebuild`` returns ``data`` with the edits applied, everything else unchanged as far
      as the format allows. It must apply every edit or raise.
    * ``layers`` returns every text layer of ``data`` a reader could see, for verification.
    """

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def segments(self, data: bytes) -> list[Segment]: ...

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes: ...

    def layers(self, data: bytes) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The redacted bytes of a document and the pipeline result behind them."""

    data: bytes = field(repr=False)
    result: Result
    format: str
    segments: int

    def __repr__(self) -> str:
        return (
            f"DocumentResult({self.format}, {len(self.data)} bytes, segments={self.segments}, "
            f"replacements={len(self.result.replacements)})"
        )


def join(segments: Sequence[Segment]) -> tuple[str, list[int]]:
    """The text the pipeline sees, and the offset where each segment starts in it."""
    starts: list[int] = []
    pos = 0
    for seg in segments:
        starts.append(pos)
        pos += len(seg.text) + len(SEPARATOR)
    return SEPARATOR.join(s.text for s in segments), starts


def edits_for(result: Result, segments: Sequence[Segment], starts: Sequence[int]) -> list[list[Edit]]:
    """Turn the result's replacements (joined-text offsets) into per-segment edits."""
    out: list[list[Edit]] = [[] for _ in segments]
    for rep in result.replacements:
        i = bisect.bisect_right(starts, rep.start) - 1
        new = rep.new
        pos = rep.start
        while pos < rep.end and 0 <= i < len(segments):
            seg_end = starts[i] + len(segments[i].text)
            lo, hi = pos - starts[i], min(rep.end, seg_end) - starts[i]
            if hi > lo:
                out[i].append(Edit(lo, hi, new))
                new = ""  # the rest of a split replacement is removed, not repeated
            i += 1
            pos = starts[i] if i < len(segments) else rep.end
    return out


#: What a person field (an author, a display name) becomes when detection missed it.
PERSON_FIELD = "[PERSON]"


def _force_person(seg: Segment, edits: list[Edit]) -> list[Edit]:
    """A segment that *is* a person's name (document author, comment author, display name)
    is masked whole when detection left any letter of it."""
    if seg.kind != "person" or not seg.text.strip():
        return edits
    covered = [False] * len(seg.text)
    for e in edits:
        for i in range(e.start, e.end):
            covered[i] = True
    if all(c or not ch.isalnum() for ch, c in zip(seg.text, covered, strict=True)):
        return edits
    return [Edit(0, len(seg.text), PERSON_FIELD)]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def masked_strings(result: Result) -> set[str]:
    """The normalised original strings the result masked (2+ letters or digits)."""
    found = set()
    for rep in result.replacements:
        s = _norm(result.original[rep.start : rep.end])
        if sum(ch.isalnum() for ch in s) >= 2:
            found.add(s)
    return found


def leaks(layers: Sequence[str], masked: set[str], original: str = "") -> int:
    """How many masked strings still occur, at word boundaries, in any layer.

    The search ignores case, with one exception that mirrors the resolver: an all-lower-case
    occurrence of a string that the input itself also used in lower case ("rose" beside
    the masked "Rose") is an ordinary word, not a leak."""
    if not masked:
        return 0
    hay = [" ".join(x.split()) for x in layers]
    folded = [h.casefold() for h in hay]

    def ordinary(m: str) -> bool:
        # Standalone words only: "mira" inside "mira@example.org" is a name in an address.
        return re.search(r"(?<![\w@./_-])" + re.escape(m) + r"(?![\w@_/-]|\.\w)", original) is not None

    hits = 0
    for m in masked:
        candidates = [h for h, f in zip(hay, folded, strict=True) if m in f]
        if not candidates:
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(m) + r"(?!\w)", re.IGNORECASE)
        found = [x.group() for h in candidates for x in pattern.finditer(h)]
        # Only a hit needs the (costly) look at the input: is it an ordinary lower-case word?
        if any(x != x.lower() for x in found) or (found and not ordinary(m)):
            hits += 1
    return hits


def redact_document(
    data: bytes,
    fmt: DocumentFormat,
    pipeline: Pipeline,
    *,
    doc_id: str,
    numbers: NumberSource | None = None,
) -> DocumentResult:
    """Redact ``data`` in format ``fmt``; raise instead of returning anything unverified."""
    segments = fmt.segments(data)
    text, _ = join(segments)
    result = pipeline.redact(text, doc_id, numbers=numbers)
    return write_back(data, fmt, segments, result, pipeline.policy, doc_id=doc_id)


def write_back(
    data: bytes,
    fmt: DocumentFormat,
    segments: Sequence[Segment],
    result: Result,
    policy: Policy,
    *,
    doc_id: str,
) -> DocumentResult:
    """Steps 3 to 5: write ``result`` (the pipeline's result on ``join(segments)``) back into
    ``data`` and verify the output; raise instead of returning anything unverified.

    :func:`redact_document` is ``fmt.segments``, the pipeline, then this; a caller that
    analyses the joined text elsewhere (the batch runner's worker processes) calls it
    directly.
    """
    text, starts = join(segments)
    if result.original != text:
        raise ProcessingError("the result does not belong to these segments", doc_id=doc_id, stage="write")
    edits = edits_for(result, segments, starts)
    if Label.PERSON in policy.protected_labels:
        edits = [_force_person(seg, e) for seg, e in zip(segments, edits, strict=True)]
    try:
        out = fmt.rebuild(data, segments, edits)
        layers = fmt.layers(out)
    except VeilError as exc:
        exc.doc_id = exc.doc_id or doc_id
        exc.stage = exc.stage or "write"
        raise
    except STAGE_FAILURES as exc:
        raise ProcessingError(
            f"could not write the {fmt.name} document: {type(exc).__name__}", doc_id=doc_id, stage="write"
        ) from exc
    masked = masked_strings(result)
    masked |= {_norm(seg.text) for seg, e in zip(segments, edits, strict=True) if e and seg.kind == "person"}
    n = leaks(layers, masked, text)
    if n:
        raise VerificationError(
            f"verification found {n} masked string(s) still present in the {fmt.name} output; "
            "nothing was written",
            doc_id=doc_id,
            stage="verify",
        )
    return DocumentResult(out, result, fmt.name, len(segments))
