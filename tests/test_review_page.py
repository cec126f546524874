"""The review page at ``GET /``, in a real browser against the real server.

Debian's headless Chromium (Playwright drives it) opens the page served by the real server
(uvicorn on a loopback port, real Apertium, the project's glossary; Python's own sockets reach
nothing but loopback). Expected values come from the dossier, the glossary and
the server's own JSON response, never from the page's code: each highlighted span is checked
against the response's code-point offsets, sliced here in Python. A failing test leaves a
screenshot in its tmp dir and in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kp_translate.server.settings import ServerSettings

from browser import launch_chromium
from conftest import CORPUS_FR, PHASE_REPORTS, ROOT, running_server

#: a paragraph of the dossier with "Iouri Ouchakov" (and Moscou, Poutine)
USHAKOV_FILE = CORPUS_FR / "001_f667be46968b6bc2.txt"
#: a stored glossary that Apertium cannot satisfy: after "Le ministre" it writes "The minister",
#: the post-edit removes the forbidden "The" and the capitalised "Minister" is not the target
MINISTER_KPG = """\
[minister]
type: term
target: minister
source: ministre
forbidden: The minister
status: reviewed
note: lower-case minister, never after "The"
"""
MINISTER_TEXT = "Le ministre Iouri Ouchakov a rencontré Sergueï Choïgou à Moscou."
RED = "rgb(176, 0, 32)"
#: Dmitri Peskov is in no glossary file: the French-transliteration rule gives Dmitry Peskov
PESKOV_TEXT = "Le porte-parole Dmitri Peskov a parlé avec Iouri Ouchakov."
TIMEOUT_MS = 60_000


def ushakov_paragraph() -> str:
    for paragraph in USHAKOV_FILE.read_text(encoding="utf-8").split("\n\n"):
        if "Iouri Ouchakov" in paragraph:
            return paragraph.strip()
    raise AssertionError(f"{USHAKOV_FILE} no longer has a paragraph with Iouri Ouchakov")


# -- fixtures -------------------------------------------------------------------------------------


pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a server with the project's glossary, French warm, an empty store."""
    settings = ServerSettings(store=str(tmp_path_factory.mktemp("review-store")), warm=["fr"])
    with running_server(settings) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[dev]' (the browser test needs it)")
    base = tmp_path_factory.mktemp("chromium")
    with sync_playwright() as playwright:
        context = launch_chromium(playwright, base / "profile", base / "downloads")
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture
def page(chromium: Any, server: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The review page, loaded; every URL it asks for is recorded (``page.seen``), and a failing
    test leaves a screenshot."""
    page = chromium.new_page()
    seen: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.seen = seen
    page.errors = errors
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    yield page
    reports = request.node.stash.get(PHASE_REPORTS, {})
    if any(r.failed for r in reports.values()):
        shot = tmp_path / "review-page.png"
        page.screenshot(path=str(shot), full_page=True)
        artifacts = Path(os.environ.get("KP_TEST_ARTIFACTS") or ROOT / "test-artifacts")
        artifacts.mkdir(parents=True, exist_ok=True)
        kept = artifacts / f"{request.node.name}.png"
        shutil.copyfile(shot, kept)
        print(f"screenshot of the failing page: {shot} (copy: {kept})")
    page.close()


@pytest.fixture
def stored_minister(server: str) -> Iterator[str]:
    response = httpx.post(
        f"{server}/glossaries",
        files={"file": ("ministers.kpg", MINISTER_KPG.encode(), "text/plain")},
        data={"name": "ministers"},
    )
    assert response.status_code == 201, response.text
    gid: str = response.json()["id"]
    yield gid
    httpx.delete(f"{server}/glossaries/{gid}")


# -- helpers ----------------------------------------------------------------------------------------


def translate(page: Any, click: bool = True) -> dict[str, Any]:
    """Press Translate (or Enter, when *click* is False and the button has focus) and return the
    server's JSON answer once the page has shown it."""
    with page.expect_response(lambda r: r.url.endswith("/translate")) as answer:
        if click:
            page.click("#translate-button")
        else:
            page.keyboard.press("Enter")
    body: dict[str, Any] = answer.value.json()
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Translated')")
    return body


def segment(body: dict[str, Any]) -> dict[str, Any]:
    segments = body["glossary"]["segments"]
    assert len(segments) == 1
    first: dict[str, Any] = segments[0]
    return first


def located(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["start"] is not None]


def only_local(page: Any, server: str) -> None:
    outside = [u for u in page.seen if not u.startswith(server + "/") and not u.startswith(("blob:", "data:"))]
    assert outside == [], f"the page fetched outside the server: {outside}"
    assert page.errors == []


# -- tests ------------------------------------------------------------------------------------------


def test_translate_highlights_enforced_terms(page: Any, server: str) -> None:
    text = ushakov_paragraph()
    page.fill("#source-text", text)
    assert page.input_value("#source-lang") == "fr"
    with page.expect_request(lambda r: r.url.endswith("/translate")) as sent:
        body = translate(page)
    assert json.loads(sent.value.post_data) == {"q": text, "source": "fr", "target": "en", "format": "text"}

    english = body["translatedText"]
    assert "Yuri Ushakov" in english and "Iouri" not in english
    assert page.text_content("#result") == english

    # every located enforced term is one <mark>, on exactly the code points the server names
    enforced = located(segment(body)["enforced"])
    marks = page.locator("#result mark.term")
    assert marks.count() == len(enforced) >= 2
    for n, record in enumerate(sorted(enforced, key=lambda r: r["start"])):
        mark = marks.nth(n)
        assert mark.text_content() == english[record["start"] : record["end"]] == record["target"]
        assert mark.get_attribute("data-entry") == record["entry"]

    ushakov = page.locator("#result mark[data-entry='yuri-ushakov']")
    assert ushakov.text_content() == "Yuri Ushakov"
    assert ushakov.get_attribute("tabindex") == "0"
    title = ushakov.get_attribute("title")
    assert "Source: Iouri Ouchakov" in title and "Entry: yuri-ushakov" in title
    assert "Kremlin foreign policy aide" in title  # the entry's note, from glossary/people.kpg

    # the accessible tooltip: described-by, shown on hover
    tip = page.locator("#" + ushakov.get_attribute("aria-describedby"))
    assert tip.get_attribute("role") == "tooltip"
    assert tip.is_hidden()
    ushakov.hover()
    assert tip.is_visible()
    assert "yuri-ushakov" in tip.text_content() and "Iouri Ouchakov" in tip.text_content()
    tip.hover()  # the pointer can move onto the tooltip (to read or select its note)
    page.wait_for_timeout(400)
    assert tip.is_visible()
    page.mouse.move(0, 0)
    tip.wait_for(state="hidden")

    # the summary lists the terms; nothing failed on this paragraph
    assert segment(body)["failed"] == []
    assert page.locator("#failures li.failure").count() == 0
    assert "Iouri Ouchakov" in page.text_content("#terms")
    only_local(page, server)


def test_offsets_are_code_points(page: Any, server: str) -> None:
    # characters outside the BMP before the term: UTF-16 offsets would be off by one per emoji
    text = "🇫🇷 Selon 𝒯ASS, Iouri Ouchakov a parlé de Moscou."
    page.fill("#source-text", text)
    body = translate(page)
    english = body["translatedText"]
    assert "𝒯" in english
    for record in located(segment(body)["enforced"]):
        mark = page.locator(f"#result mark[data-entry='{record['entry']}']")
        assert mark.text_content() == english[record["start"] : record["end"]] == record["target"]
    assert page.text_content("#result") == english


def test_forced_failure_is_listed_in_red(page: Any, server: str, stored_minister: str) -> None:
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    choice = page.locator(f"#glossary-choice option[value='{stored_minister}']")
    assert choice.text_content() == "Server glossary + ministers (1 entry, fr)"
    page.select_option("#glossary-choice", stored_minister)
    page.fill("#source-text", MINISTER_TEXT)
    with page.expect_request(lambda r: r.url.endswith("/translate")) as sent:
        body = translate(page)
    assert json.loads(sent.value.post_data)["glossary_id"] == stored_minister

    failed = segment(body)["failed"]
    assert [(f["entry"], f["source"]) for f in failed] == [("minister", "ministre")]
    item = page.locator("#failures li.failure")
    assert item.count() == 1
    shown = item.text_content()
    assert "ministre" in shown and "minister" in shown and failed[0]["reason"] in shown
    assert item.evaluate("e => getComputedStyle(e).color") == RED
    assert "1 not enforced" in page.text_content("#status")
    # the server glossary still applied alongside the stored one
    assert page.locator("#result mark[data-entry='yuri-ushakov']").text_content() == "Yuri Ushakov"


def test_keyboard_only(page: Any, server: str) -> None:
    order = []
    page.locator("body").focus()
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert order == [
        "source-lang",
        "target-lang",
        "glossary-choice",
        "source-text",
        "source-file",
        "SUMMARY",
        "translate-button",
    ]
    # every control has a label
    for control in ("source-lang", "target-lang", "glossary-choice", "source-text", "source-file"):
        assert page.locator(f"label[for='{control}']").count() >= 1

    page.focus("#source-text")
    page.keyboard.type(MINISTER_TEXT)
    page.keyboard.press("Tab")  # the file chooser
    page.keyboard.press("Tab")  # "Add terms for this request"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "translate-button"
    # the focused button shows a visible focus ring
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    body = translate(page, click=False)

    # Tab from the button reaches the highlighted terms, in text order, each with its tooltip
    enforced = sorted(located(segment(body)["enforced"]), key=lambda r: r["start"])
    for record in enforced:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.dataset.entry, document.activeElement.getAttribute('aria-describedby')]"
        )
        assert focused[0] == record["entry"]
        tip = page.locator("#" + focused[1])
        assert tip.is_visible() and record["entry"] in tip.text_content()
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Escape")
    assert page.locator("#tips [role=tooltip]:not([hidden])").count() == 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "copy-button"
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == body["translatedText"]


