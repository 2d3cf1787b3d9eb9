"""Meaning of numbers (indicators/meaning.py): every example of data/indicators/meaning.toml, and
hand-written phrase cases from the issue-13 phrase table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from phrases import FIELDS, field_results, pending, phrases

from lawreport.indicators.find import extract_indicators
from lawreport.indicators.meaning import meaning_cues

EXAMPLES = meaning_cues().examples


def _check(text: str, rows: list[dict]) -> None:
    found = extract_indicators(text)
    assert [item.value for item in found] == [Decimal(row["value"]) for row in rows], [
        (item.text, item.subject) for item in found
    ]
    pairs: dict[int, int] = {}
    for item, row in zip(found, rows, strict=True):
        assert item.change == row.get("change", item.change), (text, item.text)
        assert item.basis == row.get("basis", ""), (text, item.text)
        assert item.role == row.get("role", ""), (text, item.text)
        if "subject" in row:
            assert item.subject == row["subject"], (text, item.text)
        assert item.respectively == row.get("respectively", False), (text, item.text)
        assert item.part_of == row.get("part_of"), (text, item.text)
        if "pair" in row:
            assert pairs.setdefault(row["pair"], item.pair_no) == item.pair_no is not None
        else:
            assert item.pair_no is None


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["text"] for example in EXAMPLES])
def test_meaning_examples(example: dict) -> None:
    _check(example["text"], example["rows"])


PHRASES = phrases()
PENDING_CASES = pending()


@pytest.mark.parametrize("case", sorted(PHRASES))
def test_phrase_table(case: str) -> None:
    results = field_results(PHRASES[case])
    wrong = [name for name in FIELDS if not results[name] and (case, name) not in PENDING_CASES]
    assert not wrong, (case, PHRASES[case][0]["phrase"], wrong)


def test_pending_cases_name_real_phrases() -> None:
    assert PENDING_CASES and all(case in PHRASES and name in FIELDS for case, name in PENDING_CASES)
