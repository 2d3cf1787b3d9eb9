"""Describe a normalised report: title, issuing body, place, report year, dates."""

from __future__ import annotations

import datetime as dt

from lawreport.metadata.agency import agency_from_text, agency_from_title, describe_patterns, is_closing_agency
from lawreport.metadata.bodies import (
    NATIONAL_GOVERNMENT,
    agencies,
    body_by_short_county,
    body_by_topic,
    file_agency,
    file_body_at,
    government_of,
    place_at,
    self_reference_level,
    system_in_text,
)
from lawreport.metadata.closing import dated_line, read_closing
from lawreport.metadata.gazetteer import Region, gazetteer, towns
from lawreport.metadata.places import document_number_region, resolve_region
from lawreport.records import DocumentMeta, Normalized
from lawreport.text.title import clean_title, is_title_like
from lawreport.zh.dates import first_date


def describe(doc: Normalized) -> DocumentMeta:
    """Read the report's metadata from its normalised text and the lines normalisation set aside."""
    warnings: list[str] = []
    lines = doc.text.split("\n")
    title, front_lines = title_block(doc, lines)
    title_cue = _title_cue(doc, title, lines)
    closing = read_closing(lines)
    head = "\n".join(lines[:12])
    metadata = " ".join(doc.metadata_lines)
    candidates = [
        ("issuer_field", _field(metadata, "issuer_field", "a")),
        ("title_subject", agency_from_title(title) if title else None),
        ("signoff", closing.agency),
        ("byline", _byline(doc.metadata_lines)),
        ("opening_subject", agency_from_text(lines[:8])),
        ("system_name", system_in_text("\n".join(lines[:8])[:1500])),
    ]
    named = [(cue, name) for cue, name in candidates if name]
    voice = self_reference_level(doc.text[:BODY_ZONE])

    def region_with(agency_name: str) -> Region:
        zones = [
            (title or "", 6.0),
            (agency_name, 6.0),
            (closing.agency or "", 3.0),
            ("\n".join(doc.metadata_lines), 2.0),
            (doc.text[:BODY_ZONE], 1.0),
        ]
        region = resolve_region([(text, weight) for text, weight in zones if text], level=voice.level)
        if region.province is None and not (region.city or region.county):
            region = document_number_region(doc.text[:BODY_ZONE]) or region
        return region

    # The first name that files as a body decides, with the places it names.
    region = region_with(named[0][1] if named else "")
    agency, agency_cue = None, ""
    for index, (cue, name) in enumerate(named):
        place_of = region if index == 0 else region_with(name)
        agency = file_agency(name, place_of)
        if agency:
            agency_cue, region = cue, place_of
            break
    if not named and not voice.body and voice.level and voice.stated:
        place = NATIONAL_GOVERNMENT if voice.level == "national" else place_at(region, voice.level)
        if place:
            agency = place if place == NATIONAL_GOVERNMENT else government_of(place)
            agency_cue = "self_reference"
    if agency is None and voice.body and not named:
        own = body_by_short_county(doc.text[:BODY_ZONE])
        if own:
            region = region_with(own)
            agency, agency_cue = file_agency(own, region), "short_place_body"
    if agency is None and voice.body:
        topic = body_by_topic(doc.text[:BODY_ZONE])
        level = voice.level or region_level(region)
        agency = file_body_at(topic, level, region) if topic and level else None
        agency_cue = "topic" if agency else ""
    publish_date = find_publish_date(doc)
    publish_cue = "date_line" if publish_date and any(first_date(x) for x in doc.metadata_lines) else "hint"
    subtitle_date = _subtitle_date(lines[:12])
    signed_date, signed_cue = closing.date, "signoff"
    chengwen = _field(metadata, "chengwen_field", "d")
    if chengwen and first_date(chengwen):
        signed_date, signed_cue = first_date(chengwen), "chengwen_field"
    elif signed_date is None and subtitle_date is not None:
        signed_date, signed_cue = subtitle_date, "subtitle"
    report_year, year_cue = (year_from_text(title), "title") if title else (None, "")
    if subtitle_date is not None and (report_year is None or report_year > subtitle_date.year):
        # A report cannot cover a year after it was delivered ("…2010年远景目标纲要的报告", 1996).
        report_year, year_cue = subtitle_date.year, "subtitle"
    if report_year is None:
        report_year, year_cue = year_from_text(head[:1500]), "opening"
        if report_year is None and publish_date is not None:
            report_year = publish_date.year if publish_date.month >= 10 else publish_date.year - 1
            year_cue = "publish_date_inferred"
            warnings.append("report year inferred from the publish date")
    if title is None:
        warnings.append("no title found")
    if agency is None:
        warnings.append("issuing body not found")
    if report_year is None:
        warnings.append("report year not found")
    cues = {
        "title": title_cue if title else "",
        "agency": agency_cue,
        "place": region.cue if region.adcode or region.county or region.city else "",
        "report_year": year_cue if report_year is not None else "",
        "publish_date": publish_cue if publish_date else "",
        "signed_date": signed_cue if signed_date else "",
    }
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
        front_lines=front_lines,
        closing_line=closing.date_line,
        cues=tuple(cues.items()),
    )


