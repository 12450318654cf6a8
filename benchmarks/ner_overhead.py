"""CPU time of raw spaCy NER against Veil's NER detector and the whole pipeline, in one process.

Wall-clock timings (``benchmarks/throughput.py``) swing widely on a shared machine; CPU time
(user + system of this process) does much less. On the GUM dev texts replicated to ``--mb``
megabytes, it measures

* raw NER: ``load_model(model)`` (the very ``nlp`` object Veil uses: same model, same
  components) and ``nlp.pipe`` over Veil's own character-budget batches of the same texts;
* Veil's ``ner`` detector: the same plus the re-cased view and the name lexicon;
* the whole pipeline: ``analyse_many`` (clean view, all detectors, resolution) and the
  transform, with the same labels as ``throughput.py``.

Fairness: one untimed pass of the whole pipeline comes first, so that the model, the
lexicon, the compiled expressions and spaCy's vocabulary (a word's first sighting costs a
new lexeme, for raw NER and Veil alike) are warm for every timed pass. Then the three
measurements are taken ``--repeat`` times in turn and the fastest of each is reported.

Usage::

    .venv/bin/python benchmarks/ner_overhead.py --mb 0.5 [--repeat 2] [--model NAME]
"""

from __future__ import annotations

import argparse
import resource
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import VEIL_LABELS, corpus

from veil.config import DEFAULT_MODEL, preset


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn: Callable[[], object]) -> float:
    t = _cpu()
    fn()
    return _cpu() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=0.5)
    ap.add_argument(
        "--repeat", type=int, default=2, help="timed passes of each (default 2; the fastest counts)"
    )
    ap.add_argument("--model", default=DEFAULT_MODEL)
    args = ap.parse_args(argv)

    from veil.corpus import analyse_many
    from veil.detect.ner import SpacyDetector, _groups, load_model
    from veil.model import Document
    from veil.pipeline import LocalNumbers, Pipeline

    texts = corpus(args.mb)
    docs = [Document(str(i), t) for i, t in enumerate(texts)]
    nlp = load_model(args.model)
    detector = SpacyDetector(model=args.model)
    pipe = Pipeline(preset("pii").narrowed(VEIL_LABELS).with_model(args.model))

    def raw() -> None:
        for group in _groups(range(len(docs)), docs, 32):
            for _ in nlp.pipe([texts[i] for i in group], batch_size=len(group)):
                pass

    def whole() -> None:
        for i in range(0, len(texts), 256):
            batch = [(f"d{j}", x) for j, x in enumerate(texts[i : i + 256])]
            for doc in analyse_many(pipe, batch):
                if isinstance(doc, Document):
                    pipe._transform(doc, LocalNumbers())

    warm = _timed(whole)
    times: dict[str, list[float]] = {"raw": [], "ner": [], "whole": []}
    for _ in range(max(1, args.repeat)):
        times["raw"].append(_timed(raw))
        times["ner"].append(_timed(lambda: detector.detect_many(docs)))
        times["whole"].append(_timed(whole))
    best = {k: min(v) for k, v in times.items()}
    chars = sum(len(x) for x in texts)
    print(
        f"{args.model}: {len(texts)} documents, {chars:,} characters; CPU seconds (fastest of {args.repeat}):"
    )
    print(f"  (untimed warm-up pass of the whole pipeline: {warm:.1f})")
    print(f"  raw NER                                      {best['raw']:6.1f}  1.00x")
    print(
        f"  ner detector (+ re-cased view, lexicon)      {best['ner']:6.1f}  {best['ner'] / best['raw']:.2f}x"
    )
    print(
        f"  whole pipeline (detect, resolve, transform)  {best['whole']:6.1f}  {best['whole'] / best['raw']:.2f}x"
    )
    print("  all passes: " + "; ".join(f"{k} " + ", ".join(f"{x:.1f}" for x in v) for k, v in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
