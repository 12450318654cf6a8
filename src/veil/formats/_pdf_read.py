"""A PDF's text layer, glyph by glyph: each glyph's text, box, and the bytes that draw it.

Two readers return the same :class:`Page` s:

* :func:`read_fast` parses content streams with pikepdf (qpdf, C++) and interprets the
  text and graphics state (``q Q cm BT Tf Tc Tw Tz TL Ts Td TD Tm T* Tj TJ ' " Do``) in a
  small loop of its own. Fonts are pdfminer.six's own font objects, built from the
  pikepdf font dictionaries, so codes, widths and Unicode are decoded exactly as
  pdfminer decodes them.
* :func:`read_pdfminer` is pdfminer's interpreter. It is used for a document the fast
  reader does not handle exactly: a Type3 font, a font resource that is missing or cannot
  be loaded, an operator with malformed operands, a content stream pikepdf cannot parse.

Both lay glyphs out with :func:`_show`, which follows the PDF specification (ISO 32000-1,
9.4.4): after each glyph the pen advances by ``(w0 * Tfs + Tc + Tw) * Th`` (``Tw`` only for
the single-byte code 32), a ``TJ`` number ``n`` moves it by ``-n / 1000 * Tfs * Th``, and
``"`` moves to the next line before showing. (pdfminer's own layout adds ``Tc`` before a
glyph rather than after it, and ``"`` does not move to the next line.) A glyph's box is
the one pdfminer's ``LTChar`` gives it: from the font's descent to descent + size, the
advance wide, in page space with the page's rotation applied.

Each glyph shown directly by the page's content stream carries the index of its
text-showing operator among the page's ``Tj``/``TJ``/``'``/``"`` operators, the index of
its string in the operator's array and its byte range in that string, so a writer can
remove exactly those bytes. Glyphs inside a form XObject, in vertical text, or whose bytes
do not split evenly between glyphs have no operator (``op is None``): they are read, not
edited.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

import pikepdf
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFException, PDFStream
from pdfminer.psexceptions import PSException
from pdfminer.psparser import LIT

from ..errors import InputError

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class Glyph(NamedTuple):
    """One glyph. (A named tuple, not a dataclass: a page makes thousands, and a tuple is
    made four times faster.)"""

    text: str
    bbox: tuple[float, float, float, float]
    size: float
    op: int | None  # index of the text-showing operator on the page; None when not editable
    item: int  # index in the operator's TJ array (0 for Tj)
    byte_start: int
    byte_end: int
    adjust: float  # TJ displacement (thousandths of text space) that replaces this glyph

    def __repr__(self) -> str:
        return f"Glyph([redacted], bbox={self.bbox}, op={self.op}, item={self.item})"


@dataclass(frozen=True, slots=True)
class Page:
    glyphs: tuple[Glyph, ...]
    has_images: bool
    rotate: int = 0  # the page's /Rotate: glyph boxes are in the rotated (displayed) space


class Unsupported(Exception):
    """The fast reader cannot read this document exactly; the pdfminer reader will."""


def _mult(m1: Sequence[float], m0: Sequence[float]) -> Matrix:
    """``m1 × m0`` (m1 applied first), as pdfminer's ``mult_matrix``."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def page_ctm(mediabox: Sequence[float], rotate: int) -> Matrix:
    """Default user space → pdfminer's page space (rotation applied), as pdfminer sets it."""
    x0, y0, x1, y1 = mediabox
    return {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotate % 360, (1.0, 0.0, 0.0, 1.0, -x0, -y0))


class _Font:
    """A pdfminer font with its per-code widths and text cached."""

    __slots__ = ("descent", "font", "multibyte", "texts", "vertical", "widths")

    def __init__(self, font: Any) -> None:
        self.font = font
        self.multibyte: bool = font.is_multibyte()
        self.vertical: bool = font.is_vertical()
        self.descent = float(font.get_descent())
        self.widths: dict[int, float] = {}
        self.texts: dict[int, str] = {}

    def width(self, cid: int) -> float:
        w = self.widths[cid] = float(self.font.char_width(cid))
        return w

    def text(self, cid: int) -> str:
        try:
            t = str(self.font.to_unichr(cid))
        except PDFUnicodeNotDefined:
            t = f"(cid:{cid})"
        self.texts[cid] = t
        return t


