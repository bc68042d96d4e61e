"""Load the case's data package: typed tables, their sources, citations and conflicts.

The package is a Frictionless Data Package (``datapackage.json`` + CSV). Its schema types every
column, so :func:`load` is the one place where CSV text becomes typed pandas columns.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import UnknownTable
from .paths import data_dir

RELIABILITY = ["low", "medium", "high"]  # the one reliability scale, weakest first
# Dates are kept as precise as the source is: "2003", "2003-05" or "2003-05-10".
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
CATCH_ALL_METRICS = ["count", "share_other", "amount_other", "growth_rate"]
PERIOD_YEAR = re.compile(r"(\d{4})(?!.*\d{4})")  # the last year named in a period ("2010-2013" -> 2013)


@dataclass(frozen=True)
class DataPackage:
    """A data package on disk: its folder and its parsed ``datapackage.json``."""

    root: Path
    descriptor: dict

    @property
    def version(self) -> str:
        return self.descriptor.get("version", "0")

    @property
    def names(self) -> list[str]:
        return [r["name"] for r in self.descriptor["resources"]]

    def resource(self, name: str) -> dict:
        for resource in self.descriptor["resources"]:
            if resource["name"] == name:
                return resource
        raise UnknownTable(f"no table named {name!r}; the tables are: {', '.join(self.names)}")

    def content_hash(self) -> str:
        """A hash of the descriptor and every table's bytes: it changes whenever any table changes."""
        digest = hashlib.sha256((self.root / "datapackage.json").read_bytes())
        for name in self.names:
            digest.update((self.root / self.resource(name)["path"]).read_bytes())
        return digest.hexdigest()[:16]


