"""The report folder as one case: the notebooks' declared abstracts, the landing page, the links
between chapters, light pages, exhibit data, the glossary, PDFs."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from casekit import data
from casekit.notebooks import INSTRUCTOR_ONLY, NOTEBOOKS, abstract, available
from casekit.paths import notebooks_dir
from casekit.render import ALPHABET, Glossary, Page, pack, unpack
from casekit.site import CHROMIUM_FLAGS, find_chromium

from .conftest import EPOCH, REPO, run_cli  # the `reports` fixture comes from conftest, built once per session

MAX_REPORT_BYTES = 500_000  # "at most 0.5 MB"
MAX_LANDING_BYTES = 60_000


def _notebook(name: str) -> dict:
    return json.loads((notebooks_dir() / {**NOTEBOOKS, **INSTRUCTOR_ONLY}[name]).read_text(encoding="utf-8"))


class _Links(HTMLParser):
    """Every link of a page: (href, rel, text)."""

    def __init__(self):
        super().__init__()
        self.links, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href"), dict(attrs).get("rel"), ""]

    def handle_data(self, text):
        if self._open is not None:
            self._open[2] += text

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append(tuple(self._open))
            self._open = None


def links(page: Path) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def nav(page: Path) -> dict[str, str]:
    """The report's previous/next links (by rel) and the landing-page link."""
    found = {rel: href for href, rel, _ in links(page) if rel in ("prev", "next")}
    found["home"] = "index.html" if ("index.html", None, "All chapters") in links(page) else None
    return found


def text(page: Path) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))))


@pytest.fixture
def folder(reports, tmp_path) -> Path:
    """A copy of the built reports that a test may change."""
    copy = tmp_path / "reports"
    shutil.copytree(reports, copy, ignore=shutil.ignore_patterns("*.pdf"))
    return copy


# ---- the notebooks declare their own abstracts ------------------------------------------------------

@pytest.mark.parametrize("name", [*NOTEBOOKS, *INSTRUCTOR_ONLY])
def test_every_notebook_declares_its_title_abstract_and_objectives(name):
    nb = _notebook(name)
    first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "abstract" in first["metadata"].get("tags", []), f"{name}: the first markdown cell is not tagged abstract"
    about = abstract(nb)
    assert about.title and not about.title.startswith("#")
    assert len(about.text.split()) >= 15, f"{name}: the abstract is missing or too short"
    assert len(about.objectives) >= 3 and all(len(o.split()) >= 4 for o in about.objectives)


def test_the_abstract_comes_from_the_tagged_cell():
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Not this one\n\nA stray cell."},
        {"cell_type": "markdown", "metadata": {"tags": ["abstract"]}, "source": [
            "# Chapter title\n", "\n", "First paragraph of the abstract.\n", "\n", "Second paragraph.\n", "\n",
            "## Learning objectives\n", "\n", "1. read a *chart*;\n", "2. weigh two sources\n", "   that disagree.\n"]},
    ]}
    about = abstract(nb)
    assert about.title == "Chapter title"
    assert about.text == "First paragraph of the abstract.\n\nSecond paragraph."
    assert about.objectives == ("read a *chart*;", "weigh two sources that disagree.")


# ---- page parts that need no kernel -------------------------------------------------------------------

def test_packed_data_round_trips_and_needs_no_escaping_in_html():
    sample = json.dumps({"csv": ["a,b\n1,\u00e9\n"] * 50, "charts": [{"mark": "bar"}]})
    packed = pack(sample)
    assert unpack(packed) == sample and pack(sample) == packed  # the same bytes every time
    assert len(ALPHABET) == 85 and not set(ALPHABET) & set("<>&\"'\\`")
    assert set(packed) <= set(ALPHABET)


