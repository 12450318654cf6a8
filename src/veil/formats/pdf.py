"""PDF: true redaction. Masked text is removed from the content streams, not covered.

Reading (``_pdf_read``: pikepdf's content-stream parser, pdfminer.six's fonts, and
pdfminer's interpreter for what the fast reader does not handle): each page's text is read
glyph by glyph in content-stream order, with each glyph's box and the text-showing
operator and byte range it came from. Spaces and line breaks are inferred from the glyph
positions, with the page's /Rotate undone. A page with images but no text layer (a scan)
is an :class:`~veil.errors.InputError` that names the page; so is a glyph without a
Unicode mapping (it could hide a name nobody can check).

Writing (``pikepdf``): for every masked glyph the bytes that draw it are taken out of its
``Tj``/``TJ``/``'``/``"`` operator and replaced by a ``TJ`` displacement of exactly its
advance (width, character and word spacing), so the text that remains does not move. A
black box is drawn where the text was, with the replacement (``[PERSON_1]``) written in
white inside it when it fits. The page's original content is wrapped in ``q … Q`` so the
boxes are drawn in the page's own coordinates.

The document is also cleaned: the information dictionary, XMP metadata, annotations,
form fields, bookmarks, embedded files and page-piece data are removed, whether or not
they held a name. Text inside form XObjects is read (so verification sees it) but cannot
be edited: a mask that falls there fails the document.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import InputError
from ._segments import Edit, Segment, SegmentBuilder

if TYPE_CHECKING:
    from ._pdf_read import Glyph as _Glyph
    from ._pdf_read import Page as _Page

_SHOW_OPS = ("Tj", "TJ", "'", '"')
_BOX_LABEL_FONT = "/VeilLabel"


@lru_cache(maxsize=4)
def _read(digest: str, data: bytes) -> tuple[_Page, ...]:
    from ._pdf_read import read

    return tuple(read(data))


def _pages(data: bytes) -> tuple[_Page, ...]:
    if not data.startswith(b"%PDF-"):
        raise InputError("not a PDF file (no %PDF- header); check the extension or --format")
    return _read(hashlib.sha256(data).hexdigest(), data)


def _upright_box(box: tuple[float, float, float, float], rotate: int) -> tuple[float, float, float, float]:
    """A glyph box with the page's /Rotate undone (up to a translation), so that text
    written left to right on a rotated page reads left to right again."""
    x0, y0, x1, y1 = box
    if rotate == 90:
        return (-y1, x0, -y0, x1)
    if rotate == 180:
        return (-x1, -y1, -x0, -y0)
    if rotate == 270:
        return (y0, -x1, y1, -x0)
    return box


def _upright(page: _Page) -> list[tuple[float, float, float, float]]:
    if not page.rotate:
        return [g.bbox for g in page.glyphs]
    return [_upright_box(g.bbox, page.rotate) for g in page.glyphs]


def _segment(n: int, page: _Page) -> Segment:
    """The page's text in content-stream order; its source offsets are glyph indices.

    A line break goes where the baseline moves by half the text size, a space where the
    gap to the previous glyph exceeds 0.15 of it. Consecutive one-character glyphs form
    one piece (character k is glyph start + k); a glyph of several characters (a ligature)
    is an atomic piece of its own."""
    b = SegmentBuilder(where=n, kind="text")
    run: list[str] = []  # one-character glyphs not yet added, starting at glyph run_start
    run_start = 0
    prev_box: tuple[float, float, float, float] | None = None
    prev_size, prev_text = 0.0, ""
    for i, (g, box) in enumerate(zip(page.glyphs, _upright(page), strict=True)):
        text, size = g.text, g.size
        if text.startswith("(cid:"):
            raise InputError(f"page {n + 1} has text without a Unicode mapping; Veil cannot check it")
        sep = ""
        if prev_box is not None:
            tol = size if size > prev_size else prev_size
            tol = tol if tol > 1.0 else 1.0
            if not -0.5 * tol <= box[1] - prev_box[1] <= 0.5 * tol:
                sep = "\n"
            elif box[0] - prev_box[2] > 0.15 * tol and text != " " and prev_text != " ":
                sep = " "
        prev_box, prev_size, prev_text = box, size, text
        if len(text) == 1 and not sep and run:
            run.append(text)
            continue
        b.add("".join(run), run_start)
        run = []
        if sep:
            b.add(sep, i, i, atomic=True)
        if len(text) == 1:
            run, run_start = [text], i
        else:
            b.add(text, i, i + 1, atomic=True)
    b.add("".join(run), run_start)
    return b.build()


def _reading_order(page: _Page) -> str:
    """The page's text with its glyphs sorted into lines by position, top to bottom and left
    to right, whatever order the content stream drew them in (for verification)."""
    boxes = _upright(page)
    glyphs = page.glyphs
    order = sorted(range(len(glyphs)), key=lambda i: -(boxes[i][1] + boxes[i][3]))
    lines: list[list[int]] = []
    top = 0.0
    for i in order:
        mid, size = (boxes[i][1] + boxes[i][3]) / 2, glyphs[i].size
        if not lines or top - mid > 0.5 * (size if size > 1.0 else 1.0):
            lines.append([])
            top = mid
        lines[-1].append(i)
    out: list[str] = []
    for line in lines:
        line.sort(key=lambda i: boxes[i][0])
        prev_right, prev_size = None, 0.0
        for i in line:
            box, size = boxes[i], glyphs[i].size
            if prev_right is not None:
                tol = size if size > prev_size else prev_size
                if box[0] - prev_right > 0.15 * (tol if tol > 1.0 else 1.0):
                    out.append(" ")
            out.append(glyphs[i].text)
            prev_right, prev_size = box[2], size
        out.append("\n")
    return "".join(out)


def _invert(ctm: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    det = a * d - b * c
    x, y = x - e, y - f
    return (d * x - c * y) / det, (-b * x + a * y) / det


def _rewrite_ops(instructions: list[Any], removals: dict[int, dict[int, list[_Glyph]]]) -> list[Any]:
    import pikepdf

    out: list[Any] = []
    show = -1
    for ins in instructions:
        op = str(getattr(ins, "operator", ""))
        if op not in _SHOW_OPS:
            out.append(ins)
            continue
        show += 1
        if show not in removals:
            out.append(ins)
            continue
        operands = list(ins.operands)
        if op == "TJ":
            items = list(operands[0])
        else:
            items = [operands[-1]]
            if op == '"':
                out.append(pikepdf.ContentStreamInstruction([operands[0]], pikepdf.Operator("Tw")))
                out.append(pikepdf.ContentStreamInstruction([operands[1]], pikepdf.Operator("Tc")))
            if op in ("'", '"'):
                out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
        new_items: list[Any] = []
        for idx, item in enumerate(items):
            gone = removals[show].get(idx)
            if not gone or not isinstance(item, pikepdf.String):
                new_items.append(item)
                continue
            raw = bytes(item)
            cuts = sorted((g.byte_start, g.byte_end, g.adjust) for g in gone)
            pos = 0
            for b0, b1, adjust in cuts:
                if raw[pos:b0]:
                    new_items.append(pikepdf.String(raw[pos:b0]))
                new_items.append(adjust)
                pos = b1
            if raw[pos:]:
                new_items.append(pikepdf.String(raw[pos:]))
        out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(new_items)], pikepdf.Operator("TJ")))
    return out


def _label_ops(boxes: list[tuple[tuple[float, float, float, float], str]]) -> bytes:
    lines = ["q", "0 g"]
    for (x0, y0, x1, y1), _ in boxes:
        lines.append(f"{x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re f")
    lines.append("Q")
    for (x0, y0, x1, y1), label in boxes:
        if not label:
            continue
        h = y1 - y0
        size = min(h * 0.8, (x1 - x0) / max(len(label) * 0.55, 1))
        if size < 3:
            continue
        safe = label.encode("cp1252", errors="replace").replace(b"\\", b"\\\\")
        safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
        lines.append(
            f"BT {_BOX_LABEL_FONT} {size:.2f} Tf 1 g {x0 + 0.5:.3f} {y0 + (h - size) / 2 + 0.15 * size:.3f} Td ("
            + safe.decode("cp1252")
            + ") Tj ET"
        )
    return "\n".join(lines).encode("cp1252", errors="replace")


def _clean(pdf: Any) -> None:
    root = pdf.Root
    for key in ("/Metadata", "/AcroForm", "/Outlines", "/PieceInfo", "/OpenAction", "/AA"):
        if key in root:
            del root[key]
    if "/Names" in root:
        names = root.Names
        for key in ("/EmbeddedFiles", "/JavaScript"):
            if key in names:
                del names[key]
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    for page in pdf.pages:
        for key in ("/Annots", "/Metadata", "/PieceInfo", "/AA"):
            if key in page.obj:
                del page.obj[key]


class PdfFormat:
    """PDF documents with a text layer (``.pdf``)."""

    name: ClassVar[str] = "pdf"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def segments(self, data: bytes) -> list[Segment]:
        pages = _pages(data)
        out = []
        for n, page in enumerate(pages):
            if not page.glyphs and page.has_images:
                raise InputError(f"page {n + 1} has no text layer (a scan?); Veil cannot redact it")
            if page.glyphs:
                out.append(_segment(n, page))
        return out

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        import pikepdf

        pages = _pages(data)
        plan: dict[int, list[tuple[list[_Glyph], str]]] = {}
        for seg, seg_edits in zip(segments, edits, strict=True):
            n = int(seg.where)  # type: ignore[call-overload]
            for e in seg_edits:
                glyphs = [
                    pages[n].glyphs[k] for s, t in seg.source_ranges(e.start, e.end) for k in range(s, t)
                ]
                if glyphs:
                    plan.setdefault(n, []).append((glyphs, e.new))
        try:
            pdf = pikepdf.open(io.BytesIO(data))
        except pikepdf.PasswordError:
            raise InputError("the PDF is encrypted; Veil cannot read it") from None
        except pikepdf.PdfError as exc:
            raise InputError(f"the PDF cannot be read ({type(exc).__name__})") from None
        with pdf:
            if pdf.is_encrypted:
                raise InputError("the PDF is encrypted; Veil cannot read it")
            for n, items in plan.items():
                self._redact_page(pdf, pdf.pages[n], items, n)
            _clean(pdf)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
        return out.getvalue()

    def _redact_page(self, pdf: Any, page: Any, items: list[tuple[list[_Glyph], str]], n: int) -> None:
        import pikepdf

        removals: dict[int, dict[int, list[_Glyph]]] = {}
        boxes: list[tuple[tuple[float, float, float, float], str]] = []
        from ._pdf_read import page_geometry

        ctm, rotate = page_geometry(page.obj)
        for glyphs, label in items:
            for g in glyphs:
                if g.op is None:
                    raise InputError(
                        f"page {n + 1}: text to mask lies where Veil cannot edit it (a form XObject, "
                        "vertical text or an unusual font encoding)"
                    )
                removals.setdefault(g.op, {}).setdefault(g.item, []).append(g)
            boxes.extend(_runs(glyphs, label, ctm, rotate))
        instructions = list(pikepdf.parse_content_stream(page))
        shows = sum(1 for i in instructions if str(getattr(i, "operator", "")) in _SHOW_OPS)
        if removals and max(removals) >= shows:
            raise InputError(f"page {n + 1}: the content stream does not match its text layer")
        body = pikepdf.unparse_content_stream(_rewrite_ops(instructions, removals))
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = resources = pikepdf.Dictionary()
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font[_BOX_LABEL_FONT] = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
        page.obj.Contents = pdf.make_stream(b"q\n" + body + b"\nQ\n" + _label_ops(boxes))

    def layers(self, data: bytes) -> list[str]:
        return pdf_layers(data)


def _runs(
    glyphs: list[_Glyph], label: str, ctm: tuple[float, ...], rotate: int
) -> list[tuple[tuple[float, float, float, float], str]]:
    """One box per line of masked glyphs, in page space; the label goes in the first."""
    lines: list[list[_Glyph]] = []
    for g in glyphs:
        bottom = _upright_box(g.bbox, rotate)[1]
        if lines and abs(_upright_box(lines[-1][-1].bbox, rotate)[1] - bottom) <= 0.5 * max(g.size, 1.0):
            lines[-1].append(g)
        else:
            lines.append([g])
    out = []
    for k, line in enumerate(lines):
        xs = [v for g in line for v in (g.bbox[0], g.bbox[2])]
        ys = [v for g in line for v in (g.bbox[1], g.bbox[3])]
        corners = [_invert(ctm, x, y) for x in (min(xs), max(xs)) for y in (min(ys), max(ys))]
        px = [c[0] for c in corners]
        py = [c[1] for c in corners]
        out.append(((min(px), min(py), max(px), max(py)), label if k == 0 else ""))
    return out


def pdf_layers(data: bytes) -> list[str]:
    """The text layer, in content-stream order and in reading order, and every metadata
    string of a PDF."""
    import pikepdf

    layers = []
    for n, page in enumerate(_pages(data)):
        if page.glyphs:
            stream, reading = _segment(n, page).text, _reading_order(page)
            layers.append(stream)
            if reading.split() != stream.split():  # a second copy would only cost time
                layers.append(reading)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            layers.extend(str(v) for v in pdf.trailer.Info.values())
        if "/Metadata" in pdf.Root:
            layers.append(pdf.Root.Metadata.read_bytes().decode("utf-8", errors="replace"))
    return layers
