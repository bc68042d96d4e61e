"""Benchmark: where a report's time goes, and how a batch scales, in one process and one run.

    make bench            (or: .venv/bin/python bench/run.py [--repeats N] [--variants N])

Measures, as medians of ``--repeats`` runs, and writes bench/results.md:

* the import floor: what one fresh Python process pays to import ipykernel, pandas, Altair and casekit;
* a batch of ``--variants`` parameter variants of the history notebook, built with ``--jobs 1`` and
  with ``--jobs 2``: the parallel speed-up (target >= 1.8x on 2 cores) and what one report costs in
  core-seconds in the parallel batch (wall time x cores / reports; target <= 0.6x the import floor),
  with the peak memory (PSS) of the whole build and of each kind of process (worker, kernel, ...);
* where one report's time goes, from the build records of the ``--jobs 1`` batch (casekit times each
  report's phases: papermill's bookkeeping, kernel start, each cell, kernel stop, render, serialise,
  write) plus what the build spends outside the reports (start-up, the warm-kernel process, planning);
* inside the cells: the share of Altair's chart validation, measured by running the notebook's code in
  this process under cProfile;
* for context: the case's notebooks by hand (papermill, then nbconvert), ``casekit build --force`` of
  them, and ``casekit build`` again with nothing changed.

Ratios, not seconds, compare across machines. The machine should be otherwise idle: the load
average at the start and the end is printed with the results.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 1
IMPORTS = "import ipykernel, pandas, altair, casekit, casekit.case, casekit.charts"
PHASES = ["papermill", "kernel start", "cells", "kernel stop", "render", "serialise", "write"]


class Sampler:
    """A process tree sampled every 100 ms: peak proportional set size (PSS: shared pages split
    between the processes sharing them), in total and per kind of process, and the CPU seconds
    each kind used (as last seen before each process ended)."""

    def __init__(self) -> None:
        import psutil

        self.root = psutil.Process()
        self.total = 0
        self.by_kind: dict[str, int] = defaultdict(int)
        self._cpu: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()

    @property
    def cpu(self) -> dict[str, float]:
        used: dict[str, float] = defaultdict(float)
        for kind, seconds in self._cpu.values():
            used[kind] += seconds
        return dict(used)

    def _kind(self, process, parents: dict) -> str:
        command = " ".join(process.cmdline())
        parent = parents.get(process.pid)
        if "casekit.warm serve" in command:
            return "kernel" if parent is not None and "casekit.warm serve" in " ".join(parent.cmdline()) else "warm-kernel process"
        if "casekit.warm launch" in command:
            return "launcher"
        if "casekit" in command and " build" in command:
            return "worker" if parent is not None and parent.cmdline() == process.cmdline() else "build (parent)"
        if "ipykernel" in command:
            return "kernel"
        return "other"

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                processes = self.root.children(recursive=True)
            except psutil.Error:
                processes = []
            parents = {}
            for process in processes:
                try:
                    parents[process.pid] = process.parent()
                except psutil.Error:
                    pass
            for process in processes:
                try:
                    kind = self._cpu[process.pid][0] if process.pid in self._cpu else self._kind(process, parents)
                    times = process.cpu_times()
                    self._cpu[process.pid] = (kind, times.user + times.system)
                    pss = process.memory_full_info().pss
                except psutil.Error:
                    continue
                total += pss
                self.by_kind[kind] = max(self.by_kind[kind], pss)
            self.total = max(self.total, total)
            time.sleep(0.1)

    def __enter__(self) -> "Sampler":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished process this one has waited for, and of theirs."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(action, repeats: int) -> tuple[float, float, Sampler]:
    """Median wall seconds and CPU seconds over ``repeats`` runs, and the sample of the run with the
    highest memory peak. CPU time counts every process of the run (casekit's warm-kernel process
    waits for its kernels), and hardly changes with other work on the machine; wall time does."""
    seconds, cpu, worst = [], [], None
    for _ in range(repeats):
        with Sampler() as memory:
            started, used = time.perf_counter(), children_cpu()
            action()
            seconds.append(time.perf_counter() - started)
            cpu.append(children_cpu() - used)
        if worst is None or memory.total > worst.total:
            worst = memory
    return statistics.median(seconds), statistics.median(cpu), worst


def run(*command: str, env: dict | None = None) -> None:
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")


def casekit_build(out: Path, *extra: str) -> None:
    run(str(BIN / "casekit"), "build", "--out", str(out), *extra)


def plain_route(work: Path) -> None:
    from casekit.notebooks import NOTEBOOKS, find

    for name in NOTEBOOKS:
        executed = work / f"{name}.ipynb"
        run(str(BIN / "papermill"), str(find(name).path), str(executed))
        run(str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed))


def import_floor() -> tuple[float, float]:
    """Wall and CPU seconds of a fresh Python process that imports the notebooks' libraries."""
    started, used = time.perf_counter(), children_cpu()
    subprocess.run([sys.executable, "-c", IMPORTS], check=True, cwd=REPO)
    return time.perf_counter() - started, children_cpu() - used


