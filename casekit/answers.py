"""Answers read out of a student's kernel as plain data, and turned back into values in the grader.

After a submission has run, the grader executes :func:`readout_code` in its kernel. That code
writes each answer variable as JSON-ready data (numbers, text, dates, lists of them) into one
display message of its own MIME type, tagged with a nonce; the grader's side (:func:`decode`)
accepts only that shape, within size limits, and the checks then run in the grading process on
the decoded values. What the student's code did to casekit, to the checks or to the printed output
inside the kernel plays no part.

Values are read through the base types (``float.__float__``, ``str.__str__``), so an object that
claims to equal anything, or a ``str`` subclass with its own ``lower()``, is read as the plain
number or text it holds. Anything else (a DataFrame, a function, a dict) is read as *unreadable*
with its type name; a name the notebook never assigned as *missing*.

What this cannot prevent, and does not need to: code in the kernel can change what the readout
reports for that same kernel's variables (replacing IPython's display machinery, say). That is
the same power as assigning those variables, which every student has; it reaches no other
submission.
"""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

MIME = "application/vnd.casekit.answers+json"
MAX_ITEMS = 1000  # items in one list
MAX_TEXT = 10_000  # characters in one text
MAX_DEPTH = 3  # lists of lists of lists
MAX_NODES = 5000  # values in one answer, all levels together
MAX_DIGITS = 100  # digits of one whole number

# Runs inside the student's kernel, in a namespace of its own (so a student's `list = [...]` or
# `str = ...` does not break it); NAMESPACE, NAMES, NONCE and the limits are given to it.
_KERNEL_SIDE = r'''
import datetime, math, numbers, sys
from IPython.display import publish_display_data

class _TooLarge(Exception):
    pass

def _unreadable(value, why=""):
    shown = {"$": "unreadable", "type": type(value).__name__[:60], "why": why}
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and all(isinstance(n, int) for n in shape):
        shown["shape"] = list(shape)[:4]
    return shown

def _encode(value, depth, budget):
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge()
    if value is Ellipsis:
        return {"$": "ellipsis"}
    if value is None or value is True or value is False:
        return value
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, (numpy.generic, numpy.ndarray)) and numpy.ndim(value) == 0:
        value = value.item()
        if value is None or value is True or value is False:
            return value
    if isinstance(value, int) or (isinstance(value, numbers.Integral) and not isinstance(value, float)):
        number = int.__int__(value) if isinstance(value, int) else int(value)
        if len(str(abs(number))) > MAX_DIGITS:
            return _unreadable(value, "a whole number of more than %d digits" % MAX_DIGITS)
        return number
    if isinstance(value, (float, numbers.Real)) and not isinstance(value, (datetime.date, datetime.timedelta)):
        number = float.__float__(value) if isinstance(value, float) else float(value)
        if math.isfinite(number):
            return number
        return {"$": "float", "value": "nan" if number != number else ("inf" if number > 0 else "-inf")}
    if isinstance(value, str):
        text = str.__str__(value)
        if len(text) > MAX_TEXT:
            return _unreadable(value, "a text of more than %d characters" % MAX_TEXT)
        return text
    if isinstance(value, datetime.datetime):
        return {"$": "datetime", "iso": datetime.datetime.isoformat(value)}
    if isinstance(value, datetime.date):
        return {"$": "date", "iso": datetime.date.isoformat(value)}
    pandas = sys.modules.get("pandas")
    if numpy is not None and isinstance(value, numpy.ndarray):
        kind, size = "list", value.size
        items = (lambda: value.tolist())
    elif pandas is not None and isinstance(value, (pandas.Series, pandas.Index)):
        kind, size = "list", len(value)
        items = (lambda: value.tolist())
    elif isinstance(value, (list, tuple, set, frozenset)):
        kind = "tuple" if isinstance(value, tuple) else "set" if isinstance(value, (set, frozenset)) else "list"
        size = len(value)
        items = (lambda: list(value))
    else:
        return _unreadable(value)
    if depth >= MAX_DEPTH:
        return _unreadable(value, "lists nested more than %d deep" % MAX_DEPTH)
    if size > MAX_ITEMS:
        return _unreadable(value, "more than %d items" % MAX_ITEMS)
    return {"$": kind, "items": [_encode(item, depth + 1, budget) for item in items()][:MAX_ITEMS]}

def _read(name):
    if name not in NAMESPACE:
        return {"$": "missing"}
    value = NAMESPACE[name]
    try:
        return _encode(value, 0, [MAX_NODES])
    except _TooLarge:
        return _unreadable(value, "more than %d values in all" % MAX_NODES)
    except Exception as error:
        return _unreadable(value, "reading it raised %s" % type(error).__name__)

publish_display_data({MIME: {"nonce": NONCE, "values": {name: _read(name) for name in NAMES}}})
'''


