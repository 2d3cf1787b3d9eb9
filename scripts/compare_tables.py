"""Compare the CSV tables of two lawreport output folders and print a reviewable diff.

    python scripts/compare_tables.py OUT_BEFORE OUT_AFTER [--columns-only] [--limit N]

Rows are grouped by document (its ``path``, found through the documents table of each side,
so a changed ``doc_id`` does not hide the rows) and aligned with difflib within a document.
Exit 0 when every table and every normalised text is byte-identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import filecmp
import sys
from collections import defaultdict
from pathlib import Path

csv.field_size_limit(1 << 30)


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def doc_paths(folder: Path) -> dict[str, str]:
    _, rows = read_table(folder / "documents.csv")
    return {row["doc_id"]: row["path"] for row in rows if row.get("doc_id")}


def group(rows: list[dict[str, str]], ids: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        key = row.get("path") or ids.get(row.get("doc_id", ""), row.get("doc_id", ""))
        grouped[key].append(row)
    return grouped


def compare_table(name: str, before: Path, after: Path, limit: int) -> int:
    old_columns, old_rows = read_table(before / f"{name}.csv")
    new_columns, new_rows = read_table(after / f"{name}.csv")
    changes = 0
    if old_columns != new_columns:
        added = [c for c in new_columns if c not in old_columns]
        removed = [c for c in old_columns if c not in new_columns]
        print(f"## {name}: columns changed: +{added} -{removed}")
        changes += 1
    shared = [c for c in new_columns if c in old_columns and c != "doc_id"]
    old_groups, new_groups = group(old_rows, doc_paths(before)), group(new_rows, doc_paths(after))
    shown = 0
    counts = {"changed": 0, "added": 0, "removed": 0}
    for key in sorted(old_groups.keys() | new_groups.keys()):
        old = [tuple(row.get(c, "") for c in shared) for row in old_groups.get(key, [])]
        new = [tuple(row.get(c, "") for c in shared) for row in new_groups.get(key, [])]
        if old == new:
            continue
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and i2 - i1 == j2 - j1:
                counts["changed"] += i2 - i1
                for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                    if shown < limit:
                        diffs = [f"{c}: {x!r} -> {y!r}" for c, x, y in zip(shared, a, b, strict=True) if x != y]
                        print(f"{name} ~ {key}: " + "; ".join(diffs))
                        shown += 1
                continue
            counts["removed"] += i2 - i1
            counts["added"] += j2 - j1
            for row in old[i1:i2]:
                if shown < limit:
                    print(f"{name} - {key}: {dict(zip(shared, row, strict=True))}")
                    shown += 1
            for row in new[j1:j2]:
                if shown < limit:
                    print(f"{name} + {key}: {dict(zip(shared, row, strict=True))}")
                    shown += 1
    total = sum(counts.values())
    if total:
        print(f"## {name}: {counts['changed']} changed, {counts['added']} added, {counts['removed']} removed rows")
    return changes + total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--limit", type=int, default=200, help="print at most this many row differences per table")
    args = parser.parse_args()
    tables = sorted({p.stem for folder in (args.before, args.after) for p in folder.glob("*.csv")})
    differences = 0
    for name in tables:
        same = (args.before / f"{name}.csv").exists() and (args.after / f"{name}.csv").exists()
        if same and filecmp.cmp(args.before / f"{name}.csv", args.after / f"{name}.csv", shallow=False):
            continue
        differences += compare_table(name, args.before, args.after, args.limit) or 1
    old_texts = {p.name for p in (args.before / "normalized").glob("*.txt")}
    new_texts = {p.name for p in (args.after / "normalized").glob("*.txt")}
    if old_texts != new_texts:
        print(f"## normalized: {len(new_texts - old_texts)} new, {len(old_texts - new_texts)} gone")
        differences += 1
    for name in sorted(old_texts & new_texts):
        if not filecmp.cmp(args.before / "normalized" / name, args.after / "normalized" / name, shallow=False):
            print(f"## normalized/{name} differs")
            differences += 1
    print("identical" if not differences else f"{differences} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
