"""The identifiers TAB set is exactly what its builder produces, with consistent offsets."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from veil.evaluate import load_gold

DATA = Path(__file__).resolve().parents[2] / "data"


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tab_identifiers_build", DATA / "tab_identifiers_build.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot load the builder")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tab_identifiers_json_matches_builder() -> None:
    stored = json.loads((DATA / "tab_identifiers.json").read_text("utf-8"))
    assert stored == json.loads(json.dumps(_builder().build(), ensure_ascii=False))


def test_tab_identifiers_offsets_match_span_text() -> None:
    stored = json.loads((DATA / "tab_identifiers.json").read_text("utf-8"))
    assert len(stored) >= 20
    for doc in stored:
        for m in doc["annotations"]["annotator1"]["entity_mentions"]:
            assert doc["text"][m["start_offset"] : m["end_offset"]] == m["span_text"]
    gold = load_gold(DATA / "tab_identifiers.json")
    assert {e.label for d in gold.documents for e in d.entities} >= {
        "PERSON", "CODE", "DATETIME", "LOC", "ORG", "DEM", "QUANTITY"
    }  # fmt: skip
