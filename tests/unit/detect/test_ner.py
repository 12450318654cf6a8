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
