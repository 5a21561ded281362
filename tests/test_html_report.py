"""The HTML report in a real browser (Debian's chromium driven by Playwright)."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import claimlens
from claimlens.html_report import render_html, write_html_report

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright gives every launch a new, empty profile (its own temporary user-data dir).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HOSTILE = (
    "Miracle Detox Tea <script>window.PWNED = 1</script>\n"
    'Our tea is completely safe and has no side effects <img src=x onerror="window.PWNED=2">. '
    "It cures anxiety overnight. "
    '<a href="javascript:window.PWNED=3">Click here</a> for proof.\n'
    "Warnings\n"
    "In rare cases the tea can cause severe liver damage and dangerous side effects "
    "such as heart palpitations.\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = claimlens.scan_texts({"hostile.txt": HOSTILE})
    (out / "report.html").write_text(
        render_html(result.documents, result.sentences, result.findings), encoding="utf-8"
    )
    return out / "report.html"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: `make test` installs Debian's chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, report):
    page = browser.new_page()
    page.goto(report.as_uri())
    return page


def test_article_markup_renders_as_text_and_runs_nothing(page, report):
    assert page.evaluate("window.PWNED === undefined")
    body = page.inner_text("body")
    assert "<script>window.PWNED = 1</script>" in body
    assert 'onerror="window.PWNED=2"' in body
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "<script>window.PWNED" not in report.read_text(encoding="utf-8")


def test_findings_are_visible_and_filters_hide_the_other_kinds(page):
    findings = page.locator(".finding")
    kinds = set(findings.evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert kinds == {"unsupported", "contradiction"}
    total = findings.count()
    page.select_option("#f-kind", "contradiction")
    visible = page.locator(".finding:not(.hidden)")
    assert 0 < visible.count() < total
    assert set(visible.evaluate_all("els => els.map(e => e.dataset.kind)")) == {"contradiction"}
    assert page.inner_text("#shown") == str(visible.count())
    page.select_option("#f-kind", "")
    assert page.locator(".finding:not(.hidden)").count() == total


def test_contradiction_links_jump_between_its_two_sentences(page):
    card = page.locator(".finding[data-kind=contradiction]").first
    links = card.locator("a")
    first, second = links.nth(0), links.nth(1)
    second.click()
    target = second.get_attribute("href")
    assert page.evaluate("location.hash") == target
    assert page.locator(f"{target}:target").count() == 1
    first.click()
    assert page.evaluate("location.hash") == first.get_attribute("href") != target
    page.screenshot(path=str(ROOT / "data" / "out" / "report.png"), full_page=True)


def test_index_sorts_by_a_column(browser, tmp_path):
    texts = {
        "calm.txt": "Chamomile tea is a pleasant drink.",
        "busy.txt": HOSTILE,
    }
    out = tmp_path
    result = claimlens.scan_texts(texts)
    (out / "report.html").write_text(
        render_html(result.documents, result.sentences, result.findings), encoding="utf-8"
    )
    page = browser.new_page()
    page.goto((out / "report.html").as_uri())
    order = (
        "() => Array.from(document.querySelectorAll('#index tbody tr td:first-child'))"
        ".map(td => td.dataset.v)"
    )
    assert page.evaluate(order) == ["calm.txt", "busy.txt"]
    page.click("#index th:nth-child(4)")  # contradiction count, ascending
    page.click("#index th:nth-child(4)")  # descending
    assert page.evaluate(order) == ["busy.txt", "calm.txt"]


def test_report_command_renders_from_written_tables(tmp_path):
    from typer.testing import CliRunner

    from claimlens.cli import app

    runner = CliRunner()
    data = tmp_path / "in"
    data.mkdir()
    (data / "tea.txt").write_text(HOSTILE, encoding="utf-8")
    result = runner.invoke(app, ["scan", str(data), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    path = write_html_report(tmp_path / "out")
    text = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;window.PWNED = 1&lt;/script&gt;" in text
    assert "hostile" not in text and "tea.txt" in text
