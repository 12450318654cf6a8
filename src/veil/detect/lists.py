"""The deny list: strings that are always masked, wherever they occur.

Every string of ``policy.deny`` is found case-insensitively, at word boundaries, with any
run of whitespace in the string matching any run of whitespace in the text (so a term
broken across a line still matches). The allow list is applied later by the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from ..config import Policy
from ..errors import ConfigError
from ..model import Document, Evidence, Span

SOURCE = "lists"


def _term_pattern(term: str) -> str:
    words = term.split()
    body = r"\s+".join(re.escape(w) for w in words)
    # Demand a boundary only where the term starts or ends with a word character: "C++"
    # ends in punctuation, so "C++," must match, and (?!\w) after "+" would be meaningless.
    left = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    right = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return left + body + right


class DenyListDetector:
    """Reports every occurrence of a ``policy.deny`` string as ``policy.deny_label`` (score 1.0).

    Occurrences that overlap (two deny terms sharing words) are reported as one span
    covering both, so everything denied is covered. A blank deny string is a
    :class:`~veil.errors.ConfigError` (it would match nothing useful, or everything).

    Usage::

        det = DenyListDetector(policy.with_lists(deny=["Project Nightingale"]))
        spans = list(det.detect(Document("d1", "project  nightingale starts")))
    """

    name: ClassVar[str] = "lists.v1"

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        terms: list[str] = []
        for i, term in enumerate(policy.deny):
            if not term.strip():
                raise ConfigError(f"lists.deny entry {i} is blank")
            terms.append(term)
        # Longest first, so at one position the longest term wins; the look-ahead lets
        # matches start at every position, so overlapping occurrences are all found.
        terms.sort(key=lambda t: (-len(t), t))
        self._pattern: re.Pattern[str] | None = None
        if terms:
            alternation = "|".join(_term_pattern(t) for t in terms)
            self._pattern = re.compile(f"(?=({alternation}))", re.IGNORECASE)

    def detect(self, doc: Document) -> Iterable[Span]:
        if self._pattern is None:
            return []
        merged: list[list[int]] = []
        for m in self._pattern.finditer(doc.text):
            start, end = m.span(1)
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        label = self.policy.deny_label
        return [Span(s, e, label, SOURCE, 1.0, Evidence.DENY) for s, e in merged]

    def __repr__(self) -> str:
        return f"DenyListDetector(terms={len(self.policy.deny)}, label={self.policy.deny_label.value})"


__all__ = ["DenyListDetector"]
