"""``veil redact`` on documents: chosen by extension or --format, written back in the same format."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from veil.cli import cli

pytestmark = pytest.mark.model

docx = pytest.importorskip("docx")
fpdf = pytest.importorskip("fpdf")


def _docx(path) -> None:
    d = docx.Document()
    d.core_properties.author = "Ana Kowalczyk"
    d.sections[0].header.paragraphs[0].text = "Interview notes: Dr. Ana Kowalczyk"
    p = d.add_paragraph("Later that day Kowal")
    p.add_run("czyk").bold = True
    p.add_run(" told reporters the talks had failed.")
    d.save(str(path))


def _xml_text(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode() for n in zf.namelist() if n.endswith((".xml", ".rels")))


def test_redact_docx_by_extension_resolves_across_header_and_body(tmp_path) -> None:
    src, out, rep = tmp_path / "memo.docx", tmp_path / "memo.out.docx", tmp_path / "r.json"
    _docx(src)
    res = CliRunner().invoke(cli, ["redact", str(src), "-o", str(out), "--report", str(rep)])
    assert res.exit_code == 0, res.output
    xml = _xml_text(out)
    assert "Kowalczyk" not in xml and "Kowal" not in xml.replace("[PERSON", "")
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    header = docx.Document(str(out)).sections[0].header.paragraphs[0].text
    assert "[PERSON_1]" in header and "[PERSON_1]" in body
    assert json.loads(rep.read_text())["documents"][0]["format"] == "docx"


def test_redact_pdf_removes_the_text_not_just_covers_it(tmp_path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    doc = fpdf.FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=12)
    doc.multi_cell(0, 8, "Dr. Ana Kowalczyk met reporters in Kyiv.\nKowalczyk said the talks had failed.")
    src, out = tmp_path / "s.pdf", tmp_path / "s.out.pdf"
    src.write_bytes(bytes(doc.output()))
    res = CliRunner().invoke(cli, ["redact", str(src), "-o", str(out), "--labels", "PERSON"])
    assert res.exit_code == 0, res.output
    with pikepdf.open(out) as pdf:
        raw = b"".join(o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream))
    assert b"Kowalczyk" not in raw and b"reporters" in raw


def test_redact_html_from_stdin_with_format(tmp_path) -> None:
    page = '<p class="lead">Dr. Ana <b>Kowalczyk</b> met reporters.</p><img alt="Kowalczyk in Kyiv">'
    res = CliRunner().invoke(cli, ["redact", "--format", "html", "--labels", "PERSON"], input=page)
    assert res.exit_code == 0, res.output
    assert "Kowalczyk" not in res.stdout and '<p class="lead">' in res.stdout and "<b>" in res.stdout


def test_redact_unknown_format_is_a_config_error_with_a_suggestion(tmp_path) -> None:
    res = CliRunner().invoke(cli, ["redact", "--format", "docz"], input="x")
    assert res.exit_code == 2
    assert "docx" in res.output


def test_redact_corrupt_docx_is_an_input_error_and_writes_nothing(tmp_path) -> None:
    src, out = tmp_path / "bad.docx", tmp_path / "bad.out.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a word file")
    src.write_bytes(buf.getvalue())
    res = CliRunner().invoke(cli, ["redact", str(src), "-o", str(out)])
    assert res.exit_code == 3
    assert not out.exists()
