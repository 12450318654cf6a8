"""Make the README's before/after picture of a redacted PDF page.

Writes ``examples/statement.pdf`` (an invented witness statement), redacts it with the
default policy into ``examples/statement.redacted.pdf``, renders the first page of each
with ``pdftoppm`` (Debian's poppler-utils) and puts them side by side in
``docs/img/pdf-before-after.png``::

    .venv/bin/python scripts/pdf_example.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATEMENT = """WITNESS STATEMENT

Statement of: Osric Penhaligon
Date of birth: 14 May 1979
Address: 12 Larkspur Road, Bristol BS3 4QT
Telephone: +44 117 496 0321

On the evening of 3 March I was at the Harbour Inn with my colleague Mira Castellanos. At about
9 pm a man I now know to be Tobias Wren came in and asked for Ms Castellanos by name. Wren said
he had been sent by Anneliese Vogt. I told him she had already left.

Castellanos later told me that Vogt had called her twice that week. I have known Castellanos for
six years. I can be reached at osric.penhaligon@example.org.

Signed: O. Penhaligon
"""


def make(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_author("Osric Penhaligon")
    pdf.set_title("Witness statement")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, STATEMENT)
    path.write_bytes(bytes(pdf.output()))


def render(pdf: Path, out_prefix: Path) -> Path:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out_prefix)],
        check=True,
    )
    return out_prefix.with_suffix(".png")


def main() -> None:
    from PIL import Image

    from veil.formats import get_format, redact_path
    from veil.pipeline import Pipeline

    src = ROOT / "examples" / "statement.pdf"
    dst = ROOT / "examples" / "statement.redacted.pdf"
    make(src)
    redact_path(src, dst, get_format("pdf"), Pipeline("pii"))
    with tempfile.TemporaryDirectory() as tmp:
        before = Image.open(render(src, Path(tmp) / "before"))
        after = Image.open(render(dst, Path(tmp) / "after"))
        h = min(before.height, 420)
        both = Image.new("RGB", (before.width + after.width + 10, h), "white")
        both.paste(before.crop((0, 0, before.width, h)), (0, 0))
        both.paste(after.crop((0, 0, after.width, h)), (before.width + 10, 0))
        out = ROOT / "docs" / "img" / "pdf-before-after.png"
        both.save(out)
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
