"""Context evidence that a capitalised name is a person, whatever the NER model says.

* a known first name followed by a capitalised surname: "Ana Ruiz" (``source="names"``);
* a title before it: "Dr. Ada Byron", "Mariupol Mayor Vadym Boichenko" (capitalised title
  word from :data:`~veil.detect.lexicon.TITLES`);
* a lower-case role before it: "military analyst Pavel Felgenhauer", "spokesperson Ana";
* an age after it: "Dmytro Vasylenko, 68, said";
* a speech verb after it: "Lavrov said" (weak: the resolver weighs it, and makes it a
  mention only when the words are shaped like a person's name);
* an e-mail address: the name before or above an address built from it, and any
  capitalised word that is part of an address's local part ("Tollefsen" after
  marek.tollefsen@...);
* family-name-first lists and headers ("London, Jack.", "MCALLISTER, EWAN"), citations
  ("Bavelier (2012)", "Gibbons et al."), credit lines and case names;
* greetings and sign-offs ("Hi Ottilie,", "Best,\nKasper"), quoted nicknames inside a
  name ('Ekaterina "Katya" Sorokina') and rulers' epithets ("Peter the Great");
* more citation shapes (:mod:`~veil.detect.citations`: "(see Dravnik 2014;", "Halvorsen
  and Pikuleva 2017.", "Marx, Karl and Engels, Friedrich") and name shapes
  (:mod:`~veil.detect.name_shapes`: "N S Andrews", "Carlo De Benedetti", "Judge Shanlyn
  Park");
* role labels, job titles in apposition, reference headings and same-line sign-offs
  ("Chair: Osric Fane", "Olamide Fashola, Lead Engineer"): :mod:`veil.detect.roles`.

Spans carry the label PERSON, ``source="context"`` (``context.cite`` / ``context.speech``)
and the :class:`~veil.model.Evidence` the resolver weighs. They cover only the name, not
the title or role; the resolver decides whether a title joins the mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from ..config import Policy
from ..model import Document, Evidence, Label, Span
from .citations import citation_spans
from .lexicon import (
    FUNCTION_WORDS,
    LABEL_WORDS,
    MAILBOX_WORDS,
    MASK_WORD,
    NAME_PARTICLES,
    NON_PERSON_WORDS,
    NOT_APPOSITION_ROLES,
    NOT_AUTHORS,
    NOT_NAMES,
    ORG_WORDS,
    PERSON_NOUNS,
    PERSON_TITLES,
    PLACE_CLASSIFIERS,
    ROLE_MODIFIERS,
    ROLES,
    SIGN_OFF_WORDS,
    SPEECH_VERBS,
    THING_CLASSIFIERS,
    TITLES,
    first_names,
    is_role_noun,
    places,
    surnames,
    used_in_lower_case,
)
from .name_shapes import shape_spans
from .names import lexicon as names_lexicon
from .roles import role_names

# Linear time: a word never starts inside another, and is matched atomically (it cannot
# end inside a word anyway, so nothing is lost; without it "Kowalski" * n backtracked).
_NAME_WORD = r"(?<![\w'’-])(?:[A-Z][a-z]?\.|(?>[A-Z][\w'’-]*[a-z][\w'’-]*)|[A-Z]{2,}(?![a-z]))"
_PARTICLE = "(?:" + "|".join(sorted(NAME_PARTICLES)) + ")"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_NAME_WORD}){{0,3}}"

# Citations: "Bavelier (2012)", "Green and Bavelier, 2003", "Klingberg et al. (2005)".
_AUTHOR = r"(?:(?<![\w'’])(?>[A-Z][\w'’]*[a-z][\w'’]*)(?:-[A-Z][\w'’]*+)?)"
_CITE_RE = re.compile(
    rf"(?P<names>{_AUTHOR}(?:[ \t]*(?:,[ \t]*(?:and|&)?|and|&)[ \t]*{_AUTHOR}){{0,6}})(?:[ \t]+et[ \t]+al\.?)?"
    r"(?:[ \t]*,[ \t]*|[ \t]+\([ \t]*)(?:19|20)\d\d[a-z]?\b"
    r"|(?P<names2>(?:(?<=\()|(?<=[(;] ))"
    + _AUTHOR
    + r"(?:[ \t]*(?:,|and|&)[ \t]*"
    + _AUTHOR
    + r"){0,3})[ \t]+(?:19|20)\d\d[a-z]?(?=[;)])"
)
# Credit lines: "Image: Nick Moreau", "Photo credit: Holley (Armstrong & Plaskitt)".
_CREDIT_RE = re.compile(
    rf"\b(?:Image|Photo|Photograph|Video|Picture|Illustration|Credit)s?(?:[ \t]+credits?)?:[ \t]+"
    rf"(?P<names>{_NAME}(?:[ \t]*(?:\(|&|,|and)[ \t]*{_NAME}\)?){{0,3}})"
)
_HEADING_LEAD = re.compile(r"(?:(?<![\w.'’&-])[A-Z][\w.'’&-]*+[ \t]+)*")
_NOT_CREDITED = frozenset(
    (
        "public domain|creative commons|wikimedia commons|wikimedia|wikipedia|flickr|getty images|"
        "getty|shutterstock|reuters|afp|ap|nasa|unknown|anonymous|twitter|facebook|instagram|"
        "youtube|tiktok|linkedin|pixabay|unsplash|istock"
    ).split("|")
)
# Case names: "Lynch v. Overholser".
_CASE_RE = re.compile(rf"(?P<a>{_AUTHOR})[ \t]+(?:vs?\.|versus)[ \t]+(?P<b>{_AUTHOR})")
# Reference lists and sign-offs in family-name-first order: "London, Jack. White Fang",
# "Marx, Karl and Engels, Friedrich.", "Greer, Alastair <...>", "Okafor, D. (2019)", and a
# quoted display name in a mail header ('From: "Greer, Alastair" <...>').
_FAMILY_FIRST_RE = re.compile(
    r"(?:^|(?<=\band )|(?<=; )|(?<=& )|(?<=: )|(?<=: \")|(?<=: “))[ \t]*(?P<last>(?>[A-Z][\w'’]*[a-z][\w'’-]*)),[ \t]+"
    r"(?P<given>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?|(?:[A-Z]\.[ \t]?){1,3})"
    r"(?=[ \t]*(?:[.,;&(<\"”]|and\b|$))",
    re.MULTILINE,
)
# The same in capitals, as forms and account records print it: "MCALLISTER, EWAN".
_FAMILY_FIRST_CAPS_RE = re.compile(
    r"(?<![\w'’-])(?P<last>[A-Z][A-Z'’-]{2,}),[ \t]+(?P<given>[A-Z]{3,})(?![\w'’-])"
)
# Wishes and greetings addressed to someone inside a line, in any case: "HAPPY BIRTHDAY
# SOLVEIG!!!", "Congrats Ottilie!", "thanks so much, Dmitri.", "Hi Kat! A lot of ...".
_WISH_RE = re.compile(
    r"(?<![\w'’-])(?i:happy[ \t]+birthday|happy[ \t]+bday|congratulations|congrats|well[ \t]+done|"
    r"good[ \t]+luck|get[ \t]+well[ \t]+soon|welcome[ \t]+back|thanks[ \t]+so[ \t]+much|thank[ \t]+you|"
    r"thanks|hi|hey|hello|bye|goodbye|love[ \t]+you|miss[ \t]+you)[ \t]*,?[ \t]+"
    r"(?P<name>[A-Z][a-z]++(?:-[A-Z][a-z]++)?+|[A-Z]{3,}+)(?=[ \t]*[!.,?:)]|[ \t]*$)",
    re.MULTILINE,
)
# A name addressed at the end of a question or request ("Can you pick this up, Ruairí?"),
# or in parentheses right after a role ("dietitian referral (Aoife)", "HR rep (Nadia)").
_VOCATIVE_RE = re.compile(r"(?<=[a-z]),[ \t]+(?P<name>[A-Z][a-zà-ÿ]++(?:-[A-Z][a-zà-ÿ]++)?+)(?=[ \t]*[?!])")
_ROLE_PAREN_RE = re.compile(
    r"(?<![A-Za-z])(?P<role>[A-Za-z]++)(?:[ \t]+(?P<role2>[a-z]++))?+[ \t]+\((?P<name>[A-Z][a-zà-ÿ]++(?:-[A-Z][a-zà-ÿ]++)?+)\)"
)
# An officer's rank and service number before the name, as statements print it:
# "PC 4471 HALVORSEN", "DS 2210 Okoro", "Sgt. 118 Ruiz".
_RANK_NUMBER_RE = re.compile(
    r"(?<![\w.'’-])(?:PC|WPC|DC|DS|DI|DCI|PS|Sgt|Insp|Cpl|Pte|Cst|Const|Officer|Deputy|Trooper)\.?"
    r"[ \t]+(?:No\.?[ \t]*)?\d{1,6}[ \t]+(?P<name>(?:[A-Z][a-z]++(?:[-'’][A-Z]?[a-z]++)*+|[A-Z][A-Z'’-]{2,}+)"
    r"(?:[ \t]+(?:[A-Z][a-z]++(?:[-'’][A-Z]?[a-z]++)*+|[A-Z][A-Z'’-]{2,}+)){0,2})(?![\w'’-])"
)
# Greetings and sign-offs name the people of a letter or e-mail: "Hi Ottilie,", "Dear Ms
# Quinn:", "Best,\nKasper".
_GREETING_RE = re.compile(
    r"^[ \t]*(?:Hi|Hello|Hey|Dear|Thanks|Thank[ \t]+you|Morning|Good[ \t]+(?:morning|afternoon|evening))"
    r"[ \t]+(?P<name>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2})[ \t]*[,!:]?[ \t]*$",
    re.MULTILINE,
)
_SIGN_OFF_RE = re.compile(
    r"^[ \t]*(?:Best|Best[ \t]+regards|Kind[ \t]+regards|Regards|Warm[ \t]+regards|Thanks|Many[ \t]+thanks|"
    r"Thank[ \t]+you|Cheers|Sincerely|Yours(?:[ \t]+(?:sincerely|faithfully|truly))?|All[ \t]+the[ \t]+best|"
    r"Take[ \t]+care|Love)[ \t]*[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t]*(?:--[ \t]*\n[ \t]*)?"
    r"(?P<name>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2})[ \t]*$",
    re.MULTILINE,
)
# An author's ideas: "Newton's concept of gravity", "Freud's libido", "Kuhn's theory".
_AUTHORS_IDEA_RE = re.compile(
    r"(?<![\w'’-])(?P<name>(?>[A-Z][\w-]*[a-z][\w-]*))['’]s[ \t]+(?:[a-z]+[ \t]+)?"
    r"(?:theory|theories|concept|concepts|idea|ideas|law|laws|theorem|hypothesis|thesis|conjecture|"
    r"principle|philosophy|novels?|poems?|poetry|paintings?|symphony|symphonies|libido|dialogues|"
    r"essays?|memoirs?|autobiography|biography|legacy|teachings)\b"
)
# A nickname in quotes inside a name: 'Ekaterina "Katya" Sorokina', "Tobias ('Tobi') Wren".
_QUOTED_NICKNAME_RE = re.compile(
    r"(?<![\w'’-])(?P<name>(?>[A-Z][\w'’-]*[a-z][\w'’-]*)[ \t]+\(?[\"“‘'][A-Z][\w-]+[\"”’']\)?[ \t]+"
    r"(?>[A-Z][\w'’-]*[a-z][\w'’-]*))"
)
# The same without quotes, in parentheses: "Dariusz (Darek) Wiśniewski".
_PAREN_NICKNAME_RE = re.compile(
    r"(?<![\w'’-])(?P<name>(?P<first>(?>[A-Z][\w'’-]*[a-z][\w'’-]*))[ \t]+\((?P<nick>[A-Z][a-z][\w-]{1,20})\)[ \t]+"
    r"(?>[A-Z][\w'’-]*[a-z][\w'’-]*))"
)
# "Gibbons et al. [4]", "Kovacs and Lund et al.": an author whatever follows.
_ET_AL_RE = re.compile(rf"(?P<names>{_AUTHOR}(?:[ \t]+(?:and|&)[ \t]+{_AUTHOR})?)[ \t]+et[ \t]+al\b")
# Epithets of rulers and saints: "Peter the Great", "Constantine the Great", "Pliny the Elder".
_EPITHET_RE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][a-z]+)[ \t]+the[ \t]+"
    r"(?:Great|Elder|Younger|Conqueror|Wise|Bold|Terrible|Pious|Just|Fair|Lionheart|Magnificent|Confessor|Venerable)\b"
)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+\b")
# Patterns tried at every position of a long text are slow, so detection starts from
# cheap anchors: a title or role word (looked up in a set) before a name; an age
# ("Dmytro Vasylenko, 68,"), "(born" / "was born" / ", who" or a speech verb after one;
# the year of a citation. "the mayor of Kherson, Ihor Kolesnyk, said" is a role of a place
# or body, then the name in apposition.
_NAME_AT = re.compile(_NAME)
_NAME_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_NAME})$")
_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")
_AGE_ANCHOR = re.compile(r",[ \t]+(?P<age>\d{1,3})(?=[ \t]*[,;.)])")
_BORN_ANCHOR = re.compile(r"[ \t]+\((?:born|b\.|née)\b|[ \t]+was[ \t]+born\b|,[ \t]+who\b")
_SPEECH_ANCHOR = re.compile(r"[ \t]+(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b")
# An apposition headed by a role or person noun: "Valeska Paris, an Australian woman and",
# "Ihor Kolesnyk, the mayor of Kherson,". At most three modifiers, none of them a possessive
# ("Google, the company's owner") or a word that starts a clause ("a city whose mayor").
_APPOSITION_ANCHOR = re.compile(
    r",[ \t]+(?:a|an|the)[ \t]+(?P<mods>(?:[\w-]+[ \t]+){0,3}?)(?P<noun>[a-z-]+)"
    r"(?=[ \t]*(?:[,.;:)]|$)|[ \t]+(?:and|who|from|of|at|in|with|for|since|to)\b)",
    re.MULTILINE,
)
_ADJECTIVES = frozenset(
    """
    young old elderly retired fellow longtime long-time famous renowned prominent leading noted
    well-known celebrated single married divorced unemployed self-employed successful talented
    disabled pregnant homeless wealthy poor british american english irish scottish welsh
    """.split()
)
# "a kid from Brooklyn, the son of ...": the apposition is not about a place after "from".
_PLACE_BEFORE = re.compile(r"\b(?:from|in|at|near|into|across)[ \t]+$")


def _is_modifier(word: str) -> bool:
    """A word that may stand between the article and the head noun of a person apposition:
    "an Australian woman", "a 17th-century writer", "the former mayor" (not "the JSC will
    receive pilot", "the company's owner")."""
    low = word.casefold()
    return (
        not low.endswith(("'s", "’s"))
        and low not in _STOP_LOWER
        and (
            low in _ADJECTIVES
            or low in ROLE_MODIFIERS
            or "-" in word
            or any(c.isdigit() for c in word)
            or (word[:1].isupper() and low.endswith(("an", "ese", "ish", "ic", "i")))
        )
    )


_TITLE_WORD = re.compile(r"\b(?P<word>[A-Z][a-z]*)\.?[ \t]+(?=[A-Z])")
_ROLE_WORD = re.compile(r"\b(?P<word>[a-z]+)[ \t]+(?=[A-Z])")
_ROLE_OF_WORD = re.compile(r"\b(?P<word>[a-z]+)[ \t]+of[ \t]+")
_ROLE_OF_TAIL = re.compile(
    rf"(?<![\w.'’-])(?:the[ \t]+)?[A-Z][\w.'’-]*+(?:[ \t]+[A-Z][\w.'’-]*+){{0,4}},[ \t]+(?P<name>{_NAME})(?=[ \t]*,)"
)
_LOOKBACK = 120
_GIVEN_SURNAME = re.compile(
    r"\b(?P<first>[A-Z][a-z]{2,})[ \t]+(?P<last>[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?)\b(?![-'’]\w)"
)
_PERSON_TITLE_SET = frozenset(PERSON_TITLES)
_ROLE_SET = frozenset(ROLES)
_PERSON_NOUN_SET = frozenset(PERSON_NOUNS)

_STOP_LOWER = frozenset(
    "the a an this that these those it he she they we i you his her their our my your its but and or if when "
    "while after before as at in on of for from to with by see also e.g. cf".split()
)
_STOP_FIRST = frozenset(
    """
    The A An This That These Those It He She They We I You His Her Their Our My Your Its
    But And Or If When While After Before As At In On Of For From To With By Mr Mrs Ms Dr
    """.split()
)


def _foreign_given(word: str) -> bool:
    """A given name of the multi-country lexicon that is not a frequent English word."""
    lex = names_lexicon()
    return lex.is_given(word) and not lex.is_ordinary(word)


def _adverb(word: str) -> bool:
    """ "Sadly", "Relatedly" (an English word, or one built on an English word of four
    letters or more), not the surname "Danly"."""
    lex = names_lexicon()
    stem = word[:-2]
    return lex.is_english(word) or (len(stem) >= 4 and lex.is_english(stem))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop leading stop words and trailing possessive; reject masks and title-only names."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and (
        words[0].group().rstrip(".") in _STOP_FIRST or words[0].group().rstrip(".").casefold() in TITLES
    ):
        words.pop(0)
    for i, w in enumerate(words):
        if i and (w.group().casefold() in NOT_AUTHORS or not w.group()[:1].isupper()):
            words = words[:i]
            break
    for i, w in enumerate(words[:-1]):
        if w.group().endswith(("'s", "’s")):  # "Nehru's Inaugural Address" -> "Nehru's"
            words = words[: i + 1]
            break
    # "Captain America Image: Nick Moreau": a word before a colon is a label, not a name
    if (
        words
        and text[start + words[-1].end() : start + words[-1].end() + 1] == ":"
        and words[-1].group().casefold() in LABEL_WORDS
    ):
        words.pop()
    if not words:
        return None
    s = start + words[0].start()
    e = start + words[-1].end()
    surface = text[s:e]
    for suffix in ("'s", "’s", "'", "’"):
        if surface.endswith(suffix):
            e -= len(suffix)
            break
    surface = text[s:e]
    if (
        not surface
        or any(MASK_WORD.match(w) for w in surface.split())
        or all(w.casefold() in TITLES for w in surface.split())
    ):
        return None
    if surface.split()[-1].casefold() in ORG_WORDS:
        return None
    return s, e


