"""Check curation/topics/lowrey.md against data/: every row id exists, and every id quoted with a line cites it.

Run `python3 curation/lowrey/check_brief.py`; it prints one line per problem and exits 1 if there is any.
A reference is a group of ids followed by its line: "(M0622, l. 617)", "(M0458, M0461, all l. 2016)",
"M1006-M1009, ll. 2939-2942" (a range of ids within a range of lines); groups are separated by ";".
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BRIEF = ROOT / "curation" / "topics" / "lowrey.md"
ID = re.compile(r"\b([ME])(\d{4})(?:-[ME](\d{4}))?\b")
LINES = re.compile(r"\bll?\. (\d+)(?:-(\d+))?((?:, \d+)*)")


def rows() -> dict[str, int]:
    lines = {}
    for table, key in (("metrics", "metric_id"), ("events", "event_id")):
        with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
            lines.update({r[key]: int(r["line"]) for r in csv.DictReader(handle)})
    return lines


def problems(text: str, known: dict[str, int]) -> list[str]:
    found = []
    flat = " ".join(text.split())
    for group in re.split(r"[;()|]", flat):
        ids = []
        for kind, first, last in ID.findall(group):
            ids += [f"{kind}{n:04d}" for n in range(int(first), int(last or first) + 1)]
        if not ids:
            continue
        cited = LINES.search(group)
        allowed = None
        if cited:
            lo, hi, more = int(cited.group(1)), int(cited.group(2) or cited.group(1)), cited.group(3)
            allowed = set(range(lo, hi + 1)) | {int(n) for n in re.findall(r"\d+", more)}
        for row_id in ids:
            if row_id not in known:
                found.append(f"{row_id}: no such row ({group.strip()[:60]})")
            elif allowed is not None and known[row_id] not in allowed:
                found.append(f"{row_id}: cites line {known[row_id]}, the brief says {cited.group(0)} ({group.strip()[:60]})")
    return found


if __name__ == "__main__":
    issues = problems(BRIEF.read_text(encoding="utf-8"), rows())
    print("\n".join(issues) or "every row id in the brief exists and cites the line the brief gives")
    sys.exit(1 if issues else 0)
