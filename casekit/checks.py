"""Exercise checks: friendly feedback on a student's answer, never a bare AssertionError.

Each check returns :class:`Feedback`, shown in the notebook as a short Markdown note: right,
not yet (with what to look at again), or not answered yet (the student edition's ``...`` stub).
Checks accept every correct answer: numbers within a tolerance, years from a set, entity names
in any spelling the data knows, sets in any order.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Feedback:
    passed: bool | None  # None: not answered yet
    message: str

    def _repr_markdown_(self) -> str:
        from .prose import escape_dollars

        mark = {True: "**Right.**", False: "**Not yet.**", None: "**Not answered yet.**"}[self.passed]
        return f"> {mark} {escape_dollars(self.message)}"

    def __bool__(self) -> bool:
        return bool(self.passed)

    def __repr__(self) -> str:
        return self._repr_markdown_()


def unanswered(answer: object) -> bool:
    """True for the student edition's `...` stub (and None): nothing handed in yet."""
    return answer is Ellipsis or answer is None


def number(answer: object, expected: float, rel_tol: float = 0.02, abs_tol: float = 1e-9, hint: str = "", shown: str | None = None) -> Feedback:
    """Right when ``answer`` is within ``rel_tol`` (2% by default) of ``expected``."""
    if unanswered(answer):
        return Feedback(None, "Replace the `...` with your answer, then run this cell again.")
    try:
        value = float(answer)  # numpy and pandas scalars too
    except (TypeError, ValueError):
        return Feedback(False, f"Your answer is {type(answer).__name__} {answer!r}; give a single number. {hint}".strip())
    if math.isnan(value):
        return Feedback(False, f"Your answer is NaN (a missing value): check the rows you selected. {hint}".strip())
    if math.isclose(value, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return Feedback(True, f"{shown or format(expected, ',.4g')} is correct.")
    if expected and math.isclose(value, expected * 100, rel_tol=rel_tol):
        return Feedback(False, f"You seem to have given a percentage; write shares as fractions (0.25 for 25%). {hint}".strip())
    if expected and math.isclose(value * 100, expected, rel_tol=rel_tol):
        return Feedback(False, f"You seem to have given a fraction where a percentage is asked. {hint}".strip())
    return Feedback(False, f"{value:,.4g} is not what the data gives. {hint}".strip())


def year(answer: object, expected: int | Iterable[int], hint: str = "") -> Feedback:
    """Right when ``answer`` is the year (or one of the years) the data supports."""
    if unanswered(answer):
        return Feedback(None, "Replace the `...` with a year, then run this cell again.")
    accepted = {int(expected)} if isinstance(expected, (int, float)) else {int(y) for y in expected}
    try:
        value = int(str(answer).strip()[:4])
    except ValueError:
        return Feedback(False, f"{answer!r} is not a year; give four digits such as 2005. {hint}".strip())
    if value in accepted:
        others = sorted(accepted - {value})
        extra = f" (The data also supports {', '.join(map(str, others))}: the sources disagree.)" if others else ""
        return Feedback(True, f"{value} is correct.{extra}")
    direction = "too early" if value < min(accepted) else "too late"
    return Feedback(False, f"{value} is {direction}. {hint}".strip())


def choice(answer: object, accepted: str | Iterable[str], hint: str = "", normalise: Callable[[str], str] | None = None) -> Feedback:
    """Right when ``answer`` matches one of the accepted texts (case and spacing ignored)."""
    if unanswered(answer):
        return Feedback(None, "Replace the `...` with your answer (in quotes), then run this cell again.")
    normalise = normalise or (lambda text: " ".join(str(text).lower().split()))
    options = [accepted] if isinstance(accepted, str) else list(accepted)
    if normalise(str(answer)) in {normalise(o) for o in options}:
        return Feedback(True, f"{answer!s} is correct.")
    return Feedback(False, f"{answer!s} is not it. {hint}".strip())


def members(answer: object, expected: Iterable, hint: str = "", normalise: Callable[[object], object] | None = None) -> Feedback:
    """Right when ``answer`` holds exactly the expected items, in any order."""
    if unanswered(answer):
        return Feedback(None, "Replace the `...` with a list, then run this cell again.")
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        return Feedback(False, f"Give a list of items, such as ['a', 'b'], not {type(answer).__name__}. {hint}".strip())
    normalise = normalise or (lambda item: " ".join(str(item).lower().split()))
    given, wanted = {normalise(a) for a in answer}, {normalise(e) for e in expected}
    if given == wanted:
        return Feedback(True, f"All {len(wanted)} are right.")
    missing, extra = len(wanted - given), len(given - wanted)
    parts = [f"{missing} missing" if missing else "", f"{extra} that should not be there" if extra else ""]
    return Feedback(False, f"Your list has {' and '.join(p for p in parts if p)}. {hint}".strip())
