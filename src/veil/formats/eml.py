"""E-mail messages (RFC 5322 ``.eml``) redacted part by part, and still valid mail.

* Headers: the display names and addresses of From, To, Cc, Bcc, Reply-To, Sender and
  the other address headers, and the Subject, decoded from RFC 2047 first. The display
  name of an address header is a person field: it is masked whole if detection missed it.
* Bodies: every ``text/plain`` and ``text/html`` part, decoded from quoted-printable or
  base64 and from its charset; HTML parts go through the HTML format.
* Attachments of a supported format (by file name or content type) are redacted in the
  same pass, recursively (a forwarded ``message/rfc822`` included). An attachment Veil
  cannot read is an error: it cannot be checked, so the message is not written.

Rewritten parts are UTF-8, in the transfer encoding they had (7bit becomes 8bit or
quoted-printable as needed); every other header and part is kept as it was.
"""

from __future__ import annotations

import base64
import quopri
from collections.abc import Callable, Iterator, Sequence
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from typing import ClassVar

from ..errors import InputError
from ._segments import Edit, Segment, apply_to_source, plain

ADDRESS_HEADERS = (
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "sender",
    "return-path",
    "delivered-to",
    "x-original-to",
    "disposition-notification-to",
    "resent-from",
    "resent-to",
    "resent-cc",
)
TEXT_HEADERS = ("subject", "thread-topic", "comments", "keywords")


def _parse(data: bytes) -> EmailMessage:
    if not data.strip():
        raise InputError("e-mail message is empty")
    msg = message_from_bytes(data, policy=policy.default)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise InputError("not an e-mail message (no headers); check the extension or --format")
    return msg


def _child_format(part: Message) -> object | None:
    from . import format_for_name, format_for_type

    fmt = format_for_type(part.get_content_type())
    name = part.get_filename()
    if fmt is None and name:
        fmt = format_for_name(name)
    return fmt


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, ValueError) as exc:
        raise InputError(f"an e-mail part cannot be decoded ({type(exc).__name__})") from None
    return content if isinstance(content, str) else content.decode("utf-8", errors="strict")


