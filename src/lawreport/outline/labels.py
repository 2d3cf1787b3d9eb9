"""Label the top-level parts of an outline with the standard parts of the report's kind.

Cue lexicons are data (``data/kinds/<kind>/labels.toml``, see :mod:`lawreport.kinds`).
Decisions, strongest first:
1. structural: title block, preamble, closing, attachments (附件: ``appendix``);
2. a cue in the heading (the highest-priority label whose cue matches);
3. a year in the heading later than the report year -> the kind's future part (plans);
4. position: an un-cued part before the first of the kind's later parts (shortcomings, plans,
   …), or in a report with none of them, is its account part (measures); in a kind with an
   ``after_account`` part (work reports: plans), an un-cued part after a part whose heading
   names the account (一、1994年工作的回顾) is that part;
5. otherwise ``unknown``.
Children inherit the label of their top-level part.
"""

from __future__ import annotations

from lawreport.kinds import STRUCTURAL, UNKNOWN, Kind, default_kind
from lawreport.records import Outline
from lawreport.zh.dates import year_pattern


def label_heading(heading: str, report_year: int | None = None, kind: Kind | None = None) -> tuple[str, float, str]:
    """(label, confidence, cue) for a top-level heading; ``unknown`` when nothing fits."""
    kind = kind or default_kind()
    for rule in kind.label_rules:
        match = rule.cues.search(heading)
        if match:
            return rule.name, 0.9, f"cue:{match.group()}"
    if report_year is not None:
        years = [int(year) for year in year_pattern().findall(heading)]
        if any(year > report_year for year in years):
            return kind.future_part, 0.8, f"year:{max(years)}>{report_year}"
    return UNKNOWN, 0.0, ""


def label_outline(outline: Outline, report_year: int | None = None, kind: Kind | None = None) -> Outline:
    """Label every top-level part and pass the label down to its children."""
    kind = kind or default_kind()
    top_labels: dict[str, tuple[str, float, str]] = {}
    top = outline.top_level
    for section in top:
        if section.style in STRUCTURAL:
            top_labels[section.section_id] = (section.style, 1.0, "structure")
        else:
            top_labels[section.section_id] = label_heading(section.full_heading, report_year, kind)
    # Whether a later part (shortcomings, plans, ...) follows each position, in one backward pass:
    # asking it of every part anew was quadratic in the number of parts.
    later_follows = [False] * len(top)
    seen_later = False
    for position in range(len(top) - 1, -1, -1):
        later_follows[position] = seen_later
        seen_later = seen_later or top_labels[top[position].section_id][0] in kind.later_parts
    account_cued = False  # a part before this one has a cue of the account part (一、1994年工作回顾)
    for position, section in enumerate(top):
        label, _, cue = top_labels[section.section_id]
        if label != UNKNOWN:
            account_cued = account_cued or (label == kind.account_part and cue.startswith("cue:"))
            continue
        if account_cued and kind.after_account:
            # After a review headed as one, un-cued parts set the year's tasks (一、1994年国内工作
            # 的回顾 / 二、促进国民经济持续、快速、健康发展 / …).
            top_labels[section.section_id] = (kind.after_account, 0.5, "position:after the account")
        elif later_follows[position]:
            top_labels[section.section_id] = (kind.account_part, 0.6, "position:before later parts")
        elif not seen_later:
            # No part of the report is about problems or plans: a thematic outline of work done.
            top_labels[section.section_id] = (kind.account_part, 0.5, "position:no later parts")
    labelled = []
    for section in outline.sections:
        root = section.section_id.split(".")[0]
        label, confidence, cue = top_labels.get(root, (UNKNOWN, 0.0, ""))
        if section.level > 1:
            cue = f"inherited:{root}"
        labelled.append(section.with_label(label, confidence, cue))
    return Outline(tuple(labelled), outline.warnings)


def outline_warnings(outline: Outline, kind: Kind | None = None) -> tuple[str, ...]:
    """Document-level warnings: missing required parts and unlabelled parts."""
    kind = kind or default_kind()
    labels = {section.label for section in outline.top_level}
    warnings = list(outline.warnings)
    missing = [part for part in kind.required if part not in labels]
    if missing:
        warnings.append(f"missing standard part(s): {', '.join(missing)}")
    unknown = [section.full_heading[:20] for section in outline.top_level if section.label == UNKNOWN]
    if unknown:
        warnings.append(f"unlabelled part(s): {'; '.join(unknown)}")
    return tuple(warnings)
