"""``veil eval`` gold formats: the ``{"text", "spans"}`` shape, ``--format``, and docs/eval.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from veil.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs" / "eval.md"
TEXT = "Ada Lovelace wrote to Babbage. Lovelace was 27."


def _spans_doc() -> list[dict[str, object]]:
    ada, babbage = TEXT.index("Ada Lovelace"), TEXT.index("Babbage")
    last = TEXT.index("Lovelace", ada + len("Ada Lovelace"))
    return [
        {
            "text": TEXT,
            "spans": [
                {"start": ada, "end": ada + len("Ada Lovelace"), "label": "PERSON", "entity": 1},
                [babbage, babbage + len("Babbage"), "PERSON"],
                {"start": last, "end": last + len("Lovelace"), "label": "person", "entity": 1},
            ],
        }
    ]


def test_eval_accepts_text_and_spans_gold(tmp_path: Path) -> None:
    gold, preds = tmp_path / "gold.json", tmp_path / "pred.json"
    gold.write_text(json.dumps(_spans_doc()), "utf-8")
    ada = TEXT.index("Ada Lovelace")
    preds.write_text(json.dumps({"0": [[ada, ada + len("Ada Lovelace"), "PERSON"]]}), "utf-8")
    res = CliRunner().invoke(cli, ["eval", str(gold), "--predictions", str(preds), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["gold_format"] == "spans"
    person = next(x for x in report["labels"] if x["label"] == "PERSON")
    # Two entities (the 'entity' id joins both Lovelace mentions); only Babbage's is whole.
    assert person["entities"] == 2 and person["entities_masked"] == 0
    res = CliRunner().invoke(cli, ["eval", str(gold), "--predictions", str(preds), "--format", "spans"])
    assert res.exit_code == 0, res.output


def test_eval_unknown_gold_shape_names_the_closest_format(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"text": TEXT, "span": []}]), "utf-8")
    res = CliRunner().invoke(cli, ["eval", str(gold), "--predictions", str(gold)])
    assert res.exit_code == 3
    assert "the closest is spans" in res.output and "docs/eval.md" in res.output
    assert "Lovelace" not in res.output


@pytest.mark.parametrize("index", range(3), ids=["tab", "gum", "spans"])
def test_eval_docs_examples_parse(index: int) -> None:
    from veil.evaluate import GOLD_FORMATS, parse_gold

    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", DOCS.read_text("utf-8"), re.S)]
    golds = [b for b in blocks if isinstance(b, list)]
    assert parse_gold(golds[index]).format == GOLD_FORMATS[index]
