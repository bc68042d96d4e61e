"""The report commands of the ``casekit`` CLI: build, params (and later student, lab)."""
from __future__ import annotations

import argparse
import json
import sys


def register(commands) -> None:
    cmd = commands.add_parser(
        "build", help="execute notebooks and render them into offline HTML reports",
        description="Build case reports. NOTEBOOK is a short name (overview, history, business_model, fintech, "
                    "competition, sources) or a path; none means all six. Reports are rebuilt only when their inputs changed.",
    )
    cmd.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="short name or path (default: all)")
    cmd.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="set a parameter (value parsed as YAML, as papermill does); repeatable")
    cmd.add_argument("--batch", metavar="FILE", help="YAML list of runs: {notebook, parameters, name}")
    cmd.add_argument("--out", default="reports", metavar="DIR", help="report folder (default: reports/)")
    cmd.add_argument("--jobs", type=int, metavar="N", help="reports built at once (default: the machine's cores)")
    cmd.add_argument("--force", action="store_true", help="rebuild even if up to date")
    cmd.add_argument("--static-charts", action="store_true", help="draw charts as inline SVG (for print and PDF)")
    cmd.add_argument("--show-code", action="store_true", help="keep code cells in the reports")
    cmd.add_argument("--pdf", action="store_true", help="also print each report to a PDF beside it (needs Chromium)")
    cmd.add_argument("--kernel", metavar="NAME", help="the Jupyter kernel to run them with (default: the one each notebook names)")
    cmd.add_argument("--dask", metavar="ADDRESS", help="run the reports on a Dask scheduler (tcp://HOST:PORT); needs casekit[dask]")
    cmd.set_defaults(run=_build)

    cmd = commands.add_parser("params", help="a notebook's parameters: type, default, allowed values, help")
    cmd.add_argument("notebook", help="short name or path")
    cmd.add_argument("--json", action="store_true", help="print JSON")
    cmd.set_defaults(run=_params)


def _build(args: argparse.Namespace) -> int:
    from .build import Builder, plan_cli, read_batch
    from .errors import CasekitError

    if args.batch and (args.notebooks or args.parameter):
        raise CasekitError("--batch cannot be combined with NOTEBOOK or -p (put them in the batch file)")
    executor, client = None, None
    if args.dask:
        client = _dask_client(args.dask)
        executor = client.get_executor()
    try:
        builder = Builder(args.out, jobs=args.jobs, force=args.force, static_charts=args.static_charts,
                          show_code=args.show_code, executor=executor, kernel_name=args.kernel, progress=True,
                          pdf=args.pdf)
        with builder:  # its warm-kernel process imports while the runs are planned
            runs = read_batch(args.batch) if args.batch else plan_cli(args.notebooks, [tuple(p) for p in args.parameter])
            summary = builder.build(runs)
    finally:
        if client is not None:
            client.close()
    print(summary)
    print(f"index: {builder.out / 'index.html'}")
    return 0 if summary.ok else 1


def _dask_client(address: str):
    from .errors import CasekitError

    try:
        from dask.distributed import Client
    except ImportError:
        raise CasekitError("--dask needs the dask extra: pip install 'casekit[dask]'") from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise CasekitError(f"--dask {address}: cannot reach the scheduler ({error})") from None


def _params(args: argparse.Namespace) -> int:
    from .notebooks import find
    from .params import describe_rule

    book = find(args.notebook)
    rows = [
        {"name": p.name, "type": p.type, "default": p.default, "allowed": describe_rule(book.name, p), "help": p.help}
        for p in book.parameters.values()
    ]
    if args.json:
        print(json.dumps({"notebook": book.name, "parameters": rows}, indent=2))
        return 0
    print(f"{book.name} ({book.path.name})")
    for row in rows:
        print(f"  {row['name']}: {row['type']} = {row['default']!r}\n      {row['help']}\n      allowed: {row['allowed']}")
    sys.stdout.flush()
    return 0


def register_classroom(commands) -> None:
    cmd = commands.add_parser("student", help="write the student edition: no solutions, no teaching notes, no outputs")
    cmd.add_argument("--out", default="dist/student", metavar="DIR", help="folder for the edition (default: dist/student/)")
    cmd.set_defaults(run=_student)

    cmd = commands.add_parser("lab", help="open JupyterLab on the case notebooks with this environment's kernel")
    cmd.add_argument("--dir", metavar="DIR", help="open this folder instead (e.g. dist/student)")
    cmd.add_argument("--port", type=int, help="port for the server")
    cmd.add_argument("--no-browser", action="store_true", help="do not open a browser")
    cmd.add_argument("extra", nargs=argparse.REMAINDER, help="after --: more options for jupyter lab")
    cmd.set_defaults(run=_lab)


def _student(args: argparse.Namespace) -> int:
    from .student import write_edition

    written = write_edition(args.out)
    for path in written:
        print(path)
    print(f"student edition: {len(written)} notebooks in {args.out}")
    return 0


def _lab(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from .errors import CasekitError
    from .paths import notebooks_dir

    folder = Path(args.dir) if args.dir else notebooks_dir()
    if not folder.is_dir():
        raise CasekitError(f"--dir {str(folder)!r} is not a folder")
    # This interpreter's own kernel (ipykernel's native python3) runs the notebooks, so they
    # import the casekit installed here, whatever other kernels the machine has.
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={folder.resolve()}",
               "--KernelSpecManager.ensure_native_kernel=True"]
    if args.port:
        command.append(f"--port={args.port}")
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI machines often run as root
    command += [a for a in args.extra if a != "--"]
    print(f"JupyterLab on {folder} (stop it with Ctrl-C)", flush=True)
    os.execv(sys.executable, command)
    return 0
