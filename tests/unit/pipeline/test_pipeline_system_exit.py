"""A stage that raises SystemExit fails its document (issue 12, item 9): never exit 0 with no output."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from veil import registry
from veil.errors import ProcessingError
from veil.model import Document
from veil.pipeline import Pipeline


class _Quitter:
    name = "quitter"

    def __init__(self, *args: object) -> None:
        pass

    def detect(self, doc: Document) -> list:
        raise SystemExit(0)


@pytest.mark.parametrize("many", [False, True], ids=["one-document", "batched"])
def test_pipeline_system_exit_in_a_detector_is_a_processing_error(many: bool) -> None:
    pipe = Pipeline("pii", detectors=[_Quitter()])
    if many:
        (out,) = pipe.analyze_many([("d", "Ada Lovelace wrote.")])
        assert isinstance(out, ProcessingError)
    else:
        with pytest.raises(ProcessingError):
            pipe.redact("Ada Lovelace wrote.", "d")


def test_pipeline_system_exit_in_a_detector_fails_the_cli(tmp_path) -> None:
    from veil.cli import cli

    registry.register("veil.detectors", "quitter.v1", _Quitter)
    try:
        policy = tmp_path / "p.toml"
        policy.write_text(
            'preset = "pii"\n[detectors]\nenabled = ["quitter"]\n[ner]\nenabled = false\n', "utf-8"
        )
        out = tmp_path / "out.txt"
        src = tmp_path / "in.txt"
        src.write_text("Ada Lovelace wrote.\n", "utf-8")
        res = CliRunner().invoke(cli, ["redact", str(src), "-o", str(out), "--policy", str(policy)])
    finally:
        registry.unregister("veil.detectors", "quitter.v1")
    assert res.exit_code == 4, res.output
    assert not out.exists()
