"""``veil eval``: score protection quality on annotated (gold) documents."""

from __future__ import annotations

from typing import Literal

import click

from ..evaluate import GOLD_FORMATS, evaluate, render
from ..options import Options, VeilCommand, options
from ..write import check_not_input, write_text

_STYLES: dict[str, Literal["table", "json", "markdown"]] = {
    "table": "table",
    "json": "json",
    "markdown": "markdown",
}


_REPORT_STYLES = ("table", "json", "markdown")


def _gold_format(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None or value in GOLD_FORMATS:
        return value
    if value in _REPORT_STYLES:
        raise click.BadParameter(
            f"--format is the input (gold) format in every command: {', '.join(GOLD_FORMATS)}; "
            f"for a {value} report use --report-format {value}",
            ctx,
            param,
        )
    from ..suggest import unknown

    raise click.BadParameter(unknown("gold format", value, GOLD_FORMATS), ctx, param)


@click.command(name="eval", cls=VeilCommand)
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False),
    help="Score another tool's spans (JSON: doc_id -> [[start, end(, label)], ...]) instead of running Veil.",
)
@options("policy")
@click.option(
    "--format",
    "gold_format",
    metavar="[" + "|".join(GOLD_FORMATS) + "]",
    callback=_gold_format,
    help="Gold format (default: detected from the content; docs/eval.md).",
)
@click.option(
    "--report-format",
    "fmt",
    type=click.Choice(_REPORT_STYLES),
    default="table",
    show_default=True,
    help="Report format.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --report-format json.")
@click.option("--markdown", is_flag=True, help="Same as --report-format markdown.")
@click.option(
    "--show-text",
    "--include-text",
    "show_text",
    is_flag=True,
    help="Print the text of missed mentions and false positives.",
)
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
    opts: Options,
    gold: str,
    predictions: str | None,
    gold_format: str | None,
    fmt: str,
    as_json: bool,
    markdown: bool,
    show_text: bool,
    max_errors: int,
    no_merge: bool,
    output: str | None,
) -> None:
    """Score protection quality on GOLD (TAB, GUM-simple or text+spans JSON; docs/eval.md).

    Without --predictions, Veil's pipeline runs on every gold document with the same
    policy options as 'veil redact' (--policy/--preset/--labels/--model/--allow/--deny). The report gives per label the
    entity recall, mention recall, word precision and F1 (definitions: docs/quality.md),
    label-aware mention and entity P/R/F1, TAB's metrics (ER direct/quasi, token recall,
    uniform token precision), and the missed entities and false positives as document
    ids, offsets and labels. Span text is printed only with --show-text.

    \b
    Examples:
      veil eval gum/dev.json --labels PERSON,LOC,ORG
      veil eval tab/echr_dev.json --preset strict --report-format json -o scores.json
      veil eval annotated.json --format spans --labels PERSON --labels EMAIL
      veil eval gold.json --predictions other-tool.json --markdown
      veil eval gold.json --predictions other-tool.json --show-text --max-errors 50
    """
    if as_json and markdown:
        raise click.UsageError("give either --json or --markdown, not both")
    if output is not None:
        check_not_input(output, [p for p in (gold, predictions, opts.policy) if p])
    gold_docs, report = evaluate(
        gold,
        predictions=predictions,
        policy=None if predictions is not None else opts.build_policy(),
        merge_spans=not no_merge,
        gold_format=gold_format,  # type: ignore[arg-type]
    )
    texts = {d.id: d.text for d in gold_docs.documents} if show_text else None
    style = "markdown" if markdown else "json" if as_json else _STYLES[fmt]
    limit = None if style == "json" else max_errors
    out = render(report, style, texts=texts, limit=limit)
    write_text(output, out)
