"""The spaCy detector: batching by characters must not change what is found."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from veil.detect import ner
from veil.detect.ner import SpacyDetector, _groups
from veil.model import Document


@given(
    lengths=st.lists(st.integers(min_value=0, max_value=3 * ner._BATCH_CHARS), max_size=60),
    cap=st.integers(min_value=1, max_value=40),
)
def test_groups_partition_in_order_within_budget(lengths: list[int], cap: int) -> None:
    docs = [Document(str(i), "x" * n) for i, n in enumerate(lengths)]
    indices = list(range(len(docs)))
    groups = list(_groups(indices, docs, cap))
    assert [i for g in groups for i in g] == indices
    for g in groups:
        assert 1 <= len(g) <= cap
        assert len(g) == 1 or sum(lengths[i] for i in g) <= ner._BATCH_CHARS


def test_detect_many_matches_one_at_a_time(seed_text: str, example_text: str) -> None:
    det = SpacyDetector()
    paragraphs = [p for p in (seed_text + "\n" + example_text).split("\n") if p.strip()]
    # Long and short texts together, so that several character-budget batches are formed.
    texts = [
        seed_text,
        *paragraphs,
        example_text * 8,
        seed_text * 6,
        "",
        "Ada Lovelace met Charles Babbage in London.",
    ]
    docs = [Document(f"d{i}", t) for i, t in enumerate(texts)]
    assert len(list(_groups(range(len(docs)), docs, det.batch_size))) > 2
    batched = det.detect_many(docs)
    assert batched == [list(det.detect(d)) for d in docs]
    assert any(batched)


def _person_words(text: str) -> set[str]:
    from veil.config import resolve_policy
    from veil.pipeline import Pipeline

    pipe = Pipeline(resolve_policy("pii").narrowed(["PERSON"]), build_operators=False)
    doc = pipe.analyze(text, "t")
    covered = [False] * len(text)
    for ent in doc.entities:
        for m in ent.mentions:
            covered[m.start : m.end] = [True] * (m.end - m.start)
    import re

    return {w.group() for w in re.finditer(r"\w+", text) if all(covered[w.start() : w.end()])}


def test_ner_reads_names_in_all_caps_forms() -> None:
    text = "DEFENDANT: LEOPOLD VARNEY\nCASE NO: 2024-CV-0192\nHEARING: 10:30, COURT 3"
    assert {"LEOPOLD", "VARNEY"} <= _person_words(text)


def test_ner_reads_names_in_lower_case_chat() -> None:
    text = "can someone tell jonas wegener his badge expired"
    assert {"jonas", "wegener"} <= _person_words(text)


def test_ner_recased_evidence_only_where_the_case_changed() -> None:
    text = "Ada Lovelace wrote to WITNESS ROSALIND TEMPERLEY about it."
    spans = SpacyDetector().detect(Document("d", text))
    recased = [s for s in spans if s.source == ner.RECASED_SOURCE]
    assert recased
    name = text.index("ROSALIND")
    assert all(s.start >= text.index("WITNESS") for s in recased)
    assert any(s.start <= name < s.end for s in recased)


def test_ner_detect_many_adds_the_same_case_evidence_as_detect() -> None:
    texts = ["CLAIMANT: TOBIAS WRENFIELD", "i asked tom hendricks but he didnt reply", "Plain text."]
    det = SpacyDetector()
    docs = [Document(str(i), t) for i, t in enumerate(texts)]
    many = det.detect_many(docs)
    for d, spans in zip(docs, many, strict=True):
        assert sorted(spans, key=repr) == sorted(det.detect(d), key=repr)


def test_ner_combine_drops_model_spans_made_only_of_recased_words() -> None:
    from veil.model import Label, Span

    text = "DATE OF BIRTH: 1981. Ada LOVELACE"
    view = "Date of birth: 1981. Ada Lovelace"
    caps = Span(0, text.index(":"), Label.PERSON, "ner")
    mixed = Span(text.index("Ada"), len(text), Label.PERSON, "ner")
    extra = [Span(text.index("LOVELACE"), len(text), Label.PERSON, ner.RECASED_SOURCE)]
    assert SpacyDetector._combine(text, [caps, mixed], (extra, view)) == [mixed, *extra]
    assert SpacyDetector._combine(text, [caps], ([], None)) == [caps]


def test_ner_combine_trims_words_the_view_writes_in_lower_case() -> None:
    from veil.model import Label, Span

    text = "Award: Ferdinand Oakes Beats Rivals"
    view = "Award: Ferdinand Oakes beats rivals"
    span = Span(text.index("Ferdinand"), len(text), Label.PERSON, "ner")
    (trimmed,) = SpacyDetector._combine(text, [span], ([], view))
    assert text[trimmed.start : trimmed.end] == "Ferdinand Oakes"
