"""Score an output folder against a held-out hand annotation in the extended format
(tests/fixtures/heldout/README.md): value recall, precision inside the annotated passages, and
per-field accuracy over the gold indicators whose value was found.

Works from the written tables only (documents.csv, indicators.csv, normalized/), the way an analyst
would check them, so it does not depend on the pipeline's records.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

csv.field_size_limit(1 << 30)
# Punctuation and space are ignored when a context is located: annotators copy text by hand.
_PUNCT = re.compile(r"[\s,.;:!?\"'()\[\]“”‘’、，。；：！？（）《》〈〉—…·\-]")
FIELDS = ("unit", "qualifier", "target", "change", "subject", "basis")


def _squash(text: str) -> tuple[str, list[int]]:
    chars, index = [], []
    for i, ch in enumerate(text):
        if not _PUNCT.match(ch):
            chars.append(ch)
            index.append(i)
    return "".join(chars), index


def _fold(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)


def _key(text: str) -> str:
    return _squash(_fold(text))[0]


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _truthy(value: str | None) -> bool:
    return str(value).lower() in ("true", "1", "yes")


@dataclass
class HeldoutScore:
    gold: int = 0
    found: int = 0
    full: int = 0  # value, unit, qualifier and target all right
    in_scope: int = 0
    in_scope_matched: int = 0
    violations: int = 0
    missing_contexts: list[str] = field(default_factory=list)
    field_ok: Counter = field(default_factory=Counter)
    field_n: Counter = field(default_factory=Counter)
    pairs: int = 0
    pairs_linked: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold

    @property
    def full_recall(self) -> float:
        return self.full / self.gold

    @property
    def precision(self) -> float:
        return self.in_scope_matched / self.in_scope if self.in_scope else 1.0

    def accuracy(self, name: str) -> float:
        return self.field_ok[name] / self.field_n[name] if self.field_n[name] else 1.0

    def summary(self) -> str:
        parts = [f"recall {self.recall:.3f}", f"full {self.full_recall:.3f}", f"precision {self.precision:.3f}"]
        parts += [f"{name} {self.accuracy(name):.3f}" for name in FIELDS if self.field_n[name]]
        parts.append(f"pairs {self.pairs_linked}/{self.pairs}")
        parts.append(f"violations {self.violations}")
        return ", ".join(parts)


def _passage_spans(text: str, passages: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    keys = [_key(p) for p in passages]
    for line in text.split("\n"):
        if any(_squash(line)[0].startswith(k) for k in keys):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def score(annotation: Path, out: Path) -> HeldoutScore:
    gold = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    docs = {Path(d["path"]).name: d for d in _read(out / "documents.csv")}
    rows_by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read(out / "indicators.csv"):
        rows_by_doc[row["doc_id"]].append(row)
    result = HeldoutScore()
    for entry in gold:
        golds = entry.get("indicators") or []
        result.gold += len(golds)
        doc = docs.get(entry["file"])
        if doc is None or not doc.get("doc_id"):
            result.missing_contexts += [f"{entry['file']}: no document"] * len(golds)
            continue
        text = (out / "normalized" / f"{doc['doc_id']}.txt").read_text(encoding="utf-8")
        flat, index = _squash(text)
        rows = rows_by_doc.get(doc["doc_id"], [])
        if entry.get("passages"):
            spans = _passage_spans(text, entry["passages"])
            in_scope = [i for i, r in enumerate(rows) if any(a <= int(r["start"]) < b for a, b in spans)]
        else:
            in_scope = list(range(len(rows)))
        used: set[int] = set()
        for g in golds:
            context = _key(str(g["context"]))
            at = flat.find(context)
            if at < 0:
                result.missing_contexts.append(f"{entry['file']}: {g['context']}")
                continue
            lo, hi = index[at], index[at + len(context) - 1] + 1
            hit = _find_row(rows, used, lo, hi, g)
            if hit is None:
                continue
            used.add(hit)
            _score_fields(result, rows[hit], g)
        result.in_scope += len(in_scope)
        result.in_scope_matched += sum(1 for i in in_scope if i in used)
        for context, value in entry.get("not_indicators") or []:
            key = _key(str(context))
            if any(
                key in _squash(r.get("sentence") or "")[0] and _same(_number(r["value"]), float(value)) for r in rows
            ):
                result.violations += 1
    return result


def _find_row(rows: list[dict[str, str]], used: set[int], lo: int, hi: int, g: dict) -> int | None:
    for i, r in enumerate(rows):
        if i in used or int(r["end"]) <= lo or int(r["start"]) >= hi:
            continue
        if g.get("value") is not None and _same(_number(r["value"]), float(g["value"])):
            return i
        if (
            g.get("value") is None
            and _same(_number(r.get("value_low")), g.get("low"))
            and _same(_number(r.get("value_high")), g.get("high"))
        ):
            return i
    return None


def _score_fields(result: HeldoutScore, r: dict[str, str], g: dict) -> None:
    result.found += 1
    checks = {
        "unit": (r.get("unit") or "") == (g.get("unit") or ""),
        "qualifier": (r.get("qualifier") or "exact") == (g.get("qualifier") or "exact"),
        "target": _truthy(r.get("is_target")) == bool(g.get("target", False)),
        "change": (r.get("change") or "none") == (g.get("change") or "none"),
    }
    if g.get("subject") is not None:
        accepted = {_key(s) for s in [*(g.get("subject_ok") or []), g["subject"]] if s}
        checks["subject"] = _key(r.get("subject") or "") in accepted
    if g.get("basis"):
        got = r.get("basis") or ""
        checks["basis"] = bool(got) and (got in g["basis"] or g["basis"] in got)
    for name, ok in checks.items():
        result.field_n[name] += 1
        result.field_ok[name] += ok
    if checks["unit"] and checks["qualifier"] and checks["target"]:
        result.full += 1
    if g.get("role"):
        result.pairs += 1
        result.pairs_linked += (r.get("role") or "") == g["role"] and bool(r.get("pair_no") or r.get("pair"))
