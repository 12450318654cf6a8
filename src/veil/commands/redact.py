"""``veil redact`` and ``veil detect``: thin shells over :class:`veil.pipeline.Pipeline`."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import AuditRiskError, ConfigError, VeilError, WriteError
from ..failure import PLACEHOLDER
from ..options import Options, VeilCommand, options
from ..write import atomic_open, check_not_input, read_bytes, read_text, write_bytes, write_text

if TYPE_CHECKING:
    from ..pipeline import NumberSource, Pipeline
    from ..vault import Vault

#: What a document that failed is replaced by under ``--on-error mask`` (a text file).
FAILED_PLACEHOLDER = PLACEHOLDER + "\n"

RISK_ORDER = ("low", "medium", "high")


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


@click.command("redact", cls=VeilCommand)
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Output file (one input)."
)
@click.option(
    "--out-dir", type=click.Path(file_okay=False), help="Directory for the outputs of several inputs."
)
@options("policy", "transform", "run")
@click.option(
    "--vault",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite vault: the same entity gets the same number across files and runs (as in batch).",
)
@click.option(
    "--vault-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Key file (veil keygen) for the vault's keyed hashes; default: a secret kept in the vault.",
)
@click.option(
    "--format",
    "input_format",
    metavar="FORMAT",
    help="Input format: text, html, markdown, eml, docx or pdf (default: by file extension; "
    "stdin is text). The output is written in the same format.",
)
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Write a JSON report here.")
@click.option(
    "--include-text",
    "--show-text",
    "include_text",
    is_flag=True,
    help="Put identifier text in the report (off by default).",
)
@click.option(
    "--audit", "run_audit", is_flag=True, help="Audit the output; withhold it if risk is above --max-risk."
)
@click.option("--max-risk", type=click.Choice(RISK_ORDER), default="medium", show_default=True)
def redact_cmd(
    opts: Options,
    inputs: tuple[str, ...],
    output: str | None,
    out_dir: str | None,
    vault: Path | None,
    vault_key: Path | None,
    input_format: str | None,
    report_path: str | None,
    include_text: bool,
    run_audit: bool,
    max_risk: str,
) -> None:
    """Anonymize text: every mention of every protected entity, transformed consistently.

    Reads INPUTS (UTF-8 text, or documents: .html, .md, .eml, .docx, .pdf), or stdin when
    none is given, and writes the result in the same format to -o FILE, --out-dir DIR,
    or stdout. A document is resolved as a whole (a name in a DOCX header links to the
    surname in its body) and verified after writing: if any masked string can still be
    found in any text layer of the output, nothing is written (exit code 4). Inputs are never overwritten and
    outputs are written atomically. Entity numbers are shared by all the files of one
    command ([PERSON_2] is one person in every output), and by every run with --vault.
    If any stage fails for a document, nothing of it is written (--on-error: stop,
    skip it, or write a fixed placeholder) and the exit code is non-zero.

    \b
    Examples:
      veil redact examples/wire-story.txt --preset strict --audit
      veil redact story.txt -o story.safe.txt --report story.report.json
      veil redact --labels PERSON --labels EMAIL --operator redact --token XXX < in.txt > out.txt
      veil redact a.txt b.txt --out-dir redacted/ --vault names.db
      veil redact notes.txt --operator encrypt --key-file veil.key -o notes.enc.txt
      veil redact statement.pdf -o statement.redacted.pdf
      veil redact memo.docx page.html mail.eml --out-dir redacted/
      veil redact story.txt --allow "Ada Lovelace" --deny "Project Nightingale"
    """
    from ..pipeline import LocalNumbers, Pipeline, time_limit

    if vault_key is not None and vault is None:
        raise ConfigError("--vault-key needs --vault")
    policy = opts.build_policy()
    outputs = _outputs(inputs, output, out_dir)
    for extra in (report_path, vault):
        if extra:
            check_not_input(extra, inputs)
    if vault is not None and any(
        out is not None and out != "-" and Path(out).resolve() == vault.resolve()
        for out in (*outputs, report_path)
    ):
        raise ConfigError("the vault path must differ from the output and report paths")
    limit, per_mb = time_limit(opts.timeout)
    pipeline = Pipeline(policy, secrets=opts.secrets(policy), timeout=limit, timeout_per_mb=per_mb)
    numbers: NumberSource
    store: Vault | None = None
    if vault is not None:
        from ..vault import Vault, vault_key_bytes

        store = Vault(vault, key=vault_key_bytes(vault_key) if vault_key else None)
        numbers = store
    else:
        numbers = LocalNumbers()  # one numbering for all the files of this command
    if input_format:
        from ..formats import get_format

        get_format(input_format)  # an unknown name fails before any work
    try:
        reports, failures = _redact_all(
            pipeline,
            opts,
            inputs,
            outputs,
            numbers,
            store,
            include_text,
            max_risk if run_audit else None,
            input_format,
        )
    finally:
        if store is not None:
            store.close()
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
        sys.exit(max(f.exit_code for f in failures))


def _redact_all(
    pipeline: Pipeline,
    opts: Options,
    inputs: Sequence[str],
    outputs: Sequence[str | None],
    numbers: NumberSource,
    store: Vault | None,
    include_text: bool,
    max_risk: str | None,
    input_format: str | None = None,
) -> tuple[list[dict[str, Any]], list[VeilError]]:
    """Redact each input in order with one shared numbering; apply ``opts.on_error``."""
    from ..formats import choose, redact_document

    sources: list[str | None] = list(inputs) if inputs else [None]
    reports: list[dict[str, Any]] = []
    failures: list[VeilError] = []
    for src, dst in zip(sources, outputs, strict=True):
        doc_id = src if src and src != "-" else "stdin"
        audit: dict[str, Any] | None = None
        try:
            fmt = choose(src, input_format)
            payload: str | bytes
            if fmt is None:
                result = pipeline.redact(read_text(src), doc_id, numbers=numbers)
                payload = result.text
            else:
                document = redact_document(read_bytes(src), fmt, pipeline, doc_id=doc_id, numbers=numbers)
                result, payload = document.result, document.data
            report = result.report(include_text=include_text)
            if fmt is not None:
                report["format"] = fmt.name
            if max_risk is not None:
                from ..audit import audit_result, risk_above

                # Every replacement counts as a mask, so pseudonyms are not taken for names.
                checked = audit_result(result, pipeline=pipeline)
                audit = checked.to_dict(include_text=include_text)
                report["audit"] = audit
                if risk_above(checked.risk, max_risk):
                    raise AuditRiskError(
                        f"audit risk {checked.risk} is above --max-risk {max_risk}; output withheld "
                        "(the report lists the findings)",
                        doc_id=doc_id,
                        stage="audit",
                    )
            if isinstance(payload, bytes):
                write_bytes(dst, payload)
            else:
                write_text(dst, payload)
            if store is not None:
                store.commit()  # the numbers of a written output are kept; a failed one's are not
            report["status"] = "ok"
            reports.append(report)
        except VeilError as exc:
            if store is not None:
                store.rollback()
            if isinstance(exc, WriteError):
                raise
            failures.append(exc)
            click.echo(f"veil: error: {exc}", err=True)
            entry: dict[str, Any] = {
                "doc_id": doc_id,
                "status": "failed",
                "error": str(exc),
                "stage": exc.stage,
            }
            if audit is not None:
                entry["audit"] = audit
            if opts.on_error == "mask":
                write_text(dst, FAILED_PLACEHOLDER)
                entry["status"] = "masked"
            elif opts.on_error == "skip":
                entry["status"] = "skipped"
            reports.append(entry)
            if opts.on_error == "fail":
                break
    return reports, failures


@click.command("detect", cls=VeilCommand)
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the JSON here, atomically (default: stdout). Never an input file.",
)
@options("policy", "run")
@click.option(
    "--show-text",
    "--include-text",
    "show_text",
    is_flag=True,
    help="Show each mention's text (off by default).",
)
def detect_cmd(opts: Options, inputs: tuple[str, ...], output: str | None, show_text: bool) -> None:
    """Print the entities found in INPUTS (or stdin) as JSON, without transforming.

    Each entity has its id, label, detectors and mentions (offsets); text only with
    --show-text. A document that fails follows --on-error (mask: its entry says so and
    lists no entity); the exit code is non-zero.

    \b
    Examples:
      veil detect story.txt
      veil detect story.txt --labels PERSON --show-text
      veil detect a.txt b.txt --preset strict -o entities.json
    """
    from ..pipeline import Pipeline, time_limit

    if output and output != "-":
        check_not_input(output, inputs)
    policy = opts.build_policy()
    limit, per_mb = time_limit(opts.timeout)
    pipeline = Pipeline(policy, build_operators=False, timeout=limit, timeout_per_mb=per_mb)
    out: list[dict[str, Any]] = []
    failures: list[VeilError] = []
    sources: list[str | None] = list(inputs) if inputs else [None]
    for src in sources:
        doc_id = src if src and src != "-" else "stdin"
        try:
            text = read_text(src)
            doc = pipeline.analyze(text, doc_id)
        except VeilError as exc:
            failures.append(exc)
            click.echo(f"veil: error: {exc}", err=True)
            if opts.on_error == "fail":
                break
            if opts.on_error == "mask":
                out.append({"doc_id": doc_id, "status": "failed", "entities": []})
            continue
        ents = []
        for ent in doc.entities:
            item: dict[str, Any] = {
                "id": ent.id,
                "label": ent.label.value,
                "detectors": list(ent.sources),
                "score": round(ent.score, 2),
                "mentions": [{"start": m.start, "end": m.end} for m in ent.mentions],
            }
            if show_text:
                item["text"] = [m.text(text) for m in ent.mentions]
            ents.append(item)
        out.append({"doc_id": doc_id, "entities": ents})
    if not (failures and opts.on_error == "fail"):
        write_text(output, json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    if failures:
        sys.exit(max(f.exit_code for f in failures))
