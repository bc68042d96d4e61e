"""casekit: the Alibaba Group teaching case as code.

The public API (kept light at import: pandas, Altair and nbconvert load only when first used)::

    casekit.load("metrics")      # a typed table of the data package
    casekit.datasets()           # the tables, with row counts
    casekit.describe("metrics")  # a table's fields, types and units
    casekit.sources()            # the source documents and their reliability
    casekit.cite(frame)          # the sources behind a frame's rows
    casekit.conflicts()          # figures on which the sources disagree
    casekit.validate(path)       # problems in a data package (empty list: valid)
    casekit.verify()             # rows that do not stand on their cited source line
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_FUNCTIONS = {
    "load": "data", "datasets": "data", "describe": "data", "sources": "data", "cite": "data",
    "conflicts": "data", "version": "data", "content_hash": "data", "at_least": "data",
    "validate": "validation", "verify": "provenance", "open_case": "case",
}
_MODULES = {"data", "validation", "provenance", "params", "charts", "checks", "build", "render", "student", "errors", "case", "notebooks", "chapters"}

__all__ = sorted(_FUNCTIONS) + ["__version__"]


def __getattr__(name: str):
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(f".{_FUNCTIONS[name]}", __name__), name)
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'casekit' has no attribute {name!r}")
