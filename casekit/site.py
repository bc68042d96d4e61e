"""The report folder as one case: a landing page, links between the chapters, PDFs.

After every build, :func:`write_site` looks at what the folder holds (the build records in
``OUT/.casekit``) and

- fills each report's navigation: the previous and next chapter in reading order and the landing
  page, when those pages are in the folder (relative links, so the folder can be moved, zipped or
  served from anywhere);
- writes ``OUT/index.html``: the case's title and opening decision, the chapters in reading order
  (title, abstract, learning objectives, reading time, and the variants built with other
  parameters), the sources and their reliability grades, the data package's version and content
  hash, and the build status of every page;
- with ``pdf_for``, prints those reports to PDF beside them through headless Chromium.

Everything shown comes from the notebooks themselves (see :func:`casekit.notebooks.abstract`) and
the data package. When nothing the pages depend on has changed, nothing is rewritten.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError
from .notebooks import INSTRUCTOR_ONLY, NOTEBOOKS, STUDENT_HIDDEN, abstract, tagged_markdown

RECORDS = ".casekit"  # the build records (casekit.build writes them)
STATE = "site.state"  # the fingerprint of what the site was last written from (not a .json: records are)
WORDS_PER_MINUTE = 200  # a careful reader of a case
MINUTES_PER_EXHIBIT = 0.5  # reading a chart or a table and its source line
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update"]
INSTALL_CHROMIUM = ("--pdf needs Chromium (or Google Chrome) and none was found: install it (Debian/Ubuntu: "
                    "apt-get install chromium; macOS: brew install --cask chromium) or set CASEKIT_CHROMIUM to its path")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[\w'’-]+")


@dataclass
class Page:
    """One report in the folder, as its build record describes it."""

    name: str
    notebook: str
    status: str  # built or failed
    parameters: dict = field(default_factory=dict)
    changed: list = field(default_factory=list)
    error: dict | None = None
    data_hash: str | None = None
    has_report: bool = False
    has_error_report: bool = False
    has_pdf: bool = False

    @property
    def is_main(self) -> bool:
        """The chapter's report with its default parameters (``history.html``)."""
        return self.name == self.notebook

    @property
    def changes(self) -> str:
        shown = [f"{k} = {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in self.parameters.items() if k in self.changed]
        return "; ".join(shown) or "defaults"

    @property
    def status_text(self) -> str:
        if self.status != "failed":
            return "built"
        e = self.error or {}
        where = f"at cell {e['cell']}" if e.get("cell") else "at start-up"
        text = f"failed {where} ({e.get('ename', 'error')}: {e.get('evalue', '')})"
        return text + ("; last good report kept" if self.has_report else "")


@dataclass
class Chapter:
    """A notebook and its pages in the folder, with what the notebook says about itself."""

    notebook: str
    position: int | None  # 1-based place in the reading order; None for other notebooks
    title: str
    abstract: str
    objectives: tuple[str, ...]
    minutes: int | None
    pages: list[Page]

    @property
    def main(self) -> Page | None:
        return next((p for p in self.pages if p.is_main and p.has_report), None)

    @property
    def variants(self) -> list[Page]:
        return [p for p in self.pages if not p.is_main]


# ---- reading the folder --------------------------------------------------------------------------

def read_pages(out: Path) -> list[Page]:
    pages = []
    for file in sorted((out / RECORDS).glob("*.json")):
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if not isinstance(record, dict) or "name" not in record or "notebook" not in record:
            continue
        name = record["name"]
        pages.append(Page(
            name, record["notebook"], record.get("status", "built"), record.get("parameters") or {},
            list(record.get("changed") or []), record.get("error"), record.get("data_hash"),
            (out / f"{name}.html").is_file(), (out / f"{name}.failed.html").is_file(), (out / f"{name}.pdf").is_file(),
        ))
    return pages


def _executed(out: Path, page: Page) -> dict | None:
    for stem in (page.name, f"{page.name}.failed"):
        try:
            return json.loads((out / f"{stem}.ipynb").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return None


def _source_notebook(notebook: str) -> dict | None:
    from .notebooks import find

    try:
        return json.loads(find(notebook).path.read_text(encoding="utf-8"))
    except Exception:  # a notebook given by path that has moved since: the folder still lists its pages
        return None


def chapters(out: Path, pages: list[Page]) -> list[Chapter]:
    """The folder's pages grouped by notebook: the case's chapters in reading order, then any others."""
    order = list(NOTEBOOKS)
    by_notebook: dict[str, list[Page]] = {}
    for page in pages:
        by_notebook.setdefault(page.notebook, []).append(page)
    names = sorted(by_notebook, key=lambda n: (order.index(n) if n in order else len(order) + (n not in INSTRUCTOR_ONLY), n))
    result = []
    for notebook in names:
        group = sorted(by_notebook[notebook], key=lambda p: (not p.is_main, p.name))
        nb = next((nb for nb in (_executed(out, p) for p in group) if nb), None) or _source_notebook(notebook) or {"cells": []}
        about = abstract(nb)
        audience = (group[0].parameters or {}).get("audience", "student")
        result.append(Chapter(notebook, order.index(notebook) + 1 if notebook in order else None, about.title or notebook,
                              about.text, about.objectives, reading_minutes(nb, audience) if nb.get("cells") else None, group))
    return result


def reading_minutes(nb: dict, audience: str = "student") -> int:
    """Minutes to read a report: its prose at 200 words a minute, plus half a minute per exhibit.

    Counted on the executed notebook as the report shows it: markdown cells and text outputs
    (teaching notes and answers only for instructors), not code.
    """
    words, exhibits = 0, 0
    for cell in nb.get("cells", []):
        if audience != "instructor" and STUDENT_HIDDEN & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.get("cell_type") == "markdown":
            words += len(WORD.findall(_text(cell.get("source", ""))))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.casekit.exhibit+json" in data:
                exhibits += 1
            elif "text/markdown" in data or "text/html" in data:
                words += len(WORD.findall(TAG.sub(" ", _text(data.get("text/markdown") or data.get("text/html")))))
    return max(1, math.ceil(words / WORDS_PER_MINUTE + exhibits * MINUTES_PER_EXHIBIT))


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(value or [])


# ---- navigation in each report -------------------------------------------------------------------

def navigation(page: Page, books: list[Chapter], place: str) -> str:
    """The links at the top (``place='top'``) or end of a report: all chapters, previous, next."""
    import html

    mains = [c for c in books if c.position is not None and c.main is not None]
    this = next((c for c in books if c.notebook == page.notebook), None)
    previous = next_ = None
    if this is not None and this.position is not None:
        previous = next((c for c in reversed(mains) if c.position < this.position), None)
        next_ = next((c for c in mains if c.position > this.position), None)
    links = ['<a class="casekit-nav-home" href="index.html">All chapters</a>']
    for chapter, rel, word in ((previous, "prev", "Previous"), (next_, "next", "Next")):
        if chapter is None:
            continue
        href = html.escape(chapter.main.name)
        if place == "top":  # one short line above the title; the end of the page names the chapters
            arrow = ('<span aria-hidden="true">&larr; </span>', "") if rel == "prev" else ("", '<span aria-hidden="true"> &rarr;</span>')
            links.append(f'<a class="casekit-nav-{rel}" rel="{rel}" href="{href}.html">{arrow[0]}{word} chapter{arrow[1]}</a>')
        else:
            links.append(f'<a class="casekit-nav-{rel}" rel="{rel}" href="{href}.html"><span>{word}:</span> {html.escape(chapter.title)}</a>')
    label = "Chapters" if place == "top" else "Chapters (end of page)"
    return f'<nav class="casekit-nav casekit-nav-{place}" aria-label="{label}">{"".join(links)}</nav>'


def update_navigation(out: Path, books: list[Chapter]) -> list[str]:
    """Write each report's navigation where it differs from what the folder now holds; the names changed."""
    from .build import write_atomic
    from .render import NAV_MARKERS

    changed = []
    for book in books:
        for page in book.pages:
            path = out / f"{page.name}.html"
            if not page.has_report:
                continue
            before = path.stat()
            text = original = path.read_text(encoding="utf-8")
            for place, (start, end) in NAV_MARKERS.items():
                head, found, rest = text.partition(start)
                inside, closed, tail = rest.partition(end)
                if found and closed:
                    text = head + start + navigation(page, books, place) + end + tail
            if text == original:
                continue
            now = path.stat()
            if (now.st_mtime_ns, now.st_size, now.st_ino) != (before.st_mtime_ns, before.st_size, before.st_ino):
                continue  # another build just replaced it; its own site step will link it
            write_atomic(path, text)
            changed.append(page.name)
    return changed


# ---- the landing page ----------------------------------------------------------------------------

def landing_page(out: Path, books: list[Chapter]) -> str:
    """The HTML of ``OUT/index.html``."""
    import jinja2
    import mistune
    from markupsafe import Markup

    from . import __version__, data
    from .paths import templates_dir
    from .render import build_date, compact_css

    overview = next((c for c in books if c.notebook == "overview"), None)
    overview_nb = (_executed(out, overview.pages[0]) if overview else None) or _source_notebook("overview") or {"cells": []}
    opening = abstract(overview_nb)
    decision = tagged_markdown(overview_nb, "decision")
    sources = data.load("sources")
    names = sources["display_name"] if "display_name" in sources else sources["short_name"]
    current = data.content_hash()
    pages = [p for c in books for p in c.pages]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "site")), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters["markdown"] = lambda text: Markup(mistune.html(text or ""))
    environment.filters["inline"] = lambda text: Markup(re.sub(r"^<p>(.*)</p>\s*$", r"\1", mistune.html(text or ""), flags=re.S))
    return environment.get_template("index.html.j2").render(
        title=opening.title or data.package().descriptor.get("title", "Alibaba Group case"),
        decision=decision or opening.text, decision_declared=decision is not None,
        chapters=[c for c in books if c.position is not None], others=[c for c in books if c.position is None],
        sources=[{"name": n, "title": t, "kind": str(k).replace("_", " "), "year": y, "grade": str(g), "why": w}
                 for n, t, k, y, g, w in zip(names, sources["title"], sources["kind"], sources["year"],
                                             sources["reliability"], sources["reliability_note"])],
        data_version=data.version(), data_hash=current,
        stale=[p for p in pages if p.data_hash and p.data_hash != current],
        pages=pages, failed=sum(p.status == "failed" for p in pages),
        casekit_version=__version__, built=build_date(),
        css=compact_css((templates_dir() / "casekit" / "report.css").read_text(encoding="utf-8")),
    )


