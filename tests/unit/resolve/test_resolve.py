"""Resolution: linking, voting, propagation and merging, on hand-built spans."""

from __future__ import annotations

import itertools

import pytest

from veil.config import preset
from veil.model import Document, Evidence, Label, Span
from veil.resolve import NameResolver, sub_name


def _span(
    text: str, surface: str, label: Label, source: str = "ner", nth: int = 0, evidence: Evidence | None = None
) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    if evidence is None:
        evidence = Evidence.MODEL if source == "ner" else Evidence.NONE
    return Span(start, start + len(surface), label, source, 1.0, evidence)


def _resolve(text: str, spans: list[Span], labels=None) -> Document:
    policy = preset("strict")
    if labels:
        policy = policy.narrowed(labels)
    return NameResolver(policy).resolve(Document("d", text, spans=tuple(spans)))


def _surfaces(doc: Document) -> list[list[str]]:
    return [[doc.text[m.start : m.end] for m in e.mentions] for e in doc.entities]


@pytest.mark.parametrize(
    ("part", "full", "expected"),
    [
        ("varga", "jános varga", True),
        ("jános", "jános varga", True),
        ("j. varga", "jános varga", True),
        ("j. k. rowling", "joanne kathleen rowling", True),
        ("garcía márquez", "gabriel garcía márquez", True),
        ("gabriel márquez", "gabriel garcía márquez", True),
        ("van", "jan van der berg", False),
        ("k. varga", "jános varga", False),
        ("smith", "jános varga", False),
    ],
    ids=[
        "surname",
        "first",
        "initial",
        "two-initials",
        "multi-part",
        "first-last",
        "particle",
        "bad-initial",
        "other",
    ],
)
def test_sub_name_table(part, full, expected):
    assert sub_name(part.split(), full.split()) is expected


def test_resolve_links_surname_and_possessive_with_label_vote():
    text = "Minister Anna Varga spoke. Varga's plan was praised. VARGA said no."
    spans = [
        _span(text, "Anna Varga", Label.PERSON),
        _span(text, "Varga's", Label.ORG),  # the model disagrees on the possessive
    ]
    doc = _resolve(text, spans)
    people = [e for e in doc.entities if e.label is Label.PERSON]
    assert len(people) == 1
    surfaces = [text[m.start : m.end] for m in people[0].mentions]
    assert surfaces == ["Minister Anna Varga", "Varga", "VARGA"]


def test_resolve_propagates_missed_mentions_but_not_common_words():
    text = "Rose Miller arrived. Later Miller left. A rose grew. Rose was happy."
    doc = _resolve(text, [_span(text, "Rose Miller", Label.PERSON)], ["PERSON"])
    surfaces = _surfaces(doc)
    assert surfaces[0][:2] == ["Rose Miller", "Miller"]
    assert all(text[m.start : m.end] != "rose" for e in doc.entities for m in e.mentions)
    # "Rose" starts a sentence and "rose" is a word in this text: not propagated.
    assert "Rose" not in surfaces[0][2:]


def test_resolve_gazetteer_overrides_person_label_for_known_city():
    text = "Shelling continued in Kherson. Kherson is a port."
    spans = [_span(text, "Kherson", Label.PERSON), _span(text, "Kherson", Label.PERSON, nth=1)]
    doc = _resolve(text, spans)
    assert {e.label for e in doc.entities} == {Label.LOC}


def test_resolve_context_keeps_person_even_if_place_name():
    text = "Our correspondent spoke to Dr. Paris about the case."
    spans = [
        _span(text, "Paris", Label.LOC),
        _span(text, "Paris", Label.PERSON, source="context", evidence=Evidence.PERSON_CONTEXT),
    ]
    doc = _resolve(text, spans)
    assert doc.entities[0].label is Label.PERSON