def test_glossary_terms_are_marked_where_they_first_appear_in_prose():
    page = Page(Glossary.from_data())
    marked = page.mark_terms(
        "<h2>The take rate</h2><p>Taobao's <code>GMV</code> grew. GMV is not revenue; gmv in lower case is not the term.</p>"
        "<p>Two marketplaces met, then <a href='#x'>escrow</a> and escrow again.</p><table><tr><td>IPO</td></tr></table>")
    assert marked.count('class="casekit-term"') == 3
    assert re.search(r'grew. <span class="casekit-term"><a href="#term-gmv" aria-describedby="term-gmv-tip">GMV</a>.*?</span></span> is not revenue', marked)
    assert "<code>GMV</code>" in marked and "<h2>The take rate</h2>" in marked and "<td>IPO</td>" in marked
    assert '>marketplaces</a>' in marked and "<a href='#x'>escrow</a>" in marked
    assert [term for term, _, _ in page.terms()] == ["GMV", "marketplace", "escrow"]
    definitions = dict(zip(data.load("glossary")["term"], data.load("glossary")["definition"]))
    assert all(definition == definitions[term] for term, _, definition in page.terms())
    assert page.mark_terms("<p>GMV again</p>") == "<p>GMV again</p>", "a term is defined once per chapter"


def test_an_exhibit_gives_its_rows_as_csv_and_a_text_alternative():
    import casekit

    case = casekit.open_case("history", {})
    rows = case.metrics(entity="Taobao", metric="gmv", scope="Taobao")
    exhibit = case.trend("Taobao's transaction volume (GMV) by year", rows)
    frame = list(csv.DictReader(io.StringIO(exhibit.csv())))
    assert len(frame) == len(rows) and {"metric_id", "value", "unit", "source", "line"} <= set(frame[0])
    assert [r["metric_id"] for r in frame] == list(rows["metric_id"])
    assert {int(r["line"]) for r in frame} == set(exhibit.citation.entries[0][2])
    alternative = exhibit.text_alternative
    assert alternative.startswith("Exhibit 1: Taobao's transaction volume (GMV) by year. ")
    assert f"{len(rows)} figures from 1 source" in alternative and "billion" in alternative
    assert exhibit.body.properties(description=alternative).to_dict()["description"] == alternative


def test_the_test_extra_and_environment_yml_both_carry_axe():
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    in_pyproject = [r.replace(" ", "") for r in extra if r.startswith("axe-playwright-python")]
    in_environment = [r.replace(" ", "") for r in pip if r.startswith("axe-playwright-python")]
    assert in_pyproject and in_pyproject == in_environment


# ---- the built folder ------------------------------------------------------------------------------

slow = pytest.mark.slow


@slow
def test_every_report_is_light_and_the_landing_page_small(reports):
    for name in available():
        size = (reports / f"{name}.html").stat().st_size
        assert size <= MAX_REPORT_BYTES, f"{name}.html is {size:,} bytes"
    assert (reports / "index.html").stat().st_size <= MAX_LANDING_BYTES


@slow
def test_the_landing_page_reads_as_one_case(reports):
    page = text(reports / "index.html")
    overview = abstract(_notebook("overview"))
    assert f"<title>{overview.title}</title>" in (reports / "index.html").read_text(encoding="utf-8")
    assert overview.text.split("\n")[0].strip() in page  # the opening (the overview's abstract until it declares a decision)
    titles = [f"{i}. {abstract(_notebook(name)).title}" for i, name in enumerate(NOTEBOOKS, 1)]
    positions = [page.find(t) for t in titles]
    assert -1 not in positions and positions == sorted(positions), "chapters are listed in reading order"
    for name in NOTEBOOKS:
        about = abstract(_notebook(name))
        for objective in about.objectives:
            plain = re.sub(r"[*_`]", "", objective)
            assert plain in page, f"{name}: objective missing: {plain}"
    assert len(re.findall(r"About \d+ minutes to read", page)) == len(NOTEBOOKS)
    sources = data.load("sources")
    names = sources["display_name"] if "display_name" in sources else sources["short_name"]
    for name, grade in zip(names, sources["reliability"]):
        assert re.search(re.escape(f"{name} ") + r"\S.*?" + grade, page), f"source {name} and its grade {grade}"
    assert f"Data package version {data.version()}, content hash {data.content_hash()}" in page
    assert f"{len(NOTEBOOKS)} pages in this folder" in page and page.count(" built ") >= len(NOTEBOOKS)


