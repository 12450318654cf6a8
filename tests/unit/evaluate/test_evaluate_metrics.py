"""Metrics of veil.evaluate on hand-made gold files, with every score worked out by hand.

tests/data/eval/tab_small.json -- one TAB document, three annotators:

    text = "Mr John Smith of Oslo met Anna Berg in Bergen. Smith paid Berg."

    annotator1  e1 PERSON  "Mr John Smith" DIRECT, "Smith"(2nd) DIRECT      -> direct
                e2 LOC     "Oslo" QUASI                                     -> quasi
                e3 PERSON  "Anna Berg" QUASI                                -> quasi
                e4 LOC     "Bergen" NO_MASK                                 -> needs no masking
    annotator2  e1 PERSON  "John Smith" DIRECT, "Smith"(2nd) NO_MASK        -> direct
                e2 LOC     "Oslo" NO_MASK                                   -> needs no masking
                e3 PERSON  "Anna Berg" QUASI, "Berg"(2nd) DIRECT            -> quasi (first mention decides)
                e4 LOC     "Bergen" QUASI                                   -> quasi
    annotator3  no mentions (not counted in N_d, so N_d = 2)

tab_small.predictions.json masks "John Smith" (twice: a duplicate span), "Oslo", "Anna",
"Bergen" -- not the second "Smith", not "Berg".

tests/data/eval/gum_small.json -- GUM-simple, one annotation:

    g1 = "Ada Lovelace met Charles Babbage in London. Lovelace wrote notes. Babbage smiled."
         e1 PERSON "Ada Lovelace", "Lovelace";  e2 PERSON "Charles Babbage", "Babbage";
         e3 LOC "London"
    g2 = "Nothing to see here."  (no entities)

gum_small.predictions.json: PERSON "Ada Lovelace", "Lovelace", "Charles" (half a name),
"Babbage"(2nd); ORG "London" (wrong label); PERSON "Nothing" in g2 (a false positive).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from veil.errors import InputError
from veil.evaluate import (
    Gold,
    GoldDocument,
    GoldEntity,
    GoldMention,
    Report,
    SystemSpan,
    load_gold,
    load_predictions,
    score,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "eval"


@pytest.fixture(scope="module")
def tab_gold() -> Gold:
    return load_gold(DATA / "tab_small.json")


@pytest.fixture(scope="module")
def gum_gold() -> Gold:
    return load_gold(DATA / "gum_small.json")


def _tab_report(gold: Gold, **kw: Any) -> Report:
    return score(gold, load_predictions(DATA / "tab_small.predictions.json"), **kw)


def _gum_report(gold: Gold) -> Report:
    return score(gold, load_predictions(DATA / "gum_small.predictions.json"))


# -- TAB metrics ---------------------------------------------------------------------------


def test_evaluate_tab_entity_recall(tab_gold: Gold) -> None:
    # Direct: a1e1 needs "Mr John Smith" (masked: "Mr" and spaces forgiven) and the 2nd
    # "Smith" (not covered) -> not protected; a2e1 needs only "John Smith" (its 2nd "Smith"
    # is NO_MASK, ignored) -> protected.  ER_di = 1/2.
    # Quasi: a1e2 Oslo yes; a1e3 "Anna Berg" no ("Berg" uncovered); a2e3 no; a2e4 Bergen yes
    # -> ER_qi = 2/4.  ER_all = 3/6.
    t = _tab_report(tab_gold).tab
    assert (t.direct_protected, t.direct) == (1, 2)
    assert (t.quasi_protected, t.quasi) == (2, 4)
    assert t.er_direct == pytest.approx(0.5)
    assert t.er_quasi == pytest.approx(0.5)
    assert t.er_all == pytest.approx(0.5)


def test_evaluate_tab_token_and_mention_recall(tab_gold: Gold) -> None:
    # All mentions of entities needing masking, NO_MASK ones included:
    #   a1e1 Mr+ John+ Smith+ | Smith-  3/4     a1e2 Oslo+        1/1
    #   a1e3 Anna+ Berg-              1/2     a2e1 John+ Smith+ | Smith-  2/3
    #   a2e3 Anna+ Berg- | Berg-      1/3     a2e4 Bergen+      1/1
    # tokens 9/14 ("Mr" counts as masked only thanks to the forgiven word list).
    # mentions: a1e1 1/2, a1e2 1/1, a1e3 0/1, a2e1 1/2, a2e3 0/2, a2e4 1/1 -> 4/9.
    # by type: PERSON 3+1+2+1 / 4+2+3+3 = 7/12; LOC 2/2.
    t = _tab_report(tab_gold).tab
    assert (t.tokens_masked, t.tokens) == (9, 14)
    assert (t.mentions_masked, t.mentions) == (4, 9)
    assert t.tokens_by_type == {"PERSON": (7, 12), "LOC": (2, 2)}


def test_evaluate_tab_precision_with_annotator_agreement(tab_gold: Gold) -> None:
    # Merged system words: John, Smith, Oslo, Anna, Bergen; N_d = 2 (annotator3 marked nothing).
    #   John 2 (both annotators mask a mention containing it), Smith 2, Anna 2,
    #   Oslo 1 (annotator2 marked it NO_MASK), Bergen 1 (annotator1 marked it NO_MASK)
    # -> 8 / (5 * 2) = 0.8.  F1 = 2 * 0.8 * 9/14 / (0.8 + 9/14) = 0.712871...
    t = _tab_report(tab_gold).tab
    assert (t.precision_num, t.precision_den) == (8, 10)
    assert t.token_precision == pytest.approx(0.8)
    assert t.f1 == pytest.approx(2 * 0.8 * (9 / 14) / (0.8 + 9 / 14))


def test_evaluate_tab_duplicate_spans_counted_once_unless_asked(tab_gold: Gold) -> None:
    # Without merging, the duplicated "John Smith" adds John 2 + Smith 2 again:
    # (8 + 4) / (10 + 4) = 12/14, a precision bought by repeating a correct span.
    merged = _tab_report(tab_gold).tab
    raw = _tab_report(tab_gold, merge_spans=False).tab
    assert merged.token_precision == pytest.approx(8 / 10)
    assert (raw.precision_num, raw.precision_den) == (12, 14)
    # Recall never depends on duplicates.
    assert raw.tokens_masked == merged.tokens_masked


def test_evaluate_tab_weighting_is_pluggable(tab_gold: Gold) -> None:
    # Weight = word length: numerator 4*2 + 5*2 + 4*1 + 4*2 + 6*1 = 36,
    # denominator 2 * (4 + 5 + 4 + 4 + 6) = 46.
    def by_length(text: str, tokens: Sequence[tuple[int, int]]) -> list[float]:
        return [float(e - s) for s, e in tokens]

    t = _tab_report(tab_gold, weight=by_length).tab
    assert t.token_precision == pytest.approx(36 / 46)


def test_evaluate_tab_weighting_wrong_length_fails(tab_gold: Gold) -> None:
    with pytest.raises(InputError, match="weights"):
        _tab_report(tab_gold, weight=lambda text, tokens: [1.0])


def test_evaluate_tab_headline_per_label(tab_gold: Gold) -> None:
    # Word test, nothing forgiven: "Mr" is a word and is not covered.
    # PERSON entities: a1e1 no ("Mr" uncovered; 2nd Smith), a1e3 no, a2e1 yes, a2e3 no -> 1/4.
    # PERSON name mentions (DIRECT/QUASI only): a1e1 0/2, a1e3 0/1, a2e1 1/1, a2e3 0/2 -> 1/6.
    # PERSON words John, Smith, Anna: each inside a PERSON mention of both annotators -> 6/6.
    # LOC entities a1e2 Oslo, a2e4 Bergen: 2/2; LOC words Oslo (annotator1 only) and Bergen
    # (annotator2 only) -> 2/4.
    r = _tab_report(tab_gold)
    person, loc = r.label("PERSON"), r.label("LOC")
    assert (person.entities_masked, person.entities) == (1, 4)
    assert (person.mentions_masked, person.mentions) == (1, 6)
    assert person.word_precision == pytest.approx(1.0)
    assert person.f1 == pytest.approx(2 * 1.0 * 0.25 / 1.25)
    assert (loc.entities_masked, loc.entities) == (2, 2)
    assert loc.word_precision == pytest.approx(0.5)
    assert loc.f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)


def test_evaluate_tab_missed_entities_use_forgiveness(tab_gold: Gold) -> None:
    # a1e1 misses only its 2nd "Smith" ("Mr John Smith" is masked with "Mr" forgiven);
    # a1e3 misses "Anna Berg"; a2e3 misses "Anna Berg" and "Berg".
    text = tab_gold.documents[0].text
    smith2 = text.index("Smith", text.index("Smith") + 1)
    anna = text.index("Anna Berg")
    berg2 = text.index("Berg", text.index("Bergen") + 1)
    missed = {(m.entity_id, m.unmasked) for m in _tab_report(tab_gold).missed}
    assert missed == {
        ("d1_a1_e1", ((smith2, smith2 + 5),)),
        ("d1_a1_e3", ((anna, anna + 9),)),
        ("d1_a2_e3", ((anna, anna + 9), (berg2, berg2 + 4))),
    }


def _one_doc(
    text: str, mention: str, identifier: str, spans: list[str]
) -> tuple[Gold, dict[str, tuple[SystemSpan, ...]]]:
    s = text.index(mention)
    ent = GoldEntity("x_e1", "a", "ORG", identifier == "DIRECT", (GoldMention(s, s + len(mention), True),))
    gold = Gold("tab", (GoldDocument("x", text, ("a",), (ent,)),))
    preds = {"x": tuple(SystemSpan(text.index(w), text.index(w) + len(w), "ORG") for w in spans)}
    return gold, preds


@pytest.mark.parametrize(
    ("text", "mention", "spans", "tab_masked", "word_masked"),
    [
        # "of" is on the word list: TAB forgives it, the word test does not.
        ("The University of Oslo hired her.", "University of Oslo", ["University", "Oslo"], True, False),
        # Punctuation and spaces between words need no cover under either test.
        (
            "She joined Smith & Wesson-Ltd today.",
            "Smith & Wesson-Ltd",
            ["Smith", "Wesson", "Ltd"],
            True,
            True,
        ),
        # A word not on the list is never forgiven.
        ("Acme Widgets Inc said so.", "Acme Widgets Inc", ["Acme", "Inc"], False, False),
        # Half a word is not a masked word.
        ("Visit Northampton now.", "Northampton", ["Northam"], False, False),
    ],
    ids=["word-list-forgives-of", "punctuation-forgiven", "plain-word-not-forgiven", "partial-word"],
)
def test_evaluate_masked_tests(
    text: str, mention: str, spans: list[str], tab_masked: bool, word_masked: bool
) -> None:
    gold, preds = _one_doc(text, mention, "QUASI", spans)
    r = score(gold, preds)
    assert r.tab.quasi_protected == int(tab_masked)
    assert r.label("ORG").entities_masked == int(word_masked)


# -- GUM metrics ---------------------------------------------------------------------------


def test_evaluate_gum_headline(gum_gold: Gold) -> None:
    # PERSON: e1 "Ada Lovelace" + "Lovelace" masked -> yes; e2 "Charles Babbage" lacks
    # "Babbage" -> no.  entity recall 1/2, mention recall 3/4.
    # PERSON words: Ada, Lovelace, Lovelace, Charles, Babbage all inside gold PERSON
    # mentions (5); "Nothing" in g2 is not (a document without entities still counts one
    # annotator) -> 5/6.  F1 = 2 * 5/6 * 1/2 / (5/6 + 1/2) = 0.625.
    # LOC: "London" is covered (as ORG): recall is label-blind -> 1/1; no LOC spans -> 0/0.
    # ORG: no gold ORG entity; the ORG word "London" is not inside a gold ORG mention -> 0/1.
    r = _gum_report(gum_gold)
    person, loc, org = r.label("PERSON"), r.label("LOC"), r.label("ORG")
    assert (person.entities_masked, person.entities) == (1, 2)
    assert (person.mentions_masked, person.mentions) == (3, 4)
    assert (person.word_precision_num, person.word_precision_den) == (5, 6)
    assert person.f1 == pytest.approx(0.625)
    assert (loc.entities_masked, loc.entities, loc.word_precision_den) == (1, 1, 0)
    assert loc.word_precision == 0.0
    assert (org.entities, org.word_precision_num, org.word_precision_den) == (0, 0, 1)


def test_evaluate_gum_label_aware_prf(gum_gold: Gold) -> None:
    # PERSON mentions: recall 3/4 (PERSON spans alone cover the same); precision: merged
    # PERSON spans Ada Lovelace, Lovelace, Charles, Babbage overlap gold, Nothing does not
    # -> 4/5.  PERSON entities: recall 1/2; system entities grouped by surface form
    # (ada lovelace, lovelace, charles, babbage, nothing) -> 4/5.
    # LOC: "London" was labelled ORG, so label-aware LOC recall is 0/1.
    r = _gum_report(gum_gold)
    person, loc = r.label("PERSON"), r.label("LOC")
    assert (person.mention.tp_recall, person.mention.n_recall) == (3, 4)
    assert (person.mention.tp_precision, person.mention.n_precision) == (4, 5)
    assert (person.entity.tp_recall, person.entity.n_recall) == (1, 2)
    assert (person.entity.tp_precision, person.entity.n_precision) == (4, 5)
    assert person.mention.f1 == pytest.approx(2 * 0.8 * 0.75 / 1.55)
    assert (loc.entity.tp_recall, loc.entity.n_recall) == (0, 1)


def test_evaluate_gum_entity_grouping_uses_system_ids(gum_gold: Gold) -> None:
    # Same spans, but the system links "Ada Lovelace" and "Lovelace" into one entity:
    # PERSON system entities become {e1, charles, babbage, nothing} -> 3/4.
    text = gum_gold.documents[0].text
    lov2 = text.index("Lovelace", text.index("Lovelace") + 1)
    preds = {
        "g1": (
            SystemSpan(0, len("Ada Lovelace"), "PERSON", "s1"),
            SystemSpan(lov2, lov2 + 8, "PERSON", "s1"),
            SystemSpan(text.index("Charles"), text.index("Charles") + 7, "PERSON"),
            SystemSpan(text.rindex("Babbage"), text.rindex("Babbage") + 7, "PERSON"),
        ),
        "g2": (SystemSpan(0, 7, "PERSON"),),
    }
    e = score(gum_gold, preds).label("PERSON").entity
    assert (e.tp_precision, e.n_precision) == (3, 4)


def test_evaluate_gum_tab_metrics_and_errors(gum_gold: Gold) -> None:
    # ER_di: e1 yes, e2 no -> 1/2; ER_qi: London covered -> 1/1.
    # Token precision: g1 words Ada, Lovelace, Charles, Lovelace, Babbage, London all inside
    # gold (6); g2 "Nothing" not (0 of 1) -> 6/7.
    r = _gum_report(gum_gold)
    assert (r.tab.direct_protected, r.tab.direct, r.tab.quasi_protected, r.tab.quasi) == (1, 2, 1, 1)
    assert (r.tab.precision_num, r.tab.precision_den) == (6, 7)
    text = gum_gold.documents[0].text
    cb = text.index("Charles Babbage")
    assert [(m.doc_id, m.entity_id, m.unmasked) for m in r.missed] == [("g1", "g1_e2", ((cb, cb + 15),))]
    assert [(f.doc_id, f.start, f.end, f.label) for f in r.false_positives] == [("g2", 0, 7, "PERSON")]


def test_evaluate_perfect_and_empty_predictions(gum_gold: Gold) -> None:
    perfect = {
        d.id: tuple(SystemSpan(m.start, m.end, e.label) for e in d.entities for m in e.mentions)
        for d in gum_gold.documents
    }
    r = score(gum_gold, perfect)
    assert all(s.entity_recall == 1.0 and s.word_precision == 1.0 for s in r.labels)
    assert r.tab.f1 == 1.0
    assert not r.missed and not r.false_positives
    empty = score(gum_gold, {})
    assert empty.tab.er_all == 0.0 and empty.tab.token_precision == 0.0
    assert len(empty.missed) == 3


def test_evaluate_report_json_has_text_only_when_asked(gum_gold: Gold) -> None:
    r = _gum_report(gum_gold)
    plain = json.dumps(r.to_dict())
    assert "Babbage" not in plain and "Nothing" not in plain
    assert "Babbage" not in repr(r) and "Lovelace" not in repr(gum_gold.documents[0])
    texts = {d.id: d.text for d in gum_gold.documents}
    shown = json.dumps(r.to_dict(texts=texts))
    assert "Charles Babbage" in shown and "Nothing" in shown


@pytest.mark.parametrize(
    ("preds", "match"),
    [
        ({"nope": ()}, "not in the gold"),
        ({"g2": (SystemSpan(0, 999, "PERSON"),)}, "outside the text"),
    ],
    ids=["unknown-doc", "past-end"],
)
def test_evaluate_bad_predictions_fail(
    gum_gold: Gold, preds: dict[str, tuple[SystemSpan, ...]], match: str
) -> None:
    with pytest.raises(InputError, match=match):
        score(gum_gold, preds)
