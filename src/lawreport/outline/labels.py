"""Label the top-level parts of an outline with the standard parts of the report.

Cue lexicons are data (``data/labels.toml``). Decisions, strongest first:
1. structural: title block, preamble, closing;
2. a cue in the heading (the highest-priority label whose cue matches);
3. a year in the heading later than the report year -> plans;
   (attachments, 附件, are structural too: ``appendix``)
4. position: an un-cued part before the first shortcomings/plans/other part -> measures;
5. otherwise ``unknown``.
Children inherit the label of their top-level part.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from lawreport.datafiles import check_keys, load_toml
from lawreport.errors import DataFileError
from lawreport.outline.parse import Outline

LABELS = (
    "title",
    "preamble",
    "measures",
    "shortcomings",
    "leadership",
    "rectification",
    "plans",
    "other",
    "closing",
    "unknown",
)
STANDARD_PARTS = ("measures", "shortcomings", "plans")
STRUCTURAL = {"title": "title", "preamble": "preamble", "closing": "closing", "appendix": "appendix"}
LATER_PARTS = frozenset({"shortcomings", "plans", "other", "rectification"})
_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class LabelRule:
    name: str
    priority: int
    cues: regex.Pattern[str]
    examples: tuple[str, ...]


@functools.cache
def label_rules() -> tuple[LabelRule, ...]:
    data = load_toml("labels.toml")
    check_keys("labels.toml", data, {"label"})
    rules = []
    for number, entry in enumerate(data["label"], 1):
        where = f"labels.toml [[label]] #{number} ({entry.get('name', '?')})"
        check_keys(where, entry, {"name", "priority", "cues", "examples"})
        if entry["name"] not in LABELS:
            raise DataFileError(f"{where}: unknown label {entry['name']!r}; use one of {', '.join(LABELS)}")
        try:
            cues = regex.compile("|".join(f"(?:{cue})" for cue in entry["cues"]))
        except regex.error as error:
            raise DataFileError(f"{where}: bad cue pattern: {error}") from error
        rules.append(LabelRule(entry["name"], int(entry["priority"]), cues, tuple(entry["examples"])))
    return tuple(sorted(rules, key=lambda rule: -rule.priority))


def label_heading(heading: str, report_year: int | None = None) -> tuple[str, float, str]:
    """(label, confidence, cue) for a top-level heading; ``unknown`` when nothing fits."""
    for rule in label_rules():
        match = rule.cues.search(heading)
        if match:
            return rule.name, 0.9, f"cue:{match.group()}"
    if report_year is not None:
        years = [int(year) for year in _YEAR.findall(heading)]
        if any(year > report_year for year in years):
            return "plans", 0.8, f"year:{max(years)}>{report_year}"
    return "unknown", 0.0, ""


def label_outline(outline: Outline, report_year: int | None = None) -> Outline:
    """Label every top-level part and pass the label down to its children."""
    top_labels: dict[str, tuple[str, float, str]] = {}
    top = outline.top_level
    for section in top:
        if section.style in STRUCTURAL:
            top_labels[section.section_id] = (STRUCTURAL[section.style], 1.0, "structure")
        else:
            top_labels[section.section_id] = label_heading(section.full_heading, report_year)
    # Whether a later part (shortcomings, plans, ...) follows each position, in one backward pass:
    # asking it of every part anew was quadratic in the number of parts.
    later_follows = [False] * len(top)
    seen_later = False
    for position in range(len(top) - 1, -1, -1):
        later_follows[position] = seen_later
        seen_later = seen_later or top_labels[top[position].section_id][0] in LATER_PARTS
    for position, section in enumerate(top):
        if top_labels[section.section_id][0] != "unknown":
            continue
        if later_follows[position]:
            top_labels[section.section_id] = ("measures", 0.6, "position:before later parts")
        elif not seen_later:
            # No part of the report is about problems or plans: a thematic outline of work done.
            top_labels[section.section_id] = ("measures", 0.5, "position:no later parts")
    labelled = []
    for section in outline.sections:
        root = section.section_id.split(".")[0]
        label, confidence, cue = top_labels.get(root, ("unknown", 0.0, ""))
        if section.level > 1:
            cue = f"inherited:{root}"
        labelled.append(section.with_label(label, confidence, cue))
    return Outline(tuple(labelled), outline.warnings)


def outline_warnings(outline: Outline) -> tuple[str, ...]:
    """Document-level warnings: missing standard parts and unlabelled parts."""
    labels = {section.label for section in outline.top_level}
    warnings = list(outline.warnings)
    missing = [part for part in STANDARD_PARTS if part not in labels]
    if missing:
        warnings.append(f"missing standard part(s): {', '.join(missing)}")
    unknown = [section.full_heading[:20] for section in outline.top_level if section.label == "unknown"]
    if unknown:
        warnings.append(f"unlabelled part(s): {'; '.join(unknown)}")
    return tuple(warnings)
