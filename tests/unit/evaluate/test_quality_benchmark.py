"""Pure helpers of benchmarks/quality.py: the headline target verdicts and table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from veil.evaluate import PRF, LabelScores

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "quality.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_quality_benchmark", SCRIPT)
    if spec is None or spec.loader is None:
        raise ImportError(str(SCRIPT))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


quality = _load()


def _scores(entities_masked: int, entities: int, wp_num: float, wp_den: float) -> LabelScores:
    empty = PRF(0.0, 0.0, 0.0, 0.0)
    return LabelScores("PERSON", entities, entities_masked, 10, 5, wp_num, wp_den, empty, empty)


@pytest.mark.parametrize(
    ("masked", "wp_num", "expected"),
    [
        (85, 80, (True, True)),
        (84, 80, (False, True)),
        (85, 79, (True, False)),
        (10, 10, (False, False)),
    ],
    ids=["both-at-threshold", "recall-short", "precision-short", "both-short"],
)
def test_target_checks_thresholds(masked: int, wp_num: float, expected: tuple[bool, bool]) -> None:
    assert quality.target_checks(_scores(masked, 100, wp_num, 100)) == expected


def test_target_checks_uses_unrounded_figures() -> None:
    # 0.8496 prints as 0.850 but misses the 0.85 target.
    assert quality.target_checks(_scores(8496, 10000, 1, 1)) == (False, True)


def test_headline_lines_rows_verdicts_and_ratio() -> None:
    veil = _scores(90, 100, 81, 100)
    presidio = _scores(60, 100, 75, 100)
    lines = quality.headline_lines(veil, presidio)
    veil_row = next(line for line in lines if line.startswith("| Veil |"))
    presidio_row = next(line for line in lines if line.startswith("| Presidio |"))
    ratio_row = next(line for line in lines if line.startswith("| Veil / Presidio |"))
    assert "0.900 (pass)" in veil_row and "0.810 (pass)" in veil_row and veil_row.endswith("| met |")
    assert "0.600 (fail)" in presidio_row and "0.750 (fail)" in presidio_row
    assert presidio_row.endswith("| not met |")
    assert ratio_row.startswith("| Veil / Presidio | 1.50 | 1.08 |")
    verdict = next(line for line in lines if line.startswith("**Headline target"))
    assert "-- met." in verdict


def test_headline_lines_reports_failure_for_veil() -> None:
    lines = quality.headline_lines(_scores(90, 100, 75, 100), _scores(60, 100, 75, 100))
    verdict = next(line for line in lines if line.startswith("**Headline target"))
    assert "-- not met." in verdict and "word precision 0.750 (fail)" in verdict
