"""The house style for words written from data: one place for joins, counts, figures, dates and citations.

Every function here turns a value into the phrase a careful writer would use, and each is registered
as a filter of the case's templates (``{{ rivals | join_words }}``, ``{{ 3 | count("rival") }}``,
``{{ row.value | figure(row.unit) }}``). Chapter modules hand plain values to the templates; they
never build sentences themselves.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CURRENCY = {"USD": "US$", "CNY": "RMB", "HKD": "HK$", "MOP": "MOP"}
SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")]
UNIT_WORDS = {"count": "", "ratio": "x"}  # suffixes after a number; other units print their own name
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
# A bare dollar sign starts maths in JupyterLab and nbconvert ("US$52 billion ... US$26 billion" would read as
# one formula); escaped, it prints as itself. Code spans are left alone.
CODE_OR_DOLLAR = re.compile(r"(`+)(?:.|\n)*?\1|(?<!\\)\$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


# ---- lists and counts ----------------------------------------------------------------------------
def join_words(items: Iterable, conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (empty items are dropped)."""
    words = [str(item) for item in items if item is not None and str(item) != ""]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def number_word(count: int) -> str:
    """Whole numbers up to ten in words ('three'), larger ones in figures ('1,204')."""
    count = int(count)
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else f"{count:,}"


def plural(noun: str, count: int, plural_form: str | None = None) -> str:
    """``noun`` agreeing with ``count``: 'rival' for one, 'rivals' otherwise."""
    return noun if int(count) == 1 else plural_form or (noun[:-1] + "ies" if re.search(r"[^aeiou]y$", noun) else noun + "s")


def count(number: int, noun: str, plural_form: str | None = None) -> str:
    """'one rival', 'three rivals', '12 rivals', 'no rivals'."""
    return f"{number_word(number)} {plural(noun, number, plural_form)}"


# ---- figures -------------------------------------------------------------------------------------
def scale(values: Iterable[float], unit: str) -> tuple[float, str]:
    """A divisor and a label for showing ``values`` in ``unit`` together ('US$ billion', 'million', 'percent')."""
    if unit == "share":
        return 0.01, "percent"
    values = [abs(float(v)) for v in values]
    top = max(values) if values else 0.0
    factor, word = next(((f, w) for f, w in SCALES if top >= f), (1.0, ""))
    currency = CURRENCY.get(unit)
    if currency:
        return factor, f"{currency} {word}".strip()
    noun = {"count": "", "days": "days", "years": "years", "hours": "hours", "ratio": "times"}.get(unit, unit.replace("_", " "))
    return factor, " ".join(p for p in (word, noun) if p) or "number"


def figure(value: float, unit: str = "count") -> str:
    """A figure as a reader writes it: 'US$25 billion', '56%', '4.5 million', '1,025', 'RMB5,937'.

    Large money and counts are scaled to million, billion or trillion with four significant digits;
    counts and sums of money below a million are written in full.
    """
    value, unit = float(value), str(unit)
    if unit == "share":
        return f"{value * 100:.4g}%"
    if unit == "count" and abs(value) < 1e6:
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if unit in CURRENCY and abs(value) < 1e6:  # a price or a loan, written in full: RMB5,937, US$93.89
        return CURRENCY[unit] + (f"{value:,.0f}" if abs(value) >= 100 or value.is_integer() else f"{value:,.2f}")
    factor, word = next(((f, w) for f, w in SCALES if abs(value) >= f), (1.0, ""))
    number = f"{value / factor:,.4g}" if factor > 1 else f"{value:,.6g}"
    currency = CURRENCY.get(unit)
    if currency:
        return f"{currency}{number} {word}".strip()
    suffix = UNIT_WORDS.get(unit, " " + unit.replace("_", " "))
    return f"{number} {word}".strip() + suffix


def percent(share: float, digits: int = 0) -> str:
    """A share as a percentage: 0.563 -> '56%' (``digits`` after the point)."""
    return f"{float(share) * 100:.{digits}f}%"


def times(ratio: float, digits: int = 1) -> str:
    """A ratio as a multiple: 2.04 -> '2.0 times'."""
    return f"{float(ratio):.{digits}f} times"


# ---- dates ---------------------------------------------------------------------------------------
def when(date: object) -> str:
    """A date as precise as its source: '2000' stays, '2000-04' -> 'April 2000', '2020-11-03' -> '3 November 2020'.

    Periods that are not calendar dates (FY2021, 2013Q3, 2003-2013) are returned as written.
    """
    text = str(date)
    match = ISO_DATE.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        return text
    month = MONTHS[int(match[2]) - 1]
    return f"{int(match[3])} {month} {match[1]}" if match[3] else f"{month} {match[1]}"


