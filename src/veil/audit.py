"""Audit already-redacted text: what still identifies people, why, and how badly.

``audit_text`` takes text that someone (Veil, another tool, a person) has masked and
returns an :class:`AuditReport` with findings of four kinds:

* ``residual_identifier`` -- an unmasked person name, contact detail or ID number, found
  with the same detectors as ``veil redact``;
* ``linked_leak`` -- an unmasked name that gives away the referent of a mask: a bare
  surname that is never introduced with a full name ("Lavrov said ...") after a masked,
  role-introduced person ("Foreign Minister XXX said ..."); the full-name antecedent was
  masked, the later mentions were not;
* ``quasi_identifier`` -- a description that singles out one person without a name: a
  one-holder office tied to a place or organisation ("the mayor of <town>"), an exact age
  next to a mask, a date of birth, a street address, "the only <occupation> at <place>";
* ``partial_mask`` -- a mask that leaves part of an identifier visible (a first or middle
  name, the last digits of a number, an e-mail domain, letters glued to the mask).

Masks are recognised by a registry of regular expressions (:data:`MASK_STYLES`): ``XXX``,
``[REDACTED]``, ``[PERSON]``, ``[PERSON_1]``, ``<PERSON>``, ``█████``, ``***`` and Veil's
own hash (``[PERSON:ab12cd]``) and encrypt (``⟦PERSON:...⟧``) tokens; callers add their
own with ``mask_patterns``. Everything is rule-based: role lexicons (titles, offices,
occupations), speech verbs and the order of mentions. No document string is special-cased.

Reports never contain identifier text unless asked: a finding carries offsets, a label, a
severity and an explanation built only from Veil's own lexicon words (role words such as
"minister"), never from the document. ``AuditReport.to_dict(include_text=True)`` adds the
text of each finding and its sentence.

Usage::

    report = audit_text(redacted, doc_id="article-7")
    report.risk                 # 'low' | 'medium' | 'high'
    report.reasons              # why the risk is what it is
    report.to_dict()            # JSON-ready, schema in docs/audit.md
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .errors import ConfigError, VeilError
from .model import Document, Label, Result

SCHEMA_VERSION = "1.0"
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")

Kind = Literal["residual_identifier", "linked_leak", "quasi_identifier", "partial_mask"]
Severity = Literal["low", "medium", "high"]
KINDS: tuple[Kind, ...] = ("residual_identifier", "linked_leak", "quasi_identifier", "partial_mask")
_SEV_RANK = {"low": 0, "medium": 1, "high": 2}


# ---------------------------------------------------------------------------------------
# Data objects
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MaskStyle:
    """One way of writing a mask. ``pattern`` may name a group ``label`` (e.g. ``PERSON``)."""

    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Mask:
    """A masked stretch ``[start, end)`` of the audited text.

    ``label`` is the label the mask itself announces (``[PERSON_1]`` -> ``PERSON``), or
    ``None`` when it says nothing (``XXX``, ``[REDACTED]``, ``█████``).
    """

    start: int
    end: int
    style: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in a redacted text that still identifies someone.

    ``[start, end)`` are the offsets of the identifying text (for a partial mask: the
    visible part). ``mask_start``/``mask_end`` give the mask the finding concerns (the mask a
    leak unmasks, the mask an age or role describes), or ``None``. ``related`` holds the
    offsets of the other mentions of the same leak or person; ``group`` ties them together.
    ``explanation`` is plain English and never quotes document text.
    """

    kind: Kind
    severity: Severity
    start: int
    end: int
    explanation: str
    label: str
    mask_start: int | None = None
    mask_end: int | None = None
    related: tuple[tuple[int, int], ...] = ()
    group: str = ""

    def to_dict(self, text: str | None = None, sentence: str | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": self.kind,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "explanation": self.explanation,
            "mask": None if self.mask_start is None else {"start": self.mask_start, "end": self.mask_end},
            "related": [{"start": s, "end": e} for s, e in self.related],
            "group": self.group,
        }
        if text is not None:
            item["text"] = text
        if sentence is not None:
            item["sentence"] = sentence
        return item

    def __repr__(self) -> str:
        return (
            f"Finding({self.kind}, {self.severity}, [{self.start},{self.end}), {self.label}, "
            f"mask={None if self.mask_start is None else (self.mask_start, self.mask_end)}, group={self.group!r})"
        )


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The audit of one document: its risk level, the reasons that set it, and the findings.

    ``text`` is kept (out of the repr) so that :meth:`to_dict` can include it on request.
    """

    doc_id: str
    risk: str
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]
    masks: tuple[Mask, ...] = ()
    text: str = field(default="", repr=False, compare=False)

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for f in self.findings if f.kind == k) for k in KINDS}

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        """JSON-ready form (schema in ``docs/audit.md``); text only with ``include_text``."""
        styles: dict[str, int] = {}
        for m in self.masks:
            styles[m.style] = styles.get(m.style, 0) + 1
        findings = []
        breaks = _sentence_breaks(self.text) if include_text else []
        for i, f in enumerate(self.findings, 1):
            if include_text:
                s, e = sentence_bounds(self.text, f.start, breaks)
                item = f.to_dict(self.text[f.start : f.end], self.text[s:e].strip())
            else:
                item = f.to_dict()
            findings.append({"id": f"F{i}", **item})
        return {
            "doc_id": self.doc_id,
            "chars": len(self.text),
            "risk": self.risk,
            "reasons": list(self.reasons),
            "masks": {"count": len(self.masks), "styles": dict(sorted(styles.items()))},
            "counts": self.counts(),
            "findings": findings,
        }

    def __repr__(self) -> str:
        return (
            f"AuditReport({self.doc_id!r}, risk={self.risk!r}, findings={len(self.findings)}, "
            f"masks={len(self.masks)}, text=[redacted {len(self.text)} chars])"
        )


class Analyzer(Protocol):
    """What the audit needs from a pipeline: ``analyze(text, doc_id) -> Document``."""

    def analyze(self, text: str, doc_id: str = "doc") -> Document: ...


# ---------------------------------------------------------------------------------------
# Mask registry
# ---------------------------------------------------------------------------------------

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


def _compile_user_patterns(patterns: Sequence[str | re.Pattern[str]]) -> list[MaskStyle]:
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


def find_masks(
    text: str,
    mask_patterns: Sequence[str | re.Pattern[str]] = (),
    known_masks: Iterable[tuple[int, int]] = (),
) -> tuple[Mask, ...]:
    """The masks in ``text``: built-in styles, ``mask_patterns`` and ``known_masks`` offsets.

    Overlapping matches are resolved longest first. Bracketed tags count only when their
    word is a Veil label, a person word (``NAME``) or a removal word (``REDACTED``), so
    "[UPDATE]" or "[sic]" are not masks. Custom patterns are trusted as given.
    """
    found: list[Mask] = []
    for s, e in known_masks:
        if 0 <= s < e <= len(text):
            found.append(Mask(s, e, "known"))
    for style in _compile_user_patterns(mask_patterns):
        for m in style.pattern.finditer(text):
            if m.end() > m.start():
                raw = m.groupdict().get("label")
                _, label = _tag_label(raw) if raw else (True, None)
                found.append(Mask(m.start(), m.end(), style.name, label))
    for style in MASK_STYLES:
        for m in style.pattern.finditer(text):
            raw = m.groupdict().get("label")
            ok, label = _tag_label(raw)
            if ok:
                found.append(Mask(m.start(), m.end(), style.name, label))
    # Earlier sources (known, custom) win ties; then longest first.
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


# ---------------------------------------------------------------------------------------
# Lexicons
# ---------------------------------------------------------------------------------------

# Offices held by one person at a time per place or organisation: tied to a named place or
# organisation, they single the holder out.
ONE_HOLDER_OFFICES = frozenset(
    """
    mayor governor president premier chancellor minister secretary ambassador ceo chairman
    chairwoman chairperson founder principal headmaster headmistress headteacher sheriff bishop
    archbishop pope king queen commissioner prosecutor attorney-general dean rector provost
    superintendent coach manager director speaker prefect emir sultan patriarch
    """.split()
)
# Roles several people share per place or organisation: tied to one, they narrow the field.
FEW_HOLDER_ROLES = frozenset(
    """
    spokesperson spokesman spokeswoman senator deputy judge surgeon priest pastor vicar rabbi imam
    teacher nurse doctor physician pharmacist veterinarian vet midwife dentist lawyer councillor
    councilor alderman trustee captain editor curator librarian pilot
    """.split()
)
# Occupations rare enough that, tied to a small place, they point at one person.
RARE_OCCUPATIONS = frozenset(
    """
    blacksmith farrier vicar priest pastor rabbi imam pharmacist veterinarian vet midwife undertaker
    dentist surgeon optician postmaster postmistress harbourmaster harbormaster lighthouse-keeper
    headmaster headmistress headteacher sheriff coroner gamekeeper ferryman doctor physician
    """.split()
)
# Other role nouns that introduce a person ("military analyst XXX").
_PERSON_ROLES = frozenset(
    """
    analyst spokesperson spokesman spokeswoman lawyer attorney reporter journalist correspondent editor
    author writer novelist poet artist singer actor actress producer photographer professor researcher
    scientist economist historian teacher student officer detective inspector sergeant lieutenant
    colonel general commander soldier official officials aide adviser advisor consultant expert envoy
    diplomat leader candidate activist resident neighbour neighbor farmer driver engineer witness
    victim suspect defendant plaintiff applicant petitioner claimant owner worker employee volunteer
    mother father son daughter wife husband brother sister friend patient nurse
    """.split()
)
_ROLE_WORDS = ONE_HOLDER_OFFICES | FEW_HOLDER_ROLES | RARE_OCCUPATIONS | _PERSON_ROLES
# Department words that qualify an office ("Foreign Minister", "Defense Secretary").
_DEPARTMENTS = frozenset(
    """
    foreign defense defence interior finance home health education justice state prime vice deputy
    chief executive general high senior former acting interim assistant associate military political
    local regional national federal district city county regional
    """.split()
)
_SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|wrote|writes|noted|notes|asked|"
    "replied|warned|warns|insisted|argued|claimed|announced|declared|voiced|urged|acknowledged|"
    "recalled|commented|confirmed|denied|admitted|testified|tweeted|quoted|continued"
)
_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
# Capitalised words that are not names: function words, pronouns, days, months, plurals
# that report speech ("Officials said").
_NOT_NAMES = frozenset(
    """
    the a an and or but if in on at of for to from by with as it its he she they we you i his her
    their our my your this that these those there here then when where while after before since
    however meanwhile overnight earlier later today yesterday tomorrow still also even only so yet
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december officials police authorities witnesses residents
    analysts experts critics lawmakers observers sources reporters doctors several many some most
    both all none one two three another other such what who which why how not no yes around about
    mr mrs ms dr st mom mum dad mama papa grandma grandpa granny nana uncle aunt honey baby sir madam
    oh uh um hmm hunh huh wow hey hi hello thanks sorry well yeah yes okay ok gonna wanna please god
    """.split()
)
_CONTRACTION = re.compile(r"['’](?:t|d|ll|re|ve|m)$", re.IGNORECASE)
_LOCATIVE = frozenset("in at near from to into outside around across toward towards of on".split())
_PLACE_NOUNS = frozenset(
    "district street road avenue square region province oblast county village town city neighborhood "
    "neighbourhood area suburb municipality state river".split()
)
_WEEKDAYS_MONTHS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)


def _places() -> frozenset[str]:
    from .detect.lexicon import places

    return places()


def _first_names() -> frozenset[str]:
    from .detect.lexicon import first_names

    return first_names()


def _org_words() -> frozenset[str]:
    from .detect.lexicon import ORG_WORDS

    return ORG_WORDS


def _titles() -> frozenset[str]:
    from .detect.lexicon import TITLES

    return TITLES


# ---------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9À-ÿĀ-ž][\wÀ-ž]*(?:[.'’-][\wÀ-ž]+)*\.?")
_ABBREV = re.compile(r"^(?:[A-Z]\.)+$|^(?:St|Dr|Mr|Mrs|Ms|Jr|Sr|Gen|Col|Lt|Sgt|Rev|Prof|Gov|Sen|Rep|No)\.$")
_SENT_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])|\n+")


def _sentence_breaks(text: str) -> list[int]:
    """Start offsets of the sentences of ``text`` (a line break always ends a sentence)."""
    breaks = [0]
    for m in _SENT_BREAK.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()].split()
        if "\n" not in m.group() and before and _ABBREV.match(before[-1].lstrip('"“(')):
            continue
        breaks.append(m.end())
    return breaks


def sentence_bounds(text: str, pos: int, breaks: Sequence[int] | None = None) -> tuple[int, int]:
    """The sentence ``[start, end)`` around ``pos``; "U.K."-style abbreviations do not end one."""
    b = breaks if breaks is not None else _sentence_breaks(text)
    i = bisect.bisect_right(b, pos) - 1
    end = b[i + 1] if i + 1 < len(b) else len(text)
    return b[i], end


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return _key(self.text)

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


def _key(word: str) -> str:
    w = word.rstrip(".")
    for suffix in ("'s", "’s"):
        if w.endswith(suffix):
            w = w[: -len(suffix)]
    return w.casefold()


@dataclass(frozen=True, slots=True)
class _Role:
    start: int
    end: int
    head: str
    phrase: str  # case-folded words, compared internally and never reported
    anchored: bool  # tied to a named place or organisation
    superlative: bool = False  # "the only", "the sole", "the first"


@dataclass(slots=True)
class _MaskContext:
    mask: Mask
    role: _Role | None = None
    speaker: bool = False
    quoted: bool = False
    age: tuple[int, int] | None = None
    place_like: bool = False
    sentence: int = 0

    @property
    def person_like(self) -> bool:
        if self.mask.label is not None:
            return self.mask.label == Label.PERSON.value
        return not self.place_like and (self.role is not None or self.speaker or self.age is not None)


@dataclass(slots=True)
class _Person:
    key: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    full: bool = False
    speaker: bool = False
    roles: list[_Role] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(s for s, _ in self.mentions)


class _Auditor:
    def __init__(self, text: str, doc: Document | None, masks: tuple[Mask, ...]) -> None:
        self.text = text
        self.doc = doc
        self.masks = masks
        self.mask_starts = [m.start for m in masks]
        self.toks = [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        self.toks = [t for t in self.toks if not self._in_mask(t.start, t.end)]
        self.tok_starts = [t.start for t in self.toks]
        self.breaks = _sentence_breaks(text)
        self.votes = self._label_votes()
        # Words the text also uses in lower case are common words, not names ("Know", "Love").
        self.lower_words = frozenset(t.key for t in self.toks if t.text[:1].islower())

    # -- small helpers ----------------------------------------------------------------

    def _in_mask(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.mask_starts, e - 1) - 1
        return i >= 0 and self.masks[i].end > s

    def _sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self.breaks, pos) - 1

    def _sentence_start(self, pos: int) -> int:
        return self.breaks[self._sentence_index(pos)]

    def _tok_before(self, pos: int) -> int:
        """Index of the last token ending at or before ``pos`` (or -1)."""
        i = bisect.bisect_left(self.tok_starts, pos) - 1
        while i >= 0 and self.toks[i].end > pos:
            i -= 1
        return i

    def _label_votes(self) -> dict[str, set[str]]:
        votes: dict[str, set[str]] = {}
        if self.doc is None:
            return votes
        spans = list(self.doc.spans)
        for ent in self.doc.entities:
            spans.extend(ent.mentions)
        for sp in spans:
            # Speech-verb evidence is too weak to vote ("the United Nations said").
            if sp.source == "context.speech" or self._in_mask(sp.start, sp.end):
                continue
            for w in self.text[sp.start : sp.end].split():
                votes.setdefault(_key(w), set()).add(sp.label.value)
        return votes

    def _after_locative(self, key: str) -> bool:
        for i, t in enumerate(self.toks):
            if t.key == key and t.cap and i > 0:
                prev = self.toks[i - 1]
                if prev.key in _LOCATIVE and not self.text[prev.end : t.start].strip():
                    return True
                if prev.key == "the" and i > 1 and self.toks[i - 2].key in _LOCATIVE:
                    return True
        return False

    # -- roles ------------------------------------------------------------------------

    def _role_ending_at(self, pos: int) -> _Role | None:
        """A role phrase whose head word ends right before ``pos`` (spaces only between)."""
        i = self._tok_before(pos)
        if i < 0:
            return None
        head = self.toks[i]
        if self.text[head.end : pos].strip() or head.key not in _ROLE_WORDS:
            return None
        return self._role_from_head(i)

    def _role_from_head(self, i: int) -> _Role:
        head = self.toks[i]
        words = [head]
        j = i - 1
        limit = self._sentence_start(head.start)
        while j >= 0 and len(words) < 6:
            t = self.toks[j]
            if t.start < limit or self.text[t.end : words[0].start].strip():
                break
            if t.key in _NOT_NAMES or _SPEECH_RE.fullmatch(t.key):
                break
            if t.text.endswith(".") and not _ABBREV.match(t.text):
                break
            words.insert(0, t)
            j -= 1
        anchored = any(
            w.cap and w.key not in _DEPARTMENTS and w.key not in _ROLE_WORDS and w.key not in _titles()
            for w in words[:-1]
        )
        end = head.end
        k = i + 1
        if (
            k < len(self.toks)
            and self.toks[k].key in {"of", "for", "at", "in"}
            and not self._gap(head.end, self.toks[k].start)
        ):
            k += 1
            if (
                k < len(self.toks)
                and self.toks[k].key == "the"
                and not self._gap(self.toks[k - 1].end, self.toks[k].start)
            ):
                k += 1
            last = self.toks[k - 1]
            while k < len(self.toks) and not self._gap(last.end, self.toks[k].start):
                t = self.toks[k]
                if t.cap:
                    anchored = True
                    end = t.end
                elif t.key not in {"of", "for", "and"}:
                    break
                last = t
                k += 1
                if t.text.endswith(".") and not _ABBREV.match(t.text):
                    end -= 1
                    break
        sup = bool(
            re.search(
                r"\b(?:only|sole|lone|first|last|oldest|youngest)\b(?:[ \t]+[\w-]+){0,3}[ \t]*$",
                self.text[max(limit, head.start - 60) : head.start],
                re.IGNORECASE,
            )
        )
        start = words[0].start
        phrase = " ".join(w.key for w in words) + self.text[head.end : end].casefold()
        return _Role(start, end, head.key, phrase, anchored, sup)

    def _gap(self, a: int, b: int) -> bool:
        """True when anything but spaces separates offsets ``a`` and ``b``."""
        return bool(self.text[a:b].strip(" \t"))

    def _mask_context(self, mask: Mask) -> _MaskContext:
        ctx = _MaskContext(mask, sentence=self._sentence_index(mask.start))
        text = self.text
        before = text[max(0, mask.start - 160) : mask.start]
        after = text[mask.end : mask.end + 160]
        # Role directly before ("Foreign Minister XXX") or in apposition ("the mayor of X, XXX").
        ctx.role = self._role_ending_at(mask.start)
        if ctx.role is None:
            comma = re.search(r",[ \t]*$", before)
            if comma:
                cpos = mask.start - len(before) + comma.start()
                for i in range(self._tok_before(cpos), max(-1, self._tok_before(cpos) - 8), -1):
                    t = self.toks[i]
                    if t.start < self._sentence_start(mask.start):
                        break
                    if t.key in _ROLE_WORDS:
                        role = self._role_from_head(i)
                        if role.end >= cpos - 1 and not text[role.end : cpos].strip():
                            ctx.role = role
                        break
        # Apposition after ("XXX, another spokesperson for the agency,").
        if ctx.role is None:
            app = re.match(
                r"[ \t]*,[ \t]*(?:the|a|an|another|our|their|its)?[ \t]*([^,.;\"“”\n]{0,80})", after
            )
            if app:
                for i in range(bisect.bisect_left(self.tok_starts, mask.end + app.start(1)), len(self.toks)):
                    t = self.toks[i]
                    if t.start >= mask.end + app.end(1):
                        break
                    if t.key in _ROLE_WORDS:
                        ctx.role = self._role_from_head(i)
                        break
        age = re.match(r"[ \t]*,[ \t]*(\d{1,3})[ \t]*(?=[,;.)]|$)|[ \t]*\((\d{1,3})\)", after)
        if age:
            g = 1 if age.group(1) else 2
            if 0 < int(age.group(g)) < 120:
                ctx.age = (mask.end + age.start(g), mask.end + age.end(g))
        else:
            yo = re.search(r"\b(\d{1,3})-year-old[ \t]+(?:[a-z]+[ \t]+){0,2}$", before)
            if yo:
                ctx.age = (mask.start - len(before) + yo.start(1), mask.start - len(before) + yo.end(0))
        ctx.speaker = bool(
            re.match(rf"(?:[ \t]*,[^,.;\"“”\n]{{1,80}},)?[ \t]*(?:{_SPEECH_VERBS})\b", after)
            or re.search(rf"\b(?:{_SPEECH_VERBS}|according to)[ \t]+(?:the[ \t]+)?$", before)
            or (ctx.role is not None and re.search(rf"\b(?:{_SPEECH_VERBS})[ \t]+$", text[: ctx.role.start]))
        )
        sent_start = self._sentence_start(mask.start)
        ctx.quoted = ctx.speaker and bool(re.search(r"[\"“”]", text[max(sent_start - 2, 0) : mask.start]))
        nxt = re.match(r"[ \t]+([A-Za-z]+)", after)
        ctx.place_like = bool(nxt and nxt.group(1).casefold() in _PLACE_NOUNS) or bool(
            re.search(r"\b(?:in|near|from|outside)[ \t]+(?:the[ \t]+)?$", before) and ctx.role is None
        )
        return ctx

    # -- persons ----------------------------------------------------------------------

    def _name_ok(self, tok: _Tok, *, voted_person: bool) -> bool:
        k = tok.key
        if not tok.cap or not re.fullmatch(r"[^\W\d_][\w'’-]*\.?", tok.text) or len(k) < 2:
            return False
        if _CONTRACTION.search(tok.text) or (k in self.lower_words and k not in _first_names()):
            return False  # "Don't", "Please": a common word written with a capital
        if k in _NOT_NAMES or k in _ROLE_WORDS or k in _titles() or k in _org_words() or k in _DEPARTMENTS:
            return False
        votes = self.votes.get(k, set())
        if "NORP" in votes and "PERSON" not in votes:
            return False
        if k in _places() and (not voted_person or "LOC" in votes or self._after_locative(k)):
            return False
        i = bisect.bisect_left(self.tok_starts, tok.start) - 1
        if i >= 0 and self.toks[i].key == "the" and not self._gap(self.toks[i].end, tok.start):
            return False  # "The Onion", "the Smiths": titles and organisations take an article
        return voted_person or not (votes & {"LOC", "ORG", "NORP"}) or "PERSON" in votes

    def _persons(self) -> list[_Person]:
        text = self.text
        seeds: list[tuple[int, int, bool]] = []  # (start, end, voted_person)
        if self.doc is not None:
            spans = [m for e in self.doc.entities if e.label == Label.PERSON for m in e.mentions]
            spans += [s for s in self.doc.spans if s.label == Label.PERSON and s.source != "context.speech"]
            seeds.extend((s.start, s.end, True) for s in spans)
        name = r"[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,2}"
        for m in re.finditer(rf"(?<![\w.])({name})[ \t]+(?:{_SPEECH_VERBS})\b", text):
            seeds.append((m.start(1), m.end(1), False))
        for m in re.finditer(rf"\b(?:{_SPEECH_VERBS})[ \t]+({name})\b", text):
            if _key(m.group(1).split()[0]) not in _NOT_NAMES:
                seeds.append((m.start(1), m.end(1), False))

        persons: dict[str, _Person] = {}
        first_of: dict[str, str] = {}
        for s, e, voted in sorted(seeds):
            if self._in_mask(s, e):
                continue
            toks = [self.toks[i] for i in range(bisect.bisect_left(self.tok_starts, s), len(self.toks))]
            toks = [t for t in toks if t.end <= e + 2 and t.start < e]
            while toks and (
                toks[0].key in _titles()
                or toks[0].key in _ROLE_WORDS
                or toks[0].key in _DEPARTMENTS
                or "NORP" in self.votes.get(toks[0].key, set())
            ):
                toks.pop(0)
            toks = [t for t in toks if self._name_ok(t, voted_person=voted)]
            if not toks or self._touches_mask(toks[0].start, toks[-1].end):
                continue
            if len(toks) >= 2 and text[toks[0].end : toks[-1].start].strip(" \t-") and not voted:
                continue
            surname = toks[-1].key
            p = persons.setdefault(surname, _Person(surname))
            if len(toks) >= 2:
                p.full = True
                first_of[toks[0].key] = surname
        # Propagate: every capitalised occurrence of a surname (or of a known first name) is
        # a mention, the way a reader would read it.
        for t in self.toks:
            target = t.key if t.key in persons else first_of.get(t.key)
            if target is None or not t.cap or self._touches_mask(t.start, t.end):
                continue
            p = persons[target]
            end = t.end - 1 if t.text.endswith(".") and not _ABBREV.match(t.text) else t.end
            stem = re.match(r"[\w-]+", t.text)
            if stem and len(stem.group()) < end - t.start:
                end = t.start + len(stem.group())  # drop the possessive
            if not any(s <= t.start < e for s, e in p.mentions):
                # Join "First Last" into one mention.
                if p.mentions and t.key == target and self._joined(p.mentions[-1], t.start):
                    s0 = p.mentions.pop()[0]
                    p.mentions.append((s0, end))
                else:
                    p.mentions.append((t.start, end))
        out = []
        for p in persons.values():
            if not p.mentions:
                continue
            p.mentions.sort()
            for s, e in p.mentions:
                if re.match(rf"[ \t]+(?:{_SPEECH_VERBS})\b", text[e : e + 20]) or re.search(
                    rf"\b(?:{_SPEECH_VERBS})[ \t]+$", text[max(0, s - 20) : s]
                ):
                    p.speaker = True
                role = self._role_ending_at(s)
                if role is not None:
                    p.roles.append(role)
            out.append(p)
        out.sort(key=lambda p: p.first)
        return out

    def _joined(self, prev: tuple[int, int], start: int) -> bool:
        return not self.text[prev[1] : start].strip() and self.text[prev[1] : start].count("\n") == 0

    def _touches_mask(self, s: int, e: int) -> bool:
        """True when a mask sits right next to ``[s, e)`` with only spaces between."""
        i = bisect.bisect_right(self.mask_starts, e + 2) - 1
        for j in range(max(0, i - 1), min(len(self.masks), i + 2)):
            m = self.masks[j]
            if m.end <= s and not self.text[m.end : s].strip(" \t") and s - m.end <= 2:
                return True
            if m.start >= e and not self.text[e : m.start].strip(" \t") and m.start - e <= 2:
                return True
        return False

    # -- findings ---------------------------------------------------------------------

    def run(self) -> list[Finding]:
        contexts = [self._mask_context(m) for m in self.masks]
        findings: list[Finding] = []
        findings += self._partial_masks(contexts)
        person_findings = self._leaks_and_names(contexts)
        findings += person_findings
        findings += self._quasi(contexts)
        findings += self._other_residuals(findings)
        findings.sort(key=lambda f: (f.start, f.end, f.kind))
        return findings

    def _leaks_and_names(self, contexts: list[_MaskContext]) -> list[Finding]:
        persons = self._persons()
        candidates = [c for c in contexts if c.person_like]
        used: set[int] = set()

        out: list[Finding] = []
        n_group = 0
        for p in persons:
            first = p.first
            best: tuple[float, int, list[str]] | None = None
            pool = [c for c in candidates if c.mask.end <= first and c.mask.start not in used]
            pool.sort(key=lambda c: -c.mask.start)  # nearest first
            for rank, c in enumerate(pool):
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
                        continue  # a different role: a different person
                elif p.full:
                    continue  # a fully named person is only linked on matching roles
                if c.speaker and p.speaker:
                    score += 1
                    why.append("both are attributed quotes or statements")
                gap = self._sentence_index(first) - c.sentence
                if gap <= 2:
                    score += 1
                    why.append("the name first appears right after the mask")
                if c.role is None and not c.speaker and c.age is None:
                    continue  # a bare "[PERSON]" says nothing that would tie a later name to it
                if best is None or score > best[0]:
                    best = (score, c.mask.start, why)
            n_group += 1
            group = f"P{n_group}"
            if best is not None:
                ctx = next(c for c in candidates if c.mask.start == best[1])
                used.add(ctx.mask.start)

                intro = f"introduced as {_article(ctx.role.head)} {ctx.role.head}" if ctx.role else "masked"
                n = len(p.mentions)
                what = (
                    "an unmasked surname that is never introduced with a full name"
                    if not p.full
                    else "an unmasked name with the same role as a masked person"
                )
                for k, (s, e) in enumerate(p.mentions, 1):
                    out.append(
                        Finding(
                            "linked_leak",
                            "high",
                            s,
                            e,
                            f"Mention {k} of {n} of {what}; it unmasks the person at "
                            f"[{ctx.mask.start},{ctx.mask.end}) ({intro}): " + "; ".join(best[2]) + ".",
                            Label.PERSON.value,
                            ctx.mask.start,
                            ctx.mask.end,
                            tuple(m for m in p.mentions if m != (s, e)),
                            group,
                        )
                    )
                continue
            n = len(p.mentions)
            what = (
                "an unmasked person name, introduced in full in the text"
                if p.full
                else "an unmasked surname; no earlier masked person explains it"
            )
            for k, (s, e) in enumerate(p.mentions, 1):
                out.append(
                    Finding(
                        "residual_identifier",
                        "high",
                        s,
                        e,
                        f"Mention {k} of {n} of {what}. Names of people are direct identifiers.",
                        Label.PERSON.value,
                        related=tuple(m for m in p.mentions if m != (s, e)),
                        group=group,
                    )
                )
        return out

    def _other_residuals(self, existing: list[Finding]) -> list[Finding]:
        if self.doc is None:
            return []
        out: list[Finding] = []
        for ent in self.doc.entities:
            if ent.label == Label.PERSON:
                continue
            sev: Severity = "high" if ent.label.value in _HIGH_LABELS else "medium"
            if ent.label.value in _LOW_LABELS:
                sev = "low"
            kind: Kind = "quasi_identifier" if ent.label == Label.ADDRESS else "residual_identifier"
            for m in ent.mentions:
                if self._in_mask(m.start, m.end):
                    continue
                if any(f.start < m.end and m.start < f.end for f in existing + out):
                    continue
                desc = _LABEL_WORDS.get(ent.label.value, ent.label.value.lower())
                out.append(
                    Finding(
                        kind,
                        sev,
                        m.start,
                        m.end,
                        f"An unmasked {desc}, found by the detector(s) {', '.join(ent.sources) or 'pipeline'}.",
                        ent.label.value,
                        group=ent.id,
                    )
                )
        return out

    def _partial_masks(self, contexts: list[_MaskContext]) -> list[Finding]:
        text = self.text
        out: list[Finding] = []
        for c in contexts:
            m = c.mask
            # Letters glued to the mask: a stem or ending of the masked word stays visible.
            pre = re.search(r"[^\W\d_]{2,}$", text[max(0, m.start - 40) : m.start])
            post = re.match(r"[^\W\d_]{2,}", text[m.end : m.end + 40])
            for hit, s, e, side in (
                (pre, m.start - len(pre.group()) if pre else 0, m.start, "before"),
                (post, m.end, m.end + len(post.group()) if post else 0, "after"),
            ):
                if hit is None or (side == "after" and hit.group() in {"s", "es"}):
                    continue
                n = e - s
                out.append(
                    Finding(
                        "partial_mask",
                        "high" if n >= 3 else "medium",
                        s,
                        e,
                        f"The mask covers only part of a word: {n} letters of it stay visible {side} the mask.",
                        m.label or "UNKNOWN",
                        m.start,
                        m.end,
                    )
                )
            # Digits next to the mask: the visible part of a card, phone or account number.
            dpost = re.match(r"[ \t.-]?(\d[\d \t.-]*\d|\d)(?![\w])", text[m.end : m.end + 40])
            dpre = re.search(r"(?<![\w])(\d[\d \t.-]*\d|\d)[ \t.-]?$", text[max(0, m.start - 40) : m.start])
            for hit, base in ((dpost, m.end), (dpre, m.start - 40 if m.start >= 40 else 0)):
                if hit is None:
                    continue
                digits = sum(ch.isdigit() for ch in hit.group(1))
                if digits < 2 or (c.age is not None and hit is dpost):
                    continue
                glued = not (
                    text[m.end : m.end + 1] if hit is dpost else text[m.start - 1 : m.start]
                ).isspace()
                if not (glued or m.label in _NUMBER_LABELS or self._in_mask_run(m)):
                    continue  # "the 13 [PERSON] artworks": a number beside a name mask is not its tail
                s, e = base + hit.start(1), base + hit.end(1)
                out.append(
                    Finding(
                        "partial_mask",
                        "high" if digits >= 6 else "medium",
                        s,
                        e,
                        f"{digits} digits of a masked number stay visible next to the mask; "
                        "with a known prefix or issuer they narrow or reveal the number.",
                        m.label or "NUMBER",
                        m.start,
                        m.end,
                    )
                )
            email = re.match(r"@[\w-]+(?:\.[\w-]+)+", text[m.end : m.end + 80])
            if email:
                out.append(
                    Finding(
                        "partial_mask",
                        "medium",
                        m.end,
                        m.end + email.end(),
                        "The domain of a masked e-mail address stays visible; for a small organisation "
                        "it narrows the address to few people.",
                        Label.EMAIL.value,
                        m.start,
                        m.end,
                    )
                )
            # A name part left beside the mask ("Sergei XXX", "XXX Lavrov", "J. XXX").
            if m.label not in (None, Label.PERSON.value) or c.place_like:
                continue
            i = self._tok_before(m.start)
            cands = []
            if i >= 0 and not text[self.toks[i].end : m.start].strip(" \t") and self.toks[i].end < m.start:
                cands.append(self.toks[i])
            j = bisect.bisect_left(self.tok_starts, m.end)
            if (
                j < len(self.toks)
                and not text[m.end : self.toks[j].start].strip(" \t")
                and self.toks[j].start > m.end
            ):
                cands.append(self.toks[j])
            for t in cands:
                if not self._name_part(t):
                    continue
                out.append(
                    Finding(
                        "partial_mask",
                        "high",
                        t.start,
                        t.end,
                        "Part of a masked name stays visible beside the mask (a first, middle or last "
                        "name or an initial); with the context it can identify the person.",
                        Label.PERSON.value,
                        m.start,
                        m.end,
                    )
                )
        return out

    def _in_mask_run(self, m: Mask) -> bool:
        """True when another mask is joined to ``m`` by a separator ("XXXX XXXX 1234")."""
        i = self.masks.index(m)
        prev = self.masks[i - 1] if i > 0 else None
        nxt = self.masks[i + 1] if i + 1 < len(self.masks) else None
        return bool(
            (prev and re.fullmatch(r"[ \t.-]{1,2}", self.text[prev.end : m.start]))
            or (nxt and re.fullmatch(r"[ \t.-]{1,2}", self.text[m.end : nxt.start]))
        )

    def _name_part(self, t: _Tok) -> bool:
        if re.fullmatch(r"[A-Z]\.", t.text):
            return True
        k = t.key
        if not t.cap or not re.fullmatch(r"[^\W\d_][\w'’-]*", t.text) or len(k) < 2:
            return False
        if k in _NOT_NAMES or k in _ROLE_WORDS or k in _titles() or k in _DEPARTMENTS or k in _org_words():
            return False
        if k in _WEEKDAYS_MONTHS or k in _PLACE_NOUNS or _CONTRACTION.search(t.text):
            return False
        if k in self.lower_words and k not in _first_names():
            return False
        votes = self.votes.get(k, set())
        if votes & {"LOC", "ORG", "NORP"} and "PERSON" not in votes:
            return False
        if k in _places() and "PERSON" not in votes:
            return False
        return "PERSON" in votes or k in _first_names() or self._sentence_start(t.start) != t.start

    def _quasi(self, contexts: list[_MaskContext]) -> list[Finding]:
        text = self.text
        out: list[Finding] = []
        mask_by_role: dict[tuple[int, int], Mask] = {}
        for c in contexts:
            if c.role is not None:
                mask_by_role[(c.role.start, c.role.end)] = c.mask
            if c.age is not None and c.person_like:
                s, e = c.age
                out.append(
                    Finding(
                        "quasi_identifier",
                        "medium",
                        s,
                        e,
                        "An exact age is given next to a masked person; with the place and role in the "
                        "text it narrows the candidates to a handful of people.",
                        Label.AGE.value,
                        c.mask.start,
                        c.mask.end,
                    )
                )
        seen: set[tuple[int, int]] = set()
        for i, t in enumerate(self.toks):
            if t.key not in _ROLE_WORDS:
                continue
            role = self._role_from_head(i)
            if (role.start, role.end) in seen:
                continue
            one = role.head in ONE_HOLDER_OFFICES
            few = role.head in FEW_HOLDER_ROLES
            rare = role.head in RARE_OCCUPATIONS
            if not (role.anchored and (one or few or (rare and role.superlative))) and not (
                role.superlative and role.anchored
            ):
                continue
            # A role attached to an unmasked name is reported with the name, not here.
            nxt = bisect.bisect_left(self.tok_starts, role.end)
            if (
                nxt < len(self.toks)
                and not text[role.end : self.toks[nxt].start].strip()
                and self.toks[nxt].cap
                and self._name_ok(self.toks[nxt], voted_person=True)
                and "PERSON" in self.votes.get(self.toks[nxt].key, set())
            ):
                continue
            seen.add((role.start, role.end))
            mask = mask_by_role.get((role.start, role.end))
            if role.superlative:
                sev: Severity = "high"
                why = (
                    f"A superlative ('only', 'first', ...) with the role '{role.head}' tied to a named place "
                    "or organisation describes exactly one person."
                )
            elif one:
                sev = "high"
                why = (
                    f"The office '{role.head}' tied to a named place or organisation is held by one person "
                    "at a time, so the description identifies its holder without a name."
                )
            elif rare and not self._big_place(role):
                sev = "medium"
                why = f"A rare occupation ('{role.head}') tied to a named place narrows to very few people."
            else:
                sev = "medium"
                why = (
                    f"The role '{role.head}' tied to a named place or organisation is shared by few people; "
                    "with the rest of the text it can single one out."
                )
            if mask is not None:
                why += f" It describes the masked person at [{mask.start},{mask.end})."
            out.append(
                Finding(
                    "quasi_identifier",
                    sev,
                    role.start,
                    role.end,
                    why,
                    "ROLE",
                    None if mask is None else mask.start,
                    None if mask is None else mask.end,
                )
            )
        for m in _DOB_RE.finditer(text):
            if self._in_mask(m.start("date"), m.end("date")):
                continue
            exact = bool(
                re.search(
                    r"\d{1,2}\D+\d{1,2}\D+\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2}\b",
                    m.group("date"),
                )
            )
            out.append(
                Finding(
                    "quasi_identifier",
                    "high" if exact else "low",
                    m.start("date"),
                    m.end("date"),
                    "A date of birth: with a place or a sex it identifies most people uniquely."
                    if exact
                    else "A year of birth narrows the candidates, more so with a place or role.",
                    Label.DATE.value,
                )
            )
        for m in _STREET_RE.finditer(text):
            if self._in_mask(m.start(), m.end()):
                continue
            out.append(
                Finding(
                    "quasi_identifier",
                    "high",
                    m.start(),
                    m.end(),
                    "A street address points at one household or building.",
                    Label.ADDRESS.value,
                )
            )
        return out

    def _big_place(self, role: _Role) -> bool:
        words = self.text[role.start : role.end].split()
        return any(_key(w) in _places() for w in words)


_NUMBER_LABELS = frozenset({"PHONE", "CARD", "IBAN", "ID", "IP"})
_HIGH_LABELS = frozenset({"EMAIL", "PHONE", "IBAN", "CARD", "ID", "ADDRESS"})
_LOW_LABELS = frozenset({"LOC", "ORG", "DATE", "NORP", "QUANTITY"})
_LABEL_WORDS = {
    "EMAIL": "e-mail address",
    "PHONE": "phone number",
    "URL": "web address",
    "IP": "IP address",
    "IBAN": "bank account number (IBAN)",
    "CARD": "payment card number",
    "ID": "identity or record number",
    "ADDRESS": "street address",
    "HANDLE": "social-media handle",
    "MISC": "deny-listed term",
    "LOC": "place name",
    "ORG": "organisation name",
    "DATE": "date",
    "AGE": "age",
    "NORP": "nationality or group",
    "QUANTITY": "identifying quantity",
}

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?:in\s+)?\d{{4}})"
)
_DOB_RE = re.compile(
    rf"\b(?:born(?:\s+on|\s+in)?|date\s+of\s+birth|d\.?o\.?b\.?|birth\s*date)\s*[:\-]?\s*(?P<date>{_DATE})",
    re.IGNORECASE,
)
_STREET_RE = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'’.-]*\s+){1,3}"
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Court|Ct\.?|Way|"
    r"Place|Pl\.?|Terrace|Close|Crescent|Highway|Hwy\.?)(?![\w])"
)


# ---------------------------------------------------------------------------------------
# Risk
# ---------------------------------------------------------------------------------------

_KIND_WORDS = {
    "residual_identifier": ("residual identifier", "residual identifiers"),
    "linked_leak": ("linked leak", "linked leaks"),
    "quasi_identifier": ("quasi-identifier", "quasi-identifiers"),
    "partial_mask": ("partial mask", "partial masks"),
}


def _risk(findings: Sequence[Finding]) -> tuple[str, tuple[str, ...]]:
    """``high`` if any high-severity finding or 3+ medium ones; ``medium`` if any medium or
    3+ low ones; else ``low``. The reasons name the counts that set the level."""
    reasons: list[str] = []
    by_sev = {s: [f for f in findings if f.severity == s] for s in ("high", "medium", "low")}
    if by_sev["high"] or len(by_sev["medium"]) >= 3:
        level = "high"
    elif by_sev["medium"] or len(by_sev["low"]) >= 3:
        level = "medium"
    else:
        level = "low"
    leaks = [f for f in findings if f.kind == "linked_leak"]
    if leaks:
        masks = {(f.mask_start, f.mask_end) for f in leaks}
        reasons.append(
            f"{len(leaks)} unmasked mention(s) give away {len(masks)} masked person(s) (linked leaks)"
        )
    for kind in ("residual_identifier", "partial_mask", "quasi_identifier"):
        fs = [f for f in findings if f.kind == kind]
        if not fs:
            continue
        sev = {s: sum(1 for f in fs if f.severity == s) for s in ("high", "medium", "low")}
        detail = ", ".join(f"{n} {s}" for s, n in sev.items() if n)
        labels = sorted({f.label for f in fs})
        reasons.append(f"{len(fs)} {_KIND_WORDS[kind][len(fs) != 1]} ({detail}; labels: {', '.join(labels)})")
    if level == "high" and not by_sev["high"]:
        reasons.append("three or more medium-severity findings together raise the risk to high")
    if not findings:
        reasons.append("no residual identifier, leak, quasi-identifier or partial mask found")
    return level, tuple(reasons)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------

_PIPELINES: dict[Any, Analyzer] = {}


def _pipeline_for(policy: Any) -> Analyzer:
    from .config import resolve_policy
    from .pipeline import Pipeline

    pol = resolve_policy(policy)
    try:
        hash(pol)
    except TypeError:
        return Pipeline(pol, build_operators=False)
    if pol not in _PIPELINES:
        _PIPELINES[pol] = Pipeline(pol, build_operators=False)
    return _PIPELINES[pol]


def audit_text(
    text: str,
    doc_id: str = "doc",
    *,
    policy: Any = None,
    mask_patterns: Sequence[str | re.Pattern[str]] = (),
    pipeline: Analyzer | None = None,
    known_masks: Iterable[tuple[int, int]] = (),
) -> AuditReport:
    """Audit one redacted text and return its :class:`AuditReport`.

    ``policy`` (a :class:`~veil.config.Policy`, preset name or path; default ``pii``) chooses
    the detectors used for residual identifiers; ``pipeline`` replaces them with any object
    that has ``analyze(text, doc_id) -> Document`` (built once, reused across documents).
    ``mask_patterns`` adds mask styles (regexes; a group named ``label`` gives the label).
    ``known_masks`` are offsets known to be replacements even if they look like real text
    (Veil's pseudonyms); see :func:`audit_result`.

    Raises :class:`~veil.errors.VeilError` if detection fails (no partial report), and
    :class:`~veil.errors.ConfigError` for an invalid mask pattern.
    """
    if not isinstance(text, str):
        raise ConfigError(f"document {doc_id}: text must be str, got {type(text).__name__}")
    masks = find_masks(text, mask_patterns, known_masks)
    analyzer = pipeline if pipeline is not None else _pipeline_for(policy)
    try:
        doc = analyzer.analyze(text, doc_id)
    except VeilError:
        raise
    except Exception as exc:
        from .errors import ProcessingError

        raise ProcessingError(
            f"audit analysis failed: {type(exc).__name__}", doc_id=doc_id, stage="audit"
        ) from exc
    try:
        findings = _Auditor(text, doc, masks).run()
    except VeilError:
        raise
    except Exception as exc:
        from .errors import ProcessingError

        raise ProcessingError(f"audit failed: {type(exc).__name__}", doc_id=doc_id, stage="audit") from exc
    risk, reasons = _risk(findings)
    return AuditReport(doc_id, risk, reasons, tuple(findings), masks, text)


def audit_result(result: Result, **kwargs: Any) -> AuditReport:
    """Audit the output of :func:`veil.redact`, treating every replacement as a mask.

    Pseudonyms look like real names; passing their output offsets as ``known_masks`` keeps
    them from being reported as residual names while still checking what is around them.
    """
    known: list[tuple[int, int]] = []
    shift = 0
    for r in sorted(result.replacements, key=lambda r: r.start):
        start = r.start + shift
        known.append((start, start + len(r.new)))
        shift += len(r.new) - (r.end - r.start)
    extra = tuple(kwargs.pop("known_masks", ()))
    return audit_text(result.text, result.doc_id, known_masks=(*known, *extra), **kwargs)


def audit_texts(
    items: Iterable[tuple[str, str]],
    *,
    policy: Any = None,
    mask_patterns: Sequence[str | re.Pattern[str]] = (),
    pipeline: Analyzer | None = None,
) -> list[AuditReport]:
    """Audit ``(doc_id, text)`` pairs with one pipeline; any failure raises (fail closed)."""
    analyzer = pipeline if pipeline is not None else _pipeline_for(policy)
    patterns = _compile_user_patterns(mask_patterns)
    return [
        audit_text(text, doc_id, mask_patterns=[s.pattern for s in patterns], pipeline=analyzer)
        for doc_id, text in items
    ]


def risk_above(risk: str, maximum: str) -> bool:
    """Whether ``risk`` is strictly above ``maximum`` (both from :data:`RISK_LEVELS`)."""
    for r in (risk, maximum):
        if r not in RISK_LEVELS:
            raise ConfigError(f"unknown risk level {r!r}; choose from {', '.join(RISK_LEVELS)}")
    return RISK_LEVELS.index(risk) > RISK_LEVELS.index(maximum)


def summarize(reports: Sequence[AuditReport]) -> dict[str, Any]:
    """A corpus summary: documents per risk level, findings per kind and severity, worst risk."""
    by_risk = {r: 0 for r in RISK_LEVELS}
    by_kind = {k: 0 for k in KINDS}
    by_sev = {s: 0 for s in RISK_LEVELS}
    masks = 0
    for rep in reports:
        by_risk[rep.risk] += 1
        masks += len(rep.masks)
        for f in rep.findings:
            by_kind[f.kind] += 1
            by_sev[f.severity] += 1
    worst = max((r.risk for r in reports), key=RISK_LEVELS.index, default="low")
    return {
        "documents": len(reports),
        "risk": worst,
        "documents_by_risk": by_risk,
        "findings": sum(by_kind.values()),
        "findings_by_kind": by_kind,
        "findings_by_severity": by_sev,
        "masks": masks,
        "high_risk_documents": [r.doc_id for r in reports if r.risk == "high"],
    }


def to_json_dict(reports: Sequence[AuditReport], *, include_text: bool = False) -> dict[str, Any]:
    """The whole ``--format json`` document (schema in ``docs/audit.md``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "veil audit",
        "include_text": include_text,
        "summary": summarize(reports),
        "documents": [r.to_dict(include_text=include_text) for r in reports],
    }


# ---------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------

_KIND_TITLES = {
    "residual_identifier": "residual identifier",
    "linked_leak": "linked leak",
    "quasi_identifier": "quasi-identifier",
    "partial_mask": "partial mask",
}


def render_terminal(reports: Sequence[AuditReport], *, show_text: bool = False, color: bool = False) -> str:
    """A readable report. Without ``show_text`` no document text is printed, only offsets,
    labels and explanations; with it each finding is shown in its sentence, marked »like this«."""

    def style(s: str, fg: str) -> str:
        if not color:
            return s
        import click

        return click.style(s, fg=fg, bold=True)

    colors = {"high": "red", "medium": "yellow", "low": "green"}
    lines: list[str] = []
    for rep in reports:
        lines.append(
            f"{rep.doc_id}: risk {style(rep.risk.upper(), colors[rep.risk])} "
            f"({len(rep.findings)} findings, {len(rep.masks)} masks)"
        )
        for reason in rep.reasons:
            lines.append(f"  - {reason}")
        for kind in ("linked_leak", "residual_identifier", "partial_mask", "quasi_identifier"):
            fs = [f for f in rep.findings if f.kind == kind]
            if not fs:
                continue
            lines.append(f"  {_KIND_TITLES[kind]}s:")
            breaks = _sentence_breaks(rep.text) if show_text else []
            for f in fs:
                mask = "" if f.mask_start is None else f" mask [{f.mask_start},{f.mask_end})"
                lines.append(
                    f"    {style(f.severity.upper().ljust(6), colors[f.severity])} [{f.start},{f.end}) "
                    f"{f.label}{mask} {f.group}".rstrip()
                )
                lines.append(f"           {f.explanation}")
                if show_text:
                    s, e = sentence_bounds(rep.text, f.start, breaks)
                    sent = (
                        rep.text[s : f.start]
                        + "»"
                        + rep.text[f.start : f.end]
                        + "«"
                        + rep.text[f.end : max(e, f.end)]
                    )
                    lines.append(f"           > {' '.join(sent.split())}")
        lines.append("")
    if len(reports) > 1:
        summ = summarize(reports)
        lines.append(
            f"corpus: {summ['documents']} documents, worst risk {summ['risk']}; "
            + ", ".join(f"{n} {r}" for r, n in summ["documents_by_risk"].items())
        )
        lines.append(
            "  findings: " + ", ".join(f"{n} {_KIND_TITLES[k]}" for k, n in summ["findings_by_kind"].items())
        )
    if not show_text:
        lines.append("(identifier text hidden; pass --show-text to see each finding in its sentence)")
    return "\n".join(lines) + "\n"


def render_html(reports: Sequence[AuditReport], *, show_text: bool = False) -> str:
    """One self-contained HTML page that highlights each document by finding kind.

    Without ``show_text`` the characters of every finding are replaced by ``█`` (the page
    shows where and what, not who); masks and the rest of the text are shown as they are.
    """
    from importlib import resources

    template = resources.files("veil.static").joinpath("audit_report.html").read_text("utf-8")
    docs_html = []
    for rep in reports:
        docs_html.append(_doc_html(rep, show_text))
    summ = summarize(reports)
    summary = (
        f"{summ['documents']} document(s); worst risk <b class='risk-{summ['risk']}'>{summ['risk']}</b>; "
        + ", ".join(f"{n} {html.escape(_KIND_TITLES[k])}" for k, n in summ["findings_by_kind"].items())
    )
    return (
        template.replace("{{SUMMARY}}", summary)
        .replace("{{DOCUMENTS}}", "\n".join(docs_html))
        .replace("{{SCHEMA_VERSION}}", SCHEMA_VERSION)
        .replace(
            "{{TEXT_NOTE}}", "shown" if show_text else "hidden (findings blanked; rerun with --show-text)"
        )
    )


def _doc_html(rep: AuditReport, show_text: bool) -> str:
    text = rep.text
    # Paint: finding kinds take precedence over masks; the most severe finding wins.
    paint: list[tuple[str, int] | None] = [None] * len(text)
    for m in rep.masks:
        for i in range(m.start, m.end):
            paint[i] = ("mask", -1)
    for f in sorted(rep.findings, key=lambda f: _SEV_RANK[f.severity]):
        for i in range(f.start, min(f.end, len(text))):
            paint[i] = (f.kind, rep.findings.index(f) + 1)
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and paint[j] == paint[i]:
            j += 1
        chunk = text[i:j]
        p = paint[i]
        if p is None:
            out.append(html.escape(chunk))
        elif p[0] == "mask":
            out.append(f"<span class='mask'>{html.escape(chunk)}</span>")
        else:
            f = rep.findings[p[1] - 1]
            shown = chunk if show_text else "".join("\n" if c == "\n" else "█" for c in chunk)
            title = html.escape(f"F{p[1]} {f.kind} ({f.severity}): {f.explanation}", quote=True)
            out.append(f"<mark class='{p[0]} sev-{f.severity}' title=\"{title}\">{html.escape(shown)}</mark>")
        i = j
    rows = "".join(
        f"<tr class='{f.kind}'><td>F{k}</td><td>{html.escape(_KIND_TITLES[f.kind])}</td>"
        f"<td class='sev-{f.severity}'>{f.severity}</td><td>[{f.start},{f.end})</td>"
        f"<td>{html.escape(f.label)}</td><td>{html.escape(f.explanation)}</td></tr>"
        for k, f in enumerate(rep.findings, 1)
    )
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in rep.reasons)
    return (
        f"<section class='doc'><h2>{html.escape(rep.doc_id)} "
        f"<span class='risk risk-{rep.risk}'>{rep.risk}</span></h2><ul>{reasons}</ul>"
        f"<pre class='text'>{''.join(out)}</pre>"
        f"<table><thead><tr><th>id</th><th>kind</th><th>severity</th><th>offsets</th><th>label</th>"
        f"<th>explanation</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


__all__ = [
    "KINDS",
    "MASK_STYLES",
    "RISK_LEVELS",
    "SCHEMA_VERSION",
    "AuditReport",
    "Finding",
    "Mask",
    "MaskStyle",
    "audit_result",
    "audit_text",
    "audit_texts",
    "find_masks",
    "render_html",
    "render_terminal",
    "risk_above",
    "summarize",
    "to_json_dict",
]


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
