"""``veil batch DIR`` on a mixed folder (issue 14): every document format, in its own bytes."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import fake
import pytest
from click.testing import CliRunner

from veil.cli import cli
from veil.corpus import run_batch
from veil.corpus._dir import UNSUPPORTED, WITHHELD
from veil.errors import InputError
from veil.formats import VerificationError, format_for_name, redact_document
from veil.pipeline import Pipeline

pytest.importorskip("docx")
pytest.importorskip("fpdf")

SECRET = "Zebulon"
DOCUMENTS = ("notes.txt", "readme.md", "site/page.html", "site/mail.eml", "memo.docx", "report.pdf")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _visible(rel: str, data: bytes) -> str:
    fmt = format_for_name(rel)
    if fmt is None:
        raise AssertionError(rel)
    return "\n".join(fmt.layers(data))


def test_run_batch_mixed_folder_writes_each_document_in_its_own_format(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    files = fake.mixed_folder(src, SECRET)
    summary = fake.batch(src, out, on_error="skip", shard_size=3)

    written = _tree(out)
    assert sorted(written) == sorted(DOCUMENTS)
    pipe = Pipeline(fake.policy(), detectors=[fake.CapsDetector()])
    for rel in DOCUMENTS:
        fmt = format_for_name(rel)
        assert fmt is not None
        if fmt.name == "text":  # the text path, as `veil redact` writes a .txt
            expected = pipe.redact(files[rel].decode("utf-8"), rel).text.encode("utf-8")
        else:  # one file redacted alone: the same bytes, since numbers are per file without a vault
            expected = redact_document(files[rel], fmt, pipe, doc_id=rel).data
        assert written[rel] == expected, rel
        assert SECRET.casefold() not in _visible(rel, written[rel]).casefold(), rel
    assert (summary.documents, summary.written) == (len(files), len(DOCUMENTS))
    reasons = {e["position"]: e["reason"] for e in summary.skipped}
    assert reasons[fake.UNSUPPORTED] == UNSUPPORTED
    assert "zip" in reasons[fake.CORRUPT]
    assert sorted(reasons) == sorted([fake.UNSUPPORTED, fake.CORRUPT])
    report = json.loads((tmp_path / "out.report.json").read_text("utf-8"))
    assert report["documents"] == len(files)
    assert SECRET not in json.dumps(report)


def test_run_batch_mixed_folder_vault_numbers_span_every_format(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    fake.mixed_folder(src, SECRET)
    fake.batch(src, out, on_error="skip", vault=tmp_path / "v.vault")
    text = (out / "notes.txt").read_text("utf-8")
    tag = re.findall(r"<PERSON_\d+>", text[text.index("from") :])[0]  # the secret's pseudonym
    docx_xml = zipfile.ZipFile(io.BytesIO((out / "memo.docx").read_bytes())).read("word/document.xml")
    seen = {
        "readme.md": (out / "readme.md").read_text("utf-8"),
        "site/page.html": (out / "site/page.html").read_text("utf-8"),
        "site/mail.eml": (out / "site/mail.eml").read_text("utf-8"),
        "memo.docx": docx_xml.decode("utf-8").replace("&lt;", "<").replace("&gt;", ">"),
    }
    for rel, shown in seen.items():
        assert tag in html.unescape(shown), rel  # HTML and Markdown escape the operator's "<"


def test_run_batch_unsupported_file_with_fail_stops_before_any_work(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    fake.mixed_folder(src, SECRET)
    with pytest.raises(InputError) as info:
        fake.batch(src, out)
    assert fake.UNSUPPORTED in info.value.message
    assert "never copied" in info.value.message
    assert not out.exists()
    assert not (tmp_path / "out.veil-work" / "manifest.sqlite").exists()


def _failing_folder(src: Path) -> dict[str, bytes]:
    import docx

    word = docx.Document()
    word.add_paragraph("Boom, said Ada.")
    buf = io.BytesIO()
    word.save(buf)
    files = {
        "boom.docx": buf.getvalue(),  # the detector crashes on it
        "boom.txt": b"Boom, said Ada.\n",
        # A link target keeps the name the text masks: verification refuses the page.
        "leak.html": f'<p><a href="/people/{SECRET}">{SECRET}</a> wrote.</p>\n'.encode(),
        "ok.md": b"# notes\n\nAda wrote.\n",
    }
    for rel, data in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    return files


def _batch_failing(src: Path, out: Path, on_error: str) -> object:
    return run_batch(
        src,
        out,
        policy=fake.policy(),
        detectors=[fake.CapsDetector(fail_on="Boom")],
        on_error=on_error,
        progress=False,
    )


def test_run_batch_document_failures_follow_on_error_mask(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    _failing_folder(src)
    summary = _batch_failing(src, out, "mask")
    written = _tree(out)
    assert written["boom.docx"] == WITHHELD
    assert written["leak.html"] == WITHHELD
    assert written["boom.txt"] == WITHHELD  # what `veil redact --on-error mask` writes for a file
    assert b"Ada" not in written["ok.md"]
    masked = {e["position"]: e["reason"] for e in summary.masked}  # type: ignore[attr-defined]
    assert sorted(masked) == ["boom.docx", "boom.txt", "leak.html"]
    assert masked["leak.html"].startswith("VerificationError")
    assert not summary.skipped  # type: ignore[attr-defined]


def test_run_batch_document_failures_follow_on_error_skip(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    _failing_folder(src)
    summary = _batch_failing(src, out, "skip")
    assert sorted(_tree(out)) == ["ok.md"]
    assert sorted(e["position"] for e in summary.skipped) == ["boom.docx", "boom.txt", "leak.html"]  # type: ignore[attr-defined]


def test_run_batch_verification_failure_with_fail_writes_nothing(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    _failing_folder(src)
    for rel in ("boom.docx", "boom.txt"):
        (src / rel).unlink()
    with pytest.raises(VerificationError) as info:
        _batch_failing(src, out, "fail")
    assert info.value.exit_code == 4
    assert SECRET not in str(info.value)
    assert not (out / "leak.html").exists()


def test_batch_cmd_mixed_folder_prints_a_line_per_skipped_file(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    files = fake.mixed_folder(src, SECRET)
    fake.register()
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'labels = ["EMAIL"]\ndefault_operator = "fake_tag"\n[ner]\nenabled = false\n'
        '[detectors]\nenabled = ["patterns"]\n',
        encoding="utf-8",
    )
    args = ["batch", str(src), "-o", str(out), "--policy", str(policy), "--on-error", "skip"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 7, result.output
    lines = result.output.splitlines()
    assert f"veil batch: skipped {fake.UNSUPPORTED}: {UNSUPPORTED}" in lines
    assert any(line.startswith(f"veil batch: skipped {fake.CORRUPT}: ") for line in lines)
    assert f"{len(files)} documents ({len(files) - 2} written, 2 skipped, 0 masked)" in result.output
    assert SECRET not in result.output
    assert b"zq@example.org" not in (out / "site/mail.eml").read_bytes()


def test_run_batch_mixed_folder_workers_write_what_one_process_writes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    fake.mixed_folder(src, SECRET)
    fake.batch(src, tmp_path / "one", on_error="skip", shard_size=2, vault=tmp_path / "one.vault")
    fake.batch(src, tmp_path / "two", on_error="skip", shard_size=2, vault=tmp_path / "two.vault", workers=2)
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")
