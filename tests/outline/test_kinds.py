"""Report kinds end to end: kind and outline on the hand-made dev gold, and on the hand
annotation of twelve work reports (tests/fixtures/workreports_sample.gold.yaml, written
before lawreport was run on them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
import yaml

from lawreport.options import Options
from lawreport.pipeline import process_file

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus"
DEV_GOLD = yaml.safe_load((CORPUS / "dev.gold.yaml").read_text(encoding="utf-8"))
SAMPLE = yaml.safe_load((HERE.parent / "fixtures" / "workreports_sample.gold.yaml").read_text(encoding="utf-8"))
PUNCTUATION = regex.compile(r"[\p{P}\p{S}\s]+")


def squash(text: str) -> str:
    return PUNCTUATION.sub("", text)


def outline_exact(result, sections) -> bool:
    text = result.normalized.text
    actual = [(s.label, squash(text[s.start : s.end])) for s in result.outline.top_level if s.label != "title"]
    expected = [(label, squash(prefix)) for label, prefix in sections]
    return len(actual) == len(expected) and all(
        a_label == e_label and body.startswith(prefix)
        for (a_label, body), (e_label, prefix) in zip(actual, expected, strict=True)
    )


@pytest.fixture(scope="module")
def dev_results():
    return {entry["file"]: process_file(str(CORPUS / "dev" / entry["file"])) for entry in DEV_GOLD}


def test_kind_is_right_on_every_dev_file(dev_results):
    wrong = {
        e["file"]: dev_results[e["file"]].meta.kind
        for e in DEV_GOLD
        if dev_results[e["file"]].meta.kind != e["meta"]["kind"]
    }
    assert wrong == {}


def test_top_level_outline_is_exact_on_nine_in_ten_dev_files(dev_results):
    exact = sum(outline_exact(dev_results[e["file"]], e["sections"]) for e in DEV_GOLD)
    assert exact / len(DEV_GOLD) >= 0.9


def test_work_reports_of_the_dev_set_are_named_by_their_congress_year(dev_results):
    for entry in DEV_GOLD:
        if entry["meta"]["kind"] == "work_report":
            meta = dev_results[entry["file"]].meta
            assert (meta.report_year, meta.agency) == (entry["meta"]["report_year"], entry["meta"]["agency"])


@pytest.fixture(scope="module")
def sample_results():
    return {entry["file"]: process_file(str(CORPUS / "workreports" / entry["file"])) for entry in SAMPLE}


def test_work_report_sample_kind_and_year(sample_results):
    # Measured: kind 11/12 (014's title is not a work report's), report_year 10/12; then kind
    # 12/12, report_year 11/12, agency 8/12; agency 10/12 once the speaker line's body gave
    # the place (福田区人民政府 -> 深圳市福田区人民政府) and 我受国务院委托 named the State Council;
    # 12/12 with issue 14's agency and place extraction merged.
    kinds = sum(sample_results[e["file"]].meta.kind == e["meta"]["kind"] for e in SAMPLE)
    years = sum(sample_results[e["file"]].meta.report_year == e["meta"]["report_year"] for e in SAMPLE)
    agencies = sum(sample_results[e["file"]].meta.agency == e["meta"]["agency"] for e in SAMPLE)
    assert (kinds, years, agencies) >= (12, 11, 12)


def test_a_forced_kind_is_used_and_named_as_the_cue():
    entry = next(e for e in DEV_GOLD if e["meta"]["kind"] == "fazhi")
    result = process_file(str(CORPUS / "dev" / entry["file"]), Options(kind="other"))
    assert (result.meta.kind, result.meta.kind_cue) == ("other", "option")
    assert {s.label for s in result.outline.top_level} <= {"title", "preamble", "other", "closing", "appendix"}


def test_a_review_estimate_is_no_target():
    from lawreport.kinds import load_kind
    from lawreport.pipeline import process_text
    from lawreport.reading.source import SourceText

    text = "2020年政府工作报告\n一、2019年工作回顾\n预计全年地区生产总值增长6.5%。\n二、2020年工作安排\n地区生产总值增长6%左右。\n"
    source = SourceText("<t>", text, "utf-8", "txt", len(text.encode()))
    result = process_text("<t>", source)
    assert load_kind("work_report").name == result.meta.kind
    rows = [(item.value, item.is_target, item.is_estimate) for item in result.indicators if item.unit == "%"]
    assert rows[0][1:] == (False, True) and rows[-1][1:] == (True, False)


def test_a_plan_sentence_that_reports_a_result_is_no_target():
    from lawreport.pipeline import process_text
    from lawreport.reading.source import SourceText

    text = (
        "2006年政府工作报告\n一、2005年工作回顾\n全年国内生产总值增长9.9%。\n二、2006年主要任务\n"
        "国内生产总值增长8%左右。2005年与2000年相比,财政收入增长1.36倍。\n"
        "五年来,人民生活明显改善。城镇新增就业4200万人。\n"
        "在去年增长9.9%的基础上,力争全年增长9%。全市已完成投资2000亿元,今年新开工项目300个。\n"
    )
    source = SourceText("<t>", text, "utf-8", "txt", len(text.encode()))
    result = process_text("<t>", source)
    targets = {item.text: item.is_target for item in result.indicators}
    assert targets == {
        "9.9%": False,  # the review; in the plans only 去年's 9.9% is written again (the dict keeps the last)
        "8%左右": True,
        "1.36倍": False,
        "4200万人": False,
        "9%": True,
        "2000亿元": False,
        "300个": True,
    }


def _value_matches(item, gold) -> bool:
    if gold.get("value") is not None:
        return item.value is not None and abs(float(item.value) - gold["value"]) <= 1e-9 * max(1.0, abs(gold["value"]))
    return (item.value_low, item.value_high) == (gold.get("low"), gold.get("high")) or (
        item.value_low is not None
        and item.value_high is not None
        and abs(float(item.value_low) - gold["low"]) < 1e-9 * max(1.0, abs(gold["low"]))
        and abs(float(item.value_high) - gold["high"]) < 1e-9 * max(1.0, abs(gold["high"]))
    )


def test_work_report_sample_target_accuracy(sample_results):
    # A gold indicator is found when an indicator's sentence holds its hand-written context and
    # its value matches. Measured on the 367 of 387 found: target right 356 (0.970) before a
    # plan sentence that reports a result stopped being a target, 363 (0.989) after (the four
    # left are plan figures a review part quotes: 超过计划增长4%的要求, 国家下达的…年度任务).
    found = right = 0
    for entry in SAMPLE:
        indicators = sample_results[entry["file"]].indicators
        for gold in entry.get("indicators", []):
            match = next(
                (item for item in indicators if gold["context"] in item.sentence and _value_matches(item, gold)), None
            )
            if match is not None:
                found += 1
                right += match.is_target == bool(gold["target"])
    assert found >= 360 and right / found >= 0.985


def test_work_report_sample_top_level_outline(sample_results):
    # Measured: 3/12 before unnumbered headings, the two-paragraph closing, plans after
    # self-building and the 附件 heading were handled; 10/12 after; 12/12 once a news lead
    # before the salutation joined the title block (026) and a closing could open with one
    # short sentence before 各位代表 (113).
    exact = sum(outline_exact(sample_results[e["file"]], e["sections"]) for e in SAMPLE)
    assert exact == len(SAMPLE)


def _top(text: str) -> list[tuple[str, str]]:
    from lawreport.pipeline import process_text
    from lawreport.reading.source import SourceText

    result = process_text("<t>", SourceText("<t>", text, "utf-8", "txt", len(text.encode())))
    return [(s.label, result.normalized.text[s.start : s.end].split("\n")[0]) for s in result.outline.top_level]


def test_a_news_lead_before_the_salutation_joins_the_title_block():
    body = (
        "现在,我代表国务院,向大会作政府工作报告,请予审议。\n一、去年工作回顾\n全年国内生产总值增长9.9%。\n"
        "二、今年主要任务\n国内生产总值增长8%左右。\n各位代表!\n让我们团结奋斗!\n"
    )
    lead = "新华社北京2006年3月15日电\n政 府 工 作 报 告\n——2006年3月5日在第十届全国人民代表大会第四次会议上\n国务院总理 温家宝\n"
    top = _top(lead + "各位代表:\n" + body)
    assert top[0][0] == "title" and top[1] == ("preamble", "现在,我代表国务院,向大会作政府工作报告,请予审议。")
    # After a speaker line a 各位代表: line is the speech's: nothing joins the title block.
    top = _top(lead + "我代表国务院,向大会作政府工作报告。\n各位代表:\n" + body)
    assert top[0] == ("preamble", "新华社北京2006年3月15日电")


def test_the_readme_names_every_kinds_parts_for_require():
    from lawreport.kinds import load_kinds

    readme = (HERE.parents[1] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `--require` (check)"))
    for kind in load_kinds():
        assert f"{kind.name}:" in row
        section = row.split(f"{kind.name}:", 1)[1].split(";", 1)[0]
        assert all(part in section for part in kind.parts), kind.name
        assert all(part in section for part in kind.required), kind.name


def test_un_cued_parts_after_a_review_heading_set_the_years_tasks():
    text = (
        "1995年政府工作报告\n现在,我代表国务院向大会作政府工作报告,请予审议。\n"
        "一、1994年国内工作的回顾\n全年国内生产总值增长11.8%。\n"
        "二、促进国民经济持续、快速、健康发展\n今年国内生产总值增长8%至9%。\n"
        "三、加强政府自身建设\n各级政府要转变职能。\n四、关于外交工作\n我们将继续奉行独立自主的和平外交政策。\n"
        "各位代表!\n让我们团结奋斗!\n"
    )
    assert [label for label, _ in _top(text)] == [
        "title",
        "preamble",
        "review",
        "plans",
        "self_building",
        "plans",
        "closing",
    ]
    # A fazhi report keeps reading un-cued parts as its account of work done.
    fazhi = "2023年法治政府建设年度报告\n一、2023年工作总结\n完成10项。\n二、加强规范性文件管理\n审查20件。\n"
    assert [label for label, _ in _top(fazhi)][-1] == "measures"


def test_a_work_reports_speaker_line_gives_its_place_and_the_state_council_needs_none():
    from lawreport.pipeline import process_text
    from lawreport.qa.checks import check_result
    from lawreport.reading.source import SourceText

    def run(text: str):
        return process_text("<t>", SourceText("<t>", text, "utf-8", "txt", len(text.encode())))

    body = "向大会作政府工作报告,请予审议。\n一、2011年工作回顾\n全年生产总值增长10%。\n二、2012年工作安排\n生产总值增长9%。\n"
    city = run("各位代表:\n现在,我代表深圳市人民政府" + body)
    assert (city.meta.agency, city.meta.province, city.meta.city) == ("深圳市人民政府", "广东省", "深圳市")
    assert "LR204" not in {f.code for f in check_result(city)}
    for speaker in ("现在,我代表国务院,", "现在,我受国务院的委托,"):
        state = run("各位代表:\n" + speaker + body)
        assert (state.meta.agency, state.meta.province, state.meta.city) == ("国务院", None, None)
        assert "LR204" not in {f.code for f in check_result(state)}
    # A body no place resolves is still asked for one.
    nowhere = run("各位代表:\n现在,我代表某某新区管委会" + body)
    assert nowhere.meta.agency == "某某新区管委会" and "LR204" in {f.code for f in check_result(nowhere)}


def test_check_passes_the_sample_work_reports_on_kind_parts_and_place(sample_results):
    # Before kinds (main at 6dd1563) every work report failed check on fazhi's parts (LR301
    # shortcomings/plans); the gate now asks a work report for review and plans, and a place
    # of any body but the State Council.
    from lawreport.qa.checks import check_result

    codes = {name: {f.code for f in check_result(result)} for name, result in sample_results.items()}
    assert not any(found & {"LR204", "LR205", "LR301", "LR302"} for found in codes.values())


@pytest.mark.parametrize(
    ("line", "body"),
    [
        ("现在,我代表光明区一届人民政府向大会作报告,请予审议。", "光明区人民政府"),
        ("现在,我代表深圳市第七届人民政府向大会报告工作。", "深圳市人民政府"),
        ("现在,我代表市人民政府向大会作政府工作报告。", "市人民政府"),
        ("我代表国务院向第一届全国人民代表大会第五次会议报告", "国务院"),
    ],
)
def test_the_speaker_lines_body_leaves_out_the_term_number(line, body):
    from lawreport.kinds import load_kinds
    from lawreport.metadata.conventions import speaker_body

    work_report = next(kind for kind in load_kinds() if kind.name == "work_report")
    assert speaker_body(work_report, "各位代表:\n" + line) == body


def test_a_term_number_in_the_speaker_line_stays_out_of_the_agency(tmp_path):
    report = tmp_path / "guangming.txt"
    report.write_text(
        "各位代表:\n现在,我代表光明区一届人民政府向大会作报告,请予审议,并请市政协委员提出意见。\n"
        "一、2020年工作回顾\n深圳市光明区地区生产总值增长5.5%。\n二、2021年工作安排\n地区生产总值增长6%左右。\n",
        encoding="utf-8",
    )
    meta = process_file(str(report)).meta
    assert meta.kind == "work_report"
    assert meta.agency == "深圳市光明区人民政府"


def test_a_work_reports_opening_year_is_the_year_it_reviews_not_its_congress(tmp_path):
    # no title, no delivery line, no heading with a year: only the opening names a year
    report = tmp_path / "luohu.txt"
    report.write_text(
        "各位代表:\n现在,我代表区人民政府向大会作报告,请予审议。\n"
        "一、过去五年工作回顾\n五年来,全区地区生产总值由2015年的1708.4亿元增至2020年的2500亿元。\n"
        "二、今后五年的主要任务\n地区生产总值年均增长6%左右。\n",
        encoding="utf-8",
    )
    meta = process_file(str(report)).meta
    assert meta.kind == "work_report"
    assert meta.report_year is None  # 2015 was the year reviewed; the congress's year is not stated
