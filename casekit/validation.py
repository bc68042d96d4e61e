"""Strict validation of a data package: columns, types, allowed values, dates, keys, foreign keys.

Every problem is one :class:`Problem` naming the file, the row (as a spreadsheet shows it: the
header is row 1), the column and what is allowed, so an editor can go straight to it.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .paths import data_dir

INTEGER = re.compile(r"^-?\d+$")
NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
# Metrics whose value is a share of a whole; a value above 1 is almost always "56" for "56%".
SHARE_METRICS = {"market_share", "revenue_share", "default_rate", "share_other", "rd_share_of_revenue", "ebitda_margin"}
# Metrics that state a change; only these may be negative (a fall), and only when not a multiple (unit ratio).
CHANGE_METRICS = {"growth_rate", "revenue_growth", "change_other"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f" row {self.row}" if self.row else "") + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def validate(path: str | Path | None = None) -> list[Problem]:
    """Check a data package (the shipped one, or the folder / datapackage.json at ``path``).

    Returns the problems found; an empty list means the package is valid.
    """
    root = Path(path) if path is not None else data_dir()
    if root.name == "datapackage.json":
        root = root.parent
    descriptor_file = root / "datapackage.json"
    if not descriptor_file.is_file():
        return [Problem(str(root), None, None, "no datapackage.json here (give a data package folder)")]
    try:
        descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return [Problem("datapackage.json", error.lineno, None, f"not valid JSON: {error.msg}")]

    problems: list[Problem] = []
    tables: dict[str, list[dict[str, str]]] = {}
    for resource in descriptor.get("resources", []):
        rows = _read_table(root, resource, problems)
        if rows is not None:
            tables[resource["name"]] = rows
    for resource in descriptor.get("resources", []):
        if resource["name"] in tables:
            _check_keys(resource, tables, problems)
    if "metrics" in tables:
        _check_shares(tables["metrics"], problems)
        _check_signs(tables["metrics"], problems)
    for resource in descriptor.get("resources", []):
        if resource["name"] in tables:
            _check_vocabularies(resource, tables, problems)
    return problems


def _read_table(root: Path, resource: dict, problems: list[Problem]) -> list[dict[str, str]] | None:
    file = resource["path"]
    fields = resource["schema"]["fields"]
    try:
        with open(root / file, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            body = list(reader)
    except FileNotFoundError:
        problems.append(Problem(file, None, None, "file is missing"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(file, None, None, "not UTF-8 text"))
        return None
    names = [f["name"] for f in fields]
    missing = [n for n in names if n not in header]
    for name in missing:
        problems.append(Problem(file, 1, name, f"column is missing (the columns are: {', '.join(names)})"))
    for name in header:
        if name not in names:
            problems.append(Problem(file, 1, name, f"unknown column (the columns are: {', '.join(names)})"))
    rows = []
    for number, values in enumerate(body, start=2):
        if len(values) != len(header):
            problems.append(Problem(file, number, None, f"has {len(values)} cells, the header has {len(header)}"))
            continue
        row = dict(zip(header, values))
        rows.append(row)
        for field in fields:
            if field["name"] in row:
                message = _check_cell(row[field["name"]], field)
                if message:
                    problems.append(Problem(file, number, field["name"], message))
    return rows


def _check_cell(value: str, field: dict) -> str | None:
    constraints = field.get("constraints", {})
    if value == "":
        return "is empty (a value is required)" if constraints.get("required") else None
    kind = field.get("type", "string")
    if kind == "integer" and not INTEGER.match(value):
        return f"{value!r} is not a whole number"
    if kind == "number" and not NUMBER.match(value):
        return f"{value!r} is not a number (write a plain number in base units, e.g. 25000000000 or 0.56)"
    if kind == "boolean" and value not in ("true", "false"):
        return f"{value!r} is not a boolean (allowed: true, false)"
    if "enum" in constraints and value not in constraints["enum"]:
        return f"{value!r} is not allowed (allowed: {', '.join(constraints['enum'])})"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
        return f"{value!r} is not in the allowed form ({field.get('x-form', constraints['pattern'])})"
    if kind in ("integer", "number"):
        number = float(value)
        if "minimum" in constraints and number < constraints["minimum"]:
            return f"{value} is below the minimum {constraints['minimum']}"
        if "maximum" in constraints and number > constraints["maximum"]:
            return f"{value} is above the maximum {constraints['maximum']}"
    if field.get("x-form", "").startswith("ISO 8601") and not _real_date(value):
        return f"{value!r} is not a real date ({field['x-form']})"
    return None


def _real_date(value: str) -> bool:
    parts = [int(p) for p in value.split("-")]
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) == 3:
        import calendar

        return 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]
    return True


def _check_keys(resource: dict, tables: dict[str, list[dict[str, str]]], problems: list[Problem]) -> None:
    file, schema, rows = resource["path"], resource["schema"], tables[resource["name"]]
    key = schema.get("primaryKey")
    if key:
        columns = [key] if isinstance(key, str) else key
        seen: dict[tuple, int] = {}
        for number, row in enumerate(rows, start=2):
            value = tuple(row.get(c, "") for c in columns)
            if value in seen:
                problems.append(
                    Problem(file, number, ",".join(columns), f"duplicate key {'/'.join(value)!r} (first at row {seen[value]}); keys must be unique")
                )
            else:
                seen[value] = number
    for foreign in schema.get("foreignKeys", []):
        column = foreign["fields"]
        target = foreign["reference"]["resource"] or resource["name"]
        target_field = foreign["reference"]["fields"]
        if target not in tables:
            continue
        allowed = {r.get(target_field, "") for r in tables[target]}
        for number, row in enumerate(rows, start=2):
            value = row.get(column, "")
            if value and value not in allowed:
                problems.append(Problem(file, number, column, f"{value!r} is not a known {target}.{target_field}"))


def _check_vocabularies(resource: dict, tables: dict[str, list[dict[str, str]]], problems: list[Problem]) -> None:
    """A field with ``x-vocabulary`` holds space-separated words, each a key of that table (tags.csv)."""
    for field in resource["schema"]["fields"]:
        vocabulary = field.get("x-vocabulary")
        if not vocabulary or vocabulary not in tables:
            continue
        known = {row.get("tag", "") for row in tables[vocabulary]}
        for number, row in enumerate(tables[resource["name"]], start=2):
            unknown = [word for word in row.get(field["name"], "").split() if word not in known]
            if unknown:
                problems.append(Problem(resource["path"], number, field["name"],
                                        f"{', '.join(map(repr, unknown))} not defined in {vocabulary}.csv (add it there first)"))


def _check_shares(rows: list[dict[str, str]], problems: list[Problem]) -> None:
    for number, row in enumerate(rows, start=2):
        if row.get("metric") in SHARE_METRICS and row.get("unit") == "share" and NUMBER.match(row.get("value", "")):
            if not 0 <= float(row["value"]) <= 1:
                problems.append(Problem("metrics.csv", number, "value", f"share {row['value']} is outside 0..1 (write 56% as 0.56)"))


def _check_signs(rows: list[dict[str, str]], problems: list[Problem]) -> None:
    """A fall is a negative change; levels and growth multiples are never negative."""
    for number, row in enumerate(rows, start=2):
        if not NUMBER.match(row.get("value", "")) or float(row["value"]) >= 0:
            continue
        if row.get("metric") not in CHANGE_METRICS:
            problems.append(Problem("metrics.csv", number, "value", f"{row['value']} is negative, but {row.get('metric')!r} is a level "
                                    f"(only a change can be negative: {', '.join(sorted(CHANGE_METRICS))})"))
        elif row.get("unit") == "ratio":
            problems.append(Problem("metrics.csv", number, "value", f"{row['value']} is a negative multiple (unit ratio is the new level "
                                    "over the old; write a fall as a negative share instead)"))
