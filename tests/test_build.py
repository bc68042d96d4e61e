"""casekit build: the cache key, the files a build leaves, failures, concurrency, fork safety.

The key and the command's refusals are tested in-process without a kernel; builds run the real
papermill, kernel and nbconvert (``slow``)."""
from __future__ import annotations

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from casekit.build import Builder, plan
from casekit.errors import BuildError
from casekit.notebooks import available, find
from casekit.render import STUDENT_HIDDEN

from .conftest import EPOCH, REPO, run_cli, small_notebook  # the `reports` fixture comes from conftest, built once per session

NOTEBOOKS = available()
slow = pytest.mark.slow


def wait_for(condition, seconds: float = 120, what: str = "condition") -> None:
    """Poll until ``condition()`` holds (never a fixed sleep that passes either way)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie has exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


# ---- the cache key: one test per input -----------------------------------------------------------

LIBRARIES = (("python", "3.11.7"), ("papermill", "2.7.0"), ("nbclient", "0.11.0"), ("nbconvert", "7.17.2"),
             ("altair", "5.5.0"), ("vl-convert-python", "1.9.0"), ("pandas", "3.1.1"))
KERNEL = {"name": "python3", "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "env": {},
          "language": "python", "native": True}


def _environment(**changes):
    """A fixed build environment (casekit code, library versions, data, SOURCE_DATE_EPOCH, options)."""
    from casekit.build import Environment

    return Environment(**{"casekit": "0.1.0+0123456789abcdef", "libraries": LIBRARIES, "data_hash": "aaaabbbbccccdddd",
                          "source_date_epoch": None, "options": (("show_code", False), ("static_charts", False)), **changes})


def key(run, environment=None, kernel=None) -> str:
    """The cache key of ``run`` in a fixed environment and kernel (or the ones given)."""
    from casekit.build import cache_key

    return cache_key(run, environment or _environment(), kernel or KERNEL)


@pytest.fixture
def lesson(tmp_path) -> Path:
    """A small notebook (two code cells and a teaching note) that declares the other files it reads."""
    (tmp_path / "groups.yml").write_text("- notebook: lesson\n", encoding="utf-8")
    path = small_notebook(tmp_path / "lesson.ipynb", "answer = size * 2", "print(answer)",
                          metadata={"casekit": {"reads": ["groups.yml", "extra/*.csv"]}})
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Teaching note: ask why the answer doubles."))
    nb.cells[-1].id = "note"
    nbformat.write(nb, str(path))
    return path


def _edit(path: Path, change) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


NOTEBOOK_CHANGES = {
    "code": lambda nb: nb["cells"][2].update(source="answer = size * 3"),
    "markdown": lambda nb: nb["cells"][-1].update(source="Teaching note: ask why it triples."),
    "tags": lambda nb: nb["cells"][-1]["metadata"].update(tags=["instructor"]),
    "cell metadata": lambda nb: nb["cells"][2]["metadata"].update(jupyter={"source_hidden": True}),
    "cell id": lambda nb: nb["cells"][2].update(id="renamed"),
    "cell order": lambda nb: nb["cells"].insert(2, nb["cells"].pop(3)),
    "new cell": lambda nb: nb["cells"].append({"cell_type": "markdown", "id": "more", "metadata": {}, "source": "More."}),
    "attachment": lambda nb: nb["cells"][-1].update(attachments={"a.png": {"image/png": "iVBORw0KGgo="}}),
    "kernelspec": lambda nb: nb["metadata"]["kernelspec"].update(name="python3-other"),
    "declared reads": lambda nb: nb["metadata"]["casekit"]["reads"].append("other.ipynb"),
}


@pytest.mark.parametrize("change", NOTEBOOK_CHANGES, ids=list(NOTEBOOK_CHANGES))
def test_the_key_changes_with_the_notebook(lesson, change):
    before = key(plan(str(lesson)))
    _edit(lesson, NOTEBOOK_CHANGES[change])
    assert key(plan(str(lesson))) != before


def test_the_key_ignores_what_execution_rewrites(lesson):
    """Outputs, execution counts, language_info and the JSON's layout are not inputs."""
    before = key(plan(str(lesson)))

    def executed(nb):
        nb["cells"][3]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "6\n"}]
        nb["cells"][3]["execution_count"] = 7
        nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}

    _edit(lesson, executed)
    lesson.write_text(json.dumps(json.loads(lesson.read_text(encoding="utf-8")), indent=4), encoding="utf-8")
    assert key(plan(str(lesson))) == before


