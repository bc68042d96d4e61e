"""Executed notebook -> one self-contained, offline HTML report.

:class:`ReportRenderer` holds one configured nbconvert ``HTMLExporter`` and the packed chart
library, and is reused for every report a process renders: building them is the fixed cost.

A report carries everything it needs and requests nothing. To stay small (at most 0.5 MB), the
chart library (Vega and Vega-Lite) and the page's data (chart specs, each exhibit's CSV) travel
gzip-compressed inside the page as text (base85, in an alphabet that needs no escaping in HTML);
the browser unpacks them with its own ``DecompressionStream``. The stylesheet is casekit's own,
cut to the rules the reports use.
"""
from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import html
import json
import os
import re
import time
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets.config import Config

from . import __version__
from .case import EXHIBIT_MIME
from .errors import UnknownTable
from .notebooks import NOTEBOOKS, STUDENT_HIDDEN, abstract
from .paths import templates_dir

VEGALITE = "application/vnd.vegalite.v5+json"
PRIORITY = [EXHIBIT_MIME, VEGALITE, "image/svg+xml", "text/html", "text/markdown", "image/png", "image/jpeg", "text/plain"]
HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
TAG = re.compile(r"<[^>]+>")
# Base85 as Python's b85encode writes it (RFC 1924), re-spelt in 85 characters that need no escaping
# inside an HTML <script> element (no quotes, <, >, &, backslash or backtick). report.js decodes it.
RFC1924 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
ALPHABET = "".join(c for c in map(chr, range(33, 127)) if c not in "\"&'<>\\`{}")
TO_ALPHABET = str.maketrans(RFC1924, ALPHABET)
# Where the landing page's links (previous, next, all chapters) go; casekit.site fills them in
# once it knows which pages the folder holds.
NAV_MARKERS = {place: (f"<!--casekit:nav:{place}-->", f"<!--/casekit:nav:{place}-->") for place in ("top", "end")}


def pack(text: str) -> str:
    """gzip, then base85 in :data:`ALPHABET`; the same bytes every time (no timestamp in the gzip header)."""
    return base64.b85encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii").translate(TO_ALPHABET)


def unpack(text: str) -> str:
    """The inverse of :func:`pack` (report.js does the same in the browser)."""
    return gzip.decompress(base64.b85decode(text.translate(str.maketrans(ALPHABET, RFC1924)))).decode("utf-8")


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casekit"


@lru_cache(maxsize=1)
def chart_library() -> str:
    """Vega and Vega-Lite in one script (from vl-convert, matching Altair's Vega-Lite), packed.

    Only the two libraries the page's script needs (``window.vega``, ``window.vegaLite``); should
    this vl-convert not bundle them apart, the whole Vega-Embed bundle (a larger page, same charts).
    Bundling and packing take seconds, so the result is kept in the user's cache folder, keyed by
    the library versions, and shared by every process that renders reports.
    """
    import altair as alt
    import vl_convert

    vegalite = alt.SCHEMA_VERSION.lstrip("v")
    major_minor = ".".join(vegalite.split(".")[:2])
    snippet = (f'import * as vg from "/npm/vega@{vl_convert.get_vega_version()}/+esm"; '
               f'import * as vl from "/npm/vega-lite@{vegalite}/+esm"; window.vega = vg; window.vegaLite = vl;')
    key = hashlib.sha256(f"{snippet} {vl_convert.__version__}".encode()).hexdigest()[:12]
    file = _cache_dir() / f"vega-vegalite{vegalite}-{key}.js.gz.b85"
    try:
        return file.read_text(encoding="ascii")
    except OSError:
        pass
    try:
        bundle = vl_convert.javascript_bundle(snippet=snippet, vl_version=major_minor)
    except BaseException as error:  # vl-convert panics (a BaseException) on a module it does not ship
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        bundle = vl_convert.javascript_bundle(vl_version=major_minor)
    packed = pack(bundle)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        temporary.write_text(packed, encoding="ascii")
        os.replace(temporary, file)
    except OSError:
        pass  # a read-only home: bundle again next time
    return packed


def build_date() -> str | None:
    """The date to print on a report: only when SOURCE_DATE_EPOCH asks for one (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return time.strftime("%Y-%m-%d", time.gmtime(int(epoch))) if epoch and epoch.isdigit() else None


class StaticCharts(Preprocessor):
    """Replace each Vega-Lite output by its SVG drawing (for print and PDF), keeping its text alternative."""

    def preprocess_cell(self, cell, resources, index):
        import vl_convert

        for output in cell.get("outputs", []):
            spec = output.get("data", {}).pop(VEGALITE, None)
            if spec is not None:
                output["data"]["image/svg+xml"] = vl_convert.vegalite_to_svg(spec)
                output.setdefault("metadata", {})["casekit"] = {"description": spec.get("description", "")}
        return cell, resources


class ReaderView(Preprocessor):
    """A reader's report: no warnings on stderr, and the title only once (in the page header)."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
                cell.source = cell.source.lstrip().split("\n", 1)[1] if "\n" in cell.source.lstrip() else ""
                break
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        return cell, resources