def _show(
    font: _Font,
    size: float,
    tc: float,
    tw: float,
    tz: float,
    rise: float,
    matrix: Sequence[float],
    pos: tuple[float, float],
    seq: Iterable[object],
    op: int | None,
    out: list[Glyph],
) -> tuple[float, float]:
    """Lay out one text-showing operator's strings; append a glyph each; return the new pen.

    ``matrix`` is the text matrix times the CTM; ``pos`` the pen in text space (pdfminer's
    ``linematrix``); ``tz`` the horizontal scaling in percent."""
    th = tz * 0.01
    step_c, step_w = tc * th, (0.0 if font.multibyte else tw * th)
    num_scale, scale = 0.001 * size * th, size * th
    adj_c = tc * 1000 / size if size else 0.0
    adj_w = (0.0 if font.multibyte else tw * 1000 / size) if size else 0.0
    a, b, c, d, e, f = matrix
    low = font.descent * size + rise
    cx0, cx1 = sorted((c * low, c * (low + size)))
    dy0, dy1 = sorted((d * low, d * (low + size)))
    gsize = math.hypot(c, d) * size
    vertical = font.vertical
    # The pen moves along one axis of text space: origin = (bx + p * ux, by + p * uy).
    x, y = pos
    if vertical:
        p, bx, by, ux, uy = y, x * a + e, x * b + f, c, d
    else:
        p, bx, by, ux, uy = x, y * c + e, y * d + f, a, b
    widths, texts = font.widths, font.texts
    for i, obj in enumerate(seq):
        if isinstance(obj, bytes):
            cids = list(font.font.decode(obj))
            n = len(cids)
            width = len(obj) // n if n and len(obj) % n == 0 and not vertical else 0
            for k, cid in enumerate(cids):
                w = widths.get(cid)
                if w is None:
                    w = font.width(cid)
                text = texts.get(cid)
                if text is None:
                    text = font.text(cid)
                adv = w * scale
                ex, fy = bx + p * ux, by + p * uy
                aa, bb = a * adv, b * adv
                box = (
                    ex + (aa if aa < 0 else 0.0) + cx0,
                    fy + (bb if bb < 0 else 0.0) + dy0,
                    ex + (aa if aa > 0 else 0.0) + cx1,
                    fy + (bb if bb > 0 else 0.0) + dy1,
                )
                if cid == 32:
                    p += adv + step_c + step_w
                    adjust = -(w * 1000 + adj_c + adj_w)
                else:
                    p += adv + step_c
                    adjust = -(w * 1000 + adj_c)
                if width:
                    out.append(Glyph(text, box, gsize, op, i, k * width, (k + 1) * width, adjust))
                else:
                    out.append(Glyph(text, box, gsize, None, i, -1, -1, adjust))
        elif isinstance(obj, (int, float)):
            p -= obj * num_scale
    return (x, p) if vertical else (p, y)


# --- the fast reader -------------------------------------------------------------------


def _to_miner(obj: Any, memo: dict[tuple[int, int], Any], depth: int = 0) -> Any:
    """A pikepdf object as the pdfminer object its parser would have produced."""
    if depth > 64:
        raise Unsupported("font dictionary nested too deep")
    if obj is None or isinstance(obj, (bool, int, float)):
        return obj
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, pikepdf.Name):
        return LIT(str(obj)[1:])
    if isinstance(obj, pikepdf.String):
        return bytes(obj)
    key = obj.objgen if obj.is_indirect else None
    if key is not None and key in memo:
        return memo[key]
    if isinstance(obj, pikepdf.Array):
        out_list: list[Any] = []
        if key is not None:
            memo[key] = out_list
        out_list.extend(_to_miner(v, memo, depth + 1) for v in obj)
        return out_list
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        attrs: dict[str, Any] = {}
        result: Any = _LazyStream(attrs, obj) if isinstance(obj, pikepdf.Stream) else attrs
        if key is not None:
            memo[key] = result
        for k in obj.keys():  # noqa: SIM118 (a pikepdf dictionary)
            attrs[str(k)[1:]] = _to_miner(obj.get(k), memo, depth + 1)
        return result
    return None  # null and operators: pdfminer has nothing better for them