def kernel_floor() -> float:
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
    """``size`` variants of the history notebook, as a class's groups would ask for."""
    lines = []
    for i in range(size):
        start = 1999 + (i % 12)
        lines.append(f"- notebook: history\n  name: variant-{i:03d}\n  parameters: {{start_year: {start}, end_year: {start + 10 + i // 12}}}\n")
    path = folder / "batch.yml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def phases(out: Path) -> tuple[dict[str, float], int, list[float]]:
    """Mean seconds per phase over the reports built into ``out``, their count, and the mean seconds
    of each code cell (by position)."""
    sums: dict[str, float] = defaultdict(float)
    cells: dict[int, list[float]] = defaultdict(list)
    records = [json.loads(p.read_text(encoding="utf-8")) for p in (out / ".casekit").glob("*.json")]
    built = [r for r in records if r.get("status") == "built"]
    for record in built:
        for phase, value in record["phases"].items():
            if phase == "cells":
                sums["cells"] += sum(seconds for _, seconds in value)
                for position, (_, seconds) in enumerate(value):
                    cells[position].append(seconds)
            else:
                sums[phase] += value
        sums["report"] += record["seconds"]
    count = max(len(built), 1)
    return {k: v / count for k, v in sums.items()}, len(built), [statistics.mean(v) for _, v in sorted(cells.items())]


