"""``veil.options``, ``veil.failure`` and ``veil.suggest``: the options value, built from
flags or from request fields, and the messages for values the user got wrong."""

from __future__ import annotations

import pytest

from veil.config import preset
from veil.errors import ConfigError
from veil.failure import ON_ERROR, PLACEHOLDER, check_on_error, replacement
from veil.model import Label
from veil.options import Options, options_from_mapping
from veil.suggest import closest, unknown


def test_options_labels_accumulate_comma_and_repeat() -> None:
    opts = Options(labels=("PERSON,email", " URL ", "PERSON"))
    assert opts.label_names == ("PERSON", "email", "URL")
    assert opts.build_policy().labels == {Label.PERSON, Label.EMAIL, Label.URL}


def test_options_build_policy_on_a_base_keeps_the_base_unless_a_preset_is_given() -> None:
    base = preset("strict").narrowed(["PERSON", "LOC"])
    assert Options(operator="tag").build_policy(base=base).labels == {Label.PERSON, Label.LOC}
    assert Options(preset="pii").build_policy(base=base).name == "pii"


def test_options_token_and_lists(tmp_path) -> None:
    allow = tmp_path / "allow.txt"
    allow.write_text("# public figures\nAda Lovelace\n\n", "utf-8")
    policy = Options(
        operator="redact",
        token="XXX",
        allow=("Grace Hopper",),
        allow_files=(str(allow),),
        deny=("Nightingale",),
    ).build_policy()
    assert policy.options_for("redact")["token"] == "XXX"
    assert policy.allow == ("Grace Hopper", "Ada Lovelace") and policy.deny == ("Nightingale",)
    with pytest.raises(ConfigError, match="token must not be empty"):
        Options(token=" ").build_policy()
    with pytest.raises(ConfigError, match="list file not found"):
        Options(deny_files=(str(tmp_path / "nope.txt"),)).build_policy()


def test_options_repr_hides_list_entries_and_token() -> None:
    text = repr(
        Options(allow=("Ada Lovelace",), deny=("Project X",), token="SECRET-TOKEN", labels=("PERSON",))
    )
    assert "Ada" not in text and "Project" not in text and "SECRET" not in text
    assert "allow=1" in text and "labels=('PERSON',)" in text


def test_options_from_mapping_matches_the_flags() -> None:
    fields = {"labels": ["PERSON", "EMAIL"], "operator": "tag", "allow": ["Ada Lovelace"], "preset": None}
    assert options_from_mapping(fields) == Options(
        labels=("PERSON", "EMAIL"), operator="tag", allow=("Ada Lovelace",)
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"lables": ["PERSON"]}, "unknown option 'lables' (did you mean 'labels'?)"),
        ({"labels": "PERSON"}, "'labels' must be a list of strings"),
        ({"operator": 3}, "'operator' must be a string"),
        ({"on_error": "skpi"}, "unknown on-error policy 'skpi' (did you mean 'skip'?)"),
        ({"timeout": -1}, "positive number of seconds"),
    ],
    ids=["unknown-field", "labels-not-list", "operator-not-str", "on-error", "timeout"],
)
def test_options_from_mapping_errors_name_the_field(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        options_from_mapping(fields)
    assert message in str(info.value)


def test_options_policy_errors_carry_no_flag_names() -> None:
    # The service returns these messages as they are: no "--labels:" and no module names.
    for opts in (Options(labels=("PERSN",)), Options(operator="surrogat")):
        with pytest.raises(ConfigError) as info:
            opts.build_policy()
        assert "--" not in str(info.value) and "veil." not in str(info.value)


def test_options_secrets_need_a_key_for_hash(tmp_path, monkeypatch) -> None:
    policy = Options(operator="hash").build_policy()
    with pytest.raises(ConfigError, match="need a key"):
        Options().secrets(policy)
    from veil.keys import generate_key, write_key_file

    key = tmp_path / "k"
    write_key_file(key, generate_key())
    assert set(Options(key_file=str(key)).secrets(policy)) == {"hash"}


def test_policy_generalize_declares_its_labels() -> None:
    with pytest.raises(ConfigError, match="cannot transform PERSON"):
        Options(labels=("PERSON", "DATE"), operator="generalize").build_policy()
    from veil.config import from_dict

    with pytest.raises(ConfigError, match="'generalize' cannot transform PERSON"):
        from_dict({"preset": "pii", "operators": {"PERSON": "generalize"}})
    from veil.pipeline import Pipeline

    with pytest.raises(ConfigError, match="cannot transform"):
        Pipeline(preset("pii").with_operator("generalize"), detectors=[])
    assert preset("strict").operator_for(Label.DATE) == "generalize"  # the preset itself is valid


def test_failure_policy_values() -> None:
    assert ON_ERROR == ("fail", "skip", "mask")
    assert replacement("mask") == PLACEHOLDER and replacement("skip") is None
    with pytest.raises(ConfigError):
        replacement("fail")
    assert check_on_error("mask") == "mask"


def test_suggest_closest_and_message() -> None:
    assert closest("PERSN", ["PERSON", "ORG"]) == "PERSON"
    assert closest("zzz", ["PERSON", "ORG"]) is None
    assert unknown("label", "x" * 100, ["A"]).count("x") == 40  # a pasted text is not echoed whole
