"""Repeated text (issue 12, item 4): a text that holds its report twice gets its second copy
as one top-level ``repeat`` section, a warning, and no indicator rows from the copy."""

from __future__ import annotations

from pathlib import Path

import yaml

from lawreport.outline.repeat import find_repeats
from lawreport.pipeline import process_file, process_text
from lawreport.reading.source import SourceText

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus"
SAMPLE = yaml.safe_load((HERE.parent / "fixtures" / "workreports_sample.gold.yaml").read_text(encoding="utf-8"))

REPORT = (
    "2024年政府工作报告\n"
    "各位代表:\n"
    "现在,我代表某市人民政府向大会作政府工作报告,请予审议,并请各位政协委员提出意见。\n"
    "一、2023年工作回顾\n"
    "全市地区生产总值达到1200亿元,比上年增长5.5%,一般公共预算收入完成96亿元。\n"
    "新增城镇就业2.1万人,城镇登记失业率控制在3%以内,居民人均可支配收入增长6%。\n"
    "二、2024年工作安排\n"
    "今年经济社会发展的主要预期目标是:地区生产总值增长5%左右,新建学校12所。\n"
    "各位代表!\n"
    "让我们紧密团结,埋头苦干,为全面建设社会主义现代化城市而努力奋斗!\n"
)


def run(text: str):
    return process_text("<t>", SourceText("<t>", text, "utf-8", "txt", len(text.encode())))


def test_a_report_written_twice_keeps_one_copy_of_its_numbers():
    once, twice = run(REPORT), run(REPORT + "\n" + REPORT)
    repeat = [s for s in twice.outline.top_level if s.label == "repeat"]
    assert len(repeat) == 1 and twice.normalized.text[repeat[0].start :].startswith("2024年政府工作报告\n各位代表")
    assert [s.label for s in twice.outline.top_level if s.label != "repeat"] == [
        s.label for s in once.outline.top_level
    ]
    assert [(i.value, i.unit, i.is_target) for i in twice.indicators] == [
        (i.value, i.unit, i.is_target) for i in once.indicators
    ]
    assert any(w.startswith("repeated text:") for w in twice.warnings)
    assert not any(w.startswith("repeated text:") for w in once.warnings)
    # The copy's headings do not count: numbering does not "restart at 一、".
    assert [w for w in twice.warnings if not w.startswith("repeated text:")] == list(once.warnings)
    # The sections inside the copy are not listed again: the repeat section has no children.
    assert not [s for s in twice.outline.sections if s.parent_id == repeat[0].section_id]


def test_a_repeat_in_the_middle_leaves_the_text_after_it_to_the_outline():
    middle = "\n".join(REPORT.split("\n")[4:6])  # two review paragraphs again
    third = "我们还将新增公办学位5000个,推动三个片区的城市更新项目全面开工建设,年内完成投资80亿元。"
    text = REPORT.replace("二、2024年工作安排\n", f"{middle}\n{third}\n二、2024年工作安排\n")
    assert find_repeats(text) == []  # two repeated paragraphs are a quotation, not a copy
    text = REPORT.replace(
        "二、2024年工作安排\n", f"{middle}\n{REPORT.split(chr(10))[2]}\n{third}\n二、2024年工作安排\n"
    )
    ((start, end),) = find_repeats(text)
    result = run(text)
    assert text[start:end].startswith("全市地区生产总值") and text[end:].lstrip().startswith(third)
    assert any(i.value == 80e8 for i in result.indicators)  # the text after the repeat is read
    assert sum(i.value == 1200e8 for i in result.indicators) == 1


def test_short_lines_that_recur_are_no_repeat():
    text = REPORT + "各位代表!\n一、2023年工作回顾\n二、2024年工作安排\n各位代表:\n"
    assert find_repeats(text) == []


def test_workreport_014_holds_its_speech_twice_and_counts_it_once():
    entry = next(e for e in SAMPLE if e["file"] == "014.txt")
    result = process_file(str(CORPUS / "workreports" / "014.txt"))
    text = result.normalized.text
    top = [s for s in result.outline.top_level if s.label != "title"]
    labels = [s.label for s in top]
    assert labels == [label for label, _ in entry["sections"]]
    repeat = top[-1]
    assert text[repeat.start : repeat.end].startswith("关于1990年国民经济和社会发展计划执行情况")
    # Every indicator is in the first copy, and there are as many as the first copy alone gives.
    first_copy = run(text[: repeat.start])
    assert all(i.start < repeat.start for i in result.indicators)
    assert len(result.indicators) == len(first_copy.indicators) > 20
    assert not [w for w in result.warnings if "numbering" in w]  # before: "numbering restarts at 一、"
