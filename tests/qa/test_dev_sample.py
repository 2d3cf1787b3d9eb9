"""Precision and recall on ten hand-annotated dev excerpts not used to write the rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import DEV, FIXTURES
from lawreport.pipeline import process_file
from lawreport.qa.evaluate import evaluate, load_gold

SAMPLE = FIXTURES / "dev_sample.gold.yaml"


@pytest.fixture(scope="module")
def measured():
    gold = load_gold(SAMPLE)
    scores = evaluate(SAMPLE, DEV).scores
    correct = extracted = 0
    for entry in gold:
        result = process_file(str(DEV / entry["file"]))
        extracted += len(result.indicators)
        correct += sum(
            1
            for item in result.indicators
            if any(
                g["context"] in item.sentence and item.value == Decimal(str(g["value"])) and item.unit == g["unit"]
                for g in entry["indicators"]
            )
        )
    matched = sum(score.indicators.matched for score in scores)
    total = sum(score.indicators.gold for score in scores)
    violations = sum(score.indicators.violations for score in scores)
    return correct / extracted, matched / total, violations


def test_precision(measured):
    assert measured[0] >= 0.95


def test_recall_with_qualifier(measured):
    assert measured[1] >= 0.95


def test_no_forbidden_values(measured):
    assert measured[2] == 0
