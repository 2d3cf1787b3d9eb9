"""Report metadata of the five seeds against the hand-made gold file."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import GOLD_ENTRIES, GOLD_IDS, seed_path
from lawreport.metadata.places import resolve_region
from lawreport.pipeline import process_file

PLACE_PREFIX_FIELDS = ("province", "city")


def strip_places(agency: str | None, meta: dict) -> str | None:
    """Gold convention: a leading province or city name on the agency is optional."""
    if agency is None:
        return None
    changed = True
    while changed:
        changed = False
        for field in PLACE_PREFIX_FIELDS:
            place = meta.get(field)
            if place and agency.startswith(place) and len(agency) > len(place):
                agency, changed = agency[len(place) :], True
    return agency


@pytest.fixture(scope="module")
def results():
    return {entry["file"]: process_file(str(seed_path(entry))) for entry in GOLD_ENTRIES}


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
@pytest.mark.parametrize("field", ["title", "province", "city", "county", "report_year", "script"])
def test_plain_fields(results, entry, field):
    result = results[entry["file"]]
    actual = result.normalized.script if field == "script" else getattr(result.meta, field)
    assert actual == entry["meta"][field]


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
@pytest.mark.parametrize("field", ["publish_date", "signed_date"])
def test_dates(results, entry, field):
    expected = entry["meta"][field]
    if isinstance(expected, str):
        expected = dt.date.fromisoformat(expected)
    assert getattr(results[entry["file"]].meta, field) == expected


@pytest.mark.parametrize("entry", GOLD_ENTRIES, ids=GOLD_IDS)
def test_agency_without_leading_place(results, entry):
    meta = entry["meta"]
    actual = results[entry["file"]].meta.agency
    assert strip_places(actual, meta) == strip_places(meta["agency"], meta)


def test_district_resolves_to_city_and_province():
    region = resolve_region([("海珠区政务服务数据管理局", 6.0)])
    assert (region.province, region.city, region.county) == ("广东省", "广州市", "海珠区")


def test_ambiguous_district_settled_by_context():
    region = resolve_region([("南山区司法局", 6.0), ("深圳市法治政府建设实施方案", 1.0)])
    assert (region.city, region.county) == ("深圳市", "南山区")


def test_ambiguous_district_without_context_is_not_guessed():
    region = resolve_region([("南山区司法局", 6.0)])
    assert region.county == "南山区"
    assert region.city is None and region.province is None


def test_two_character_county_only_at_start_of_zone():
    assert resolve_region([("各区和县要提高县域治理能力", 1.0)]).county is None
    assert resolve_region([("和县人民政府关于2022年度法治政府建设情况的报告", 6.0)]).county == "和县"


def test_municipal_district_has_the_municipality_as_city():
    region = resolve_region([("北京市石景山区人民政府", 6.0)])
    assert (region.province, region.city, region.county) == ("北京市", "北京市", "石景山区")
