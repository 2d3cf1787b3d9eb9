"""Normalisation: width folding, script conversion, chrome stripping, offset map."""

from __future__ import annotations

import pytest

from conftest import DEV, RAW, dev_files
from lawreport.text.chrome import chrome_rules, matches
from lawreport.text.normalize import fold_width, normalize
from lawreport.zh.script import to_simplified

HAIZHU = RAW / "guangzhou_haizhu_zsj_2022.txt"
NANSHAN = RAW / "shenzhen_nanshan_zsj_2024.txt"
CHROME_WORDS = (
    "分享到",
    "浏览量",
    "ICP备",
    "公网安备",
    "网站标识码",
    "您当前所在的位置",
    "首页 >",
    "【字体",
    "Baidu",
    "触碰右侧展开",
)


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("（一）加强领导", "(一)加强领导"),
        ("完成率１１３．７％", "完成率113.7%"),
        ("ＩＰＶ６改造", "IPV6改造"),
        ("一\u3000二\u00a0三", "一 二 三"),
        ("“放管服”、改革", "“放管服”、改革"),
    ],
)
def test_fold_width(text_in, text_out):
    assert fold_width(text_in) == text_out


def test_traditional_is_converted_and_flagged():
    doc = normalize("韶關市武江區政務服務數據管理局2020年\n法治政府建設年度報告\n2020年,我局認真做好各項工作。")
    assert doc.script == "traditional"
    assert "韶关市武江区政务服务数据管理局2020年" in doc.text


def test_pinyin_glosses_are_removed():
    doc = normalize("2022年,應急管理部堅持以習近平新時代中國特色社會主義思想為指導(dǎo),推進法治政府建設(shè)。")
    assert "(" not in doc.text and "建设。" in doc.text
    assert any("pinyin" in warning for warning in doc.warnings)


def test_acronyms_in_brackets_are_not_pinyin():
    doc = normalize("推进互联网协议第六版(ipv)改造和数据共享(API)接口建设,全年完成改造任务。")
    assert "(ipv)" in doc.text and "(API)" in doc.text


@pytest.mark.parametrize("path", [HAIZHU, NANSHAN], ids=["haizhu", "nanshan"])
def test_seed_chrome_is_stripped(path):
    doc = normalize(path.read_text(encoding="utf-8"))
    for word in CHROME_WORDS:
        assert word not in doc.text
    assert doc.text.splitlines()[0].endswith("报告")


def test_haizhu_keeps_closing_and_publication_line():
    doc = normalize(HAIZHU.read_text(encoding="utf-8"))
    assert doc.text.endswith("海珠区政务服务数据管理局\n2022年12月5日")
    assert doc.metadata_lines == ("发布日期:2022-12-05 14:35:53 来源:海珠区政务服务数据管理局",)


@pytest.mark.parametrize(
    ("name", "gone", "kept"),
    [
        ("023_tianjin_jinghai_2020.txt", ["今天是", "您所在的位置"], "2020年静海区法治政府建设情况报告"),
        ("025_shijiazhuang_2016.txt", ["首页→", "法制查询"], "石家庄市人民政府关于2016年度法治政府建设情况的报告"),
        ("050_xizang_gzbg_2026_full.txt", ["【字号", "\n全屏\n"], "2026年西藏自治区政府工作报告"),
        ("067_shandong_prov_2017_trad_scrambled.txt", ["扫一扫加入微信交流群"], "(一)深化行政审批制度改革"),
        ("079_fujian_prov_2021.txt", ["当前位置", "| | |"], "福建省2021年度法治政府建设情况"),
        ("089_shenyang_2022.txt", ["[字体", "首页 ->"], "沈阳市人民政府关于2022年法治政府建设情况的报告"),
        (
            "001_hubei_prov_2023_mishuzj.txt",
            ["mishuzj", "秘书之家"],
            "湖北省人民政府关于2023年度法治政府建设情况的报告\n",
        ),
    ],
)
def test_dev_chrome_is_stripped(name, gone, kept):
    doc = normalize((DEV / name).read_text(encoding="utf-8"))
    for word in gone:
        assert word not in doc.text
    assert kept in doc.text


def test_run_on_report_is_split_before_headings():
    doc = normalize((DEV / "001_hubei_prov_2023_mishuzj.txt").read_text(encoding="utf-8"))
    lines = doc.text.split("\n")
    assert lines[0] == "湖北省人民政府关于2023年度法治政府建设情况的报告"
    assert any(line.startswith("一、坚持党的领导") for line in lines)


