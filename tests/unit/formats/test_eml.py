from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from veil.errors import InputError
from veil.formats import redact_document
from veil.formats.eml import EmlFormat


def _message() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Osric Penhaligon <o.p@example.org>"
    msg["To"] = "Mira Castellanos <desk@example.org>, Riley <t@example.org>"
    msg["Subject"] = "Statement from Tom Riley"
    msg.set_content("Dear Mira,\nPenhaligon will call Castellanos tomorrow.\n", cte="quoted-printable")
    msg.add_alternative("<p>Dear <b>Mira</b>, Penhaligon will call.</p>", subtype="html", cte="base64")
    msg.add_attachment(
        b"Notes: Anneliese Vogt met Riley.", maintype="text", subtype="plain", filename="notes.txt"
    )
    return msg.as_bytes()


def test_eml_headers_bodies_and_attachments_are_masked(names_pipeline) -> None:
    out = redact_document(_message(), EmlFormat(), names_pipeline, doc_id="m").data
    parsed = message_from_bytes(out, policy=policy.default)
    seen = [str(parsed[h]) for h in ("From", "To", "Subject")]
    for part in parsed.walk():
        if not part.is_multipart():
            content = part.get_content()
            seen.append(content if isinstance(content, str) else content.decode())
    text = "\n".join(seen)
    for name in ("Osric", "Penhaligon", "Mira", "Castellanos", "Tom", "Riley", "Anneliese", "Vogt"):
        assert name not in text
    assert "o.p@example.org" in text  # EMAIL is not protected by this policy
    assert not any(p.defects for p in parsed.walk())


def test_eml_base64_html_part_is_decoded_before_detection(names_pipeline) -> None:
    raw = _message()
    assert b"Dear <b>Mira</b>" not in raw  # the HTML part is base64: invisible to a text search
    out = redact_document(raw, EmlFormat(), names_pipeline, doc_id="m").data
    html_part = next(
        p
        for p in message_from_bytes(out, policy=policy.default).walk()
        if p.get_content_type() == "text/html"
    )
    assert "Mira" not in html_part.get_content() and "<b>[PERSON_" in html_part.get_content()


def test_eml_name_inside_an_address_is_masked_in_a_valid_header(names_pipeline) -> None:
    msg = EmailMessage()
    msg["From"] = "Mira Castellanos <mira@example.org>"
    msg.set_content("Regards, Mira")
    # The name inside the address is masked too (issue 12, item 7); the header keeps a
    # valid placeholder address, and verification finds no "mira" anywhere.
    out = redact_document(msg.as_bytes(), EmlFormat(), names_pipeline, doc_id="m").data
    parsed = message_from_bytes(out, policy=policy.default)
    assert "mira" not in out.decode().casefold()
    assert parsed["From"].addresses[0].addr_spec.endswith("@redacted.invalid")


def test_eml_masked_address_becomes_a_valid_placeholder_address() -> None:
    from email.headerregistry import Address

    from veil.config import from_dict
    from veil.pipeline import Pipeline

    policy_ = from_dict(
        {
            "labels": ["EMAIL"],
            "default_operator": "tag",
            "ner": {"enabled": False},
            "detectors": {"enabled": ["patterns"]},
        }
    )
    msg = EmailMessage()
    msg["From"] = "Desk <desk@example.org>"
    msg.set_content("Write to desk@example.org.")
    out = redact_document(msg.as_bytes(), EmlFormat(), Pipeline(policy_), doc_id="m").data
    parsed = message_from_bytes(out, policy=policy.default)
    sender = parsed["From"].addresses[0]
    assert isinstance(sender, Address) and sender.domain == "redacted.invalid"
    assert b"desk@example.org" not in out


def test_eml_unsupported_attachment_is_refused(names_pipeline) -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg.set_content("hello")
    msg.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="face.png")
    with pytest.raises(InputError, match="image/png"):
        redact_document(msg.as_bytes(), EmlFormat(), names_pipeline, doc_id="m")


def test_eml_text_without_headers_is_an_input_error() -> None:
    with pytest.raises(InputError):
        EmlFormat().segments(b"")
