"""Check that a figure or a date really stands where a data row says it does.

Every metric row cites a source and a line of that source's plain-text copy; the value must be
readable from a number within ``WINDOW`` lines of it (``25 billion`` gives 25e9, ``56%`` gives
0.56). Every dated row (events, founding years) must find its year in the same window.

Two readings follow how the sources print figures:
- a fall is stored as a negative change (see the metrics schema), so a negative value stands when its
  size stands and the window says the quantity fell (``fell by 18 percent`` gives -0.18);
- a row of a table (tab-separated lines) takes the unit its table states in the column header, however
  far above the row the header is (``(100 BILLION RMB)``, ``(10,000s OF PEOPLE)``).
"""
from __future__ import annotations

import math
import os
import re
from functools import lru_cache
from pathlib import Path

WINDOW = 3

# A scale word is honoured anywhere in the window, since tables often state the unit in a header.
SCALES = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "t": 1e12,
    "ten thousand": 1e4, "wan": 1e4, "yi": 1e8, "hundred million": 1e8,
}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "a": 1, "half": 0.5, "double": 2, "triple": 3,
}
# Words that say a quantity went down; a negative value needs one of them in its window.
FALL = re.compile(r"\b(fell|falls?|falling|declin\w*|drop\w*|decreas\w*|reduc\w*|cuts?|lower\w*|shr[aiu]nk\w*|down)\b", re.I)
# A unit stated as a power of ten in parentheses, as table headers do: "(100 billion RMB)", "(10,000s of people)".
HEADER_UNIT = re.compile(r"\(\s*(?:in\s+)?(1(?:0|00|,000)*)(?:(s)\b|\s+(thousand|million|billion|trillion)\b)", re.I)
TENS_UNITS = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](one|two|three|four|five|six|seven|eight|nine)\b")
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
WORD = re.compile(r"[a-z]+")
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def seeds_dir() -> Path | None:
    """The folder of the sources' plain-text copies: $CASEKIT_SEEDS, else ../shared/seeds beside the repo."""
    env = os.environ.get("CASEKIT_SEEDS")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve().parent.parent
    candidates += [here.parent / "shared" / "seeds", Path.cwd().parent / "shared" / "seeds"]
    return next((c for c in candidates if c.is_dir()), None)


@lru_cache(maxsize=16)
def source_lines(text_file: str, folder: str) -> tuple[str, ...]:
    path = Path(folder) / text_file
    return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())


def window(lines: tuple[str, ...], line: int, width: int = WINDOW) -> str:
    """Lines ``line-width .. line+width`` (1-based, inclusive), joined."""
    lo, hi = max(1, line - width), min(len(lines), line + width)
    return "\n".join(lines[lo - 1 : hi])


def table_header(lines: tuple[str, ...], line: int) -> str:
    """The header of the tab-separated table that ``line`` (1-based) is a row of, or "" if it is no table row."""
    if not 1 <= line <= len(lines) or "\t" not in lines[line - 1]:
        return ""
    top = line
    while top > 1 and "\t" in lines[top - 2]:
        top -= 1
    return "\n".join(lines[top - 1 : line - 1])


def scales_in(text: str) -> set[float]:
    """The scale factors a reader applies to the numbers near ``text``: scale words and header units."""
    lowered = text.lower()
    words = set(WORD.findall(lowered))
    scales = {1.0}
    for word, factor in SCALES.items():
        if (" " in word and word in lowered) or word in words:
            scales.add(factor)
    for power, plural, word in HEADER_UNIT.findall(lowered):
        if plural or word:
            scales.add(float(power.replace(",", "")) * (SCALES[word] if word else 1.0))
    return scales


def candidate_values(text: str, header: str = "") -> set[float]:
    """Every value a reader could take from the numbers in ``text``, in base units.

    ``header`` is the column header of the table ``text`` belongs to: its units apply, its numbers do not.
    """
    lowered = text.lower()
    words = set(WORD.findall(lowered))
    scales = scales_in(text) | (scales_in(header) if header else set())
    percent = "%" in text or "percent" in words or "per cent" in lowered
    bases: set[float] = set()
    for whole, frac in NUMBER.findall(text):
        bases.add(float(whole.replace(",", "") + (frac or "")))
    # "1.2T", "40M+", "$2.8B": a scale letter glued to the number
    for number, suffix in re.findall(r"(\d+(?:\.\d+)?)\s?([kmbt]n?)\b", lowered):
        bases.add(float(number) * SCALES[suffix])
    for word in words & WORD_NUMBERS.keys():
        bases.add(float(WORD_NUMBERS[word]))
    # "eighty-five percent": a compound of tens and units
    for tens, units in TENS_UNITS.findall(lowered):
        bases.add(float(WORD_NUMBERS[tens] + WORD_NUMBERS[units]))
    values = set()
    for base in bases:
        for factor in scales:
            values.add(base * factor)
        if percent:
            values.add(base / 100)
    return values


def value_stands(value: float, text: str, header: str = "") -> bool:
    """Whether ``value`` can be read from ``text``; a negative value also needs a word saying it fell."""
    if value < 0 and not FALL.search(text):
        return False
    size = abs(value)
    return any(math.isclose(size, c, rel_tol=1e-6, abs_tol=1e-12) for c in candidate_values(text, header))


def year_stands(year: int, text: str) -> bool:
    return str(year) in YEAR.findall(text)


def verify(path: str | Path | None = None, seeds: str | Path | None = None) -> list:
    """Check every metric, event and founding year against its cited source line.

    Returns a list of :class:`casekit.validation.Problem`; empty means every row verifies.
    """
    import pandas as pd

    from .data import load
    from .errors import CasekitError
    from .validation import Problem

    folder = Path(seeds) if seeds else seeds_dir()
    if folder is None or not folder.is_dir():
        raise CasekitError("cannot find the source texts: pass --seeds DIR or set CASEKIT_SEEDS (default ../shared/seeds)")
    files = load("sources", path).set_index("source_id")["text_file"].to_dict()
    problems = []

    def text(source: str, line: int) -> str | None:
        lines = source_lines(files[source], str(folder))
        return window(lines, int(line)) if 1 <= int(line) <= len(lines) else None

    def header(source: str, line: int) -> str:
        return table_header(source_lines(files[source], str(folder)), int(line))

    for number, row in enumerate(load("metrics", path).itertuples(index=False), start=2):
        found = text(row.source, row.line)
        if found is None or not value_stands(float(row.value), found, header(row.source, row.line)):
            problems.append(Problem("metrics.csv", number, "value", f"{row.value:g} is not within {WINDOW} lines of {row.source} line {row.line}"))
    for number, row in enumerate(load("events", path).itertuples(index=False), start=2):
        found = text(row.source, row.line)
        if found is None or not year_stands(int(row.date[:4]), found):
            problems.append(Problem("events.csv", number, "date", f"year {row.date[:4]} is not within {WINDOW} lines of {row.source} line {row.line}"))
    for number, row in enumerate(load("entities", path).itertuples(index=False), start=2):
        if not pd.isna(row.founded):
            found = text(row.founded_source, row.founded_line)
            if found is None or not year_stands(int(row.founded), found):
                problems.append(Problem("entities.csv", number, "founded", f"year {row.founded} is not within {WINDOW} lines of {row.founded_source} line {row.founded_line}"))
    return problems
