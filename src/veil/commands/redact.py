"""``veil redact`` and ``veil detect``: thin shells over :class:`veil.pipeline.Pipeline`."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from ..config import OPERATOR_NAMES, PRESETS, Policy, policy_from_options
from ..errors import AuditRiskError, ConfigError, VeilError, WriteError
from ..write import atomic_open, check_not_input, read_text, write_text

#: What a document that failed is replaced by under ``--on-error mask``.
FAILED_PLACEHOLDER = "[VEIL: document withheld: processing failed]\n"
RISK_ORDER = ("low", "medium", "high")


def _read_list_file(path: str) -> list[str]:
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"list file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read list file {path}: {type(exc).__name__}") from None
    return [x.strip() for x in lines if x.strip() and not x.lstrip().startswith("#")]


def build_policy(
    policy_path: str | None,
    preset_name: str | None,
    labels: str | None,
    operator: str | None,
    token: str | None,
    model: str | None,
    allow: Sequence[str],
    deny: Sequence[str],
    allow_file: str | None,
    deny_file: str | None,
) -> Policy:
    """The policy the command-line options describe (shared by redact, detect, eval, audit)."""
    policy = policy_from_options(policy_path, preset_name)
    if labels:
        policy = policy.narrowed([x for x in labels.split(",") if x.strip()])
    if operator:
        policy = policy.with_operator(operator)
    if token is not None:
        if not token:
            raise ConfigError("--token must not be empty")
        policy = policy.with_options("redact", token=token)
    if model:
        policy = policy.with_model(model)
    extra_allow = [*allow, *(_read_list_file(allow_file) if allow_file else [])]
    extra_deny = [*deny, *(_read_list_file(deny_file) if deny_file else [])]
    if extra_allow or extra_deny:
        policy = policy.with_lists(allow=extra_allow, deny=extra_deny)
    return policy


def policy_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options that build a policy, shared by several commands."""
    decorators = [
        click.option(
            "--policy",
            "policy_path",
            type=click.Path(dir_okay=False),
            help="Policy TOML file (or a preset name).",
        ),
        click.option(
            "--preset",
            "preset_name",
            type=click.Choice(PRESETS),
            help="Bundled policy: pii (default) or strict (adds quasi-identifiers).",
        ),
        click.option("--labels", help="Comma-separated labels to protect, e.g. PERSON,EMAIL."),
        click.option("--model", help="Installed spaCy pipeline to use for NER."),
        click.option("--allow", multiple=True, help="Never mask this string (repeatable)."),
        click.option("--deny", multiple=True, help="Always mask this string (repeatable)."),
        click.option(
            "--allow-file", type=click.Path(dir_okay=False), help="File with one allowed string per line."
        ),
        click.option(
            "--deny-file", type=click.Path(dir_okay=False), help="File with one denied string per line."
        ),
    ]
    for dec in reversed(decorators):
        fn = dec(fn)
    return fn


def load_secrets(key_file: str | None, policy: Policy) -> dict[str, dict[str, Any]]:
    """Keys for the operators that need one, from ``--key-file`` or ``VEIL_KEY_FILE``."""
    path = key_file or os.environ.get("VEIL_KEY_FILE")
    used = {policy.operator_for(label) for label in policy.labels}
    needs_key = used & {"hash", "encrypt"}
    if not path:
        if needs_key:
            raise ConfigError(
                f"operator(s) {', '.join(sorted(needs_key))} need a key: pass --key-file "
                "or set VEIL_KEY_FILE (create one with 'veil keygen -o veil.key')"
            )
        return {}
    from ..keys import load_key

    key = load_key(path)
    return {name: {"key": key} for name in used & {"hash", "encrypt", "surrogate"}}