def test_choose_and_drop_a_text_file(page: Any, server: str, tmp_path: Path) -> None:
    text = ushakov_paragraph()
    chosen = tmp_path / "ouchakov.txt"
    chosen.write_text(text + "\n", encoding="utf-8")
    page.set_input_files("#source-file", str(chosen))
    page.wait_for_function("document.getElementById('source-text').value.length > 0")
    assert page.input_value("#source-text") == text + "\n"
    assert "ouchakov.txt" in page.text_content("#status")
    body = translate(page)
    assert "Yuri Ushakov" in body["translatedText"]

    def drop(name: str, data: bytes, kind: str) -> None:
        transfer = page.evaluate_handle(
            """([name, bytes, kind]) => {
                const transfer = new DataTransfer();
                transfer.items.add(new File([new Uint8Array(bytes)], name, { type: kind }));
                return transfer;
            }""",
            [name, list(data), kind],
        )
        page.dispatch_event("#drop-zone", "dragover", {"dataTransfer": transfer})
        page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})

    dropped = "Le ministre Sergueï Choïgou est à Moscou.\n"
    drop("choigou.txt", dropped.encode("utf-8"), "text/plain")
    page.wait_for_function("document.getElementById('source-text').value.includes('Choïgou')")
    assert page.input_value("#source-text") == dropped
    body = translate(page)
    assert page.locator("#result mark[data-entry='sergei-shoigu']").text_content() == "Sergei Shoigu"

    # what cannot be read is refused, naming the file, and the text stays as it was
    drop("notes.pdf", b"%PDF-1.4", "application/pdf")
    assert page.text_content("#error") == "notes.pdf: only .txt files can be read here."
    drop("latin1.txt", "Moscou, l'été".encode("latin-1"), "text/plain")
    page.wait_for_function("document.getElementById('error').textContent.includes('latin1.txt')")
    assert page.text_content("#error") == "latin1.txt: not UTF-8 text."
    assert page.get_attribute("#error", "role") == "alert"
    assert page.input_value("#source-text") == dropped


