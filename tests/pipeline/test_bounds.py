"""Bounded work per document (issue 17): the sentence window, the number cap, the time budget."""

from __future__ import annotations

import time

import pytest

from lawreport.budget import Budget, TimeBudgetExceeded
from lawreport.errors import UsageError
from lawreport.indicators import find as indicators_module
from lawreport.indicators.find import SENTENCE_MAX, SENTENCE_WINDOW, extract_indicators, find_indicators
from lawreport.options import Options, check_seconds
from lawreport.outline.labels import label_outline
from lawreport.pipeline import process_text
from lawreport.records import Outline, Section, SourceText


def test_a_long_sentence_is_stored_as_a_window_with_its_offsets():
    text = "某局报告\n" + "办理案件12件," * 3000 + "最后受理投诉7件。"
    found = extract_indicators(text)
    assert len(found) == 3001
    for item in found:
        assert item.sentence == text[item.sentence_start : item.sentence_end]
        assert item.sentence_start <= item.start and item.end <= item.sentence_end
        assert len(item.sentence) <= 2 * SENTENCE_WINDOW + len(item.text)
    # the whole 24,000-character "sentence" is held by no row
    assert sum(len(item.sentence) for item in found) < 3001 * (2 * SENTENCE_WINDOW + 10)


def test_a_sentence_of_ordinary_length_is_stored_whole():
    sentence = "全年共办理行政复议案件12件," + "依法" * 200 + "纠正3件。"
    assert len(sentence) < SENTENCE_MAX
    text = "一、主要工作\n" + sentence
    for item in extract_indicators(text):
        assert item.sentence == sentence
        assert text[item.sentence_start : item.sentence_end] == sentence


def test_more_numbers_than_the_cap_are_read_up_to_it_with_a_warning(monkeypatch):
    monkeypatch.setattr(indicators_module, "MAX_NUMBERS", 50)
    text = "办理案件12件。" * 80
    found = find_indicators(text)
    assert len(found.indicators) == 50 and found.stopped_at == text.index("12件", 50 * 8)
    source = SourceText("a.txt", text, "utf-8", "txt", len(text.encode()))
    result = process_text("a.txt", source)
    assert result.ok and len(result.indicators) == 50
    assert any("numbers: only those before offset" in warning for warning in result.warnings)


def test_the_time_budget_fails_the_document_naming_the_stage():
    text = "某局2022年法治政府建设报告\n一、工作\n" + "办理案件12件。" * 200
    source = SourceText("slow.txt", text, "utf-8", "txt", len(text.encode()))
    spent = Budget(0.000001)
    time.sleep(0.01)
    result = process_text("slow.txt", source, budget=spent)
    assert result.error is not None
    assert result.error.error_type == TimeBudgetExceeded.error_type
    assert result.error.stage == "normalize" and "--time-budget" in result.error.hint


def test_every_regex_call_takes_its_timeout_from_the_budget():
    budget = Budget(10)
    assert 9 < budget.timeout(None, "x") <= 10
    assert budget.timeout(0.5, "x") == 0.5
    with pytest.raises(TimeBudgetExceeded, match=r"indicators"):
        Budget(-1).timeout(5, "indicators")


@pytest.mark.parametrize(("given", "kept"), [(60, 60.0), (0, None), (None, None), (0.5, 0.5)])
def test_time_budget_option(given, kept):
    assert Options(time_budget=given).time_budget == kept


@pytest.mark.parametrize("bad", [-1, float("nan"), "10"])
def test_a_bad_time_budget_is_a_usage_error(bad):
    with pytest.raises(UsageError, match="--time-budget"):
        check_seconds("--time-budget", bad, zero_means_unlimited=True)


def test_labelling_looks_at_each_part_once():
    """Labelling used to collect the labels of every later part for every part (quadratic)."""
    parts = tuple(
        Section(str(index), None, 1, "chinese", "一、", f"开展工作{index}", index * 10, index * 10 + 10)
        for index in range(1, 3001)
    )
    parts += (Section("3001", None, 1, "chinese", "二、", "存在的问题", 30010, 30020),)
    labelled = label_outline(Outline(parts))
    assert {section.label for section in labelled.sections[:-1]} == {"measures"}
    assert labelled.sections[-1].label == "shortcomings"


def test_section_lookup_agrees_with_the_slow_scan():
    parts = [Section(str(i), None, 1, "chinese", "一、", "x", i * 10, i * 10 + 10) for i in range(200)]
    children = [Section(f"{i}.1", str(i), 2, "paren", "(一)", "y", i * 10 + 2, i * 10 + 6) for i in range(0, 200, 3)]
    outline = Outline(tuple(sorted(parts + children, key=lambda s: (s.start, s.level))))
    find = outline.section_finder()
    for offset in range(-1, 2010):
        assert find(offset) == outline.section_at(offset)


def test_warnings_per_document_are_bounded():
    """8,000 top-level parts used to give 8,000 numbering warnings in one cell (megabytes)."""
    text = "某局2022年法治政府建设报告\n" + "".join(f"三、工作{index}\n办理案件12件。\n" for index in range(300))
    result = process_text("w.txt", SourceText("w.txt", text, "utf-8", "txt", len(text.encode())))
    assert result.ok
    assert len(result.warnings) <= 21 and result.warnings[-1].startswith("and ")
    assert all(len(warning) <= 300 for warning in result.warnings)
