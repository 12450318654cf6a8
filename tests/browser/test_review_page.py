"""The review page in a real browser against a real ``veil serve``.

Headless Chromium from Debian's packages (``scripts/install-browser.sh``) driven by
Playwright; ``playwright install`` is never used. Skipped only when Chromium is absent
and not in CI (``CI=true`` makes a missing browser a failure).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"


def _example_text() -> str:
    # The bundled example once it exists; until then an invented story of the same kind.
    for path in (ROOT / "examples" / "wire-story.txt", Path(__file__).with_name("wire-story-fixture.txt")):
        if path.exists():
            return path.read_text("utf-8")
    raise FileNotFoundError("no example text")


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: run scripts/install-browser.sh first")
    pytest.skip("Chromium is not installed at /usr/bin/chromium (run scripts/install-browser.sh); not in CI")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    _require_chromium()
    token = secrets.token_urlsafe(24)
    token_file = tmp_path_factory.mktemp("serve") / "token"
    token_file.write_text(token)
    port = _free_port()
    log_path = tmp_path_factory.mktemp("serve") / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "veil.cli", "serve", "--port", str(port), "--token-file", str(token_file)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if k != "VEIL_TOKEN"},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"veil serve exited early: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(base + "/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("veil serve did not become ready within 120 s")
            time.sleep(0.2)
        yield {"base": base, "token": token, "log": log_path}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _wait_until(page: Any, expression: str, arg: object = None, timeout: float = 60) -> None:
    # Not page.wait_for_function: it evaluates strings with eval(), which the page's
    # Content-Security-Policy forbids (and should). page.evaluate is not subject to CSP.
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out waiting for {expression}; status: {page.text_content('#status')!r}"
            )
        time.sleep(0.05)


def _marks(page: Any) -> list[dict[str, Any]]:
    marks: list[dict[str, Any]] = page.eval_on_selector_all(
        "#doc mark.ent",
        "els => els.map(e => ({entity: e.dataset.entity, label: e.dataset.label, text: e.textContent,"
        " linked: e.classList.contains('linked')}))",
    )
    return marks


def test_review_page_end_to_end(server: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    text = _example_text()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server["base"] + "/")

    # The server needs a token: the page asks for it.
    page.wait_for_selector("#token", state="visible")
    page.fill("#token", server["token"])
    page.press("#token", "Tab")
    _wait_until(page, "() => document.querySelector('#operator').options.length > 1")

    page.fill("#text", text)
    page.click("#find")
    page.wait_for_selector("#doc mark.ent")
    marks = _marks(page)
    assert marks, "no entity highlighted"

    # Every highlight is exactly the text at its mention: compare with the API's offsets.
    api = httpx.post(
        server["base"] + "/v1/detect",
        json={"text": text},
        headers={"Authorization": f"Bearer {server['token']}"},
        timeout=60,
    ).json()
    expected_marks = [text[m["start"] : m["end"]] for e in api["entities"] for m in e["mentions"]]
    assert sorted(m["text"] for m in marks) == sorted(expected_marks)

    # The person with most mentions: hovering one mention lights up all of them, and only them.
    persons = [e for e in api["entities"] if e["label"] == "PERSON"]
    assert persons, "the example should contain a person"
    linked_entity = max(persons, key=lambda e: len(e["mentions"]))
    assert len(linked_entity["mentions"]) >= 2, "the example should mention a person more than once"
    n_mentions = len(linked_entity["mentions"])
    page_ids = [m["entity"] for m in marks]
    by_id = {eid: [m for m in marks if m["entity"] == eid] for eid in page_ids}
    target_id = next(eid for eid, ms in by_id.items() if len(ms) == n_mentions and ms[0]["label"] == "PERSON")
    page.hover(f'#doc mark.ent[data-entity="{target_id}"] >> nth=-1')
    after = _marks(page)
    assert [m["linked"] for m in after] == [m["entity"] == target_id for m in after]

    # Keyboard: focus the first mention, Enter moves to its entry in the list.
    page.focus(f'#doc mark.ent[data-entity="{target_id}"] >> nth=0')
    assert all(m["linked"] for m in _marks(page) if m["entity"] == target_id)
    page.keyboard.press("Enter")
    focused = page.evaluate(
        "document.activeElement.closest('li') && document.activeElement.closest('li').dataset.entity"
    )
    assert focused == target_id

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    if os.environ.get("VEIL_UPDATE_DOCS_SCREENSHOT") == "1":
        (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
        page.locator("#review").screenshot(path=str(ROOT / "docs" / "img" / "review.png"))

    # Unmask another person (a false positive, say): all its mentions stay in the text.
    other = next(e for e in persons if e["id"] != linked_entity["id"])
    other_text = text[
        other["mentions"][other["canonical"]]["start"] : other["mentions"][other["canonical"]]["end"]
    ]
    page.click(f'#entities li[data-entity="{other["id"]}"] button')
    _wait_until(
        page,
        "name => ![...document.querySelectorAll('#doc mark.ent')].some(m => m.textContent === name)",
        other_text,
    )
    assert page.locator("#lists li").count() == 1

    # Mark a missed string: a word of the text that is not highlighted.
    highlighted = {m["text"] for m in _marks(page)}
    missed = next(
        w
        for w in (x.strip(".,\"'()") for x in text.split())
        if len(w) > 6 and w.istitle() and all(w not in h for h in highlighted) and w not in other_text
    )
    page.fill("#deny-input", missed)
    page.press("#deny-input", "Enter")
    _wait_until(
        page,
        "w => [...document.querySelectorAll('#doc mark.ent')].some(m => m.textContent.toLowerCase() === w.toLowerCase())",
        missed,
    )

    # Mask, audit, then download the text and the report.
    page.click("#redact")
    page.wait_for_selector("#masked:not([hidden])")
    page.click("#audit")
    page.wait_for_selector("#findings-box:not([hidden])")
    with page.expect_download() as info:
        page.click("#download-text")
    downloaded = Path(info.value.path()).read_text("utf-8")
    with page.expect_download() as info:
        page.click("#download-report")
    report = json.loads(Path(info.value.path()).read_text("utf-8"))

    expected = httpx.post(
        server["base"] + "/v1/redact",
        json={"text": text, "allow": [other_text], "deny": [missed], "audit": True},
        headers={"Authorization": f"Bearer {server['token']}"},
        timeout=60,
    ).json()
    assert downloaded == expected["text"]
    assert downloaded.count(other_text) == text.count(other_text)
    assert missed.lower() not in downloaded.lower()
    for m in linked_entity["mentions"]:
        assert text[m["start"] : m["end"]] not in downloaded
    assert report["mention_count"] == expected["report"]["mention_count"]
    assert report["options"] == {"allow": [other_text], "deny": [missed]}
    assert report["audit"] == expected["audit"]
    # The findings are drawn on the masked text without changing it.
    assert page.text_content("#masked") == downloaded
    assert page.locator("#findings li").count() == len(expected["audit"]["findings"])

    # Narrow screen: nothing overflows sideways.
    page.set_viewport_size({"width": 360, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(ARTIFACTS / "review-narrow.png"), full_page=True)

    assert errors == []
    context.close()

    # The server log has the requests but none of the text.
    log = server["log"].read_text("utf-8")
    assert "/v1/detect" in log
    for m in linked_entity["mentions"]:
        assert text[m["start"] : m["end"]] not in log


def test_review_page_find_right_after_typing_token(server: dict[str, Any], browser: Any) -> None:
    """Issue 10: typing the token and then clicking "Find entities" must find the entities.
    The click blurs the token field, whose change handler connects first; the click used to
    be dropped while it did, leaving only "Connected."."""
    text = _example_text()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server["base"] + "/")
    page.wait_for_selector("#token", state="visible")
    page.fill("#text", text)
    page.fill("#token", server["token"])
    page.click("#find")  # no wait for the connection
    _wait_until(page, "() => document.querySelector('#doc mark.ent') !== null", timeout=30)
    _wait_until(page, "() => !document.body.hasAttribute('aria-busy')")
    assert page.text_content("#status").startswith("Found ")
    assert errors == []
    context.close()