def package(path: str | Path | None = None) -> DataPackage:
    """The shipped data package, or the one at ``path`` (a folder or its datapackage.json)."""
    root = Path(path) if path is not None else data_dir()
    if root.name == "datapackage.json":
        root = root.parent
    descriptor_file = root / "datapackage.json"
    return _read_package(str(root.resolve()), descriptor_file.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read_package(root: str, _mtime: int) -> DataPackage:
    return DataPackage(Path(root), json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8")))


def version(path: str | Path | None = None) -> str:
    """The data package's version (``datapackage.json`` ``version``)."""
    return package(path).version


def content_hash(path: str | Path | None = None) -> str:
    """A short hash of the data package's content; reports print it beside the version."""
    pkg = package(path)
    return _content_hash(str(pkg.root), *[_mtime(pkg, n) for n in pkg.names])


@lru_cache(maxsize=8)
def _content_hash(root: str, *_mtimes: int) -> str:
    return package(root).content_hash()


def _mtime(pkg: DataPackage, name: str) -> int:
    return (pkg.root / pkg.resource(name)["path"]).stat().st_mtime_ns


def load(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """One table of the data package as a DataFrame typed by its schema.

    Integers become nullable ``Int64``, numbers ``float64``, booleans ``bool``, fields with an
    ``enum`` constraint categoricals (reliability is ordered low < medium < high). A partial date
    column (``events.date``) keeps its text and gains ``date_start`` (a sortable timestamp) and
    ``date_precision`` (year, month or day); ``metrics.period`` gains ``year``.
    """
    pkg = package(path)
    pkg.resource(name)  # raises UnknownTable with the list of names
    return _load_typed(str(pkg.root), name, _mtime(pkg, name)).copy()


@lru_cache(maxsize=32)
def _load_typed(root: str, name: str, _mtime: int) -> pd.DataFrame:
    pkg = package(root)
    resource = pkg.resource(name)
    raw = pd.read_csv(pkg.root / resource["path"], dtype=str, keep_default_na=False, encoding="utf-8")
    return _typed(raw, resource["schema"])


def _typed(raw: pd.DataFrame, schema: dict) -> pd.DataFrame:
    frame = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        name, kind = field["name"], field.get("type", "string")
        text = raw[name] if name in raw else pd.Series([""] * len(raw), index=raw.index)
        enum = field.get("constraints", {}).get("enum")
        if kind == "integer":
            frame[name] = pd.to_numeric(text.replace("", None)).astype("Int64")
        elif kind == "number":
            frame[name] = pd.to_numeric(text.replace("", None)).astype("float64")
        elif kind == "boolean":
            frame[name] = text.str.lower().isin(["true", "1", "yes"])
        elif enum:
            frame[name] = pd.Categorical(text.replace("", None), categories=enum, ordered=name == "reliability")
        else:
            frame[name] = text.replace("", None).astype("string")
        if field.get("x-partial-date"):
            parts = text.str.extract(PARTIAL_DATE)
            frame[f"{name}_start"] = pd.to_datetime(
                parts[0] + "-" + parts[1].fillna("01") + "-" + parts[2].fillna("01"), errors="coerce"
            )
            precision = np.where(parts[2].notna(), "day", np.where(parts[1].notna(), "month", "year"))
            frame[f"{name}_precision"] = pd.Categorical(precision, categories=["year", "month", "day"])
        if name == "period":
            frame["year"] = pd.to_numeric(text.str.extract(PERIOD_YEAR)[0]).astype("Int64")
    return frame


def datasets(path: str | Path | None = None) -> pd.DataFrame:
    """The tables of the data package with their row counts and descriptions."""
    pkg = package(path)
    rows = [
        {"table": n, "rows": len(load(n, path)), "description": pkg.resource(n).get("description", "")}
        for n in pkg.names
    ]
    return pd.DataFrame(rows)


def describe(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """The fields of one table: type, unit, whether required, what is allowed, and meaning."""
    rows = []
    for field in package(path).resource(name)["schema"]["fields"]:
        constraints = field.get("constraints", {})
        allowed = ", ".join(constraints.get("enum", [])) or constraints.get("pattern", "")
        rows.append(
            {
                "field": field["name"],
                "type": field.get("type", "string"),
                "unit": field.get("unit", ""),
                "required": bool(constraints.get("required")),
                "allowed": allowed,
                "description": field.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


def themes(path: str | Path | None = None) -> list[str]:
    """The themes an event can belong to, in the schema's order (history, business_model, ...)."""
    field = next(f for f in package(path).resource("events")["schema"]["fields"] if f["name"] == "theme")
    return list(field["constraints"]["enum"])


def sources(path: str | Path | None = None) -> pd.DataFrame:
    """The source documents with their reliability grade and why."""
    return load("sources", path)


def with_reliability(frame: pd.DataFrame, path: str | Path | None = None) -> pd.DataFrame:
    """``frame`` (any table with a ``source`` column) with its sources' reliability added."""
    grades = sources(path).set_index("source_id")["reliability"]
    out = frame.copy()
    out["reliability"] = pd.Categorical(out["source"].map(grades), categories=RELIABILITY, ordered=True)
    return out


def at_least(frame: pd.DataFrame, min_reliability: str, path: str | Path | None = None) -> pd.DataFrame:
    """The rows of ``frame`` whose source is at least ``min_reliability`` (low, medium or high)."""
    graded = with_reliability(frame, path) if "reliability" not in frame else frame
    return graded[graded["reliability"] >= min_reliability]


def graded(name: str, min_reliability: str = "low", path: str | Path | None = None) -> pd.DataFrame:
    """A table's rows from sources at least ``min_reliability``, with their ``reliability`` column.

    Read once per version of the table (a case asks for its figures many times); treat it as read-only.
    """
    pkg = package(path)
    return _graded(str(pkg.root), name, min_reliability, _mtime(pkg, name), _mtime(pkg, "sources"))


@lru_cache(maxsize=32)
def _graded(root: str, name: str, min_reliability: str, *_mtimes: int) -> pd.DataFrame:
    return at_least(load(name, root), min_reliability, root)


def graded_about(name: str, entities: list[str], min_reliability: str = "low") -> pd.DataFrame:
    """:func:`graded` narrowed to rows about ``entities`` (ids), fast: the table is split by entity once."""
    pkg = package()
    parts = _by_entity(str(pkg.root), name, min_reliability, _mtime(pkg, name), _mtime(pkg, "sources"))
    empty = parts.get(None)
    chosen = [parts[e] for e in dict.fromkeys(entities) if e in parts]
    return pd.concat(chosen) if chosen else empty


@lru_cache(maxsize=32)
def _by_entity(root: str, name: str, min_reliability: str, *mtimes: int) -> dict:
    frame = _graded(root, name, min_reliability, *mtimes)
    parts = {str(entity): rows for entity, rows in frame.groupby("entity", observed=True, sort=False)}
    parts[None] = frame.iloc[0:0]
    return parts


def tagged(frame: pd.DataFrame, tag: str) -> pd.DataFrame:
    """The rows of ``frame`` (events or metrics) whose ``tags`` include ``tag`` (see tags.csv)."""
    has_tag = frame["tags"].fillna("").map(lambda tags: tag in str(tags).split()).astype(bool)
    return frame[has_tag]


@dataclass(frozen=True)
class Citation:
    """The sources behind a set of rows, ready to print under an exhibit."""

    entries: tuple[tuple[str, str, tuple[int, ...]], ...]  # (source_id, reference, lines)

    def __str__(self) -> str:
        if not self.entries:
            return "No source: nothing in this run's years and sources."
        parts = []
        for _, reference, lines in self.entries:
            shown = ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")
            parts.append(f"{reference}, line{'s' if len(lines) > 1 else ''} {shown}" if lines else reference)
        return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts) + "."

    def _repr_markdown_(self) -> str:
        return f"*{self}*"

    @property
    def source_ids(self) -> list[str]:
        return [entry[0] for entry in self.entries]


def cite(frame: pd.DataFrame, path: str | Path | None = None) -> Citation:
    """The sources behind ``frame``'s rows (it needs a ``source`` column; ``line`` if present)."""
    table = sources(path).set_index("source_id")
    entries = []
    for source_id in sorted(frame["source"].dropna().unique(), key=lambda s: str(s)):
        lines = frame.loc[frame["source"] == source_id, "line"] if "line" in frame else pd.Series(dtype="Int64")
        row = table.loc[source_id]
        reference = f"{row['short_name']} ({row['reliability']} reliability)"
        entries.append((str(source_id), reference, tuple(sorted({int(n) for n in lines.dropna()}))))
    return Citation(tuple(entries))


def conflicts(path: str | Path | None = None, min_reliability: str = "low") -> pd.DataFrame:
    """Where sources disagree: every entity/metric/period/unit with more than one distinct value.

    One row per statement, grouped by a ``conflict`` number, with the source, its reliability,
    the line and the note, so the figures can be read side by side.
    """
    metrics = at_least(load("metrics", path), min_reliability, path)
    # Catch-all metrics (count, share_other ...) hold unrelated figures, so they cannot conflict.
    dated = metrics[~metrics["metric"].isin(CATCH_ALL_METRICS)]
    keys = ["entity", "metric", "period", "unit", "scope"]
    spread = dated.groupby(keys, observed=True)["value"].transform("nunique")
    rows = dated[spread > 1].sort_values(keys + ["value"])
    rows = rows.assign(conflict=rows.groupby(keys, observed=True).ngroup() + 1)
    columns = ["conflict", *keys, "value", "source", "reliability", "line", "disputed", "note"]
    return rows[columns].reset_index(drop=True)