def chart_validation(notebook: str = "history") -> tuple[float, float]:
    """Seconds of the notebook's cells, and the share of them spent validating charts (Altair's
    jsonschema validation), from a run of its code in this process (after one run to warm up)."""
    import cProfile
    import pstats

    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    from casekit.notebooks import find

    class Discard(DisplayPublisher):
        def publish(self, *args, **kwargs) -> None:
            pass

    shell = InteractiveShell.instance()
    shell.display_pub = Discard()
    book = find(notebook)
    sources = ["".join(c["source"]) for c in json.loads(book.path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    os.chdir(book.path.parent)
    shown = sys.stdout
    sys.stdout = open(os.devnull, "w")  # the display hook prints each cell's result, as a kernel would send it
    try:
        for source in sources:
            shell.run_cell(source)
        started = time.perf_counter()
        for source in sources:
            shell.run_cell(source)
        seconds = time.perf_counter() - started
        profile = cProfile.Profile()
        profile.enable()
        for source in sources:
            shell.run_cell(source)
        profile.disable()
    finally:
        sys.stdout.close()
        sys.stdout = shown
        os.chdir(REPO)
    stats = pstats.Stats(profile).stats
    total = sum(tt for (_, _, tt, _, _) in stats.values())  # all time inside the profile
    validation = max((ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                      if name == "validate_jsonschema" and "altair" in file), default=0.0)
    return seconds, validation / total if total else 0.0


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--variants", type=int, default=16, help="history variants in the batch")
    parser.add_argument("--no-context", action="store_true", help="skip the plain route and the whole-case builds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="casekit-bench-"))
    load_before = load_average()
    print(f"{CORES} cores; {args.repeats} runs each; {args.variants} variants; load average {load_before}", flush=True)

    floors = [import_floor() for _ in range(max(args.repeats, 5))]
    floor, floor_cpu = statistics.median(f[0] for f in floors), statistics.median(f[1] for f in floors)
    kfloor = statistics.median(kernel_floor() for _ in range(args.repeats))
    print(f"import floor {floor:.2f}s ({floor_cpu:.2f} core-s); kernel start + imports {kfloor:.2f}s", flush=True)

    batch = batch_file(work, args.variants)
    runs = {1: [], max(CORES, 2): []}
    for _ in range(args.repeats):  # alternately, so that a change in the machine's load touches both alike
        for jobs in runs:
            runs[jobs].append(timed(lambda: casekit_build(work / f"jobs{jobs}", "--batch", str(batch), "--jobs", str(jobs), "--force"), 1))
            print(f"batch --jobs {jobs}: {runs[jobs][-1][0]:.1f}s", flush=True)
    (serial, serial_cpu, serial_memory), (parallel, parallel_cpu, parallel_memory) = (
        (statistics.median(r[0] for r in runs[j]), statistics.median(r[1] for r in runs[j]), max(runs[j], key=lambda r: r[2].total)[2])
        for j in runs)
    speedup = serial / parallel
    cost = parallel * CORES / args.variants
    cpu_cost = parallel_cpu / args.variants
    best_serial, best_parallel = min(r[0] for r in runs[1]), min(r[0] for r in runs[max(CORES, 2)])
    mean, built, cells = phases(work / "jobs1")
    mean_parallel, _, _ = phases(work / "jobs2")
    outside = runs[1][-1][0] - mean["report"] * args.variants  # the last run's wall time, whose records these are
    cell_seconds, validation_share = chart_validation()

    context = []
    if not args.no_context:
        (work / "plain").mkdir()
        plain, _, plain_memory = timed(lambda: plain_route(work / "plain"), args.repeats)
        print(f"plain route: {plain:.1f}s", flush=True)
        casekit_build(work / "case")
        whole, _, whole_memory = timed(lambda: casekit_build(work / "case", "--force"), args.repeats)
        unchanged, _, unchanged_memory = timed(lambda: casekit_build(work / "case"), args.repeats)
        from casekit.notebooks import NOTEBOOKS

        context = [
            (f"papermill + nbconvert by hand, {len(NOTEBOOKS)} notebooks", plain, plain_memory),
            (f"`casekit build --force`, {len(NOTEBOOKS)} notebooks", whole, whole_memory),
            ("`casekit build`, nothing changed", unchanged, unchanged_memory),
        ]

    targets = {
        f"speed-up of --jobs {CORES} over --jobs 1 >= 1.8x": (speedup >= 1.8, f"{speedup:.2f}x"),
        "a report costs <= 0.6x the import floor (wall x cores)": (cost / floor <= 0.6, f"{cost:.2f} core-s = {cost / floor:.2f}x"),
        "a report costs <= 0.6x the import floor (CPU time)": (cpu_cost / floor_cpu <= 0.6, f"{cpu_cost:.2f} core-s = {cpu_cost / floor_cpu:.2f}x"),
    }
    lines = [
        "# casekit benchmark", "",
        f"Measured by `make bench` on {CORES} cores, medians of {args.repeats} runs; load average {load_before} at the start, "
        f"{load_average()} at the end (other work on the machine slows everything and flattens the speed-up).", "",
        "## The batch", "",
        f"{args.variants} variants of the history notebook (`--force`, warm kernels).", "",
        "| measurement | value |", "|---|---:|",
        f"| import floor: a fresh Python importing ipykernel, pandas, Altair, casekit | {floor:.2f} s wall, {floor_cpu:.2f} core-s CPU |",
        f"| for comparison: one kernel started by jupyter_client, then those imports | {kfloor:.2f} s |",
        f"| batch, `--jobs 1` | {serial:.2f} s |",
        f"| batch, `--jobs {CORES}` | {parallel:.2f} s |",
        f"| speed-up | {speedup:.2f}x |",
        f"| the same from the fastest run of each (least disturbed by other work) | {best_serial:.2f} s, {best_parallel:.2f} s: "
        f"{best_serial / best_parallel:.2f}x; {best_parallel * CORES / args.variants:.2f} core-s per report = "
        f"{best_parallel * CORES / args.variants / min(f[0] for f in floors):.2f}x the fastest import floor |",
        f"| one report in the parallel batch (wall x {CORES} cores / {args.variants}) | {cost:.2f} core-s = {cost / floor:.2f}x the import floor |",
        f"| one report in the parallel batch (CPU time of every process / {args.variants}) | {cpu_cost:.2f} core-s = "
        f"{cpu_cost / floor_cpu:.2f}x the import floor's CPU time |",
        f"| the same with `--jobs 1` | {serial_cpu / args.variants:.2f} core-s |",
        f"| CPU time per report by kind of process (sampled), `--jobs {CORES}` | "
        f"{', '.join(f'{kind} {seconds / args.variants:.2f}' for kind, seconds in sorted(parallel_memory.cpu.items()))} |",
        f"| peak memory (PSS), whole build, `--jobs 1` | {mib(serial_memory.total)} |",
        f"| peak memory (PSS), whole build, `--jobs {CORES}` | {mib(parallel_memory.total)} |",
        *[f"| peak memory (PSS) of one {kind}, `--jobs {CORES}` | {mib(value)} |" for kind, value in sorted(parallel_memory.by_kind.items())
          if kind != "other"],
        "",
        "| target | met | measured |", "|---|---|---:|",
        *[f"| {name} | {'yes' if ok else 'NO'} | {value} |" for name, (ok, value) in targets.items()], "",
        "## Where one report's time goes", "",
        f"Mean over the {built} reports of the last `--jobs 1` batch (seconds, from the build records), and of the "
        f"`--jobs {CORES}` batch, where two reports share the two cores:", "",
        f"| phase | `--jobs 1` | share | `--jobs {CORES}` |", "|---|---:|---:|---:|",
        *[f"| {phase} | {mean.get(phase, 0):.3f} | {mean.get(phase, 0) / mean['report']:.0%} | {mean_parallel.get(phase, 0):.3f} |"
          for phase in PHASES],
        f"| **one report** | **{mean['report']:.3f}** | | **{mean_parallel['report']:.3f}** |",
        f"| outside the reports, once per build (start-up, warm-kernel process, planning, index) | {outside:.2f} | | |", "",
        f"The {len(cells)} code cells take {', '.join(f'{c:.3f}' for c in cells)} s. Run in this process (no kernel, "
        f"warmed up), the same cells take {cell_seconds:.2f} s, of which Altair's chart validation is about "
        f"{validation_share:.0%} ({validation_share * cell_seconds:.3f} s).", "",
    ]
    if context:
        lines += ["## For context: the case's notebooks", "", "| measurement | seconds | peak memory (PSS) |", "|---|---:|---:|",
                  *[f"| {name} | {seconds:.2f} | {mib(memory.total)} |" for name, seconds, memory in context], ""]
    import grading  # bench/grading.py: `casekit grade` on a generated class against papermill one by one

    lines += grading.section()
    text = "\n".join(lines)
    previous = (REPO / "bench" / "results.md").read_text(encoding="utf-8") if (REPO / "bench" / "results.md").exists() else ""
    notes = previous[previous.index("## Notes"):] if "## Notes" in previous else ""
    (REPO / "bench" / "results.md").write_text(text + ("\n" + notes if notes else ""), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
