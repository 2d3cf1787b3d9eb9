"""Carve a kind's un-numbered parts out of a labelled outline.

A 政府工作报告 ends its last plan part with a paragraph on the government's own building
(加强政府自身建设), often un-numbered or the last (十) item, and closes with a final
"各位代表!…" exhortation that no heading marks. The kind's ``[[carve]]`` rules (data, see
:mod:`lawreport.kinds`) say where such a part starts: the last paragraph matching a pattern
(closing), or the last second-level heading / the first trailing paragraph of a labelled
part matching one (self_building). The part is cut at that line: the text before stays in
its part, the rest becomes a new top-level part with the rule's label, its sub-sections
moved under it. Top-level parts still tile the text.
"""

from __future__ import annotations

import dataclasses

import regex

from lawreport.kinds import STRUCTURAL, Carve, Kind
from lawreport.outline.parse import first_words
from lawreport.records import Outline, Section

WINDOW = 150  # characters of a paragraph a carve pattern is matched against
SALUTATION_MAX = 8  # a line "各位代表!" this short is read with the paragraph after it


def carve_parts(outline: Outline, text: str, kind: Kind) -> Outline:
    """``outline`` with the kind's salutation moved into the title block and every carve
    rule of ``kind`` applied in order."""
    if kind.salutation is not None:
        outline = _title_takes_salutation(outline, text, kind)
    for rule in kind.carves:
        cut = _cut_point(outline, text, rule)
        if cut is not None:
            outline = _split(outline, text, *cut, rule)
    return outline


def _title_takes_salutation(outline: Outline, text: str, kind: Kind) -> Outline:
    """A salutation line (各位代表:) opening the preamble joins the title block before it."""
    sections = list(outline.sections)
    if sections and sections[0].style == "preamble" and sections[0].start == 0:
        preamble = sections[0]
        match = _salutation(text, 0, preamble.end, kind)
        if match and match.end() < preamble.end:
            heading = text[: match.end()].strip()
            title = Section("0", None, 1, "title", "", heading, 0, match.end(), "title", 1.0, "structure")
            rest = dataclasses.replace(preamble, start=match.end(), heading=first_words(text[match.end() :]))
            return Outline((title, rest, *sections[1:]), outline.warnings)
    for index in range(1, len(sections)):
        title, preamble = sections[index - 1], sections[index]
        if title.style == "title" and preamble.style == "preamble" and title.end == preamble.start:
            match = _salutation(text, preamble.start, preamble.end, kind)
            if match and match.end() < preamble.end:
                sections[index - 1] = title.with_end(match.end())
                sections[index] = dataclasses.replace(
                    preamble, start=match.end(), heading=first_words(text[match.end() :])
                )
            break
    return Outline(tuple(sections), outline.warnings)


