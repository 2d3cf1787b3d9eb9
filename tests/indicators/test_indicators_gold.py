"""Indicators of the five seeds against the gold file: full recall, no forbidden values."""

from __future__ import annotations

import pytest

from conftest import GOLD_ENTRIES, GOLD_IDS, seed_path
from lawreport.pipeline import process_file
from lawreport.qa.evaluate import score_document


@pytest.fixture(scope="module")
def scores():
    return {entry["file"]: score_document(entry, process_file(str(seed_path(entry)))) for entry in GOLD_ENTRIES}


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_every_gold_indicator_is_found_with_value_unit_qualifier_and_target(scores, entry):
    score = scores[entry["file"]].indicators
    assert score.misses == []
    assert score.matched == score.gold > 0


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_no_not_indicator_is_extracted(scores, entry):
    assert scores[entry["file"]].indicators.violation_details == []


def test_indicator_text_is_the_span_of_the_normalised_text():
    result = process_file(str(seed_path(GOLD_ENTRIES[2])))
    assert result.indicators
    for item in result.indicators:
        assert result.normalized.text[item.start : item.end] == item.text
        assert item.text in item.sentence