def span(first: int, last: int) -> str:
    """A range of years: '2005-2014', or '2014' when both ends are the same year."""
    return str(first) if int(first) == int(last) else f"{first}-{last}"


# ---- sources and citations -----------------------------------------------------------------------
def source(source_id: str, article: bool = True) -> str:
    """How the prose names a source: 'the Lowrey volume' (``article=False``: 'Lowrey volume')."""
    name = _names("sources", "source_id", "display_name").get(str(source_id), str(source_id))
    return f"the {name}" if article else name


def _names(table: str, key: str, column: str) -> dict[str, str]:
    """A lookup from the data package, read once per version of its content (the prose asks for names often)."""
    from . import data

    return _names_of(table, key, column, data.content_hash())


@lru_cache(maxsize=16)
def _names_of(table: str, key: str, column: str, _content: str) -> dict[str, str]:
    from . import data

    frame = data.load(table)
    return {str(k): str(v) for k, v in zip(frame[key], frame[column])}


def lines(numbers: Iterable[int]) -> str:
    """'line 12' or 'lines 12 and 40'."""
    shown = sorted({int(n) for n in numbers if not pd.isna(n)})
    return f"{plural('line', len(shown))} {join_words(shown)}" if shown else ""


def cite(rows: pd.DataFrame) -> str:
    """The sources and lines behind ``rows``: 'the Ma biography, lines 1267 and 1544; the knowledge base, line 58'."""
    parts = []
    for source_id, group in rows.groupby("source", sort=False, observed=True):
        where = lines(group["line"]) if "line" in group else ""
        parts.append(f"{source(source_id)}, {where}" if where else source(source_id))
    return "; ".join(parts)


def dated(rows: pd.DataFrame, field: str = "date") -> str:
    """One phrase per distinct date, with its sources: '1999 (the Ma biography, line 1267) and April 2000 (...)'."""
    return join_words(f"{when(date)} ({cite(group)})" for date, group in rows.groupby(field, sort=True, observed=True))


# ---- text ----------------------------------------------------------------------------------------
def markdown_literal(text: object) -> str:
    """Text shown literally in Markdown (and HTML): a course title or a data note cannot inject markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def escape_dollars(markdown: str) -> str:
    """Markdown with every bare ``$`` escaped outside code spans ('US$25 billion' -> 'US\\$25 billion')."""
    return CODE_OR_DOLLAR.sub(lambda m: m.group(0) if m.group(1) else "\\$", markdown)


def sentence_case(text: object) -> str:
    """The first letter upper case, the rest untouched ('the Lowrey volume' -> 'The Lowrey volume')."""
    text = str(text)
    return text[:1].upper() + text[1:]


def lower_first(text: object) -> str:
    """The first letter lower case, unless the first word is an acronym ('GMV' stays)."""
    text = str(text)
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def theme(name: str) -> str:
    """A theme of the events table as prose names it: 'cloud_ai' -> 'cloud and AI'."""
    return {"cloud_ai": "cloud and AI"}.get(str(name), str(name).replace("_", " "))


def entity_name(entity_id: str) -> str:
    """An entity's name from the register ('taobao' -> 'Taobao')."""
    return _names("entities", "entity_id", "name").get(str(entity_id), str(entity_id))


def note(context, rows: pd.DataFrame) -> str:
    """An end-note mark for the sources behind ``rows`` ('<sup>3</sup>'); the case lists the notes at the end.

    Citations stay out of the sentence: the mark links to a numbered note that names each source and line.
    The same citation keeps its number, so a cell run twice adds no note.
    """
    notes = context.get("endnotes")
    if notes is None or not len(rows):
        return ""
    text = sentence_case(cite(rows))
    first = text not in notes
    number = notes.setdefault(text, len(notes) + 1)
    anchor = f' id="casekit-ref-{number}"' if first else ""  # the note links back to its first mention
    return f'<sup><a href="#casekit-note-{number}"{anchor}>{number}</a></sup>'


FILTERS = {
    "join_words": join_words,
    "number_word": number_word,
    "plural": lambda noun, n, plural_form=None: plural(noun, n, plural_form),
    "count": count,
    "figure": figure,
    "percent": percent,
    "times": times,
    "when": when,
    "source": source,
    "lines": lines,
    "cite": cite,
    "dated": dated,
    "md": markdown_literal,
    "sentence_case": sentence_case,
    "lower_first": lower_first,
    "entity_name": entity_name,
    "theme": theme,
}
CONTEXT_FILTERS = {"note": note}  # filters that read the rendering context (the run's end notes)


def arena(name: str) -> str:
    """A market arena (the ``arenas`` of entities.csv) as prose names it: 'ecommerce' -> 'e-commerce'."""
    return {"ecommerce": "e-commerce", "cloud": "cloud computing"}.get(str(name), str(name).replace("_", " "))


FILTERS["arena"] = arena
