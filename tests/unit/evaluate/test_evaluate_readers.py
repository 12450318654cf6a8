"""Gold and prediction readers of veil.evaluate: format detection, parsing, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from veil.errors import InputError
from veil.evaluate import detect_format, load_gold, load_predictions, parse_gold, parse_predictions

DATA = Path(__file__).resolve().parents[2] / "data" / "eval"
SECRET = "Zebulon Quartermaine"
TEXT = f"{SECRET} lives here."


def _tab(mentions: list[dict[str, Any]], **doc: Any) -> list[dict[str, Any]]:
    return [
        {"doc_id": "t1", "text": TEXT, "annotations": {"annotator1": {"entity_mentions": mentions}}, **doc}
    ]


def _mention(**kw: Any) -> dict[str, Any]:
    base = {
        "start_offset": 0,
        "end_offset": len(SECRET),
        "entity_type": "PERSON",
        "identifier_type": "DIRECT",
        "entity_id": "t1_a1_e1",
    }
    return {**base, **kw}


def _gum(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": "g1", "text": TEXT, "entities": entities}]


def test_evaluate_load_tab_groups_by_annotator_and_entity() -> None:
    gold = load_gold(DATA / "tab_small.json")
    assert gold.format == "tab"
    (doc,) = gold.documents
    assert doc.annotators == ("annotator1", "annotator2")  # annotator3 marked nothing
    by_id = {e.id: e for e in doc.entities}
    assert len(by_id) == 8
    a1e1 = by_id["d1_a1_e1"]
    assert (a1e1.annotator, a1e1.label, a1e1.direct, len(a1e1.mentions)) == ("annotator1", "PERSON", True, 2)
    a2e3 = by_id["d1_a2_e3"]  # first mention QUASI, a later one DIRECT: still quasi
    assert not a2e3.direct and a2e3.quasi
    assert not by_id["d1_a2_e2"].needs_masking


def test_evaluate_load_gum() -> None:
    gold = load_gold(DATA / "gum_small.json")
    assert gold.format == "gum"
    g1, g2 = gold.documents
    assert g1.annotators == ("gold",) and g2.annotators == ("gold",)
    assert [(e.id, e.label, e.direct, len(e.mentions)) for e in g1.entities] == [
        ("g1_e1", "PERSON", True, 2),
        ("g1_e2", "PERSON", True, 2),
        ("g1_e3", "LOC", False, 1),
    ]
    assert g2.entities == ()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_tab([_mention()]), "tab"),
        (_gum([]), "gum"),
    ],
    ids=["tab", "gum"],
)
def test_evaluate_detect_format(data: list[dict[str, Any]], expected: str) -> None:
    assert detect_format(data) == expected


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"documents": []}, "non-empty JSON array"),
        ([], "non-empty JSON array"),
        ([{"id": "x", "text": TEXT}], "cannot tell the gold format"),
        (
            _tab([_mention(end_offset=999)]),
            r"document t1, annotator annotator1, mention 0: offsets \[0, 999\)",
        ),
        (_tab([_mention(start_offset=5, end_offset=5)]), "outside the text .* or empty"),
        (_tab([_mention(start_offset="0")]), "pair of integers"),
        (_tab([_mention(identifier_type="MAYBE")]), "identifier type must be one of"),
        (_tab([_mention(entity_id=None)]), "'entity_id'"),
        (_tab([_mention()], text=None), "'text'"),
        ([{"doc_id": "t1", "text": TEXT, "annotations": []}], "keyed by annotator"),
        (_tab([_mention()]) + _tab([_mention()]), "duplicate document id"),
        (_gum([{"id": "g1_e1", "type": "PERSON", "identifier": "DIRECT", "mentions": []}]), "non-empty list"),
        (_gum([{"id": "g1_e1", "type": "PERSON", "identifier": "DIRECT", "mentions": [[0, 3, 4]]}]), "pair"),
        (_gum([{"id": "g1_e1", "type": "PERSON", "mentions": [[0, 3]]}]), "identifier type"),
        ([{"id": "g1", "text": TEXT, "entities": {}}], "'entities' must be a list"),
        ([*_gum([]), "not an object"], r"document #1: a document must be an object"),
    ],
    ids=[
        "object-not-array",
        "empty-array",
        "unknown-format",
        "offset-past-end",
        "empty-span",
        "string-offset",
        "bad-identifier",
        "missing-entity-id",
        "missing-text",
        "annotations-not-object",
        "duplicate-doc",
        "gum-no-mentions",
        "gum-triple",
        "gum-missing-identifier",
        "gum-entities-not-list",
        "non-object-document",
    ],
)
def test_evaluate_bad_gold_fails_clearly(data: object, match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        parse_gold(data, source="gold.json")
    assert SECRET not in str(info.value) and "Zebulon" not in str(info.value)
    assert str(info.value).startswith("gold.json: ")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "is empty"),
        (b"[{not json", "not valid JSON"),
        (b"\xff\xfe[]", "not valid UTF-8"),
    ],
    ids=["empty", "not-json", "not-utf8"],
)
def test_evaluate_bad_gold_file_fails_clearly(tmp_path: Path, content: bytes, match: str) -> None:
    p = tmp_path / "gold.json"
    p.write_bytes(content)
    with pytest.raises(InputError, match=match):
        load_gold(p)


def test_evaluate_missing_gold_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="gold file not found"):
        load_gold(tmp_path / "absent.json")


def test_evaluate_predictions_reader(tmp_path: Path) -> None:
    p = tmp_path / "preds.json"
    p.write_text(json.dumps({"d1": [[0, 4], [5, 9, "person"]], "d2": []}), encoding="utf-8")
    preds = load_predictions(p)
    assert [(s.start, s.end, s.label) for s in preds["d1"]] == [(0, 4, None), (5, 9, "PERSON")]
    assert preds["d2"] == ()


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ([[0, 4]], "JSON object"),
        ({"d1": [0, 4]}, "a span must be"),
        ({"d1": [[4, 4]]}, "0 <= start < end"),
        ({"d1": [[True, 4]]}, "integers"),
        ({"d1": [[0, 4, 7]]}, "label must be a string"),
        ({"d1": {"start": 0}}, "spans must be a list"),
    ],
    ids=["array", "flat-pair", "empty-span", "bool-offset", "numeric-label", "object-spans"],
)
def test_evaluate_bad_predictions_fail_clearly(data: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_predictions(data)