def test_the_key_changes_with_the_parameters(lesson):
    assert key(plan(str(lesson), {"size": 4})) != key(plan(str(lesson)))


def test_the_key_changes_with_a_file_the_notebook_declares_it_reads(lesson):
    run = plan(str(lesson))
    before = key(run)
    (lesson.parent / "groups.yml").write_text("- notebook: lesson\n  name: group-a\n", encoding="utf-8")
    edited = key(run)
    assert edited != before
    (lesson.parent / "extra").mkdir()
    (lesson.parent / "extra" / "figures.csv").write_text("a\n1\n", encoding="utf-8")  # a pattern that now matches
    assert key(run) != edited


ENVIRONMENT_CHANGES = {
    "data content": {"data_hash": "eeeeffff00001111"},
    "casekit code": {"casekit": "0.1.0+fedcba9876543210"},
    "SOURCE_DATE_EPOCH": {"source_date_epoch": "1700000000"},
    "render options": {"options": (("show_code", True), ("static_charts", False))},
    **{f"{name} version": {"libraries": tuple((n, v + ".1" if n == name else v) for n, v in LIBRARIES)}
       for name, _ in LIBRARIES},
}


@pytest.mark.parametrize("change", ENVIRONMENT_CHANGES, ids=list(ENVIRONMENT_CHANGES))
def test_the_key_changes_with_the_environment(lesson, change):
    run = plan(str(lesson))
    assert key(run, _environment(**ENVIRONMENT_CHANGES[change])) != key(run)


def test_the_key_changes_with_the_kernel(lesson):
    run = plan(str(lesson))
    for other in ({**KERNEL, "name": "python3-other"}, {**KERNEL, "argv": ["/opt/py/bin/python", *KERNEL["argv"][1:]]},
                  {**KERNEL, "env": {"PYTHONHASHSEED": "0"}}):
        assert key(run, kernel=other) != key(run)


def test_the_environment_is_read_from_this_installation(monkeypatch):
    from casekit.build import Environment

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    environment = Environment.current({"show_code": False, "static_charts": False}, "abc")
    assert environment.source_date_epoch == "1700000000"
    versions = dict(environment.libraries)
    for library in ("python", "papermill", "nbclient", "nbconvert", "altair", "vl-convert-python", "pandas"):
        assert versions[library][0].isdigit(), library
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert Environment.current({}, "abc").source_date_epoch is None


def test_the_code_digest_covers_every_module_and_template(tmp_path):
    from casekit.build import code_digest

    package = tmp_path / "casekit"
    (package / "templates" / "casekit").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    files = {"build.py": "x = 1\n", "templates/casekit/report.css": "body {}\n", "chapters/history.md.j2": "{{ a }}\n"}
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    before = code_digest(package)
    (package / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"\0")
    assert code_digest(package) == before, "bytecode is not code"
    for name in files:
        (package / name).write_text(files[name] + " ", encoding="utf-8")
        assert code_digest(package) != before, name
        (package / name).write_text(files[name], encoding="utf-8")
    assert code_digest(package) == before


# ---- the command's refusals (no kernel) ---------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["build", "nope"], "unknown notebook 'nope'; use one of:"),
    (["build", "history", "-p", "colour", "red"], "unknown parameter 'colour'"),
    (["build", "history", "-p", "start_year", "1800"], "start_year: 1800 is outside the data (allowed: "),
    (["build", "history", "-p", "start_year", "soon"], "start_year: expected int, got str 'soon'"),
    (["build", "history", "-p", "start_year", "2010", "-p", "end_year", "2005"], "start_year 2010 is after end_year 2005"),
    (["build", "history", "-p", "themes", "[fintech, gossip]"], "themes: 'gossip' is not allowed (allowed: history, business_model"),
    (["build", "history", "-p", "audience", "everyone"], "audience: 'everyone' is not allowed (allowed: student, instructor)"),
    (["build", "--batch", "missing.yml"], "batch file 'missing.yml' not found"),
    (["build", "history", "--kernel", "nope"], "unknown kernel 'nope' (installed kernels: "),
])
def test_bad_input_is_one_line_with_no_traceback_and_no_kernel(main, args, message, tmp_path):
    code, _, err = main(*args, "--out", str(tmp_path / "out"))
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.html"))