def _outputs(inputs: Sequence[str], output: str | None, out_dir: str | None) -> list[str | None]:
    if output and out_dir:
        raise ConfigError("give either -o/--output or --out-dir, not both")
    if not inputs or list(inputs) == ["-"]:
        if out_dir:
            raise ConfigError("--out-dir needs input files")
        return [output]
    if len(inputs) > 1 and not out_dir:
        raise ConfigError("several inputs need --out-dir DIR (one output per input)")
    if out_dir:
        names = [Path(p).name for p in inputs]
        if len(set(names)) != len(names):
            raise ConfigError("two inputs share a file name; --out-dir would overwrite one with the other")
        outs: list[str | None] = [str(Path(out_dir) / n) for n in names]
    else:
        outs = [output]
    for out in outs:
        if out is not None and out != "-":
            check_not_input(out, inputs)
    return outs


def _time_limit(timeout: float | None) -> dict[str, Any]:
    """The pipeline's time limit: the default (scaled by length) unless ``--timeout`` was given."""
    from ..pipeline import DEFAULT_TIMEOUT, DEFAULT_TIMEOUT_PER_MB

    if timeout is None:
        return {"timeout": DEFAULT_TIMEOUT, "timeout_per_mb": DEFAULT_TIMEOUT_PER_MB}
    if timeout < 0:
        raise ConfigError("--timeout must be 0 (no limit) or a positive number of seconds")
    return {"timeout": timeout or None, "timeout_per_mb": 0.0}


