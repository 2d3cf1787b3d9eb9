"""Describe a normalised report: title, issuing body, place, report year, dates."""

from __future__ import annotations

import datetime as dt

from lawreport.metadata.agency import agency_from_text, agency_from_title, describe_patterns, expand_agency
from lawreport.metadata.closing import read_closing
from lawreport.metadata.gazetteer import gazetteer
from lawreport.records import DocumentMeta, Normalized
from lawreport.text.title import clean_title, is_title_like
from lawreport.zh.dates import first_date


def describe(doc: Normalized) -> DocumentMeta:
    """Read the report's metadata from its normalised text and the lines normalisation set aside."""
    warnings: list[str] = []
    lines = doc.text.split("\n")
    title, front_lines = title_block(doc, lines)
    closing = read_closing(lines)
    closing_agency, signed_date = closing.agency, closing.date
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
        front_lines=front_lines,
        closing_line=closing.date_line,
    )


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
    return None


def find_publish_date(doc: Normalized) -> dt.date | None:
    for line in doc.metadata_lines:
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
    """Load the gazetteer now (before workers fork)."""
    gazetteer()