# ---- the whole site -------------------------------------------------------------------------------

def _fingerprint(out: Path) -> str:
    """Everything the landing page and the navigation are made from: records, pages, data, code."""
    from . import data
    from .build import code_version

    digest = hashlib.sha256(f"{code_version()} {data.version()} {data.content_hash()} {os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    for file in sorted((out / RECORDS).glob("*.json")):
        digest.update(file.name.encode() + file.read_bytes())
    for file in sorted(out.iterdir()):
        if file.suffix in (".html", ".ipynb", ".pdf") and file.name != "index.html" and not file.name.startswith("."):
            stat = file.stat()
            digest.update(f"{file.name} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def write_site(out: str | Path, *, pdf_for: list[str] | tuple[str, ...] = (), jobs: int = 1) -> None:
    """Link the folder's reports, print the ``pdf_for`` reports to PDF, and write ``OUT/index.html``.

    A folder whose pages, records, data and casekit are as they were last time is left untouched.
    """
    from .build import write_atomic

    out = Path(out)
    chromium = find_chromium() if pdf_for else None
    state = out / RECORDS / STATE
    try:
        last = state.read_text(encoding="ascii").strip()
    except OSError:
        last = ""
    current = (out / "index.html").is_file() and last == _fingerprint(out)
    if not current:
        update_navigation(out, chapters(out, read_pages(out)))
    if chromium:
        write_pdfs(out, pdf_for, chromium, jobs)
    fingerprint = _fingerprint(out)
    if current and fingerprint == last:
        return
    write_atomic(out / "index.html", landing_page(out, chapters(out, read_pages(out))))
    write_atomic(state, fingerprint + "\n")


# ---- PDF ------------------------------------------------------------------------------------------

def find_chromium() -> str:
    """Chromium or Chrome: $CASEKIT_CHROMIUM, else the first on PATH; a one-line error if none."""
    given = os.environ.get("CASEKIT_CHROMIUM")
    if given:
        if shutil.which(given):
            return shutil.which(given)
        raise BuildError(f"CASEKIT_CHROMIUM={given!r} is not a program that can run; {INSTALL_CHROMIUM.split(': ', 1)[1]}")
    for name in CHROMIUM_NAMES:
        if shutil.which(name):
            return shutil.which(name)
    raise BuildError(INSTALL_CHROMIUM)


def write_pdfs(out: Path, names: list[str] | tuple[str, ...], chromium: str, jobs: int = 1) -> list[Path]:
    """``NAME.pdf`` beside each ``NAME.html`` that lacks an up-to-date one; the PDFs written."""
    todo = []
    for name in dict.fromkeys(names):
        page, pdf = out / f"{name}.html", out / f"{name}.pdf"
        if page.is_file() and not (pdf.is_file() and pdf.stat().st_mtime_ns >= page.stat().st_mtime_ns):
            todo.append((page, pdf))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda job: print_pdf(chromium, *job), todo))


def print_pdf(chromium: str, page: Path, pdf: Path, wait_ms: int = 20_000) -> Path:
    """Print one report as the reader's browser would (print stylesheet, charts drawn) to ``pdf``.

    ``--virtual-time-budget`` lets the page's scripts unpack and draw every chart before printing.
    The PDF is written under a temporary name and renamed into place.
    """
    temporary = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(prefix="casekit-chromium-") as profile:
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--virtual-time-budget={wait_ms}", f"--print-to-pdf={temporary}", page.resolve().as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=180)
        except (OSError, subprocess.TimeoutExpired) as error:
            temporary.unlink(missing_ok=True)
            raise BuildError(f"{page.name}: Chromium could not print it ({error})") from None
    if not temporary.is_file() or temporary.read_bytes()[:5] != b"%PDF-":
        temporary.unlink(missing_ok=True)
        last = (result.stderr.strip().splitlines() or ["no output"])[-1][:200]
        raise BuildError(f"{page.name}: Chromium wrote no PDF (exit {result.returncode}: {last})")
    os.replace(temporary, pdf)
    return pdf
