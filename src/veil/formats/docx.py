"""DOCX (Office Open XML word processing) redacted in place, formatting kept.

What is read, and written back:

* every paragraph of the body, tables, headers, footers, footnotes, endnotes, comments and
  text boxes (every ``w:p`` in every ``word/*.xml`` part); the runs of one paragraph form
  one segment, so a name split across three formatting runs is one name, and each run
  keeps its formatting (the new text goes in the run where the name started);
* tracked insertions (``w:t`` inside ``w:ins``) and deletions (``w:delText``);
* field codes (``w:instrText``: ``HYPERLINK "mailto:..."``) and external hyperlink targets
  (``Target`` of external relationships);
* the authors and initials of comments and tracked changes (``w:author``, ``w:initials``,
  ``w15:author`` in ``people.xml``);
* the core properties (title, subject, author, last modified by, keywords, description,
  category), the app properties (company, manager) and every custom property value.

XML is parsed with entity resolution and network access off. The container is checked
for zip bombs and encryption first (:mod:`veil.formats._zip`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import InputError
from . import _zip
from ._segments import Edit, Segment, SegmentBuilder

if TYPE_CHECKING:
    from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_TAGS = (f"{{{W}}}t", f"{{{W}}}delText")
_FIELD_TAG = f"{{{W}}}instrText"
_P = f"{{{W}}}p"
_PERSON_ATTRS = ("author", "initials")
_CORE_SKIP = ("created", "modified", "lastPrinted", "revision")
_PERSON_PROPS = ("creator", "lastModifiedBy", "Manager")
_APP_PROPS = ("Company", "Manager", "HyperlinkBase")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(slots=True)
class _Slot:
    """One place text lives: an element's text, or one of its attributes."""

    part: str
    element: Any
    attr: str | None = None

    def get(self) -> str:
        if self.attr is None:
            return str(self.element.text or "")
        return str(self.element.get(self.attr) or "")

    def set(self, value: str) -> None:
        if self.attr is None:
            self.element.text = value
            if self.element.tag in _TEXT_TAGS:
                self.element.set(_XML_SPACE, "preserve")
        else:
            self.element.set(self.attr, value)


def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Doc:
    """The parsed parts of one DOCX and its text slots, in a fixed order."""

    def __init__(self, data: bytes) -> None:
        from lxml import etree

        self.zf = _zip.open_zip(data, "DOCX")
        names = self.zf.namelist()
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise InputError("not a DOCX file (no word/document.xml); check the extension or --format")
        self.trees: dict[str, Any] = {}
        parts = sorted(n for n in names if n.startswith("word/") and n.endswith((".xml", ".rels")))
        parts += [n for n in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml") if n in names]
        for name in parts:
            try:
                self.trees[name] = etree.fromstring(_zip.read(self.zf, name, "DOCX"), _parser())
            except etree.XMLSyntaxError:
                raise InputError(f"DOCX part {name!r} is not well-formed XML") from None
        self.segments: list[Segment] = []
        self.slots: list[_Slot] = []
        self.slot_starts: list[int] = []
        self._pos = 0
        for name in parts:
            self._scan(name, self.trees[name])

    # -- extraction -----------------------------------------------------------------------

    def _slot(self, b: SegmentBuilder, slot: _Slot) -> None:
        text = slot.get()
        self.slots.append(slot)
        self.slot_starts.append(self._pos)
        b.add(text, self._pos)
        self._pos += len(text)

    def _single(self, slot: _Slot, kind: str) -> None:
        b = SegmentBuilder(kind=kind)
        self._slot(b, slot)
        if b.build().text.strip():
            self.segments.append(b.build())

    def _scan(self, name: str, root: Any) -> None:
        if name.endswith(".rels"):
            for rel in root:
                if rel.get("TargetMode") == "External" and rel.get("Target"):
                    self._single(_Slot(name, rel, "Target"), "link")
            return
        if name.startswith("docProps/"):
            for el in root.iter():
                local = _local(el.tag)
                if el is root or len(el) or local in _CORE_SKIP:
                    continue
                if name.endswith("app.xml") and local not in _APP_PROPS:
                    continue
                kind = "person" if local in _PERSON_PROPS else "metadata"
                self._single(_Slot(name, el), kind)
            return
        for el in root.iter():
            for attr in list(el.attrib):
                if _local(attr) in _PERSON_ATTRS:
                    self._single(_Slot(name, el, attr), "person")
            if el.tag == _P:
                b = SegmentBuilder(kind="text")
                for t in el.iter(*_TEXT_TAGS):
                    if next(t.iterancestors(_P)) is el:
                        self._slot(b, _Slot(name, t))
                if b.build().text.strip():
                    self.segments.append(b.build())
            elif el.tag == _FIELD_TAG:
                self._single(_Slot(name, el), "field")

    # -- writing --------------------------------------------------------------------------

    def apply(self, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> dict[str, bytes]:
        from lxml import etree

        per_slot: dict[int, list[tuple[int, int, str]]] = {}
        for seg, seg_edits in zip(segments, edits, strict=True):
            for e in seg_edits:
                for k, (s, t) in enumerate(seg.source_ranges(e.start, e.end)):
                    i = bisect.bisect_right(self.slot_starts, s) - 1
                    base = self.slot_starts[i]
                    per_slot.setdefault(i, []).append((s - base, t - base, e.new if k == 0 else ""))
        touched: set[str] = set()
        for i, changes in per_slot.items():
            slot = self.slots[i]
            text = slot.get()
            out, pos = [], 0
            for s, t, new in sorted(changes):
                if s < pos:
                    raise ValueError("overlapping edits in one DOCX run")
                out += [text[pos:s], new]
                pos = t
            out.append(text[pos:])
            slot.set("".join(out))
            touched.add(slot.part)
        return {
            name: etree.tostring(self.trees[name], xml_declaration=True, encoding="UTF-8", standalone=True)
            for name in touched
        }


def xml_layers(zf: Any) -> list[str]:
    """All text and attribute values of every XML part of a zip container."""
    from lxml import etree

    layers: list[str] = []
    for name in zf.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            root = etree.fromstring(_zip.read(zf, name, "DOCX"), _parser())
        except etree.XMLSyntaxError:
            raise InputError(f"DOCX part {name!r} is not well-formed XML") from None
        texts: list[str] = []
        for el in root.iter():
            if el.text:
                texts.append(el.text)
            texts.extend(str(v) for v in el.attrib.values())
        # Runs of one paragraph are joined, so a name split across runs is found whole.
        for p in root.iter(_P):
            texts.append("".join(t.text or "" for t in p.iter(*_TEXT_TAGS)))
        layers.append("\n".join(texts))
    return layers


class DocxFormat:
    """Word documents (``.docx``)."""

    name: ClassVar[str] = "docx"
    suffixes: ClassVar[tuple[str, ...]] = (".docx",)

    def segments(self, data: bytes) -> list[Segment]:
        return _Doc(data).segments

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        doc = _Doc(data)
        return _zip.rewrite(data, doc.apply(segments, edits), "DOCX")

    def layers(self, data: bytes) -> list[str]:
        return xml_layers(_zip.open_zip(data, "DOCX"))
