"""其中 breakdowns (part_of): the hand-written links of tests/fixtures/parts13.tsv."""

from __future__ import annotations

import csv

import pytest

from conftest import FIXTURES
from lawreport.indicators.find import extract_indicators

LINES = [
    line for line in (FIXTURES / "parts13.tsv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")
]
CASES = list(csv.DictReader(LINES, delimiter="\t"))


@pytest.mark.parametrize("case", CASES, ids=[case["phrase"][:16] for case in CASES])
def test_part_of_links(case: dict[str, str]) -> None:
    found = extract_indicators(case["phrase"])
    links = {(item.text, found[item.part_of - 1].text) for item in found if item.part_of is not None}
    expected = set() if case["links"] == "-" else {tuple(link.split(">")) for link in case["links"].split(" ; ")}
    assert links == expected
