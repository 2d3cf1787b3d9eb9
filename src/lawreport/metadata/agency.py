"""The issuing body of a report: from its title, its sign-off or its opening sentence."""

from __future__ import annotations

import regex

from lawreport.metadata.gazetteer import Region

_AGENCY_END = r"(?:管理局|局|委员会|委|办公室|人民政府|政府|厅|部|中心|办事处|院|署|司法所|镇|乡|街道|党组|系统)"
_AGENCY_FROM_TITLE = (
    regex.compile(r"^(?P<a>.{2,40}?)关于"),
    regex.compile(r"^(?P<a>.{2,40}?)(?:发布)?\s*(?:19|20)\d{2}\s*年"),
    regex.compile(
        r"^(?:19|20)\d{2}\s*年度?(?P<a>.{2,30}?)(?:法治政府|法治建设|政府工作|政府信息公开|工作总结|依法行政)"
    ),
)
_AGENCY_FROM_TEXT = (
    regex.compile(
        r"^(?:(?:19|20)\d{2}\s*年(?:度|以来)?|今年以来|一年来)\s*,?\s*(?:在[^,。]{2,60}?下\s*,\s*)*"
        rf"(?P<a>[^,。:;“”《》\s]{{2,30}}?{_AGENCY_END})"
        r"(?=在|坚持|以|始终|认真|深入|根据|按照|全面|紧紧|聚焦|立足|持续|围绕|牢牢|高度|紧扣|深化|扎实|,)"
    ),
    regex.compile(rf"现将(?P<a>[^,。:;“”《》\s]{{2,30}}?{_AGENCY_END})(?:\s*(?:19|20)\d{{2}}\s*年|本年度|今年)"),
)
_NOT_AGENCY = regex.compile(r"[《》“”()]|^(?:关于|按照|根据|依据|为了?|在|对|我)")
_CLOSING_AGENCY = regex.compile(rf"^[^,。:;\s]{{2,40}}{_AGENCY_END}$")


def agency_from_title(title: str) -> str | None:
    for pattern in _AGENCY_FROM_TITLE:
        match = pattern.match(title)
        if match:
            agency = match.group("a").strip(" -—:")
            if _plausible_agency(agency):
                return agency
    return None


def _plausible_agency(agency: str) -> bool:
    return len(agency) >= 2 and not agency.isdigit() and not _NOT_AGENCY.search(agency)


def agency_from_text(lines: list[str]) -> str | None:
    for line in lines[:6]:
        for pattern in _AGENCY_FROM_TEXT:
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
    return _CLOSING_AGENCY.match(line) is not None
