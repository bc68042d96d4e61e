"""The ``casekit grade`` command: parse the arguments, call :class:`casekit.grade.Grader`."""
from __future__ import annotations

import argparse


def register(commands) -> None:
    cmd = commands.add_parser(
        "grade", help="grade submitted notebooks: a gradebook, feedback pages and a class overview",
        description="Grade submitted notebooks. PATH is a notebook or a folder searched for notebooks "
                    "(submissions/<student>/...ipynb, or one file per student named for the student). Each "
                    "submission runs in its own kernel under time, memory and output limits; its answers are "
                    "read out of the kernel and checked outside it.",
    )
    cmd.add_argument("paths", nargs="+", metavar="PATH", help="a submitted notebook or a folder of submissions")
    cmd.add_argument("--out", default="grades", metavar="DIR", help="folder for grades.csv, index.html and feedback/ (default: grades/)")
    cmd.add_argument("--jobs", type=int, metavar="N", help="submissions run at once (default: the machine's cores)")
    cmd.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                     help="time all the cells of one submission may take together (default: 300)")
    cmd.add_argument("--memory", type=int, default=2048, metavar="MB",
                     help="memory one submission's code may add to its kernel (default: 2048)")
    cmd.add_argument("--output-limit", type=float, default=32, metavar="MB",
                     help="output one submission may print, all cells together (default: 32)")
    cmd.add_argument("--dask", metavar="ADDRESS", help="run the submissions on a Dask scheduler (tcp://HOST:PORT); needs casekit[dask]")
    cmd.set_defaults(run=_grade)


def _grade(args: argparse.Namespace) -> int:
    from .commands_extra import _dask_client
    from .grade import Grader

    client = _dask_client(args.dask) if args.dask else None
    try:
        grader = Grader(args.out, jobs=args.jobs, timeout=args.timeout, memory_mb=args.memory, output_limit_mb=args.output_limit,
                        executor=client.get_executor() if client else None, progress=True)
        book = grader.grade(args.paths)
    finally:
        if client is not None:
            client.close()
    print(book)
    print(f"gradebook: {grader.out / 'grades.csv'}\nclass overview: {grader.out / 'index.html'}")
    return 0
