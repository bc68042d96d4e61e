"""casekit build end to end through the real papermill, kernel and nbconvert."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from casekit.notebooks import available

from .conftest import REPO, run_cli  # the `reports` fixture comes from conftest, built once per session

pytestmark = pytest.mark.slow
NOTEBOOKS = available()


@pytest.fixture(scope="session")
def history_variant(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("variant")
    result = run_cli("build", "history", "-p", "start_year", "2005", "-p", "end_year", "2012", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _failing_notebook(folder: Path, message: str = "the data ran out") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell("size: int = 3  # how many")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook that fails"), parameters,
                nbformat.v4.new_code_cell("total = size * 2"), nbformat.v4.new_code_cell(f"raise ValueError({message!r})")]
    path = folder / "fragile.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_defaults_build_every_notebook_and_an_index(reports):
    for name in NOTEBOOKS:
        assert (reports / f"{name}.html").stat().st_size > 10_000
        executed = nbformat.read(str(reports / f"{name}.ipynb"), as_version=4)
        assert not any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))
    index = (reports / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        assert f'href="{name}.html"' in index


def test_reports_are_self_contained(reports):
    for name in NOTEBOOKS:
        page = (reports / f"{name}.html").read_text(encoding="utf-8")
        assert "cdn." not in page and "<script src=" not in page and '<link rel="stylesheet" href="http' not in page
        assert page.count('id="casekit-library"') == 1, "the chart library is in the page once"
        assert "MathJax" not in page


def test_reader_report_hides_code_and_shows_the_header(reports):
    page = (reports / "history.html").read_text(encoding="utf-8")
    assert "casekit.open_case" not in page
    assert "Parameters of this run" in page and "Data package 1." in page
    assert "Lowrey, The Alibaba Way (2016)" in page
    assert 'class="casekit-toc"' in page and "<ol><li>" in page


def test_a_second_build_with_nothing_changed_reuses_everything(reports):
    before = {p.name: p.stat().st_mtime_ns for p in reports.glob("*.html")}
    result = run_cli("build", "--out", str(reports))
    assert result.returncode == 0
    assert f"0 built, {len(NOTEBOOKS)} reused from cache, 0 failed" in result.stdout
    after = {p.name: p.stat().st_mtime_ns for p in reports.glob("*.html") if p.name != "index.html"}
    assert all(before[n] == t for n, t in after.items())


def test_parameters_take_effect_and_name_the_report(history_variant):
    path = history_variant / "history--start_year-2005_end_year-2012.html"
    assert path.exists()
    executed = nbformat.read(str(history_variant / "history--start_year-2005_end_year-2012.ipynb"), as_version=4)
    specs = [o["data"]["application/vnd.vegalite.v5+json"] for c in executed.cells for o in c.get("outputs", [])
             if "application/vnd.vegalite.v5+json" in o.get("data", {})]
    assert specs
    timeline = next(s for s in specs if "Exhibit 1" in json.dumps(s.get("title", "")))
    years = [int(row["when"][:4]) for dataset in timeline["datasets"].values() for row in dataset]
    assert years and min(years) >= 2005 and max(years) <= 2012
    page = path.read_text(encoding="utf-8")
    assert '<tr class="changed"><th>start_year</th><td>2005</td></tr>' in page


def test_changing_a_parameter_builds_only_the_new_report(history_variant):
    result = run_cli("build", "history", "-p", "start_year", "2005", "-p", "end_year", "2012", "--out", str(history_variant))
    assert "0 built, 1 reused from cache" in result.stdout
    result = run_cli("build", "history", "-p", "start_year", "2006", "-p", "end_year", "2012", "--out", str(history_variant))
    assert "1 built, 0 reused from cache" in result.stdout
    assert (history_variant / "history--start_year-2006_end_year-2012.html").exists()


def test_changing_a_data_row_invalidates_the_cache(tmp_path, data_copy):
    env = {"CASEKIT_DATA": str(data_copy)}
    out = tmp_path / "out"
    first = run_cli("build", "history", "--out", str(out), env=env)
    assert "1 built" in first.stdout, first.stderr
    assert "0 built, 1 reused" in run_cli("build", "history", "--out", str(out), env=env).stdout
    glossary = data_copy / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + 'zebra,"A term added by the test.",\n', encoding="utf-8")
    assert "1 built, 0 reused" in run_cli("build", "history", "--out", str(out), env=env).stdout


def test_force_rebuilds_and_two_builds_are_byte_identical(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    out = tmp_path / "out"
    assert run_cli("build", "history", "--out", str(out), env=env).returncode == 0
    first = {p.name: p.read_bytes() for p in out.glob("history*")}
    result = run_cli("build", "history", "--out", str(out), "--force", env=env)
    assert "1 built, 0 reused" in result.stdout
    second = {p.name: p.read_bytes() for p in out.glob("history*")}
    assert first.keys() == second.keys() == {"history.html", "history.ipynb"}
    for name in first:
        assert first[name] == second[name], f"{name} differs between two builds"
    assert b"built 2023-11-14" in first["history.html"]


def test_a_batch_builds_each_run_and_keeps_names_inside_out(tmp_path):
    batch = tmp_path / "groups.yml"
    batch.write_text(
        "- notebook: history\n  name: group-a\n  parameters: {start_year: 2003, end_year: 2008}\n"
        "- notebook: history\n  name: ../../escape/group b\n  parameters: {min_reliability: medium}\n"
        "- notebook: history\n  parameters: {themes: [fintech, regulation]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("build", "--batch", str(batch), "--out", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "3 built" in result.stdout
    names = sorted(p.name for p in out.glob("*.html"))
    assert names == ["group-a.html", "group_b.html", "history--themes-fintech+regulation.html", "index.html"]
    assert not (tmp_path / "escape").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "min_reliability = medium" in index and "start_year = 2003" in index


def test_a_failing_notebook_keeps_its_error_report_and_the_batch_goes_on(tmp_path):
    fragile = _failing_notebook(tmp_path)
    batch = tmp_path / "batch.yml"
    batch.write_text(f"- notebook: history\n- notebook: {fragile}\n  name: fragile\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--batch", str(batch), "--out", str(out))
    assert result.returncode == 1
    assert "1 built, 0 reused from cache, 1 failed" in result.stdout
    assert "fragile: failed at cell 4 (ValueError: the data ran out)" in result.stdout
    assert (out / "history.html").exists() and (out / "fragile.failed.html").exists()
    assert not (out / "fragile.html").exists()
    assert "the data ran out" in (out / "fragile.failed.html").read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr.split("fragile")[0]


def test_a_failed_rebuild_never_overwrites_the_last_good_report(tmp_path):
    notebook = _failing_notebook(tmp_path)
    nb = nbformat.read(str(notebook), as_version=4)
    good = nbformat.from_dict(nb)
    good.cells = good.cells[:3]
    nbformat.write(good, str(notebook))
    out = tmp_path / "out"
    assert run_cli("build", str(notebook), "--out", str(out)).returncode == 0
    kept = (out / "fragile.html").read_bytes()
    nbformat.write(nb, str(notebook))
    assert run_cli("build", str(notebook), "--out", str(out)).returncode == 1
    assert (out / "fragile.html").read_bytes() == kept
    assert (out / "fragile.failed.html").exists()
    assert "last good report kept" in (out / "index.html").read_text(encoding="utf-8")


def test_an_interrupted_build_leaves_no_half_written_report(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "history", "--out", str(out)).returncode == 0
    kept = (out / "history.html").read_bytes()
    process = subprocess.Popen([sys.executable, "-m", "casekit", "build", "history", "--force", "--out", str(out)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(3.0)  # the kernel is running the notebook by now
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert (out / "history.html").read_bytes() == kept
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == ["history.html", "history.ipynb", "index.html"]
    result = run_cli("build", "history", "--out", str(out))
    assert result.returncode == 0
    assert not list(out.glob(".*.tmp")) and not list((out / ".casekit").glob("*.running.ipynb"))


def test_static_charts_are_inline_svg_without_scripts(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "history", "--static-charts", "--show-code", "--out", str(out)).returncode == 0
    page = (out / "history.html").read_text(encoding="utf-8")
    assert "<svg" in page and "window.vegaEmbed=" not in page and "casekit-chart-spec" not in page
    assert "open_case" in page  # --show-code keeps the code


@pytest.mark.parametrize("args, message", [
    (["build", "nope"], "unknown notebook 'nope'; use one of:"),
    (["build", "history", "-p", "colour", "red"], "unknown parameter 'colour'"),
    (["build", "history", "-p", "start_year", "1800"], "start_year: 1800 is outside the data (allowed: "),
    (["build", "history", "-p", "start_year", "soon"], "start_year: expected int, got str 'soon'"),
    (["build", "history", "-p", "start_year", "2010", "-p", "end_year", "2005"], "start_year 2010 is after end_year 2005"),
    (["build", "history", "-p", "themes", "[fintech, gossip]"], "themes: 'gossip' is not allowed (allowed: history, business_model"),
    (["build", "history", "-p", "audience", "everyone"], "audience: 'everyone' is not allowed (allowed: student, instructor)"),
    (["build", "--batch", "missing.yml"], "batch file 'missing.yml' not found"),
])
def test_bad_input_is_one_line_with_no_traceback_and_no_kernel(args, message, tmp_path):
    result = run_cli(*args, "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.html"))


def test_a_bad_batch_entry_names_its_line(tmp_path):
    batch = tmp_path / "batch.yml"
    batch.write_text("- notebook: history\n- notebook: history\n  parameters: {start_year: 1700}\n", encoding="utf-8")
    result = run_cli("build", "--batch", str(batch), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "batch.yml line 2: start_year: 1700 is outside the data" in result.stderr
    batch.write_text("- notebook: history\n  parameters: [oops\n", encoding="utf-8")
    result = run_cli("build", "--batch", str(batch), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "batch.yml line" in result.stderr and "not valid YAML" in result.stderr


def test_out_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    result = run_cli("build", "history", "--out", str(target))
    assert result.returncode == 1 and "is a file" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


def test_params_lists_types_defaults_and_choices():
    result = run_cli("params", "history", "--json")
    assert result.returncode == 0
    parameters = {p["name"]: p for p in json.loads(result.stdout)["parameters"]}
    assert parameters["start_year"]["type"] == "int" and "a year from" in parameters["start_year"]["allowed"]
    assert parameters["audience"]["allowed"] == "one of: student, instructor"
    assert parameters["themes"]["help"]


def test_papermill_help_notebook_reads_the_annotations():
    result = subprocess.run([sys.executable, "-m", "papermill", "--help-notebook", str(REPO / "notebooks" / "01_history.ipynb")],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "start_year: int" in result.stdout and "first year shown" in result.stdout


def test_warm_kernels_never_share_state_between_reports(tmp_path):
    """Each report's kernel is forked from a pristine process: what one report changes, the next never sees."""
    def notebook(path: Path, code: str) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        parameters = nbformat.v4.new_code_cell("step: int = 1  # which step")
        parameters.metadata["tags"] = ["parameters"]
        nb.cells = [nbformat.v4.new_markdown_cell("# State"), parameters, nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, str(path))
        return path

    polluter = notebook(tmp_path / "polluter.ipynb",
                        "import os, casekit, pandas\ncasekit.leaked = True\npandas.leaked = True\nos.environ['CASEKIT_LEAK'] = '1'\nprint(os.getcwd())")
    observer = notebook(tmp_path / "observer.ipynb",
                        "import sys\nwarm = 'altair' in sys.modules  # imported by the zygote, never by this notebook\n"
                        "import os, casekit, pandas\nprint(hasattr(casekit, 'leaked'), hasattr(pandas, 'leaked'), 'CASEKIT_LEAK' in os.environ, warm)")
    from casekit.build import Builder, plan as plan_run

    summary = Builder(tmp_path / "out", jobs=1, warm=True).build([plan_run(str(polluter)), plan_run(str(observer))])
    assert summary.ok, str(summary)
    seen = nbformat.read(str(tmp_path / "out" / "observer.ipynb"), as_version=4).cells[-1].outputs[0]["text"]
    assert seen.strip() == "False False False True"
    where = nbformat.read(str(tmp_path / "out" / "polluter.ipynb"), as_version=4).cells[-1].outputs[0]["text"]
    assert where.strip() == str(tmp_path), "the kernel runs in the notebook's folder"
