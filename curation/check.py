"""Check a helper's staging CSVs: python3 curation/check.py curation/<part>

Checks columns, vocabularies, entity ids, and that every value / year stands within 3 lines of
the cited line in ../shared/seeds. Prints one line per problem; exit 1 if any.
"""
import csv, sys, re
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from casekit.provenance import seeds_dir, source_lines, window, value_stands, year_stands
sys.path.insert(0, str(Path(__file__).resolve().parent))
from vocab import THEMES, UNITS, METRICS, ENTITY_KINDS

SOURCES = {"kb": "000_0952d7842faea7af.txt", "biography": "001_bc88c7d21c4337ff.txt", "news2025": "002_938352e01d34061a.txt",
           "alibaba_way": "003_d5944d4895bf6e02.txt", "blog": "004_ec43f7f00d391bc2.txt"}
EVENT_COLS = ["event_id", "date", "entity", "theme", "title", "description", "source", "line", "disputed", "note"]
METRIC_COLS = ["entity", "metric", "period", "value", "unit", "scope", "source", "line", "disputed", "note"]
ENTITY_COLS = ["entity_id", "name", "kind", "parent", "country", "aliases", "founded", "founded_source", "founded_line", "description"]
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PERIOD = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|FY\d{4}|\d{4}Q[1-4]|\d{4}H[12]|\d{4}-\d{4}|undated)$")
folder = Path(sys.argv[1]); seeds = str(seeds_dir()); problems = []
def read(name, cols):
    p = folder / name
    if not p.exists(): return []
    rows = list(csv.DictReader(open(p, encoding="utf-8")))
    if rows and list(rows[0].keys()) != cols: problems.append(f"{name}: columns must be exactly {cols}")
    return rows
base = {r["entity_id"] for r in csv.DictReader(open(Path(__file__).parent / "entities_base.csv"))}
new = read("entities.csv", ENTITY_COLS); known = base | {r["entity_id"] for r in new}
def cite(name, i, r):
    if r["source"] not in SOURCES: problems.append(f"{name} row {i}: source {r['source']!r} not in {list(SOURCES)}"); return None
    try: return window(source_lines(SOURCES[r["source"]], seeds), int(r["line"]))
    except ValueError: problems.append(f"{name} row {i}: line {r['line']!r} not an integer")
for i, r in enumerate(new, 2):
    if r["kind"] not in ENTITY_KINDS: problems.append(f"entities.csv row {i}: kind {r['kind']!r} not in {ENTITY_KINDS}")
    if r["founded"]:
        text = cite("entities.csv", i, {"source": r["founded_source"], "line": r["founded_line"]})
        if text is not None and not year_stands(int(r["founded"]), text): problems.append(f"entities.csv row {i}: founded {r['founded']} not within 3 lines of {r['founded_source']}:{r['founded_line']}")
for i, r in enumerate(read("events.csv", EVENT_COLS), 2):
    if not DATE.match(r["date"]): problems.append(f"events.csv row {i}: date {r['date']!r} not YYYY, YYYY-MM or YYYY-MM-DD")
    if r["entity"] not in known: problems.append(f"events.csv row {i}: unknown entity {r['entity']!r} (add it to entities.csv)")
    if r["theme"] not in THEMES: problems.append(f"events.csv row {i}: theme {r['theme']!r} not in {THEMES}")
    if r["disputed"] not in ("true", "false"): problems.append(f"events.csv row {i}: disputed must be true/false")
    text = cite("events.csv", i, r)
    if text is not None and DATE.match(r["date"]) and not year_stands(int(r["date"][:4]), text):
        problems.append(f"events.csv row {i}: year {r['date'][:4]} not within 3 lines of {r['source']}:{r['line']}")
for i, r in enumerate(read("metrics.csv", METRIC_COLS), 2):
    if r["entity"] not in known: problems.append(f"metrics.csv row {i}: unknown entity {r['entity']!r}")
    if r["metric"] not in METRICS: problems.append(f"metrics.csv row {i}: metric {r['metric']!r} not in vocabulary")
    if r["unit"] not in UNITS: problems.append(f"metrics.csv row {i}: unit {r['unit']!r} not in {UNITS}")
    if not PERIOD.match(r["period"]): problems.append(f"metrics.csv row {i}: period {r['period']!r} not YYYY, YYYY-MM(-DD), FY2021, 2013Q3, 2013H1, 2010-2013 or undated")
    if r["disputed"] not in ("true", "false"): problems.append(f"metrics.csv row {i}: disputed must be true/false")
    try: value = float(r["value"])
    except ValueError: problems.append(f"metrics.csv row {i}: value {r['value']!r} not a number"); continue
    text = cite("metrics.csv", i, r)
    if text is not None and not value_stands(value, text): problems.append(f"metrics.csv row {i}: value {r['value']} not readable within 3 lines of {r['source']}:{r['line']}")
print("\n".join(problems) or "all rows check")
sys.exit(1 if problems else 0)
