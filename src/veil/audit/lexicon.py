"""The audit's word lists: roles, offices, speech verbs and words that are not names.

Lists shared with detection (titles, organisation words, places, first names) come from
:mod:`veil.detect.lexicon`; they are loaded lazily so that ``import veil.audit`` stays light.
"""

from __future__ import annotations

import re

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
PERSON_ROLES = frozenset(
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
ROLE_WORDS = ONE_HOLDER_OFFICES | FEW_HOLDER_ROLES | RARE_OCCUPATIONS | PERSON_ROLES
# Department words that qualify an office ("Foreign Minister", "Defense Secretary").
DEPARTMENTS = frozenset(
    """
    foreign defense defence interior finance home health education justice state prime vice deputy
    chief executive general high senior former acting interim assistant associate military political
    local regional national federal district city county regional
    """.split()
)
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|wrote|writes|noted|notes|asked|"
    "replied|warned|warns|insisted|argued|claimed|announced|declared|voiced|urged|acknowledged|"
    "recalled|commented|confirmed|denied|admitted|testified|tweeted|quoted|continued"
)
SPEECH_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
# Capitalised words that are not names: function words, pronouns, days, months, plurals
# that report speech ("Officials said").
NOT_NAMES = frozenset(
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
CONTRACTION = re.compile(r"['’](?:t|d|ll|re|ve|m)$", re.IGNORECASE)
LOCATIVE = frozenset("in at near from to into outside around across toward towards of on".split())
PLACE_NOUNS = frozenset(
    "district street road avenue square region province oblast county village town city neighborhood "
    "neighbourhood area suburb municipality state river".split()
)
WEEKDAYS_MONTHS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)


def places() -> frozenset[str]:
    from ..detect.lexicon import places as _places

    return _places()


def first_names() -> frozenset[str]:
    from ..detect.lexicon import first_names as _first_names

    return _first_names()


def org_words() -> frozenset[str]:
    from ..detect.lexicon import ORG_WORDS

    return ORG_WORDS


def titles() -> frozenset[str]:
    from ..detect.lexicon import TITLES

    return TITLES
