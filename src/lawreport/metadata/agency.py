"""The issuing body of a report: from its title, its sign-off or its opening sentence
(patterns in ``data/metadata/describe.toml``)."""

from __future__ import annotations

import functools

from lawreport.metadata.gazetteer import Region
from lawreport.patterns import PatternTable
from lawreport.zh.fragments import data_patterns


@functools.cache
def describe_patterns() -> PatternTable:
    """``data/metadata/describe.toml``: how a report names its body and its year."""
    return data_patterns(
        "metadata/describe.toml",
        required=(
            "agency_in_title",
            "agency_in_text",
            "not_agency",
            "closing_agency",
            "report_year",
            "quoted_title",
            "issuer_field",
            "speech_subtitle",
            "chengwen_field",
        ),
    )


def agency_from_title(title: str) -> str | None:
    for pattern in describe_patterns().alternatives("agency_in_title"):
        match = pattern.match(title)
        if match:
            agency = match.group("a").strip(" -—:")
            if _plausible_agency(agency):
                return agency
    return None


def _plausible_agency(agency: str) -> bool:
    return len(agency) >= 2 and not agency.isdigit() and not describe_patterns()["not_agency"].search(agency)


def agency_from_text(lines: list[str]) -> str | None:
    for line in lines[:8]:
        for pattern in describe_patterns().alternatives("agency_in_text"):
            match = pattern.search(line[:300])
            if match and _plausible_agency(match.group("a")):
                return match.group("a")
    return None


def expand_agency(agency: str, region: Region) -> str:
    """区政务服务数据管理局 in a 番禺区 report is 番禺区政务服务数据管理局."""
    for prefix, place in (("区", region.county), ("县", region.county), ("市", region.city), ("省", region.province)):
        if agency.startswith(prefix) and place and place.endswith(prefix) and not agency.startswith(place):
            return place[: -len(prefix)] + agency
    return agency


def is_closing_agency(line: str) -> bool:
    """A line that is an issuing body's name on its own, as in a sign-off."""
    return describe_patterns()["closing_agency"].match(line) is not None
