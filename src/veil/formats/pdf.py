"""PDF: true redaction. Masked text is removed from the content streams, not covered.

Reading (``pdfminer.six``): each page's text is read glyph by glyph in content-stream
order, with each glyph's box and the text-showing operator and byte range it came from.
Spaces and line breaks are inferred from the glyph positions. A page with images but no
text layer (a scan) is an :class:`~veil.errors.InputError` that names the page; so is a
glyph without a Unicode mapping (it could hide a name nobody can check).

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
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

from ..errors import InputError
from ._segments import Edit, Segment, SegmentBuilder

_SHOW_OPS = ("Tj", "TJ", "'", '"')
_BOX_LABEL_FONT = "/VeilLabel"


@dataclass(frozen=True, slots=True)
class _Glyph:
    text: str = field(repr=False)
    bbox: tuple[float, float, float, float]
    size: float
    op: int | None  # index of the text-showing operator on the page; None inside an XObject
    item: int  # index in the operator's TJ array (0 for Tj)
    byte_start: int
    byte_end: int
    adjust: float  # TJ displacement (thousandths of text space) that replaces this glyph


@dataclass(frozen=True, slots=True)
class _Page:
    glyphs: tuple[_Glyph, ...]
    has_images: bool


def _pdfminer_pages(data: bytes) -> list[_Page]:
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFException
    from pdfminer.psexceptions import PSException

    class Device(PDFLayoutAnalyzer):
        def __init__(self, rsrc: PDFResourceManager) -> None:
            super().__init__(rsrc, pageno=1, laparams=None)
            self.pages: list[_Page] = []
            self.glyphs: list[_Glyph] = []
            self.images = False
            self.op_index = -1
            self.current_op: int | None = None
            self.xobj_depth = 0
            self.queue: deque[tuple[int, int, int, float]] = deque()

        def begin_page(self, page: Any, ctm: Any) -> None:
            super().begin_page(page, ctm)
            self.glyphs, self.images, self.op_index = [], False, -1

        def end_page(self, page: Any) -> None:
            self.pages.append(_Page(tuple(self.glyphs), self.images))
            super().end_page(page)

        def render_image(self, name: str, stream: Any) -> None:
            self.images = True

        def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
            font = textstate.font
            size = float(textstate.fontsize or 0)
            tc, tw = float(textstate.charspace), float(textstate.wordspace)
            self.queue = deque()
            for i, obj in enumerate(seq):
                if not isinstance(obj, bytes):
                    continue
                cids = list(font.decode(obj))
                width = len(obj) // len(cids) if cids and len(obj) % len(cids) == 0 else 0
                for k, cid in enumerate(cids):
                    space = tw if (cid == 32 and not font.is_multibyte()) else 0.0
                    adjust = -(font.char_width(cid) * 1000 + ((tc + space) * 1000 / size if size else 0))
                    if width:
                        self.queue.append((i, k * width, (k + 1) * width, adjust))
                    else:  # bytes do not split evenly between glyphs: not editable
                        self.queue.append((i, -1, -1, adjust))
            self.size = size
            super().render_string(textstate, seq, ncs, graphicstate)

        def render_char(
            self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int, *args: Any
        ) -> float:
            # What pdfminer's LTChar computes, without building one: the glyph's advance and
            # its box (descent to descent + size, transformed by the text matrix).
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = f"(cid:{cid})"
            adv = font.char_width(cid) * fontsize * scaling
            low = font.get_descent() * fontsize + rise
            a, b, c, d, e, f = matrix
            xs = (
                e + c * low,
                e + a * adv + c * low,
                e + c * (low + fontsize),
                e + a * adv + c * (low + fontsize),
            )
            ys = (
                f + d * low,
                f + b * adv + d * low,
                f + d * (low + fontsize),
                f + b * adv + d * (low + fontsize),
            )
            i, b0, b1, adjust = self.queue.popleft() if self.queue else (0, -1, -1, 0.0)
            op = self.current_op if b0 >= 0 and not font.is_vertical() else None
            size = math.hypot(c, d) * fontsize
            self.glyphs.append(
                _Glyph(text, (min(xs), min(ys), max(xs), max(ys)), size, op, i, b0, b1, adjust)
            )
            return float(adv)

    class Interp(PDFPageInterpreter):
        def do_TJ(self, seq: Any) -> None:
            dev = self.device
            if dev.xobj_depth == 0:  # type: ignore[attr-defined]
                dev.op_index += 1  # type: ignore[attr-defined]
                dev.current_op = dev.op_index  # type: ignore[attr-defined]
            else:
                dev.current_op = None  # type: ignore[attr-defined]
            super().do_TJ(seq)

        def do_Do(self, xobjid: Any) -> None:
            self.device.xobj_depth += 1  # type: ignore[attr-defined]
            try:
                super().do_Do(xobjid)
            finally:
                self.device.xobj_depth -= 1  # type: ignore[attr-defined]

    try:
        parser = PDFParser(io.BytesIO(data))
        doc = PDFDocument(parser)
        rsrc = PDFResourceManager(caching=True)
        dev = Device(rsrc)
        interp = Interp(rsrc, dev)
        for page in PDFPage.create_pages(doc):
            interp.process_page(page)
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise InputError("the PDF is encrypted; Veil cannot read it") from None
    except (PDFException, PSException, ValueError, KeyError, TypeError, IndexError) as exc:
        raise InputError(f"the PDF cannot be read ({type(exc).__name__})") from None
    return dev.pages


@lru_cache(maxsize=4)
def _read(digest: str, data: bytes) -> tuple[_Page, ...]:
    return tuple(_pdfminer_pages(data))


def _pages(data: bytes) -> tuple[_Page, ...]:
    if not data.startswith(b"%PDF-"):
        raise InputError("not a PDF file (no %PDF- header); check the extension or --format")
    return _read(hashlib.sha256(data).hexdigest(), data)


def _segment(n: int, page: _Page) -> Segment:
    b = SegmentBuilder(where=n, kind="text")
    prev: _Glyph | None = None
    for i, g in enumerate(page.glyphs):
        if g.text.startswith("(cid:"):
            raise InputError(f"page {n + 1} has text without a Unicode mapping; Veil cannot check it")
        if prev is not None:
            tol = max(prev.size, g.size, 1.0)
            if abs(g.bbox[1] - prev.bbox[1]) > 0.5 * tol:
                b.add("\n", i, i, atomic=True)
            elif g.bbox[0] - prev.bbox[2] > 0.15 * tol and g.text != " " and prev.text != " ":
                b.add(" ", i, i, atomic=True)
        b.add(g.text, i, i + 1, atomic=True)
        prev = g
    return b.build()


def _invert(ctm: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    det = a * d - b * c
    x, y = x - e, y - f
    return (d * x - c * y) / det, (-b * x + a * y) / det


def _ctm(page: Any) -> tuple[float, ...]:
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    return {
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }.get(rotate, (1, 0, 0, 1, -x0, -y0))


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
                glyphs = [pages[n].glyphs[s] for s, t in seg.source_ranges(e.start, e.end) if t > s]
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
        ctm = _ctm(page)
        for glyphs, label in items:
            for g in glyphs:
                if g.op is None:
                    raise InputError(
                        f"page {n + 1}: text to mask lies where Veil cannot edit it (a form XObject, "
                        "vertical text or an unusual font encoding)"
                    )
                removals.setdefault(g.op, {}).setdefault(g.item, []).append(g)
            boxes.extend(_runs(glyphs, label, ctm))
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
    glyphs: list[_Glyph], label: str, ctm: tuple[float, ...]
) -> list[tuple[tuple[float, float, float, float], str]]:
    """One box per line of masked glyphs, in page space; the label goes in the first."""
    lines: list[list[_Glyph]] = []
    for g in glyphs:
        if lines and abs(lines[-1][-1].bbox[1] - g.bbox[1]) <= 0.5 * max(g.size, 1.0):
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
    """The text layer and every metadata string of a PDF."""
    import pikepdf
    from pdfminer.high_level import extract_text

    layers = [_segment(n, p).text for n, p in enumerate(_pages(data)) if p.glyphs]
    try:
        layers.append(extract_text(io.BytesIO(data)))
    except Exception as exc:
        raise InputError(f"the written PDF cannot be re-read ({type(exc).__name__})") from None
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            layers.extend(str(v) for v in pdf.trailer.Info.values())
        if "/Metadata" in pdf.Root:
            layers.append(pdf.Root.Metadata.read_bytes().decode("utf-8", errors="replace"))
    return layers
