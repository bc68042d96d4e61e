"""Validate notebook parameters: names, types, years within the data, allowed choices.

The same check runs in two places: in the notebook, right after its parameters cell, and in
``casekit build`` before any kernel starts. A bad value raises :class:`ParameterError` with one
line that names the parameter and what is allowed.
"""
from __future__ import annotations

import types
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import ParameterError
from .notebooks import Notebook, Parameter, find

THEMES = ["history", "business_model", "fintech", "competition", "regulation", "cloud_ai", "logistics", "culture", "global"]
ARENAS = ["ecommerce", "payments", "cloud", "local_services"]
RELIABILITY = ["low", "medium", "high"]
# Entities a notebook can deepen on; names, ids and aliases are all accepted.
BUSINESS_FOCUS = ["taobao", "tmall", "alibaba_com", "b2b_1688", "alibaba_cloud", "aliexpress", "cainiao", "rural_taobao", "taobao_villages", "singles_day", "lazada", "eleme", "hema"]
FINTECH_FOCUS = ["alipay", "ant_group", "ali_small_loans", "mybank", "yuebao", "sesame_credit"]
RIVALS = ["ebay", "eachnet", "jd_com", "pinduoduo", "amazon", "amazon_china", "tencent", "wechat_pay", "paipai", "meituan", "shopee", "paypal"]


@dataclass(frozen=True)
class Rule:
    """What a parameter may hold beyond its declared type."""

    choices: tuple[str, ...] | str | None = None  # fixed values, or "entities:<list name>"
    many: bool = False  # a list whose items must each be allowed
    years: bool = False  # a year within the data's span
    max_length: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


RULES: dict[tuple[str | None, str], Rule] = {
    (None, "audience"): Rule(choices=("student", "instructor")),
    (None, "min_reliability"): Rule(choices=tuple(RELIABILITY)),
    (None, "course"): Rule(max_length=200),
    (None, "start_year"): Rule(years=True),
    (None, "end_year"): Rule(years=True),
    ("history", "themes"): Rule(choices=tuple(THEMES), many=True),
    ("business_model", "focus"): Rule(choices="entities:BUSINESS_FOCUS"),
    ("fintech", "focus"): Rule(choices="entities:FINTECH_FOCUS"),
    ("competition", "rivals"): Rule(choices="entities:RIVALS", many=True),
    ("competition", "arena"): Rule(choices=tuple(ARENAS)),
}


def rule(notebook: str, name: str) -> Rule:
    return RULES.get((notebook, name)) or RULES.get((None, name)) or Rule()


def data_years() -> tuple[int, int]:
    """The first and last year that the events and metrics cover."""
    from .data import content_hash

    return _data_years(content_hash())


@lru_cache(maxsize=4)
def _data_years(_content: str) -> tuple[int, int]:
    from .data import load

    events = load("events")["date_start"].dt.year
    metrics = load("metrics")["year"].dropna()
    return int(min(events.min(), metrics.min())), int(max(events.max(), metrics.max()))


def _spellings() -> dict[str, str]:
    """Every accepted spelling of every entity (id, name, aliases; lower case) -> entity_id."""
    from .data import content_hash

    return _spelling_table(content_hash())


@lru_cache(maxsize=4)
def _spelling_table(_content: str) -> dict[str, str]:
    from .data import load

    table = {}
    for row in load("entities").itertuples(index=False):
        aliases = str(row.aliases).split(";") if isinstance(row.aliases, str) else []
        for spelling in (row.entity_id, str(row.name), *aliases):
            table.setdefault(spelling.strip().lower(), row.entity_id)
    return table


def entity_id(name: str) -> str:
    """The entity_id for a display name, id or alias accepted by a parameter."""
    try:
        return _spellings()[str(name).strip().lower()]
    except KeyError:
        raise ParameterError(f"no entity named {name!r}") from None


