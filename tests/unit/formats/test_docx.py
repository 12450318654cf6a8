from __future__ import annotations

import io
import zipfile

import pytest

from veil.errors import InputError
from veil.formats import redact_document
from veil.formats.docx import DocxFormat

docx = pytest.importorskip("docx")

NAMES = ("Osric", "Penhaligon", "Mira", "Castellanos", "Tom", "Riley", "Anneliese", "Vogt")


def _document() -> bytes:
    d = docx.Document()
    d.core_properties.author = "Anneliese Vogt"
    d.core_properties.last_modified_by = "Tom Riley"
    d.core_properties.title = "Interview with Mira Castellanos"
    p = d.add_paragraph()
    for piece, bold in (("Statement of Os", False), ("ric Pen", True), ("haligon", False), (".", False)):
        p.add_run(piece).bold = bold
    d.add_paragraph("Penhaligon said he saw Castellanos.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Witness"
    table.cell(0, 1).text = "Tom Riley"
    d.sections[0].header.paragraphs[0].text = "Case file: Penhaligon"
    d.sections[0].footer.paragraphs[0].text = "Prepared by Vogt"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".xml", ".rels")))


def test_docx_names_in_body_runs_tables_headers_and_properties_are_masked(pipeline) -> None:
    out = redact_document(_document(), DocxFormat(), pipeline, doc_id="d").data
    xml = _all_xml(out)
    for name in NAMES:
        assert name not in xml
    reopened = docx.Document(io.BytesIO(out))
    assert reopened.paragraphs[0].text.startswith("Statement of [PERSON_")


def test_docx_runs_keep_their_formatting(pipeline) -> None:
    out = redact_document(_document(), DocxFormat(), pipeline, doc_id="d").data
    runs = docx.Document(io.BytesIO(out)).paragraphs[0].runs
    assert [r.bold for r in runs] == [False, True, False, False]
    assert runs[0].text.startswith("Statement of [PERSON_") and runs[1].text == "" and runs[2].text == ""


def test_docx_corrupt_zip_is_an_input_error() -> None:
    with pytest.raises(InputError, match="zip"):
        DocxFormat().segments(b"PK\x03\x04 not really a zip")


def test_docx_zip_without_document_part_is_an_input_error() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a DOCX"):
        DocxFormat().segments(buf.getvalue())


def test_docx_zip_bomb_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>")
    with pytest.raises(InputError, match="inflates"):
        DocxFormat().segments(buf.getvalue())