def test_download_json_report(page: Any, server: str) -> None:
    page.fill("#source-text", ushakov_paragraph())
    assert page.is_disabled("#download-button")
    body = translate(page)
    with page.expect_download() as download:
        page.click("#download-button")
    saved = Path(download.value.path())
    assert download.value.suggested_filename == "kp-translate-report-fr-en.json"
    report = json.loads(saved.read_text(encoding="utf-8"))
    assert report == body
    assert any(e["entry"] == "yuri-ushakov" for e in report["glossary"]["segments"][0]["enforced"])
    only_local(page, server)


def test_api_error_is_shown(page: Any, server: str) -> None:
    # a request glossary with source=auto: the server (started without --from) answers 400
    page.select_option("#source-lang", "auto")
    page.fill("#source-text", MINISTER_TEXT)
    page.click("#inline-box summary")
    page.fill("#inline-glossary", "ministre\tminister")
    with page.expect_response(lambda r: r.url.endswith("/translate")) as answer:
        page.click("#translate-button")
    assert answer.value.status == 400
    message = answer.value.json()["error"]
    page.wait_for_function("!document.getElementById('error').hidden")
    assert page.text_content("#error") == message
    assert page.text_content("#status") == "Translation failed."
    assert page.text_content("#result") == ""

    # an empty text is refused by the page itself
    page.fill("#source-text", "  ")
    page.click("#translate-button")
    assert page.text_content("#error") == "Nothing to translate: paste text or choose a .txt file."


