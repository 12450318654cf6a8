"""Role and appositive context for names nothing else knows (forms, minutes, letters, team pages).

A pair of capitalised words that is in no name list and that the model misses is still a
person when the text gives it a role:

* a **role label with a colon** before it, as forms, tickets and minutes write them:
  "Chair: Perpetua Lindgren. Secretary: Osric Fane.", "Assignee: Dev Ramaswamy",
  "Witnesses: Ines Ferro and Tom Akande", "Patient name: ..." (the label is a role noun,
  singular or plural, "Name", or a form label such as "Present", "Apologies", "Prepared
  by", "Signed"). After a role a company holds as well ("Customer:", "Supplier:",
  "Landlord:") the name must start with a given name ("Customer: Northwind Traders" is
  not taken);
* a **job title in apposition** after it, with no article: "Olamide Fashola, Lead
  Engineer", "Kit Amory, senior planner at the council" (the title's head is a role
  noun; roles a company can hold as well, "Toyota, market leader", do not count);
* a **reference or recommendation** heading: "Reference for Abimbola Durojaiye",
  "Letter of recommendation for ...";
* a **sign-off** on the name's line or the line above it: "Cordially, Hartmut Wendel",
  "Respectfully,\\nIngrid Solberg" (a single word there only when it is a listed name).

A name candidate has one to four capitalised words (particles and initials between
them); one with a word that names a body, a place, a role, a weekday or a function word
("Finance Committee", "Monday", "Everyone") is not taken, nor one whose words the text also
writes in lower case. Spans carry :attr:`~veil.model.Evidence.PERSON_CONTEXT`, the weight
the resolver gives a title; propagation then finds the bare surname and first name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Evidence, Label, Span
from .lexicon import (
    FUNCTION_WORDS,
    NAME_PARTICLES,
    NOT_APPOSITION_ROLES,
    NOT_NAMES,
    ORG_WORDS,
    PLACE_CLASSIFIERS,
    THING_CLASSIFIERS,
    TITLES,
    first_names,
    is_role_noun,
    places,
    role_nouns,
    surnames,
    used_in_lower_case,
)
from .names import lexicon as names_lexicon

_WORD = r"(?:[A-Z]\.|(?>[A-Z][\w'’]*[a-z][\w'’]*)(?:-[A-Z][\w'’]*)?)"
_PARTICLE = "(?:" + "|".join(sorted(NAME_PARTICLES)) + ")"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_WORD}){{0,3}}"
_NAME_RE = re.compile(rf"(?<![\w'’.-]){_NAME}(?![\w'’-])")
# What may follow a name so that the name is whole: punctuation, a line end, "and", "(".
_NAME_END = r"(?=[ \t]*(?:[.,;)(/|]|\band\b|&|$))"

# "Chair: X", "Witnesses: X, Y and Z", "Prepared by: X". A label starts a line or follows
# a sentence end, a bar or a semicolon.
_LABEL_RE = re.compile(
    r"(?:^|(?<=[.;|])[ \t]+|(?<=\t))[ \t]*(?P<label>[A-Z][a-z]+(?:[ \t]+[a-z]+){0,2})[ \t]*:[ \t]*"
    rf"(?P<names>{_NAME}(?:[ \t]*(?:,|&|\band\b)[ \t]*{_NAME}){{0,7}}){_NAME_END}",
    re.MULTILINE,
)
_FORM_LABEL_PHRASES = frozenset(
    {
        "chair",
        "co-chair",
        "vice-chair",
        "vice chair",
        "present",
        "attendees",
        "attending",
        "apologies",
        "absent",
        "signed",
        "signature",
        "signatory",
        "contact",
        "assigned",
        "assigned to",
        "minute taker",
        "note taker",
        "notetaker",
    }
    | {
        f"{verb} by"
        for verb in "prepared reported raised approved reviewed chaired minuted taken written requested "
        "submitted authorised authorized completed checked signed".split()
    }
)
# "Olamide Fashola, Lead Engineer": a name, a comma, a job title without an article.
_APPOSITION_RE = re.compile(
    rf"(?<![\w'’.-])(?P<name>{_NAME}),[ \t]+(?P<title>(?:[A-Za-z][\w-]*[ \t]+){{0,3}}?[A-Za-z][\w-]*)"
    r"(?=[ \t]*(?:[,.;:)|]|$|\n)|[ \t]+(?:at|of|for|in|with|from|and)\b|[ \t]+[-–—])",
    re.MULTILINE,
)
_REFERENCE_RE = re.compile(
    r"\b(?:[Rr]eference|[Rr]ecommendation|[Tt]estimonial|[Rr]eferee[ \t]+report)(?:[ \t]+[Ll]etter)?"
    rf"[ \t]+(?:for|on|regarding|re:?)[ \t]+(?P<name>{_NAME}){_NAME_END}",
    re.MULTILINE,
)
_SIGN_OFF_WORDS = (
    r"(?:Cordially|Respectfully|Sincerely|Regards|Best[ \t]+regards|Kind[ \t]+regards|Warm[ \t]+regards|"
    r"Warmly|Best[ \t]+wishes|With[ \t]+thanks|Many[ \t]+thanks|With[ \t]+best[ \t]+wishes|"
    r"Yours[ \t]+(?:sincerely|faithfully|truly|respectfully))"
)
_SIGN_OFF_RE = re.compile(
    rf"^[ \t]*{_SIGN_OFF_WORDS}[ \t]*,?[ \t]*(?:\n[ \t]*)?(?P<name>{_NAME})[ \t]*[.,]?[ \t]*$",
    re.MULTILINE,
)


def _is_name(text: str, words: list[str]) -> bool:
    """Whether capitalised ``words`` can be a person's name: no body, place, role,
    function word or weekday among them, and not all of them ordinary words of the text."""
    core = [w for w in words if w.casefold() not in NAME_PARTICLES]
    if not core or all(len(w.rstrip(".")) == 1 for w in core):
        return False
    lex = names_lexicon()
    for w in core:
        low = w.casefold().rstrip(".")
        if len(low) == 1:
            continue
        if (
            low in FUNCTION_WORDS
            or low in NOT_NAMES
            or low in TITLES
            or low in ORG_WORDS
            or low in PLACE_CLASSIFIERS
            or low in THING_CLASSIFIERS
            or is_role_noun(low)
            or low in role_nouns()
            or used_in_lower_case(text, low)
        ):
            return False
    full = " ".join(core).casefold()
    if full in places() or all(w.casefold() in places() for w in core):
        return False
    if len(core) == 1:
        # a lone word after a label ("Assignee: Unassigned", "Owner: Backend"): only a
        # listed name that is not a frequent English word
        word = core[0]
        return not lex.is_ordinary(word) and (lex.is_name(word) or word.casefold() in surnames())
    return not all(lex.is_common(w) and not lex.is_name(w) for w in core)


# Roles a company or body holds as often as a person ("Customer: Northwind Traders",
# "Acme, supplier of fittings"): after such a label the name must start with a given name.
_ORG_CAPABLE = NOT_APPOSITION_ROLES | frozenset(
    """
    customer client supplier vendor seller buyer purchaser employer contractor subcontractor lender
    borrower insurer insured licensee licensor landlord publisher sponsor partner member
    beneficiary recipient sender addressee agent operator host developer manufacturer distributor
    provider carrier shipper consignee guarantor trustee payee payer
    """.split()
)
_NAME_LABELS = frozenset({"name", "full name", "given name", "first name", "last name", "surname"})


def _label_kind(label: str) -> str | None:
    """How a label before a colon marks the names after it: ``"person"`` (a role only a
    person holds, "Chair", "Witness", "Name"), ``"given"`` (a role a company holds too, so
    the name must start with a given name), or None (not a role: "Status", "Location")."""
    low = " ".join(label.casefold().split())
    if low in _FORM_LABEL_PHRASES or low in _NAME_LABELS:
        return "person"
    words = low.split()
    if len(words) >= 2 and words[-1] == "name":  # "Patient name", "Employee name"
        words = words[:-1]
    if len(words) > 2 or not is_role_noun(words[-1]):
        return None
    head = words[-1][:-1] if words[-1].endswith("s") and words[-1][:-1] in _ORG_CAPABLE else words[-1]
    return "given" if head in _ORG_CAPABLE else "person"


def _job_title(title: str) -> bool:
    """ "Lead Engineer", "senior planner": modifiers, then a role noun that a company
    cannot hold as well."""
    words = title.split()
    head = words[-1].casefold()
    if head in _ORG_CAPABLE or not is_role_noun(head):
        return False
    return all(w.casefold() not in FUNCTION_WORDS or w.casefold() == "of" for w in words[:-1])


def _given(word: str) -> bool:
    lex = names_lexicon()
    return word.casefold() in first_names() or (lex.is_given(word) and not lex.is_ordinary(word))


def _spans(
    text: str, start: int, group: str, *, given_first: bool = False, lone: bool = True
) -> Iterator[Span]:
    """Person spans for the names in ``group`` (at ``start``). ``given_first``: each must
    start with a given name; ``lone``: a single word may be a name by itself."""
    lex = names_lexicon()
    for m in _NAME_RE.finditer(group):
        words = list(re.finditer(r"\S+", m.group()))
        # "Contact Marisol Quennell": a leading ordinary word is not part of the name
        while len(words) > 2 and lex.is_common(words[0].group()) and not lex.is_name(words[0].group()):
            words.pop(0)
        surface = [w.group() for w in words]
        if given_first and not _given(surface[0]):
            continue
        if len(surface) == 1 and not (lone or lex.is_name(surface[0])):
            continue
        if _is_name(text, surface):
            s, e = start + m.start() + words[0].start(), start + m.start() + words[-1].end()
            yield Span(s, e, Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT)


def role_names(text: str) -> Iterator[Span]:
    """Person spans for names a role label, a job title, a reference heading or a
    sign-off marks (see the module docstring)."""
    for m in _LABEL_RE.finditer(text):
        kind = _label_kind(m.group("label"))
        if kind is not None:
            yield from _spans(text, m.start("names"), m.group("names"), given_first=kind == "given")
    for m in _APPOSITION_RE.finditer(text):
        if len(m.group("name").split()) >= 2 and _job_title(m.group("title")):
            yield from _spans(text, m.start("name"), m.group("name"))
    for m in (*_REFERENCE_RE.finditer(text), *_SIGN_OFF_RE.finditer(text)):
        yield from _spans(text, m.start("name"), m.group("name"), lone=False)


__all__ = ["role_names"]
