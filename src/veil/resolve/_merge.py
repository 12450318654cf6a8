"""Step 7: turn name entities and other spans into groups, then merge them all by one rule."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..model import NAME_LABELS, Entity, Evidence, Label, Span
from ._link import entity_label
from ._names import core_words
from ._state import Group, Mention, Votes

_NUMBER_LABELS = (Label.PHONE, Label.CARD, Label.IBAN, Label.ID)


def named_group(ent: Sequence[Mention], votes: Votes) -> Group:
    label = entity_label(ent, votes)
    sources: list[str] = []
    for m in ent:
        for src in sorted(m.sources):
            if src not in sources:
                sources.append(src)
    spans = tuple(Span(m.start, m.end, label, "+".join(sorted(m.sources)) or "resolve") for m in ent)
    return Group(spans, label, tuple(sources))


def structured_groups(text: str, spans: Iterable[Span]) -> list[Group]:
    """Other spans grouped by label and normalised text (digits only for numbers)."""
    groups: dict[tuple[Label, str], list[Span]] = {}
    for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
        surface = text[sp.start : sp.end]
        if sp.label in _NUMBER_LABELS:
            norm = re.sub(r"\W", "", surface).casefold()
        else:
            norm = " ".join(unicodedata.normalize("NFKC", surface).split()).casefold()
        groups.setdefault((sp.label, norm), []).append(sp)
    return [
        Group(
            tuple(items),
            label,
            tuple(sorted({s.source for s in items})),
            # a validated pattern or the deny list beats the model on identical extents
            rules_first=any(s.evidence is not Evidence.MODEL for s in items),
        )
        for (label, _), items in groups.items()
    ]


def merge(text: str, groups: Sequence[Group]) -> tuple[Entity, ...]:
    """A span contained in another is dropped (its characters stay covered); partially
    overlapping spans become their union, owned by the longer one; mentions of one name
    entity separated only by spaces are joined."""
    flat = [(sp.start, sp.end, gi) for gi, g in enumerate(groups) for sp in g.spans]
    flat.sort(key=lambda t: (t[0], -(t[1] - t[0]), 0 if groups[t[2]].rules_first else 1, t[2]))
    kept: list[list[int]] = []  # [start, end, group, original_length]
    for s, e, gi in flat:
        if kept and s < kept[-1][1]:
            last = kept[-1]
            if e <= last[1]:
                continue  # contained: covered by the container
            if (e - s) > last[3]:  # partial overlap: union, owned by the longer original span
                last[2] = gi
                last[3] = e - s
            last[1] = e
            continue
        kept.append([s, e, gi, e - s])
    joined: list[list[int]] = []
    for item in kept:
        if (
            joined
            and joined[-1][2] == item[2]
            and text[joined[-1][1] : item[0]].strip(" \t") == ""
            and (item[0] - joined[-1][1] <= 2 and groups[item[2]].label in NAME_LABELS)
        ):
            joined[-1][1] = item[1]
            continue
        joined.append(item)
    by_group: dict[int, list[Span]] = defaultdict(list)
    for s, e, gi, _ in joined:
        g = groups[gi]
        by_group[gi].append(Span(s, e, g.label, g.sources[0] if g.sources else "resolve"))
    entities = []
    for n, gi in enumerate(sorted(by_group, key=lambda gi: by_group[gi][0].start), start=1):
        ordered = tuple(sorted(by_group[gi], key=lambda sp: sp.start))
        g = groups[gi]
        canonical = max(ordered, key=lambda sp: (len(sp), -sp.start))
        key = f"{g.label.value}:{' '.join(core_words(text[canonical.start : canonical.end]))}"
        entities.append(Entity(id=f"e{n}", label=g.label, mentions=ordered, sources=g.sources, key=key))
    return tuple(entities)
