"""Pattern + validator recognizers: contact details, network addresses, bank and card
numbers, national ID numbers, dates, ages, street addresses and social handles.

Each recognizer pairs a regular expression that proposes candidates with a validator
that accepts or rejects them: checksums from python-stdnum (IBAN, Luhn, national IDs),
``phonenumbers`` for telephone numbers, :mod:`ipaddress` for IP addresses, calendar
checks for numeric dates.

Guarantees of :meth:`PatternDetector.detect`:

* **linear time** -- every expression is anchored by a look-behind that forbids starting
  inside a run it could also have started earlier, uses possessive quantifiers or bounded
  repetition, and has no nested unbounded quantifiers (pinned by a test on long
  adversarial inputs);
* **whole words** -- a span never starts or ends inside a word;
* **no overlaps** -- overlapping hits between recognizers are resolved deterministically:
  the longer span wins, then the label earlier in :data:`LABEL_PRIORITY`, then the
  earlier start.

Digit-only national ID formats with a weak check (Dutch BSN, Polish PESEL, German IdNr,
Danish CPR, UK NHS number, or a US SSN written without separators) are only reported
next to a keyword such as ``BSN`` or ``SSN``. Numbers preceded by ``ISBN``, ``order``,
``invoice``, ``version`` and similar words are never reported as phones, cards or IDs.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from ..config import Policy
from ..errors import ConfigError
from ..model import Document, Label, Span
from .dates import birth_role, born_years
from .hits import Hit, is_word, matches_at
from .identifiers import generic_ids, plates, split_numbers
from .quasi import norp, occupations, places, quantities

SOURCE = "patterns"

#: Tie-break between overlapping hits of equal length (earlier wins).
LABEL_PRIORITY: tuple[Label, ...] = (
    Label.EMAIL,
    Label.URL,
    Label.IBAN,
    Label.CARD,
    Label.ID,
    Label.IP,
    Label.DOB,
    Label.DATE,
    Label.PHONE,
    Label.ADDRESS,
    Label.AGE,
    Label.HANDLE,
    Label.QUANTITY,
    Label.NORP,
    Label.OCCUPATION,
)
_RANK = {label: i for i, label in enumerate(LABEL_PRIORITY)}


_Hit = Hit
_is_word = is_word


def _on_boundaries(text: str, start: int, end: int) -> bool:
    """True when ``[start, end)`` neither starts nor ends in the middle of a word."""
    if start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        return False
    return not (end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]))


def _keyword_before(text: str, start: int, pattern: re.Pattern[str], window: int) -> bool:
    return pattern.search(text, max(0, start - window), start) is not None


# Words that make a following number something other than a personal identifier.
_NEGATIVE_CONTEXT = re.compile(
    r"(?i)(?<!\w)(?:isbn(?:-1[03])?|issn|doi|order|invoice|ticket|tracking|version|ver|v|release|"
    r"ref(?:erence)?|serial|model|part|sku|item|product|page|pp|p)\.?(?:\s{0,2}(?:no|number|nr|#)\.?)?"
    r"\s{0,2}[:#]?\s{0,2}$"
)


def _negated(text: str, start: int) -> bool:
    return _NEGATIVE_CONTEXT.search(text[max(0, start - 30) : start]) is not None


# --------------------------------------------------------------------------- email

_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]++@[\w\-]++(?:\.[\w\-]++)++")
# "name [at] domain [dot] org", "name(at)domain.org", "name {at} domain . org"
_EMAIL_OBFUSCATED = re.compile(
    r"(?i)(?<![\w.+\-])[\w.+\-]++[ \t]{0,3}[\[({<][ \t]{0,2}at[ \t]{0,2}[\])}>][ \t]{0,3}[\w\-]++"
    r"(?:(?:[ \t]{0,3}[\[({<][ \t]{0,2}dot[ \t]{0,2}[\])}>][ \t]{0,3}|\.)[\w\-]++)++"
)
_OBF_DOT = re.compile(r"(?i)[ \t]{0,3}[\[({<][ \t]{0,2}dot[ \t]{0,2}[\])}>][ \t]{0,3}")


def _tld_ok(domain: str) -> bool:
    tld = domain.rsplit(".", 1)[-1]
    return 2 <= len(tld) <= 24 and tld.isalpha()


def _emails(text: str) -> Iterator[_Hit]:
    for m in _EMAIL.finditer(text):
        start, end = m.span()
        while start < end and text[start] in ".+-":
            start += 1
        local, _, domain = text[start:end].partition("@")
        if local and _tld_ok(domain):
            yield _Hit(start, end, Label.EMAIL, 0.95)
    for m in _EMAIL_OBFUSCATED.finditer(text):
        start, end = m.span()
        while start < end and text[start] in ".+-":
            start += 1
        domain = _OBF_DOT.sub(".", re.split(r"(?i)[\])}>]", m.group(), maxsplit=1)[-1]).strip()
        if _tld_ok(domain) and "." in domain:
            yield _Hit(start, end, Label.EMAIL, 0.9)


# ----------------------------------------------------------------------------- url

_URL = re.compile(r"(?i)(?<![\w@/.\-])(?:https?://|www\.)[^\s<>\"'\[\]{}|\\^`]++")
_BARE_DOMAIN = re.compile(r"(?i)(?<![\w@/.\-])(?:[a-z0-9\-]++\.)++([a-z]{2,10}+)(/[^\s<>\"'\[\]{}|\\^`]*+)?")
_COMMON_TLDS = frozenset(
    "com org net edu gov mil int io co uk de fr es it nl be ch at se no dk fi pl pt ie eu us ca au nz in "
    "jp cn ru br ua info biz me tv ly app dev ai gg".split()
)
_TRAILING_PUNCT = ".,;:!?'\")]}*"


def _trim_url(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def _urls(text: str) -> Iterator[_Hit]:
    for m in _URL.finditer(text):
        start = m.start()
        end = _trim_url(text, start, m.end())
        if end - start > len("https://x"):
            yield _Hit(start, end, Label.URL, 0.9)
    for m in _BARE_DOMAIN.finditer(text):
        if m.group(1).lower() not in _COMMON_TLDS:
            continue
        start = m.start()
        end = _trim_url(text, start, m.end())
        # A bare "name.tld" must have a path or a well-known TLD, and at least a 2-char name.
        host = text[start:end].split("/", 1)[0]
        if len(host.split(".")[0]) >= 2 and end - start > 4:
            yield _Hit(start, end, Label.URL, 0.8 if m.group(2) else 0.7)


# ------------------------------------------------------------------------------ ip

_IPV4 = re.compile(r"(?<![\w.])\d{1,3}+(?:\.\d{1,3}+){3}+(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?i)(?<![\w:.])(?:[0-9a-f]{0,4}+:){2,7}+[0-9a-f]{0,4}+(?![\w:])")


def _ips(text: str) -> Iterator[_Hit]:
    for m in _IPV4.finditer(text):
        try:
            ipaddress.IPv4Address(m.group())
        except ValueError:
            continue
        if not _negated(text, m.start()):
            yield _Hit(m.start(), m.end(), Label.IP, 0.9)
    for m in _IPV6.finditer(text):
        candidate = m.group()
        if len(candidate) < 6 or sum(1 for g in candidate.split(":") if g) < 2:
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        yield _Hit(m.start(), m.end(), Label.IP, 0.9)


# ---------------------------------------------------------------------------- iban

_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]){11,30}+")


def _ibans(text: str) -> Iterator[_Hit]:
    from stdnum import iban

    for m in _IBAN.finditer(text):
        start = m.start()
        # The expression may run into a following upper-case word or number: try every
        # end on a group boundary, longest first.
        for end in _group_ends(text, start, m.end()):
            raw = text[start:end]
            if iban.is_valid(raw.replace("-", " ")):
                yield _Hit(start, end, Label.IBAN, 1.0)
                break


def _group_ends(text: str, start: int, end: int) -> Iterator[int]:
    """Candidate ends inside ``[start, end)`` at the end of each alphanumeric group, longest first."""
    ends = [
        i + 1 for i in range(start, end) if _is_word(text[i]) and (i + 1 == end or not _is_word(text[i + 1]))
    ]
    for e in reversed(ends):
        if e == len(text) or not _is_word(text[e]):
            yield e


# ---------------------------------------------------------------------------- card

_CARD = re.compile(r"(?<![\w.\-])\d(?:[ \-.]?+\d){11,18}+")


def _card_brand_ok(digits: str) -> bool:
    n = len(digits)
    p2, p4 = int(digits[:2]), int(digits[:4])
    if digits[0] == "4":
        return n in (13, 16, 19)  # Visa
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:
        return n == 16  # Mastercard
    if p2 in (34, 37):
        return n == 15  # Amex
    if (
        digits.startswith(("6011", "65"))
        or 644 <= int(digits[:3]) <= 649
        or 622126 <= int(digits[:6]) <= 622925
    ):
        return 16 <= n <= 19  # Discover
    if p2 == 62:
        return 16 <= n <= 19  # UnionPay
    if 3528 <= p4 <= 3589:
        return 16 <= n <= 19  # JCB
    if p2 in (36, 38) or 300 <= int(digits[:3]) <= 305:
        return n in (14, 16)  # Diners
    if p2 == 50 or 56 <= p2 <= 69:
        return 12 <= n <= 19  # Maestro
    return False


def _cards(text: str) -> Iterator[_Hit]:
    from stdnum import luhn

    for m in _CARD.finditer(text):
        start = m.start()
        if _negated(text, start):
            continue
        for end in _group_ends(text, start, m.end()):
            raw = text[start:end]
            digits = re.sub(r"\D", "", raw)
            seps = set(re.sub(r"\d", "", raw))
            if len(seps) > 1 or not 13 <= len(digits) <= 19:
                continue
            if _card_brand_ok(digits) and luhn.is_valid(digits):
                yield _Hit(start, end, Label.CARD, 0.95)
                break


# ------------------------------------------------------------------------------ id

# Separator between the groups of an identifier: "-", ".", "/", spaces, or a mix such as " - ".
_SEP = r"(?:[ \t]{0,2}[\-./–][ \t]{0,2}|[ \t]{1,2})"
_SEP_CHARS = frozenset(" \t-./–")
Context = Literal["never", "unless_separated", "always"]


@dataclass(frozen=True, slots=True)
class _IdScheme:
    name: str
    pattern: re.Pattern[str]
    validate: Callable[[str], bool]
    context: Context
    keywords: re.Pattern[str] | None = None


def _groups(*parts: str, optional_sep: bool = True) -> str:
    sep = f"{_SEP}?" if optional_sep else _SEP
    return sep.join(parts)


def _kw(*words: str) -> re.Pattern[str]:
    return re.compile(r"(?i)(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def _compact(raw: str) -> str:
    return "".join(ch for ch in raw if ch not in _SEP_CHARS).upper()


_NINO_PREFIX_BAD = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def _nino_ok(raw: str) -> bool:
    c = _compact(raw)
    return (
        bool(re.fullmatch(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]", c))
        and c[:2] not in _NINO_PREFIX_BAD
    )


def _stdnum(module: str) -> Callable[[str], bool]:
    def check(raw: str) -> bool:
        import importlib

        mod = importlib.import_module(f"stdnum.{module}")
        return bool(mod.is_valid(_compact(raw)))

    return check


def _personnummer_ok(raw: str) -> bool:
    from stdnum.se import personnummer

    digits = re.sub(r"\D", "", raw)
    sign = "+" if "+" in raw else "-"
    return bool(personnummer.is_valid(digits[:-4] + sign + digits[-4:]))


def _hetu_ok(raw: str) -> bool:
    from stdnum.fi import hetu

    return bool(hetu.is_valid(raw.strip().upper()))


def _dvla_ok(raw: str) -> bool:
    """A UK driving licence number: surname block, then a birth date with the month
    coded 01-12 (51-62 for women), then initials, a check digit and two letters."""
    c = raw.strip().upper()
    month = int(c[6:8]) % 50
    day = int(c[8:10])
    return 1 <= month <= 12 and 1 <= day <= 31 and c[:5].rstrip("9").isalpha()


def _b(body: str, flags: str = "") -> re.Pattern[str]:
    return re.compile(f"{flags}(?<![\\w\\-./+])(?:{body})(?![\\w]|[\\-./]\\w)")


_ID_SCHEMES: tuple[_IdScheme, ...] = (
    _IdScheme(
        "us.ssn",
        _b(_groups(r"\d{3}", r"\d{2}", r"\d{4}")),
        _stdnum("us.ssn"),
        "unless_separated",
        _kw("ssn", "ssns", "social security(?: number| no\\.?)?", "ss#", "ss no"),
    ),
    _IdScheme("gb.nino", _b(_groups("[A-Z]{2}", r"\d{2}", r"\d{2}", r"\d{2}", "[A-D]")), _nino_ok, "never"),
    _IdScheme(
        "gb.nhs",
        _b(_groups(r"\d{3}", r"\d{3}", r"\d{4}")),
        _stdnum("gb.nhs"),
        "always",
        _kw("nhs(?: number| no\\.?)?"),
    ),
    _IdScheme(
        "de.idnr",
        _b(_groups(r"\d{2}", r"\d{3}", r"\d{3}", r"\d{3}")),
        _stdnum("de.idnr"),
        "always",
        _kw("steuer-?id", "steuer-identifikationsnummer", "idnr", "identifikationsnummer", "tax id", "tin"),
    ),
    _IdScheme(
        "fr.nir",
        _b(_groups("[12]", r"\d{2}", r"\d{2}", r"(?:\d{2}|2[AB])", r"\d{3}", r"\d{3}", r"\d{2}"), "(?i)"),
        _stdnum("fr.nir"),
        "unless_separated",
        _kw("nir", "insee", "s[ée]curit[ée] sociale", "social security", "num[ée]ro de s[ée]cu"),
    ),
    _IdScheme("es.dni", _b(r"\d{8}" + _SEP + "?[A-Z]"), _stdnum("es.dni"), "never"),
    _IdScheme("es.nie", _b("[XYZ]" + _SEP + r"?\d{7}" + _SEP + "?[A-Z]"), _stdnum("es.nie"), "never"),
    _IdScheme(
        "it.codicefiscale",
        _b(r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]"),
        _stdnum("it.codicefiscale"),
        "never",
    ),
    _IdScheme(
        "nl.bsn",
        _b(r"\d{4}" + _SEP + r"?\d{2}" + _SEP + r"?\d{3}|\d{3}" + _SEP + r"?\d{3}" + _SEP + r"?\d{3}"),
        _stdnum("nl.bsn"),
        "always",
        _kw("bsn", "burgerservicenummer", "sofi-?nummer"),
    ),
    _IdScheme(
        "be.nn",
        _b(_groups(r"\d{2}", r"\d{2}", r"\d{2}", r"\d{3}", r"\d{2}")),
        _stdnum("be.nn"),
        "unless_separated",
        _kw("rijksregisternummer", "rijksregister", "num[ée]ro national", "registre national", "nn", "inss"),
    ),
    _IdScheme(
        "pl.pesel",
        _b(r"\d{11}"),
        _stdnum("pl.pesel"),
        "always",
        _kw("pesel"),
    ),
    _IdScheme(
        "se.personnummer",
        _b(r"(?:\d{2})?\d{6}[ \t]{0,2}[\-+][ \t]{0,2}\d{4}|(?:\d{2})?\d{10}"),
        _personnummer_ok,
        "unless_separated",
        _kw("personnummer", "personnr"),
    ),
    _IdScheme("fi.hetu", _b(r"\d{6}[\-+A-FU-Y]\d{3}[0-9A-Y]", "(?i)"), _hetu_ok, "never"),
    _IdScheme(
        "dk.cpr",
        _b(r"\d{6}" + _SEP + r"?\d{4}"),
        _stdnum("dk.cpr"),
        "always",
        _kw("cpr(?:-?nummer| number| no\\.?)?", "personnummer"),
    ),
    _IdScheme(
        "gb.driving_licence", _b(r"[A-Z9]{5}\d[0156]\d[0-3]\d{2}[A-Z9]{2}\d[A-Z]{2}"), _dvla_ok, "never"
    ),
    _IdScheme(
        "no.fodselsnummer",
        _b(r"\d{6}[ \t]?\d{5}"),
        _stdnum("no.fodselsnummer"),
        "always",
        _kw("f[øo]dselsnummer", "fnr\\.?", "national identity number", "personnummer", "identity number"),
    ),
    _IdScheme(
        "ie.pps",
        _b(r"\d{7}[A-W][A-IW]?"),
        _stdnum("ie.pps"),
        "always",
        _kw("pps(?: number| no\\.?)?", "ppsn"),
    ),
    _IdScheme(
        "nl.identiteitskaartnummer",
        _b(r"[A-NP-Z]{2}[A-NP-Z0-9]{6}\d"),
        _stdnum("nl.identiteitskaartnummer"),
        "always",
        _kw("paspoort(?:nummer)?", "passport(?: number| no\\.?)?", "identiteitskaart(?:nummer)?", "id card"),
    ),
    _IdScheme(
        "ca.sin",
        _b(_groups(r"\d{3}", r"\d{3}", r"\d{3}")),
        _stdnum("ca.sin"),
        "always",
        _kw("sin", "social insurance(?: number| no\\.?)?"),
    ),
    _IdScheme(
        "in_.aadhaar",
        _b(_groups(r"\d{4}", r"\d{4}", r"\d{4}")),
        _stdnum("in_.aadhaar"),
        "always",
        _kw("aadhaa?r", "uid(?:ai)?"),
    ),
    _IdScheme(
        "in_.pan",
        _b(r"[A-Z]{3}[ABCFGHLJPT][A-Z]\d{4}[A-Z]"),
        _stdnum("in_.pan"),
        "always",
        _kw("pan(?: number| no\\.?| card)?"),
    ),
    _IdScheme("br.cpf", _b(r"\d{3}\.\d{3}\.\d{3}-\d{2}"), _stdnum("br.cpf"), "never"),
    _IdScheme("mx.curp", _b(r"[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d"), _stdnum("mx.curp"), "never"),
    _IdScheme(
        "za.idnr",
        _b(r"\d{6}[ \t]?\d{4}[ \t]?\d{3}"),
        _stdnum("za.idnr"),
        "always",
        _kw("id(?: number| no\\.?)?", "identity number"),
    ),
    _IdScheme(
        "au.tfn",
        _b(_groups(r"\d{3}", r"\d{3}", r"\d{2,3}")),
        _stdnum("au.tfn"),
        "always",
        _kw("tfn", "tax file number"),
    ),
    _IdScheme(
        "gb.utr",
        _b(_groups(r"\d{5}", r"\d{5}")),
        _stdnum("gb.utr"),
        "always",
        _kw("utr", "unique taxpayer reference"),
    ),
    _IdScheme("ro.cnp", _b(r"[1-9]\d{12}"), _stdnum("ro.cnp"), "always", _kw("cnp", "cod numeric personal")),
    _IdScheme("ch.ssn", _b(r"756\.\d{4}\.\d{4}\.\d{2}"), _stdnum("ch.ssn"), "never"),
    _IdScheme(
        "us.itin",
        _b(_groups(r"9\d{2}", r"\d{2}", r"\d{4}")),
        _stdnum("us.itin"),
        "always",
        _kw("itin", "taxpayer identification number"),
    ),
)


# Where a scheme that starts with a digit may match: a digit after no word character, hyphen,
# dot, slash or plus. Same condition as the look-behind ``_b`` writes, checked after the
# digit so that the expression scans by its first character.
_DIGIT_START = re.compile(r"\d(?<![\w\-./+]\d)")
_B_LOOKBEHIND = r"(?<![\w\-./+])"


def _sre(name: str) -> Any:
    """The standard library's expression parser (private modules, untyped)."""
    import importlib

    return importlib.import_module(name)


