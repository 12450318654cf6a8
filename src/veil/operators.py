"""Operators: what a mention is turned into.

Each operator implements :class:`~veil.protocols.Operator`, is registered as an entry
point (``redact.v1`` ... ``generalize.v1``), takes its options as keywords (the policy's
``[operator_options.<name>]`` table merged with run-time secrets), validates them in
``__init__`` (:class:`~veil.errors.ConfigError`) and is deterministic for a given entity
key. No operator ever returns text equal to or containing the mention it replaces: where
a random draw could collide, it is re-drawn; where it cannot be avoided, the operator
raises :class:`~veil.errors.OperatorError` (the pipeline also checks, and fails closed).

=============  =========================================  ===============================
operator       output for "Ada Byron" (PERSON, entity 1)  options
=============  =========================================  ===============================
``redact``     ``[REDACTED]``                             ``token``
``tag``        ``[PERSON]``                               ``format``
``pseudonym``  ``[PERSON_1]``                             ``format``
``surrogate``  ``Laura Jensen`` (same per entity)         ``key``/``key_file``, ``locale``
``hash``       ``[PERSON:3f9a0c51d2e4]``                  ``key``/``key_file`` (required),
                                                          ``length``
``encrypt``    ``⟦PERSON:AXd0...⟧`` (see :func:`restore`)  ``key``/``key_file`` (required)
``generalize`` refused (DATE and AGE only): date -> year,   ``date``
               age -> band
=============  =========================================  ===============================

Keys are never shown: every ``repr`` writes ``key=[secret]``.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import hmac
import random
import re
import string
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from os import PathLike
from typing import TYPE_CHECKING, ClassVar, Literal
from urllib.parse import urlsplit

from .detect.lexicon import FEMALE_TITLES, MALE_TITLES
from .errors import ConfigError, InputError, OperatorError
from .keys import Key, coerce_key, load_key
from .model import Label
from .protocols import Target

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV
    from faker import Faker

    from .detect.dates import ParsedDate

# How many times an operator re-draws before giving up (each draw is deterministic).
_ATTEMPTS = 16


# -- option helpers ----------------------------------------------------------------------


def _reject_unknown(op: str, unknown: Mapping[str, object], allowed: Iterable[str]) -> None:
    if unknown:
        names = ", ".join(sorted(map(repr, unknown)))
        raise ConfigError(
            f"unknown option(s) {names} for operator {op!r}; allowed: {', '.join(sorted(allowed)) or '(none)'}"
        )


def _key_option(op: str, key: object, key_file: object, *, required: bool) -> Key | None:
    if key is not None and key_file is not None:
        raise ConfigError(f"operator {op!r}: give either 'key' or 'key_file', not both")
    if key_file is not None:
        if not isinstance(key_file, str | PathLike) or not str(key_file):
            raise ConfigError(f"operator {op!r}: 'key_file' must be a path")
        return load_key(str(key_file))
    if key is not None:
        return coerce_key(key, f"operator {op!r} option 'key'")
    if required:
        raise ConfigError(
            f"operator {op!r} needs a secret key and none was given "
            "(create a key file with 'veil keygen -o veil.key')"
        )
    return None


def _check_format(op: str, fmt: object, *, require_number: bool) -> str:
    if not isinstance(fmt, str) or not fmt.strip():
        raise ConfigError(f"operator {op!r}: 'format' must be a non-empty string")
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(fmt) if f is not None}
    except ValueError as exc:
        raise ConfigError(f"operator {op!r}: invalid 'format': {exc}") from None
    unknown = fields - {"label", "number"}
    if unknown:
        raise ConfigError(
            f"operator {op!r}: 'format' may only use {{label}} and {{number}}, not {sorted(unknown)}"
        )
    if require_number and "number" not in fields:
        raise ConfigError(f"operator {op!r}: 'format' must contain {{number}} so entities stay distinct")
    try:
        sample = fmt.format(label="PERSON", number=1)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise ConfigError(f"operator {op!r}: invalid 'format': {type(exc).__name__}") from None
    if not sample.strip():
        raise ConfigError(f"operator {op!r}: 'format' renders to blank text")
    return fmt


def _contains(original: str, new: str) -> bool:
    """True if ``new`` would reveal ``original`` (equal, or containing it, ignoring case)."""
    o = original.strip().casefold()
    if not o:  # a blank mention reveals nothing, unless returned as is
        return new == original
    return o in new.casefold()


# -- simple operators --------------------------------------------------------------------


class RedactOperator:
    """Replace every mention with one fixed token (option ``token``, default ``[REDACTED]``).

    ``token = "XXX"`` reproduces the style of the seed article.
    """

    name: ClassVar[str] = "redact"

    def __init__(self, *, token: str = "[REDACTED]", **unknown: object) -> None:  # noqa: S107 - not a password
        _reject_unknown(self.name, unknown, ("token",))
        if not isinstance(token, str) or not token.strip():
            raise ConfigError("operator 'redact': 'token' must be a non-blank string")
        self.token = token

    def apply(self, target: Target) -> str:
        return self.token

    def __repr__(self) -> str:
        return f"RedactOperator(token={self.token!r})"


class TagOperator:
    """Replace a mention with its label, ``[PERSON]`` (option ``format``, default ``[{label}]``)."""

    name: ClassVar[str] = "tag"

    def __init__(self, *, format: str = "[{label}]", **unknown: object) -> None:
        _reject_unknown(self.name, unknown, ("format",))
        self.format = _check_format(self.name, format, require_number=False)

    def apply(self, target: Target) -> str:
        return self.format.format(label=target.label.value, number=target.number)

    def __repr__(self) -> str:
        return f"TagOperator(format={self.format!r})"


class PseudonymOperator:
    """Replace a mention with a numbered placeholder, ``[PERSON_1]`` (the default operator).

    Every mention of one entity gets the same number (``target.number``), so the text still
    says who did what. Option ``format`` (default ``[{label}_{number}]``) must use ``{number}``.
    """

    name: ClassVar[str] = "pseudonym"

    def __init__(self, *, format: str = "[{label}_{number}]", **unknown: object) -> None:
        _reject_unknown(self.name, unknown, ("format",))
        self.format = _check_format(self.name, format, require_number=True)

    def apply(self, target: Target) -> str:
        return self.format.format(label=target.label.value, number=target.number)

    def __repr__(self) -> str:
        return f"PseudonymOperator(format={self.format!r})"


# -- hash --------------------------------------------------------------------------------


class HashOperator:
    """Replace a mention with a keyed digest of its entity, ``[PERSON:3f9a0c51d2e4]``.

    HMAC-SHA256 under a sub-key derived from the user's secret (option ``key``: bytes or
    str of at least 16 bytes, or ``key_file``; required, so there is never an unsalted,
    dictionary-attackable hash). The digest is taken over the entity's stable ``key`` and
    label, not over the mention: every mention of one entity ("Ada Byron", "Byron") gets the
    same output, which is what lets a reader (and a later join) link them. That linkage is
    intentional; use ``pseudonym`` or ``redact`` when even that should not be visible.
    ``length`` is the number of hex digits shown (8-64, default 12).
    """

    name: ClassVar[str] = "hash"

    def __init__(
        self, *, key: object = None, key_file: object = None, length: int = 12, **unknown: object
    ) -> None:
        _reject_unknown(self.name, unknown, ("key", "key_file", "length"))
        secret = _key_option(self.name, key, key_file, required=True)
        if secret is None:  # pragma: no cover - required=True raises instead
            raise ConfigError("operator 'hash' needs a key")
        if not isinstance(length, int) or isinstance(length, bool) or not 8 <= length <= 64:
            raise ConfigError("operator 'hash': 'length' must be an integer from 8 to 64")
        self._mac_key = secret.derive("veil.hash.v1")
        self.length = length

    def apply(self, target: Target) -> str:
        label = target.label.value
        for attempt in range(_ATTEMPTS):
            # The attempt counter only changes the output when the digest happens to contain
            # the mention itself (a short, hex-looking mention such as "ab12").
            msg = b"\x00".join(
                (label.encode(), target.key.encode("utf-8", "surrogatepass"), str(attempt).encode())
            )
            digest = hmac.new(self._mac_key, msg, hashlib.sha256).hexdigest()[: self.length]
            out = f"[{label}:{digest}]"
            if target.text not in out and not _contains(target.text, digest):
                return out
        raise OperatorError(f"hash of a {label} mention always contained the mention")

    def __repr__(self) -> str:
        return f"HashOperator(key=[secret], length={self.length})"


# -- encrypt / restore -------------------------------------------------------------------

OPEN_MARK = "\u27e6"  # ⟦ MATHEMATICAL LEFT WHITE SQUARE BRACKET
CLOSE_MARK = "\u27e7"  # ⟧
#: An ``encrypt`` token: ``⟦LABEL:payload⟧`` with a URL-safe base64 payload (no padding).
TOKEN_RE = re.compile(
    # Built-in labels and labels a policy declares (upper-case identifiers).
    OPEN_MARK + r"([A-Z][A-Z0-9_]{0,39}):([A-Za-z0-9_-]{24,})" + CLOSE_MARK
)
_SIV_DOMAIN = b"veil.encrypt.v1"


def _known_label(name: str) -> bool:
    try:
        Label(name)
    except ValueError:
        return False
    return True


def _siv(key: Key) -> AESSIV:
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    return AESSIV(key.derive("veil.encrypt.v1", 64))  # AES-256-SIV


def _seal(siv: AESSIV, text: str, label: Label, attempt: int) -> str:
    ct = siv.encrypt(
        text.encode("utf-8", "surrogatepass"), [_SIV_DOMAIN, label.value.encode(), bytes([attempt])]
    )
    payload = base64.urlsafe_b64encode(bytes([attempt]) + ct).decode("ascii").rstrip("=")
    return f"{OPEN_MARK}{label.value}:{payload}{CLOSE_MARK}"


class _BadToken(Exception):
    pass


def _open(siv: AESSIV, label: str, payload: str) -> str:
    from cryptography.exceptions import InvalidTag

    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise _BadToken from None
    if len(raw) < 18:
        raise _BadToken
    try:
        plain = siv.decrypt(raw[1:], [_SIV_DOMAIN, label.encode(), raw[:1]])
    except InvalidTag:
        raise _BadToken from None
    try:
        return plain.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:  # authentic but not text: cannot happen with Veil's own tokens
        raise _BadToken from None


class EncryptOperator:
    """Replace a mention with a reversible token, ``⟦PERSON:<base64url>⟧``.

    AES-256-SIV (deterministic authenticated encryption) of the **mention text** under a
    sub-key of the user's secret (``key`` or ``key_file``, required), with the label as
    associated data. Because SIV is deterministic, equal mentions of one label give equal
    tokens, so a reader can still see that "Byron" recurs, and :func:`restore` gives back
    each mention exactly. What a token reveals without the key: the label, that two mentions
    are equal, and the mention's length in UTF-8 bytes (roughly, via the token length).

    The delimiters ``⟦ ⟧`` (U+27E6/U+27E7) are practically absent from prose; :func:`restore`
    treats anything that starts like a token (``⟦``, an upper-case word, ``:``) as one, and a
    token that is broken or does not authenticate fails the whole restore (no partial
    output). A token is bound to its mention's text and label, not to its position: swapping
    or moving tokens is not detected.
    """

    name: ClassVar[str] = "encrypt"

    def __init__(self, *, key: object = None, key_file: object = None, **unknown: object) -> None:
        _reject_unknown(self.name, unknown, ("key", "key_file"))
        secret = _key_option(self.name, key, key_file, required=True)
        if secret is None:  # pragma: no cover - required=True raises instead
            raise ConfigError("operator 'encrypt' needs a key")
        self._siv = _siv(secret)

    def apply(self, target: Target) -> str:
        if not target.text:
            raise OperatorError(f"cannot encrypt an empty {target.label.value} mention")
        for attempt in range(_ATTEMPTS):
            # A one- or two-character mention may appear inside the base64 payload by chance;
            # the attempt byte (stored in the token) gives a different, still restorable token.
            token = _seal(self._siv, target.text, target.label, attempt)
            if target.text not in token:
                return token
        raise OperatorError(f"every token for a {target.label.value} mention contained the mention")

    def __repr__(self) -> str:
        return "EncryptOperator(key=[secret])"


def count_tokens(text: str) -> int:
    """How many ``encrypt`` tokens ``text`` contains."""
    return sum(1 for _ in TOKEN_RE.finditer(text))


#: Text that starts like a token: the open mark, an upper-case word and a colon. Everything
#: it matches must restore, or :func:`restore` fails.
_TOKEN_LIKE = re.compile(
    OPEN_MARK + r"(?P<label>[A-Z][A-Z0-9_]*):(?P<payload>[A-Za-z0-9_-]*)(?P<close>" + CLOSE_MARK + ")?"
)
_LABELS = frozenset(label.value for label in Label)


def _malformed(m: re.Match[str]) -> str | None:
    """Why a token-like match is not a token (never quoting it), or ``None``."""
    if m.group("label") not in _LABELS and not _known_label(m.group("label")):
        return "unknown label"  # neither built in nor declared by a policy in this process
    if m.group("close") is None:
        rest = m.string[m.end() : m.end() + 1]
        return f"no closing {CLOSE_MARK}" if not rest or rest.isspace() else "payload is not base64url"
    if not m.group("payload"):
        return "empty payload"
    if len(m.group("payload")) < 24:
        return "payload too short"
    return None


def restore(text: str, key: Key | bytes | str) -> str:
    """Decrypt every ``encrypt`` token in ``text`` and return the original text.

    All or nothing. Any text that starts like a token (``⟦``, an upper-case word, ``:``) must
    be a whole token that opens with ``key``: an unknown label, a payload that is empty, too
    short or not base64url, or a missing ``⟧`` is an :class:`InputError` naming the offset
    and the reason of the first one. When no token opens with ``key`` the error is a
    :class:`ConfigError` (wrong key); when some open and others do not it is an
    :class:`InputError` naming the offset and label of the first bad token (the text was
    altered). Text without tokens is returned unchanged.

    A token is bound to its entity (the text and the label), not to its position: two valid
    tokens swapped, moved or copied within a text, or between texts encrypted with the same
    key, restore without error to their mentions in the new places.
    """
    siv = _siv(coerce_key(key, "restore"))
    out: list[str] = []
    pos = 0
    opened = 0
    bad: list[tuple[int, str]] = []
    malformed: list[tuple[int, str]] = []
    for m in _TOKEN_LIKE.finditer(text):
        problem = _malformed(m)
        if problem is not None:
            malformed.append((m.start(), problem))
            continue
        try:
            plain = _open(siv, m.group("label"), m.group("payload"))
        except _BadToken:
            bad.append((m.start(), m.group("label")))
            continue
        out.append(text[pos : m.start()])
        out.append(plain)
        pos = m.end()
        opened += 1
    if malformed:
        offset, problem = malformed[0]
        raise InputError(
            f"{len(malformed)} place(s) start like an encrypt token but are not one, first at offset "
            f"{offset} ({problem}): the text was altered or truncated; nothing was restored"
        )
    if bad:
        offset, label = bad[0]
        if not opened:
            raise ConfigError(
                f"the key opens none of the {len(bad)} token(s) (first at offset {offset}); "
                "is it the key the text was encrypted with?"
            )
        raise InputError(
            f"{len(bad)} token(s) failed authentication, first at offset {offset} ({label}): "
            "the text was altered or mixes keys; nothing was restored"
        )
    out.append(text[pos:])
    return "".join(out)


# -- dates -------------------------------------------------------------------------------

Granularity = Literal["day", "monthday", "month", "year"]

# (strptime format, granularity). %B/%b/%A use the C locale's English names.
_DATE_FORMATS: tuple[tuple[str, Granularity], ...] = (
    ("%Y-%m-%d", "day"),
    ("%Y/%m/%d", "day"),
    ("%d.%m.%Y", "day"),
    ("%m/%d/%Y", "day"),
    ("%d/%m/%Y", "day"),
    ("%m-%d-%Y", "day"),
    ("%d-%m-%Y", "day"),
    ("%m/%d/%y", "day"),
    ("%d/%m/%y", "day"),
    ("%B %d, %Y", "day"),
    ("%B %d %Y", "day"),
    ("%b %d, %Y", "day"),
    ("%b %d %Y", "day"),
    ("%b. %d, %Y", "day"),
    ("%d %B %Y", "day"),
    ("%d %B, %Y", "day"),
    ("%d %b %Y", "day"),
    ("%d %b. %Y", "day"),
    ("%A, %B %d, %Y", "day"),
    ("%A %B %d, %Y", "day"),
    ("%B %d", "monthday"),
    ("%b %d", "monthday"),
    ("%b. %d", "monthday"),
    ("%d %B", "monthday"),
    ("%B %Y", "month"),
    ("%B, %Y", "month"),
    ("%b %Y", "month"),
    ("%b. %Y", "month"),
    ("%Y-%m", "month"),
    ("%m/%Y", "month"),
    ("%Y", "year"),
)
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class _ParsedDate:
    value: date
    fmt: str
    granularity: Granularity
    ordinal: bool
    padded: bool
    ambiguous: bool  # day and month could be swapped (03/04/2021)


def _parse_date(text: str) -> _ParsedDate | None:
    cleaned = " ".join(text.strip().strip(",;:").split())
    if cleaned.lower().startswith("the "):
        cleaned = cleaned[4:]
    ordinal = bool(_ORDINAL.search(cleaned))
    cleaned = _ORDINAL.sub(r"\1", cleaned)
    cleaned = re.sub(r"(?<=\d) of (?=[A-Za-z])", " ", cleaned)  # "3rd of March 2021"
    cleaned = re.sub(r"^(?:of|on|in) ", "", cleaned, flags=re.IGNORECASE)
    found: list[tuple[date, str, Granularity]] = []
    for fmt, gran in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        found.append((parsed, fmt, gran))
    if not found:
        return None
    value, fmt, gran = found[0]
    ambiguous = any(g == gran and d.month != value.month for d, _, g in found[1:])
    padded = re.search(r"(?<!\d)0\d(?!\d)", cleaned) is not None
    return _ParsedDate(value, fmt, gran, ordinal, padded, ambiguous)


def _parse_any_date(text: str) -> ParsedDate | None:
    from .detect.dates import parse

    return parse(text)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _render_date(p: _ParsedDate, value: date) -> str:
    day = _ordinal(value.day) if p.ordinal else (f"{value.day:02d}" if p.padded else str(value.day))
    month = f"{value.month:02d}" if p.padded else str(value.month)
    fmt = p.fmt.replace("%d", day).replace("%m", month)
    return value.strftime(fmt)


# -- generalize --------------------------------------------------------------------------

_AGE_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")


class GeneralizeOperator:
    """Replace a mention with a coarser value: dates -> year, ages -> 10-year band.

    * DATE and DOB: the year (``"2021"``), or with ``date = "month"`` the month and year
      (``"March 2021"``); a day/month order that is ambiguous (``03/04/2021``) gives the
      year. Dates are parsed with the stdlib (ISO, US, European and written-out formats),
      then with ``python-dateutil`` ("Thu, 6 Jun 2024"), then as a lone year ("8-12
      January 2024"); what cannot be parsed ("last Thursday") becomes ``[DATE]``. A value that is already
      as coarse as asked for goes one level up (month -> year -> decade ``"2010s"``).
    * AGE: each number becomes its band, ``"63-year-old"`` -> ``"60-69-year-old"``; text
      without digits becomes ``[AGE]``.

    It handles only :attr:`labels`; a policy mapping another label to it is refused at
    load time (:func:`veil.config.check_operator_labels`).

    When the coarse value would still contain the mention (age 60 -> ``60-69``; the year
    2010 -> ``2010s``) the operator writes ``[AGE]`` / ``[DATE]`` instead, because the
    pipeline refuses any output containing the original. This tells a reader the value
    was at a band edge, a small leak traded for never failing the document.
    """

    name: ClassVar[str] = "generalize"
    #: The labels this operator can coarsen (see :func:`veil.config.check_operator_labels`).
    labels: ClassVar[frozenset[Label]] = frozenset({Label.DATE, Label.DOB, Label.AGE})

    def __init__(self, *, date: str = "year", **unknown: object) -> None:
        _reject_unknown(self.name, unknown, ("date",))
        if date not in ("year", "month"):
            raise ConfigError("operator 'generalize': 'date' must be \"year\" or \"month\"")
        self.date = date

    def apply(self, target: Target) -> str:
        if target.label in (Label.DATE, Label.DOB):
            out = self._date(target.text)
        elif target.label is Label.AGE:
            out = self._age(target.text)
        else:
            out = f"[{target.label.value}]"
        if target.text.strip() and target.text in out:  # only a mention like "DAT" or "["
            raise OperatorError(f"the generalized {target.label.value} value contains the mention")
        return out

    def _date(self, text: str) -> str:
        p = _parse_date(text)
        candidates: list[str] = []
        if p is not None:
            d = p.value
            if p.granularity == "monthday":
                if self.date == "month":
                    candidates.append(calendar.month_name[d.month])
            else:
                if self.date == "month" and p.granularity != "year" and not p.ambiguous:
                    candidates.append(f"{calendar.month_name[d.month]} {d.year}")
                candidates += [str(d.year), f"{d.year // 10 * 10}s"]
        elif (q := _parse_any_date(text)) is not None:
            # Any other form the detectors find ("Thu, 6 Jun 2024", "22nd January 1995").
            d = q.value
            if not q.has_year:
                if self.date == "month" and q.has_day:
                    candidates.append(calendar.month_name[d.month])
            else:
                if self.date == "month" and q.has_day and not q.ambiguous:
                    candidates.append(f"{calendar.month_name[d.month]} {d.year}")
                candidates += [str(d.year), f"{d.year // 10 * 10}s"]
        else:
            years = _YEAR.findall(text)
            if len(set(years)) == 1:  # "the summer of 2014", "early 2014", "8-12 January 2024"
                y = int(years[0])
                candidates += [str(y), f"{y // 10 * 10}s"]
        for candidate in candidates:
            if not _contains(text, candidate):
                return candidate
        return "[DATE]"

    @staticmethod
    def _age(text: str) -> str:
        def band(m: re.Match[str]) -> str:
            n = int(m.group(1))
            if n > 130:
                return m.group(1)  # not an age; left for the containment check below
            low = n // 10 * 10
            return f"{low}-{low + 9}"

        if not _AGE_NUMBER.search(text):
            return "[AGE]"
        out = _AGE_NUMBER.sub(band, text)
        return "[AGE]" if _contains(text, out) else out

    def __repr__(self) -> str:
        return f"GeneralizeOperator(date={self.date!r})"


# -- surrogate ---------------------------------------------------------------------------

_PUBLIC_SALT = b"veil.surrogate.v1: public built-in salt, not a secret"

_TITLES = (
    MALE_TITLES
    | FEMALE_TITLES
    | frozenset(
        "mx dr prof professor president vice prime minister premier senator sen rep representative "
        "governor gov mayor judge justice chief general gen colonel col major maj captain capt "
        "lieutenant lt sergeant sgt officer detective det inspector constable reverend rev pastor "
        "bishop archbishop cardinal rabbi imam sheikh saint st secretary chancellor ambassador "
        "commissioner director coach doctor nurse agent attorney speaker deputy foreign defense "
        "defence interior finance home health education state the".split()
    )
)
_SUFFIXES = frozenset("jr sr ii iii iv phd md esq".split())
_KEPT = _TITLES | _SUFFIXES  # words of a PERSON mention that are kept as they are
_NAME_TOKEN = re.compile(r"^(?P<pre>[^\w]*)(?P<core>[^\W\d_](?:[\w'’.-]*[^\W\d_])?)(?P<tail>.*)$", re.DOTALL)
_POSSESSIVE = re.compile(r"^(?P<core>.+?)(?P<poss>['’]s?)$")  # ^: used with .match; linear under finditer too
# One name word inside a whitespace token: letters, with inner apostrophes ("O'Brien").
# Everything else separates words: "Smith/Jones", "MacDonald-Smith", "Smith,Jones".
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")


def _gender_lists() -> tuple[frozenset[str], frozenset[str]]:
    from faker.providers.person.en_US import Provider as US

    return (
        frozenset(n.casefold() for n in US.first_names_male),
        frozenset(n.casefold() for n in US.first_names_female),
    )


def _match_case(template: str, value: str) -> str:
    letters = [c for c in template if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return value.upper()
    if letters and all(c.islower() for c in letters):
        return value.lower()
    return value


def _split_token(token: str) -> tuple[str, str, str] | None:
    m = _NAME_TOKEN.match(token)
    if not m:
        return None
    pre, core, tail = m.group("pre"), m.group("core"), m.group("tail")
    if core.endswith(".") and len(core) > 2:  # "Jr." or "Smith." at a sentence end
        core, tail = core[:-1], "." + tail
    poss = _POSSESSIVE.match(core)
    if poss and len(poss.group("core")) > 1 and poss.group("poss") in ("'s", "’s"):
        core, tail = poss.group("core"), poss.group("poss") + tail
    return pre, core, tail


def _is_initial(core: str) -> bool:
    return len(core.rstrip(".")) == 1


def _name_tokens(text: str) -> list[str]:
    """The name words of ``text``: without titles, suffixes, punctuation or possessives."""
    out = []
    for token in text.split():
        parts = _split_token(token)
        if parts is None:
            continue
        core = parts[1].rstrip(".")
        if core.casefold() in _TITLES or core.casefold() in _SUFFIXES:
            continue
        out.append(core)
    return out


def _name_parts(text: str) -> set[str]:
    """Every letter run of 2+ letters in ``text`` that is not a title or suffix, case-folded.

    These must not survive in a PERSON surrogate: "MacDonald-Smith" gives {"macdonald",
    "smith"}, "O'Brien" gives {"brien"}.
    """
    words = {w.casefold() for w in _LETTERS.findall(text) if len(w) >= 2}
    return words - _TITLES - _SUFFIXES


def _survives(parts: set[str], out: str) -> bool:
    """True if a word of ``out`` equals one of the original name ``parts``."""
    return any(w.casefold() in parts for w in _LETTERS.findall(out))


@dataclass(frozen=True, slots=True)
class _FakePerson:
    first: str
    middle: str
    last: str
    # For the further words of one token: "Anne-Marie" -> first + more_first[0],
    # "MacDonald-Smith" -> last + more_last[0] (cycled when a token has more words).
    more_first: tuple[str, ...]
    more_last: tuple[str, ...]


class SurrogateOperator:
    """Replace a mention with a realistic fake value (Faker), the same for every mention of an entity.

    Faker is seeded with an HMAC of the entity's ``key`` and label, so one entity always gets
    the same surrogate, in every document and every run. With option ``key`` (or
    ``key_file``) the mapping is secret; **without a key a fixed built-in salt is used, and
    anyone with Veil can recompute the surrogate of a guessed name** -- fine for readable
    test data, not for secrecy. Option ``locale`` (default ``en_US``) picks Faker's locale.

    PERSON: one fake full name per entity. A ``first``/``last`` mention gets the fake first
    name/surname; initials keep their style ("J. Varga" -> "K. Smith"); ALL CAPS and lower
    case are kept; titles ("Dr.", "Foreign Minister") are kept; gender follows the original
    first name when it is in Faker's male or female first-name lists, or a gendered title.
    Every name word is replaced, including the words of "Smith/Jones" and "MacDonald-Smith";
    a fake part equal to any original part is re-drawn, and if an original name word would
    still survive, the mention becomes ``[PERSON_n]`` instead.

    Other labels keep their shape: PHONE keeps separators, digit count, country code and a
    trunk "0"; CARD keeps grouping, length and the first digit and has a valid Luhn digit;
    IBAN keeps country, length and grouping with valid check digits (the national part is
    random, so country-specific bank checks may fail); EMAIL uses reserved ``example.*``
    domains; URL keeps scheme, ``www.`` and the presence of a path; IP keeps v4/v6; ID keeps
    every character that is not a digit or ASCII letter, and letter case; QUANTITY gets new
    digits (words stay: "1.5 million" -> "7.2 million"); AGE moves by 1-5
    years. DATE: **a random other day in the same year** (same format), so year-level
    statistics survive but intervals between dates do not; a month becomes another month of
    that year, a year moves by 1-5 years, and an unparsable date becomes ``[DATE]``. ORG ->
    Faker company, LOC -> Faker city, ADDRESS -> Faker street address. NORP and MISC have
    no realistic generator and become ``[NORP_1]``-style pseudonyms.
    """

    name: ClassVar[str] = "surrogate"

    def __init__(
        self, *, key: object = None, key_file: object = None, locale: str = "en_US", **unknown: object
    ) -> None:
        _reject_unknown(self.name, unknown, ("key", "key_file", "locale"))
        secret = _key_option(self.name, key, key_file, required=False)
        self._keyed = secret is not None
        self._seed_key = secret.derive("veil.surrogate.v1") if secret is not None else _PUBLIC_SALT
        if not isinstance(locale, str) or not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", locale):
            raise ConfigError("operator 'surrogate': 'locale' must look like 'en_US'")
        from faker import Faker
        from faker.config import AVAILABLE_LOCALES

        if locale not in AVAILABLE_LOCALES:
            raise ConfigError(f"operator 'surrogate': Faker has no locale {locale!r}")
        self.locale = locale
        self._faker: Faker = Faker(locale)
        self._male, self._female = _gender_lists()
        self._lock = threading.Lock()
        self._people: dict[tuple[str, int], _FakePerson] = {}

    def __repr__(self) -> str:
        key = "[secret]" if self._keyed else "None (built-in public salt)"
        return f"SurrogateOperator(key={key}, locale={self.locale!r})"

    # seeded randomness -----------------------------------------------------------------

    def _seed(self, label: Label, key: str, attempt: int, purpose: str = "") -> int:
        msg = "\x00".join((label.value, key, str(attempt), purpose)).encode("utf-8", "surrogatepass")
        return int.from_bytes(hmac.new(self._seed_key, msg, hashlib.sha256).digest()[:8], "big")

    def _with_faker(self, seed: int, draw: Callable[[Faker], str]) -> str:
        with self._lock:
            self._faker.seed_instance(seed)
            return draw(self._faker)

    # apply -----------------------------------------------------------------------------

    def apply(self, target: Target) -> str:
        label = target.label
        person = label is Label.PERSON
        parts = _name_parts(target.text) | _name_parts(target.canonical) if person else set()
        for attempt in range(_ATTEMPTS):
            seed = self._seed(label, target.key, attempt)
            if attempt < _ATTEMPTS // 2:
                out = self._draw(target, attempt, seed)
            elif person:  # a name word keeps surviving: the pseudonym below, not a name
                break
            else:  # the shaped draw keeps hitting the mention ("0" as a PHONE): scramble it
                out = _shape_preserving(target.text, random.Random(seed))
            if not _contains(target.text, out) and not (person and _survives(parts, out)):
                return out
        # Not a name: the pseudonym, or a plainer token when the mention is in it ("_").
        for fallback in (f"[{label.value}_{target.number}]", f"[{label.value}]", "[REDACTED]"):
            if not _contains(target.text, fallback) and not (person and _survives(parts, fallback)):
                return fallback
        raise OperatorError(f"no surrogate for a {label.value} mention differed from the mention")

    def _draw(self, t: Target, attempt: int, seed: int) -> str:
        label, text = t.label, t.text
        rng = random.Random(seed)
        if label is Label.PERSON:
            return self._person_mention(t, attempt)
        if label is Label.EMAIL:
            prefix = "mailto:" if text.lower().startswith("mailto:") else ""
            return prefix + self._with_faker(seed, lambda f: f"{f.user_name()}@{f.safe_domain_name()}")
        if label is Label.PHONE:
            return _fake_phone(text, rng)
        if label is Label.CARD:
            return _fake_card(text, rng)
        if label is Label.IBAN:
            return _fake_iban(text, rng)
        if label is Label.URL:
            return self._url(text, seed)
        if label is Label.IP:
            return self._with_faker(seed, lambda f: f.ipv6() if ":" in text else f.ipv4())
        if label is Label.HANDLE:
            prefix = text[0] if text[:1] in ("@", "#") else ""
            return prefix + self._with_faker(seed, lambda f: f.user_name())
        if label is Label.ID:
            return _shape_preserving(text, rng)
        if label is Label.QUANTITY:
            return (
                _shape_preserving(text, rng, letters=False)
                if any(c.isdigit() for c in text)
                else "[QUANTITY]"
            )
        if label is Label.AGE:
            return _fake_age(text, rng)
        if label in (Label.DATE, Label.DOB):
            return _fake_date(text, rng)
        if label is Label.ADDRESS:
            return self._address(text, seed)
        if label is Label.ORG:
            return self._named(t, self._with_faker(seed, lambda f: f.company()))
        if label is Label.LOC:
            return self._named(t, self._with_faker(seed, lambda f: f.city()))
        return f"[{label.value}_{t.number}]"

    def _named(self, t: Target, fake: str) -> str:
        # Acronyms ("AP", "U.N.", or "AP" of "Associated Press") become an acronym of the fake
        # with as many letters; longer ALL-CAPS words ("KYIV") are names and stay names.
        text = t.text.strip()
        letters = [c for c in text if c.isalpha()]
        dotted = bool(re.fullmatch(r"(?:[^\W\d_]\.){2,}", text))
        longer = len(t.canonical.split()) > 1
        if (
            letters
            and text.isupper()
            and " " not in text
            and (dotted or len(letters) <= 3 or (longer and len(letters) <= 6))
        ):
            initials = [w[0].upper() for w in re.split(r"[^A-Za-z]+", fake) if w]
            while len(initials) < len(letters):
                initials.append(initials[len(initials) % max(len(initials), 1)] if initials else "X")
            initials = initials[: len(letters)]
            return "".join(c + "." for c in initials) if dotted else "".join(initials)
        return _match_case(t.text, fake)

    def _url(self, text: str, seed: int) -> str:
        has_scheme = "://" in text
        try:
            parts = urlsplit(text if has_scheme else "//" + text)
            scheme, host, path = parts.scheme, parts.netloc or text.split("/")[0], parts.path
        except ValueError:  # not parseable as a URL ("[" alone): draw a plain one
            scheme, host, path = "https", "", ""

        def draw(f: Faker) -> str:
            out = (scheme + "://") if has_scheme else ""
            out += ("www." if host.lower().startswith("www.") else "") + f.domain_name()
            if path and path != "/":
                out += "/" + f.uri_path()
            elif path == "/":
                out += "/"
            return out

        return self._with_faker(seed, draw)

    def _address(self, text: str, seed: int) -> str:
        def draw(f: Faker) -> str:
            out = f.street_address()
            if "," in text or "\n" in text:
                sep = "\n" if "\n" in text else ", "
                out += f"{sep}{f.city()}, {f.state_abbr()} {f.postcode()}"
            return out

        return self._with_faker(seed, draw)

    # persons ---------------------------------------------------------------------------

    def _gender(self, canonical: str) -> str | None:
        for token in canonical.split():
            parts = _split_token(token)
            if parts is None:
                continue
            word = parts[1].rstrip(".").casefold()
            if word in MALE_TITLES:
                return "male"
            if word in FEMALE_TITLES:
                return "female"
        names = [n for n in _name_tokens(canonical) if not _is_initial(n)]
        if len(names) >= 2 or (names and self._is_first_name(names[0])):
            first = names[0].casefold()
            male, female = first in self._male, first in self._female
            if male != female:
                return "male" if male else "female"
        return None

    def _is_first_name(self, word: str) -> bool:
        w = word.casefold()
        return w in self._male or w in self._female

    def _fake_person(self, t: Target, attempt: int) -> _FakePerson:
        cache_key = (t.key, attempt)
        cached = self._people.get(cache_key)
        if cached is not None:
            return cached
        gender = self._gender(t.canonical)
        names = _name_tokens(t.canonical)
        originals = {n.casefold() for n in names} | _name_parts(t.canonical)
        initials = {n[0].casefold() for n in names if n}
        person = None
        for redraw in range(_ATTEMPTS):
            seed = self._seed(Label.PERSON, t.key, attempt, f"person{redraw}")

            def draw(f: Faker, g: str | None = gender) -> str:
                g = g or ("male" if f.random.random() < 0.5 else "female")
                given = f.first_name_male if g == "male" else f.first_name_female
                return "\x00".join(
                    [given(), given(), f.last_name(), given(), given(), f.last_name(), f.last_name()]
                )

            first, middle, last, *more = self._with_faker(seed, draw).split("\x00")
            person = _FakePerson(first, middle, last, tuple(more[:2]), tuple(more[2:]))
            fakes = {w.casefold() for w in _LETTERS.findall("\x00".join((first, middle, last, *more)))}
            if not fakes & originals and not {first[0].casefold(), last[0].casefold()} & initials:
                break
        if person is None:  # pragma: no cover - the loop always runs
            raise OperatorError("no PERSON surrogate drawn")
        if len(self._people) > 50_000:
            self._people.clear()
        self._people[cache_key] = person
        return person

    def _person_mention(self, t: Target, attempt: int) -> str:
        fake = self._fake_person(t, attempt)
        tokens = re.split(r"(\s+)", t.text)
        words: dict[int, list[re.Match[str]]] = {}  # name words of each name token
        for i, token in enumerate(tokens):
            if not token or token.isspace():
                continue
            found = [m for m in _NAME_WORD.finditer(token) if _word_core(m.group()).casefold() not in _KEPT]
            if found:
                words[i] = found
        slots = list(words)
        if not slots:  # a bare title or symbol: replace the whole mention with the surname
            return _match_case(t.text, fake.last)
        canon = [n.casefold() for n in _name_tokens(t.canonical)]
        canon_first = _NAME_WORD.search(canon[0]) if canon else None
        first_word = canon_first.group() if canon_first else ""
        roles: list[str]
        if len(slots) == 1:
            core = _word_core(words[slots[0]][0].group()).casefold()
            if t.part in ("first", "last"):
                roles = [t.part]
            elif len(canon) >= 2:
                roles = [
                    "first" if core == first_word or (len(core) == 1 and first_word[:1] == core) else "last"
                ]
            else:
                roles = ["first" if self._is_first_name(core) else "last"]
        else:
            roles = ["first"] + ["middle"] * (len(slots) - 2) + ["last"]
        value = {"first": fake.first, "middle": fake.middle, "last": fake.last}
        for i, role in zip(slots, roles, strict=True):
            more = fake.more_first if role == "first" else fake.more_last
            values = [value[role]] + [more[k % len(more)] for k in range(len(words[i]) - 1)]
            out, pos = [], 0
            for m, new in zip(words[i], values, strict=True):
                word = m.group()
                core = _word_core(word)
                if _is_initial(core):
                    new = new[0]
                out.append(tokens[i][pos : m.start()] + _match_case(core, new) + word[len(core) :])
                pos = m.end()
            tokens[i] = "".join(out) + tokens[i][pos:]
        return "".join(tokens)


def _word_core(word: str) -> str:
    """``word`` without a possessive ("Zelenskyy's" -> "Zelenskyy")."""
    poss = _POSSESSIVE.match(word)
    if poss and len(poss.group("core")) > 1 and poss.group("poss") in ("'s", "’s"):
        return poss.group("core")
    return word


# -- shape-preserving generators ---------------------------------------------------------

_ASCII_DIGITS = frozenset(string.digits)


def _shape_preserving(text: str, rng: random.Random, *, letters: bool = True) -> str:
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(rng.choice(string.digits))
        elif letters and ch.isascii() and ch.isalpha():
            letter = rng.choice(string.ascii_uppercase)
            out.append(letter if ch.isupper() else letter.lower())
        else:
            out.append(ch)
    return "".join(out)


def _fill_digits(text: str, digits: list[str]) -> str:
    it = iter(digits)
    return "".join(next(it) if ch in _ASCII_DIGITS else ch for ch in text)


def _fake_phone(text: str, rng: random.Random) -> str:
    digits = [c for c in text if c in _ASCII_DIGITS]
    keep = 0
    stripped = text.lstrip()
    if stripped.startswith("+"):
        m = re.match(r"\+(\d{1,3})[\s.\-)(]", stripped)
        keep = len(m.group(1)) if m else min(1, len(digits))
    new = digits[:keep]
    rest = digits[keep:]
    for j, d in enumerate(rest):
        if j == 0 and d == "0":
            new.append("0")  # trunk prefix ("020 ...") stays
        elif j == 0 or (j == 1 and rest[0] == "0"):
            new.append(rng.choice("23456789"))
        else:
            new.append(rng.choice(string.digits))
    return _fill_digits(text, new)


def _fake_card(text: str, rng: random.Random) -> str:
    from stdnum import luhn

    digits = [c for c in text if c in _ASCII_DIGITS]
    if len(digits) < 2:
        return _shape_preserving(text, rng)
    body = digits[:1] + [rng.choice(string.digits) for _ in digits[1:-1]]
    body.append(luhn.calc_check_digit("".join(body)))
    return _fill_digits(text, body)


def _iban_check(country: str, bban: str) -> str:
    from stdnum.iso7064 import mod_97_10

    return mod_97_10.calc_check_digits(bban + country)


def _fake_iban(text: str, rng: random.Random) -> str:
    compact = "".join(text.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{4,30}", compact):
        return _shape_preserving(text, rng)
    country = compact[:2]
    bban = "".join(
        rng.choice(string.digits) if c.isdigit() else rng.choice(string.ascii_uppercase) for c in compact[4:]
    )
    new = iter(country + _iban_check(country, bban) + bban)
    return "".join(ch if ch.isspace() else next(new) for ch in text.strip())


def _fake_age(text: str, rng: random.Random) -> str:
    def move(m: re.Match[str]) -> str:
        n = int(m.group(1))
        choices = [x for x in range(max(1, n - 5), n + 6) if x != n]
        return str(rng.choice(choices))

    if not _AGE_NUMBER.search(text):
        return "[AGE]"
    return _AGE_NUMBER.sub(move, text)


_WEEKDAYS = list(calendar.day_name)
_MONTHS = list(calendar.month_name)[1:]


def _fake_date(text: str, rng: random.Random) -> str:
    p = _parse_date(text)
    if p is None:
        word = text.strip().strip(".,").capitalize()
        for names in (_WEEKDAYS, _MONTHS):
            if word in names:
                return _match_case(text, rng.choice([n for n in names if n != word]))
        years = _YEAR.findall(text)
        if years:  # "the summer of 2014" -> "the summer of 2017"
            return _YEAR.sub(lambda m: str(int(m.group(1)) + rng.choice([-3, -2, -1, 1, 2, 3])), text)
        return "[DATE]"
    d = p.value
    if p.granularity == "year":
        return _render_date(p, d.replace(year=d.year + rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5])))
    if p.granularity == "month":
        month = rng.choice([m for m in range(1, 13) if m != d.month])
        return _render_date(p, d.replace(month=month))
    days = 366 if calendar.isleap(d.year) else 365
    ordinal = rng.choice([k for k in range(days) if k != d.timetuple().tm_yday - 1])
    new = date.fromordinal(date(d.year, 1, 1).toordinal() + ordinal)
    return _render_date(p, new)


__all__ = [
    "TOKEN_RE",
    "EncryptOperator",
    "GeneralizeOperator",
    "HashOperator",
    "PseudonymOperator",
    "RedactOperator",
    "SurrogateOperator",
    "TagOperator",
    "count_tokens",
    "restore",
]
