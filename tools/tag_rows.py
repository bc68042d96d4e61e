"""Add tags to rows of data/events.csv or data/metrics.csv by id, keeping every other byte of the file.

usage: python tools/tag_rows.py events TAG ID [ID ...]
The tag must already be defined in data/tags.csv. Rows keep their order and quoting.
"""
import csv
import io
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def tag(table: str, name: str, ids: list[str]) -> None:
    known = {row["tag"] for row in csv.DictReader(open(DATA / "tags.csv", encoding="utf-8"))}
    if name not in known:
        sys.exit(f"tag {name!r} is not defined in data/tags.csv")
    path = DATA / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    key, column = header[0], header.index("tags")
    wanted, out = set(ids), [lines[0]]
    for line in lines[1:]:
        row = next(csv.reader([line]))
        if row[0] in wanted:
            tags = row[column].split()
            if name not in tags:
                row[column] = " ".join(tags + [name])
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerow(row)
                line = buffer.getvalue()
            wanted.discard(row[0])
        out.append(line)
    if wanted:
        sys.exit(f"no {key} {', '.join(sorted(wanted))} in {table}.csv")
    path.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    tag(sys.argv[1], sys.argv[2], sys.argv[3:])
