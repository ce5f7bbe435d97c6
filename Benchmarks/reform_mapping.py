#!/usr/bin/env python3
"""A national reform for the synthetic tree of gen.py (issue 17's benchmark).

Reads an areas.csv made by gen.py (province > district > commune-level unit > hamlet) and writes,
like the official conversion of 1 July 2025:
  mapping.csv   old_code,new_code,merge_type: within each province, the commune-level units in
                code order are merged three to one; the new unit keeps the first one's code
                (as 3,316 of the 3,321 real new communes did), under another name;
  tree.csv      the new two-level tree: the provinces, then the new units directly under them.

    python3 Benchmarks/reform_mapping.py bench-out/national-1m/areas.csv bench-out/reform
"""
import csv
import os
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
rows = list(csv.DictReader(open(src, encoding="utf-8")))
parent = {r["code"]: r["parent_code"] for r in rows}
kind = {r["code"]: r["kind"] for r in rows}
provinces = [r for r in rows if r["kind"] == "province"]
communes = {}
for r in rows:
    if r["kind"] in ("commune", "ward", "town", "special_zone"):
        p = r["parent_code"]
        while p and kind.get(p) != "province":
            p = parent.get(p)
        communes.setdefault(p, []).append(r)

with open(os.path.join(out, "mapping.csv"), "w", newline="", encoding="utf-8") as m, \
     open(os.path.join(out, "tree.csv"), "w", newline="", encoding="utf-8") as t:
    mw, tw = csv.writer(m), csv.writer(t)
    mw.writerow(["old_code", "new_code", "merge_type"])
    tw.writerow(["code", "name", "kind", "parent_code"])
    for p in provinces:
        tw.writerow([p["code"], p["name"], "province", ""])
        units = sorted(communes.get(p["code"], []), key=lambda r: r["code"])
        for i in range(0, len(units), 3):
            group = units[i:i + 3]
            head = group[0]
            word = "Phường" if head["kind"] == "ward" else "Xã"
            tw.writerow([head["code"], f"{word} {head['name'].split(' ', 1)[-1]} Mới",
                         "ward" if head["kind"] == "ward" else "commune", p["code"]])
            for g in group:
                mw.writerow([g["code"], head["code"], "full"])