def test_a_bad_batch_entry_names_its_line(main, tmp_path):
    batch = tmp_path / "batch.yml"
    batch.write_text("- notebook: history\n- notebook: history\n  parameters: {start_year: 1700}\n", encoding="utf-8")
    code, _, err = main("build", "--batch", str(batch), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "batch.yml line 2: start_year: 1700 is outside the data" in err
    batch.write_text("- notebook: history\n  parameters: [oops\n", encoding="utf-8")
    code, _, err = main("build", "--batch", str(batch), "--out", str(tmp_path / "out"))
    assert code == 1 and "batch.yml line" in err and "not valid YAML" in err


def test_out_that_is_a_file_is_refused(main, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = main("build", "history", "--out", str(target))
    assert code == 1 and "is a file" in err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_params_lists_types_defaults_and_choices(main):
    code, out, _ = main("params", "history", "--json")
    assert code == 0
    parameters = {p["name"]: p for p in json.loads(out)["parameters"]}
    assert parameters["start_year"]["type"] == "int" and "a year from" in parameters["start_year"]["allowed"]
    assert parameters["audience"]["allowed"] == "one of: student, instructor"
    assert parameters["themes"]["help"]


def test_papermill_help_notebook_reads_the_annotations():
    result = subprocess.run([sys.executable, "-m", "papermill", "--help-notebook", str(REPO / "notebooks" / "01_history.ipynb")],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "start_year: int" in result.stdout and "first year shown" in result.stdout


def test_an_unknown_kernel_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(BuildError, match=r"^unknown kernel 'nope' \(installed kernels: .*python3"):
        Builder(tmp_path / "out", kernel_name="nope").build([plan("history")])
    assert not (tmp_path / "out").exists()


# ---- scratch files, warm kernels and forks (no notebook kernel) ------------------------------------

def test_a_build_removes_scratch_files_only_when_their_build_is_gone(tmp_path):
    """The files of a build that is still running stay; those of a build that was killed go."""
    out = tmp_path / "out"
    (out / ".casekit").mkdir(parents=True)
    owner = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; from casekit.build import Scratch\n"
                              f"s = Scratch(Path({str(out)!r})); (s.path / 'half.html.tmp').write_text('x'); print(s.path, flush=True); sys.stdin.read()"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        scratch = Path(owner.stdout.readline().strip())
        # A scratch notebook named as casekit 0.1.0 named them: NAME.PID.running.ipynb, its process alive.
        legacy = out / ".casekit" / f"history.{sleeper.pid}.running.ipynb"
        legacy.write_text("{}", encoding="utf-8")
        assert Builder(out).build([]).ok
        assert legacy.exists(), "the scratch notebook of a running build was removed"
        assert (scratch / "half.html.tmp").exists(), "the scratch folder of a running build was removed"
        owner.kill(), sleeper.kill()
        owner.wait(), sleeper.wait()
        assert Builder(out).build([]).ok
        assert not scratch.exists() and not legacy.exists(), "a dead build's files were left"
    finally:
        for process in (owner, sleeper):
            process.kill()
            process.wait()


def test_the_warm_kernel_server_answers_a_bad_request_and_goes_on():
    from casekit import warm

    def ask(zygote, payload: bytes) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(zygote.path)
            client.sendall(payload)
            return client.makefile().readline()

    valid_but_nowhere = {"connection_file": "k.json", "arguments": [], "cwd": "/nonexistent/folder", "env": {}, "launcher": 1}
    with warm.Zygote() as zygote:
        assert zygote.wait_ready()
        assert ask(zygote, b"hello\n") == "error: malformed request: not a line of JSON\n"
        assert ask(zygote, b'{"connection_file": "k.json"}\n') == "error: malformed request: 'arguments' missing or not list\n"
        assert ask(zygote, b"[1, 2]\n") == "error: malformed request: expected a JSON object\n"
        assert ask(zygote, (json.dumps(valid_but_nowhere) + "\n").encode()).startswith("error: no folder '/nonexistent/folder'")
        assert zygote.process.poll() is None, "the server stopped"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_the_warm_kernel_server_ends_with_the_build_that_started_it():
    parent = subprocess.Popen([sys.executable, "-c", "import time; from casekit import warm\nz = warm.Zygote(); z.wait_ready()\n"
                               "print(z.process.pid, flush=True); time.sleep(600)"], stdout=subprocess.PIPE, text=True, cwd=REPO)
    zygote = int(parent.stdout.readline())
    assert running(zygote)
    parent.kill()  # no clean-up code runs
    parent.wait()
    wait_for(lambda: not running(zygote), 20, "the warm-kernel server to exit")


def test_warm_kernels_replace_only_this_pythons_own_kernel(tmp_path, monkeypatch):
    from casekit import warm

    spec = tmp_path / "kernels" / "other"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, "-m", "other_kernel", "-f", "{connection_file}"],
                                                  "display_name": "Other", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv(warm.SOCKET_ENV, str(tmp_path / "zygote.sock"))
    manager = warm.kernel_manager_class()
    native = manager(kernel_name="python3", connection_file=str(tmp_path / "k1.json"))
    assert native.format_kernel_cmd(["--Session.key=b''"]) == [sys.executable, "-m", "casekit.warm", "launch",
                                                              str(tmp_path / "k1.json"), "--Session.key=b''"]
    other = manager(kernel_name="other", connection_file=str(tmp_path / "k2.json"))
    assert other.format_kernel_cmd() == [sys.executable, "-m", "other_kernel", "-f", str(tmp_path / "k2.json")]
    from casekit.build import kernel_spec

    assert kernel_spec("other")["native"] is False and kernel_spec("python3")["native"] is True


def _broken_kernel(folder: Path) -> Path:
    """A Jupyter data folder with a kernel named "broken" that exits at once (JUPYTER_PATH=folder)."""
    spec = folder / "kernels" / "broken"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, "-c", "raise SystemExit(3)", "-f", "{connection_file}"],
                                                  "display_name": "Broken", "language": "python"}), encoding="utf-8")
    return folder


