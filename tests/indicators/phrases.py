"""The issue-13 phrase table (tests/fixtures/phrases13.tsv, written by hand from reading the
reports): each phrase with the rows an analyst expects, checked field by field."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from conftest import FIXTURES
from lawreport.indicators.find import extract_indicators

TABLE = FIXTURES / "phrases13.tsv"
PENDING = FIXTURES / "phrases13.pending.tsv"
FIELDS = ("rows", "change", "basis", "pairs", "subject")


def phrases() -> dict[str, list[dict[str, str]]]:
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in csv.DictReader(lines, delimiter="\t"):
        out[row["case"]].append(row)
    return dict(out)


def _value(text: str) -> tuple[Decimal | None, Decimal | None, Decimal | None] | None:
    try:
        if "-" in text.strip("-"):
            low, high = text.split("-", 1)
            return None, Decimal(low), Decimal(high)
        return Decimal(text), None, None
    except InvalidOperation:
        return None


def _same_value(expected: str, item) -> bool:
    parsed = _value(expected)
    if parsed is None:
        return False
    value, low, high = parsed
    if value is not None:
        return item.value is not None and abs(item.value - value) <= Decimal("0.01")
    return item.value_low == low and item.value_high == high


def field_results(rows: list[dict[str, str]]) -> dict[str, bool]:
    """Whether the phrase comes out right, per field (rows: the numbers themselves)."""
    found = extract_indicators(rows[0]["phrase"])
    if rows[0]["row"] == "0":
        return dict.fromkeys(FIELDS, not found)
    ok_rows = len(found) == len(rows) and all(
        _same_value(row["value"], item) and item.unit == row["unit"] and item.qualifier == row["qualifier"]
        for row, item in zip(rows, found, strict=False)
    )
    if not ok_rows:
        return dict.fromkeys(FIELDS, False)
    pairs_expected = defaultdict(list)
    pairs_found = defaultdict(list)
    for number, (row, item) in enumerate(zip(rows, found, strict=True)):
        if row["pair"]:
            pairs_expected[row["pair"]].append(number)
        if item.pair_no is not None:
            pairs_found[item.pair_no].append(number)
    return {
        "rows": True,
        "change": all(
            item.change == ("" if row["change"] in ("none", "") else row["change"])
            for row, item in zip(rows, found, strict=True)
        ),
        "basis": all(item.basis == row["basis"] for row, item in zip(rows, found, strict=True)),
        "pairs": sorted(pairs_expected.values()) == sorted(pairs_found.values())
        and all(item.role == row["role"] for row, item in zip(rows, found, strict=True) if row["pair"]),
        "subject": all(item.subject == row["subject"] for row, item in zip(rows, found, strict=True)),
    }


def pending() -> set[tuple[str, str]]:
    """(case, field) pairs not supported yet: marked, not deleted."""
    out = set()
    for line in PENDING.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            case, field = line.split("\t")[:2]
            out.add((case, field))
    return out