def test_resolve_widens_partial_words_and_drops_masks():
    text = "Agent Bartholomew met XXX today."
    spans = [
        Span(text.index("artho"), text.index("artho") + 5, Label.PERSON, "ner"),
        _span(text, "XXX", Label.PERSON),
    ]
    doc = _resolve(text, spans)
    assert _surfaces(doc) == [["Agent Bartholomew"]]


def test_resolve_nested_person_survives_unprotected_org():
    text = "The Andy Warhol Foundation funds art. Andy Warhol died in 1987."
    # The model found the person inside the ORG name; with --labels PERSON the ORG is
    # dropped before merging, so the person mention must survive.
    spans = [_span(text, "Andy Warhol Foundation", Label.ORG), _span(text, "Andy Warhol", Label.PERSON)]
    doc = _resolve(text, spans, ["PERSON"])
    covered = {i for e in doc.entities for m in e.mentions for i in range(m.start, m.end)}
    first = text.index("Andy Warhol")
    assert all(i in covered for i in range(first, first + len("Andy Warhol")))


@pytest.mark.parametrize(
    "spans_spec",
    [
        [("Ana Ruiz", Label.PERSON), ("Ruiz Foods", Label.ORG)],
        [("Ana Ruiz Foods", Label.ORG), ("Ana Ruiz", Label.PERSON)],
    ],
    ids=["partial-overlap", "contained"],
)
def test_resolve_merge_never_loses_characters_and_never_overlaps(spans_spec):
    text = "Yesterday Ana Ruiz Foods opened."
    spans = [_span(text, s, lab) for s, lab in spans_spec]
    doc = _resolve(text, spans)
    mentions = sorted((m.start, m.end) for e in doc.entities for m in e.mentions)
    for (_, e1), (s2, _) in itertools.pairwise(mentions):
        assert e1 <= s2
    covered = {i for s, e in mentions for i in range(s, e)}
    for sp in spans:
        assert all(i in covered for i in range(sp.start, sp.end))


def test_resolve_partitions_mentions():
    text = "Lena Ortiz met Tom Ortiz. Ortiz smiled. Lena Ortiz left."
    spans = [_span(text, "Lena Ortiz", Label.PERSON), _span(text, "Tom Ortiz", Label.PERSON)]
    doc = _resolve(text, spans)
    seen = [(m.start, m.end) for e in doc.entities for m in e.mentions]
    assert len(seen) == len(set(seen))
    assert len([e for e in doc.entities if e.label is Label.PERSON]) == 2


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("Then John XXX Smith spoke.", "John XXX Smith", [["John"], ["Smith"]]),
        ("Mariupol Mayor XXX said so.", "Mariupol Mayor XXX", []),
        ("Agent Smith 2 arrived.", "Smith 2", [["Agent Smith"]]),
    ],
    ids=["mask-inside", "role-before-mask", "digit-word"],
)
def test_resolve_blocked_words_split_names_instead_of_dropping_them(text, surface, expected):
    doc = _resolve(text, [_span(text, surface, Label.PERSON)])
    assert _surfaces(doc) == expected


def test_resolve_is_safe_to_share_between_threads():
    from concurrent.futures import ThreadPoolExecutor

    resolver = NameResolver(preset("strict"))
    a = "Lena Ortiz met Tom Ortiz. Ortiz smiled."
    b = "The city of Kherson. Kherson is calm."
    docs = [
        Document("a", a, spans=(_span(a, "Lena Ortiz", Label.PERSON), _span(a, "Tom Ortiz", Label.PERSON))),
        Document("b", b, spans=(_span(b, "Kherson", Label.PERSON), _span(b, "Kherson", Label.PERSON, nth=1))),
    ]
    expected = [resolver.resolve(d) for d in docs]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(20):
            assert list(pool.map(resolver.resolve, docs)) == expected