@pytest.mark.parametrize("other_thread", [False, True], ids=["alone", "with another thread"])
def test_workers_fork_before_any_thread_starts(tmp_path, other_thread):
    """With a progress bar on a terminal, the pool's workers still fork while this process has one thread;
    in a process that already runs another thread, they come from a fork server instead, and work."""
    script = tmp_path / "fork.py"
    script.write_text(
        "import io, os, sys, threading, time\n"
        + ("threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n" if other_thread else "")
        + "threads = []\nos.register_at_fork(before=lambda: threads.append(threading.active_count()))\n"
        "class Terminal(io.StringIO):\n    def isatty(self):\n        return True\n"
        "sys.stderr = Terminal()\n"
        "from casekit.build import Builder, plan\n"
        "if __name__ == '__main__':  # a fork server's workers import this file again\n"
        "    runs = [plan(p) for p in sys.argv[1:3]]\n"
        "    summary = Builder(sys.argv[3], jobs=2, progress=True, kernel_name='broken').build(runs)\n"
        "    sys.stdout.write(f'{threads}\\n{summary}\\n')\n", encoding="utf-8")
    notebooks = [small_notebook(tmp_path / f"lesson{i}.ipynb", "pass") for i in (1, 2)]
    result = subprocess.run([sys.executable, str(script), *map(str, notebooks), str(tmp_path / "out")],
                            capture_output=True, text=True, cwd=REPO, timeout=300,
                            env={**os.environ, "JUPYTER_PATH": str(_broken_kernel(tmp_path / "jupyter"))})
    assert result.returncode == 0, result.stderr
    threads, *summary = result.stdout.splitlines()
    assert threads == ("[]" if other_thread else "[1, 1]"), f"threads running at each fork: {threads}"
    assert summary[0] == "0 built, 0 reused from cache, 2 failed"
    assert all(": the kernel did not start (RuntimeError: Kernel died before replying to kernel_info)" in line
               for line in summary[1:]), summary


