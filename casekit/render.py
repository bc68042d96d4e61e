"""Executed notebook -> one self-contained, offline HTML report.

:class:`ReportRenderer` holds one configured nbconvert ``HTMLExporter`` and the Vega bundle, and is
reused for every report a process renders: building the exporter and the bundle is the fixed cost.
"""
from __future__ import annotations

import copy
import html
import os
import re
import time
from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from . import __version__
from .paths import templates_dir

VEGALITE = "application/vnd.vegalite.v5+json"
STUDENT_HIDDEN = {"instructor", "solution", "check"}
PRIORITY = [VEGALITE, "image/svg+xml", "text/html", "text/markdown", "image/png", "image/jpeg", "text/plain"]
HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script (from vl-convert), matching Altair's Vega-Lite.

    Bundling takes about a second, so the result is kept in the user's cache folder, keyed by
    the library versions, and shared by every process that renders reports.
    """
    import altair as alt
    import vl_convert

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casekit"
    file = cache / f"vega-bundle-vl{major_minor}-vlconvert{vl_convert.__version__}.js"
    try:
        return file.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(vl_version=major_minor).replace("</script", "<\\/script")  # inlined in <script>
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        temporary.write_text(bundle, encoding="utf-8")
        os.replace(temporary, file)
    except OSError:
        pass  # a read-only home: bundle again next time
    return bundle


def build_date() -> str | None:
    """The date to print on a report: only when SOURCE_DATE_EPOCH asks for one (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return time.strftime("%Y-%m-%d", time.gmtime(int(epoch))) if epoch and epoch.isdigit() else None


class StaticCharts(Preprocessor):
    """Replace each Vega-Lite output by its SVG drawing (for print and PDF)."""

    def preprocess_cell(self, cell, resources, index):
        import vl_convert

        for output in cell.get("outputs", []):
            spec = output.get("data", {}).pop(VEGALITE, None)
            if spec is not None:
                output["data"]["image/svg+xml"] = vl_convert.vegalite_to_svg(spec)
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
            embed_images=True,
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
        self.css = (templates_dir() / "casekit" / "report.css").read_text(encoding="utf-8")

    def render(self, nb: nbformat.NotebookNode, notebook: str, parameters: list[tuple[str, str, bool]],
               sources: list[str], data_version: str, data_hash: str) -> str:
        """The report page for an executed notebook.

        A student-audience report leaves out teaching notes (cells tagged ``instructor``) and the
        exercises' solutions and checks (tagged ``solution`` / ``check``), which would give answers away.
        """
        audience = next((v for k, v, _ in parameters if k == "audience"), "student")
        if audience != "instructor":
            nb = copy.copy(nb)  # a new list of cells; the exporter copies the cells deeply itself
            nb.cells = [c for c in nb.cells if not STUDENT_HIDDEN & set(c.get("metadata", {}).get("tags", []))]
        resources = {
            "casekit": {
                "notebook": notebook,
                "title": notebook_title(nb) or notebook,
                "course": next((v for k, v, _ in parameters if k == "course"), ""),
                "parameters": [p for p in parameters if p[0] != "course"],
                "sources": sources,
                "data_version": data_version,
                "data_hash": data_hash,
                "casekit_version": __version__,
                "built": build_date(),
                "vega_bundle": "" if self.static_charts else vega_bundle(),
                "css": self.css,
            },
            "metadata": {"name": notebook_title(nb) or notebook},
        }
        body, _ = self.exporter.from_notebook_node(nb, resources=resources)
        return add_contents(body)


def notebook_title(nb: nbformat.NotebookNode) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def add_contents(page: str) -> str:
    """Fill the table of contents from the page's section headings."""
    items = []
    for level, anchor, inner in HEADING.findall(page):
        text = html.unescape(TAG.sub("", inner)).replace("¶", "").strip()
        if level == "2":
            items.append(f'<li><a href="#{anchor}">{html.escape(text)}</a></li>')
    contents = f"<strong>Contents</strong><ol>{''.join(items)}</ol>" if items else ""
    return page.replace("<!-- casekit:toc -->", contents, 1)
