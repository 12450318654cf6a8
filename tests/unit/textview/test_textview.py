"""The clean view: what detectors read, and how its offsets map back to the original."""

from __future__ import annotations

import pytest

from veil.textview import view_of

# (original, view): markup removed, invisibles dropped, spaces folded, NFKC applied.
VIEWS = [
    ("<b>Sergey Lavrov</b> met", "Sergey Lavrov met"),
    ("<p>Sergey Lavrov</p>", "\nSergey Lavrov\n"),
    ("<span class=x>Sergey</span>", "Sergey"),
    ("<br>Sergey", "\nSergey"),
    ("Ser<b></b>gey Lav<i></i>rov", "Sergey Lavrov"),
    ("Sergey La**vr**ov", "Sergey Lavrov"),
    ("**Sergey Lavrov**", "Sergey Lavrov"),
    ("_Sergey Lavrov_", "Sergey Lavrov"),
    ("[Kowalski](https://example.org/k)", "Kowalski (https://example.org/k)"),
    ("Lav\u200brov", "Lavrov"),
    ("Lav\u200drov Lav\u2060rov Lav\u00adrov", "Lavrov Lavrov Lavrov"),
    ("Lav\u202erov\u202c", "Lavrov"),
    ("\u2066Lavrov\u2069 \ufeffLavrov", "Lavrov Lavrov"),
    ("Sergey\u00a0Lavrov", "Sergey Lavrov"),
    ("Sergey\u2009Lavrov\u3000x", "Sergey Lavrov x"),
    ("Lav&shy;rov Lav&#8203;rov Sergey&nbsp;Lavrov", "Lavrov Lavrov Sergey Lavrov"),
    ("\uff33\uff45\uff52\uff47\uff45\uff59", "Sergey"),
    ("\ufb01ne", "fine"),
    ("Jose\u0301", "Jos\u00e9"),
    ("5 * 3 and a ___ mask", "5 * 3 and a ___ mask"),
    ("a < b and c > d", "a < b and c > d"),
]


@pytest.mark.parametrize(("original", "view"), VIEWS, ids=[repr(o)[:40] for o, _ in VIEWS])
def test_textview_view_text(original: str, view: str) -> None:
    assert view_of(original).text == view


def test_textview_clean_text_is_its_own_view() -> None:
    text = "Sergey Lavrov met reporters in Kyiv."
    view = view_of(text)
    assert view.identity
    assert view.span(0, len(text)) == (0, len(text))
    assert view.removed() == []


# (original, name as it reads in the view, the original extent the name must map to)
SPANS = [
    ("Ser<b></b>gey met", "Sergey", "Ser<b></b>gey"),
    ("Sergey La**vr**ov.", "Lavrov", "La**vr**ov"),
    ("<b>Lavrov</b>", "Lavrov", "Lavrov"),
    ("x Lav\u200brov y", "Lavrov", "Lav\u200brov"),
    ("x Lav&shy;rov y", "Lavrov", "Lav&shy;rov"),
    ("Sergey\u00a0Lavrov!", "Sergey Lavrov", "Sergey\u00a0Lavrov"),
    ("\uff33\uff45\uff52 x", "Ser", "\uff33\uff45\uff52"),
    # 1 -> n: a ligature; any part of its expansion maps to the whole character
    ("de\ufb01ne it", "def", "de\ufb01"),
    ("de\ufb01ne it", "ine", "\ufb01ne"),
    # n -> 1: a letter and its combining mark become one character
    ("Jose\u0301 Ruiz", "Jos\u00e9", "Jose\u0301"),
    # n -> 1: conjoining jamo become one Hangul syllable
    ("\u1100\u1161\u11a8 Kim", "\uac01", "\u1100\u1161\u11a8"),
]


@pytest.mark.parametrize(("original", "name", "covered"), SPANS, ids=[repr(o)[:30] for o, _, _ in SPANS])
def test_textview_span_maps_to_whole_original(original: str, name: str, covered: str) -> None:
    view = view_of(original)
    start = view.text.index(name)
    s, e = view.span(start, start + len(name))
    assert original[s:e] == covered


def test_textview_removed_lists_tags_and_invisibles() -> None:
    original = "a<b>c\u200bd"
    view = view_of(original)
    assert view.text == "acd"
    tag, zw = original.index("<b>"), original.index("\u200b")
    assert view.removed() == [(tag, tag + 3), (zw, zw + 1)]


def test_textview_link_attribute_stays_visible() -> None:
    original = '<a href="https://example.org/p">Ann</a>'
    view = view_of(original)
    assert "https://example.org/p" in view.text
    start = view.text.index("https")
    s, e = view.span(start, start + len("https://example.org/p"))
    assert original[s:e].startswith("<a href=") and "https://example.org/p" in original[s:e]


def test_textview_repr_has_no_text() -> None:
    assert "Lavrov" not in repr(view_of("<b>Lavrov</b>"))


def test_textview_linear_time_on_markup_soup() -> None:
    import time

    def run(n: int) -> float:
        text = ("<b" * n)[: 2 * n] + ("[a" * n) + ("&#1" * n) + ("*a" * n) + ("\u200ba" * n)
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            view_of(text)
            best = min(best, time.process_time() - t0)
        return best

    small, large = run(2_000), run(16_000)
    assert large < 16 * small + 0.05, (small, large)