# ---- builds (slow) ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def history_variant(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("variant")
    result = run_cli("build", "history", "-p", "start_year", "2005", "-p", "end_year", "2012", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


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
    result = run_cli("build", "--out", str(reports), env=EPOCH)
    assert result.returncode == 0
    assert f"0 built, {len(NOTEBOOKS)} reused from cache, 0 failed" in result.stdout
    after = {p.name: p.stat().st_mtime_ns for p in reports.glob("*.html") if p.name != "index.html"}
    assert all(before[n] == t for n, t in after.items())


def _normalised(text: str) -> str:
    """Words as a reader sees them: no tags, entities, Markdown emphasis or line breaks."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(re.sub(r"[*_`>#|\\]", " ", text).split())


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _cell_text(cell) -> str:
    outputs = [s for o in cell.get("outputs", []) for s in _strings({k: v for k, v in o.items() if k in ("text", "data")})]
    return "\n".join([cell.source, *outputs])


def _secrets(instructor: Path) -> set[str]:
    """Every line of a teaching note, solution or check (source and output) from the instructor build,
    that does not also appear in a cell students are shown."""
    secrets, shown = set(), []
    for name in NOTEBOOKS:
        executed = nbformat.read(str(instructor / f"{name}.ipynb"), as_version=4)
        for cell in executed.cells:
            hidden = STUDENT_HIDDEN & set(cell.metadata.get("tags", []))
            lines = [_normalised(line) for line in _cell_text(cell).splitlines()]
            if hidden:
                secrets.update(line for line in lines if len(line) >= 20)
            else:
                shown.append(_normalised(_cell_text(cell)))
    everything_shown = "\n".join(shown)
    return {s for s in secrets if s not in everything_shown}


def _file_text(path: Path) -> str:
    """What a file says, readably: a notebook's strings; a report with its packed charts and CSVs unpacked."""
    from casekit.render import unpack

    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix in (".ipynb", ".json"):
        try:
            return _normalised("\n".join(_strings(json.loads(raw))))
        except ValueError:
            pass
    if 'id="casekit-data"' in raw:  # the exhibits' data travel gzip-compressed: a plain search would never see them
        packed = re.search(r'<script[^>]*\bid="casekit-data"[^>]*>([^<]*)</script>', raw)
        assert packed, f"{path.name}: the packed page data is there but could not be read"
        raw += "\n" + "\n".join(_strings(json.loads(unpack(packed.group(1)))))
    return _normalised(raw)


def test_a_student_build_leaves_no_answer_in_any_file(reports, instructor_reports):
    """No file under --out of a student-audience build holds a teaching note, a solution or a check's answer."""
    secrets = _secrets(instructor_reports)
    assert len(secrets) > 40
    assert any("is correct" in s for s in secrets) and any("Teaching note" in s for s in secrets)
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {f"{n}.{s}" for n in NOTEBOOKS for s in ("html", "ipynb")}
    for path in files:
        text = _file_text(path)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{path.relative_to(reports)} holds {len(leaked)} answer line(s), e.g. {leaked[0]!r}"


def test_an_instructor_build_keeps_every_teaching_note_and_answer(instructor_reports):
    for name in NOTEBOOKS:
        source = nbformat.read(str(find(name).path), as_version=4)
        executed = nbformat.read(str(instructor_reports / f"{name}.ipynb"), as_version=4)
        for tag in STUDENT_HIDDEN:
            expected = sum(tag in c.metadata.get("tags", []) for c in source.cells)
            assert sum(tag in c.metadata.get("tags", []) for c in executed.cells) == expected, (name, tag)
        checks = [_cell_text(c) for c in executed.cells if "check" in c.metadata.get("tags", [])]
        assert checks and all("Right." in text for text in checks)
        assert "Teaching note" in (instructor_reports / f"{name}.html").read_text(encoding="utf-8")


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


@slow
def test_changing_a_parameter_builds_only_the_new_report(history_variant):
    same = Builder(history_variant).build([plan("history", {"start_year": 2005, "end_year": 2012})])
    assert str(same).startswith("0 built, 1 reused from cache")
    other = Builder(history_variant).build([plan("history", {"start_year": 2006, "end_year": 2012})])
    assert str(other).startswith("1 built, 0 reused from cache")
    assert (history_variant / "history--start_year-2006_end_year-2012.html").exists()


@slow
def test_changing_a_data_row_invalidates_the_cache(tmp_path, data_copy, monkeypatch):
    monkeypatch.setenv("CASEKIT_DATA", str(data_copy))
    out = tmp_path / "out"
    assert str(Builder(out).build([plan("history")])).startswith("1 built")
    assert str(Builder(out).build([plan("history")])).startswith("0 built, 1 reused")
    glossary = data_copy / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8") + 'zebra,"A term added by the test.",\n', encoding="utf-8")
    assert str(Builder(out).build([plan("history")])).startswith("1 built, 0 reused")


@slow
def test_force_rebuilds_and_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "out"
    assert Builder(out, jobs=1).build([plan("history")]).ok
    first = {p.name: p.read_bytes() for p in out.glob("history*")}
    assert str(Builder(out, force=True).build([plan("history")])).startswith("1 built, 0 reused")
    second = {p.name: p.read_bytes() for p in out.glob("history*")}
    assert first.keys() == second.keys() == {"history.html", "history.ipynb"}
    for name in first:
        assert first[name] == second[name], f"{name} differs between two builds"
    assert b"built 2023-11-14" in first["history.html"]


@slow
def test_tagging_a_cell_instructor_rebuilds_the_report_without_it(tmp_path):
    """The tag is an input: the cached student report must not keep showing the teaching note."""
    path = small_notebook(tmp_path / "lesson.ipynb", "print('for everyone')")
    _edit(path, lambda nb: nb["cells"].append({"cell_type": "markdown", "id": "note", "metadata": {},
                                               "source": "A teaching note students must not see."}))
    out = tmp_path / "out"
    assert str(Builder(out).build([plan(str(path))])).startswith("1 built")
    assert "students must not see" in (out / "lesson.html").read_text(encoding="utf-8")
    _edit(path, lambda nb: nb["cells"][-1]["metadata"].update(tags=["instructor"]))
    assert str(Builder(out).build([plan(str(path))])).startswith("1 built, 0 reused")
    for produced in ("lesson.html", "lesson.ipynb"):
        assert "students must not see" not in (out / produced).read_text(encoding="utf-8"), produced


@slow
def test_a_notebook_is_rebuilt_when_a_file_it_declares_changes(tmp_path):
    """A teaching note that reads another notebook is rebuilt when that notebook changes."""
    exercises = small_notebook(tmp_path / "exercises.ipynb", "pass")
    _edit(exercises, lambda nb: nb["cells"].append({"cell_type": "markdown", "id": "ex", "metadata": {},
                                                    "source": "### Exercise 1: Count the rivals"}))
    note = small_notebook(tmp_path / "note.ipynb",
                          "import json\nprint([c['source'] for c in json.load(open('exercises.ipynb'))['cells'] if 'Exercise' in c['source']])",
                          metadata={"casekit": {"reads": ["exercises.ipynb"]}})
    out = tmp_path / "out"
    assert str(Builder(out).build([plan(str(note))])).startswith("1 built")
    assert str(Builder(out).build([plan(str(note))])).startswith("0 built, 1 reused")
    _edit(exercises, lambda nb: nb["cells"][-1].update(source="### Exercise 1: Name the rivals"))
    assert str(Builder(out).build([plan(str(note))])).startswith("1 built, 0 reused")
    assert "Name the rivals" in (out / "note.ipynb").read_text(encoding="utf-8")


@slow
def test_every_notebook_declares_the_files_it_reads():
    """The cache key covers the other files a notebook reads only if the notebook names them."""
    from casekit.build import declared_reads

    names = [*NOTEBOOKS, "teaching_note"]
    result = subprocess.run([sys.executable, str(REPO / "tests" / "read_probe.py"), *names], capture_output=True, text=True,
                            cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    observed = json.loads(result.stdout.splitlines()[-1])
    assert observed["teaching_note"], "the probe sees the teaching note read the other notebooks"
    for name in names:
        path = find(name).path
        declared = {file for file, _ in declared_reads(json.loads(path.read_text(encoding="utf-8")), path.parent)}
        undeclared = set(observed[name]) - declared
        assert not undeclared, f"{path.name} reads {sorted(undeclared)}: add them to its metadata casekit.reads"


@slow
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


@slow
def test_one_report_failing_anywhere_leaves_the_batch_going(tmp_path):
    """A kernel that does not start, a failing cell, a chart that cannot be drawn, a file that cannot be
    written: each is its own report's failure, told truthfully; the others are built; exit status 1."""
    jupyter = _broken_kernel(tmp_path / "jupyter")
    good = small_notebook(tmp_path / "good.ipynb", "print('fine')")
    small_notebook(tmp_path / "fragile.ipynb", "total = size * 2", "raise ValueError('the data ran out')")
    small_notebook(tmp_path / "nokernel.ipynb", "print('never')",
                   metadata={"kernelspec": {"name": "broken", "display_name": "Broken", "language": "python"}})
    small_notebook(tmp_path / "badchart.ipynb", "from IPython.display import display\n"
                   "display({'application/vnd.vegalite.v5+json': {'mark': 'nonsense'}, 'text/plain': 'chart'}, raw=True)")
    batch = tmp_path / "batch.yml"
    batch.write_text("".join(f"- notebook: {tmp_path / n}.ipynb\n" for n in ("good", "fragile", "nokernel", "badchart"))
                     + f"- notebook: {good}\n  name: blocked\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "blocked.html").mkdir(parents=True)  # a folder where the report should go
    result = run_cli("build", "--batch", str(batch), "--out", str(out), "--static-charts", "--jobs", "2",
                     env={"JUPYTER_PATH": str(jupyter)})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "1 built, 0 reused from cache, 4 failed", result.stdout + result.stderr
    assert "  fragile: failed at cell 4 (ValueError: the data ran out); see fragile.failed.html" in lines
    assert any(line.startswith("  nokernel: the kernel did not start (RuntimeError: Kernel died") for line in lines), lines
    assert any(line.startswith("  badchart: failed while rendering its report (ValueError: Vega-Lite to SVG") for line in lines), lines
    assert any(line.startswith("  blocked: could not write its files (IsADirectoryError: Is a directory") for line in lines), lines
    assert "Traceback" not in result.stderr
    for reference in re.findall(r"see (\S+)$", result.stdout, re.M):
        assert (out / reference).exists(), f"the summary points at {reference}, which was not written"
    assert (out / "good.html").exists() and not (out / "nokernel.failed.html").exists()
    assert "the data ran out" in (out / "fragile.failed.html").read_text(encoding="utf-8")
    records = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / ".casekit").glob("*.json")}
    assert {n: r["status"] for n, r in records.items()} == {"good": "built", "fragile": "failed", "nokernel": "failed",
                                                           "badchart": "failed", "blocked": "failed"}


@slow
def test_a_failed_rebuild_never_overwrites_the_last_good_report(tmp_path):
    notebook = small_notebook(tmp_path / "fragile.ipynb", "total = size * 2")
    out = tmp_path / "out"
    assert Builder(out).build([plan(str(notebook))]).ok
    kept = (out / "fragile.html").read_bytes()
    _edit(notebook, lambda nb: nb["cells"].append({"cell_type": "code", "id": "boom", "metadata": {}, "outputs": [],
                                                   "execution_count": None, "source": "raise ValueError('the data ran out')"}))
    summary = Builder(out).build([plan(str(notebook))])
    assert not summary.ok and "see fragile.failed.html" in str(summary)
    assert (out / "fragile.html").read_bytes() == kept
    assert (out / "fragile.failed.html").exists()
    assert "last good report kept" in (out / "index.html").read_text(encoding="utf-8")


def _waiting_notebook(folder: Path, name: str) -> Path:
    """A notebook whose kernel, when CASEKIT_TEST_MARKER is set, says it is running and then waits."""
    return small_notebook(folder / f"{name}.ipynb", "import os, pathlib, time\nmarker = os.environ.get('CASEKIT_TEST_MARKER')\n"
                          "if marker:\n    pathlib.Path(marker).touch()\n    time.sleep(300)")


@slow
def test_an_interrupted_build_leaves_no_half_written_report(tmp_path):
    notebook = _waiting_notebook(tmp_path, "slow")
    out = tmp_path / "out"
    assert Builder(out).build([plan(str(notebook))]).ok
    kept = (out / "slow.html").read_bytes()
    marker = tmp_path / "running"
    process = subprocess.Popen([sys.executable, "-m", "casekit", "build", str(notebook), "--force", "--out", str(out)], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "CASEKIT_TEST_MARKER": str(marker)})
    try:
        wait_for(marker.exists, what="the kernel to run the notebook")  # interrupted mid-report, for certain
        abandoned = list((out / ".casekit" / "builds").iterdir())
        assert len(abandoned) == 1, "the running build keeps its scratch folder"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert (out / "slow.html").read_bytes() == kept
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == ["index.html", "slow.html", "slow.ipynb"]
    assert str(Builder(out).build([plan(str(notebook))])).startswith("0 built, 1 reused")
    assert not any(p.exists() for p in abandoned), "the next build removes the killed build's scratch"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@slow
