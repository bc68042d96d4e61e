"""Every built report opened from a file in headless Chromium with the network blocked: charts,
exhibit data, glossary, navigation, print, and axe-core's WCAG 2.1 A/AA rules."""
from __future__ import annotations

import csv
import io
import re

import pytest

from casekit import data
from casekit.notebooks import NOTEBOOKS, available

pytestmark = pytest.mark.slow  # the `browser` fixture comes from conftest: one Chromium per module
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}


def _open_offline(browser, path, **context):
    page = browser.new_context(accept_downloads=True, **context).new_page()
    requests, errors = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def block(route):
        if route.request.url.startswith(("file://", "blob:", "data:")):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", block)
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('.casekit-chart:not([data-drawn])').length === 0", timeout=30_000)
    page.requests, page.errors = requests, errors
    return page


@pytest.mark.parametrize("name", available())
def test_every_chart_draws_offline_without_errors(browser, reports, name):
    page = _open_offline(browser, reports / f"{name}.html")
    charts = page.locator(".casekit-chart")
    assert charts.count() >= 1
    states = page.eval_on_selector_all(".casekit-chart", "els => els.map(e => e.getAttribute('data-drawn'))")
    assert states == ["true"] * len(states)
    assert page.locator(".casekit-chart svg").count() >= charts.count()
    assert page.requests == [], f"requests left the page: {page.requests}"
    assert page.errors == [], page.errors
    page.close()


def test_charts_stay_interactive_with_tooltips(browser, reports):
    page = _open_offline(browser, reports / "history.html")
    mark = page.locator(".casekit-chart svg .mark-symbol path").first
    mark.hover()
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    assert "source" in page.inner_text("#vg-tooltip-element")
    page.close()


@pytest.mark.parametrize("name", [*available(), "index"])
def test_axe_finds_no_wcag_21_a_or_aa_violation(browser, reports, name):
    from axe_playwright_python.sync_playwright import Axe

    page = _open_offline(browser, reports / f"{name}.html")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    page.close()


def test_every_chart_has_a_text_alternative_for_screen_readers(browser, reports):
    page = _open_offline(browser, reports / "history.html")
    charts = page.locator(".casekit-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        label = chart.get_attribute("aria-label")
        assert re.match(r"Exhibit \d+: .+\. \d+ (figures|dated statements|rows)", label), label
        assert page.get_by_role("img", name=label, exact=True).count() == 1
    page.close()


def test_the_data_behind_an_exhibit_downloads_as_csv_without_a_request(browser, reports):
    page = _open_offline(browser, reports / "history.html")
    links = page.locator("a.casekit-csv")
    exhibits = page.locator(".casekit-chart, figure.casekit-exhibit")
    assert links.count() == exhibits.count() >= 4
    assert all(href.startswith("blob:") for href in page.eval_on_selector_all("a.casekit-csv", "els => els.map(e => e.href)"))
    # Exhibit 4 is the GMV trend: its footer holds the source line and the link.
    footer = page.locator(".casekit-exhibit-footer").filter(has=page.locator("a[download$='-exhibit-4.csv']"))
    with page.expect_download() as download:
        footer.locator("a.casekit-csv").click()
    assert download.value.suggested_filename == "history-exhibit-4.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    metrics = data.load("metrics").set_index("metric_id")
    assert rows and {"metric_id", "value", "source", "line"} <= set(rows[0])
    for row in rows:
        assert (metrics.loc[row["metric_id"], "source"], int(metrics.loc[row["metric_id"], "line"])) == (row["source"], int(row["line"]))
    cited = re.findall(r"\d+", footer.locator(".casekit-source").inner_text().split("lines")[1].split(".")[0])
    assert {int(n) for n in cited} == {int(r["line"]) for r in rows}, "the CSV has the rows the source line cites"
    assert page.requests == [] and page.errors == []
    page.close()


def test_glossary_terms_are_defined_where_they_first_appear_and_listed_at_the_end(browser, reports):
    page = _open_offline(browser, reports / "business_model.html")
    glossary = dict(zip(data.load("glossary")["term"], data.load("glossary")["definition"]))
    terms = page.locator("main .casekit-term a")
    listed = page.eval_on_selector_all(".casekit-glossary dt", "els => els.map(e => e.textContent)")
    assert terms.count() == len(listed) >= 5 and set(listed) <= set(glossary)
    first = terms.first
    tip = page.locator(f"#{first.get_attribute('aria-describedby')}")
    assert not tip.is_visible()
    first.hover()
    assert tip.is_visible() and tip.inner_text() == glossary[listed[0]]
    box, width = tip.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    first.click()
    assert page.evaluate("location.hash") == f"#{first.get_attribute('href')[1:]}"
    page.close()


def test_chapter_links_walk_the_case_in_reading_order(browser, reports):
    order = list(NOTEBOOKS)
    page = _open_offline(browser, reports / f"{order[0]}.html")
    for name in order[1:]:
        page.locator(".casekit-nav-top a[rel=next]").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/{name}.html")
    assert page.locator("a[rel=next]").count() == 0
    page.locator(".casekit-nav-end a", has_text="All chapters").click()
    assert page.url.endswith("/index.html")
    assert page.locator(".casekit-chapters > li").count() == len(order)
    page.close()


def test_index_opens_offline_and_links_every_report(browser, reports):
    page = _open_offline(browser, reports / "index.html")
    links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert {f"{n}.html" for n in available()} <= set(links)
    assert page.requests == [] and page.errors == []
    page.close()


def test_printing_hides_controls_keeps_exhibits_whole_and_shows_link_targets(browser, reports):
    page = _open_offline(browser, reports / "history.html")
    page.emulate_media(media="print")
    style = "([selector, property]) => getComputedStyle(document.querySelector(selector))[property]"
    for control in (".casekit-nav", ".casekit-toc", ".casekit-data", ".casekit-skip"):
        assert page.evaluate(style, [control, "display"]) == "none", control
    for whole in (".casekit-chart", "figure.casekit-exhibit", ".jp-OutputArea:has(.casekit-chart)"):
        assert page.evaluate(style, [whole, "breakInside"]) == "avoid", whole
    page.close()
    landing = _open_offline(browser, reports / "index.html")
    landing.emulate_media(media="print")
    after = landing.evaluate("getComputedStyle(document.querySelector('a[href=\"history.html\"]'), '::after').content")
    assert after == '" (history.html)"'
    in_page = landing.evaluate("getComputedStyle(document.querySelector('a[href^=\"#\"]'), '::after').content")
    assert in_page == "none", "in-page anchors print no target"
    landing.close()