@click.command("redact")
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Output file (one input)."
)
@click.option(
    "--out-dir", type=click.Path(file_okay=False), help="Directory for the outputs of several inputs."
)
@policy_options
@click.option(
    "--operator",
    type=click.Choice(OPERATOR_NAMES),
    help="Transform every protected label with this operator (default: the policy's, pseudonym).",
)
@click.option("--token", help="Token for the redact operator, e.g. XXX.")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False),
    help="Key for hash / encrypt / surrogate (or VEIL_KEY_FILE).",
)
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Write a JSON report here.")
@click.option("--include-text", is_flag=True, help="Put identifier text in the report (off by default).")
@click.option(
    "--on-error",
    type=click.Choice(["fail", "mask"]),
    default="fail",
    show_default=True,
    help="A document that fails: write nothing (fail) or a fixed placeholder (mask). Exit code is non-zero either way.",
)
@click.option(
    "--timeout",
    type=float,
    help="Seconds allowed to analyse each document (0: no limit). Default: 60 s plus 60 s per "
    "million characters. A document over time is not written (exit 4).",
)
@click.option(
    "--audit", "run_audit", is_flag=True, help="Audit the output; fail if risk is above --max-risk."
)
@click.option("--max-risk", type=click.Choice(RISK_ORDER), default="medium", show_default=True)
def redact_cmd(
    inputs: tuple[str, ...],
    output: str | None,
    out_dir: str | None,
    policy_path: str | None,
    preset_name: str | None,
    labels: str | None,
    model: str | None,
    allow: tuple[str, ...],
    deny: tuple[str, ...],
    allow_file: str | None,
    deny_file: str | None,
    operator: str | None,
    token: str | None,
    key_file: str | None,
    report_path: str | None,
    include_text: bool,
    on_error: str,
    timeout: float | None,
    run_audit: bool,
    max_risk: str,
) -> None:
    """Anonymize text: every mention of every protected entity, transformed consistently.

    Reads INPUTS (UTF-8 text files), or stdin when none is given, and writes the
    result to -o FILE, --out-dir DIR, or stdout. Inputs are never overwritten and
    outputs are written atomically. If any stage fails for a document, nothing of it
    is written (or a fixed placeholder with --on-error mask) and the exit code is
    non-zero.

    \b
    Examples:
      veil redact examples/wire-story.txt
      veil redact story.txt -o story.safe.txt --report story.report.json
      veil redact --labels PERSON --operator redact --token XXX < in.txt > out.txt
      veil redact *.txt --out-dir redacted/ --preset strict --operator surrogate
      veil redact notes.txt --operator encrypt --key-file veil.key -o notes.enc.txt
      veil redact story.txt --allow "Ada Lovelace" --deny "Project Nightingale"
    """
    from ..pipeline import Pipeline

    policy = build_policy(
        policy_path, preset_name, labels, operator, token, model, allow, deny, allow_file, deny_file
    )
    outputs = _outputs(inputs, output, out_dir)
    if report_path:
        check_not_input(report_path, inputs)
    secrets = load_secrets(key_file, policy)
    pipeline = Pipeline(policy, secrets=secrets, **_time_limit(timeout))
    sources: list[str | None] = list(inputs) if inputs else [None]
    reports: list[dict[str, Any]] = []
    failures: list[VeilError] = []
    for src, dst in zip(sources, outputs, strict=True):
        doc_id = src if src and src != "-" else "stdin"
        try:
            text = read_text(src)
            result = pipeline.redact(text, doc_id)
            report = result.report(include_text=include_text)
            out_text = result.text
            if run_audit:
                from ..audit import audit_result, risk_above

                # Every replacement counts as a mask, so pseudonyms are not taken for names.
                audit = audit_result(result, pipeline=pipeline)
                report["audit"] = audit.to_dict(include_text=False)
                if risk_above(audit.risk, max_risk):
                    raise AuditRiskError(
                        f"audit risk {audit.risk} is above --max-risk {max_risk}; output withheld",
                        doc_id=doc_id,
                        stage="audit",
                    )
            write_text(dst, out_text)
            report["status"] = "ok"
            reports.append(report)
        except VeilError as exc:
            if isinstance(exc, WriteError):
                raise
            failures.append(exc)
            click.echo(f"veil: error: {exc}", err=True)
            reports.append({"doc_id": doc_id, "status": "failed", "error": str(exc), "stage": exc.stage})
            if on_error == "mask":
                write_text(dst, FAILED_PLACEHOLDER)
    if report_path:
        payload = {
            "veil_report": 1,
            "policy": policy.name,
            "labels": sorted(lab.value for lab in policy.labels),
            "operators": {lab.value: policy.operator_for(lab) for lab in sorted(policy.labels)},
            "documents": reports,
        }
        with atomic_open(report_path) as fh:
            json.dump(payload, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    if failures:
        code = max(f.exit_code for f in failures)
        sys.exit(code)


@click.command("detect")
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@policy_options
@click.option("--show-text", is_flag=True, help="Show each mention's text (off by default).")
def detect_cmd(
    inputs: tuple[str, ...],
    policy_path: str | None,
    preset_name: str | None,
    labels: str | None,
    model: str | None,
    allow: tuple[str, ...],
    deny: tuple[str, ...],
    allow_file: str | None,
    deny_file: str | None,
    show_text: bool,
) -> None:
    """Print the entities found in INPUTS (or stdin) as JSON, without transforming.

    \b
    Examples:
      veil detect story.txt
      veil detect story.txt --labels PERSON --show-text
    """
    from ..pipeline import Pipeline

    policy = build_policy(
        policy_path, preset_name, labels, None, None, model, allow, deny, allow_file, deny_file
    )
    pipeline = Pipeline(policy, build_operators=False)
    out = []
    sources: list[str | None] = list(inputs) if inputs else [None]
    for src in sources:
        doc_id = src if src and src != "-" else "stdin"
        text = read_text(src)
        doc = pipeline.analyze(text, doc_id)
        ents = []
        for ent in doc.entities:
            item: dict[str, Any] = {
                "id": ent.id,
                "label": ent.label.value,
                "detectors": list(ent.sources),
                "mentions": [{"start": m.start, "end": m.end} for m in ent.mentions],
            }
            if show_text:
                item["text"] = [m.text(text) for m in ent.mentions]
            ents.append(item)
        out.append({"doc_id": doc_id, "entities": ents})
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))