@pytest.mark.parametrize(
    ("text", "surface", "label"),
    [
        ("Data came from the spacecraft Stardust last year.", "Stardust", Label.ORG),
        ("The Olmec civilization flourished.", "Olmec", Label.ORG),
        ("They sailed to the island Socotra.", "Socotra", Label.LOC),
    ],
    ids=["thing-before", "thing-after", "place-before"],
)
def test_resolve_classifier_noun_outvotes_person(text, surface, label):
    doc = _resolve(text, [_span(text, surface, Label.PERSON)])
    assert [e.label for e in doc.entities] == [label]


def test_resolve_splits_coordinated_first_names():
    text = "We took him there. Buddy and Sue didn't go."
    doc = _resolve(text, [_span(text, "Buddy and Sue", Label.ORG)], ["PERSON"])
    assert _surfaces(doc) == [["Buddy"], ["Sue"]]


def test_resolve_label_word_before_colon_is_not_a_name():
    text = "Black Widow and Captain America Image: Nick Moreau."
    doc = _resolve(
        text, [_span(text, "America Image", Label.PERSON), _span(text, "Nick Moreau", Label.PERSON)]
    )
    assert all("Image" not in s for ent in _surfaces(doc) for s in ent)


def test_resolve_pattern_label_beats_model_label_on_same_extent():
    text = "His wife, Anna Kowalska, 58, testified."
    age = _span(text, "58", Label.DATE)  # what the model says
    pattern_age = Span(age.start, age.end, Label.AGE, "patterns")
    doc = _resolve(text, [age, pattern_age, _span(text, "Anna Kowalska", Label.PERSON)])
    assert [e.label for e in doc.entities if text[e.first.start : e.first.end] == "58"] == [Label.AGE]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (
            "Our correspondent spoke to Dr. Paris about the case.",
            [("Paris", Label.LOC, Evidence.MODEL), ("Paris", Label.PERSON, Evidence.PERSON_CONTEXT)],
        ),
        (
            "Tomasz Wierzba arrived. Wierzba said little.",
            [
                ("Tomasz Wierzba", Label.ORG, Evidence.MODEL),
                ("Tomasz Wierzba", Label.PERSON, Evidence.GIVEN_NAME),
            ],
        ),
        (
            "As Quennell (2011) showed, Quennell was right.",
            [("Quennell", Label.ORG, Evidence.MODEL), ("Quennell", Label.PERSON, Evidence.CITATION)],
        ),
    ],
    ids=["title-context", "given-name", "citation"],
)
def test_resolve_votes_do_not_depend_on_detector_names(text, spans):
    def run(names: dict[Evidence, str]) -> list[tuple[Label, list[str]]]:
        built = [_span(text, surface, label, source=names[ev], evidence=ev) for surface, label, ev in spans]
        doc = _resolve(text, built)
        return [(e.label, [text[m.start : m.end] for m in e.mentions]) for e in doc.entities]

    usual = {Evidence.MODEL: "ner", Evidence.PERSON_CONTEXT: "context", Evidence.GIVEN_NAME: "names"}
    usual[Evidence.CITATION] = "context.cite"
    renamed = {ev: f"plugin-{i}" for i, ev in enumerate(usual)}
    assert run(usual) == run(renamed)
    assert run(usual)[0][0] is Label.PERSON


def test_resolver_keeps_no_state_between_documents():
    resolver = NameResolver(preset("strict"))
    assert set(vars(resolver)) == {"policy"}


def test_resolve_function_word_is_never_propagated():
    """The model's person "G. The" must not make every later mid-sentence "The" a mention."""
    from veil.pipeline import Pipeline

    text = (
        "The rule was restated by G. The technical term came later. "
        "Critics at The Daily Ledger and readers of The Atlas agreed."
    )
    g = text.index("G. The")
    detector = lambda doc: [Span(g, g + len("G. The"), Label.PERSON, "ner", 0.9)]  # noqa: E731
    pipe = Pipeline("pii", detectors=[detector])
    out = pipe.redact(text, "d").text
    assert "at The Daily Ledger" in out and "of The Atlas" in out
