"""The hand-written table of tricky phrases (tests/fixtures/phrases.tsv), one test per row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import FIXTURES
from lawreport.indicators.find import extract_indicators
from lawreport.text.normalize import normalize

TABLE = FIXTURES / "phrases.tsv"


def load_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        group, text, expected = line.split("\t")
        rows.append((group, text, expected))
    return rows


ROWS = load_rows()


def expected_items(expected: str) -> list[tuple]:
    if expected == "-":
        return []
    items = []
    for part in expected.split(" ; "):
        value, unit, qualifier = part.split("|")
        if "~" in value:
            low, high = value.split("~")
            items.append((None, Decimal(low), Decimal(high), unit, qualifier))
        else:
            items.append((Decimal(value), None, None, unit, qualifier))
    return items


def actual_items(text: str) -> list[tuple]:
    return [(i.value, i.value_low, i.value_high, i.unit, i.qualifier) for i in extract_indicators(text)]


def test_table_is_big_enough_and_grouped():
    groups = {group for group, _, _ in ROWS}
    assert len(ROWS) >= 150
    assert len(groups) >= 15


@pytest.mark.parametrize(("group", "text", "expected"), ROWS, ids=[f"{g}:{t[:14]}" for g, t, _ in ROWS])
def test_phrase(group, text, expected):
    assert actual_items(normalize(text).text) == expected_items(expected)
    if group == "traditional":
        # The grammar reads traditional forms too, before any conversion.
        assert actual_items(text) == expected_items(expected)
