"""Names in records, forms, minutes and transcripts, written in capitals or as initials.

Forms, court lists, police and medical records write a person's name in capitals, often
family name first, after a field label; minutes, interview notes and transcripts write
people as their initials. The model, which reads case, misses most of them. Four shapes
are evidence of a person here (``Evidence.PERSON_CONTEXT``, the weight of a title):

* **a field labelled as a name or a person** (any case, the label opening a line or a
  field): "SURNAME: ADEYEMI", "FORENAMES: Oluwaseun Kehinde", "Patient: KAUR, Harpreet",
  "DRIVER 2: NGUYEN THI, HOA", "Next of kin: ...". The value runs to the end of its field
  (a line end, two spaces, a tab, a parenthesis, a semicolon). After a name label
  ("Surname", "Given name(s)", "Name") any value of name-shaped words is a name; after a
  person label ("Patient", "Suspect", "Witness", "Driver") every word must be capitalised
  and none a frequent English word that is no name ("WITNESS: NONE", "INSPECTOR: ON
  FILE", "Driver: Van 7" are not names);
* **family name first with the family name in capitals**: "DUFFY, Connor James", "R v
  JORDAN, Kyle Anthony", "NOWAK, Agnieszka Maria (Claimant)": a word in capitals, a
  comma, and one to three capitalised words that start with a given name or a word in no
  English word list, the field ending after them;
* **initials in minutes and notes**: two or three capitals in a list after a people label
  ("Attendees: JB, Karolina (PMO), Sunil; apologies: MW", "Panel: SK, RT", "cc:"), or as
  the subject of an action item at the start of a line, item or sentence ("- KW to book
  room", "RT to check ref.") in a text with actions or a people label. Lone given names
  in such a list are people too; capitals that spell a frequent English word ("GO", "DO")
  only when a capitalised pair of the text has them as initials ("Grace Olawale");
* **speaker labels in a text with turns** (two labels or more, one of which comes back,
  and a turn that reads as speech: a question or a pronoun "I", "you", "we"):
  "CD: At my girlfriend's.", "RAFAEL: Exactly.", and the initials a label defines in
  parentheses ("Interviewer (SH): ..." then "SH: ..."). One to three capitals, or a word
  in capitals that the lexicon knows as a given name; "Q" and "A" of a question-and-answer
  record are not people.

Capitals where a person is the object ("Next review with NA", "approved by PM") are that
person when a capitalised pair of the text has them as initials ("Noura Al-Mansouri"),
even when they spell an acronym.

Common acronyms of office, form and ticket text ("PMO", "HR", "IT", "QA", "ETA", "AOB",
"TBC", "N/A", "OK", "UK", "NHS", "DOB", "MRN") are never initials otherwise, nor
function words ("IT to").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..model import Evidence, Label, Span
from .lexicon import (
    FUNCTION_WORDS,
    NAME_PARTICLES,
    ORG_WORDS,
    PLACE_CLASSIFIERS,
    SPEECH_VERBS,
    THING_CLASSIFIERS,
    TITLES,
    first_names,
    is_role_noun,
    places,
    role_nouns,
)
from .names import lexicon as names_lexicon

RECORD_SOURCE = "context.records"

# Acronyms of office, form, ticket and school text that initials could spell.
_ACRONYMS = frozenset(
    """
    AM PM OK ID IT HR PR QA CV PA PS NB VP MD GP HQ UK US EU UN TV PC OS UI UX DB CI IP AI VR
    AR DM FYI ASAP TBD TBC TBA AOB ETA EOD EOW COB OOO WFH FAQ CEO CFO CTO COO CIO CMO API URL
    PDF CSV SQL VPN SSO SLA KPI ROI SEO CRM ERP DNS SSH SMS GPS USB LAN WAN NDA RFP RFQ POC MVP
    PTO NA BBC NHS GDP DNA HIV FBI CIA MBA PMO DOB MRN NI REF RE CC BCC FW FWD HT SLT SMT DHT
    FGB PTA HOD HOS GM BA PO SM TL OT PT SW AOB NOK GDPR SEN SENCO TODO ATM RSVP ASD ADHD
    DC DS DI DCI PS WPC SGT HHJ DJ EJ JP QC KC MP MEP FE BE BI ML QE EM SRE DEV OPS SEC UAT SIT
    BAU RCA MR JS CSS XML AWS GCP BC BCE AD CE GPT LLM SYS LA LEA ICO CQC HSE DWP ONS PCN ICB CCG
    """.split()
)
# A value after a field label that says there is no name.
_NO_NAME = frozenset(
    """
    unknown none nil n/a na withheld refused redacted anonymous anon tbc tba tbd same above below
    see self yes no male female other not known given stated applicable pending various all
    """.split()
)
# Labels of a field whose value is a name, and of a field whose value is a person.
_NAME_FIELDS = frozenset(
    " ".join(w.split())
    for w in """
    name|full name|surname|surnames|family name|last name|forename|forenames|forename(s)|first name
    |first names|first name(s)|given name|given names|given name(s)|middle name|middle names
    |middle name(s)|maiden name|other names|previous name|previous surname|previous family name
    |preferred name|known as|alias|aka
    """.split("|")
)
_PERSON_FIELDS = frozenset(
    " ".join(w.split())
    for w in """
    patient|claimant|defendant|respondent|appellant|applicant|suspect|witness|victim|driver
    |passenger|employee|candidate|pupil|student|tenant|deceased|next of kin|nok|casualty
    |injured person|injured party|detained person|detainee|accused|offender|complainant
    |interviewee|child|mother|father|spouse|parent|guardian|carer|resident|occupant
    |informant|referrer|claimant name|patient name|employee name|pupil name
    """.split("|")
)
# Parties a company can be as well as a person.
_ORG_CAPABLE_FIELDS = frozenset(
    "claimant defendant respondent appellant applicant tenant occupant informant referrer complainant".split()
)
# "SURNAME:", "Given name(s):", "DRIVER 2:", with up to four words in the label.
_LABEL = re.compile(
    r"(?<![A-Za-z'’()])(?P<label>[A-Za-z][A-Za-z'’()]*+(?:[ \t][A-Za-z(][A-Za-z'’()]*+){0,3})"
    r"(?:[ \t]+\d{1,2})?[ \t]*:[ \t]*"
)
# Where a field label may start: a line start (after a bullet), two spaces, a tab, a
# slash ("Surname/Family name:"), or after a sentence end, a semicolon or a bar.
_FIELD_START = re.compile(r"(?:^|[ \t]{2}|\t|[.;|][ \t]|^[ \t]*[-*•][ \t]|/)[ \t]*$", re.MULTILINE)
# A field's value: up to a line end, a tab, two spaces, a parenthesis, a semicolon or a bar.
_VALUE = re.compile(r"[^\n\t(;|]{1,80}")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_'’.-]|[-'’.](?=[^\W\d_]))*\.?")
# A family name in capitals, a comma, then given names ("DUFFY, Connor James").
_FAMILY_FIRST = re.compile(
    r"(?<![\w'’-])(?P<last>[^\W\d_a-z][^\W\d_a-z'’]*+(?:-[^\W\d_a-z][^\W\d_a-z'’]*+)*+),[ \t]+"
    r"(?P<given>[^\W\d_a-z][^\W\d_A-Z'’-]++(?:-[^\W\d_a-z][^\W\d_A-Z'’]++)?+"
    r"(?:[ \t][^\W\d_a-z][^\W\d_A-Z'’-]++(?:-[^\W\d_a-z][^\W\d_A-Z'’]++)?+){0,2})"
    r"(?=[ \t]*(?:$|[(.;,)\]|]|and\b|&)|[ \t]{2}|\t)",
    re.MULTILINE,
)
_VOWEL = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖØ-Ý]")
_CAPS_BEFORE = re.compile(r"(?<![\w'’-])[A-Z]{2,}[ \t]+$")
# People labels of minutes and notes (their list runs to the line end or the next label).
_PEOPLE_LIST = re.compile(
    r"(?<![\w-])(?:(?P<people>attendees|attending|present|in[ \t]attendance|apologies|absent|panel"
    r"|interview[ \t]panel|participants|invitees|interviewers?)"
    r"|cc|bcc|reviewers?|owners?|members|distribution|actions?|action[ \t]owners?|lead|assigned[ \t]to)"
    r"[ \t]*:[ \t]*",
    re.IGNORECASE,
)
_ITEM_SPLIT = re.compile(r"[ \t]*(?:[,;&+/]|\band\b)[ \t]*")
_NEXT_LABEL = re.compile(r";[ \t]*[A-Za-z][A-Za-z ]{0,30}:")
_INITIALS = re.compile(r"[A-Z]{2,3}")
_PAREN = re.compile(r"[ \t]*\([^()\n]{0,40}\)")
# "- KW to book room", "RT to check ref.", "Actions: JB to send", "JB + KW to ..."
_ACTION = re.compile(
    r"(?:^|(?<=[.!?:;])[ \t]|(?<=[ \t]-)[ \t])[ \t]*(?:[-*•][ \t]*|\d{1,2}[.)][ \t]*)?"
    r"(?P<who>[A-Z]{2,3}(?:[ \t]*(?:[+&/,]|and)[ \t]*[A-Z]{2,3}){0,3})[ \t]+(?:to[ \t]+[a-z]{2,}|(?P<verb>[a-z]{3,}))",
    re.MULTILINE,
)
# Verbs of minutes after initials that open a sentence: "MP reported reserves".
_MINUTES_VERBS = SPEECH_VERBS | frozenset(
    "reported agreed proposed seconded presented updated raised queried thanked welcomed opened closed "
    "summarised summarized outlined circulated chaired will would".split()
)
# A speaker label opening a line, perhaps after a time stamp: "CD: ...", "HOST (Jess): ...".
_SPEAKER = re.compile(
    r"^[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+)?"
    r"(?P<label>[^\W\d_][\w'’.-]*(?:[ \t][^\W\d_][\w'’.-]*){0,2})"
    r"(?:[ \t]*\((?P<paren>[^()\n]{1,30})\))?[ \t]*:[ \t]+(?P<said>[^\n]*)",
    re.MULTILINE,
)
# Labels of a record or a question-and-answer text that are no speakers.
_NOT_SPEAKERS = frozenset({"NB", "PS", "RE", "CC", "FYI", "TODO", "NOTE"})


def _span(start: int, end: int) -> Span:
    return Span(start, end, Label.PERSON, RECORD_SOURCE, 0.8, Evidence.PERSON_CONTEXT)


def _refused(low: str) -> bool:
    """A word that never stands in a person's name: a function word, a role, a body, a place
    classifier or a word saying there is no name."""
    return (
        low in FUNCTION_WORDS
        or low in _NO_NAME
        or low in ORG_WORDS
        or low in PLACE_CLASSIFIERS
        or low in THING_CLASSIFIERS
        or is_role_noun(low)
        or low in role_nouns()
    )


def _name_words(value: str, *, strict: bool) -> list[re.Match[str]] | None:
    """The words of a field's value when it can be a person's name (leading titles left
    out), else None. ``strict``: every word capitalised and none a frequent English word
    that is no name."""
    words = list(_WORD.finditer(value))
    for w in words:
        if w.group() in _ACRONYMS:  # "John SMITH DOB 01/02/80": the next field
            value = value[: w.start()]
            words = list(_WORD.finditer(value))
            break
    if not words or len(words) > 6 or _WORD.sub("", value).strip(" ,.-'’") != "":
        return None
    while words and words[0].group().casefold().rstrip(".") in TITLES:
        words.pop(0)
    if not words:
        return None
    lex = names_lexicon()
    for w in words:
        word = w.group()
        low = word.casefold().rstrip(".")
        if low in NAME_PARTICLES:
            continue
        if _refused(low) or not word[0].isupper():
            return None
        if strict and len(low) > 1 and lex.is_common(word) and not lex.is_name(word):
            return None
    return words


_LABEL_NOTE = re.compile(r"[ \t]*\((?!s\))[^()]*\)")


def _field_kind(label: str) -> str | None:
    """ "name" for a label whose value is a name ("SURNAME", "Patient name", "Name of
    deceased", "Full name (block capitals)"), "person" for one whose value is a person
    ("Suspect", "DRIVER"), else None."""
    low = " ".join(_LABEL_NOTE.sub("", label).casefold().replace("'s ", " ").replace("’s ", " ").split())
    if low.startswith("name of ") and low[8:] in _PERSON_FIELDS:
        return "name"
    if low in _NAME_FIELDS:
        return "name"
    if low in _PERSON_FIELDS:
        return "person"
    words = low.split()
    if len(words) >= 2 and " ".join(words[1:]) in _NAME_FIELDS and words[0] in _PERSON_FIELDS:
        return "name"  # "Patient name:", "Child's forename:"
    return None


def _field_names(text: str) -> Iterator[Span]:
    for m in _LABEL.finditer(text):
        words = list(re.finditer(r"\S+", m.group("label")))
        kind = None
        start = m.start("label")
        for k in range(min(4, len(words)), 0, -1):
            first = words[len(words) - k]
            kind = _field_kind(m.group("label")[first.start() :])
            if kind is not None:
                start = m.start("label") + first.start()
                break
        if kind is None or not _FIELD_START.search(text, max(0, start - 4), start):
            continue
        value = _VALUE.match(text, m.end())
        if value is None:
            continue
        raw = re.split(r"[ \t]{2}| - ", value.group())[0].rstrip()
        org_capable = kind == "person" and _label_head(text[start : m.end()]) in _ORG_CAPABLE_FIELDS
        yield from _value_names(m.end(), raw, strict=kind == "person", org_capable=org_capable)


def _label_head(label: str) -> str:
    words = _LABEL_NOTE.sub("", label).rstrip(" \t:0123456789").casefold().split()
    return words[-1] if words else ""


def _value_names(start: int, raw: str, *, strict: bool, org_capable: bool = False) -> Iterator[Span]:
    """Spans of the name in a field's value at ``start``: "SURNAME, Given" gives two.
    ``org_capable``: the label is a party a company can be too ("Respondent:"), so a value
    not written family name first must start with a given name or hold a listed name."""
    parts = raw.split(",")
    if len(parts) > 2:
        return
    offset = start
    found = []
    lex = names_lexicon()
    for part in parts:
        words = _name_words(part, strict=strict)
        if words is None:
            return
        found.append((offset + words[0].start(), offset + words[-1].end()))
        offset += len(part) + 1
        if org_capable and len(parts) == 1:
            surface = [w.group() for w in words]
            if not (
                surface[0].casefold() in first_names()
                or (len(surface) >= 2 and any(lex.is_name(w) and not lex.is_ordinary(w) for w in surface))
                or (len(surface) == 1 and lex.is_name(surface[0]) and not lex.is_ordinary(surface[0]))
            ):
                return  # "Respondent: Northwind": a company as likely as a person
    for s, e in found:
        yield _span(s, e)


def _family_first(text: str) -> Iterator[Span]:
    lex = names_lexicon()
    given_names = first_names()
    for m in _FAMILY_FIRST.finditer(text):
        last, given = m.group("last"), m.group("given")
        if len(last) < 2 or not last.isupper() or last in _ACRONYMS:
            continue
        if not all(_VOWEL.search(p) for p in last.split("-")):
            continue  # "CNRS, France": an acronym, not a family name
        if len(last) == 2 and not lex.is_surname(last):
            continue  # "the fifth century BC, Leucippus": two capitals are a known surname ("NG") or none
        if _CAPS_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue  # "IN THE COUNTY COURT AT LEEDS, ...": a heading in capitals
        head = given.split()[0]
        # the given name is a known one or no English word, or the family name is a known
        # surname or no English word ("SYDNEY-ACHEAMPONG, Ama")
        if not (
            head.casefold() in given_names
            or lex.is_given(head)
            or not lex.is_english(head)
            or lex.is_surname(last)
            or not all(lex.is_english(p) for p in last.split("-"))
        ):
            continue
        if _name_words(last, strict=True) is None or _name_words(given, strict=True) is None:
            continue
        if any(w.casefold() in places() and not lex.is_given(w) for w in given.split()) or (
            last.casefold() in places() and given.casefold() in places()
        ):
            continue  # "PARIS, Texas": a place and its state
        yield _span(m.start("last"), m.end("last"))
        yield _span(m.start("given"), m.end("given"))


_PAIR = re.compile(r"(?<![\w'’-])([A-Z])[a-z][\w'’-]*[ \t]+(?:[A-Z]\.[ \t]*)?([A-Z])[a-z]")


def _initials_ok(token: str) -> bool:
    return token not in _ACRONYMS and token.casefold() not in FUNCTION_WORDS


def _word_initials(text: str) -> set[str]:
    """Initials of the capitalised word pairs of ``text`` ("GO" of "Grace Olawale")."""
    return {m.group(1) + m.group(2) for m in _PAIR.finditer(text)}


def _initials_taken(token: str, text: str, pairs: set[str]) -> bool:
    """Capitals that can be initials here: no acronym or function word, and a frequent
    English word ("GO", "DO", "NO") only when a capitalised pair of the text has them as
    initials."""
    if not _initials_ok(token):
        return False
    return not names_lexicon().is_ordinary(token) or token in pairs


def _people_lists(text: str, lists: list[re.Match[str]]) -> Iterator[Span]:
    """Names in the people lists ``lists`` (the matches of ``_PEOPLE_LIST`` in ``text``)."""
    lex = names_lexicon()
    pairs = _word_initials(text) if lists else set()
    for m in lists:
        line_end = text.find("\n", m.end())
        body = text[m.end() : line_end if line_end >= 0 else len(text)]
        stop = _NEXT_LABEL.search(body)
        if stop is not None:
            body = body[: stop.start()]
        base = m.end()
        pos = 0
        for piece in [*_ITEM_SPLIT.split(body)]:
            at = body.find(piece, pos) if piece else -1
            if at < 0:
                continue
            pos = at + len(piece)
            item = _PAREN.sub("", piece).strip()
            if not item:
                continue
            s = base + at + piece.find(item)
            if _INITIALS.fullmatch(item) and _initials_taken(item, text, pairs):
                yield _span(s, s + len(item))
            elif (
                " " not in item
                and item[:1].isupper()
                and item[1:].islower()
                and not _refused(item.casefold())
                and (
                    (lex.is_given(item) and not lex.is_ordinary(item))
                    # a word in no English list only where the list is of people alone
                    # ("Present: ... Sunil"; not "Owner: Backend")
                    or (m.group("people") is not None and not lex.is_english(item))
                )
            ):
                yield _span(s, s + len(item))  # "Karolina (PMO)": a lone given name in the list


# Minutes and notes: actions, or a people label.
_MINUTES = re.compile(r"(?<![\w-])(?:[Aa]ctions?|ACTIONS?)\b")
# A turn that reads as speech: a question, or a first or second person pronoun.
_SPEECH = re.compile(r"\?|(?<![\w'’])(?:I|[Yy]ou|[Ww]e|[Mm]y|[Mm]e|[Yy]our)(?![\w])")


def _actions(text: str, people_list: bool) -> Iterator[Span]:
    """Initials in actions, in minutes and notes (``people_list``: ``text`` has a people list)."""
    if not (people_list or _MINUTES.search(text)):
        return  # "UAT to start Monday" outside minutes and notes
    pairs: set[str] | None = None
    for m in _ACTION.finditer(text):
        if m.group("verb") is not None and m.group("verb") not in _MINUTES_VERBS:
            continue
        for t in _INITIALS.finditer(m.group("who")):
            if pairs is None:
                pairs = _word_initials(text)
            if _initials_taken(t.group(), text, pairs):
                yield _span(m.start("who") + t.start(), m.start("who") + t.end())


# Capitals where a person is the object: "Next review with NA", "approved by PM".
_PERSON_SLOT = re.compile(
    r"(?<![\w-])(?:with|by|ask|tell|cc|ping|email)[ \t]+(?P<tok>[A-Z]{2,3})(?![\w'’/&-])"
)
_PLACE_ACRONYMS = frozenset({"UK", "US", "EU", "UN", "USA", "UAE", "NHS"})


def _person_slots(text: str) -> Iterator[Span]:
    """Capitals after "with", "by", "ask" ... that are the initials of a capitalised pair of
    the text, even when they spell an acronym ("review with NA" of "Noura Al-Mansouri")."""
    pairs: set[str] | None = None
    for m in _PERSON_SLOT.finditer(text):
        tok = m.group("tok")
        if pairs is None:
            pairs = _word_initials(text)
        if tok in pairs and tok not in _PLACE_ACRONYMS and tok.casefold() not in FUNCTION_WORDS:
            yield _span(m.start("tok"), m.end("tok"))


def _speakers(text: str) -> Iterator[Span]:
    lex = names_lexicon()
    labels = [m for m in _SPEAKER.finditer(text) if re.search(r"[a-z]", m.group("said"))]
    counts = Counter(m.group("label") for m in labels)
    if len(counts) < 2 or max(counts.values()) < 2:
        return
    if not any(_SPEECH.search(m.group("said")) for m in labels):
        return  # "JS: fix tooltip / CSS: ..." is a change log, not a conversation
    qa = "Q" in counts and "A" in counts
    for m in labels:
        label = m.group("label")
        if label in _NOT_SPEAKERS or (qa and label in ("Q", "A")):
            pass
        elif re.fullmatch(r"[A-Z]{1,3}", label):
            if label not in ("IT", "HR", "PMO", "QA", "OK", "NB", "PS", "DOB", "MRN", "REF", "ID"):
                yield _span(m.start("label"), m.end("label"))
        elif (
            label.isupper()
            and len(label) >= 3
            and " " not in label
            and ((lex.is_name(label) and not lex.is_ordinary(label)) or not lex.is_english(label))
        ):
            yield _span(m.start("label"), m.end("label"))  # "RAFAEL: Exactly.", "OKONKWO: No."
        paren = m.group("paren")
        if paren is not None and _INITIALS.fullmatch(paren.strip()) and _initials_ok(paren.strip()):
            s = m.start("paren") + paren.index(paren.strip())
            yield _span(s, s + len(paren.strip()))  # "Interviewer (SH):"


def record_names(text: str) -> Iterator[Span]:
    """PERSON evidence for names in records, minutes and transcripts (see the module docstring)."""
    yield from _field_names(text)
    yield from _family_first(text)
    lists = list(_PEOPLE_LIST.finditer(text))  # one scan for both rules: most texts have none
    yield from _people_lists(text, lists)
    yield from _actions(text, bool(lists))
    yield from _speakers(text)
    yield from _person_slots(text)


__all__ = ["RECORD_SOURCE", "record_names"]
