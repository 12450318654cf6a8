"""The fast PDF reader (pikepdf's parser, our text state) against pdfminer's interpreter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from veil.formats._pdf_read import Glyph, Page, Unsupported, read, read_fast, read_pdfminer

fpdf = pytest.importorskip("fpdf")
pikepdf = pytest.importorskip("pikepdf")

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PROSE = (
    "Statement of Osric Penhaligon, taken on 3 March. Penhaligon said he saw Mira Castellanos "
    "at the station; Castellanos denied it, and the two were never seen together again."
)


def _same(fast: list[Page], slow: list[Page]) -> None:
    """Same text, same operator mapping, boxes within 0.01, glyph for glyph."""
    assert len(fast) == len(slow)
    for p, q in zip(fast, slow, strict=True):
        assert p.has_images == q.has_images
        assert [g.text for g in p.glyphs] == [g.text for g in q.glyphs]
        assert [(g.op, g.item, g.byte_start, g.byte_end) for g in p.glyphs] == [
            (g.op, g.item, g.byte_start, g.byte_end) for g in q.glyphs
        ]
        for g, h in zip(p.glyphs, q.glyphs, strict=True):
            assert g.bbox == pytest.approx(h.bbox, abs=0.01)
            assert g.size == pytest.approx(h.size, abs=0.01)
            assert g.adjust == pytest.approx(h.adjust, abs=0.01)


def _fpdf(*, ttf: bool = False) -> bytes:
    doc = fpdf.FPDF()
    doc.add_page()
    if ttf:
        doc.add_font("DejaVu", fname=str(DEJAVU))
        doc.set_font("DejaVu", size=12)
        doc.multi_cell(0, 8, "Ωmega café in Łódź: " + PROSE, align="J", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", size=11)
    doc.set_char_spacing(1.5)
    doc.multi_cell(0, 6, PROSE, new_x="LMARGIN", new_y="NEXT")
    doc.set_char_spacing(0)
    doc.set_stretching(120)
    doc.multi_cell(0, 6, PROSE, align="J", new_x="LMARGIN", new_y="NEXT")
    doc.set_stretching(100)
    doc.multi_cell(0, 6, PROSE, align="J")
    return bytes(doc.output())


def _pdf(content: bytes, *, rotate: int = 0, form: bytes | None = None) -> bytes:
    """A one-page PDF with Helvetica as /F1 (and, given ``form``, a form XObject /X1)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    if form is not None:
        xobj = pdf.make_stream(form)
        xobj.Type, xobj.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        xobj.BBox = pikepdf.Array([0, 0, 612, 792])
        xobj.Matrix = pikepdf.Array([1, 0, 0, 1, 20, -30])
        xobj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        resources.XObject = pikepdf.Dictionary(X1=xobj)
    page = pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=pikepdf.Array([0, 0, 612, 792]),
            Resources=resources,
            Contents=pdf.make_stream(content),
        )
    )
    pdf.pages.append(page)
    if rotate:
        pdf.Root.Pages.Rotate = rotate  # inherited by the page
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


KERNED = b"""BT /F1 12 Tf 14 TL 72 700 Td
[(Osr) 30 (ic P) -120 (enhal) 15.5 (igon)] TJ
0.8 Tc 2.5 Tw (Mira Castellanos said so.) Tj
T* 85 Tz 3 Ts (Below, and stretched.) '
1 0.2 (Quoted line moves down.) "
0 Tc 0 Tw 100 Tz 0 Ts
1 0 0 1 300 500 Tm [(Tm) -250 (placed)] TJ
0 -20 TD (After TD) Tj T* (and T*) Tj ET
q 0.5 0 0 0.5 100 100 cm BT /F1 20 Tf 10 10 Td (Scaled by cm) Tj ET Q
BT /F1 9 Tf 40 40 Td (After Q) Tj ET"""


def test_pdf_read_fast_matches_pdfminer_on_core_fonts() -> None:
    data = _fpdf()
    _same(read_fast(data), read_pdfminer(data))