def _salutation(text: str, start: int, end: int, kind: Kind) -> regex.Match[str] | None:
    """The salutation line at ``start``, else at a line start within ``kind.salutation_within``
    characters of it with no speaker line (我代表…) before it: a news lead (新华社…电, a photo
    caption) before the salutation is no part of the speech."""
    assert kind.salutation is not None
    match = kind.salutation.match(text, start, end)
    if match or not kind.salutation_within:
        return match
    limit = min(end, start + kind.salutation_within)
    position = text.find("\n", start, limit)
    while position != -1:
        lead = text[start : position + 1]
        if any(pattern.search(lead) for pattern in kind.agency_from_speaker):
            return None
        match = kind.salutation.match(text, position + 1, end)
        if match:
            return match
        position = text.find("\n", position + 1, limit)
    return None


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, first words) of each non-empty line in ``text[start:end]``; a short
    salutation line is read together with the next one."""
    found: list[tuple[int, str]] = []
    position = start
    pending: int | None = None
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            at = pending if pending is not None else position
            if len(stripped) <= SALUTATION_MAX and stripped.startswith("各位"):
                pending = at
            else:
                found.append(
                    (at, text[at : min(end, at + WINDOW + len(line) - len(stripped))].replace("\n", "").strip())
                )
                pending = None
        position += len(line) + 1
    return found


def _cut_point(outline: Outline, text: str, rule: Carve) -> tuple[Section, int] | None:
    top = [section for section in outline.top_level if section.style not in STRUCTURAL]
    if rule.label == "closing" and any(section.style == "closing" for section in outline.top_level):
        return None  # the outline already has its closing block
    candidates = [section for section in top if section.label in rule.within] if rule.within else top
    if not candidates:
        return None
    part = candidates[-1]
    children = [s for s in outline.sections if s.level == 2 and part.start <= s.start < part.end]
    if rule.heading is not None and children and rule.heading.search(children[-1].full_heading):
        return part, children[-1].start
    if rule.paragraph is None:
        return None
    body_from = children[-1].start if children and rule.after_last_heading else part.start
    paragraphs = [(at, words) for at, words in _paragraphs(text, body_from, part.end) if at > part.start]
    matches = [index for index, (_, words) in enumerate(paragraphs) if rule.paragraph.search(words)]
    if not matches:
        return None
    picked = matches[-1] if rule.pick == "last" else matches[0]
    while rule.join_back is not None and picked - 1 in matches:
        # The paragraph before, up to the picked one's start, is whole: its end can be read.
        if not rule.join_back.search(text[paragraphs[picked - 1][0] : paragraphs[picked][0]].rstrip()):
            break
        picked -= 1
    return part, paragraphs[picked][0]


def _split(outline: Outline, text: str, part: Section, cut: int, rule: Carve) -> Outline:
    root = part.section_id
    sections: list[Section] = []
    for section in outline.sections:
        inside = section.section_id == root or section.section_id.startswith(root + ".")
        if not inside or section.start < cut <= section.start:
            sections.append(section)
            continue
        if section.start < cut:
            sections.append(section.with_end(min(section.end, cut)))
            if section.section_id == root:
                heading = first_words(text[cut : part.end])
                sections.append(
                    Section("", None, 1, "carved", "", heading, cut, part.end, rule.label, 0.8, f"carve:{rule.label}")
                )
            continue
        if section.start == cut and section.level == 2:
            continue  # the cut heading itself became the carved part (its number and heading kept below)
        moved = dataclasses.replace(section, level=section.level - (1 if _promoted(outline, cut) else 0))
        sections.append(moved.with_label(rule.label, 0.8, f"inherited:carve:{rule.label}"))
    sections = _with_heading_of_cut(outline, sections, cut)
    return Outline(tuple(renumbered(sections)), outline.warnings)


def _promoted(outline: Outline, cut: int) -> bool:
    return any(s.level == 2 and s.start == cut for s in outline.sections)


def _with_heading_of_cut(outline: Outline, sections: list[Section], cut: int) -> list[Section]:
    """The carved part takes the number and heading of the level-2 heading it was cut at."""
    heading = next((s for s in outline.sections if s.level == 2 and s.start == cut), None)
    if heading is None:
        return sections
    return [
        dataclasses.replace(s, style=heading.style, number=heading.number, heading=heading.heading)
        if s.style == "carved" and s.start == cut
        else s
        for s in sections
    ]


def renumbered(sections: list[Section]) -> list[Section]:
    """Section ids and parents again from the order and levels (top-level ids keep their
    numbering scheme: consecutive integers, the title block "0"); a section's parent is the
    nearest earlier section of a lower level."""
    ordered = sorted(sections, key=lambda s: (s.start, s.level))
    out: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, id) of the open ancestors
    counters: dict[str, int] = {}
    top_number = -1 if ordered and ordered[0].style == "title" else 0
    for section in ordered:
        while stack and stack[-1][0] >= section.level:
            stack.pop()
        if section.level == 1 or not stack:
            top_number += 1
            section_id, parent_id = str(top_number), None
            section = dataclasses.replace(section, level=1) if section.level != 1 else section
        else:
            parent_id = stack[-1][1]
            counters[parent_id] = counters.get(parent_id, 0) + 1
            section_id = f"{parent_id}.{counters[parent_id]}"
        out.append(dataclasses.replace(section, section_id=section_id, parent_id=parent_id))
        stack.append((section.level, section_id))
    return out
