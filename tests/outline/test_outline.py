"""The outline parser and part labeller on small hand-written reports, one per heading style and trap."""

from __future__ import annotations

import pytest

from lawreport.kinds import default_kind
from lawreport.outline.labels import label_heading, label_outline
from lawreport.outline.parse import find_heading, outline_rules, parse_outline


def outline_of(text: str, *, front_lines: int = 0, year: int | None = 2023):
    return label_outline(parse_outline(text, front_lines=front_lines), year)


def shape(outline) -> list[tuple[int, str, str]]:
    return [(s.level, s.number, s.label) for s in outline.sections if s.style != "enumeration"]


def test_three_levels_of_numbering():
    text = "\n".join(
        [
            "一、主要举措和成效",
            "(一)加强领导",
            "1.健全机制。全年召开会议3次。",
            "2.压实责任。",
            "(二)规范执法",
            "二、存在的不足和原因",
            "三、下一年度主要安排",
        ]
    )
    assert shape(outline_of(text)) == [
        (1, "一、", "measures"),
        (2, "(一)", "measures"),
        (3, "1.", "measures"),
        (3, "2.", "measures"),
        (2, "(二)", "measures"),
        (1, "二、", "shortcomings"),
        (1, "三、", "plans"),
    ]


def test_report_starting_at_second_level_style():
    text = "(一)深化改革。全面推进。\n(二)规范执法。\n一、依法全面履行政府职能\n(一)简政放权。"
    assert [(s.level, s.number) for s in outline_of(text).sections] == [
        (1, "(一)"),
        (1, "(二)"),
        (1, "一、"),
        (2, "(一)"),
    ]


def test_unnumbered_part_heading_restarts_numbering_below_it():
    text = "\n".join(
        [
            "2023年,我局认真做好各项工作。",
            "一、推进政务服务建设",
            "二、落实改革",
            "2024年工作计划",
            "一、打造政务体系",
            "二、深化智慧治理",
        ]
    )
    outline = outline_of(text)
    assert shape(outline) == [
        (1, "", "preamble"),
        (1, "一、", "measures"),
        (1, "二、", "measures"),
        (1, "", "plans"),
        (2, "一、", "plans"),
        (2, "二、", "plans"),
    ]
    assert outline.warnings == ()


def test_heading_with_first_sentence_on_the_same_line():
    outline = outline_of("(一)加强组织领导,为法治建设保驾护航。我局坚持以习近平法治思想为指导。")
    assert outline.sections[0].heading == "加强组织领导,为法治建设保驾护航"


def test_missing_bracket_typo():
    outline = outline_of("一、主要举措和成效\n一)坚持党的全面领导\n二)依法履职")
    assert [(s.level, s.number) for s in outline.sections] == [(1, "一、"), (2, "一)"), (2, "二)")]


@pytest.mark.parametrize(
    ("line", "style"),
    [
        ("一、加大学习力度", "chinese_comma"),
        ("(一)加强组织领导", "chinese_paren"),
        ("㈠加强组织领导", "circled_chinese"),
        ("1.加强党的领导", "arabic_dot"),
        ("1、加强党的领导", "arabic_dot"),
        ("(1)推进依法决策", "arabic_paren"),
        ("①完善制度", "circled_arabic"),
        ("第一部分 工作情况", "part_ordinal"),
        ("2024年工作计划", "part"),
        ("附件1", "appendix"),
    ],
)
def test_heading_styles(line, style):
    found = find_heading(line)
    assert found is not None and found[0].name == style


@pytest.mark.parametrize(
    "line",
    [
        "1.5万件行政许可事项全部网办。",
        "2022年,我局认真履行职责。",
        "12345热线受理工单10万件。",
        "一是加强学习。二是强化宣传。",
        "一体化政务服务平台上线运行。",
        "(2021—2025年)实施纲要印发。",
        "2024年工作计划已经制定完成,各项任务已分解到位。",
    ],
)
def test_traps_are_not_headings(line):
    assert find_heading(line) is None


def test_inline_enumeration_becomes_children():
    outline = outline_of("一、主要举措和成效\n主要做法:一是加强学习。二是强化宣传。三是严格执法。")
    items = [s for s in outline.sections if s.style == "enumeration"]
    assert [s.number for s in items] == ["一是", "二是", "三是"]
    assert all(s.parent_id == "1" and s.level == 2 for s in items)
    assert items[0].heading == "加强学习"


def test_lone_yi_shi_is_prose_not_enumeration():
    outline = outline_of("一、主要举措和成效\n统一是前提。一是加强学习。")
    assert not any(s.style == "enumeration" for s in outline.sections)


def test_title_preamble_and_closing():
    text = "某局2023年法治政府建设年度报告\n2023年,我局认真做好各项工作。\n一、工作情况\n全年办理案件10件。\n某局\n2024年1月5日"
    outline = outline_of(text, front_lines=1)
    assert [s.label for s in outline.top_level] == ["title", "preamble", "measures", "closing"]
    closing = outline.top_level[-1]
    assert text[closing.start : closing.end] == "某局\n2024年1月5日"


def test_numbering_jump_is_warned():
    outline = outline_of("一、工作情况\n三、存在问题")
    assert any("jumps" in warning for warning in outline.warnings)


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("二、2023年度法治政府建设中存在问题的改进情况", "rectification"),
        ("三、2024年法治政府建设的不足和成因", "shortcomings"),
        ("四、法治政府建设下一步工作举措", "plans"),
        ("二、加强组织领导,履行推进法制建设第一责任人职责", "leadership"),
        ("五、其他需要报告的情况", "other"),
        ("一、2024年度法治政府建设工作总结", "measures"),
        ("六、2024年重点任务", "plans"),
        ("三、持续优化营商环境", "unknown"),
    ],
)
def test_label_heading(heading, label):
    assert label_heading(heading, 2023)[0] == label


def test_uncued_parts_before_shortcomings_are_measures():
    outline = outline_of("一、加大学习力度\n二、落实重点任务\n三、存在问题\n四、持续优化营商环境")
    assert [s.label for s in outline.top_level] == ["measures", "measures", "shortcomings", "unknown"]
    assert outline.top_level[0].confidence < 0.9


@pytest.mark.parametrize("rule", default_kind().label_rules, ids=lambda rule: rule.name)
def test_label_rule_examples(rule):
    for example in rule.examples:
        assert label_heading(example, 2023)[0] == rule.name, example


@pytest.mark.parametrize("style", outline_rules().styles, ids=lambda style: style.name)
def test_heading_style_examples(style):
    for example in style.examples:
        found = find_heading(example + ("" if style.numeral == "none" else "内容"))
        assert found is not None and found[0].name == style.name, example
    for counter in style.counter_examples:
        assert style.match(counter) is None or find_heading(counter)[0].name != style.name, counter


def test_enumeration_examples():
    rules = outline_rules()
    for example in rules.enumeration_examples:
        assert rules.enumeration.search(example), example
    for counter in rules.enumeration_counter_examples:
        assert not rules.enumeration.search(counter), counter