class ContextDetector:
    """Person names marked by a title, a role, an age or a speech verb around them."""

    name: ClassVar[str] = "context"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    @staticmethod
    def _name_before(text: str, end: int) -> tuple[int, int] | None:
        m = _NAME_BEFORE.search(text, max(0, end - _LOOKBACK), end)
        return (m.start("name"), m.end("name")) if m else None

    def _find(self, text: str) -> Iterator[Span]:
        found: list[tuple[int, int, float, Evidence]] = []
        # title or role word, then the name: "President Barack Obama", "analyst Pavel F."
        for m in _TITLE_WORD.finditer(text):
            if m.group("word").casefold() in _PERSON_TITLE_SET:
                name = _NAME_AT.match(text, m.end())
                if name:
                    found.append((name.start(), name.end(), 0.9, Evidence.PERSON_CONTEXT))
        for m in _ROLE_WORD.finditer(text):
            word = m.group("word")
            # a role noun beyond the core list counts unless a body can hold it too ("member")
            extra = (
                is_role_noun(word)
                and word not in NOT_APPOSITION_ROLES
                and text[m.start() - 1 : m.start()] != "-"
            )
            if word in _ROLE_SET or extra:  # not "all-girl Afghan team"
                name = _NAME_AT.match(text, m.end())
                if name:
                    found.append((name.start(), name.end(), 0.8, Evidence.PERSON_CONTEXT))
        # "the mayor of Kherson, Ihor Kolesnyk, said"
        for m in _ROLE_OF_WORD.finditer(text):
            if m.group("word") in _ROLE_SET:
                tail = _ROLE_OF_TAIL.match(text, m.end())
                if tail:
                    found.append((tail.start("name"), tail.end("name"), 0.8, Evidence.PERSON_CONTEXT))
        # the name before an age, "(born", "was born", ", who", or a speech verb
        for m in _AGE_ANCHOR.finditer(text):
            if 1 <= int(m.group("age")) <= 120 and (span := self._name_before(text, m.start())):
                found.append((*span, 0.8, Evidence.PERSON_CONTEXT))
        for m in _BORN_ANCHOR.finditer(text):
            if span := self._name_before(text, m.start()):
                found.append((*span, 0.8, Evidence.PERSON_CONTEXT))
        for m in _APPOSITION_ANCHOR.finditer(text):
            noun = m.group("noun")
            if (
                ((noun in _ROLE_SET and noun not in NOT_APPOSITION_ROLES) or noun in _PERSON_NOUN_SET)
                and all(_is_modifier(w) for w in m.group("mods").split())
                and (span := self._name_before(text, m.start()))
                and _PLACE_BEFORE.search(text, max(0, span[0] - 8), span[0]) is None
            ):
                found.append((*span, 0.8, Evidence.PERSON_CONTEXT))
        for m in _SPEECH_ANCHOR.finditer(text):
            if span := self._name_before(text, m.start()):
                found.append((*span, 0.5, Evidence.SPEECH))
        for start, end, score, evidence in found:
            trimmed = _trim(text, start, end)
            if trimmed is not None:
                source = "context.speech" if evidence is Evidence.SPEECH else "context"
                yield Span(trimmed[0], trimmed[1], Label.PERSON, source, score, evidence)

    @staticmethod
    def _citation_matches(text: str) -> Iterator[re.Match[str]]:
        seen: set[tuple[int, int]] = set()
        for year in _YEAR.finditer(text):
            start = max(0, year.start() - 250)
            for m in _CITE_RE.finditer(text, start, min(len(text), year.end() + 1)):
                if m.end() == year.end() and (m.start(), m.end()) not in seen:
                    seen.add((m.start(), m.end()))
                    yield m

    def _citations(self, text: str) -> Iterator[Span]:
        for m in self._citation_matches(text):
            group = "names" if m.group("names") else "names2"
            base = m.start(group)
            line_start = text.rfind("\n", 0, base) + 1
            after = text[m.end() : m.end() + 2].lstrip(")")
            if (not after or after[0] == "\n") and _HEADING_LEAD.fullmatch(text[line_start:base]):
                continue  # a heading such as "Pittsburgh Pirates (2012)", not a citation
            if re.search(r"\b(?:of|the|The)[ \t]+$", text[max(0, base - 5) : base]):
                continue  # "The Philosophy of Grammar (1924)": a work's title
            prev = re.search(r"([A-Z][\w'’]*)[ \t]+$", text[max(0, base - 30) : base])
            lead = 0
            if prev and prev.group(1).casefold() not in NOT_AUTHORS | _STOP_LOWER | NAME_PARTICLES:
                first = re.match(_AUTHOR, m.group(group))
                if (
                    first is None
                    or names_lexicon().is_english(first.group())
                    or names_lexicon().is_english(prev.group(1))
                ):
                    continue  # "Brideshead Revisited (2008)": the end of a longer title, not an author
                lead = len(prev.group(0))  # "Domínguez Caparrós, 2000": a two-word surname
            authors = [
                part
                for part in re.finditer(rf"{_AUTHOR}", m.group(group))
                if part.group().casefold() not in NOT_AUTHORS and part.group().casefold() not in TITLES
            ]
            # "Luján (2006)", "Feng, Spence, & Pratt, 2007", "Dye et al., 2010" are citations
            # beyond doubt and outweigh a place name; a lone "London, 2012" is only a hint.
            strong = (
                len(authors) >= 2
                or "(" in m.group()
                or text[max(0, m.start() - lead - 1) : m.start() - lead] == "("
                or " al" in m.group()
                or group == "names2"
            )
            source = "context.cite" if strong else "context.cite.weak"
            evidence = Evidence.CITATION if strong else Evidence.WEAK_CITATION
            for i, part in enumerate(authors):
                start = base + part.start() - (lead if i == 0 and part.start() == 0 else 0)
                yield Span(start, base + part.end(), Label.PERSON, source, 0.7, evidence)

    def _credits_cases_emails(self, text: str) -> Iterator[Span]:
        for m in _CREDIT_RE.finditer(text):
            base = m.start("names")
            for part in re.finditer(_NAME, m.group("names")):
                if part.group().casefold() in _NOT_CREDITED:
                    continue
                lead = re.match(r"[A-Z]{2,5}[ \t]+(?=[A-Z][a-z])", part.group())
                start = base + part.start() + (lead.end() if lead else 0)  # "NASA Bill Ingalls"
                trimmed = _trim(text, start, base + part.end())
                if trimmed is not None:
                    yield Span(trimmed[0], trimmed[1], Label.PERSON, "context.cite", 0.7, Evidence.CITATION)
        for m in _CASE_RE.finditer(text):
            for g in ("a", "b"):
                if m.group(g).casefold() not in NOT_AUTHORS:
                    yield Span(m.start(g), m.end(g), Label.PERSON, "context.cite", 0.6, Evidence.CITATION)
        # "Lotte Wilms lotte.wilms@kb.nl": a name right before an address built from it.
        for m in _EMAIL_RE.finditer(text):
            local = m.group().split("@")[0].casefold()
            before = re.search(
                rf"({_NAME})[ \t]*(?:\n[ \t]*){{0,2}}[(<]?$", text[max(0, m.start() - 80) : m.start()]
            )
            if before is None:
                continue
            start = m.start() - len(before.group(0)) + before.start(1) - before.start(0)
            words = list(re.finditer(r"\S+", before.group(1)))
            hits = [
                i
                for i, w in enumerate(words)
                if len(w.group()) > 2 and w.group().casefold().strip(".") in local
            ]
            if not hits:
                continue
            first = hits[0]
            # "Andrew Beresford a.m.beresford@...": the given name may appear only as an initial
            if first > 0 and words[first - 1].group()[0].casefold() == local[0]:
                first -= 1
            trimmed = _trim(text, start + words[first].start(), start + words[-1].end())
            if trimmed is not None:
                yield Span(trimmed[0], trimmed[1], Label.PERSON, "context", 0.9, Evidence.PERSON_CONTEXT)

    @staticmethod
    def _address_names(text: str) -> Iterator[Span]:
        """ "Hi, Tollefsen here" after marek.tollefsen@...: a capitalised word that is a part
        of an e-mail address's local part names the person the address belongs to. Parts
        that name a function ("support@") or that the text uses as ordinary lower-case
        words do not count, nor do the words of the domain, nor a word that starts a longer
        proper name ("Turismo Mérida" beside turismo@...)."""
        parts: set[str] = set()
        for m in _EMAIL_RE.finditer(text):
            local = m.group().split("@")[0]
            for part in re.split(r"[._+-]+", local):
                part = re.sub(r"\d+$", "", part)
                if len(part) >= 3 and part.isalpha() and part.casefold() not in MAILBOX_WORDS:
                    parts.add(part.casefold())
        parts = {p for p in parts if not used_in_lower_case(text, p)}
        if not parts:
            return
        pattern = re.compile(
            r"(?<![\w.@/'’-])(?:"
            + "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
            + r")(?![\w@'’-])(?!\.\w)",
            re.IGNORECASE,
        )
        runs: list[list[int]] = []
        for m in pattern.finditer(text):
            word = m.group()
            if not word[:1].isupper():
                continue
            if runs and re.fullmatch(r"[ \t]+", text[runs[-1][1] : m.start()]):
                runs[-1][1] = m.end()  # "Marek Tollefsen": both parts of marek.tollefsen@
                continue
            runs.append([m.start(), m.end()])
        for start, end in runs:
            nxt = re.match(r"[ \t]+[A-Z]", text[end : end + 3])
            if nxt is None:  # not the start of a longer proper name ("Turismo Mérida")
                yield Span(start, end, Label.PERSON, "context", 0.7, Evidence.PERSON_CONTEXT)

    @staticmethod
    def _letter_names(text: str) -> Iterator[Span]:
        """ "Hi Ottilie," on a line of its own, and the name under "Best," or "Regards,"."""
        for m in (*_GREETING_RE.finditer(text), *_SIGN_OFF_RE.finditer(text)):
            trimmed = _trim(text, m.start("name"), m.end("name"))
            if trimmed is None:
                continue
            words = text[trimmed[0] : trimmed[1]].split()
            if any(
                w.casefold() in FUNCTION_WORDS or w.casefold() in NOT_NAMES or is_role_noun(w) for w in words
            ):
                continue  # "Hi All,", "Thanks Everyone", "Dear Customer,"
            yield Span(trimmed[0], trimmed[1], Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT)

    @staticmethod
    def _addressed(text: str) -> Iterator[Span]:
        """ "..., Ruairí?": a given name of the lexicon addressed at the end of a question or
        request; "HR rep (Nadia)": a given name, or a word in no English word list that is no
        place, in parentheses right after a role noun."""
        lex = names_lexicon()

        def name_like(word: str) -> bool:
            low = word.casefold()
            if low in FUNCTION_WORDS or low in NOT_NAMES or low in TITLES or low in ORG_WORDS:
                return False
            if low in places() and not lex.is_given(word):
                return False
            return (lex.is_given(word) and not lex.is_ordinary(word)) or not lex.is_english(word)

        for m in _VOCATIVE_RE.finditer(text):
            word = m.group("name")  # a given name only: "Is it ready, Microsoft?" is not a person
            if lex.is_given(word) and name_like(word) and not used_in_lower_case(text, word.casefold()):
                yield Span(
                    m.start("name"), m.end("name"), Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT
                )
        for m in _ROLE_PAREN_RE.finditer(text):
            roles = (m.group("role"), m.group("role2") or "")
            if any(is_role_noun(r) for r in roles) and name_like(m.group("name")):
                yield Span(
                    m.start("name"), m.end("name"), Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT
                )

    @staticmethod
    def _wishes(text: str) -> Iterator[Span]:
        """ "HAPPY BIRTHDAY SOLVEIG!!!", "Congrats Ottilie!": the word a wish or greeting is
        addressed to, when the lexicon knows it as a given name that is no frequent English
        word ("Thanks Everyone", "Hi There", "Welcome Back" are not people)."""
        lex = names_lexicon()
        for m in _WISH_RE.finditer(text):
            word = m.group("name")
            low = word.casefold()
            if low in FUNCTION_WORDS or low in NOT_NAMES or is_role_noun(word):
                continue
            known = lex.is_given(word) and not lex.is_ordinary(word)
            unknown = not lex.is_english(word) and not word.isupper() and low not in places()
            if (known or unknown) and not used_in_lower_case(text, low):
                yield Span(
                    m.start("name"), m.end("name"), Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT
                )

    @staticmethod
    def _authors_ideas(text: str) -> Iterator[Span]:
        for m in _AUTHORS_IDEA_RE.finditer(text):
            if m.group("name").casefold() not in FUNCTION_WORDS | NOT_AUTHORS:
                yield Span(
                    m.start("name"), m.end("name"), Label.PERSON, "context.cite", 0.7, Evidence.CITATION
                )

    @staticmethod
    def _et_al_and_epithets(text: str) -> Iterator[Span]:
        for m in _ET_AL_RE.finditer(text):
            for part in re.finditer(_AUTHOR, m.group("names")):
                if part.group().casefold() not in NOT_AUTHORS | TITLES:
                    start = m.start("names") + part.start()
                    yield Span(
                        start, start + len(part.group()), Label.PERSON, "context.cite", 0.7, Evidence.CITATION
                    )
        for m in _EPITHET_RE.finditer(text):
            if m.group("name").casefold() not in FUNCTION_WORDS:
                yield Span(
                    m.start("name"), m.end("name"), Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT
                )

    @staticmethod
    def _quoted_nicknames(text: str) -> Iterator[Span]:
        """'Ekaterina "Katya" Sorokina': a quoted word between two names is a nickname,
        and the three words are one person's name."""
        for m in _QUOTED_NICKNAME_RE.finditer(text):
            yield Span(m.start("name"), m.end("name"), Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT)
        lex = names_lexicon()
        for m in _PAREN_NICKNAME_RE.finditer(text):
            # unquoted: a given name, and a word that starts like it and is no place or
            # English word ("Dariusz (Darek)"; not "Paris (France) Office")
            first, nick = m.group("first"), m.group("nick")
            if (
                lex.is_given(first)
                and nick[0] == first[0]
                and nick.casefold() not in places()
                and not lex.is_english(nick)
            ):
                yield Span(
                    m.start("name"), m.end("name"), Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT
                )

    @staticmethod
    def _family_name_first(text: str) -> Iterator[Span]:
        """ "London, Jack." at the start of a line (or after "and" in a list of authors): a
        surname, a comma, then a known first name or initials, then punctuation. In
        capitals ("MCALLISTER, EWAN") anywhere, when the second word is a known first name."""
        given = first_names()
        for m in _FAMILY_FIRST_CAPS_RE.finditer(text):
            last, first = m.group("last"), m.group("given")
            # a known first name, or the text writes the two in the usual order elsewhere
            paired = re.search(
                rf"(?<!\w){re.escape(first)}[ \t]+{re.escape(last)}(?!\w)", text, re.IGNORECASE
            )
            if last.casefold() in ORG_WORDS or re.search(
                r"\d[ \t]*(?:[A-Z]+[ \t]+)*$", text[max(0, m.start() - 30) : m.start()]
            ):
                continue  # "14 MILL LANE, ASHBY": an address, not a name
            if (
                first.casefold() in given or _foreign_given(first) or paired
            ) and last.casefold() not in FUNCTION_WORDS:
                for g in ("last", "given"):
                    yield Span(m.start(g), m.end(g), Label.PERSON, "context.cite", 0.7, Evidence.CITATION)
        for m in _FAMILY_FIRST_RE.finditer(text):
            last, first = m.group("last"), m.group("given")
            if (
                last.casefold() in NOT_AUTHORS | _STOP_LOWER | FUNCTION_WORDS
                or last.casefold() in TITLES
                or last.casefold() in SIGN_OFF_WORDS
            ):
                continue  # "Love, Anneke" closes a letter; it names one person, not two
            head = first.split()[0]
            # a quoted display name before an address ('"Okafor, Chidinma" <c.okafor@...>')
            # is a person's name whatever the lexicon knows
            quoted = text[m.start("last") - 1 : m.start("last")] in ('"', "“") and re.match(
                r"[\"”][ \t]*<", text[m.end() : m.end() + 4]
            )
            if "." not in first and head.casefold() not in given and not _foreign_given(head) and not quoted:
                continue
            if first.casefold() in places() or (last.casefold() in places() and head.casefold() not in given):
                continue  # "Evansville, Indiana": a place and its state ("London, Jack" is a name)
            if last.endswith("ly") and last.casefold() not in surnames() and _adverb(last):
                continue  # "Relatedly, Sharon Street": an adverb, then a name (not "Danly, Robert")
            # initials ("Peterson, C.;") stay with the surname's mention only
            for g in ("last",) if "." in first else ("last", "given"):
                yield Span(m.start(g), m.end(g), Label.PERSON, "context.cite", 0.7, Evidence.CITATION)

    def _given_names(self, text: str) -> Iterator[Span]:
        """ "Ana Ruiz": a known first name followed by a capitalised surname, which the small
        model sometimes misses entirely."""
        given = first_names()
        for m in _GIVEN_SURNAME.finditer(text):
            first, last = m.group("first"), m.group("last")
            if first.casefold() not in given or first.casefold() in NOT_NAMES:
                continue
            # part of a longer proper noun ("Sydney Morning Herald", "St. Louis Cardinals")?
            if re.match(r"[ \t]+[A-Z]", text[m.end() : m.end() + 2]) or re.search(
                r"[A-Z][\w.]*[ \t]+$", text[max(0, m.start() - 20) : m.start()]
            ):
                continue
            lw = last.casefold()
            if (
                lw in NOT_AUTHORS
                or lw in TITLES
                or lw in ORG_WORDS
                or lw in NON_PERSON_WORDS
                or lw in PLACE_CLASSIFIERS
                or lw in THING_CLASSIFIERS
                or lw in places()
            ):
                continue
            yield Span(m.start(), m.end(), Label.PERSON, "names", 0.6, Evidence.GIVEN_NAME)

    def detect(self, doc: Document) -> Iterable[Span]:
        return [
            *self._find(doc.text),
            *self._citations(doc.text),
            *self._credits_cases_emails(doc.text),
            *self._address_names(doc.text),
            *self._family_name_first(doc.text),
            *self._quoted_nicknames(doc.text),
            *self._et_al_and_epithets(doc.text),
            *self._authors_ideas(doc.text),
            *self._letter_names(doc.text),
            *self._given_names(doc.text),
            *shape_spans(doc.text),
            *citation_spans(doc.text),
            *role_names(doc.text),
            *self._rank_numbers(doc.text),
            *self._wishes(doc.text),
            *self._addressed(doc.text),
        ]

    @staticmethod
    def _rank_numbers(text: str) -> Iterator[Span]:
        """ "PC 4471 HALVORSEN": the name after an officer's rank and number."""
        for m in _RANK_NUMBER_RE.finditer(text):
            words = m.group("name").split()
            while words and (words[-1].casefold() in FUNCTION_WORDS or is_role_noun(words[-1])):
                words.pop()
            lex = names_lexicon()
            # a product after a model number ("PC 4000 Pro") is an English word, not a name
            if words and not all(w.isupper() or lex.is_name(w) or not lex.is_english(w) for w in words):
                continue
            if words:
                end = m.start("name") + len(" ".join(words))
                if text[m.start("name") : end] == " ".join(words):
                    yield Span(m.start("name"), end, Label.PERSON, "context", 0.8, Evidence.PERSON_CONTEXT)


__all__ = ["ROLE_MODIFIERS", "ContextDetector"]
