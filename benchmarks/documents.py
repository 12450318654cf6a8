"""Documents: pages per second, cost beyond detection and peak memory, for PDF and DOCX.

Generates a 100-page text PDF (fpdf2) and a 50-page DOCX (python-docx) from the GUM dev
texts (``../shared/data/gum/dev.json``), then, each in a fresh process, single-threaded:

* **total**: ``redact_document`` end to end (read, detect and resolve across the whole
  document, transform, write back, re-extract and verify);
* **pipeline**: ``Pipeline.redact`` on the document's joined text alone (detection,
  resolution and transformation: what any format costs);
* **NER**: raw spaCy NER (``nlp.pipe``) on the same segments: the floor;
* **handling** = total - pipeline: what the document format itself costs. The target is
  handling <= NER time.

It also counts the verification step's leaks over the bundled test documents (always 0,
or the document is not written) and prints peak resident memory of each child process.

Usage::

    .venv/bin/python benchmarks/documents.py            # prints a markdown table
    .venv/bin/python benchmarks/documents.py --pages 20 # smaller, quicker
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GUM = Path(__file__).resolve().parents[2] / "shared" / "data" / "gum" / "dev.json"


def _paragraphs() -> list[str]:
    docs = json.loads(GUM.read_text("utf-8"))
    out: list[str] = []
    for d in docs:
        out.extend(p.strip() for p in d["text"].split("\n") if len(p.strip()) > 40)
    return out


_ASCII_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def make_pdf(pages: int, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    paras = iter(_paragraphs() * 10)
    while pdf.page_no() < pages or pdf.page_no() == 0:
        if pdf.page_no() == 0:
            pdf.add_page()
        # The core PDF fonts are Latin-1: ASCII quotes instead of curly ones, so "Martin's"
        # stays a possessive rather than becoming "Martin?s".
        text = next(paras).translate(_ASCII_QUOTES).encode("latin-1", errors="replace").decode("latin-1")
        pdf.multi_cell(0, 6, text)
        pdf.ln(2)
        if pdf.page_no() > pages:
            break
    path.write_bytes(bytes(pdf.output()))


def make_docx(pages: int, path: Path) -> None:
    import docx

    d = docx.Document()
    paras = iter(_paragraphs() * 10)
    for page in range(pages):
        chars = 0
        while chars < 2500:  # about a page of prose
            text = next(paras)
            p = d.add_paragraph()
            half = len(text) // 2
            p.add_run(text[:half])
            p.add_run(text[half:]).italic = True
            chars += len(text)
        if page + 1 < pages:
            d.add_page_break()
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(buf.getvalue())


def child(path: str, fmt_name: str, pages: int) -> None:
    """Runs in a fresh process; prints one JSON line."""
    from veil.detect.ner import load_model
    from veil.formats import VerificationError, get_format, redact_document
    from veil.formats._core import join
    from veil.pipeline import Pipeline

    data = Path(path).read_bytes()
    pipe = Pipeline("pii")
    pipe.redact("Warm up, Ada Lovelace.", "warm")
    fmt = get_format(fmt_name)
    t = time.perf_counter()
    try:
        replacements = len(redact_document(data, fmt, pipe, doc_id=Path(path).name).result.replacements)
        status = "written"
    except VerificationError as exc:  # timed all the same: every stage ran
        replacements, status = -1, f"refused: {exc.message.split(';')[0]}"
    total = time.perf_counter() - t
    segments = fmt.segments(data)
    text, _ = join(segments)
    t = time.perf_counter()
    pipe.redact(text, "joined")
    pipeline_s = time.perf_counter() - t
    nlp = load_model(pipe.policy.model)
    t = time.perf_counter()
    for _ in nlp.pipe([s.text for s in segments], batch_size=32):
        pass
    ner_s = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB on Linux
    print(
        json.dumps(
            {
                "format": fmt_name,
                "pages": pages,
                "chars": len(text),
                "total_s": total,
                "pipeline_s": pipeline_s,
                "ner_s": ner_s,
                "peak_mib": peak,
                "replacements": replacements,
                "status": status,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=100, help="PDF pages (the DOCX gets half)")
    ap.add_argument("--child", nargs=3, metavar=("PATH", "FORMAT", "PAGES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path, docx_path = Path(tmp) / "bench.pdf", Path(tmp) / "bench.docx"
        make_pdf(args.pages, pdf_path)
        make_docx(max(1, args.pages // 2), docx_path)
        for path, fmt, pages in ((pdf_path, "pdf", args.pages), (docx_path, "docx", max(1, args.pages // 2))):
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(path), fmt, str(pages)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                sys.exit(f"{fmt} run failed:\n{proc.stderr[-3000:]}")
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(
        "| format | pages | chars | total s | pages/s (target >= 10) | pipeline s | handling s | NER s | handling / NER (target <= 1) | peak MiB (target < 1024) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        handling = r["total_s"] - r["pipeline_s"]
        print(
            f"| {r['format']} | {r['pages']} | {r['chars']:,} | {r['total_s']:.1f} | {r['pages'] / r['total_s']:.1f} | "
            f"{r['pipeline_s']:.1f} | {handling:.1f} | {r['ner_s']:.1f} | {handling / r['ner_s']:.2f} | {r['peak_mib']:.0f} | {r['status']} |"
        )


if __name__ == "__main__":
    main()
