"""Hand-written pages of shapes dev lacks (tests/fixtures/fresh_meta): expected metadata written
before the code ran on them (issue 14's fresh sample; see the folder's README)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from lawreport.pipeline import process_file

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "fresh_meta"
EXPECTED = yaml.safe_load((FOLDER / "expected.yaml").read_text(encoding="utf-8"))
FIELDS = ("title", "agency", "province", "city", "county", "report_year", "publish_date", "signed_date")


@pytest.fixture(scope="module")
def metas():
    return {name: process_file(str(FOLDER / name)).meta for name in EXPECTED}


def _without_places(agency, expected):
    """A leading province or city is optional on an agency (the gold files' convention)."""
    if not agency:
        return agency
    for place in (expected.get("province"), expected.get("city")):
        if place and agency.startswith(place) and len(agency) > len(place):
            agency = agency[len(place) :]
    return agency


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("field", FIELDS)
def test_fresh_page_field(metas, name, field):
    expected = EXPECTED[name]
    want, got = expected[field], getattr(metas[name], field)
    if isinstance(want, dt.date) or field.endswith("_date"):
        want = dt.date.fromisoformat(str(want)) if want else None
    if field == "agency":
        want, got = _without_places(want, expected), _without_places(got, expected)
    assert got == want