class _LazyStream(PDFStream):
    """A pdfminer stream whose data pikepdf decodes when (if) pdfminer asks for it."""

    def __init__(self, attrs: dict[str, Any], source: Any) -> None:
        super().__init__(attrs, b"")
        self._source = source

    def get_data(self) -> bytes:
        if self.data is None:
            self.data = bytes(self._source.read_bytes())
        return self.data


def _inherited(page: Any, key: str) -> Any:
    """A page attribute, looked up through the page tree (Resources, MediaBox, Rotate)."""
    node, seen = page, 0
    while node is not None and seen < 64:
        if key in node:
            return node.get(key)
        node, seen = node.get("/Parent"), seen + 1
    return None


def page_geometry(page: Any) -> tuple[Matrix, int]:
    """pdfminer's page-space matrix for a pikepdf page object, and the page's rotation
    (both from inherited attributes too)."""
    box = _inherited(page, "/MediaBox")
    try:
        mediabox = [float(v) for v in box] if box is not None else []
    except (TypeError, ValueError):
        mediabox = []
    if len(mediabox) != 4:
        mediabox = [0.0, 0.0, 612.0, 792.0]  # pdfminer's default: US Letter
    value = _inherited(page, "/Rotate")
    rotate = value % 360 if isinstance(value, int) and value % 90 == 0 else 0
    return page_ctm(mediabox, rotate), rotate


def _num(v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, Decimal, float)):
        raise Unsupported("a non-numeric operand")
    return float(v)