def test_a_killed_build_leaves_no_process_behind(tmp_path):
    """kill -9 of the build alone (not its process group): its workers, launchers, kernels and warm-kernel
    process all end by themselves."""
    psutil = pytest.importorskip("psutil")
    books = [_waiting_notebook(tmp_path, name) for name in ("one", "two")]
    batch = tmp_path / "batch.yml"
    batch.write_text("".join(f"- notebook: {book}\n" for book in books), encoding="utf-8")
    marker = tmp_path / "running"  # both kernels touch it; the second to start is the one waited for below
    build = subprocess.Popen([sys.executable, "-m", "casekit", "build", "--batch", str(batch), "--jobs", "2", "--out",
                              str(tmp_path / "out")], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "CASEKIT_TEST_MARKER": str(marker)})
    try:
        wait_for(marker.exists, what="a kernel to run a notebook")
        wait_for(lambda: sum("casekit.warm launch" in " ".join(p.cmdline())
                             for p in psutil.Process(build.pid).children(recursive=True)) == 2, what="both kernels")
        family = psutil.Process(build.pid).children(recursive=True)
        assert len(family) >= 7, [" ".join(p.cmdline()[:4]) for p in family]  # 2 workers, 2 launchers, zygote, 2 kernels
    finally:
        build.kill()
        build.wait()
    wait_for(lambda: not any(running(p.pid) for p in family), 30, "the build's processes to end")


