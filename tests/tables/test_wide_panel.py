"""indicators_wide has the columns of every kind's panel: a work report's GDP and its growth land
in `gdp` / `gdp_growth`, its targets in `*_target` (issue 13.4)."""

from __future__ import annotations

import pandas as pd
import pytest

from lawreport import extract

REPORT = """2024年某市人民政府工作报告
各位代表:
一、2023年工作回顾
全市地区生产总值达到3000亿元,比上年增长8.5%。一般公共预算收入210亿元,增长6.2%。
二、2024年工作安排
今年经济社会发展的主要预期目标是:地区生产总值增长6%左右,一般公共预算收入增长5%。
"""


def test_work_report_panel_fills_achieved_and_target_columns(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    extract([folder], tmp_path / "out", formats=("csv",), jobs=1)
    wide = pd.read_csv(tmp_path / "out" / "indicators_wide.csv", encoding="utf-8-sig")
    row = wide.iloc[0]
    assert row["gdp"] == 3000e8 and row["gdp_growth"] == 8.5
    assert row["budget_revenue"] == 210e8 and row["budget_revenue_growth"] == 6.2
    assert row["gdp_growth_target"] == 6 and row["budget_revenue_growth_target"] == 5
    indicators = pd.read_csv(tmp_path / "out" / "indicators.csv", encoding="utf-8-sig")
    assert set(indicators["kind"]) == {"work_report"} and set(indicators["report_year"]) == {2024}


def test_an_average_over_years_does_not_fill_the_years_cell(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = REPORT.replace(
        "全市地区生产总值达到3000亿元,比上年增长8.5%。",
        "过去五年,全市地区生产总值年均增长4.7%。2023年全市地区生产总值达到3000亿元,比上年增长8.5%。",
    )
    (folder / "report.txt").write_text(text, encoding="utf-8")
    extract([folder], tmp_path / "out", formats=("csv",), jobs=1)
    indicators = pd.read_csv(tmp_path / "out" / "indicators.csv", encoding="utf-8-sig")
    assert (indicators["value"] == 4.7).any()  # the average is a row of the long table
    wide = pd.read_csv(tmp_path / "out" / "indicators_wide.csv", encoding="utf-8-sig")
    assert wide.iloc[0]["gdp_growth"] == 8.5


def test_a_cell_holds_one_unit_and_other_units_stay_in_the_long_table(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = REPORT.replace(
        "一般公共预算收入210亿元,增长6.2%。", "外贸进出口总额1130.8亿美元。一般公共预算收入210亿元,增长6.2%。"
    )
    (folder / "report.txt").write_text(text, encoding="utf-8")
    extract([folder], tmp_path / "out", formats=("csv",), jobs=1)
    indicators = pd.read_csv(tmp_path / "out" / "indicators.csv", encoding="utf-8-sig")
    dollars = indicators[indicators["unit"] == "美元"]
    assert list(dollars["indicator_id"]) == ["foreign_trade"] and list(dollars["value"]) == [1130.8e8]
    wide = pd.read_csv(tmp_path / "out" / "indicators_wide.csv", encoding="utf-8-sig")
    assert pd.isna(wide.iloc[0]["foreign_trade"])  # the column is in 元 (wide_unit)
    assert wide.iloc[0]["budget_revenue"] == 210e8


def test_a_wide_unit_must_be_one_of_the_indicators_units(tmp_path):
    from lawreport.errors import DataFileError
    from lawreport.indicators.rulepack import load_ruleset

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.toml").write_text('[pack]\nname = "mine"\nversion = "1"\ndescription = "test"\n', encoding="utf-8")
    (pack / "indicators.toml").write_text(
        '[[indicator]]\nid = "exports_usd"\nname = "出口"\ncontext = "出口"\nunits = ["美元"]\nwide_unit = "元"\n'
        'examples = [{ text = "出口额10亿美元", value = 1000000000, unit = "美元" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="wide_unit"):
        load_ruleset((str(pack),))
