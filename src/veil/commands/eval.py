"""``veil eval``: score protection quality on annotated (gold) documents."""

from __future__ import annotations

from typing import Literal

import click

from ..evaluate import evaluate, render
from ..write import check_not_input, write_text

_STYLES: dict[str, Literal["table", "json", "markdown"]] = {
    "table": "table",
    "json": "json",
    "markdown": "markdown",
}


def _labels(values: tuple[str, ...]) -> list[str]:
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


@click.command(name="eval")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False),
    help="Score another tool's spans (JSON: doc_id -> [[start, end(, label)], ...]) instead of running Veil.",
)
@click.option("--policy", default=None, help="Preset name (pii, strict) or policy TOML file. Default: pii.")
@click.option("--labels", multiple=True, help="Only protect these labels (comma-separated or repeated).")
@click.option("--model", default=None, help="spaCy model package to load for NER.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--markdown", is_flag=True, help="Same as --format markdown.")
@click.option("--show-text", is_flag=True, help="Print the text of missed mentions and false positives.")
@click.option(
    "--max-errors",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Missed entities and false positives listed in table/markdown output (json lists all).",
)
@click.option(
    "--no-merge",
    is_flag=True,
    help="Count repeated or overlapping predicted spans again in token precision (as TAB's scorer does).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here (atomically).")
def eval_cmd(
    gold: str,
    predictions: str | None,
    policy: str | None,
    labels: tuple[str, ...],
    model: str | None,
    fmt: str,
    markdown: bool,
    show_text: bool,
    max_errors: int,
    no_merge: bool,
    output: str | None,
) -> None:
    """Score protection quality on GOLD (TAB or GUM-simple JSON, detected automatically).

    Without --predictions, Veil's pipeline runs on every gold document with the same
    --policy/--labels/--model options as 'veil redact'. The report gives per label the
    entity recall, mention recall, word precision and F1 (definitions: docs/quality.md),
    label-aware mention and entity P/R/F1, TAB's metrics (ER direct/quasi, token recall,
    uniform token precision), and the missed entities and false positives as document
    ids, offsets and labels. Span text is printed only with --show-text.

    \b
    Examples:
      veil eval gum/dev.json --labels PERSON,LOC,ORG
      veil eval tab/echr_dev.json --policy strict --format json -o scores.json
      veil eval gold.json --predictions other-tool.json --markdown
      veil eval gold.json --predictions other-tool.json --show-text --max-errors 50
    """
    if output is not None:
        check_not_input(output, [p for p in (gold, predictions, policy) if p])
    gold_docs, report = evaluate(
        gold,
        predictions=predictions,
        policy=policy,
        labels=_labels(labels),
        model=model,
        merge_spans=not no_merge,
    )
    texts = {d.id: d.text for d in gold_docs.documents} if show_text else None
    style = "markdown" if markdown else _STYLES[fmt]
    limit = None if style == "json" else max_errors
    out = render(report, style, texts=texts, limit=limit)
    write_text(output, out)
