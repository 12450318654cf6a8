from __future__ import annotations

from veil.formats import redact_document
from veil.formats.markdown import MarkdownFormat

DOC = """# Meeting notes

Attendees: **Osric Penhaligon**, _Mira Castellanos_ and La**vr**ov's deputy.

- [Tom Riley](mailto:tom.riley@example.org) sends the `Vogt` file
- see [the report](https://example.org/report) by Anneliese Vogt

> Penhaligon: agreed.

```
owner = "Castellanos"
```
"""


def _redact(pipeline, doc: str = DOC) -> str:
    return redact_document(doc.encode(), MarkdownFormat(), pipeline, doc_id="md").data.decode()


def test_markdown_syntax_survives(pipeline) -> None:
    out = _redact(pipeline)
    assert out.startswith("# Meeting notes\n")
    assert "**[PERSON_" in out and "_[PERSON_" in out
    assert "](https://example.org/report)" in out
    assert "\n> " in out and "\n```\n" in out


def test_markdown_names_in_text_code_and_quotes_are_masked(pipeline) -> None:
    out = _redact(pipeline)
    for name in ("Osric", "Penhaligon", "Mira", "Castellanos", "Tom", "Riley", "Anneliese", "Vogt"):
        assert name not in out


def test_markdown_mailto_link_target_is_detected(pipeline) -> None:
    # The address is its own segment; here PERSON is protected, so only name words inside it go.
    out = _redact(pipeline, "Write to [me](mailto:Riley@example.org) or Tom Riley.\n")
    assert "Riley" not in out
    assert out.startswith("Write to [me](mailto:")


def test_markdown_name_split_by_emphasis_is_one_name(pipeline) -> None:
    out = _redact(pipeline, "Sergey La**vr**ov arrived.\n")
    assert "vr" not in out and "Sergey" not in out
