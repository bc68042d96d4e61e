"""Benchmark: casekit build against the plain tools and against the floor, in one process and one run.

    make bench            (or: .venv/bin/python bench/run.py [--repeats N] [--batch-size N])

Times, as medians of several runs:
  (a) the plain route by hand: `papermill` then `jupyter nbconvert --to html`, notebook by notebook;
  (b) `casekit build --force` of the same notebooks;
  (c) `casekit build` again with nothing changed;
  (d) a batch of parameter variants with --jobs 1 and with every core;
  (e) the floor: one kernel start plus the imports the notebooks need, times the number of
      reports, divided by the cores.
Each is printed as a ratio to (a) and to (e), with the peak memory of the process tree, and the
table is written to bench/results.md. Ratios, not seconds, are what compare across machines.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOKS = ["overview", "history", "business_model", "fintech", "competition"]
CORES = os.cpu_count() or 1
IMPORTS = "import casekit, casekit.case, casekit.charts, pandas, altair"


class PeakMemory:
    """Peak resident memory of this process and all its children, sampled every 50 ms."""

    def __init__(self) -> None:
        import psutil

        self.root, self.peak, self._stop = psutil.Process(), 0, threading.Event()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                for process in [self.root, *self.root.children(recursive=True)]:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> "PeakMemory":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def timed(action, repeats: int) -> tuple[float, int]:
    """Median seconds over ``repeats`` runs, and the peak memory seen in any run."""
    seconds, peak = [], 0
    for _ in range(repeats):
        with PeakMemory() as memory:
            started = time.perf_counter()
            action()
            seconds.append(time.perf_counter() - started)
        peak = max(peak, memory.peak)
    return statistics.median(seconds), peak


def run(*command: str, env: dict | None = None) -> None:
    subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def plain_route(work: Path) -> None:
    from casekit.notebooks import find

    for name in NOTEBOOKS:
        executed = work / f"{name}.ipynb"
        run(str(BIN / "papermill"), str(find(name).path), str(executed))
        run(str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed))


def casekit_build(out: Path, *extra: str) -> None:
    run(str(BIN / "casekit"), "build", "--out", str(out), *extra)


def floor_one() -> float:
    """One kernel start plus the notebooks' imports, through jupyter_client as papermill does it."""
    code = (
        "import time, jupyter_client\n"
        "t = time.perf_counter()\n"
        "km, kc = jupyter_client.manager.start_new_kernel(kernel_name='python3')\n"
        f"kc.execute_interactive({IMPORTS!r}, timeout=120)\n"
        "print(time.perf_counter() - t)\n"
        "kc.stop_channels(); km.shutdown_kernel(now=True)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return float(result.stdout.strip().splitlines()[-1])


def batch_file(folder: Path, size: int) -> Path:
    """``size`` parameter variants spread over the notebooks, as a class's groups would ask for."""
    lines = []
    for i in range(size):
        start = 1999 + (i % 12)
        name = NOTEBOOKS[1 + i % 4]
        lines.append(f"- notebook: {name}\n  name: variant-{i:03d}\n  parameters: {{start_year: {start}, end_year: {start + 10}}}\n")
    path = folder / "batch.yml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def light_costs() -> tuple[float, float]:
    code = "import time; t=time.perf_counter(); import casekit; print(time.perf_counter()-t)"
    imports = statistics.median(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(5))
    code = ("import time, casekit; from casekit import data; casekit.load('sources'); data._load_typed.cache_clear()\n"
            "t=time.perf_counter()\nfor n in data.package().names: casekit.load(n)\nprint(time.perf_counter()-t)")
    loads = statistics.median(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout) for _ in range(5))
    return imports, loads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--batch-size", type=int, default=40, help="parameter variants in the batch")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="casekit-bench-"))
    rows = []

    print(f"{CORES} cores; {args.repeats} runs each; batch of {args.batch_size}", flush=True)
    floor = statistics.median(floor_one() for _ in range(args.repeats))
    print(f"(e) floor: one kernel + imports = {floor:.2f}s", flush=True)

    (work / "plain").mkdir()
    plain, plain_mem = timed(lambda: plain_route(work / "plain"), args.repeats)
    print(f"(a) plain route: {plain:.1f}s", flush=True)
    out = work / "reports"
    casekit_build(out)  # a first build fills the cache for (c); (b) forces anyway
    build, build_mem = timed(lambda: casekit_build(out, "--force"), args.repeats)
    print(f"(b) casekit build --force: {build:.1f}s", flush=True)
    warm, warm_mem = timed(lambda: casekit_build(out), args.repeats)
    print(f"(c) casekit build, nothing changed: {warm:.2f}s", flush=True)
    batch = batch_file(work, args.batch_size)
    serial, serial_mem = timed(lambda: casekit_build(work / "batch1", "--batch", str(batch), "--jobs", "1", "--force"), args.repeats)
    print(f"(d1) batch --jobs 1: {serial:.1f}s", flush=True)
    parallel, parallel_mem = timed(lambda: casekit_build(work / "batchN", "--batch", str(batch), "--jobs", str(CORES), "--force"), args.repeats)
    print(f"(d{CORES}) batch --jobs {CORES}: {parallel:.1f}s", flush=True)
    imports, loads = light_costs()

    five_floor = floor * len(NOTEBOOKS) / CORES
    batch_floor = floor * args.batch_size / CORES
    rows = [
        ("(a) papermill + nbconvert by hand, 5 notebooks", plain, plain / plain, plain / five_floor, plain_mem, ""),
        ("(b) casekit build --force, 5 notebooks", build, build / plain, build / five_floor, build_mem, "target <= 0.6x (a)"),
        ("(c) casekit build, nothing changed", warm, warm / plain, warm / five_floor, warm_mem, "target <= 0.05x (a)"),
        (f"(d) batch of {args.batch_size}, --jobs 1", serial, serial / plain, serial / (floor * args.batch_size), serial_mem, "vs floor on 1 core"),
        (f"(d) batch of {args.batch_size}, --jobs {CORES}", parallel, parallel / plain, parallel / batch_floor, parallel_mem, "target <= 1.5x (e)"),
        (f"(e) floor for {args.batch_size} reports on {CORES} cores", batch_floor, batch_floor / plain, 1.0, 0, "kernel start + imports"),
    ]
    checks = {
        "(b) <= 0.6x (a)": build / plain <= 0.6,
        "(c) <= 0.05x (a)": warm / plain <= 0.05,
        "batch <= 1.5x floor per report": parallel / batch_floor <= 1.5,
        f"parallel speed-up >= 1.8x on {CORES} cores": serial / parallel >= 1.8,
    }
    table = ["| measurement | seconds | ratio to (a) | ratio to floor (e) | peak memory | note |", "|---|---:|---:|---:|---:|---|"]
    table += [f"| {name} | {sec:.2f} | {ra:.3f} | {rf:.2f} | {mem / 2**20:,.0f} MiB | {note} |" for name, sec, ra, rf, mem, note in rows]
    lines = [
        "# casekit benchmark", "",
        f"Measured by `make bench` on {CORES} cores; medians of {args.repeats} runs; floor (e) = one kernel start plus "
        f"`{IMPORTS}` = {floor:.2f}s per report.", "",
        *table, "",
        f"Parallel speed-up of the batch: {serial / parallel:.2f}x on {CORES} cores.", "",
        "| target | met |", "|---|---|", *[f"| {k} | {'yes' if v else 'NO'} |" for k, v in checks.items()], "",
        f"`import casekit`: {imports * 1000:.0f} ms (no pandas, Altair or nbconvert at import). "
        f"Loading every table of the data package: {loads * 1000:.0f} ms.", "",
    ]
    import grading  # bench/grading.py: `casekit grade` on a generated class against papermill one by one

    lines += grading.section()
    text = "\n".join(lines)
    (REPO / "bench" / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
