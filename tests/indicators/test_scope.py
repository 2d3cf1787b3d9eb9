"""Whose figure a number is (indicators/scope.py): every example of data/indicators/scope.toml,
hand-written clauses, and the wide table fed only by the reporting body's rows (issue 13d)."""

from __future__ import annotations

import pandas as pd
import pytest

from lawreport import extract
from lawreport.datafiles import DataFileError
from lawreport.indicators import scope
from lawreport.indicators.scope import clause_before, outside_body, scope_lexicon

EXAMPLES = scope_lexicon().examples


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["clause"] for example in EXAMPLES])
def test_scope_examples(example: dict) -> None:
    found = outside_body(
        example.get("subject", ""), example["clause"], example.get("own", ""), change=example.get("change", False)
    )
    assert found == example["outside"]


@pytest.mark.parametrize(
    ("sentence", "number", "clause"),
    [
        ("新能源汽车、光伏产品、家电出口分别增长48.8%、15.4%。", "48.8", "新能源汽车、光伏产品、家电出口分别增长"),
        ("金融业增加值突破2600亿元、全社会研发投入突破100亿元。", "100", "全社会研发投入突破"),
        ("工业投资连续40个月保持两位数增长、占固定资产投资比重达27.6%。", "27.6", "占固定资产投资比重达"),
        ("工业投资保持两位数增长、占固定资产投资比重达27.6%。", "27.6", "工业投资保持两位数增长、占固定资产投资比重达"),
        ("全市地区生产总值达3.68万亿元,增长5.8%。", "5.8", "增长"),
        ("增长5.8%。", "5.8", "增长"),
        ("对东盟、中东出口分别增长9.9%、10.5%。", "10.5", "对东盟、中东出口分别增长"),
        ("盐田综保区实现进出口额1121亿元、增长12%。", "12%", "盐田综保区实现进出口额1121亿元、增长"),
    ],
)
def test_clause_before_the_number(sentence: str, number: str, clause: str) -> None:
    assert clause_before(sentence, sentence.index(number)) == clause


def test_a_word_of_the_bodys_own_name_is_no_part() -> None:
    assert outside_body("开发区地区生产总值", "开发区地区生产总值增长") == "开发区"
    assert outside_body("开发区地区生产总值", "开发区地区生产总值增长", "某某经济技术开发区管委会") == ""


def test_a_share_leaves_only_change_columns() -> None:
    assert outside_body("比重", "占全市比重提高到", change=True) == "share"
    assert outside_body("比重", "占全市比重提高到", change=False) == ""


def test_a_bad_scope_file_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(scope, "load_toml", lambda *parts: {"scope": {"areas": ["园区"], "share": "("}, "examples": []})
    scope_lexicon.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"scope.toml \[scope\]"):
            scope_lexicon()
    finally:
        scope_lexicon.cache_clear()


REPORT = """2025年某市人民政府工作报告
各位代表:
一、2024年工作回顾
深汕特别合作区地区生产总值增长74.2%。全市地区生产总值达到3000亿元,比上年增长5.8%。
新能源汽车、家电出口分别增长48.8%、20.5%。工业投资连续40个月保持两位数增长、占固定资产投资比重达27.6%。
全市出口增长9.1%,固定资产投资增长3.3%。
二、2025年工作安排
前海实际利用外资200亿元以上。合作区规上工业总产值突破1000亿元。
"""


def test_the_wide_cell_is_the_reporting_bodys_figure(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    extract([folder], tmp_path / "out", formats=("csv",), jobs=1)
    indicators = pd.read_csv(tmp_path / "out" / "indicators.csv", encoding="utf-8-sig")
    # the parts' rows stay in the long table, with their indicator ids
    by_value = dict(zip(indicators["value"], indicators["indicator_id"], strict=False))
    assert by_value[74.2] == "gdp_growth" and by_value[48.8] == "exports_growth"
    row = pd.read_csv(tmp_path / "out" / "indicators_wide.csv", encoding="utf-8-sig").iloc[0]
    assert row["gdp_growth"] == 5.8
    assert row["exports_growth"] == 9.1
    assert row["fixed_asset_investment_growth"] == 3.3
    assert pd.isna(row["fdi_target"]) and pd.isna(row["gross_industrial_output_target"])
