from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import pytest

from veil.formats import VerificationError, redact_document
from veil.formats._segments import Edit, Segment, plain
from veil.formats.text import TextFormat


class _Forgetful(TextFormat):
    """A broken writer: it drops every edit. Verification must catch it."""

    name: ClassVar[str] = "forgetful"

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        return data


class _Fields:
    """Two segments: an author field and a body."""

    name: ClassVar[str] = "fields"
    suffixes: ClassVar[tuple[str, ...]] = ()

    def segments(self, data: bytes) -> list[Segment]:
        author, body = data.decode().split("|", 1)
        return [Segment(author, plain(author).pieces, "author", "person"), plain(body, len(author) + 1)]

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        from veil.formats._segments import apply_to_source

        return apply_to_source(data.decode(), segments, edits).encode()

    def layers(self, data: bytes) -> list[str]:
        return [data.decode()]


def test_core_verification_refuses_output_that_still_holds_a_masked_string(pipeline) -> None:
    with pytest.raises(VerificationError) as err:
        redact_document(b"Osric Penhaligon wrote.", _Forgetful(), pipeline, doc_id="d")
    assert err.value.exit_code == 4
    assert "Osric" not in str(err.value) and "Penhaligon" not in str(err.value)


def test_core_resolution_links_across_segments(pipeline) -> None:
    out = redact_document(b"Osric Penhaligon|Later, Penhaligon signed.", _Fields(), pipeline, doc_id="d")
    author, body = out.data.decode().split("|")
    assert author == "[PERSON_1]" and body == "Later, [PERSON_1] signed."


def test_core_person_field_missed_by_detection_is_masked_whole(pipeline) -> None:
    out = redact_document(b"Zbigniew Quist|Nothing here.", _Fields(), pipeline, doc_id="d")
    assert out.data.decode() == "[PERSON]|Nothing here."


def test_core_person_field_mask_is_verified_in_the_body(pipeline) -> None:
    with pytest.raises(VerificationError):
        redact_document(b"Zbigniew Quist|Zbigniew Quist signed.", _Fields(), pipeline, doc_id="d")


@pytest.mark.parametrize(
    ("layer", "original", "hits"),
    [
        ("The [P_1] lodge met. Grand lodge.", "The Lodge lodge met. Grand lodge.", 0),
        ("The [P_1] met LODGE officials.", "The Lodge met lodge officials.", 1),
        ("Write to rose@example.org", "Rose wrote from rose@example.org", 1),
        ("Write to [P_1]", "Rose wrote", 0),
    ],
    ids=["lower-case-ordinary-word", "upper-case-counts", "inside-an-address-counts", "masked"],
)
def test_core_leaks_counts_what_a_reader_would_take_for_the_name(
    layer: str, original: str, hits: int
) -> None:
    from veil.formats._core import leaks

    masked = {"lodge"} if "odge" in original else {"rose"}
    assert leaks([layer], masked, original) == hits