@slow
def test_chapters_link_to_their_neighbours_and_the_landing_page(reports):
    order = list(NOTEBOOKS)
    for index, name in enumerate(order):
        found = nav(reports / f"{name}.html")
        assert found["home"] == "index.html"
        assert found.get("prev") == (f"{order[index - 1]}.html" if index else None)
        assert found.get("next") == (f"{order[index + 1]}.html" if index + 1 < len(order) else None)
    for page in [*(reports / f"{n}.html" for n in order), reports / "index.html"]:
        for href, _, _ in links(page):
            if href is None:
                continue  # a "Data (CSV)" link: the page gives it its data when it opens
            assert not re.match(r"^([a-z]+:|/)", href), f"{page.name}: {href} is not relative"


def nbformat_read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@slow
def test_links_follow_what_the_folder_holds_and_variants_join_their_chapter(folder):
    (folder / "business_model.html").unlink()
    (folder / ".casekit" / "business_model.json").unlink()
    result = run_cli("build", "history", "--out", str(folder), env=EPOCH)  # as the shared reports were built
    assert "0 built, 1 reused" in result.stdout, result.stderr
    assert nav(folder / "history.html")["next"] == "fintech.html", "the next chapter present in the folder"
    assert "business_model.html" not in (folder / "index.html").read_text(encoding="utf-8")

    result = run_cli("build", "history", "-p", "start_year", "2005", "--out", str(folder), env=EPOCH)
    assert result.returncode == 0 and "1 built" in result.stdout, result.stderr
    variant = folder / "history--start_year-2005.html"
    assert nav(variant) == {"prev": "overview.html", "next": "fintech.html", "home": "index.html"}
    landing = text(folder / "index.html")
    titles = [abstract(nbformat_read(notebooks_dir() / NOTEBOOKS[name])).title for name in ("history", "fintech")]
    chapter = landing[landing.find(f"2. {titles[0]}"):landing.find(f"4. {titles[1]}")]
    assert re.search(r"Built with other parameters: history--start_year-2005 ?: start_year = 2005", chapter), chapter

    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    result = run_cli("build", "history", "--out", str(folder), env=EPOCH)
    assert "0 built, 1 reused" in result.stdout
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    assert before == after, "a build with nothing new rewrites no page, not even the landing page"


@slow
def test_pdf_prints_each_report_with_its_charts(folder):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    result = run_cli("build", "history", "--pdf", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    pdf = (folder / "history.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3
    assert not (folder / "overview.pdf").exists(), "only the reports of this build are printed"
    printed = (folder / "history.pdf").stat().st_mtime_ns
    assert run_cli("build", "history", "--pdf", "--out", str(folder)).returncode == 0
    assert (folder / "history.pdf").stat().st_mtime_ns == printed, "an unchanged report is not printed again"
    assert ("history.pdf", None, "PDF") in links(folder / "index.html")
    # The printer waits as the PDF step does; by then every chart is drawn.
    dom = subprocess.run([find_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={folder / '.profile'}", "--virtual-time-budget=20000",
                          "--dump-dom", (folder / "history.html").as_uri()], capture_output=True, text=True, timeout=120).stdout
    states = re.findall(r'data-drawn="(\w+)"', dom)
    assert states and set(states) == {"true"} and len(states) == (folder / "history.html").read_text().count('class="casekit-chart ')


def test_pdf_without_chromium_says_in_one_line_how_to_install_it(tmp_path):
    result = run_cli("build", "history", "--pdf", "--out", str(tmp_path / "out"), env={"PATH": str(tmp_path), "CASEKIT_CHROMIUM": ""})
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "needs Chromium" in result.stderr and "apt-get install chromium" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.html"))
