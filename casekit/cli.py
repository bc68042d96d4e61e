"""The ``casekit`` command: a thin layer that parses arguments and calls the Python API.

User mistakes (any :class:`casekit.errors.CasekitError`) print one line on stderr and exit 1;
argparse's own usage errors exit 2. A reader that stops reading (``casekit data show metrics | head``)
ends the command quietly, with the exit status of a process stopped by SIGPIPE. Anything else is a
bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .errors import CasekitError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        code = args.run(args) or 0
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except CasekitError as error:
        print(f"casekit: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("casekit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader of our output has gone: say nothing more, and let nothing more be written."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 128 + 13  # as if stopped by SIGPIPE, like other Unix tools


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casekit", description="The Alibaba case: data, notebooks and reports.")
    parser.add_argument("--version", action="version", version=f"casekit {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    data = commands.add_parser("data", help="list, show, validate and verify the case's data package")
    data_commands = data.add_subparsers(title="data commands", metavar="COMMAND")
    cmd = data_commands.add_parser("list", help="the tables with row counts and descriptions")
    cmd.set_defaults(run=_data_list)
    cmd = data_commands.add_parser("show", help="print a table (or its first rows)")
    cmd.add_argument("name", help="table name (see `casekit data list`)")
    cmd.add_argument("--head", type=int, metavar="N", help="only the first N rows")
    cmd.add_argument("--where", action="append", default=[], metavar="COL=VALUE", help="keep rows where COL equals VALUE (repeatable)")
    cmd.add_argument("--fields", action="store_true", help="describe the table's fields instead of its rows")
    cmd.add_argument("--csv", action="store_true", help="print CSV with values in base units (for scripts)")
    cmd.set_defaults(run=_data_show)
    cmd = data_commands.add_parser("validate", help="check a data package's types, keys, foreign keys, dates and units")
    cmd.add_argument("path", nargs="?", help="a data package folder or datapackage.json (default: the shipped one)")
    cmd.set_defaults(run=_data_validate)
    cmd = data_commands.add_parser("verify", help="check every figure and date against its cited source line")
    cmd.add_argument("path", nargs="?", help="a data package folder (default: the shipped one)")
    cmd.add_argument("--seeds", metavar="DIR", help="folder of the sources' plain-text copies (default ../shared/seeds)")
    cmd.set_defaults(run=_data_verify)
    cmd = data_commands.add_parser("conflicts", help="figures on which the sources disagree, side by side")
    cmd.add_argument("--min-reliability", default="low", choices=["low", "medium", "high"], help="ignore less reliable sources")
    cmd.add_argument("--csv", action="store_true", help="print CSV with values in base units (for scripts)")
    cmd.set_defaults(run=_data_conflicts)
    data.set_defaults(run=lambda args: data.print_help() or 2)

    from . import commands_extra

    commands_extra.register(commands)
    commands_extra.register_classroom(commands)
    from . import commands_grade

    commands_grade.register(commands)
    return parser


def _data_list(args: argparse.Namespace) -> int:
    from .data import content_hash, datasets, version

    print(f"data package {version()} (content {content_hash()})")
    print(datasets().to_string(index=False))
    return 0


def _data_show(args: argparse.Namespace) -> int:
    from .data import describe, load

    if args.fields:
        print(describe(args.name).to_string(index=False))
        return 0
    frame = load(args.name)
    for condition in args.where:
        column, sep, value = condition.partition("=")
        if not sep:
            raise CasekitError(f"--where {condition!r}: write COL=VALUE, e.g. --where entity=taobao")
        if column not in frame:
            raise CasekitError(f"--where: no column {column!r} in {args.name}; the columns are: {', '.join(frame.columns)}")
        frame = frame[frame[column].astype("string") == value]
    if args.head is not None:
        frame = frame.head(args.head)
    _print_table(frame, args.csv, 60, empty=f"(no rows of {args.name} match)")
    return 0


def _plain_number(value: float) -> str:
    """The shortest text that reads back as the same number: 15200000000, 0.56."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _print_table(frame, csv: bool, width: int, empty: str) -> None:
    """A table for people (figures as a reader writes them, with their units) or CSV for scripts
    (every value in its base unit, exactly as the data package holds it)."""
    import pandas as pd

    if csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n", float_format=_plain_number)
        return
    if not len(frame):
        print(empty)
        return
    if "value" in frame and "unit" in frame:
        from .prose import figure

        shown = [figure(v, str(u)) if pd.notna(v) else "" for v, u in zip(frame["value"], frame["unit"])]
        frame = frame.drop(columns=["unit"]).assign(value=shown)
    with pd.option_context("display.max_colwidth", width, "display.width", 220):
        print(frame.to_string(index=False))


def _data_validate(args: argparse.Namespace) -> int:
    from .validation import validate

    return _report(validate(args.path), "data package is valid", "problem found", "problems found")


def _data_verify(args: argparse.Namespace) -> int:
    from .provenance import verify

    return _report(verify(args.path, args.seeds), "every figure and date verifies against its cited source line",
                   "row does not verify against its source", "rows do not verify against their sources")


def _report(problems: list, ok: str, one_failed: str, many_failed: str) -> int:
    """One line per problem on stdout, a count on stderr; exit 1 if there is any."""
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} {one_failed if len(problems) == 1 else many_failed}", file=sys.stderr)
        return 1
    print(ok)
    return 0


def _data_conflicts(args: argparse.Namespace) -> int:
    from .data import conflicts
    from .prose import plural

    frame = conflicts(min_reliability=args.min_reliability)
    if args.csv:
        _print_table(frame, True, 0, "")
        return 0
    _print_table(frame.drop(columns=["note"]), False, 50, empty="(no conflicts)")
    conflicts_found = frame["conflict"].nunique() if len(frame) else 0
    print(f"{conflicts_found} {plural('conflict', conflicts_found)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