class _Reader:
    """Interprets one document's pages with pikepdf's content-stream parser."""

    def __init__(self) -> None:
        self.rsrc = PDFResourceManager(caching=False)
        self.fonts: dict[tuple[int, int], _Font] = {}
        self.memo: dict[tuple[int, int], Any] = {}

    def font(self, resources: Any, name: object) -> _Font:
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        spec = fonts.get(str(name)) if isinstance(fonts, pikepdf.Dictionary) else None
        if not isinstance(spec, pikepdf.Dictionary):
            raise Unsupported("a font that is not in the page's resources")
        key = spec.objgen if spec.is_indirect else None
        if key is not None and key in self.fonts:
            return self.fonts[key]
        subtype = spec.get("/Subtype")
        if subtype == "/Type3":
            raise Unsupported("a Type3 font")
        if subtype == "/Type0":
            descendants = spec.get("/DescendantFonts")
            if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
                raise Unsupported("a Type0 font without one descendant")
        try:
            miner = self.rsrc.get_font(None, _to_miner(spec, self.memo))
            font = _Font(miner)
        except (PDFException, PSException, ValueError, KeyError, TypeError, IndexError, AssertionError):
            raise Unsupported("a font pdfminer cannot load from pikepdf objects") from None
        if key is not None:
            self.fonts[key] = font
        return font

    def page(self, page: Any) -> Page:
        glyphs: list[Glyph] = []
        self.images = False
        self.shows = -1
        resources = _inherited(page.obj, "/Resources")
        ctm, rotate = page_geometry(page.obj)
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Array):  # parsed as one stream, as a writer will
            contents = pikepdf.Stream(page.obj.owner, b"\n".join(bytes(c.read_bytes()) for c in contents))
        if isinstance(contents, pikepdf.Stream):
            self.run(_parse(contents), resources, ctm, glyphs, set())
        return Page(tuple(glyphs), self.images, rotate)

    def run(self, instructions: Any, resources: Any, ctm: Matrix, out: list[Glyph], forms: set[Any]) -> None:
        """Interpret a content stream (the page's, or a form XObject's when ``forms``)."""
        top = not forms
        font: _Font | None = None
        size = tc = tw = leading = rise = 0.0
        tz = 100.0
        tm: Matrix = IDENTITY
        pos = (0.0, 0.0)
        stack: list[tuple[Any, ...]] = []
        for ins in instructions:
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                self.images = True
                continue
            op = str(ins.operator)
            args = ins.operands
            if op in ("Tj", "TJ", "'", '"'):
                show = None
                if top:
                    self.shows += 1
                    show = self.shows
                if op == '"':
                    if len(args) != 3:
                        raise Unsupported('malformed "')
                    tw, tc = _num(args[0]), _num(args[1])
                if op in ("'", '"'):
                    tm = (tm[0], tm[1], tm[2], tm[3], leading * tm[2] + tm[4], leading * tm[3] + tm[5])
                    pos = (0.0, 0.0)
                if not args:
                    raise Unsupported(f"malformed {op}")
                last = args[-1]
                if op == "TJ":
                    if not isinstance(last, pikepdf.Array):
                        raise Unsupported("malformed TJ")
                    seq: list[object] = [bytes(v) if isinstance(v, pikepdf.String) else _num(v) for v in last]
                elif isinstance(last, pikepdf.String):
                    seq = [bytes(last)]
                else:
                    raise Unsupported(f"malformed {op}")
                if font is not None:
                    pos = _show(font, size, tc, tw, tz, rise, _mult(tm, ctm), pos, seq, show, out)
            elif op == "Td" or op == "TD":
                tx, ty = (_num(v) for v in _operands(args, 2))
                a, b, c, d, e, f = tm
                tm = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)
                pos = (0.0, 0.0)
                if op == "TD":
                    leading = ty
            elif op == "Tm":
                tm = tuple(_num(v) for v in _operands(args, 6))  # type: ignore[assignment]
                pos = (0.0, 0.0)
            elif op == "T*":
                tm = (tm[0], tm[1], tm[2], tm[3], leading * tm[2] + tm[4], leading * tm[3] + tm[5])
                pos = (0.0, 0.0)
            elif op == "BT":
                tm, pos = IDENTITY, (0.0, 0.0)
            elif op == "Tf":
                name, fsize = _operands(args, 2)
                font, size = self.font(resources, name), _num(fsize)
            elif op == "Tc":
                tc = _num(_operands(args, 1)[0])
            elif op == "Tw":
                tw = _num(_operands(args, 1)[0])
            elif op == "Tz":
                tz = _num(_operands(args, 1)[0])
            elif op == "TL":
                leading = -_num(_operands(args, 1)[0])
            elif op == "Ts":
                rise = _num(_operands(args, 1)[0])
            elif op == "q":
                # pdfminer saves the text matrix with the graphics state; so do we.
                stack.append((ctm, font, size, tc, tw, tz, leading, rise, tm, pos))
            elif op == "Q":
                if stack:
                    ctm, font, size, tc, tw, tz, leading, rise, tm, pos = stack.pop()
            elif op == "cm":
                ctm = _mult(tuple(_num(v) for v in _operands(args, 6)), ctm)
            elif op == "Do":
                self.xobject(resources, _operands(args, 1)[0], ctm, out, forms)

    def xobject(self, resources: Any, name: object, ctm: Matrix, out: list[Glyph], forms: set[Any]) -> None:
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        xobj = xobjects.get(str(name)) if isinstance(xobjects, pikepdf.Dictionary) else None
        if not isinstance(xobj, pikepdf.Stream):
            return  # pdfminer ignores an unknown XObject too
        subtype = xobj.get("/Subtype")
        if subtype == "/Image" and "/Width" in xobj and "/Height" in xobj:
            self.images = True
        elif subtype == "/Form" and "/BBox" in xobj:
            key = xobj.objgen
            if key in forms:
                return  # a form that draws itself: pdfminer refuses the cycle too
            matrix = xobj.get("/Matrix")
            m = tuple(_num(v) for v in matrix) if isinstance(matrix, pikepdf.Array) else IDENTITY
            if len(m) != 6:
                raise Unsupported("a form XObject with a malformed matrix")
            inner = xobj.get("/Resources")
            self.run(
                _parse(xobj),
                inner if inner is not None else resources,
                _mult(m, ctm),
                out,
                forms | {key},
            )