def _bytes_of(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raise InputError("an e-mail attachment cannot be decoded")
    return payload


class _Walk:
    """Visits the headers and leaf parts of a message in a fixed order."""

    def __init__(self, msg: EmailMessage) -> None:
        self.msg = msg

    def fields(self) -> Iterator[tuple[Message, int, str, str]]:
        """(message, header index, header name, decoded value) for redacted headers."""
        for holder in self._messages(self.msg):
            for i, (name, value) in enumerate(holder.items()):
                low = name.lower()
                if low in ADDRESS_HEADERS or low in TEXT_HEADERS:
                    yield holder, i, low, str(value)

    def _messages(self, msg: Message) -> Iterator[Message]:
        yield msg
        for part in msg.walk():
            if part is not msg and part.get_content_type() == "message/rfc822":
                inner = part.get_payload()
                for sub in inner if isinstance(inner, list) else [inner]:
                    if isinstance(sub, Message):
                        yield from self._messages(sub)

    def leaves(self) -> Iterator[Message]:
        for part in self.msg.walk():
            if part.is_multipart() or part.get_content_type() == "message/rfc822":
                continue
            yield part


def _leaf_kind(part: Message) -> str:
    ctype = part.get_content_type()
    attached = part.get_content_disposition() == "attachment"
    if ctype == "text/plain" and not attached:
        return "plain"
    if ctype == "text/html" and not attached:
        return "html"
    return "attachment"


def _addresses(name: str, value: str) -> list[Address]:
    if name not in ADDRESS_HEADERS:
        return []
    try:
        parsed = policy.default.header_factory(name, value)
        return list(parsed.addresses)  # type: ignore[attr-defined]
    except (AttributeError, ValueError, IndexError, TypeError):
        return []


def _header_segments(name: str, value: str) -> list[Segment]:
    """An address header is one segment per display name (a person field) and per
    address; any other header (or one that does not parse) is one segment."""
    addrs = _addresses(name, value)
    if not addrs:
        return [plain(value, kind="header")]
    out = []
    for i, addr in enumerate(addrs):
        out.append(plain(addr.display_name, where=(i, "name"), kind="person"))
        out.append(plain(addr.addr_spec, where=(i, "addr"), kind="address"))
    return out


def _placeholder_address(text: str) -> str:
    """A syntactically valid address standing for a masked one."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "redacted"
    return f"{slug[:60]}@redacted.invalid"


def _new_header(name: str, value: str, group: list[tuple[Segment, Sequence[Edit]]]) -> str:
    addrs = _addresses(name, value)
    if not addrs:
        segs = [s for s, _ in group]
        return apply_to_source(value, segs, [e for _, e in group])
    names = [a.display_name for a in addrs]
    specs = [a.addr_spec for a in addrs]
    for seg, edits in group:
        if not edits or not isinstance(seg.where, tuple):
            continue
        i, what = seg.where
        if what == "name":
            names[i] = apply_to_source(names[i], [seg], [edits])
        else:
            new = apply_to_source(specs[i], [seg], [edits])
            specs[i] = new if _valid_spec(new) else _placeholder_address(new)
    return ", ".join(str(Address(display_name=n, addr_spec=a)) for n, a in zip(names, specs, strict=True))


def _valid_spec(spec: str) -> bool:
    try:
        Address(addr_spec=spec)
    except (ValueError, IndexError, TypeError):
        return False
    return True


class EmlFormat:
    """E-mail messages (``.eml``)."""

    name: ClassVar[str] = "eml"
    suffixes: ClassVar[tuple[str, ...]] = (".eml",)

    def segments(self, data: bytes) -> list[Segment]:
        out: list[Segment] = []
        walk = _Walk(_parse(data))
        for k, (_msg, _i, name, value) in enumerate(walk.fields()):
            for seg in _header_segments(name, value):
                out.append(_tag(seg, ("h", k)))
        for j, part in enumerate(walk.leaves()):
            out.extend(_tag(s, ("p", j)) for s in self._leaf_segments(part))
        return out

    def _leaf_segments(self, part: Message) -> list[Segment]:
        from . import html as _html

        kind = _leaf_kind(part)
        if kind == "plain":
            return [plain(_text_of(part))]
        if kind == "html":
            return _html.scan(_text_of(part))
        fmt = _child_format(part)
        if fmt is None:
            raise InputError(
                f"attachment of type {part.get_content_type()} is not a format Veil can check; "
                "the message is not written"
            )
        return list(fmt.segments(_bytes_of(part)))  # type: ignore[attr-defined]

    def rebuild(self, data: bytes, segments: Sequence[Segment], edits: Sequence[Sequence[Edit]]) -> bytes:
        msg = _parse(data)
        walk = _Walk(msg)
        groups: dict[object, list[tuple[Segment, Sequence[Edit]]]] = {}
        for seg, seg_edits in zip(segments, edits, strict=True):
            key = seg.where[0] if isinstance(seg.where, tuple) else seg.where
            groups.setdefault(key, []).append((_untag(seg), seg_edits))
        for k, (holder, i, name, value) in enumerate(list(walk.fields())):
            group = groups.get(("h", k), [])
            if any(e for _, e in group):
                _set_header(holder, i, _new_header(name, value, group))
        for j, part in enumerate(list(walk.leaves())):
            group = groups.get(("p", j), [])
            if not any(e for _, e in group):
                continue
            self._rewrite_leaf(part, group)
        return msg.as_bytes(policy=policy.default)

    def _rewrite_leaf(self, part: Message, group: list[tuple[Segment, Sequence[Edit]]]) -> None:
        segs = [s for s, _ in group]
        edits = [e for _, e in group]
        kind = _leaf_kind(part)
        if kind in ("plain", "html"):
            _set_text(part, apply_to_source(_text_of(part), segs, edits))
            return
        fmt = _child_format(part)
        if fmt is None:  # pragma: no cover - segments() refused it already
            raise InputError("unsupported attachment")
        rebuild: Callable[..., bytes] = fmt.rebuild  # type: ignore[attr-defined]
        _set_bytes(part, rebuild(_bytes_of(part), segs, edits))

    def layers(self, data: bytes) -> list[str]:
        msg = _parse(data)
        walk = _Walk(msg)
        out = [value for _m, _i, _n, value in walk.fields()]
        for part in walk.leaves():
            kind = _leaf_kind(part)
            if kind in ("plain", "html"):
                from . import html as _html

                text = _text_of(part)
                out.extend(_html.HtmlFormat().layers(text.encode("utf-8")) if kind == "html" else [text])
            else:
                fmt = _child_format(part)
                if fmt is not None:
                    out.extend(fmt.layers(_bytes_of(part)))  # type: ignore[attr-defined]
        return out


def _tag(seg: Segment, where: object) -> Segment:
    return Segment(seg.text, seg.pieces, (where, seg.where), seg.kind)


def _untag(seg: Segment) -> Segment:
    where = seg.where[1] if isinstance(seg.where, tuple) else None
    return Segment(seg.text, seg.pieces, where, seg.kind)


def _set_header(holder: Message, index: int, value: str) -> None:
    items = holder.items()
    for name in {n for n, _ in items}:
        del holder[name]
    for i, (name, old) in enumerate(items):
        holder[name] = value if i == index else old


def _set_text(part: Message, text: str) -> None:
    cte = str(part.get("Content-Transfer-Encoding", "7bit")).lower()
    raw = text.encode("utf-8")
    if cte == "base64":
        body = base64.encodebytes(raw).decode("ascii")
    elif cte == "quoted-printable" or (cte in ("7bit", "") and not raw.isascii()):
        cte = "quoted-printable"
        body = quopri.encodestring(raw).decode("ascii")
    else:
        body = text
    del part["Content-Transfer-Encoding"]
    part["Content-Transfer-Encoding"] = cte
    part.set_param("charset", "utf-8")
    part.set_payload(body)


def _set_bytes(part: Message, data: bytes) -> None:
    del part["Content-Transfer-Encoding"]
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload(base64.encodebytes(data).decode("ascii"))
