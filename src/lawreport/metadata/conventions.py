"""A report kind's metadata conventions, applied after the general extraction of
:mod:`lawreport.metadata.describe`: what ``report_year`` means for the kind, and who its
agency is (a 政府工作报告's agency is the 人民政府 of its level, as its speaker line says).
The conventions are data in the kind's ``kind.toml`` (see :mod:`lawreport.kinds`)."""

from __future__ import annotations

import dataclasses

from lawreport.kinds import Kind
from lawreport.metadata.places import resolve_region
from lawreport.records import DocumentMeta
from lawreport.zh.dates import year_pattern

HEADING_MAX = 60  # a line longer than this is a paragraph, not a heading naming a year
SPEAKER_WINDOW = 3000  # characters of the body where the speaker line (我代表…) is looked for
PLACE_WINDOW = 1500  # characters of the body read (weakly) for the place of the speaker's body
# A speaker line naming only the level (省人民政府): completed with the place of that level.
LEVEL_WORDS = (("自治区", "province"), ("省", "province"), ("市", "city"), ("区", "county"), ("县", "county"))


def apply_conventions(meta: DocumentMeta, kind: Kind, kind_cue: str, text: str) -> DocumentMeta:
    """``meta`` with the kind, its cue, and the kind's report year and agency conventions."""
    lines = text.split("\n")
    body = "\n".join(lines[meta.front_lines :])
    report_year = meta.report_year
    if kind.year_meaning == "congress":
        report_year = congress_year(meta, kind, lines)
    named = speaker_body(kind, body)  # the speaker line is read once, for the place and the agency
    meta = speaker_place(meta, kind, named, body)
    agency = speaker_agency(meta, kind, named) or meta.agency
    cues = dict(meta.cues)  # a field the kind's convention changed is the convention's (issue 14 cues)
    if agency != meta.agency:
        cues["agency"] = "kind_convention"
    if report_year != meta.report_year:
        cues["report_year"] = "kind_convention" if report_year is not None else ""
    return dataclasses.replace(
        meta,
        kind=kind.name,
        kind_cue=kind_cue,
        report_year=report_year,
        agency=agency,
        cues=tuple(cues.items()),
    )


def speaker_place(meta: DocumentMeta, kind: Kind, named: str | None, body: str) -> DocumentMeta:
    """``meta`` with the place of the body its speaker line names (我代表深圳市人民政府 ->
    深圳市) when the general extraction found no place: the gazetteer reads the named body
    (strong) and the opening of the body (weak)."""
    if meta.province or meta.city or meta.county:
        return meta
    if named is None or kind.is_national(named):
        return meta
    region = resolve_region([(named, 6.0), (body[:PLACE_WINDOW], 1.0)])
    if not (region.province or region.city or region.county):
        return meta
    cues = {**dict(meta.cues), "place": "kind_convention"}
    return dataclasses.replace(
        meta,
        province=region.province,
        city=region.city,
        county=region.county,
        adcode=region.adcode,
        cues=tuple(cues.items()),
    )


def speaker_body(kind: Kind, body: str) -> str | None:
    """The body the speaker line names as written (我代表罗湖区人民政府 -> 罗湖区人民政府)."""
    opening = body[:SPEAKER_WINDOW]
    for pattern in kind.agency_from_speaker:
        match = pattern.search(opening)
        if match:
            term = match.groupdict().get("term")
            body_name = match.group("body")
            return body_name.replace(term, "", 1) if term else body_name
    return None


def congress_year(meta: DocumentMeta, kind: Kind, lines: list[str]) -> int | None:
    """The year of the congress a report is delivered to: the title's year, else the year of
    its delivery date, else from the first heading naming a year (2019年工作回顾 -> 2020),
    else the general extraction's year — but not one read from the opening sentence, which
    names a year the report reviews (过去一年 2019, 由2015年的…): no year rather than a wrong one
    (on the workreports corpus that year was wrong on 9 of 13 reports)."""
    if meta.title:
        years = [int(year) for year in year_pattern().findall(meta.title)]
        if years:
            return max(years)
    if meta.signed_date is not None:
        return meta.signed_date.year
    for line in lines:
        if len(line) > HEADING_MAX:
            continue
        for pattern, add in kind.heading_years:
            match = pattern.search(line)
            if match:
                return int(match.group("year")) + add
    if dict(meta.cues).get("report_year") == OPENING_CUE:
        return None
    return meta.report_year


OPENING_CUE = "opening"  # metadata.cues: report_year read from the opening sentence


def speaker_agency(meta: DocumentMeta, kind: Kind, named: str | None) -> str | None:
    """The body the speaker line names (我代表深圳市人民政府向大会…), completed with the
    report's place when it names only the level; None when the kind has no such convention or
    the text no such line (``named``: :func:`speaker_body`)."""
    if named is None:
        return None
    if kind.is_national(named):
        return named
    for word, level in LEVEL_WORDS:
        if named.startswith(word):
            place = getattr(meta, level)
            if not place:
                return None  # the level without its place: no agency rather than a wrong one
            if level == "county" and meta.city and not place.startswith(meta.city):
                place = meta.city + place  # 区人民政府 -> 深圳市南山区人民政府
            return place + named[len(word) :]
    if meta.city and meta.county and named.startswith(meta.county):
        return meta.city + named  # 南山区人民政府 -> 深圳市南山区人民政府
    if meta.city and "新区" in named and not named.startswith(meta.city):
        return meta.city + named  # 大鹏新区管理委员会 -> 深圳市大鹏新区管理委员会
    return named