@pytest.mark.parametrize("path", [*sorted(RAW.glob("*.txt")), *dev_files()], ids=lambda p: p.name[:24])
def test_every_character_maps_back_to_its_source(path):
    source = path.read_text(encoding="utf-8")
    doc = normalize(source)
    for index, char in enumerate(doc.text):
        origin = doc.offsets.to_source(index)
        assert 0 <= origin < len(source)
        if char != "\n":
            assert char in (fold_width(source[origin]), to_simplified(fold_width(source[origin])))


def test_span_maps_to_source_span():
    source = "  发布日期:2022-12-05\n\n  一、加强学习。共召开支委会４２次。\n"
    doc = normalize(source)
    start = doc.text.index("42")
    src_start, src_end = doc.to_source(start, start + 2)
    assert source[src_start:src_end] == "４２"


@pytest.mark.parametrize("rule", chrome_rules().all, ids=lambda rule: f"{rule.kind}:{rule.name}")
def test_chrome_rule_examples(rule):
    for example in rule.examples:
        if rule.kind == "inline":
            assert rule.pattern.search(example), example
        else:
            assert matches(rule, example), example
    for counter in rule.counter_examples:
        assert not matches(rule, counter), counter


# --- Invisible characters and digit groups (issue 17) -----------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("办理案件1\u202e2\u202c件", "办理案件12件"),  # RLO ... PDF
        ("办理案件12\u200f件", "办理案件12件"),  # RLM
        ("办理案件1\u20662\u2069件", "办理案件12件"),  # LRI ... PDI
        ("发放2\u00ad8万元", "发放28万元"),  # soft hyphen
        ("共5\ufe0f件", "共5件"),  # variation selector
        ("共1\U000e00412件", "共12件"),  # a tag character (outside the BMP)
        ("共1\u20602件\u3164", "共12件"),  # word joiner, Hangul filler
        ("投资1 000万元", "投资1000万元"),
        ("共12 345 678人", "共12345678人"),
        ("共1\u2009000人", "共1000人"),  # thin space
        ("共1\u00a0000人", "共1000人"),  # no-break space
        ("12 345.5吨", "12345.5吨"),
    ],
)
def test_invisible_characters_and_digit_group_spaces_are_folded(raw, clean):
    doc = normalize(raw)
    assert doc.text == clean
    # The offset map still points every kept character at itself in the source.
    for index, char in enumerate(doc.text):
        assert fold_width(raw[doc.offsets.to_source(index)]) == char


@pytest.mark.parametrize("text", ["2022 2023年", "1 0000", "1 000 1000", "编号1,234 567", "3.141 592", "第3 12个"])
def test_spaces_that_do_not_group_digits_stay(text):
    assert normalize(text).text == text


def test_a_bidi_override_is_reported():
    doc = normalize("办理案件1\u202e23\u202c件")
    assert doc.text == "办理案件123件"
    assert any("bidi override" in warning for warning in doc.warnings)
    assert normalize("办理案件12\u200b件").warnings == ()


@pytest.mark.parametrize("length", [100, 5_000])  # below and above the table's threshold
def test_invisible_characters_are_found_alike_in_short_and_long_texts(length):
    from lawreport.text.normalize import _invisible_positions

    body = list("一" * length)
    for position, char in ((0, "\ufeff"), (7, "\u200b"), (50, "\x01"), (99, "\ufe0f")):
        body[position] = char
    text = "".join(body)
    assert _invisible_positions(text) == [0, 7, 50, 99]
    astral = text + "\U000e0101" + "\u200d"  # beyond the BMP: the regex scans it
    assert _invisible_positions(astral) == [0, 7, 50, 99, length, length + 1]
    line = "全年办理案件1\u200b000件" + "。" * length
    assert normalize(line).text.startswith("全年办理案件1000件")


def test_a_line_longer_than_every_chrome_rule_allows_is_never_chrome():
    from lawreport.text.chrome import is_chrome_line

    rules = chrome_rules()
    longest = max(rule.max_length for rule in rules.line)
    assert rules.longest["line"] == longest
    line = "【打印本页】【关闭窗口】"
    assert is_chrome_line(line, rules) and any(matches(rule, line) for rule in rules.line)
    assert not is_chrome_line(line + "字" * longest, rules)
