"""Quasi-identifiers that describe a person: nationality, religion and ethnicity, an
occupation, and quantities such as height, weight, pay or the number of children.

None of these names anyone alone; together ("a 34-year-old Moldovan nurse from Bălți")
they can. The ``strict`` preset masks them; ``pii`` does not protect their labels, so the
pipeline drops them there.

* NORP: a capitalised demonym or nationality ("Moldovan", "Crimean Tatar",
  "Filipino-American"), a religion or its follower ("Muslim", "Seventh-day Adventist"),
  and a colour word for ethnicity only before a person noun ("a white man").
* OCCUPATION: a job noun from :data:`OCCUPATIONS`, with up to two modifiers before it
  ("long-distance lorry driver", "retired schoolteacher", "Senior Warehouse Supervisor").
* QUANTITY: sums of money with a currency ("£5,000", "EUR 2.978,00", "2,300 lei"),
  body measures and speeds ("1.91 m", "5 ft 4 in", "96 kg", "98 mph", "six feet"), and
  counts of people ("three children", "two other students").

Every expression is an alternation of literals or bounded, possessive repetition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Label
from .hits import Hit, matches_at

_DEMONYMS = (
    "Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian Australian Austrian "
    "Azerbaijani Bahraini Bangladeshi Belarusian Belgian Bolivian Bosnian Brazilian British Bulgarian "
    "Burmese Cambodian Cameroonian Canadian Chadian Chilean Chinese Colombian Congolese Croatian Cuban "
    "Cypriot Czech Danish Dominican Dutch Ecuadorian Egyptian Emirati English Eritrean Estonian Ethiopian "
    "Filipino Finnish French Georgian German Ghanaian Greek Guatemalan Guinean Haitian Honduran Hungarian "
    "Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican Japanese Jordanian "
    "Kazakh Kenyan Korean Kosovar Kuwaiti Kyrgyz Laotian Latvian Lebanese Liberian Libyan Lithuanian "
    "Luxembourgish Macedonian Malagasy Malaysian Malian Maltese Mexican Moldovan Mongolian Montenegrin "
    "Moroccan Mozambican Namibian Nepalese Nepali Nicaraguan Nigerian Nigerien Norwegian Omani Pakistani "
    "Palestinian Panamanian Paraguayan Peruvian Polish Portuguese Qatari Romanian Russian Rwandan Salvadoran "
    "Saudi Scottish Senegalese Serbian Singaporean Slovak Slovenian Somali Spanish Sudanese Swedish Swiss "
    "Syrian Taiwanese Tajik Tanzanian Thai Tunisian Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek "
    "Venezuelan Vietnamese Welsh Yemeni Zambian Zimbabwean "
    "Roma Romani Kurdish Tatar Crimean Chechen Basque Catalan Berber Tamil Sinhalese Pashtun Hazara Uyghur "
    "Yazidi Sami Flemish Walloon Punjabi Gujarati Bengali Hispanic Latino Latina Arab Persian Turkic "
    "Caucasian Aboriginal"
).split()
_RELIGIONS = (
    "Muslim Muslims Islamic Christian Christians Catholic Catholics Protestant Protestants Jewish Jew Jews "
    "Hindu Hindus Sikh Sikhs Buddhist Buddhists Orthodox Anglican Methodist Baptist Lutheran Presbyterian "
    "Evangelical Pentecostal Mormon Quaker Adventist Shia Shiite Sunni Alevi Ahmadi Bahá'í Baha'i Rastafarian "
    "Atheist atheist agnostic Agnostic"
).split()
_DEM_WORD = "|".join(sorted(set(_DEMONYMS) | set(_RELIGIONS), key=len, reverse=True))
_NORP = re.compile(
    r"(?<![\w\-])(?:the[ \t])?(?:Seventh-day[ \t]Adventist(?:[ \t]Church)?|Jehovah's[ \t]Witness(?:es)?|"
    rf"(?:{_DEM_WORD})(?:[\-][A-Z][a-z]{{2,15}}+)?(?:[ \t](?:{_DEM_WORD}))?)(?![\w\-])"
    # "the Turkish courts", "the German Government": a State's institutions, not a person.
    r"(?![ \t](?:[Gg]overnment|[Cc]ourts?|[Aa]uthorities|[Ll]aw|[Cc]onstitution|[Ss]tate|[Pp]arliament|"
    r"[Mm]inistry|[Pp]olice|[Aa]rmy|[Ee]mbassy|[Cc]ode|[Ll]egislation|[Pp]rosecutor|[Cc]ourt)(?![\w]))"
)
_COLOUR = re.compile(
    r"(?i)(?<![\w\-])(white|black|asian|mixed[\- ]race)(?=[ \t](?:man|woman|men|women|male|female|person|"
    r"boy|girl|youth|british|teenager))"
)

OCCUPATIONS: tuple[str, ...] = tuple(
    (
        "accountant actor actress architect artist baker banker barber barrister builder butcher carer "
        "carpenter cashier chef chemist cleaner clerk coach cook courier dentist designer developer "
        "doctor driver economist editor electrician engineer farmer firefighter fisherman gardener "
        "hairdresser imam journalist labourer laborer lawyer lecturer librarian mechanic midwife "
        "miner musician nurse officer painter paramedic pharmacist photographer physician physiotherapist "
        "pilot plumber priest professor programmer psychologist rabbi receptionist researcher "
        "salesman saleswoman scientist secretary soldier solicitor student surgeon supervisor tailor "
        "teacher schoolteacher technician therapist trader translator tutor vet veterinarian waiter "
        "waitress welder master cardiologist consultant manager analyst administrator inspector "
        "constable sergeant guard caretaker porter postman shopkeeper housekeeper nanny childminder "
        "pastor vicar monk nun social worker police officer spokesperson spokesman spokeswoman"
    ).split()
)
_OCC_HEAD = "|".join(sorted({o for o in OCCUPATIONS} | {o + "s" for o in OCCUPATIONS}, key=len, reverse=True))
_STOP = (
    "a|an|the|as|is|was|were|are|be|been|being|his|her|their|my|our|your|its|of|and|or|to|for|with|at|in|on|"
    "by|from|she|he|they|who|that|this|these|those|new|our|no|not|our|by|attended|worked|works|work|saw|"
    "said|told|called|asked|both|all|one|two|three|some|any|each|every|other|another|see|please|dear"
)
_OCCUPATION = re.compile(
    rf"(?i)(?<![\w\-])(?:(?!(?:{_STOP})(?![\w\-]))[A-Za-z][a-z\-]{{1,20}}+[ \t]){{0,2}}"
    rf"(?:{_OCC_HEAD})(?![\w\-])"
)
_OCC_LEADING_STOP = re.compile(rf"(?i)^(?:(?:{_STOP})[ \t])+")

_NUM_WORD = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_MONEY = re.compile(
    r"(?<![\w.,])(?:"
    r"(?:[£$€¥]|(?:EUR|USD|GBP|NOK|CHF|SEK|DKK|PLN|CAD|AUD|INR|RON|UAH|MDL)[ \t])[ \t]?\d{1,3}+(?:[,.  ]\d{3}){0,5}+(?:[.,]\d{1,2})?"
    r"|\d{1,3}+(?:[,.  ]\d{3}){0,5}+(?:[.,]\d{1,2})?[ \t](?:lei|euros?|dollars|pounds|kroner|francs|hryvnias?|zlotys?|rupees)"
    r")(?![\w]|[.,]\d)"
)
_MEASURE = re.compile(
    r"(?<![\w.,])(?:"
    r"\d{1,2}[ \t]?(?:ft|feet|foot|')(?:[ \t]?\d{1,2}[ \t]?(?:in|inches|\"))?"
    r"|\d{1,3}(?:[.,]\d{1,2})?[ \t]?(?:kg|kilos|kilograms|lbs?|pounds|stone|st|cm|m|metres|meters|mph|km/h)"
    rf"|(?i:{_NUM_WORD})[ \t](?:feet|foot|stone)"
    r")(?![\w])"
)
_PEOPLE = re.compile(
    rf"(?i)(?<![\w\-])(?:\d{{1,2}}|{_NUM_WORD})(?:[ \t](?:other|young|adult|small|grown-up|teenage))?[ \t]"
    r"(?:children|child|kids|sons?|daughters?|grandchildren|grandsons?|granddaughters?|siblings|brothers?|"
    r"sisters?|students|flatmates|dependants|dependents)(?![\w])"
)


_RUN = re.compile(r"\w+")
# The first run of word characters of each way a NORP match can begin ("the", "Seventh"
# of "Seventh-day", "Bahá" of "Bahá'í"): a match starts only at such a run.
_NORP_FIRST = frozenset(
    m.group() for w in (*_DEMONYMS, *_RELIGIONS, "the", "Seventh", "Jehovah") if (m := re.match(r"\w+", w))
)


def _norp_matches(text: str) -> Iterator[re.Match[str]]:
    """Exactly ``_NORP.finditer(text)`` (the expression is case-sensitive, and a demonym is
    followed by no word character, so its first run of word characters is one of
    ``_NORP_FIRST``), trying the expression only there."""
    starts = [w.start() for w in _RUN.finditer(text) if w.group() in _NORP_FIRST]
    return matches_at(_NORP, text, starts)


def norp(text: str) -> Iterator[Hit]:
    for m in _norp_matches(text):
        start = m.start() + (4 if text.startswith(("the ", "the\t"), m.start()) else 0)
        yield Hit(start, m.end(), Label.NORP, 0.7)
    for m in _COLOUR.finditer(text):
        yield Hit(m.start(1), m.end(1), Label.NORP, 0.5)


# The bare job noun, which every occupation match ends with, and the first words of the job
# nouns (lower case). No match of _OCCUPATION starts more than _OCC_REACH characters before
# its head (two modifiers of at most 21 letters and a blank each), so the full expression
# only runs near a head.
_OCC_HEAD_RE = re.compile(rf"(?i)(?<![\w\-])(?:{_OCC_HEAD})(?![\w\-])")
_OCC_FIRST = frozenset(h.split()[0] for h in _OCC_HEAD.split("|"))
_OCC_REACH = 2 * (21 + 1)


def _occupation_matches(text: str) -> Iterator[re.Match[str]]:
    """Exactly ``_OCCUPATION.finditer(text)``, without trying the expression at every word.

    A head starts a run of word characters: one whose lower case is no first word of a job
    noun cannot start one (a word that is not ASCII is checked by the expression, since
    case-insensitive matching folds "ſ" to "s"). A match starting at ``p >= pos`` has its
    head within ``_OCC_REACH`` characters of ``p``; so if the first head at or after ``pos``
    starts at ``h``, no match starts before ``h - _OCC_REACH``, and the search may begin there
    (it finds a match, at the latest the head itself)."""
    pos = 0
    for w in _RUN.finditer(text):
        start = w.start()
        if start < pos:
            continue
        word = w.group()
        if word.isascii() and word.lower() not in _OCC_FIRST:
            continue
        if _OCC_HEAD_RE.match(text, start) is None:
            continue
        m = _OCCUPATION.search(text, max(pos, start - _OCC_REACH))
        if m is None:  # pragma: no cover - the head itself matches
            return
        yield m
        pos = m.end()


def occupations(text: str) -> Iterator[Hit]:
    for m in _occupation_matches(text):
        start = m.start()
        lead = _OCC_LEADING_STOP.match(text, start, m.end())
        if lead is not None:
            start = lead.end()
        if start < m.end():
            yield Hit(start, m.end(), Label.OCCUPATION, 0.5)


def quantities(text: str) -> Iterator[Hit]:
    for pattern in (_MONEY, _MEASURE, _PEOPLE):
        for m in pattern.finditer(text):
            yield Hit(m.start(), m.end(), Label.QUANTITY, 0.6)


# ------------------------------------------------------------------------------ places

_POSTCODE = re.compile(
    r"(?<![\w\-])(?:"
    r"(?:GIR[ ]0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]\d[ABD-HJLNP-UW-Z]{2})"  # UK: HW3 9QT, LA10 5BE
    r"|[AC-FHKNPRTV-Y]\d{2}[ ][AC-FHKNPRTV-Y0-9]{4}"  # Ireland (Eircode): N37 X2T6
    r")(?![\w])"
)
# Continental street addresses: "Bergmannstraße 12, 10961 Berlin", "rue des Tanneurs 14, 5000 Namur".
_CONTINENTAL = re.compile(
    r"(?<![\w\-])(?:"
    r"[A-ZÄÖÜ][a-zäöüß\-]{1,30}(?:stra(?:ß|ss)e|str\.|allee|weg|platz|gasse|ring|damm|ufer|steig)"
    r"|(?:[A-ZÄÖÜ][a-zäöüß]{1,20}+[ \t])?(?:Allee|Straße|Strasse|Weg|Platz)"
    r"|(?:rue|avenue|boulevard|chemin|place|quai|via|viale|piazza|calle|avenida|plaza|straat|laan|gracht)"
    r"(?:[ \t](?:de|des|du|de la|del|della|di|van|der)){0,2}+[ \t][A-ZÉ][\w\-']{1,25}+"
    r")[ \t]\d{1,4}[a-z]?(?:,[ \t]{1,2}(?:[A-Z]-)?\d{4,5}[ \t][A-ZÄÖÜ][a-zäöüßé\-]{1,25}+)?(?![\w])"
)
_UNIT = re.compile(r"(?<![\w])(?:Flat|Apartment|Apt\.?|Unit|Suite)[ \t]\d{1,4}[A-Z]?(?=,)")
_ZIP_CITY = re.compile(r"(?<=,[ \t])\d{4,5}[ \t][A-ZÄÖÜ][a-zäöüßé\-]{1,25}+(?![\w])")


def places(text: str) -> Iterator[Hit]:
    for pattern in (_POSTCODE, _CONTINENTAL, _UNIT, _ZIP_CITY):
        for m in pattern.finditer(text):
            yield Hit(m.start(), m.end(), Label.ADDRESS, 0.6)
