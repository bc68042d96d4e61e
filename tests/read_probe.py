"""Which files beside it does each case notebook read? (Used by tests/test_build.py.)

    python tests/read_probe.py overview teaching_note   ->  {"overview": ["01_history.ipynb", ...], ...}

Runs each notebook's code cells in one IPython shell in this process, with an audit hook that
records every file opened under the notebooks folder other than the notebook itself.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from casekit.notebooks import find
from casekit.paths import notebooks_dir

FOLDER = notebooks_dir().resolve()
opened: set[str] = set()


def record(event: str, args: tuple) -> None:
    if event == "open" and args and isinstance(args[0], (str, os.PathLike)):
        path = Path(os.fspath(args[0]))
        try:
            opened.add((path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(FOLDER).as_posix())
        except ValueError:  # outside the notebooks folder: a module, the data package
            pass


class Discard(DisplayPublisher):
    def publish(self, *args, **kwargs) -> None:
        pass


def main(names: list[str]) -> dict[str, list[str]]:
    shell = InteractiveShell.instance()
    shell.display_pub = Discard()
    sys.addaudithook(record)
    found = {}
    for name in names:
        book = find(name)
        os.chdir(book.path.parent)
        shell.reset(new_session=False)
        opened.clear()
        for cell in json.loads(book.path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                result = shell.run_cell("".join(cell["source"]), silent=True)
                if not result.success:
                    raise SystemExit(f"{name}: a cell failed: {result.error_in_exec or result.error_before_exec}")
        found[name] = sorted(opened - {book.path.name})
    return found


if __name__ == "__main__":
    sys.__stdout__.write(json.dumps(main(sys.argv[1:])) + "\n")
