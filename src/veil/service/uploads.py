"""Uploaded documents: which format an upload is in, and the name it is sent back under.

The format of an upload is, in this order: the request's explicit ``format`` field; the
extension of the uploaded file name; its part's content type. When the extension and a
specific content type name *different* formats the upload is refused (a mislabelled file
is not guessed at); ``text/plain`` and ``application/octet-stream`` are taken as generic
and never contradict an extension. Whether the bytes really are in the chosen format is
for the format's reader to say (an ``InputError``, 422).

The uploaded file name is used for its extension only. It never reaches a log, an error,
a job or the response: the redacted document is sent back as ``redacted.<ext>``, with the
chosen format's own extension, because a file name is often a person's name
(``statement-tom-riley.pdf``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import formats
from ..errors import ConfigError, InputError
from ..suggest import closest

__all__ = ["GENERIC_TYPES", "Chosen", "choose_format", "format_names", "upload_media_types"]

#: Content types that say nothing about the format.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "text/plain"})

_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,16}")

#: The content type each built-in format is sent back with.
_MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "eml": "message/rfc822",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True, slots=True)
class Chosen:
    """The format an upload is read in, and how its redacted copy is sent back."""

    name: str
    media_type: str
    download_name: str


def upload_media_types() -> list[str]:
    """The content types a redacted document may be sent back with (for the schema)."""
    return sorted(set(_MEDIA_TYPES.values()))


def format_names() -> list[str]:
    """The unversioned names of the registered formats (``docx``, ``pdf``, ...)."""
    return sorted({n.rsplit(".v", 1)[0] for n in formats.names()})


def _explicit(value: str) -> str:
    valid = format_names()
    wanted = value.strip().lower()
    if wanted in valid:
        return wanted
    if wanted in formats.names():  # a versioned name (docx.v1)
        return wanted.rsplit(".v", 1)[0]
    # The closest valid name, never the value sent.
    guess = closest(wanted, valid)
    hint = f" (did you mean {guess!r}?)" if guess is not None else ""
    raise ConfigError(f"format: unknown format{hint}; valid formats: {', '.join(valid)}")


def _unsupported() -> StarletteHTTPException:
    return StarletteHTTPException(
        415,
        "the upload's format is not supported: send a file named with one of "
        f"{', '.join(formats.suffixes())}, a content type of one of them, or the format field",
    )


def choose_format(filename: str | None, content_type: str | None, explicit: str | None) -> Chosen:
    """The format of an upload. Raises :class:`ConfigError` (400) for an unknown explicit
    format, :class:`InputError` (422) when the extension and the content type disagree, and
    a 415 when nothing names a supported format."""
    if explicit is not None and explicit.strip():
        return _chosen(_explicit(explicit))
    suffix = PurePosixPath((filename or "").replace("\\", "/")).suffix.lower()
    by_name = formats.format_for_name(f"x{suffix}") if suffix else None
    media = (content_type or "").split(";")[0].strip().lower()
    by_type = None if media in GENERIC_TYPES else formats.format_for_type(media)
    if by_type is None and media not in GENERIC_TYPES and by_name is None:
        raise _unsupported()
    if by_name is not None and by_type is not None and by_name.name != by_type.name:
        raise InputError(
            f"the file name's extension says {by_name.name} but the content type says {by_type.name}; "
            "send the format field to choose"
        )
    found = by_name or by_type
    if found is None:
        if media == "text/plain":
            return _chosen("text")
        raise _unsupported()
    return _chosen(found.name)


def _chosen(name: str) -> Chosen:
    fmt = formats.get_format(name)
    # A third-party format's suffix goes into a header: letters, digits and dots only.
    suffix = next((x for x in fmt.suffixes if _SAFE_SUFFIX.fullmatch(x)), ".bin")
    return Chosen(fmt.name, _MEDIA_TYPES.get(fmt.name, "application/octet-stream"), f"redacted{suffix}")