def _parse(stream: Any) -> Any:
    """A content stream's instructions. qpdf skips what it cannot parse (with a warning,
    for a stream), and pdfminer may read more of it: then only pdfminer is used."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        instructions = pikepdf.parse_content_stream(stream)
    if caught:
        raise Unsupported("a content stream qpdf cannot parse cleanly")
    return instructions


def _operands(args: Any, n: int) -> list[Any]:
    if len(args) != n:
        raise Unsupported("an operator with the wrong number of operands")
    return list(args)


def read_fast(data: bytes) -> list[Page]:
    """Every page's glyphs; :class:`Unsupported` when only pdfminer can read it exactly."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise InputError("the PDF is encrypted; Veil cannot read it") from None
    except pikepdf.PdfError as exc:
        raise Unsupported("pikepdf cannot open it") from exc
    with pdf:
        if pdf.is_encrypted:
            raise InputError("the PDF is encrypted; Veil cannot read it")
        reader = _Reader()
        try:
            return [reader.page(page) for page in pdf.pages]
        except (
            pikepdf.PdfError,
            PDFException,
            PSException,
            ValueError,
            KeyError,
            TypeError,
            IndexError,
        ) as exc:
            # A malformed stream or font: pdfminer's reader reads it, or says why not.
            raise Unsupported(type(exc).__name__) from exc


# --- the pdfminer reader ---------------------------------------------------------------


def read_pdfminer(data: bytes) -> list[Page]:
    """Every page's glyphs, through pdfminer's interpreter (its parser and text state)."""

    class Device(PDFDevice):
        def __init__(self, rsrc: PDFResourceManager) -> None:
            super().__init__(rsrc)
            self.pages: list[Page] = []
            self.glyphs: list[Glyph] = []
            self.images = False
            self.op_index = -1
            self.current_op: int | None = None
            self.xobj_depth = 0
            self.fonts: dict[int, _Font] = {}

        def begin_page(self, page: Any, ctm: Any) -> None:
            super().begin_page(page, ctm)
            self.glyphs, self.images, self.op_index = [], False, -1

        def end_page(self, page: Any) -> None:
            rotate = page.rotate if page.rotate in (90, 180, 270) else 0
            self.pages.append(Page(tuple(self.glyphs), self.images, rotate))
            super().end_page(page)

        def render_image(self, name: str, stream: Any) -> None:
            self.images = True

        def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
            font = self.fonts.get(id(textstate.font))
            if font is None:
                font = self.fonts[id(textstate.font)] = _Font(textstate.font)
            textstate.linematrix = _show(
                font,
                float(textstate.fontsize or 0),
                float(textstate.charspace),
                float(textstate.wordspace),
                float(textstate.scaling),
                float(textstate.rise),
                _mult(textstate.matrix, self.ctm or IDENTITY),
                textstate.linematrix,
                seq,
                self.current_op,
                self.glyphs,
            )

    class Interp(PDFPageInterpreter):
        def do_TJ(self, seq: Any) -> None:
            dev = self.device
            if dev.xobj_depth == 0:  # type: ignore[attr-defined]
                dev.op_index += 1  # type: ignore[attr-defined]
                dev.current_op = dev.op_index  # type: ignore[attr-defined]
            else:
                dev.current_op = None  # type: ignore[attr-defined]
            super().do_TJ(seq)

        def do__w(self, aw: Any, ac: Any, s: Any) -> None:
            # '"' moves to the next line before showing (ISO 32000-1, table 109).
            self.do_Tw(aw)
            self.do_Tc(ac)
            self.do__q(s)

        def do_Do(self, xobjid: Any) -> None:
            self.device.xobj_depth += 1  # type: ignore[attr-defined]
            try:
                super().do_Do(xobjid)
            finally:
                self.device.xobj_depth -= 1  # type: ignore[attr-defined]
                # pdfminer leaves the form's CTM on the device: text after the form moved.
                self.device.set_ctm(self.ctm)

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


def read(data: bytes) -> list[Page]:
    """Every page's glyphs: the fast reader, or pdfminer's where the fast one cannot."""
    try:
        return read_fast(data)
    except Unsupported:
        return read_pdfminer(data)
