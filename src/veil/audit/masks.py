"""Mask finding: which stretches of a redacted text are masks (``XXX``, ``[PERSON_1]``, ``█…``).

A mask style is a regular expression; a group named ``label`` gives the label the mask
announces. Bracketed tags count only when their word is a Veil label, a person word or a
removal word, so "[UPDATE]" or "[sic]" are not masks. Callers add their own styles with
``mask_patterns`` (trusted as given) and known replacement offsets with ``known_masks``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import ConfigError
from ..model import Label
from .report import Mask


@dataclass(frozen=True, slots=True)
class MaskStyle:
    """One way of writing a mask. ``pattern`` may name a group ``label`` (e.g. ``PERSON``)."""

    name: str
    pattern: re.Pattern[str]


# Words a bracketed tag may carry that mean "something was removed" without a label.
_GENERIC_MASK_WORDS = frozenset(
    "redacted removed masked hidden withheld anonymized anonymised anonymous deleted censored pii "
    "private confidential scrubbed sensitive".split()
)
# Tag words that name a person (in addition to Label.PERSON).
_PERSON_TAGS = frozenset(
    "person per name names fullname full_name firstname first_name lastname last_name surname "
    "patient doctor individual people".split()
)
_LABELS = frozenset(m.value for m in Label)

MASK_STYLES: tuple[MaskStyle, ...] = (
    MaskStyle("encrypt_token", re.compile(r"⟦(?P<label>[A-Z][A-Z_]*):[^⟧\s]*⟧")),
    MaskStyle("hash_token", re.compile(r"\[(?P<label>[A-Z][A-Z_]*):[0-9A-Za-z+/=_.-]{2,}\]")),
    MaskStyle("bracket_tag", re.compile(r"\[(?P<label>[A-Za-z][A-Za-z_ ]*?)(?:[_ -]?\d+)?\]")),
    MaskStyle("angle_tag", re.compile(r"<(?P<label>[A-Z][A-Z_]*?)(?:[_ -]?\d+)?>")),
    MaskStyle("curly_tag", re.compile(r"\{\{?(?P<label>[A-Z][A-Z_]*?)(?:[_ -]?\d+)?\}?\}")),
    MaskStyle("blocks", re.compile(r"[█▇▆▅■▮▓]+")),
    MaskStyle("stars", re.compile(r"\*{3,}")),
    MaskStyle("x_run", re.compile(r"(?<![A-Za-z])(?:X{3,}|x{3,})(?![A-Z])")),
)


def _tag_label(raw: str | None) -> tuple[bool, str | None]:
    """Whether a tag word is a mask, and the label it announces."""
    if raw is None:
        return True, None
    word = raw.strip().replace(" ", "_").casefold()
    if word in _PERSON_TAGS:
        return True, Label.PERSON.value
    if word.upper() in _LABELS:
        return True, word.upper()
    if word in _GENERIC_MASK_WORDS:
        return True, None
    return False, None


def compile_mask_patterns(patterns: Sequence[str | re.Pattern[str]]) -> list[MaskStyle]:
    """``--mask-pattern`` values as styles ``custom_1``, ``custom_2``, ...; a bad one is a ConfigError."""
    styles = []
    for i, p in enumerate(patterns, 1):
        if isinstance(p, re.Pattern):
            styles.append(MaskStyle(f"custom_{i}", p))
            continue
        if not isinstance(p, str) or not p:
            raise ConfigError(f"--mask-pattern {i}: must be a non-empty regular expression")
        try:
            styles.append(MaskStyle(f"custom_{i}", re.compile(p)))
        except re.error as exc:
            raise ConfigError(f"--mask-pattern {i} is not a valid regular expression: {exc.msg}") from None
    return styles


def _candidates(text: str, custom: Sequence[MaskStyle], known_masks: Iterable[tuple[int, int]]) -> list[Mask]:
    """Every match of every source, in priority order: known offsets, custom, built-in."""
    found: list[Mask] = [Mask(s, e, "known") for s, e in known_masks if 0 <= s < e <= len(text)]
    for style in custom:
        for m in style.pattern.finditer(text):
            if m.end() > m.start():
                raw = m.groupdict().get("label")
                _, label = _tag_label(raw) if raw else (True, None)
                found.append(Mask(m.start(), m.end(), style.name, label))
    for style in MASK_STYLES:
        for m in style.pattern.finditer(text):
            ok, label = _tag_label(m.groupdict().get("label"))
            if ok:
                found.append(Mask(m.start(), m.end(), style.name, label))
    return found


def find_masks(
    text: str,
    mask_patterns: Sequence[str | re.Pattern[str]] = (),
    known_masks: Iterable[tuple[int, int]] = (),
) -> tuple[Mask, ...]:
    """The masks in ``text``: built-in styles, ``mask_patterns`` and ``known_masks`` offsets.

    Overlapping matches are resolved longest first; earlier sources (known, custom) win
    ties. A known mask takes the label of a style that matches exactly the same stretch.
    """
    found = _candidates(text, compile_mask_patterns(mask_patterns), known_masks)
    ranked = sorted(enumerate(found), key=lambda p: (-(p[1].end - p[1].start), p[0]))
    kept: list[Mask] = []
    for _, mask in ranked:
        if all(mask.end <= k.start or mask.start >= k.end for k in kept):
            kept.append(mask)
    kept.sort(key=lambda k: k.start)
    labelled = {(f.start, f.end): f.label for f in found if f.label is not None}
    return tuple(
        Mask(k.start, k.end, k.style, labelled.get((k.start, k.end)))
        if k.style == "known" and k.label is None
        else k
        for k in kept
    )
