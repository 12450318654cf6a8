"""Hard cases for person detection: leaks and false people per category, Veil against Presidio.

The suite is ``tests/data/hard_cases.jsonl``, built from ``tests/data/hard_cases.toml`` (invented
names; surface strings, never typed offsets) by this script::

    .venv/bin/python benchmarks/hard_cases.py build     # TOML -> JSONL, offsets computed and checked
    .venv/bin/python benchmarks/hard_cases.py           # run Veil and Presidio, print the tables
    .venv/bin/python benchmarks/hard_cases.py --systems veil --details
    .venv/bin/python benchmarks/hard_cases.py --set holdout   # another set (see SETS)

Scoring, per item (both systems asked for persons only: Veil's policy narrowed to PERSON,
as ``veil redact --labels PERSON``; Presidio ``entities=["PERSON"]`` on the same spaCy model,
configured as in ``benchmarks/quality.py``):

* **leak**: some gold person mention has a letter that no predicted span covers. An item
  with no leak has "no name left in clear".
* **false person**: some predicted span contains a word (a ``\\w+`` run with a letter) that
  touches no gold person mention and no allowed string (the item's ``may`` strings, e-mail
  addresses, and the honorifics in :data:`FORGIVEN`). On items with no person at all
  (categories ``false_people`` and ``controls``) any person span is a false person.

The targets (issue 11): no name left in at least 95% of the items that have a person, and
a false person in at most 3% of the items that have none.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from veil.config import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "hard_cases.toml"
SUITE = ROOT / "tests" / "data" / "hard_cases.jsonl"
#: Sets by genre beside the main suite, each written before the rules it first measured
#: (docs/hard_cases.md says when each was first run, and which were worked on afterwards):
#: ``holdout`` (54 items: forms, chat, tickets, minutes, letters, e-mail, transcripts),
#: ``genres`` (90 items by an author who saw no code: forms, medical, HR, tickets, e-mail,
#: chat, social, minutes, letters, transcripts, CVs) and ``unseen`` (the same, another author,
#: measured once and never worked on).
SETS = ("main", "holdout", "genres", "unseen")


def set_paths(name: str) -> tuple[Path, Path]:
    """The TOML source and the JSONL suite of one set."""
    if name == "main":
        return SOURCE, SUITE
    return (
        ROOT / "tests" / "data" / f"hard_cases_{name}.toml",
        ROOT / "tests" / "data" / f"hard_cases_{name}.jsonl",
    )


HOLDOUT_SOURCE, HOLDOUT_SUITE = set_paths("holdout")
NO_PERSON_CATEGORIES = frozenset({"false_people", "controls"})
TARGET_NO_LEAK = 0.95
TARGET_FALSE = 0.03
#: Honorifics and titles a system may fold into a person span without being wrong.
FORGIVEN = frozenset(
    "mr mrs ms miss mx dr prof sir dame lady lord rev judge justice minister president "
    "senator mayor captain sgt officer".split()
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"\w+")


# ----------------------------------------------------------------------------- building


class SuiteError(ValueError):
    """The suite source or the built JSONL is inconsistent."""


def _whole_word(text: str, surface: str) -> list[tuple[int, int]]:
    """Every case-sensitive occurrence of ``surface`` not glued to a letter or digit."""
    out = []
    for m in re.finditer(re.escape(surface), text):
        s, e = m.span()
        if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
            continue
        out.append((s, e))
    return out


def _overlaps(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def build_item(index: int, raw: dict[str, Any]) -> dict[str, Any]:
    """One JSONL row from one TOML item: offsets computed from the surface strings."""
    where = f"item {index}"
    unknown = set(raw) - {"category", "text", "persons", "may"}
    if unknown:
        raise SuiteError(f"{where}: unknown keys {sorted(unknown)}")
    category, text = raw.get("category"), raw.get("text")
    if not isinstance(category, str) or not isinstance(text, str) or not text.strip():
        raise SuiteError(f"{where}: needs a category and a non-empty text")
    wanted: list[tuple[str, list[int] | None]] = []
    for p in raw.get("persons", []):
        if isinstance(p, str):
            wanted.append((p, None))
        elif isinstance(p, dict) and isinstance(p.get("text"), str) and isinstance(p.get("nth"), list):
            wanted.append((p["text"], [int(k) for k in p["nth"]]))
        else:
            raise SuiteError(f"{where}: a person is a string or {{text, nth}}")
    persons: list[tuple[int, int]] = []
    # Longer strings claim their occurrences first, so "Kelly" does not also claim the
    # "Kelly" inside "Robert Kelly".
    for surface, nth in sorted(wanted, key=lambda w: -len(w[0])):
        found = _whole_word(text, surface)
        if nth is None:
            chosen = [sp for sp in found if not _overlaps(sp, persons)]
        else:
            if any(k < 0 or k >= len(found) for k in nth):
                raise SuiteError(f"{where}: {surface!r} has {len(found)} occurrences, nth={nth}")
            chosen = [found[k] for k in nth]
            if any(_overlaps(sp, persons) for sp in chosen):
                raise SuiteError(f"{where}: {surface!r} nth={nth} overlaps a longer mention")
        if not chosen:
            raise SuiteError(f"{where}: person {surface!r} not found as a whole word")
        persons.extend(chosen)
    may: list[tuple[int, int]] = []
    for surface in raw.get("may", []):
        found = _whole_word(text, surface)
        if not found:
            raise SuiteError(f"{where}: may-string {surface!r} not found")
        may.extend(found)
    may.extend(m.span() for m in _EMAIL.finditer(text))
    if category in NO_PERSON_CATEGORIES and persons:
        raise SuiteError(f"{where}: category {category!r} must have no person")
    if category not in NO_PERSON_CATEGORIES and not persons:
        raise SuiteError(f"{where}: category {category!r} needs at least one person")
    persons.sort()
    return {
        "id": f"hc-{index:03d}",
        "category": category,
        "text": text,
        "persons": [{"start": s, "end": e, "text": text[s:e]} for s, e in persons],
        "may": [{"start": s, "end": e} for s, e in sorted(set(may))],
    }


def build(source: Path = SOURCE) -> list[dict[str, Any]]:
    """All rows of the suite, built from the TOML source."""
    data = tomllib.loads(source.read_text("utf-8"))
    items = data.get("item")
    if not isinstance(items, list) or not items:
        raise SuiteError("the source has no [[item]] tables")
    return [build_item(i, raw) for i, raw in enumerate(items, 1)]


def dumps(rows: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    category: str
    text: str
    persons: tuple[tuple[int, int], ...]
    may: tuple[tuple[int, int], ...]


def load(path: Path = SUITE) -> list[Item]:
    """The built suite, with every offset checked against its text."""
    items = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        row = json.loads(line)
        text = row["text"]
        for p in row["persons"]:
            if text[p["start"] : p["end"]] != p["text"]:
                raise SuiteError(f"line {n}: person offsets do not match their text")
        items.append(
            Item(
                row["id"],
                row["category"],
                text,
                tuple((p["start"], p["end"]) for p in row["persons"]),
                tuple((m["start"], m["end"]) for m in row["may"]),
            )
        )
    return items


# ----------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Outcome:
    leaked: tuple[tuple[int, int], ...]  # gold mentions with a letter left in clear
    false: tuple[tuple[int, int], ...]  # predicted spans with a word outside gold


def judge(item: Item, predicted: Sequence[tuple[int, int]]) -> Outcome:
    covered = [False] * len(item.text)
    for s, e in predicted:
        for i in range(max(0, s), min(len(item.text), e)):
            covered[i] = True
    leaked = tuple(
        (s, e) for s, e in item.persons if any(item.text[i].isalpha() and not covered[i] for i in range(s, e))
    )
    allowed = [*item.persons, *item.may]
    false = []
    for s, e in predicted:
        for w in _WORD.finditer(item.text, s, e):
            if not any(c.isalpha() for c in w.group()):
                continue
            if w.group().lower() in FORGIVEN or _overlaps(w.span(), allowed):
                continue
            if w.group().lower() == "s" and w.start() > 0 and item.text[w.start() - 1] in "'\u2019":
                continue  # a possessive ending folded into the name
            false.append((s, e))
            break
    return Outcome(leaked, tuple(false))


# ----------------------------------------------------------------------------- systems

System = Callable[[Sequence[Item]], list[list[tuple[int, int]]]]


def veil_system(model: str, policy: str) -> System:
    from veil.config import resolve_policy
    from veil.pipeline import Pipeline

    pipe = Pipeline(resolve_policy(policy).narrowed(["PERSON"]).with_model(model), build_operators=False)

    def run(items: Sequence[Item]) -> list[list[tuple[int, int]]]:
        out = []
        for it in items:
            doc = pipe.analyze(it.text, it.id)
            out.append([(m.start, m.end) for ent in doc.entities for m in ent.mentions])
        return out

    return run


def presidio_system(model: str) -> System:
    # The same NLP engine configuration as benchmarks/quality.py (PERSON is mapped as in
    # Presidio's default configuration).
    from _presidio import nlp_config
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = nlp_config(model)
    engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def run(items: Sequence[Item]) -> list[list[tuple[int, int]]]:
        return [
            [(r.start, r.end) for r in analyzer.analyze(text=it.text, language="en", entities=["PERSON"])]
            for it in items
        ]

    return run


# ----------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class Row:
    category: str
    items: int
    with_person: int
    leaked: int
    false_on_empty: int
    empty: int
    false_outside: int


def tabulate(items: Sequence[Item], outcomes: Sequence[Outcome]) -> list[Row]:
    cats = sorted({it.category for it in items}, key=lambda c: (c in NO_PERSON_CATEGORIES, c))
    rows = []
    for cat in cats:
        pairs = [(it, o) for it, o in zip(items, outcomes, strict=True) if it.category == cat]
        with_p = [(it, o) for it, o in pairs if it.persons]
        empty = [(it, o) for it, o in pairs if not it.persons]
        rows.append(
            Row(
                cat,
                len(pairs),
                len(with_p),
                sum(1 for _, o in with_p if o.leaked),
                sum(1 for _, o in empty if o.false),
                len(empty),
                sum(1 for _, o in with_p if o.false),
            )
        )
    return rows


def summary(rows: Sequence[Row]) -> dict[str, float]:
    with_p = sum(r.with_person for r in rows)
    empty = sum(r.empty for r in rows)
    no_leak = 1 - sum(r.leaked for r in rows) / with_p if with_p else 1.0
    false = sum(r.false_on_empty for r in rows) / empty if empty else 0.0
    return {
        "items_with_person": with_p,
        "items_without_person": empty,
        "no_name_left": no_leak,
        "false_person_on_empty": false,
        "false_person_outside_gold": sum(r.false_outside for r in rows) / with_p if with_p else 0.0,
    }


def print_table(name: str, rows: Sequence[Row]) -> None:
    print(f"\n## {name}\n")
    print(
        "| category | items | items with a name left in clear | false person (no-person items) "
        "| false person outside gold (items with persons) |"
    )
    print("|---|---|---|---|---|")
    for r in rows:
        leak = f"{r.leaked}/{r.with_person}" if r.with_person else "-"
        false_empty = f"{r.false_on_empty}/{r.empty}" if r.empty else "-"
        outside = f"{r.false_outside}/{r.with_person}" if r.with_person else "-"
        print(f"| {r.category} | {r.items} | {leak} | {false_empty} | {outside} |")
    s = summary(rows)
    ok_leak = s["no_name_left"] >= TARGET_NO_LEAK
    ok_false = s["false_person_on_empty"] <= TARGET_FALSE
    print(
        f"\nNo name left in {s['no_name_left']:.1%} of {s['items_with_person']:g} items with a person "
        f"(target >= {TARGET_NO_LEAK:.0%}: {'pass' if ok_leak else 'fail'}); a false person in "
        f"{s['false_person_on_empty']:.1%} of {s['items_without_person']:g} items without one "
        f"(target <= {TARGET_FALSE:.0%}: {'pass' if ok_false else 'fail'}); a false person outside "
        f"the gold in {s['false_person_outside_gold']:.1%} of the items with a person."
    )


def print_details(name: str, items: Sequence[Item], outcomes: Sequence[Outcome]) -> None:
    print(f"\n### {name}: failures (invented text)\n")
    for it, o in zip(items, outcomes, strict=True):
        if o.leaked or o.false:
            leaked = ", ".join(repr(it.text[s:e]) for s, e in o.leaked)
            false = ", ".join(repr(it.text[s:e]) for s, e in o.false)
            print(f"- {it.id} [{it.category}] leaked: {leaked or '-'}; false: {false or '-'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", nargs="?", choices=["run", "build"], default="run")
    ap.add_argument("--suite", type=Path, default=SUITE)
    ap.add_argument(
        "--set", choices=SETS, default=None, help="run this set instead of --suite (see SETS in the module)"
    )
    ap.add_argument(
        "--holdout", action="store_const", const="holdout", dest="set", help="the same as --set holdout"
    )
    ap.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model for both systems")
    ap.add_argument("--policy", default="pii", help="Veil policy (narrowed to PERSON)")
    ap.add_argument("--systems", default="veil,presidio", help="comma-separated: veil, presidio")
    ap.add_argument("--category", action="append", help="only these categories (repeatable)")
    ap.add_argument("--details", action="store_true", help="list each failing item")
    ap.add_argument("--json", type=Path, help="also write the per-category figures here")
    args = ap.parse_args(argv)

    if args.action == "build":
        for source, suite in (set_paths(name) for name in SETS):
            if not source.exists():
                continue
            rows = build(source)
            suite.write_text(dumps(rows), encoding="utf-8")
            cats = sorted({r["category"] for r in rows})
            print(f"wrote {suite}: {len(rows)} items, {len(cats)} categories")
        return 0

    items = load(set_paths(args.set)[1] if args.set else args.suite)
    if args.category:
        items = [it for it in items if it.category in set(args.category)]
    systems: dict[str, Callable[[], System]] = {
        "veil": lambda: veil_system(args.model, args.policy),
        "presidio": lambda: presidio_system(args.model),
    }
    results: dict[str, Any] = {}
    print(f"Hard cases: {len(items)} items, model {args.model}")
    for name in [s.strip() for s in args.systems.split(",") if s.strip()]:
        if name not in systems:
            ap.error(f"unknown system {name!r}; known: {', '.join(systems)}")
        run = systems[name]()
        t0 = time.perf_counter()
        predicted = run(items)
        elapsed = time.perf_counter() - t0
        outcomes = [judge(it, p) for it, p in zip(items, predicted, strict=True)]
        rows = tabulate(items, outcomes)
        print_table(f"{name} ({elapsed:.1f} s)", rows)
        if args.details:
            print_details(name, items, outcomes)
        results[name] = {"summary": summary(rows), "categories": [asdict(r) for r in rows]}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