def test_untrusted_text_stays_text(page: Any, server: str) -> None:
    text = "Iouri Ouchakov <img src=x onerror=\"document.title='pwned'\"> <b>Moscou</b>"
    page.fill("#source-text", text)
    body = translate(page)
    assert page.locator("#result img, #result b").count() == 0
    assert page.text_content("#result") == body["translatedText"]
    assert page.title() != "pwned"


def test_inferred_names_are_marked_differently(page: Any, server: str) -> None:
    page.fill("#source-text", PESKOV_TEXT)
    body = translate(page)
    english = body["translatedText"]
    inferred = located(segment(body)["inferred"])
    assert [r["source"] for r in inferred] == ["Dmitri Peskov"]
    record = inferred[0]
    name = page.locator("#result .inferred")
    assert name.count() == 1
    assert name.evaluate("e => e.tagName") == "SPAN"  # not a <mark>: not a glossary term
    assert name.text_content() == english[record["start"] : record["end"]] == record["target"]
    assert name.get_attribute("tabindex") == "0"
    assert name.evaluate("e => getComputedStyle(e).borderBottomStyle") == "dashed"
    term = page.locator("#result mark[data-entry='yuri-ushakov']")
    assert term.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    name.focus()
    tip = page.locator("#" + name.get_attribute("aria-describedby"))
    assert tip.is_visible()
    assert "Dmitri Peskov" in tip.text_content() and record["rule"] in tip.text_content()
    assert "1 name inferred" in page.text_content("#status")
    assert page.text_content("#names li") == f"Dmitri Peskov → {record['target']} {record['rule']}"


FAILING_TEST = """
from test_review_page import chromium, page, server  # the fixtures under test


def test_sees_a_title_it_will_not_find(page):
    assert page.title() == "not the review page"
"""


def test_a_failing_test_leaves_a_screenshot(tmp_path: Path) -> None:
    (tmp_path / "test_fails.py").write_text(FAILING_TEST, encoding="utf-8")
    artifacts = tmp_path / "artifacts"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env["KP_TEST_ARTIFACTS"] = str(artifacts)
    basetemp = ["--basetemp", str(tmp_path / "base")]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider", "test_fails.py", *basetemp],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed" in run.stdout
    shot = artifacts / "test_sees_a_title_it_will_not_find.png"
    assert "screenshot of the failing page: " in run.stdout and str(shot) in run.stdout
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # IHDR: the full page at the 1280 px viewport
    assert width == 1280 and height >= 900
    assert list((tmp_path / "base").rglob("review-page.png"))