def readout_code(names: list[str], nonce: str) -> str:
    """The code the grader runs in a kernel, last, to read ``names`` out of it."""
    given = {"MIME": MIME, "NAMES": list(names), "NONCE": nonce, "MAX_ITEMS": MAX_ITEMS, "MAX_TEXT": MAX_TEXT,
             "MAX_DEPTH": MAX_DEPTH, "MAX_NODES": MAX_NODES, "MAX_DIGITS": MAX_DIGITS}
    constants = ", ".join(f"{key!r}: {value!r}" for key, value in given.items())
    return (
        "import builtins as __casekit_builtins__\n"
        f"__casekit_builtins__.exec({_KERNEL_SIDE!r}, {{'__builtins__': __casekit_builtins__, "
        f"'NAMESPACE': __casekit_builtins__.globals(), {constants}}})\n"
        "del __casekit_builtins__\n"
    )


# ---- the grader's side ---------------------------------------------------------------------------

class Malformed(ValueError):
    """Data that the readout code would never send."""


@dataclass(frozen=True)
class Missing:
    """The notebook never assigned the answer variable."""


@dataclass(frozen=True)
class Unreadable:
    """A value that is not plain data (a DataFrame, a function...): its type, and why when known."""

    type: str
    why: str = ""
    shape: tuple = ()

    def describe(self) -> str:
        shape = " x ".join(map(str, self.shape))
        what = f"a {self.type}" + (f" of shape {shape}" if shape else "")
        return what + (f" ({self.why})" if self.why else "")


def decode(data: object):
    """A value from readout data: None, ``...``, bool, int, float, str, datetime, date, list, tuple,
    set, or :class:`Missing` / :class:`Unreadable`. Raises :class:`Malformed` on anything else."""
    budget = [MAX_NODES]
    value = _decode(data, 0, budget)
    return value


def _decode(data: object, depth: int, budget: list[int]):
    budget[0] -= 1
    if budget[0] < 0:
        raise Malformed("too many values")
    if data is None or isinstance(data, bool):
        return data
    if isinstance(data, int):
        if len(str(abs(data))) > MAX_DIGITS:
            raise Malformed("a number with too many digits")
        return data
    if isinstance(data, float):
        if not math.isfinite(data):
            raise Malformed("a non-finite number outside its tag")
        return data
    if isinstance(data, str):
        if len(data) > MAX_TEXT:
            raise Malformed("a text that is too long")
        return data
    if not isinstance(data, dict) or not isinstance(data.get("$"), str):
        raise Malformed(f"unexpected {type(data).__name__}")
    kind = data["$"]
    if kind == "ellipsis":
        return Ellipsis
    if kind == "missing":
        return Missing()
    if kind == "float" and data.get("value") in ("nan", "inf", "-inf"):
        return float(data["value"])
    if kind in ("datetime", "date") and isinstance(data.get("iso"), str) and len(data["iso"]) <= 40:
        return _timestamp(data["iso"]) if kind == "datetime" else datetime.date.fromisoformat(data["iso"])
    if kind == "unreadable":
        shape = data.get("shape", [])
        if not (isinstance(shape, list) and len(shape) <= 4 and all(isinstance(n, int) and not isinstance(n, bool) for n in shape)):
            shape = []
        return Unreadable(_short(data.get("type")), _short(data.get("why")), tuple(shape))
    if kind in ("list", "tuple", "set") and isinstance(data.get("items"), list):
        if depth >= MAX_DEPTH or len(data["items"]) > MAX_ITEMS:
            raise Malformed("a list too long or nested too deep")
        items = [_decode(item, depth + 1, budget) for item in data["items"]]
        if kind == "list":
            return items
        if kind == "tuple":
            return tuple(items)
        try:
            return set(items)
        except TypeError:
            raise Malformed("a set of unhashable values") from None
    raise Malformed(f"unknown kind {kind[:20]!r}")


def _timestamp(iso: str):
    try:
        import pandas as pd

        return pd.Timestamp(iso)  # what the student's kernel held: a Timestamp, not a bare datetime
    except (ImportError, ValueError):
        return datetime.datetime.fromisoformat(iso)


def _short(text: object, limit: int = 120) -> str:
    return str(text)[:limit] if isinstance(text, str) else ""


def shown(value: object, limit: int = 200) -> str:
    """A student's answer as a feedback page or the gradebook shows it."""
    if value is Ellipsis:
        return "..."
    if isinstance(value, Missing):
        return "(not assigned)"
    if isinstance(value, Unreadable):
        return f"({value.describe()})"
    if isinstance(value, float):
        text = f"{value:,.6g}" if abs(value) >= 1e4 and math.isfinite(value) else repr(value)
    elif isinstance(value, (datetime.date, datetime.datetime)):
        text = value.isoformat()
    elif isinstance(value, (list, tuple, set)):
        items = sorted(value, key=repr) if isinstance(value, set) else value
        inner = ", ".join(shown(item, limit) for item in items)
        text = {list: f"[{inner}]", tuple: f"({inner}{',' if len(value) == 1 else ''})", set: f"{{{inner}}}"}[type(value)]
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
