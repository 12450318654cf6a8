"""The hard-cases suite (tests/data/hard_cases.*) and the scoring of benchmarks/hard_cases.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "hard_cases.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_hard_cases_benchmark", SCRIPT)
    if spec is None or spec.loader is None:
        raise ImportError(str(SCRIPT))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


hc = _load()


def test_hard_cases_jsonl_is_built_from_the_toml_source() -> None:
    assert hc.SUITE.read_text("utf-8") == hc.dumps(hc.build())


def test_hard_cases_suite_size_and_categories() -> None:
    items = hc.load()
    categories = {it.category for it in items}
    assert len(items) >= 150
    assert len(categories) >= 12
    assert {it.category for it in items if not it.persons} == hc.NO_PERSON_CATEGORIES
    assert len({it.id for it in items}) == len(items)


def test_hard_cases_build_takes_longer_mentions_first() -> None:
    text = "Robert Kelly left. Kelly came back."
    row = hc.build_item(1, {"category": "x", "text": text, "persons": ["Kelly", "Robert Kelly"]})
    second = text.index("Kelly", text.index("left"))
    assert [(p["start"], p["end"]) for p in row["persons"]] == [
        (0, len("Robert Kelly")),
        (second, second + len("Kelly")),
    ]


def test_hard_cases_build_skips_occurrences_inside_words_and_addresses() -> None:
    text = "Doe wrote from jane.doe@x.example and Doesburg."
    row = hc.build_item(1, {"category": "x", "text": text, "persons": ["Doe"]})
    assert [(p["start"], p["end"]) for p in row["persons"]] == [(0, 3)]
    email = text.index("jane.doe")
    assert (email, text.index(" and")) in [(m["start"], m["end"]) for m in row["may"]]


def test_hard_cases_build_rejects_a_missing_person() -> None:
    with pytest.raises(hc.SuiteError):
        hc.build_item(1, {"category": "x", "text": "Nobody here.", "persons": ["Ghost"]})


def test_hard_cases_build_rejects_a_person_in_a_control() -> None:
    with pytest.raises(hc.SuiteError):
        hc.build_item(1, {"category": "controls", "text": "Ann Lee.", "persons": ["Ann Lee"]})


def _item(text: str, persons: list[str], may: tuple[str, ...] = ()) -> object:
    spans = tuple((text.index(p), text.index(p) + len(p)) for p in persons)
    mays = tuple((text.index(m), text.index(m) + len(m)) for m in may)
    return hc.Item("t", "x", text, spans, mays)


def test_hard_cases_judge_counts_an_unmasked_letter_as_a_leak() -> None:
    text = "Ann Lee-Smith said no."
    item = _item(text, ["Ann Lee-Smith"])
    half = text.index("-")
    assert hc.judge(item, [(0, half)]).leaked
    assert not hc.judge(item, [(0, text.index(" said"))]).leaked


def test_hard_cases_judge_forgives_titles_and_possessives_but_not_other_words() -> None:
    text = "Dr Ann Lee's Board met."
    item = _item(text, ["Ann Lee"])
    assert not hc.judge(item, [(0, text.index(" Board"))]).false
    assert hc.judge(item, [(0, text.index(" met"))]).false


# Categories of the suite that the default pipeline solves today: every person mention
# masked in every item. A regression in any of them fails here (figures for all
# categories: benchmarks/hard_cases.py).
SOLVED = (
    "all_caps",
    "common_word_names",
    "documents",
    "email_thread",
    "initials",
    "international",
    "linking_gaps",
    "lone_surname",
    "lowercase_chat",
    "nicknames",
    "title_case",
)


@pytest.mark.model
@pytest.mark.parametrize("category", SOLVED)
def test_hard_cases_solved_category_leaks_no_name(category: str) -> None:
    items = [it for it in hc.load() if it.category == category]
    run = hc.veil_system(hc.DEFAULT_MODEL, "pii")
    leaked = [it.id for it, spans in zip(items, run(items), strict=True) if hc.judge(it, spans).leaked]
    assert items and leaked == []


@pytest.mark.model
@pytest.mark.parametrize("category", sorted(hc.NO_PERSON_CATEGORIES))
def test_hard_cases_no_person_items_get_no_false_person(category: str) -> None:
    items = [it for it in hc.load() if it.category == category]
    run = hc.veil_system(hc.DEFAULT_MODEL, "pii")
    flagged = [it.id for it, spans in zip(items, run(items), strict=True) if hc.judge(it, spans).false]
    assert items and flagged == []


@pytest.mark.parametrize("name", [n for n in hc.SETS if n != "main" and hc.set_paths(n)[0].exists()])
def test_hard_cases_other_sets_are_built_from_their_toml_sources(name: str) -> None:
    source, suite = hc.set_paths(name)
    assert suite.read_text("utf-8") == hc.dumps(hc.build(source))
    items = hc.load(suite)
    assert {it.category for it in items if not it.persons} == {"controls"}
