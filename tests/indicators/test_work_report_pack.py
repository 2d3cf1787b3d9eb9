"""The work_report panel pack (data/rules/work_report): every example and counter-example, on
top of the core grammar, as the work_report kind runs it."""

from __future__ import annotations

from lawreport.indicators.find import extract_indicators
from lawreport.indicators.rulecheck import check_examples
from lawreport.indicators.rulepack import CORE_PACK, build_ruleset, builtin_pack_path, load_pack


def work_report_rules():
    return build_ruleset([load_pack(builtin_pack_path(name), builtin=True) for name in (CORE_PACK, "work_report")])


def test_every_work_report_example_passes():
    count, failures = check_examples(work_report_rules())
    assert failures == []
    assert count >= 200


def test_growth_clause_takes_the_level_subject_and_its_panel_id():
    # The usual way a review states growth: the amount, then ",比上年增长X%" with no noun of its own.
    found = extract_indicators("全市地区生产总值达到3000亿元,比上年增长8.5%。", None, work_report_rules())
    assert [(item.indicator_id, item.change, item.basis) for item in found] == [
        ("gdp", "", ""),
        ("gdp_growth", "up", "比上年"),
    ]
