from __future__ import annotations

import pytest

from veil.errors import InputError
from veil.formats import redact_document
from veil.formats.html import MAX_DEPTH, HtmlFormat

PAGE = (
    '<!doctype html><html><head><meta name="author" content="Osric Penhaligon">'
    "<title>Notes by Tom Riley</title>"
    '<script type="application/ld+json">{"author": {"name": "Mira Castellanos"}}</script>'
    "<script>var who = 'Anneliese Vogt';</script><style>p { color: red }</style></head>"
    '<body class="x"><p>Ser<b></b>gey Lav<i>rov</i> met <a href="mailto:tom@example.org" '
    'title="Write to Tom Riley">Tom Riley</a>.</p>'
    '<!-- reviewed by Penhaligon --><img alt="Castellanos at the door" src="a.png">'
    "<p>Penhaligon &amp; Vogt</p></body></html>"
)


def _redact(names_pipeline, page: str = PAGE) -> str:
    return redact_document(page.encode(), HtmlFormat(), names_pipeline, doc_id="p").data.decode()


@pytest.mark.parametrize(
    "name", ["Osric", "Penhaligon", "Tom", "Riley", "Mira", "Castellanos", "Anneliese", "Vogt"], ids=str
)
def test_html_every_place_a_name_lives_is_masked(names_pipeline, name: str) -> None:
    assert name not in _redact(names_pipeline)


def test_html_name_split_by_inline_tags_is_masked_and_tags_kept(names_pipeline) -> None:
    out = _redact(names_pipeline)
    assert "Ser" not in out.split("<body")[1].split("met")[0].replace("<b></b>", "")
    assert "<b></b>" in out and "<i></i>" in out


def test_html_markup_outside_text_is_byte_identical(names_pipeline) -> None:
    out = _redact(names_pipeline)
    for markup in ("<!doctype html>", '<body class="x">', "<style>p { color: red }</style>", 'src="a.png"'):
        assert markup in out
    # EMAIL is not protected by this policy, but a person's name inside an address is
    # (issue 12, item 7): the address keeps its shape with the name part masked.
    assert 'href="mailto:[PERSON_' in out and '@example.org"' in out and "tom@" not in out


def test_html_character_references_are_decoded_for_detection(names_pipeline) -> None:
    out = _redact(names_pipeline, "<p>Osric Pen&#104;aligon said</p>")
    assert "aligon" not in out and "&#104;" not in out


def test_html_nesting_beyond_the_limit_is_an_input_error() -> None:
    deep = "<div>" * (MAX_DEPTH + 1) + "x"
    with pytest.raises(InputError, match="nests deeper"):
        HtmlFormat().segments(deep.encode())


def test_html_undeclared_non_utf8_is_an_input_error() -> None:
    with pytest.raises(InputError, match="UTF-8"):
        HtmlFormat().segments("<p>Ren\xe9e</p>".encode("latin-1"))


@pytest.mark.parametrize(
    ("page", "must_not_contain"),
    [
        ("<p title='Tom Riley'>x</p>", "O'Brien"),
        ("<p>Tom Riley</p>", "<b>"),
        ("<script>var who = 'Tom Riley';</script>", "O'Brien"),
    ],
    ids=["attribute", "text", "script-string"],
)
def test_html_replacements_are_escaped_for_where_they_go(page: str, must_not_contain: str) -> None:
    from veil.formats._segments import Edit

    fmt = HtmlFormat()
    segs = fmt.segments(page.encode())
    edits = [[Edit(0, len(s.text), "O'Brien & <b>")] for s in segs]
    out = fmt.rebuild(page.encode(), segs, edits).decode()
    assert must_not_contain not in out
    if "script" not in page:  # the replacement reads back as text, not markup
        assert {s.text for s in fmt.segments(out.encode())} == {"O'Brien & <b>"}
