"""Every built report opened from a file in headless Chromium with the network blocked."""
from __future__ import annotations

import shutil

import pytest

from casekit.notebooks import available

from .conftest import reports  # noqa: F401  (shared session fixture)

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-quic", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def _open_offline(browser, path):
    page = browser.new_page()
    requests, errors = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def block(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('.casekit-chart:not([data-drawn])').length === 0", timeout=30_000)
    return page, requests, errors


@pytest.mark.parametrize("name", available())
def test_every_chart_draws_offline_without_errors(browser, reports, name):
    page, requests, errors = _open_offline(browser, reports / f"{name}.html")
    charts = page.locator(".casekit-chart")
    assert charts.count() >= 1
    states = page.eval_on_selector_all(".casekit-chart", "els => els.map(e => e.getAttribute('data-drawn'))")
    assert states == ["true"] * len(states)
    assert page.locator(".casekit-chart svg").count() >= charts.count()
    assert requests == [], f"requests left the page: {requests}"
    assert errors == [], errors
    page.close()


def test_charts_stay_interactive_with_tooltips(browser, reports):
    page, _, _ = _open_offline(browser, reports / "history.html")
    mark = page.locator(".casekit-chart svg .mark-symbol path").first
    mark.hover()
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    assert "source" in page.inner_text("#vg-tooltip-element")
    page.close()


def test_the_index_opens_offline_and_links_every_report(browser, reports):
    page, requests, errors = _open_offline(browser, reports / "index.html")
    links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert {f"{n}.html" for n in available()} <= set(links)
    assert requests == [] and errors == []
    page.close()