BODY_ZONE = 3000  # characters of the body read for places and the report's voice


def region_level(region: Region) -> str | None:
    """The most specific level the region names."""
    for level, place in (("county", region.county), ("city", region.city), ("province", region.province)):
        if place:
            return level
    return None


def _field(text: str, name: str, group: str) -> str | None:
    for pattern in describe_patterns().alternatives(name):
        match = pattern.search(text)
        if match:
            return match.group(group)
    return None


def _byline(metadata_lines: tuple[str, ...]) -> str | None:
    """A body named alone on the page's date line under the headline (清水县人民政府 2024年01月08日)."""
    for line in metadata_lines:
        found = dated_line(line)
        if found and found[1] and is_closing_agency(found[1]):
            return found[1]
    return None


def _subtitle_date(lines: list[str]) -> dt.date | None:
    for line in lines:
        match = _field(line, "speech_subtitle", "d")
        if match:
            return first_date(match)
    return None


def _title_cue(doc: Normalized, title: str | None, lines: list[str]) -> str:
    if doc.title_lines:
        return "joined_lines" if len(doc.title_lines) > 1 else "title_line"
    hint = doc.hints.get("title") or doc.hints.get("page_title")
    if hint and is_title_like(hint):
        return "html_title"
    if lines and is_title_like(lines[0]):
        return "first_line"
    return "metadata_line"


def title_block(doc: Normalized, lines: list[str]) -> tuple[str | None, int]:
    """The title, and how many lines at the top are title and front matter (where the
    outline's body starts): the lines normalisation kept as such, else a title-like first
    line when more follow."""
    front_lines = len(doc.title_lines) + len(doc.front_lines)
    if front_lines == 0 and len(lines) > 1 and is_title_like(lines[0]):
        front_lines = 1
    return find_title(doc, lines), front_lines


def find_title(doc: Normalized, lines: list[str]) -> str | None:
    if doc.title_lines:
        return clean_title("".join(doc.title_lines))
    hint = doc.hints.get("title") or doc.hints.get("page_title")
    if hint and is_title_like(hint):
        return clean_title(hint)
    if lines and is_title_like(lines[0]):
        return clean_title(lines[0])
    glued = _title_in_metadata(doc)
    return clean_title(glued) if glued else None


def _title_in_metadata(doc: Normalized) -> str | None:
    """A title the page glued to its metadata line ("…年度报告 索引号:… 发布机构:…"): what is
    left when the metadata is cut."""
    for line in doc.metadata_lines[:2]:
        head = clean_title(line)
        if head != line.strip() and is_title_like(head):
            return head
    return None


def find_publish_date(doc: Normalized) -> dt.date | None:
    signed_fields = describe_patterns().alternatives("chengwen_field")
    for line in doc.metadata_lines:
        for pattern in signed_fields:
            line = pattern.sub(" ", line)  # 成文日期 is the signed date, not the publish date
        date = first_date(line)
        if date is not None:
            return date
    hinted = doc.hints.get("publish_date")
    return first_date(hinted) if hinted else None


def year_from_text(text: str) -> int | None:
    """The first year a text names, ignoring years inside 《titles》, brackets and ranges."""
    patterns = describe_patterns()
    masked = patterns["quoted_title"].sub(lambda match: " " * len(match.group()), text)
    match = patterns["report_year"].search(masked)
    return int(match.group(1)) if match else None


def warm_up() -> None:
    """Load the gazetteer, the towns and the body tables now (before workers fork)."""
    gazetteer()
    towns()
    agencies()
    body_by_short_county("")  # compiles its pattern of county short names once