def _lead(seq: Any) -> tuple[bool, bool]:
    """For a parsed expression (``re._parser``): whether every non-empty match starts with a
    digit, and whether it can match the empty string. Anything unrecognised answers
    ``(False, True)``, which only makes a scan broader."""
    c = _sre("re._constants")
    ok = True
    for op, av in seq:
        if op is c.LITERAL:
            first, nullable = chr(av).isdigit(), False
        elif op is c.IN:
            first = all(
                (o is c.LITERAL and chr(a).isdigit())
                or (o is c.RANGE and 0x30 <= a[0] <= a[1] <= 0x39)
                or (o is c.CATEGORY and a is c.CATEGORY_DIGIT)
                for o, a in av
            )
            nullable = False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            first, inner_null = _lead(av[2])
            nullable = av[0] == 0 or inner_null
        elif op is c.SUBPATTERN:
            first, nullable = _lead(av[3])
        elif op is c.ATOMIC_GROUP:
            first, nullable = _lead(av)
        elif op is c.BRANCH:
            leads = [_lead(alt) for alt in av[1]]
            first, nullable = all(x for x, _ in leads), any(n for _, n in leads)
        else:
            return False, True
        ok = ok and first
        if not nullable:
            return ok, False
    return ok, True


def _digit_led(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` is ``_b``'s look-behind followed by an expression whose every match
    starts with a digit: then it can only match where ``_DIGIT_START`` does."""
    parse = _sre("re._parser").parse
    items = list(parse(pattern.pattern).data)
    lookbehind = list(parse(_B_LOOKBEHIND).data)
    if not items or repr(items[:1]) != repr(lookbehind):
        return False
    first, nullable = _lead(items[1:])
    return first and not nullable


_DIGIT_LED = frozenset(s.name for s in _ID_SCHEMES if _digit_led(s.pattern))


def _ids(text: str) -> Iterator[_Hit]:
    digit_starts: list[int] | None = None
    for scheme in _ID_SCHEMES:
        if scheme.name in _DIGIT_LED:
            if digit_starts is None:
                digit_starts = [m.start() for m in _DIGIT_START.finditer(text)]
            matches: Iterator[re.Match[str]] = matches_at(scheme.pattern, text, digit_starts)
        else:
            matches = scheme.pattern.finditer(text)
        for m in matches:
            raw = m.group()
            separated = any(ch in _SEP_CHARS for ch in raw)
            if scheme.context == "always" or (scheme.context == "unless_separated" and not separated):
                if scheme.keywords is None or not _keyword_before(text, m.start(), scheme.keywords, 40):
                    continue
                score = 0.9
            else:
                score = 0.95
            if _negated(text, m.start()) or not scheme.validate(raw):
                continue
            yield _Hit(m.start(), m.end(), Label.ID, score)


# --------------------------------------------------------------------------- dates

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
    r"Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
# Full weekday names, or abbreviations with a dot: "Sun, August 16" is often a newspaper.
_WEEKDAY = (
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\."
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?=,))"
)
_W = r"[^\S\r\n]{1,3}"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d|'\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_TEXT_DATE = re.compile(
    rf"(?<![\w])(?:{_WEEKDAY},?{_W})?(?:"
    rf"(?:the{_W})?(?:{_DAY}{_ORD}[ \t]{{0,2}}(?:[\-–]|to|and)[ \t]{{0,2}})?{_DAY}{_ORD}(?:{_W}of)?{_W}{_MONTH}(?:,?{_W}{_YEAR})?"  # (8-)12 March 2021
    rf"|{_MONTH}{_W}{_DAY}{_ORD}(?:,?{_W}{_YEAR})?"  # March 12, 2021
    rf"|{_MONTH},?{_W}{_YEAR}"  # March 2021
    rf")(?![\w])"
)
_NUM_DATE = re.compile(r"(?<![\w.\-/])(\d{1,4})([./\-])(\d{1,2})\2(\d{2}|\d{4})(?![\w]|[.\-/]\d)")


def _numeric_date_ok(a: str, b: str, c: str) -> bool:
    x, y = int(a), int(b)
    if len(a) == 4:  # ISO y-m-d
        return 1000 <= x <= 2999 and 1 <= y <= 12 and 1 <= int(c) <= 31 and len(c) == 2
    if len(a) == 3:
        return False
    day_month = 1 <= x <= 31 and 1 <= y <= 12
    month_day = 1 <= x <= 12 and 1 <= y <= 31
    return day_month or month_day


def _date_hit(text: str, start: int, end: int) -> _Hit:
    if birth_role(text, start):
        return _Hit(start, end, Label.DOB, 0.9)
    return _Hit(start, end, Label.DATE, 0.85)


def _dates(text: str) -> Iterator[_Hit]:
    for m in _TEXT_DATE.finditer(text):
        start, end = m.span()
        if text[end - 1] == "." and not m.group().endswith((" ", ".")):
            end -= 1
        yield _date_hit(text, start, end)
    for m in _NUM_DATE.finditer(text):
        if _numeric_date_ok(m.group(1), m.group(3), m.group(4)):
            yield _date_hit(text, m.start(), m.end())
    yield from born_years(text)


# ----------------------------------------------------------------------------- age

_AGE = re.compile(
    r"(?i)(?<![\w.,])(\d{1,3})(?:[ \-](?:years?|yrs?)[ \-]old|[ \-]years?[ \-]of[ \-]age|[ \-]y/?o(?![\w/]))"
    r"|(?<![\w])(?:aged|age|ages)(?:[ \t]{1,2}|:[ \t]{0,2})(?:about[ \t]{1,2})?(\d{1,3})(?![\w]|[.,]\d)"
    r"|(?<![\w])(?:about|around|approximately|roughly)[ \t]{1,2}(\d{2})(?=[ \t]{0,2}(?:[,;)]|and[ \t]|years))"
)
# "Smith, 68, said": a capitalised word, then the age between commas.
_AGE_APPOSITION = re.compile(r"(?<![\w])[A-Z][a-z'\-]++,[ \t]{1,2}(\d{1,3}),(?![ \t]{0,2}\d)")


def _ages(text: str) -> Iterator[_Hit]:
    for m in _AGE.finditer(text):
        if m.group(1) is not None:  # "33 y/o", "39-year-old": the whole phrase
            if 0 < int(m.group(1)) <= 125:
                yield _Hit(m.start(), m.end(), Label.AGE, 0.8)
            continue
        group = 2 if m.group(2) is not None else 3
        if 0 < int(m.group(group)) <= 125:
            yield _Hit(m.start(group), m.end(group), Label.AGE, 0.8 if group == 2 else 0.5)
    for m in _AGE_APPOSITION.finditer(text):
        if 0 < int(m.group(1)) <= 125:
            yield _Hit(m.start(1), m.end(1), Label.AGE, 0.7)


# ------------------------------------------------------------------------- address

_STREET_TYPES = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|"
    r"Terrace|Ter|Way|Close|Crescent|Parkway|Pkwy|Highway|Hwy|Row|Gardens|Walk|Mews|Alley|Circle|Cir|"
    r"Plaza|Trail|Strasse|Straße|Str)\.?"
)
_ADDRESS = re.compile(
    r"(?<![\w.,\-/])\d{1,5}[A-Za-z]?(?:[\-–]\d{1,5})?"
    r"(?:[ \t]{1,2}(?:[A-Z][a-z'\-]++|\d{1,3}(?:st|nd|rd|th)|[NSEW]\.?)){1,4}"
    rf"[ \t]{{1,2}}{_STREET_TYPES}(?![\w])"
    r"(?:[ \t]{1,2}(?:NW|NE|SW|SE|N|S|E|W|North|South|East|West)(?![\w]))?"
    r"(?:,?[ \t]{1,2}(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.?[ \t]{0,2}[\w\-]{1,6}(?![\w]))?"
    r"(?:,[ \t]{1,2}[A-Z][a-z]++(?:[ \t][A-Z][a-z]++){0,2}(?:,?[ \t]{1,2}[A-Z]{2}(?:[ \t]{1,2}\d{5}(?:-\d{4})?)?)?(?![\w]))?"
)


def _addresses(text: str) -> Iterator[_Hit]:
    for m in _ADDRESS.finditer(text):
        yield _Hit(m.start(), m.end(), Label.ADDRESS, 0.7)


# --------------------------------------------------------------------------- handle

_HANDLE = re.compile(r"(?<![\w.@+\-])@([A-Za-z0-9_]{2,30}+)(?![\w@\-]|\.\w)")


def _handles(text: str) -> Iterator[_Hit]:
    for m in _HANDLE.finditer(text):
        if not m.group(1).isdigit():
            yield _Hit(m.start(), m.end(), Label.HANDLE, 0.8)


# --------------------------------------------------------------------------- phone

_PHONE_KEYWORDS = _kw(
    "tel",
    "tel\\.",
    "phone",
    "telephone",
    "mobile",
    "cell",
    "call",
    "fax",
    "ring",
    "text",
    "whatsapp",
    "contact",
    "hotline",
    "number",
    "no\\.",
    "nr\\.",
    "telefon",
    "téléphone",
)
# Words that say the following number is a telephone number, even an invalid one.
_PHONE_STRICT_KEYWORDS = _kw(
    "tel", "tel\\.", "phone", "telephone", "mobile", "cell", "call", "fax", "ring", "whatsapp", "hotline",
    "reached on", "contacted on", "contact", "queries", "ph",
)  # fmt: skip
# Odd separators: dots, slashes, spaces, dashes, parentheses, mixed; bounded so it stays linear.
# (Each repeated group ends in a digit, so the possessive repetition never has to give
# one back for the final digit.)
_PHONE_LOOSE = re.compile(r"(?<![\w.+\-/])(?:\+|00)?+\(?\d(?:[ \t./\-–()]{0,3}+\d){6,16}+(?![\w])")
# Year and page ranges ("1694–1746", "136–137", "1990-2000", "1914/18").
_RANGE = re.compile(r"\(?\d{1,4}[ \t]{0,2}[\-–—/][ \t]{0,2}\d{1,4}\)?")


def _phone_candidate_ok(text: str, start: int, end: int) -> bool:
    raw = text[start:end]
    if _negated(text, start) or _RANGE.fullmatch(raw):
        return False
    if raw.isdigit():
        # A bare run of digits is as likely an order or account number: want a keyword.
        return _keyword_before(text, start, _PHONE_KEYWORDS, 25)
    return True


_DIGIT_RUN = re.compile(r"[+(]?\d[\d \t().\-/–]{3,}\d")
_WINDOW_MARGIN = 24


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` windows around digit runs with at least 5 digits."""
    windows: list[list[int]] = []
    for m in _DIGIT_RUN.finditer(text):
        if sum(ch.isdigit() for ch in m.group()) < 5:
            continue
        s, e = max(0, m.start() - _WINDOW_MARGIN), min(len(text), m.end() + _WINDOW_MARGIN)
        if windows and s <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], e)
        else:
            windows.append([s, e])
    return [(s, e) for s, e in windows]


class _Phones:
    """Telephone numbers: ``phonenumbers.PhoneNumberMatcher`` plus oddly separated numbers."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        import phonenumbers

        unknown = [r for r in regions if r.upper() not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ConfigError(f"unknown phone region(s): {', '.join(map(repr, unknown))}")
        if not regions:
            raise ConfigError("detectors.phone_regions must name at least one region")
        self.regions = tuple(dict.fromkeys(r.upper() for r in regions))

    def __call__(self, text: str) -> Iterator[_Hit]:
        from phonenumbers import Leniency, PhoneNumberMatcher

        found: dict[tuple[int, int], None] = {}
        # The matcher is slow on long texts and runs once per region: feed it only windows
        # around runs that could hold a phone number (5+ digits with separators), with enough
        # context on each side for its own boundary checks.
        for w_start, w_end in _digit_windows(text):
            window = text[w_start:w_end]
            tries = max(65535, len(window))
            for region in self.regions:
                for match in PhoneNumberMatcher(window, region, leniency=Leniency.VALID, max_tries=tries):
                    found.setdefault((w_start + match.start, w_start + match.end), None)
        hits = []
        for s, e in sorted(found):
            # The matcher may include a separator before the number ("/ 030/1234 5678").
            while s < e and not (text[s].isalnum() or text[s] in "+("):
                s += 1
            if text[s] == "(" and ")" not in text[s:e]:
                s += 1
            while e > s and not text[e - 1].isalnum():
                e -= 1
            if s < e and _on_boundaries(text, s, e) and _phone_candidate_ok(text, s, e):
                hits.append(_Hit(s, e, Label.PHONE, 0.85))
        yield from hits
        taken = sorted((h.start, h.end) for h in hits)

        def overlaps_taken(s: int, e: int) -> bool:
            return any(a < e and s < b for a, b in taken)

        pos = 0
        while True:
            m = _PHONE_LOOSE.search(text, pos)
            if m is None:
                break
            start = m.start()
            if text[start] == "(" and ")" not in m.group():
                start += 1
            hit = None
            if not overlaps_taken(start, m.end()):
                for end in _group_ends(text, start, m.end()):
                    if not _phone_candidate_ok(text, start, end):
                        continue
                    raw = text[start:end]
                    digits = re.sub(r"\D", "", raw)
                    if not 7 <= len(digits) <= 15:
                        continue
                    if raw.startswith("+"):
                        number = "+" + digits
                    elif raw.startswith("00"):
                        number = "+" + digits[2:]
                    else:
                        number = digits
                    if self._valid(number):
                        hit = _Hit(start, end, Label.PHONE, 0.75)
                        break
                    # A well-formed number that fails validation (an unassigned area code,
                    # a region not configured) is still a phone when the text says so.
                    if raw != digits and _keyword_before(text, start, _PHONE_STRICT_KEYWORDS, 30):
                        hit = _Hit(start, end, Label.PHONE, 0.6)
                        break
            if hit is not None:
                yield hit
                pos = hit.end
            else:
                # Retry from the next digit group: the expression may have started too early.
                nxt = re.search(r"[^\d]\d", text[m.start() : m.end()])
                pos = m.start() + nxt.end() - 1 if nxt else m.end()

    def _valid(self, number: str) -> bool:
        import phonenumbers as pn

        regions = (None,) if number.startswith("+") else self.regions
        for region in regions:
            try:
                parsed = pn.parse(number, region)
            except pn.NumberParseException:
                continue
            if pn.is_valid_number(parsed):
                return True
        return False


def _split_numbers(text: str) -> Iterator[_Hit]:
    return split_numbers(text, (_ibans, _cards))


# ------------------------------------------------------------------------ detector

Recognizer = Callable[[str], Iterable[_Hit]]


def _rank(label: Label) -> int:
    # A label a policy declared for its own recognizer beats the built-in guesses.
    return _RANK.get(label, len(_RANK) if label.builtin else -1)


def _merge(hits: Iterable[_Hit]) -> list[_Hit]:
    """Resolve overlaps: longer wins, then :data:`LABEL_PRIORITY`, then earlier start."""
    ordered = sorted(set(hits), key=lambda h: (-(h.end - h.start), _rank(h.label), h.start, -h.score))
    # Kept hits never overlap, so sorted by start their ends are sorted too: a new hit
    # only needs checking against its two neighbours.
    starts: list[int] = []
    kept: list[_Hit] = []
    for h in ordered:
        i = bisect.bisect_right(starts, h.start)
        if i > 0 and kept[i - 1].end > h.start:
            continue
        if i < len(kept) and kept[i].start < h.end:
            continue
        starts.insert(i, h.start)
        kept.insert(i, h)
    return kept


class PatternDetector:
    """Finds contact details, numbers with checksums, dates, ages, addresses and handles.

    Built as ``PatternDetector(policy)``; ``policy.phone_regions`` selects the regions
    whose national phone formats are recognised (international ``+`` numbers are always
    recognised). An unknown region is a :class:`~veil.errors.ConfigError`.

    Every label in :data:`LABEL_PRIORITY` is reported whatever the policy protects: the
    pipeline applies the policy after resolution, and a hit of an unprotected label still
    stops a weaker overlapping guess of another detector.

    Usage::

        det = PatternDetector(veil.config.preset("pii"))
        spans = list(det.detect(Document("d1", "Mail ada@example.org")))
    """

    name: ClassVar[str] = "patterns.v1"

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._recognizers: tuple[Recognizer, ...] = (
            _emails,
            _urls,
            _ips,
            _ibans,
            _cards,
            _ids,
            _dates,
            _ages,
            _addresses,
            _handles,
            _Phones(policy.phone_regions),
            generic_ids,
            plates,
            _split_numbers,
            norp,
            occupations,
            quantities,
            places,
        )
        if policy.recognizers:
            from .custom import UserRecognizers

            self._recognizers = (*self._recognizers, UserRecognizers(policy.recognizers))

    def detect(self, doc: Document) -> Iterable[Span]:
        text = doc.text
        hits: list[_Hit] = []
        for recognize in self._recognizers:
            hits.extend(
                h for h in recognize(text) if h.start < h.end and _on_boundaries(text, h.start, h.end)
            )
        return [Span(h.start, h.end, h.label, SOURCE, h.score) for h in _merge(hits)]

    def __repr__(self) -> str:
        return f"PatternDetector(phone_regions={list(self.policy.phone_regions)})"


__all__ = ["LABEL_PRIORITY", "PatternDetector"]