def test_pdf_read_fast_matches_pdfminer_on_an_identity_h_font() -> None:
    if not DEJAVU.exists():
        pytest.skip("DejaVuSans.ttf is not installed")
    data = _fpdf(ttf=True)
    fast = read_fast(data)
    _same(fast, read_pdfminer(data))
    assert "Łódź" in "".join(g.text for g in fast[0].glyphs)
    assert {g.byte_end - g.byte_start for g in fast[0].glyphs} >= {1, 2}  # CID and core glyphs


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_pdf_read_fast_matches_pdfminer_with_kerning_spacing_and_rotation(rotate: int) -> None:
    data = _pdf(KERNED, rotate=rotate)
    fast = read_fast(data)
    _same(fast, read_pdfminer(data))
    text = "".join(g.text for g in fast[0].glyphs)
    assert "Osric Penhaligon" in text and "Scaled by cm" in text and "After Q" in text


def test_pdf_read_fast_maps_each_glyph_to_the_bytes_that_draw_it() -> None:
    data = _pdf(KERNED)
    glyphs = read_fast(data)[0].glyphs
    with pikepdf.open(io.BytesIO(data)) as pdf:
        shows = [
            i for i in pikepdf.parse_content_stream(pdf.pages[0]) if str(i.operator) in ("Tj", "TJ", "'", '"')
        ]
        for g in glyphs:
            ins = shows[g.op]
            items = list(ins.operands[0]) if str(ins.operator) == "TJ" else [ins.operands[-1]]
            drawn = bytes(items[g.item])[g.byte_start : g.byte_end]
            assert drawn.decode("cp1252") == g.text


def test_pdf_read_character_spacing_follows_every_glyph() -> None:
    # ISO 32000-1 9.4.4: Tc is added after each glyph, also the last one of a Tj, so the
    # next Tj starts Tc further on. (pdfminer's own layout adds it before each glyph.)
    glyphs = read_fast(_pdf(b"BT /F1 10 Tf 2 Tc 100 700 Td (AB) Tj (C) Tj ET"))[0].glyphs
    advance = {"A": 6.67, "B": 6.67}  # Helvetica: 667/1000 × 10
    x_b = 100 + advance["A"] + 2
    assert [g.bbox[0] for g in glyphs] == pytest.approx([100, x_b, x_b + advance["B"] + 2], abs=0.01)


def test_pdf_read_double_quote_moves_to_the_next_line() -> None:
    glyphs = read_fast(_pdf(b'BT /F1 10 Tf 12 TL 100 700 Td (A) Tj 0 0 (B) " ET'))[0].glyphs
    assert glyphs[1].bbox[1] == pytest.approx(glyphs[0].bbox[1] - 12, abs=0.01)
    assert glyphs[1].bbox[0] == pytest.approx(100, abs=0.01)


def test_pdf_read_form_xobject_text_is_read_but_not_editable() -> None:
    data = _pdf(
        b"BT /F1 10 Tf 72 700 Td (Before) Tj ET /X1 Do BT /F1 10 Tf 72 600 Td (After) Tj ET",
        form=b"BT /F1 10 Tf 72 650 Td (Inside) Tj ET",
    )
    fast = read_fast(data)
    _same(fast, read_pdfminer(data))
    glyphs = fast[0].glyphs
    assert "".join(g.text for g in glyphs) == "BeforeInsideAfter"
    inside = [g for g in glyphs if g.op is None]
    assert "".join(g.text for g in inside) == "Inside"
    assert inside[0].bbox[0] == pytest.approx(92, abs=0.01)  # the form's matrix applies
    assert {g.op for g in glyphs if g.op is not None} == {0, 1}


def test_pdf_read_type3_font_falls_back_to_pdfminer() -> None:
    pdf = pikepdf.new()
    glyph = pdf.make_stream(b"500 0 d0")
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type3,
        FontBBox=pikepdf.Array([0, 0, 500, 500]),
        FontMatrix=pikepdf.Array([0.001, 0, 0, 0.001, 0, 0]),
        CharProcs=pikepdf.Dictionary(a=glyph),
        Encoding=pikepdf.Dictionary(Differences=pikepdf.Array([97, pikepdf.Name.a])),
        FirstChar=97,
        LastChar=97,
        Widths=pikepdf.Array([500]),
        Resources=pikepdf.Dictionary(),
    )
    pdf.pages.append(
        pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=pikepdf.Array([0, 0, 612, 792]),
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font)),
                Contents=pdf.make_stream(b"BT /T3 12 Tf 72 700 Td (aaa) Tj ET"),
            )
        )
    )
    buf = io.BytesIO()
    pdf.save(buf)
    with pytest.raises(Unsupported):
        read_fast(buf.getvalue())
    assert "".join(g.text for g in read(buf.getvalue())[0].glyphs) == "aaa"


