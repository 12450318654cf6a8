"""A fast, deterministic stand-in for the model: capitalised words are PERSONs.

Used by the corpus tests (in process and in killed subprocesses) so they need no spaCy
model and no operator module: ``register()`` adds a ``fake_tag.v1`` operator that writes
``<LABEL_number>``.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from veil import registry
from veil.config import Policy, from_dict
from veil.model import Document, Label, Span
from veil.protocols import Target

_WORD = re.compile(r"\b[A-Z][a-z]+\b")


class CapsDetector:
    name: ClassVar[str] = "caps"

    def __init__(self, delay: float = 0.0, fail_on: str | None = None) -> None:
        self.delay = delay
        self.fail_on = fail_on

    def detect(self, doc: Document) -> Iterable[Span]:
        if self.delay:
            time.sleep(self.delay)
        if self.fail_on is not None and self.fail_on in doc.text:
            raise RuntimeError("injected failure")
        return [Span(m.start(), m.end(), Label.PERSON, "caps") for m in _WORD.finditer(doc.text)]


class FakeTag:
    name: ClassVar[str] = "fake_tag"

    def __init__(self, **options: object) -> None:
        pass

    def apply(self, target: Target) -> str:
        return f"<{target.label.value}_{target.number}>"


def register() -> None:
    if "fake_tag.v1" not in registry.names("veil.operators"):
        registry.register("veil.operators", "fake_tag.v1", FakeTag)


def policy() -> Policy:
    register()
    return from_dict(
        {
            "labels": ["PERSON"],
            "default_operator": "fake_tag",
            "ner": {"enabled": False},
            "detectors": {"enabled": []},
        }
    )


def batch(src: Path, out: Path, **options: Any) -> Any:
    """``run_batch`` with this module's policy and detector, no progress bar."""
    from veil.corpus import run_batch

    options.setdefault("progress", False)
    return run_batch(src, out, policy=policy(), detectors=[CapsDetector()], **options)


#: What :func:`mixed_folder` writes besides the documents: a file no format reads and a corrupt one.
UNSUPPORTED = "photo.png"
CORRUPT = "broken.docx"


def mixed_folder(root: Path, name: str = "Zebulon") -> dict[str, bytes]:
    """A folder of every document format (small generated files), an unsupported image and
    a corrupt DOCX; each document names ``name`` and Ada. Returns what was written."""
    import io
    from email.message import EmailMessage

    import docx
    import fpdf

    mail = EmailMessage()
    mail["From"] = f"{name} Quill <zq@example.org>"
    mail["To"] = "Ada <desk@example.org>"
    mail["Subject"] = f"Notes from {name}"
    mail.set_content(f"Dear Ada,\n{name} will call you.\n", cte="quoted-printable")
    word = docx.Document()
    word.add_paragraph(f"Memo: Ada met {name}.")
    buf = io.BytesIO()
    word.save(buf)
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, f"Statement: Ada saw {name} leave.")
    files = {
        "notes.txt": f"Hi Ada, from {name}.\n".encode(),
        "readme.md": f"# notes\n\nAda met **{name}** ([mail](mailto:zq@example.org)).\n".encode(),
        "site/page.html": f'<p>Ada wrote to {name}.</p><img alt="{name} smiling" src="z.png">\n'.encode(),
        "site/mail.eml": mail.as_bytes(),
        "memo.docx": buf.getvalue(),
        "report.pdf": bytes(pdf.output()),
        UNSUPPORTED: b"\x89PNG\r\n\x1a\n" + name.encode() + b"\x00\x00",
        CORRUPT: b"PK\x03\x04 not a zip " + name.encode(),
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


def main(argv: list[str]) -> None:
    """Subprocess entry: ``fake.py SOURCE OUTPUT [VAULT] WORKERS DELAY``."""
    from veil.corpus import run_batch

    source, output, vault, workers, delay = argv
    run_batch(
        source,
        output,
        policy=policy(),
        detectors=[CapsDetector(delay=float(delay))],
        vault=vault or None,
        workers=int(workers),
        shard_size=10,
        progress=False,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
