"""Merge the helpers' staging folders into the data package's tables (run from anywhere).

Events and metrics get stable ids in date order; entities are the base list plus each part's
additions; metric_definitions is the vocabulary with labels.
"""
import csv, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
sys.path.insert(0, str(HERE))
from vocab import METRICS

def rows(path):
    return list(csv.DictReader(open(path, encoding="utf-8"))) if path.exists() else []

def write(name, fields, data):
    with open(DATA / name, "w", encoding="utf-8", newline="") as handle:
        w = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in data:
            w.writerow({k: r.get(k, "") for k in fields})

parts = sorted(p for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("_"))
desc = {r["entity_id"]: r for r in rows(HERE / "descriptions.csv")}
entities = {}
for r in rows(HERE / "entities_base.csv"):
    r.update(arenas=desc[r["entity_id"]]["arenas"], description=desc[r["entity_id"]]["description"])
    entities[r["entity_id"]] = r
events, metrics = [], []
for part in parts:
    for r in rows(part / "entities.csv"):
        if r["entity_id"] not in entities:
            entities[r["entity_id"]] = r
        elif r.get("founded") and not entities[r["entity_id"]].get("founded"):
            entities[r["entity_id"]].update({k: r[k] for k in ("founded", "founded_source", "founded_line")})
    events += rows(part / "events.csv")
    metrics += rows(part / "metrics.csv")

RELIABILITY = {r["source_id"]: r["reliability"] for r in rows(DATA / "sources.csv")}
RANK = {"high": 0, "medium": 1, "low": 2}
FOUNDING = re.compile(r"\b(found|launch|goes live|go live|opens|established|set up|created|starts|debut|birth)", re.I)
# A base entity's founding year: the earliest undisputed founding event, preferring better sources.
for e in sorted(events, key=lambda e: (RANK[RELIABILITY[e["source"]]], e["date"])):
    ent = entities.get(e["entity"])
    if ent and not ent.get("founded") and e["disputed"] == "false" and e["theme"] == "history" and FOUNDING.search(e["title"]):
        ent.update(founded=e["date"][:4], founded_source=e["source"], founded_line=e["line"])

events.sort(key=lambda e: (e["date"], e["source"], int(e["line"])))
for i, e in enumerate(events, 1):
    e["event_id"] = f"E{i:04d}"
metrics.sort(key=lambda m: (m["entity"], m["metric"], m["period"], m["source"], int(m["line"])))
for i, m in enumerate(metrics, 1):
    m["metric_id"] = f"M{i:04d}"
    m["value"] = format(float(m["value"]), ".15g")

write("entities.csv", ["entity_id", "name", "kind", "parent", "founded", "founded_source", "founded_line", "country", "aliases", "arenas", "description"], entities.values())
write("events.csv", ["event_id", "date", "entity", "theme", "title", "description", "source", "line", "disputed", "note"], events)
write("metrics.csv", ["metric_id", "entity", "metric", "period", "value", "unit", "scope", "source", "line", "disputed", "note"], metrics)
used = {m["metric"] for m in metrics}
write("metric_definitions.csv", ["metric", "label", "description"],
      [{"metric": k, "label": k.replace("_", " ").replace("gmv", "GMV").replace("rd ", "R&D ").capitalize() if k != "gmv" else "GMV", "description": v} for k, v in METRICS.items()])
print(f"{len(entities)} entities, {len(events)} events, {len(metrics)} metrics from {[p.name for p in parts]}")