def _entity_lookup(list_name: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """For one list of allowed entities: accepted spelling -> display name, and the display names."""
    from .data import load

    ids = globals()[list_name]
    names = load("entities").set_index("entity_id")["name"].astype(str)
    lookup = {spelling: names[eid] for spelling, eid in _spellings().items() if eid in ids}
    return lookup, tuple(names[eid] for eid in ids)


def allowed(notebook: str, name: str) -> tuple[str, ...] | None:
    """The allowed values of a parameter, or None when any value of its type is fine."""
    choices = rule(notebook, name).choices
    if isinstance(choices, str):
        return _entity_lookup(choices.split(":", 1)[1])[1]
    return choices


def describe_rule(notebook: str, parameter: Parameter) -> str:
    """Allowed values or range, for ``casekit params`` and error messages."""
    r = rule(notebook, parameter.name)
    if r.years:
        first, last = data_years()
        return f"a year from {first} to {last}"
    choices = allowed(notebook, parameter.name)
    if choices:
        return ("a list of: " if r.many else "one of: ") + ", ".join(choices)
    if r.max_length:
        return f"any text up to {r.max_length} characters"
    return f"any {parameter.type}"


def _check_type(name: str, value: object, kind: str) -> object:
    expected = {"int": int, "str": str, "list": list, "float": (int, float), "bool": bool, "dict": dict}.get(kind)
    if expected is None:
        return value
    if kind == "str" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # papermill's -p reads "1688" as a number; a text parameter takes it as text
    if isinstance(value, bool) and kind != "bool":
        raise ParameterError(f"{name}: expected {kind}, got a boolean {value!r}")
    if kind == "list" and isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, expected):
        raise ParameterError(f"{name}: expected {kind}, got {type(value).__name__} {value!r}")
    return value


def _check_choice(notebook: str, name: str, value: str) -> str:
    r = rule(notebook, name)
    if isinstance(r.choices, str):
        lookup, names = _entity_lookup(r.choices.split(":", 1)[1])
        if not isinstance(value, str) or value.strip().lower() not in lookup:
            raise ParameterError(f"{name}: {value!r} is not allowed (allowed: {', '.join(names)})")
        return lookup[value.strip().lower()]
    if r.choices and value not in r.choices:
        raise ParameterError(f"{name}: {value!r} is not allowed (allowed: {', '.join(r.choices)})")
    return value


def validate(notebook: "str | Notebook", values: dict, declared: dict[str, Parameter] | None = None) -> dict:
    """Check ``values`` (overrides or a full set) against the notebook's parameters.

    Returns the complete, canonical parameters: defaults filled in, names of entities written as
    the data writes them. Raises :class:`ParameterError` on the first problem.
    """
    book = notebook if isinstance(notebook, Notebook) else find(notebook)
    declared = declared if declared is not None else book.parameters
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter {unknown[0]!r} for {book.name} (parameters: {', '.join(declared)})")
    result = {}
    for name, parameter in declared.items():
        value = _check_type(name, values.get(name, parameter.default), parameter.type)
        r = rule(book.name, name)
        if r.years:
            first, last = data_years()
            if not first <= value <= last:
                raise ParameterError(f"{name}: {value} is outside the data (allowed: {first} to {last})")
        if r.max_length and len(value) > r.max_length:
            raise ParameterError(f"{name}: text is {len(value)} characters long (allowed: up to {r.max_length})")
        if r.many:
            if not value:
                raise ParameterError(f"{name}: the list is empty (allowed: a list of {', '.join(allowed(book.name, name) or ())})")
            value = list(dict.fromkeys(_check_choice(book.name, name, _check_type(name, item, "str")) for item in value))
        elif r.choices:
            value = _check_choice(book.name, name, value)
        result[name] = value
    if "start_year" in result and "end_year" in result and result["start_year"] > result["end_year"]:
        raise ParameterError(f"start_year {result['start_year']} is after end_year {result['end_year']} (allowed: start_year <= end_year)")
    return result


IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}
RERUN_MARK = "_casekit_opened"


def from_namespace(notebook: str, namespace: dict) -> dict:
    """Validate the parameters as a notebook's kernel holds them (pass ``globals()``).

    Any other user-level name in the namespace at this point was injected by papermill for a
    parameter the notebook does not declare, so it is reported as unknown.
    """
    declared = find(notebook).parameters
    if namespace.get(RERUN_MARK):
        # Run again in JupyterLab: the notebook's own variables now exist too; papermill injects
        # parameters only before the first run, so only the declared ones are checked.
        return validate(notebook, {n: namespace[n] for n in declared if n in namespace}, declared)
    values = {}
    for name, value in namespace.items():
        if name.startswith("_") or name in IPYTHON_NAMES or isinstance(value, types.ModuleType):
            continue
        values[name] = value
    result = validate(notebook, values, declared)
    namespace[RERUN_MARK] = True
    return result