def _rendezvous(folder: Path, me: str, other: str) -> Path:
    """A notebook that runs until the other build's notebook runs too: the builds overlap, for certain."""
    return small_notebook(folder / f"{me}.ipynb", f"import pathlib, time\npathlib.Path({me!r} + '.running').touch()\n"
                          f"deadline = time.time() + 120\nwhile not pathlib.Path({other!r} + '.running').exists():\n"
                          "    assert time.time() < deadline, 'the other build never ran'\n    time.sleep(0.05)")


@slow
def test_two_builds_of_different_notebooks_into_one_folder_both_succeed(tmp_path):
    out = tmp_path / "out"
    books = [_rendezvous(tmp_path, "first", "second"), _rendezvous(tmp_path, "second", "first")]
    builds = [subprocess.Popen([sys.executable, "-m", "casekit", "build", str(book), "--out", str(out)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for book in books]
    results = [(build.wait(timeout=300), *build.communicate()) for build in builds]
    for code, stdout, stderr in results:
        assert code == 0 and stdout.startswith("1 built, 0 reused from cache, 0 failed"), stdout + stderr
    for name in ("first", "second"):
        assert nbformat.read(str(out / f"{name}.ipynb"), as_version=4).cells
        assert (out / f"{name}.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not list((out / ".casekit" / "builds").iterdir())


@slow
def test_two_builds_of_the_same_report_make_it_once(tmp_path):
    """The second build waits for the first, then finds the report made: one good report, built once."""
    book = small_notebook(tmp_path / "shared.ipynb", "print('made')")
    out = tmp_path / "out"
    builds = [subprocess.Popen([sys.executable, "-m", "casekit", "build", str(book), "--out", str(out)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = []
    for build in builds:
        stdout, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stdout + stderr
        outputs.append(stdout.splitlines()[0])
    assert sorted(outputs) == ["0 built, 1 reused from cache, 0 failed", "1 built, 0 reused from cache, 0 failed"]
    assert "made" in nbformat.read(str(out / "shared.ipynb"), as_version=4).cells[-1].outputs[0]["text"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["index.html", "shared.html", "shared.ipynb"]


@slow
def test_static_charts_are_inline_svg_without_scripts(tmp_path):
    out = tmp_path / "out"
    assert Builder(out, static_charts=True, show_code=True).build([plan("history")]).ok
    page = (out / "history.html").read_text(encoding="utf-8")
    assert "<svg" in page and "window.vegaEmbed=" not in page and "casekit-chart-spec" not in page
    assert "open_case" in page  # --show-code keeps the code


@slow
def test_warm_kernels_never_share_state_between_reports(tmp_path):
    """Each report's kernel is forked from a pristine process: what one report changes, the next never sees."""
    polluter = small_notebook(tmp_path / "polluter.ipynb",
                              "import os, casekit, pandas\ncasekit.leaked = True\npandas.leaked = True\nos.environ['CASEKIT_LEAK'] = '1'\nprint(os.getcwd())",
                              parameters="step: int = 1  # which step")
    observer = small_notebook(tmp_path / "observer.ipynb",
                              "import sys\nwarm = 'altair' in sys.modules  # imported by the zygote, never by this notebook\n"
                              "import os, casekit, pandas\nprint(hasattr(casekit, 'leaked'), hasattr(pandas, 'leaked'), 'CASEKIT_LEAK' in os.environ, warm)",
                              parameters="step: int = 1  # which step")
    summary = Builder(tmp_path / "out", jobs=1, warm=True).build([plan(str(polluter)), plan(str(observer))])
    assert summary.ok, str(summary)
    seen = nbformat.read(str(tmp_path / "out" / "observer.ipynb"), as_version=4).cells[-1].outputs[0]["text"]
    assert seen.strip() == "False False False True"
    where = nbformat.read(str(tmp_path / "out" / "polluter.ipynb"), as_version=4).cells[-1].outputs[0]["text"]
    assert where.strip() == str(tmp_path), "the kernel runs in the notebook's folder"
