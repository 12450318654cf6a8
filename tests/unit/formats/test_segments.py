from __future__ import annotations

import pytest

from veil.formats._segments import Edit, SegmentBuilder, apply_to_source, plain


def test_segments_source_ranges_cover_atomic_pieces_whole() -> None:
    source = "Tom &amp; Jerry"
    b = SegmentBuilder()
    b.add("Tom ", 0)
    b.add("&", 4, 9, atomic=True)
    b.add(" Jerry", 9)
    seg = b.build()
    assert seg.text == "Tom & Jerry"
    amp = seg.text.index("&")
    assert seg.source_ranges(amp, amp + 1) == [(source.index("&"), source.index("&") + 5)]
    assert apply_to_source(source, [seg], [[Edit(amp - 1, amp + 2, "+")]]) == "Tom+Jerry"


def test_segments_edit_across_pieces_keeps_what_lies_between() -> None:
    source = "Ser<b></b>gey said"
    b = SegmentBuilder()
    b.add("Ser", 0)
    b.add("gey said", source.index("gey"))
    seg = b.build()
    end = seg.text.index(" said")
    assert apply_to_source(source, [seg], [[Edit(0, end, "[P]")]]) == "[P]<b></b> said"


def test_segments_overlapping_edits_are_an_error() -> None:
    seg = plain("Anna Kowalski")
    with pytest.raises(ValueError, match="overlapping"):
        apply_to_source(seg.text, [seg], [[Edit(0, 6, "x"), Edit(5, 9, "y")]])


def test_segments_repr_hides_text() -> None:
    seg = plain("Anna Kowalski")
    assert "Anna" not in repr(seg)
    assert "Anna" not in repr(Edit(0, 4, "Anna"))
