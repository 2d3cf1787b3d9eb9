"""Describe a normalised report: title, issuing body, place, report year, dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from lawreport.metadata.gazetteer import Region, gazetteer
from lawreport.text.chrome import clean_title, is_title_like
from lawreport.text.normalize import Normalized
from lawreport.zh.dates import find_dates, first_date

_YEAR = regex.compile(r"(?<![\d—\-~至到])((?:19|20)\d{2})\s*年(?!\s*[—\-~至到]\s*\d)")
_BOOK_TITLE = regex.compile(r"《[^《》]*》|\([^()]*\)")
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
_LEADING_NOISE = regex.compile(r"^(?:中共)?")
DATE_LINE = regex.compile(r"^\s*(?:[^,。]{2,40}\s+)?[^,。]{0,2}$")


@dataclass(frozen=True)
class DocumentMeta:
    title: str | None
    agency: str | None
    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    report_year: int | None
    publish_date: dt.date | None
    signed_date: dt.date | None
    warnings: tuple[str, ...] = ()


def describe(doc: Normalized) -> DocumentMeta:
    """Read the report's metadata from its normalised text and the lines normalisation set aside."""
    warnings: list[str] = []
    lines = doc.text.split("\n")
    title = find_title(doc, lines)
    closing_agency, signed_date = read_closing(lines)
    agency = agency_from_title(title) if title else None
    agency = agency or closing_agency or agency_from_text(lines)
    body_head = "\n".join(lines[:8])[:1500]
    zones = [
        (title or "", 6.0),
        (agency or "", 6.0),
        (closing_agency or "", 3.0),
        ("\n".join(doc.metadata_lines), 2.0),
        (body_head, 1.0),
    ]
    region = gazetteer().resolve([(text, weight) for text, weight in zones if text])
    agency = expand_agency(agency, region) if agency else None
    publish_date = find_publish_date(doc)
    report_year = year_from_text(title) if title else None
    if report_year is None:
        report_year = year_from_text(body_head)
        if report_year is None and publish_date is not None:
            report_year = publish_date.year if publish_date.month >= 10 else publish_date.year - 1
            warnings.append("report year inferred from the publish date")
    if title is None:
        warnings.append("no title found")
    if agency is None:
        warnings.append("issuing body not found")
    if report_year is None:
        warnings.append("report year not found")
    return DocumentMeta(
        title=title,
        agency=agency,
        province=region.province,
        city=region.city,
        county=region.county,
        adcode=region.adcode,
        report_year=report_year,
        publish_date=publish_date,
        signed_date=signed_date,
        warnings=tuple(warnings),
    )


def find_title(doc: Normalized, lines: list[str]) -> str | None:
    if doc.title_lines:
        return clean_title("".join(doc.title_lines))
    hint = doc.hints.get("title") or doc.hints.get("page_title")
    if hint and is_title_like(hint):
        return clean_title(hint)
    if lines and is_title_like(lines[0]):
        return clean_title(lines[0])
    return None


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


def read_closing(lines: list[str]) -> tuple[str | None, dt.date | None]:
    """The sign-off block at the end: an issuing body line and a date line."""
    tail = [line.strip() for line in lines[-4:]]
    for index in range(len(tail) - 1, -1, -1):
        line = tail[index]
        dates = list(find_dates(line))
        if not dates:
            continue
        date, start, end = dates[-1]
        rest = (line[:start] + line[end:]).strip()
        if len(rest) > 40 or "。" in rest or "," in rest:
            continue
        agency = rest if _CLOSING_AGENCY.match(rest) else None
        if agency is None and index > 0 and _CLOSING_AGENCY.match(tail[index - 1]):
            agency = tail[index - 1]
        return agency, date
    last = tail[-1] if tail else ""
    return (last if _CLOSING_AGENCY.match(last) else None), None


def find_publish_date(doc: Normalized) -> dt.date | None:
    for line in doc.metadata_lines:
        date = first_date(line)
        if date is not None:
            return date
    hinted = doc.hints.get("publish_date")
    return first_date(hinted) if hinted else None


def year_from_text(text: str) -> int | None:
    """The first year a text names, ignoring years inside 《titles》, brackets and ranges."""
    masked = _BOOK_TITLE.sub(lambda match: " " * len(match.group()), text)
    match = _YEAR.search(masked)
    return int(match.group(1)) if match else None
