"""Data model, registry, policy loading, public surface and import weight."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import veil
from veil import registry
from veil.config import from_dict, load_policy, preset
from veil.errors import ConfigError
from veil.model import Document, Entity, Label, Replacement, Result, Span

SECRET = "Zofia Wróblewska"


def test_public_api_all_is_exact():
    assert sorted(veil.__all__) == sorted(
        [
            "AuditRiskError",
            "ConfigError",
            "DetectorError",
            "Document",
            "Entity",
            "InputError",
            "Label",
            "OperatorError",
            "Pipeline",
            "Policy",
            "ProcessingError",
            "Replacement",
            "ResolveError",
            "Result",
            "Span",
            "VeilError",
            "WriteError",
            "detect",
            "load_policy",
            "preset",
            "redact",
        ]
    )
    for name in veil.__all__:
        assert getattr(veil, name) is not None


def test_import_veil_stays_light():
    code = "import sys, veil; print(json.dumps(sorted(m for m in ('spacy','faker','pyarrow','fastapi','pyspark','cryptography') if m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", "import json;" + code], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize(
    "obj",
    [
        Span(0, 16, Label.PERSON, "ner"),
        Entity("e1", Label.PERSON, (Span(0, 16, Label.PERSON, "ner"),), ("ner",), key="PERSON:" + SECRET),
        Document("d1", SECRET + " was here"),
        Replacement(0, 16, Label.PERSON, "e1", "pseudonym", "[PERSON_1]"),
        Result("d1", "[PERSON_1] was here", (), (), original=SECRET + " was here"),
    ],
    ids=["span", "entity", "document", "replacement", "result"],
)
def test_repr_never_shows_text(obj):
    assert "Zofia" not in repr(obj) and "Wróblewska" not in repr(obj)
    assert "was here" not in repr(obj)


@pytest.mark.parametrize(("start", "end"), [(3, 3), (5, 2), (-1, 4)], ids=["empty", "reversed", "negative"])
def test_span_rejects_bad_offsets(start, end):
    with pytest.raises(ValueError):
        Span(start, end, Label.PERSON, "ner")


def test_registry_snapshot():
    assert registry.names("veil.detectors") == ["context.v1", "lists.v1", "ner.v1", "patterns.v1"]
    assert registry.names("veil.operators") == [
        "encrypt.v1",
        "generalize.v1",
        "hash.v1",
        "pseudonym.v1",
        "redact.v1",
        "surrogate.v1",
        "tag.v1",
    ]


def test_registry_unknown_name_lists_available():
    with pytest.raises(ConfigError, match=r"available: .*pseudonym, redact") as info:
        registry.get("veil.operators", "shred")
    assert "veil.operators" not in str(info.value) and ".v1" not in str(info.value)


def test_registry_unknown_name_suggests_closest():
    with pytest.raises(ConfigError, match=r"unknown operator 'surrogat' \(did you mean 'surrogate'\?\)"):
        registry.get("veil.operators", "surrogat")


def test_registry_unversioned_name_picks_latest():
    assert registry.canonical_name("veil.operators", "tag") == "tag.v1"


def test_registry_duplicate_registration_is_error():
    with pytest.raises(ConfigError, match="duplicate"):
        registry.register("veil.operators", "tag.v1", lambda: None)


def test_policy_missing_file_is_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_policy(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("labels = [", "not valid TOML"),
        ('preset = "pii"\ncolour = "red"', "unknown key"),
        ('labels = ["PERSON", "WIZARD"]', "unknown label"),
        ('preset = "pii"\n[operators]\nPERSON = "shred"', "unknown operator 'shred'"),
        ('preset = "pii"\n[operator_options.redact]\ntoken = ""', "token"),
        ('preset = "bogus"', "unknown preset"),
        ('default_operator = "tag"', "must list its labels"),
    ],
    ids=[
        "syntax",
        "unknown-key",
        "unknown-label",
        "unknown-operator",
        "empty-token",
        "bad-preset",
        "no-labels",
    ],
)
def test_policy_invalid_files_are_errors(tmp_path, toml, message):
    path = tmp_path / "p.toml"
    path.write_text(toml, "utf-8")
    if message == "token":
        from veil.pipeline import Pipeline

        with pytest.raises(ConfigError):
            Pipeline(load_policy(path), detectors=[])
        return
    with pytest.raises(ConfigError, match=message):
        load_policy(path)


def test_policy_presets_strict_adds_quasi_identifiers():
    pii, strict = preset("pii"), preset("strict")
    assert Label.PERSON in pii.labels and Label.LOC not in pii.labels
    assert {Label.LOC, Label.ORG, Label.DATE, Label.AGE, Label.NORP} <= strict.labels
    assert pii.operator_for(Label.PERSON) == "pseudonym"


def test_policy_from_dict_overrides_preset():
    pol = from_dict(
        {"preset": "pii", "labels": ["PERSON"], "operators": {"PERSON": "tag"}, "lists": {"allow": ["X Y"]}}
    )
    assert (
        pol.labels == frozenset({Label.PERSON})
        and pol.operator_for(Label.PERSON) == "tag"
        and pol.allow == ("X Y",)
    )


def test_policy_repr_has_no_list_entries():
    pol = preset("pii").with_lists(allow=[SECRET], deny=[SECRET])
    assert "Zofia" not in repr(pol)


def test_policy_pickles_for_worker_processes():
    import pickle

    pol = preset("strict").with_options("redact", token="XXX").with_lists(deny=["Project Nightingale"])
    again = pickle.loads(pickle.dumps(pol))
    assert again == pol
    assert again.operator_options["redact"]["token"] == "XXX"


@pytest.mark.parametrize(
    ("mention", "output", "fails"),
    [
        ("Smith/Jones", "Williams/Jones", True),
        ("MacDonald-Smith", "Smith", True),
        ("Dr. Ana Ruiz", "Dr. Lena Ortiz", False),
        ("Ana Ruiz", "[PERSON_1]", False),
    ],
    ids=["slash-part", "hyphen-part", "title-kept", "pseudonym"],
)
def test_pipeline_refuses_output_keeping_a_name_word(mention, output, fails):
    from veil.errors import OperatorError
    from veil.pipeline import Pipeline

    text = f"Yesterday {mention} spoke."
    start = text.index(mention)

    class Fixed:
        name = "fixed"

        def apply(self, target):
            return output

    pipe = Pipeline(
        preset("pii").narrowed(["PERSON"]),
        detectors=[lambda d: [Span(start, start + len(mention), Label.PERSON, "t")]],
    )
    pipe.operators["pseudonym"] = Fixed()
    if fails:
        with pytest.raises(OperatorError):
            pipe.redact(text, "d")
    else:
        assert output in pipe.redact(text, "d").text