# ---- the glossary --------------------------------------------------------------------------------

class Glossary:
    """The terms of ``data/glossary.csv``, found in a chapter's prose."""

    def __init__(self, terms: list[tuple[str, str]]):
        self.definitions = dict(terms)
        # Longest first, so "take rate" wins over "rate" and "first-party retail" over "retail".
        self.patterns = [(term, _term_pattern(term)) for term in sorted(self.definitions, key=len, reverse=True)]

    @classmethod
    def from_data(cls) -> Glossary:
        from .data import load

        frame = load("glossary")
        return cls([(str(t), str(d)) for t, d in zip(frame["term"], frame["definition"])])


def _term_pattern(term: str) -> re.Pattern:
    """A term as a whole word or phrase: any spacing or hyphen between words, either apostrophe, a plural."""
    words = [re.escape(w).replace("'", "['\u2019]") for w in re.split(r"[\s-]+", term)]
    flags = 0 if term.isupper() or any(c.isdigit() for c in term) else re.I  # IPO, B2B are written in capitals
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:s|es)?(?![\w-])", flags)


def term_anchor(term: str) -> str:
    return "term-" + (re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-") or "x")


class _TermMarker(HTMLParser):
    """Rewrites an HTML fragment, marking the first use of each glossary term in running text.

    Text inside links, code, headings, tables and captions is left alone.
    """

    SKIP = {"a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "table", "figcaption", "caption",
            "script", "style", "svg", "button", "label", "summary", "dfn", "abbr", "sup", "sub", "math", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=False)
        self.page = page
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data if self.SKIP & set(self.open) else self.page.mark_text(data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


# ---- what one page collects while it renders --------------------------------------------------------

class Page:
    """State of one report page while its template renders, in reading order.

    It numbers the charts and the exhibits' CSV files (both go into the page's packed data) and
    remembers which glossary terms the chapter has used, so each is defined where it first appears.
    """

    def __init__(self, glossary: Glossary | None = None):
        self.glossary = glossary
        self.charts: list[dict] = []
        self.tables: list[str] = []
        self.used: dict[str, str] = {}  # term -> anchor, in order of first use

    def chart(self, spec: dict) -> int:
        self.charts.append(spec)
        return len(self.charts) - 1

    def table(self, csv: str) -> int:
        # Exhibits drawn from the same rows share one copy of their CSV in the page.
        if csv not in self.tables:
            self.tables.append(csv)
        return self.tables.index(csv)

    def mark_terms(self, fragment: str) -> str:
        """``fragment`` (rendered Markdown) with the chapter's first use of each glossary term marked."""
        if not self.glossary or len(self.used) == len(self.glossary.definitions):
            return fragment
        marker = _TermMarker(self)
        marker.feed(fragment)
        marker.close()
        return "".join(marker.out)

    def mark_text(self, text: str) -> str:
        """``text`` (a run of HTML text, no tags) with the terms not yet used marked and defined."""
        pieces, position, found = [], 0, []
        for term, pattern in self.glossary.patterns:
            if term in self.used:
                continue
            match = pattern.search(text)
            if match and not any(match.start() < end and start < match.end() for start, end, _ in found):
                found.append((match.start(), match.end(), term))
        for start, end, term in sorted(found):
            anchor = term_anchor(term)
            self.used[term] = anchor
            pieces.append(text[position:start])
            pieces.append(
                f'<span class="casekit-term"><a href="#{anchor}" aria-describedby="{anchor}-tip">{text[start:end]}</a>'
                f'<span class="casekit-term-tip" role="tooltip" id="{anchor}-tip">{html.escape(self.glossary.definitions[term])}</span></span>'
            )
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def terms(self) -> list[tuple[str, str, str]]:
        """(term, anchor, definition) for every term the chapter used, in the order it used them."""
        return [(term, anchor, self.glossary.definitions[term]) for term, anchor in self.used.items()]

    def payload(self) -> str:
        return pack(json.dumps({"charts": self.charts, "csv": self.tables}, separators=(",", ":"), sort_keys=True))


# ---- the renderer ------------------------------------------------------------------------------------

class ReportRenderer:
    """Renders executed case notebooks to HTML, reusing one exporter.

    :param show_code: keep code cells (default: a reader's report without code).
    :param static_charts: draw charts as inline SVG instead of interactive Vega (for print).
    """

    def __init__(self, show_code: bool = False, static_charts: bool = False):
        self.show_code = show_code
        self.static_charts = static_charts
        exporter = HTMLExporter(
            template_name="casekit",
            extra_template_basedirs=[str(templates_dir())],
            exclude_input=not show_code,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            mathjax_url="",
            require_js_url="",
            # Off: with it, nbconvert parses each inline HTML tag of a Markdown output on its own and closes it
            # at once, so an end-note mark <sup><a ...>1</a></sup> comes out as <sup></sup><a ...></a>1.
            # No notebook links an image file from Markdown; charts are outputs, embedded either way.
            embed_images=False,
            optimistic_validation=True,  # validate the notebook once, not after each preprocessor
            # nbconvert's HTML exporter makes a new output-type filter per render from this config key.
            config=Config({"NbConvertBase": {"display_data_priority": PRIORITY}}),
        )
        # The cell that opens the case prints a header in JupyterLab; the report has its own.
        exporter.register_preprocessor(TagRemovePreprocessor(remove_all_outputs_tags={"case-header"}, enabled=True), enabled=True)
        exporter.register_preprocessor(ReaderView(enabled=True), enabled=True)
        if static_charts:
            exporter.register_preprocessor(StaticCharts(enabled=True), enabled=True)
        self.exporter = exporter
        folder = templates_dir() / "casekit"
        self.css = compact_css((folder / "report.css").read_text(encoding="utf-8"))
        self.script = compact_js((folder / "report.js").read_text(encoding="utf-8")).replace("@ALPHABET@", ALPHABET)

    def render(self, nb: nbformat.NotebookNode, notebook: str, parameters: list[tuple[str, str, bool]],
               sources: list[str], data_version: str, data_hash: str, name: str | None = None) -> str:
        """The report page for an executed notebook (``name``: the report's file stem, for download names).

        A student-audience report leaves out teaching notes (cells tagged ``instructor``) and the
        exercises' solutions and checks (tagged ``solution`` / ``check``), which would give answers away.
        """
        audience = next((v for k, v, _ in parameters if k == "audience"), "student")
        if audience != "instructor":
            nb = copy.copy(nb)  # a new list of cells; the exporter copies the cells deeply itself
            nb.cells = [c for c in nb.cells if not STUDENT_HIDDEN & set(c.get("metadata", {}).get("tags", []))]
        title = abstract(nb).title or notebook
        chapters = list(NOTEBOOKS)
        try:
            glossary = Glossary.from_data()
        except UnknownTable:  # a data package without a glossary: a report without one
            glossary = None
        page = Page(glossary)
        resources = {
            "casekit": {
                "notebook": notebook,
                "name": name or notebook,
                "title": title,
                "chapter": chapters.index(notebook) + 1 if notebook in chapters else None,
                "chapters": len(chapters),
                "course": next((v for k, v, _ in parameters if k == "course"), ""),
                "parameters": [p for p in parameters if p[0] != "course"],
                "sources": sources,
                "data_version": data_version,
                "data_hash": data_hash,
                "casekit_version": __version__,
                "built": build_date(),
                "library": "" if self.static_charts else chart_library(),
                "css": self.css,
                "script": self.script,
                "page": page,
                "nav": NAV_MARKERS,
            },
            "metadata": {"name": title},
        }
        body, _ = self.exporter.from_notebook_node(nb, resources=resources)
        return add_contents(body)


def compact_css(css: str) -> str:
    """The stylesheet without comments and spare whitespace (the file in templates/ stays readable)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\s*([{};,])\s*", r"\1", re.sub(r"\s+", " ", css)).strip()


def compact_js(script: str) -> str:
    """The page script without its comment lines and indentation (it has no multi-line strings)."""
    script = re.sub(r"^/\*.*?\*/\n", "", script, flags=re.S)
    lines = (line.strip() for line in script.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def add_contents(page: str) -> str:
    """Fill the table of contents from the page's section headings."""
    items = []
    for level, anchor, inner in HEADING.findall(page):
        text = html.unescape(TAG.sub("", inner)).replace("¶", "").strip()
        if level == "2":
            items.append(f'<li><a href="#{anchor}">{html.escape(text)}</a></li>')
    contents = f"<strong>Contents</strong><ol>{''.join(items)}</ol>" if items else ""
    return page.replace("<!-- casekit:toc -->", contents, 1)
