"""Issue 10: one options layer. Each test here failed on the code before it (CliRunner).

Most tests use a patterns-only policy (no spaCy model): e-mail addresses, URLs and
deny-listed strings are found without NER, so the tests are fast and exact.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from veil.cli import cli

PATTERNS_ONLY = """
preset = "pii"
[ner]
enabled = false
[detectors]
enabled = ["patterns", "lists"]
"""
TEXT = "Write to ada@example.org or see https://example.net/ada for the Zed Alpha files.\n"


@pytest.fixture
def policy(tmp_path: Path) -> str:
    path = tmp_path / "patterns.toml"
    path.write_text(PATTERNS_ONLY, "utf-8")
    return str(path)


def _redact(*args: str, input: str = TEXT) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, ["redact", *args], input=input)
    return res.exit_code, res.stdout, res.output


# -- repeated options ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels",
    [
        ["--labels", "EMAIL", "--labels", "URL"],
        ["--labels", "EMAIL,URL"],
        ["--labels", "EMAIL", "--labels=url"],
    ],
    ids=["repeated", "comma", "mixed-case"],
)
def test_redact_labels_repeated_accumulate(policy: str, labels: list[str]) -> None:
    code, out, err = _redact("-p", policy, *labels)
    assert code == 0, err
    assert "ada@example.org" not in out and "example.net" not in out
    assert "[EMAIL_1]" in out and "[URL_1]" in out


@pytest.mark.parametrize(
    "args",
    [
        ["redact", "--operator", "tag", "--operator", "redact"],
        ["redact", "--token", "XXX", "--token", "YYY"],
        ["detect", "--preset", "pii", "--preset", "strict"],
        ["audit", "--max-risk", "low", "--max-risk", "high"],
        ["eval", "gold.json", "--report-format", "json", "--report-format", "table"],
    ],
    ids=["operator", "token", "preset", "max-risk", "report-format"],
)
def test_option_given_twice_is_an_error(args: list[str]) -> None:
    res = CliRunner().invoke(cli, args, input=TEXT)
    assert res.exit_code == 2
    assert "was given more than once" in res.output


def _csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_batch_text_field_repeated_protects_every_column(tmp_path: Path, policy: str) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _csv(
        src,
        [
            {"id": "r1", "body": "mail ada@example.org", "contact": "ada@example.org", "n": "1"},
            {"id": "r2", "body": "mail bob@example.net", "contact": "cyd@example.com", "n": "2"},
        ],
    )
    res = CliRunner().invoke(
        cli,
        ["batch", str(src), "-o", str(out), "-p", policy, "--text-field", "body", "--text-field", "contact"],
    )
    assert res.exit_code == 0, res.output
    written = out.read_text("utf-8")
    assert "@example" not in written
    rows = list(csv.DictReader(written.splitlines()))
    # The columns of one record are one document: one address, one pseudonym.
    assert [(r["body"], r["contact"], r["n"]) for r in rows] == [
        ("mail [EMAIL_1]", "[EMAIL_1]", "1"),
        ("mail [EMAIL_1]", "[EMAIL_2]", "2"),
    ]


def test_batch_text_field_repeated_jsonl_and_mask(tmp_path: Path, policy: str) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [{"a": "ada@example.org", "b": "x"}, {"a": "ok", "b": 7}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    res = CliRunner().invoke(
        cli,
        [
            "batch",
            str(src),
            "-o",
            str(out),
            "-p",
            policy,
            "--text-field=a",
            "--text-field=b",
            "--on-error=skip",
        ],
    )
    assert res.exit_code == 7, res.output  # the second record's 'b' is not text: skipped
    assert [json.loads(x) for x in out.read_text("utf-8").splitlines()] == [{"a": "[EMAIL_1]", "b": "x"}]


# -- the same flag means the same thing everywhere -----------------------------------------


def test_batch_takes_preset_allow_deny_token_and_a_validated_operator(tmp_path: Path, policy: str) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"text": TEXT}) + "\n", "utf-8")
    base = ["batch", str(src), "-o", str(out), "-p", policy]
    res = CliRunner().invoke(cli, [*base, "--deny", "Zed Alpha", "--operator", "redact", "--token", "XXX"])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text("utf-8"))["text"] == ("Write to XXX or see XXX for the XXX files.\n")
    res = CliRunner().invoke(cli, [*base, "--operator", "surrogat", "--restart"])
    assert res.exit_code == 2
    assert "did you mean 'surrogate'" in res.output and "veil.operators" not in res.output
    res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--preset", "strict", "--help"])
    assert res.exit_code == 0 and "--allow-file" in res.output


def test_eval_takes_preset_and_the_policy_flags() -> None:
    res = CliRunner().invoke(cli, ["eval", "--help"])
    for flag in ("--preset", "--labels", "--allow", "--deny", "--model", "--report-format"):
        assert flag in res.output


def test_spark_takes_key_file_and_the_policy_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.keys import generate_key, write_key_file
    from veil.spark import SparkSummary
    from veil.vault import numbers_key_bytes

    key = tmp_path / "veil.key"
    write_key_file(key, generate_key())
    seen: dict[str, object] = {}

    def fake_run_spark(source: str, output: str, **kwargs: object) -> SparkSummary:
        seen.update(kwargs)
        return SparkSummary(rows=0, failed=0)

    monkeypatch.setattr("veil.spark.run_spark", fake_run_spark)
    args = ["spark", "in.parquet", "-o", "out", "--master", "local[1]", "--preset", "strict"]
    res = CliRunner().invoke(
        cli, [*args, "--labels", "PERSON", "--key-file", str(key), "--on-error", "mask", "--operator", "tag"]
    )
    assert res.exit_code == 0, res.output
    policy = seen["policy"]
    assert {x.value for x in policy.labels} == {"PERSON"}  # type: ignore[attr-defined]
    assert policy.default_operator == "tag"  # type: ignore[attr-defined]
    assert seen["on_error"] == "mask" and seen["key"] == numbers_key_bytes(key)
    # --key is the deprecated name: it still works, and says so.
    res = CliRunner().invoke(cli, [*args, "--key", str(key)])
    assert res.exit_code == 0 and "deprecated" in res.output
    assert CliRunner().invoke(cli, args).exit_code == 2  # no key at all


@pytest.mark.parametrize("command", ["batch", "redact", "spark", "detect"], ids=str)
def test_on_error_offers_the_same_choices_everywhere(command: str) -> None:
    res = CliRunner().invoke(cli, [command, "--help"])
    assert "[fail|skip|mask]" in res.output


def test_redact_on_error_skip_and_mask_same_placeholder(
    tmp_path: Path, policy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veil.failure import PLACEHOLDER
    from veil.pipeline import Pipeline

    def boom(self: object, doc: object, precomputed: object = None) -> None:
        raise RuntimeError("detector exploded")

    monkeypatch.setattr(Pipeline, "_detect", boom)
    src = tmp_path / "a.txt"
    src.write_text(TEXT, "utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        cli, ["redact", str(src), "--out-dir", str(out), "-p", policy, "--on-error", "skip"]
    )
    assert res.exit_code == 4 and not (out / "a.txt").exists()
    res = CliRunner().invoke(
        cli, ["redact", str(src), "--out-dir", str(out), "-p", policy, "--on-error", "mask"]
    )
    assert res.exit_code == 4 and (out / "a.txt").read_text("utf-8") == PLACEHOLDER + "\n"


@pytest.mark.parametrize("command", ["audit", "eval"], ids=str)
def test_format_means_the_input_format(command: str, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[]", "utf-8")
    res = CliRunner().invoke(cli, [command, str(path), "--format", "json"])
    assert res.exit_code == 2 and "--report-format json" in res.output


def test_detect_writes_to_output_file(tmp_path: Path, policy: str) -> None:
    out = tmp_path / "entities.json"
    res = CliRunner().invoke(cli, ["detect", "-p", policy, "-o", str(out)], input=TEXT)
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text("utf-8"))
    assert {e["label"] for e in data[0]["entities"]} == {"EMAIL", "URL"}
    assert "ada@" not in out.read_text("utf-8")


# -- one numbering per command, and --vault on redact ---------------------------------------


def test_redact_several_files_share_one_numbering(tmp_path: Path, policy: str) -> None:
    a, b, out = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "out"
    a.write_text("Mail ada@example.org now.\n", "utf-8")
    b.write_text("Mail bob@example.net, then ada@example.org.\n", "utf-8")
    res = CliRunner().invoke(cli, ["redact", str(a), str(b), "--out-dir", str(out), "-p", policy])
    assert res.exit_code == 0, res.output
    assert (out / "a.txt").read_text("utf-8") == "Mail [EMAIL_1] now.\n"
    assert (out / "b.txt").read_text("utf-8") == "Mail [EMAIL_2], then [EMAIL_1].\n"


def test_redact_vault_keeps_numbers_across_runs(tmp_path: Path, policy: str) -> None:
    a, b, vault = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "names.db"
    a.write_text("Mail ada@example.org now.\n", "utf-8")
    b.write_text("Mail bob@example.net, then ada@example.org.\n", "utf-8")
    first = CliRunner().invoke(cli, ["redact", str(a), "-p", policy, "--vault", str(vault)])
    second = CliRunner().invoke(cli, ["redact", str(b), "-p", policy, "--vault", str(vault)])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert first.stdout == "Mail [EMAIL_1] now.\n"
    assert second.stdout == "Mail [EMAIL_2], then [EMAIL_1].\n"
    assert "example" not in vault.read_bytes().decode("latin-1")


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "typed", "closest"),
    [
        (["--operator", "surrogat"], "surrogat", "surrogate"),
        (["--labels", "PERSN"], "PERSN", "PERSON"),
        (["--policy", "stirct"], None, "strict"),
    ],
    ids=["operator", "label", "policy-file"],
)
def test_errors_name_what_was_typed_and_the_closest_value(
    args: list[str], typed: str | None, closest: str | None
) -> None:
    code, _, output = _redact(*args)
    assert code == 2
    assert "veil.operators" not in output and ".v1" not in output and "--labels:" not in output
    if typed is not None:
        assert f"'{typed}' (did you mean '{closest}'?)" in output
    else:
        assert f"did you mean the preset '{closest}'?" in output


def test_generalize_on_a_label_it_cannot_handle_is_a_config_error(policy: str) -> None:
    code, out, output = _redact("-p", policy, "--operator", "generalize")
    assert code == 2 and out == ""
    assert "operator 'generalize' cannot transform" in output and "EMAIL" in output
    code, out, _ = _redact("-p", policy, "--operator", "generalize", "--labels", "DATE,AGE")
    assert code == 0 and out == TEXT


# -- the audit of redact ---------------------------------------------------------------------


@pytest.mark.model
def test_redact_audit_withheld_report_records_findings(tmp_path: Path) -> None:
    src, rep = tmp_path / "leaky.txt", tmp_path / "report.json"
    src.write_text("Finance Minister Karl Brandt said the budget was final. Brandt agreed.\n", "utf-8")
    res = CliRunner().invoke(
        cli,
        ["redact", str(src), "--labels", "EMAIL", "--audit", "--report", str(rep), "-o", str(tmp_path / "o")],
    )
    assert res.exit_code == 6
    assert not (tmp_path / "o").exists()
    doc = json.loads(rep.read_text("utf-8"))["documents"][0]
    assert doc["status"] == "failed" and doc["audit"]["risk"] == "high"
    finding = doc["audit"]["findings"][0]
    assert {"id", "start", "end", "label", "kind"} <= set(finding) and "text" not in finding
    assert "Brandt" not in rep.read_text("utf-8")


@pytest.mark.model
def test_redact_readme_example_with_audit_passes(example_text: str, tmp_path: Path) -> None:
    # README: "veil redact examples/wire-story.txt --preset strict --audit"
    src = tmp_path / "wire-story.txt"
    src.write_text(example_text, "utf-8")
    res = CliRunner().invoke(cli, ["redact", str(src), "--preset", "strict", "--audit"])
    assert res.exit_code == 0, res.output


# -- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", ["redact", "detect", "batch", "audit", "eval", "spark", "serve", "restore", "keygen"], ids=str
)
def test_every_command_help_has_examples(command: str) -> None:
    res = CliRunner().invoke(cli, [command, "--help"])
    assert res.exit_code == 0 and "Examples:" in res.output


def test_batch_text_field_repeated_parquet(tmp_path: Path, policy: str) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    table = pa.table(
        {"a": ["ada@example.org", None], "b": ["see https://example.net/a", "fine"], "n": [1, 2]}
    )
    pq.write_table(table, src)
    res = CliRunner().invoke(
        cli,
        [
            "batch",
            str(src),
            "-o",
            str(out),
            "-p",
            policy,
            "--text-field=a",
            "--text-field=b",
            "--on-error=mask",
        ],
    )
    assert res.exit_code == 7, res.output  # row 2's 'a' is null: unreadable, left out
    assert pq.read_table(out).to_pylist() == [{"a": "[EMAIL_1]", "b": "see [URL_1]", "n": 1}]
