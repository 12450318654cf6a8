"""``linked_leak`` and residual person names.

Each unmasked person (:mod:`veil.audit.persons`) is either linked to the earlier masked
person it most likely continues -- every mention is then a linked leak -- or reported as a
residual name. People are numbered ``P1``, ``P2``, ... in order of first mention.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ...model import Label
from ..persons import Person
from ..report import Finding
from ..roles import MaskContext
from ..view import AuditView


@dataclass(frozen=True, slots=True)
class _Link:
    context: MaskContext
    why: tuple[str, ...]


def _score(view: AuditView, p: Person, c: MaskContext, rank: int) -> tuple[float, list[str]] | None:
    """How well mask ``c`` (``rank``-th nearest before the name) explains person ``p``;
    ``None`` when it cannot be the same person."""
    why: list[str] = []
    score = 2.0 / (rank + 1)
    if rank == 0:
        why.append("it is the nearest earlier masked person")
    name_roles = {r.phrase for r in p.roles}
    if c.role is not None and name_roles:
        if c.role.phrase in name_roles:
            score += 4
            why.append(f"both are introduced with the same role ({c.role.head})")
        elif c.role.head in {r.head for r in p.roles}:
            score += 2
            why.append(f"both carry the role '{c.role.head}'")
        else:
            return None  # a different role: a different person
    elif p.full:
        return None  # a fully named person is only linked on matching roles
    if c.speaker and p.speaker:
        score += 1
        why.append("both are attributed quotes or statements")
    if view.index.sentence_index(p.first) - c.sentence <= 2:
        score += 1
        why.append("the name first appears right after the mask")
    if not c.described:
        return None  # a bare "[PERSON]" says nothing that would tie a later name to it
    return score, why


def link_persons(view: AuditView) -> dict[int, _Link]:
    """Person index -> the mask it unmasks. Each mask explains at most one person; people
    are linked in order of first mention, each to its best-scoring earlier mask."""
    candidates = [c for c in view.contexts if c.person_like]
    used: set[int] = set()
    links: dict[int, _Link] = {}
    for n, p in enumerate(view.persons):
        pool = [c for c in candidates if c.mask.end <= p.first and c.mask.start not in used]
        pool.sort(key=lambda c: -c.mask.start)  # nearest first
        best: tuple[float, MaskContext, list[str]] | None = None
        for rank, c in enumerate(pool):
            scored = _score(view, p, c, rank)
            if scored is not None and (best is None or scored[0] > best[0]):
                best = (scored[0], c, scored[1])
        if best is not None:
            used.add(best[1].mask.start)
            links[n] = _Link(best[1], tuple(best[2]))
    return links


def _intro(ctx: MaskContext) -> str:
    """How the mask was introduced, in Veil's own lexicon words only."""
    if ctx.role is not None:
        article = "an" if ctx.role.head[:1] in "aeiou" else "a"
        return f"introduced as {article} {ctx.role.head}"
    return f"introduced with the title '{ctx.title}'" if ctx.title else "masked"


class LinkedLeakFinder:
    """Unmasked mentions that give away who an earlier mask stands for."""

    name: ClassVar[str] = "linked_leak"

    def find(self, view: AuditView, earlier: Sequence[Finding]) -> Iterator[Finding]:
        for n, link in sorted(link_persons(view).items()):
            p, ctx = view.persons[n], link.context
            intro = _intro(ctx)
            what = (
                "an unmasked surname that is never introduced with a full name"
                if not p.full
                else "an unmasked name with the same role as a masked person"
            )
            for k, (s, e) in enumerate(p.mentions, 1):
                yield Finding(
                    "linked_leak",
                    "high",
                    s,
                    e,
                    f"Mention {k} of {len(p.mentions)} of {what}; it unmasks the person at "
                    f"[{ctx.mask.start},{ctx.mask.end}) ({intro}): " + "; ".join(link.why) + ".",
                    Label.PERSON.value,
                    ctx.mask.start,
                    ctx.mask.end,
                    tuple(m for m in p.mentions if m != (s, e)),
                    f"P{n + 1}",
                )


class PersonNameFinder:
    """Unmasked person names that no earlier mask explains (those are linked leaks)."""

    name: ClassVar[str] = "person_name"

    def find(self, view: AuditView, earlier: Sequence[Finding]) -> Iterator[Finding]:
        linked = {f.group for f in earlier if f.kind == "linked_leak"}
        for n, p in enumerate(view.persons):
            group = f"P{n + 1}"
            if group in linked:
                continue
            what = (
                "an unmasked person name, introduced in full in the text"
                if p.full
                else "an unmasked surname; no earlier masked person explains it"
            )
            for k, (s, e) in enumerate(p.mentions, 1):
                yield Finding(
                    "residual_identifier",
                    "high",
                    s,
                    e,
                    f"Mention {k} of {len(p.mentions)} of {what}. Names of people are direct identifiers.",
                    Label.PERSON.value,
                    related=tuple(m for m in p.mentions if m != (s, e)),
                    group=group,
                )
