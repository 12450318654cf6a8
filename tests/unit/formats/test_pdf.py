from __future__ import annotations

import io

import pytest

from veil.errors import InputError
from veil.formats import redact_document
from veil.formats.pdf import PdfFormat

fpdf = pytest.importorskip("fpdf")
pikepdf = pytest.importorskip("pikepdf")

TEXT = (
    "Statement of Osric Penhaligon, taken on 3 March.\n"
    "Penhaligon said he saw Mira Castellanos at the station. Castellanos denied it."
)


def _pdf(text: str = TEXT, *, author: str | None = "Osric Penhaligon") -> bytes:
    doc = fpdf.FPDF()
    if author:
        doc.set_author(author)
        doc.set_title("Interview with Mira Castellanos")
    doc.add_page()
    doc.set_font("Helvetica", size=12)
    doc.multi_cell(0, 8, text)
    return bytes(doc.output())


def _raw_streams(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return b"".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))


def test_pdf_masked_text_is_removed_from_the_content_stream(pipeline) -> None:
    out = redact_document(_pdf(), PdfFormat(), pipeline, doc_id="s").data
    layer = "\n".join(PdfFormat().layers(out))
    for name in ("Osric", "Penhaligon", "Mira", "Castellanos"):
        assert name not in layer
        assert name.encode() not in _raw_streams(out)
    assert "taken on 3 March" in layer and "[PERSON_1]" in layer


def test_pdf_metadata_is_removed(pipeline) -> None:
    out = redact_document(_pdf(), PdfFormat(), pipeline, doc_id="s").data
    with pikepdf.open(io.BytesIO(out)) as pdf:
        assert "/Info" not in pdf.trailer or "/Author" not in pdf.trailer.Info
        assert "/Metadata" not in pdf.Root


def test_pdf_text_that_stays_does_not_move(pipeline) -> None:
    from veil.formats.pdf import _pages

    before = {g.text: g.bbox for g in _pages(_pdf())[0].glyphs if g.text == "3"}
    out = redact_document(_pdf(), PdfFormat(), pipeline, doc_id="s").data
    after = {g.text: g.bbox for g in _pages(out)[0].glyphs if g.text == "3"}
    assert before["3"] == pytest.approx(after["3"], abs=0.01)


def test_pdf_encrypted_is_an_input_error() -> None:
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(_pdf())) as pdf:
        pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(InputError, match="encrypted"):
        PdfFormat().segments(buf.getvalue())


def test_pdf_scanned_page_is_an_error_naming_the_page(tmp_path) -> None:
    from fpdf import FPDF

    img = tmp_path / "scan.png"
    image = pytest.importorskip("PIL.Image")
    image.new("RGB", (40, 20), "white").save(img)
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=12)
    doc.cell(0, 10, "Cover page")
    doc.add_page()
    doc.image(str(img), x=10, y=10, w=50)
    with pytest.raises(InputError, match="page 2"):
        PdfFormat().segments(bytes(doc.output()))


def test_pdf_not_a_pdf_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a PDF"):
        PdfFormat().segments(b"hello")