def test_pdf_read_missing_font_falls_back_to_pdfminer() -> None:
    data = _pdf(b"BT /F9 10 Tf 72 700 Td (Hello) Tj ET")
    with pytest.raises(Unsupported):
        read_fast(data)
    assert len(read(data)) == 1


# Through the format's reader (``pdf._pages``), as before the fast reader existed.


def _glyphs(data: bytes) -> tuple[Glyph, ...]:
    from veil.formats.pdf import _pages

    return _pages(data)[0].glyphs


def test_pdf_read_text_after_a_form_xobject_stays_where_it_is_drawn() -> None:
    data = _pdf(b"/X1 Do BT /F1 10 Tf 72 600 Td (After) Tj ET", form=b"BT /F1 10 Tf 72 650 Td (In) Tj ET")
    after = _glyphs(data)[2]
    assert after.text == "A"
    assert after.bbox[0] == pytest.approx(72, abs=0.01)


def test_pdf_read_spacing_after_the_last_glyph_of_a_show() -> None:
    # Tc follows every glyph, so "C" (a second Tj) starts 2 units after "B" ends.
    glyphs = _glyphs(_pdf(b"BT /F1 10 Tf 2 Tc 100 700 Td (AB) Tj (C) Tj ET"))
    assert glyphs[2].bbox[0] - glyphs[1].bbox[2] == pytest.approx(2, abs=0.01)


def test_pdf_read_double_quote_starts_a_new_line() -> None:
    glyphs = _glyphs(_pdf(b'BT /F1 10 Tf 12 TL 100 700 Td (A) Tj 0 0 (B) " ET'))
    assert glyphs[0].bbox[1] - glyphs[1].bbox[1] == pytest.approx(12, abs=0.01)


def test_pdf_box_is_drawn_over_the_text_on_a_page_rotated_by_its_parent(names_pipeline) -> None:
    from veil.formats import redact_document
    from veil.formats.pdf import PdfFormat

    content = b"BT /F1 12 Tf 72 700 Td (Statement of Mira Castellanos, taken today.) Tj ET"
    upright = _glyphs(_pdf(content))  # the same glyphs in unrotated page space = user space
    text = "".join(g.text for g in upright)
    name = upright[text.index("Mira") : text.index(", taken")]
    expected = (
        min(g.bbox[0] for g in name),
        min(g.bbox[1] for g in name),
        max(g.bbox[2] for g in name),
        max(g.bbox[3] for g in name),
    )
    out = redact_document(_pdf(content, rotate=90), PdfFormat(), names_pipeline, doc_id="r").data
    with pikepdf.open(io.BytesIO(out)) as pdf:
        rects = [
            [float(v) for v in i.operands]
            for i in pikepdf.parse_content_stream(pdf.pages[0])
            if str(i.operator) == "re"
        ]
    assert len(rects) == 1
    x, y, w, h = rects[0]
    assert (x, y, x + w, y + h) == pytest.approx(expected, abs=0.01)


def test_pdf_read_stream_qpdf_cannot_parse_cleanly_falls_back_to_pdfminer() -> None:
    data = _pdf(b"BT /F1 10 Tf 72 700 Td (Hello) Tj ET BT [ (unterminated) Tj ET")
    with pytest.raises(Unsupported):
        read_fast(data)
    assert "".join(g.text for g in read(data)[0].glyphs).startswith("Hello")


def test_pdf_identity_h_text_is_removed_and_the_rest_stays_put(names_pipeline) -> None:
    from veil.formats import redact_document
    from veil.formats.pdf import PdfFormat

    if not DEJAVU.exists():
        pytest.skip("DejaVuSans.ttf is not installed")
    data = _fpdf(ttf=True)
    out = redact_document(data, PdfFormat(), names_pipeline, doc_id="t").data
    layer = "\n".join(PdfFormat().layers(out))
    assert "Castellanos" not in layer and "Penhaligon" not in layer
    assert "Łódź" in layer
    before = [v for g in read_fast(data)[0].glyphs if g.text == "Ł" for v in g.bbox]
    after = [v for g in read_fast(out)[0].glyphs if g.text == "Ł" for v in g.bbox]
    assert before and before == pytest.approx(after, abs=0.01)
