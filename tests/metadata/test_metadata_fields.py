"""Metadata on hand-written pages: issuing body, places, dates, cues (issue 14).

Every expected value here was written by hand from the text, before running the code."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import GOLD_ENTRIES, seed_path
from lawreport.metadata.cues import FIELDS, cue_confidence
from lawreport.metadata.describe import describe
from lawreport.metadata.places import resolve_region
from lawreport.pipeline import process_file
from lawreport.tables.rows import meta_cue_columns
from lawreport.text.normalize import normalize


def meta_of(text: str):
    return describe(normalize(text))


def test_speech_subtitle_gives_signed_date_and_year():
    meta = meta_of(
        "政府工作报告\n——2026年1月26日在广东省第十四届人民代表大会第五次会议上\n广东省省长 某某\n各位代表:\n"
        "现在,我代表省人民政府,向大会报告工作,请予审议。\n一、2025年工作回顾\n全省经济稳中有进。\n"
    )
    assert meta.signed_date == dt.date(2026, 1, 26)
    assert meta.report_year == 2026
    assert (meta.province, meta.agency) == ("广东省", "广东省人民政府")
    assert dict(meta.cues)["signed_date"] == "subtitle"


def test_chengwen_field_is_the_signed_date_not_the_publish_date():
    meta = meta_of(
        "深圳市司法局2023年法治政府建设年度报告\n成文日期:2024-01-20 发布日期:2024-02-01\n2023年,我局坚持依法行政。\n"
    )
    assert (meta.signed_date, meta.publish_date) == (dt.date(2024, 1, 20), dt.date(2024, 2, 1))
    assert dict(meta.cues)["signed_date"] == "chengwen_field"


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        # a bare place in the title is its government
        ("2020年静海区法治政府建设情况报告\n2020年,静海区坚持依法行政。\n", "天津市静海区人民政府"),
        # a party organ in front of the body
        ("中共双牌县教育局党组2024年度法治政府建设年度报告\n2024年,局党组坚持依法治教。\n", "双牌县教育局"),
        # a system name: the body of its level
        ("2022年,全省司法行政系统坚持以习近平法治思想为指导。广东省各级司法行政机关…\n", "广东省司法厅"),
        # a level word without its place is prefixed with the place the text names
        ("2022年,市政务服务数据管理局坚持依法行政。广州市12345热线…广州数据交易所…\n", "广州市政务服务数据管理局"),
        # a short form of the body's name is written out
        ("云南省卫生健康委2019年法治政府建设工作报告\n2019年,我委坚持依法行政。\n", "云南省卫生健康委员会"),
        # a body with no place a reader could file: nothing
        ("2024年,教育局坚持依法治教。全县教育系统…\n", None),
        # a city's own report: 我市, and a county-level city of it named once
        ("2017年,我市认真贯彻党的十九大精神,将平度市25个政府部门的审批职责划转。\n", "青岛市人民政府"),
    ],
)
def test_issuing_body_as_a_reader_files_it(text, agency):
    assert meta_of(text).agency == agency


def test_place_below_the_report_level_gives_its_parents_only():
    meta = meta_of("2017年,我市认真贯彻党的十九大精神,将平度市25个政府部门的审批职责划转。\n")
    assert (meta.province, meta.city, meta.county) == ("山东省", "青岛市", None)
    assert dict(meta.cues)["place"] == "parent_of_named"


def test_unique_town_fills_county_city_province():
    meta = meta_of("贤庠镇人民政府关于2022年度法治政府建设情况的报告\n现将我镇2022年度法治政府建设情况报告如下。\n")
    assert (meta.province, meta.city, meta.county) == ("浙江省", "宁波市", "象山县")
    assert meta.agency == "贤庠镇人民政府"


def test_town_names_inside_words_do_not_count_in_the_body():
    # 滇西城镇群 holds the town name 西城镇; the report is a province's.
    region = resolve_region([("全省推进滇西城镇群建设,我省城镇化率提高。", 1.0)], level="province")
    assert region.county is None


def test_municipality_has_province_equal_to_city():
    meta = meta_of("重庆市生态环境局2023年度法治政府建设情况报告\n2023年,市生态环境局坚持依法行政。\n")
    assert (meta.province, meta.city) == ("重庆市", "重庆市")


def test_short_city_name_named_once_needs_its_province():
    assert resolve_region([("在盐城考察时强调", 1.0)]).city is None
    region = resolve_region([("江苏省委部署,在盐城考察时强调", 1.0)])
    assert (region.province, region.city) == ("江苏省", "盐城市")


@pytest.fixture(scope="module")
def seed_results():
    return [process_file(str(seed_path(entry))) for entry in GOLD_ENTRIES]


def test_every_cue_the_describer_emits_has_a_confidence(seed_results):
    table = cue_confidence()
    texts = [
        "2017年,我市认真贯彻党的十九大精神,将平度市25个政府部门的审批职责划转。\n",
        "政府工作报告\n——2026年1月26日在广东省第十四届人民代表大会第五次会议上\n各位代表:\n我代表省人民政府报告。\n",
    ]
    metas = [result.meta for result in seed_results] + [meta_of(text) for text in texts]
    seen = 0
    for meta in metas:
        for field, cue in meta.cues:
            assert field in FIELDS
            if cue:
                assert cue in table[field], (field, cue)
                seen += 1
    assert seen >= 20


def test_doubtful_fields_are_the_low_confidence_ones():
    meta = meta_of("2023年,我局坚持依法行政,在绍兴考察。绍兴市生态环境…\n")
    columns = meta_cue_columns(meta)
    assert columns["report_year_cue"] == "opening"
    doubtful = (columns["meta_doubtful"] or "").split(",")
    for field in FIELDS:
        cue = columns[f"{field}_cue"]
        assert (field in doubtful) == (cue is not None and cue_confidence()[field][cue] == "low")


def test_a_department_that_never_names_itself_is_filed_by_its_topics_as_a_weak_cue():
    meta = meta_of(
        "2023年,我局坚持以习近平新时代中国特色社会主义思想为指导。全市县控及以上断面水质达标,"
        "空气质量持续改善,污染防治攻坚战成效明显,生态环境执法力度加大。在绍兴市召开会议,市局党组部署。\n"
    )
    assert meta.agency == "绍兴市生态环境局"
    assert dict(meta.cues)["agency"] == "topic"
    assert "agency" in meta_cue_columns(meta)["meta_doubtful"]


def test_document_number_gives_the_province_only_when_no_place_is_named():
    meta = meta_of("现将我局2019年度法治政府建设情况报告如下。根据(苏依法办〔2019〕5号)要求,我省…\n")
    assert (meta.province, meta.city) == ("江苏省", None)
    assert dict(meta.cues)["place"] == "document_number"


def test_system_name_in_the_opening_is_filed_as_its_body():
    meta = meta_of("2021年,按照省、市法治建设工作部署,市局党委带头,全市公安机关积极推进法治公安建设。东莞市…东莞市…\n")
    assert meta.agency == "东莞市公安局"


def test_own_name_with_the_county_short_name_written_twice_is_a_weak_cue():
    text = "一、总体情况\n我局打造安居综合行政执法微信公众号和安居综合行政执法微博,发布信息120条。\n"
    meta = meta_of(text)
    assert (meta.agency, meta.county, meta.city) == ("安居区综合行政执法局", "安居区", "遂宁市")
    assert dict(meta.cues)["agency"] == "short_place_body"
    once = meta_of("一、总体情况\n我局开通安居综合行政执法微博。\n")
    assert once.agency is None


def test_a_district_report_that_names_its_city_often_keeps_its_district():
    text = (
        "各位代表:\n现在,我代表区人民政府向大会作工作报告,请予审议。\n"
        "过去一年,龙岗区坚决贯彻深圳市委部署,深圳东部中心建设提速,深圳国际大学园落地,"
        "深圳地铁延伸,服务深圳全市大局,龙岗区地区生产总值增长6%。\n"
    )
    meta = meta_of(text)
    assert (meta.city, meta.county) == ("深圳市", "龙岗区")


def test_a_city_report_does_not_take_a_district_its_body_names():
    text = (
        "各位代表:\n现在,我代表深圳市人民政府向大会作政府工作报告。\n深圳湾超级总部基地在南山区动工,深圳经济增长6%。\n"
    )
    meta = meta_of(text)
    assert (meta.city, meta.county) == ("深圳市", None)
