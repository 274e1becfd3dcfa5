"""The HTML report in a real browser: Debian's chromium driven by Playwright.

Skipped, saying why, only where /usr/bin/chromium or the playwright package is missing
(``.ci/run`` installs chromium, the dev extras install playwright). The realistic page is the
seed pair 000 vs 002 (a re-translated copy) compared with the packaged model; the screenshot
it leaves in ``reports/html-report.png`` is the one the README shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fidelity.extract import extract
from fidelity.pipeline import Options, compare
from fidelity.report import html

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parent.parent / "reports" / "html-report.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; .ci/run installs it)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def seed_report(seeds, minilm):
    root = seeds["original"].parent.parent.parent
    doc_o, doc_c = (extract(seeds[k], name=seeds[k].relative_to(root).as_posix()) for k in ("original", "retranslated"))
    return compare(doc_o, doc_c, embedder=minilm)


@pytest.fixture(scope="module")
def seed_file(seed_report, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html.render(seed_report), encoding="utf-8")
    return path


class Page:
    """A page opened from a file, recording console errors and warnings, uncaught exceptions and dialogs."""

    def __init__(self, browser, path: Path, *, width: int = 1280, height: int = 900) -> None:
        self.problems: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def visible(self, selector: str) -> int:
        return sum(1 for el in self.page.query_selector_all(selector) if el.is_visible())

    def close(self) -> None:
        self.page.close()


def test_seed_report_loads_cleanly_and_is_screenshotted(browser, seed_file, seed_report):
    page = Page(browser, seed_file, height=1500)
    assert page.problems == []
    n = sum(len(p.findings) for p in seed_report.pairs) + sum(1 for f in seed_report.findings if f.pair is None)
    assert page.page.text_content("#shown") == f"showing {n} of {n} findings"  # the script ran under the page's policy
    assert page.visible(".side.original") > 0 and page.visible(".side.copy") > 0
    assert page.visible(".mark") == len(seed_report.pairs)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
    page.close()


def test_a_filter_click_hides_minor_findings(browser, seed_file):
    page = Page(browser, seed_file)
    minor, major = '.finding[data-severity="minor"]', '.finding[data-severity="major"]'
    assert page.visible(minor) > 0 and page.visible(major) > 0
    page.page.click('input[name="severity"][value="minor"]')
    assert page.visible(minor) == 0
    assert page.visible(major) > 0
    assert page.visible('.headline[data-severity="major"]') > 0
    page.page.click("#only-findings")  # findings only: every pair still shown has a finding shown
    shown = page.page.query_selector_all(".pair:not([hidden])")
    assert shown and all(p.query_selector(".finding:not([hidden])") for p in shown)
    assert page.visible(".pair.same") == 0
    page.page.click('input[name="severity"][value="minor"]')
    assert page.visible(minor) > 0
    assert page.problems == []
    page.close()


def test_everything_works_from_the_keyboard(browser, seed_file):
    page = Page(browser, seed_file)
    for _ in range(60):  # Tab reaches the severity filter
        page.page.keyboard.press("Tab")
        if page.page.evaluate("document.activeElement.matches('input[value=minor]')"):
            break
    else:
        pytest.fail("Tab never reached the minor filter")
    page.page.keyboard.press("Space")
    assert page.visible('.finding[data-severity="minor"]') == 0
    page.page.keyboard.press("n")  # next finding: focus lands on its badge
    assert page.page.evaluate("document.activeElement.classList.contains('badge')")
    page.page.evaluate("document.body.classList.remove('msgs')")  # messages collapsed: a badge opens its own
    badge = page.page.evaluate_handle("document.activeElement")
    message = page.page.query_selector(f"#{badge.get_attribute('aria-controls')}")
    assert not message.is_visible()
    page.page.keyboard.press("Enter")
    assert badge.get_attribute("aria-expanded") == "true" and message.is_visible()
    assert page.problems == []
    page.close()


def test_the_strip_takes_the_reader_to_a_pair(browser, seed_file, seed_report):
    page = Page(browser, seed_file)
    critical = next(p for p in seed_report.pairs if any(f.severity.value == "critical" for f in p.findings) and p.index > 20)
    page.page.click(f'.mark[data-pair="{critical.index}"]')
    top = page.page.evaluate(f"document.getElementById('p{critical.index}').getBoundingClientRect().top")
    bar = page.page.evaluate("document.querySelector('.toolbar').getBoundingClientRect().bottom")
    assert bar <= top <= bar + 40  # just under the sticky toolbar, not hidden behind it
    assert page.problems == []
    page.close()


def test_print_shows_every_message_and_no_controls(browser, seed_file, tmp_path):
    page = Page(browser, seed_file)
    page.page.evaluate("document.body.classList.remove('msgs')")
    page.page.emulate_media(media="print")
    assert page.visible(".controls") == 0
    assert page.visible(".msg") == len(page.page.query_selector_all(".msg"))
    pdf = page.page.pdf(path=str(tmp_path / "report.pdf"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    page.close()


def test_hostile_copy_executes_no_script(browser, tmp_path, report_hostile_lines):
    report = compare(
        extract("original.txt", text="The ferry service resumes on Monday.\nTickets cost 12 euros.\n", keep_boilerplate=True),
        extract('"><img src=x onerror="window.__pwned = 9">.txt', text="\n".join(report_hostile_lines), keep_boilerplate=True),
        options=Options(model="hashing"),
    )
    path = tmp_path / "hostile.html"
    path.write_text(html.render(report), encoding="utf-8")
    page = Page(browser, path)
    for selector in ("body", ".badge", ".side.copy", ".facts dd"):  # hover and click what a reader would
        for el in page.page.query_selector_all(selector)[:5]:
            el.hover()
            el.click()
    assert page.page.evaluate("window.__pwned") is None
    assert page.page.evaluate("document.scripts.length") == 1
    assert page.page.evaluate("document.querySelectorAll('img, svg, textarea, iframe, a[href^=javascript]').length") == 0
    text = page.page.inner_text("main")
    assert "<script>window.__pwned = 1</script>" in text
    assert "<U+202E>txt.exe<U+202C>" in text
    assert page.problems == []  # not even a blocked attempt: nothing was parsed as markup
    page.close()
