"""The outline of a report: a tree of sections with offsets into the normalised text.

Heading styles are data (``data/outline/styles.toml``). Levels are inferred, not fixed: the parser
keeps a stack of open styles, so "(一)" under "一、" is level 2, but a report that starts at
"(一)" still has it at level 1. Unnumbered part headings ("2024年工作计划") close everything
and restart the numbering below them. Top-level sections (title block, preamble, parts,
closing) cover the whole text without overlap.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import regex

from lawreport.budget import UNLIMITED, Budget
from lawreport.datafiles import check_keys, load_toml
from lawreport.errors import DataFileError
from lawreport.metadata.closing import read_closing
from lawreport.patterns import Example, NamedPattern, char_class, compile_pattern
from lawreport.records import Outline, Section
from lawreport.zh.fragments import zh_fragments
from lawreport.zh.numerals import outline_number
from lawreport.zh.punctuation import punctuation

HEADING_MAX = 60
PREAMBLE_HEADING_MAX = 40


@dataclass(frozen=True)
class HeadingStyle:
    name: str
    rank: int
    numeral: str
    pattern: regex.Pattern[str]
    max_length: int | None
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]

    def match(self, line: str) -> regex.Match[str] | None:
        if self.max_length is not None and len(line) > self.max_length:
            return None
        return self.pattern.match(line)


@dataclass(frozen=True)
class OutlineRules:
    styles: tuple[HeadingStyle, ...]
    enumeration: regex.Pattern[str]
    enumeration_examples: tuple[str, ...]
    enumeration_counter_examples: tuple[str, ...]
    signature: NamedPattern  # the line before a dated sign-off that joins the closing block
    heading_stop: regex.Pattern[str]  # a heading ends at a sentence end or its colon
    heading_clause_stop: regex.Pattern[str]  # ... else at its first clause ("、" separates items of it)


@functools.cache
def outline_rules() -> OutlineRules:
    data = load_toml("outline", "styles.toml")
    check_keys("outline/styles.toml", data, {"style", "enumeration", "signature"})
    styles = []
    for number, entry in enumerate(data["style"], 1):
        where = f"outline/styles.toml [[style]] #{number} ({entry.get('name', '?')})"
        check_keys(where, entry, {"name", "rank", "numeral", "pattern", "examples"}, {"counter_examples", "max_length"})
        if entry["numeral"] not in ("chinese", "arabic", "circled", "none"):
            raise DataFileError(f"{where}: numeral must be chinese, arabic, circled or none")
        pattern = compile_pattern(entry["pattern"], zh_fragments(), where)
        if "num" not in pattern.groupindex:
            raise DataFileError(f"{where}: pattern must capture a group named 'num'")
        styles.append(
            HeadingStyle(
                entry["name"],
                int(entry["rank"]),
                entry["numeral"],
                pattern,
                entry.get("max_length"),
                tuple(entry["examples"]),
                tuple(entry.get("counter_examples", ())),
            )
        )
    # Numbered styles are tried before unnumbered part headings.
    styles.sort(key=lambda style: style.numeral == "none")
    enum = data["enumeration"]
    check_keys("outline/styles.toml [enumeration]", enum, {"pattern", "examples"}, {"counter_examples"})
    signature = data["signature"]
    where = "outline/styles.toml [signature]"
    check_keys(where, signature, {"pattern", "examples"}, {"counter_examples"})
    sentence_end = punctuation().sentence_end
    return OutlineRules(
        tuple(styles),
        compile_pattern(enum["pattern"], zh_fragments(), "outline/styles.toml [enumeration]"),
        tuple(enum["examples"]),
        tuple(enum.get("counter_examples", ())),
        NamedPattern(
            "signature",
            compile_pattern(signature["pattern"], zh_fragments(), where),
            tuple(Example(text) for text in signature["examples"]),
            tuple(signature.get("counter_examples", ())),
            where,
        ),
        regex.compile(char_class(sentence_end + ":")),
        regex.compile(char_class(",:" + sentence_end)),
    )


@dataclass
class _Heading:
    style: HeadingStyle
    number: str
    value: int | None
    heading: str
    start: int


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for part in text.split("\n"):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    return spans


def first_words(text: str, limit: int = PREAMBLE_HEADING_MAX) -> str:
    """The start of a paragraph, up to its first full stop: names a preamble or closing."""
    line = text.split("\n", 1)[0]
    stop = line.find("。")
    return line[: stop if 0 <= stop < limit else limit]


def heading_text(rest: str, limit: int = HEADING_MAX, rules: OutlineRules | None = None) -> str:
    """The heading part of a line: up to the first sentence stop (or its colon), else the first
    clause (a comma or colon; 、 separates items inside a heading)."""
    rules = rules or outline_rules()
    stop = rules.heading_stop.search(rest)
    if stop and stop.start() <= limit:
        return rest[: stop.start()]
    if len(rest) <= limit:
        return rest
    clause = rules.heading_clause_stop.search(rest)
    return rest[: clause.start()] if clause and clause.start() <= limit else rest[:limit]


def find_heading(line: str, rules: OutlineRules | None = None) -> tuple[HeadingStyle, regex.Match[str]] | None:
    rules = rules or outline_rules()
    for style in rules.styles:
        match = style.match(line)
        if match and (match.end() < len(line) or style.numeral == "none"):
            return style, match
    return None


def closing_start(text: str, lines: list[tuple[int, int]], body_start_line: int, date_line: int | None) -> int:
    """Line index where the closing block starts, or len(lines): the report ends with its
    dated sign-off line (``date_line``, see :mod:`lawreport.metadata.closing`), which starts
    the block, or the short signature line before it does."""
    index = len(lines) - 1
    if index < body_start_line or date_line != index:
        return len(lines)
    first = index
    if index - 1 >= body_start_line:
        previous = text[lines[index - 1][0] : lines[index - 1][1]].strip()
        if outline_rules().signature.pattern.match(previous) and find_heading(previous) is None:
            first = index - 1
    return first


def parse_outline(
    text: str,
    *,
    front_lines: int = 0,
    closing_line: int | Literal["find"] | None = "find",
    rules: OutlineRules | None = None,
    budget: Budget = UNLIMITED,
) -> Outline:
    """Split ``text`` (normalised) into its outline. ``front_lines``: leading title and
    front-matter lines; ``closing_line``: the line of the dated sign-off (as
    :attr:`DocumentMeta.closing_line <lawreport.records.DocumentMeta>` says, None for none),
    looked for here by default."""
    rules = rules or outline_rules()
    lines = _lines(text)
    warnings: list[str] = []
    front_lines = min(front_lines, len(lines))
    if closing_line == "find":
        closing_line = read_closing(text.split("\n")).date_line
    close_at = closing_start(text, lines, front_lines, closing_line)
    body_end = lines[close_at][0] if close_at < len(lines) else len(text)

    headings: list[_Heading] = []
    for index in range(front_lines, close_at):
        budget.check("sections")
        start, end = lines[index]
        line = text[start:end]
        found = find_heading(line, rules)
        if found is None:
            continue
        style, match = found
        if style.numeral == "none":
            number, rest = "", line
        else:
            number, rest = line[: match.end()].rstrip(), line[match.end() :]
        headings.append(
            _Heading(
                style, number, outline_number(match.group("num"), style.numeral), heading_text(rest, rules=rules), start
            )
        )

    sections: list[Section] = []
    top_counter = 0
    if front_lines:
        title = text[lines[0][0] : lines[0][1]]
        title_end = lines[front_lines][0] if front_lines < len(lines) else len(text)
        sections.append(Section("0", None, 1, "title", "", title, 0, title_end))
    body_start = lines[front_lines][0] if front_lines < len(lines) else len(text)
    first_heading = headings[0].start if headings else body_end
    if first_heading > body_start and text[body_start:first_heading].strip():
        top_counter += 1
        preamble = text[body_start:first_heading].strip()
        sections.append(
            Section(
                str(top_counter),
                None,
                1,
                "preamble",
                "",
                first_words(preamble),
                body_start,
                first_heading,
            )
        )
    elif first_heading > body_start:
        first_heading = body_start

    # Build the tree with a stack of open headings: (style, section index, child counter).
    stack: list[tuple[HeadingStyle, int]] = []
    child_counts: dict[str | None, int] = {}
    last_number: dict[tuple[str | None, str], int] = {}
    heading_sections: list[int] = []
    for heading in headings:
        style = heading.style
        if style.numeral == "none":
            stack.clear()
        elif any(open_style.name == style.name for open_style, _ in stack):
            while stack and stack[-1][0].name != style.name:
                stack.pop()
            stack.pop()
        else:
            while stack and stack[-1][0].rank >= style.rank:
                stack.pop()
        parent_index = stack[-1][1] if stack else None
        parent_id = sections[parent_index].section_id if parent_index is not None else None
        if parent_id is None:
            top_counter += 1
            section_id = str(top_counter)
        else:
            child_counts[parent_id] = child_counts.get(parent_id, 0) + 1
            section_id = f"{parent_id}.{child_counts[parent_id]}"
        key = (parent_id, style.name)
        if heading.value is not None:
            previous = last_number.get(key)
            if previous is not None and heading.value != previous + 1:
                kind = "restarts" if heading.value == 1 else "jumps"
                warnings.append(f"outline numbering {kind} at {heading.number} (after {previous})")
            elif previous is None and heading.value != 1:
                warnings.append(f"outline numbering starts at {heading.number}")
            last_number[key] = heading.value
        level = len(stack) + 1
        sections.append(
            Section(section_id, parent_id, level, style.name, heading.number, heading.heading, heading.start, body_end)
        )
        heading_sections.append(len(sections) - 1)
        stack.append((style, len(sections) - 1))

    # A heading's section ends where the next heading of the same or a higher level starts:
    # one pass with a stack of the headings still open (each is closed once).
    open_headings: list[int] = []
    for index in heading_sections:
        level = sections[index].level
        while open_headings and sections[open_headings[-1]].level >= level:
            closed = open_headings.pop()
            sections[closed] = sections[closed].with_end(sections[index].start)
        open_headings.append(index)
    if close_at < len(lines):
        top_counter += 1
        closing = text[body_end:].strip()
        sections.append(Section(str(top_counter), None, 1, "closing", "", closing.split("\n")[0], body_end, len(text)))
    if not headings and text[body_start:body_end].strip():
        warnings.append("no numbered headings found")

    sections.extend(_enumerations(text, sections, rules))
    sections.sort(key=lambda section: (section.start, section.level))
    return Outline(tuple(sections), tuple(warnings))


def _enumerations(text: str, sections: list[Section], rules: OutlineRules) -> list[Section]:
    """一是…二是… runs inside a section's own text become its children."""
    found: list[Section] = []
    by_parent: dict[str | None, list[Section]] = {}
    for section in sections:
        by_parent.setdefault(section.parent_id, []).append(section)
    for section in sections:
        if section.style in ("title", "preamble", "closing"):
            continue
        children = by_parent.get(section.section_id, [])
        own_end = min((child.start for child in children), default=section.end)
        own_start = section.start + len(section.number) + len(section.heading)
        segment = text[own_start:own_end]
        runs: list[list[tuple[int, str]]] = []
        current: list[tuple[int, str]] = []
        for match in rules.enumeration.finditer(segment):
            value = outline_number(match.group("num"), "chinese")
            item = (match.start("num") + own_start, match.group("num") + "是")
            if value == len(current) + 1:
                current.append(item)
            elif value == 1:
                runs.append(current)
                current = [item]
        runs.append(current)
        # Only runs of at least 一是 and 二是 are enumerations; a lone 一是 may be prose.
        items = [item for run in runs if len(run) >= 2 for item in run]
        if not items:
            continue
        count = len(by_parent.get(section.section_id, []))
        for position, (start, number) in enumerate(items):
            end = items[position + 1][0] if position + 1 < len(items) else own_end
            rest = text[start + len(number) : end]
            found.append(
                Section(
                    f"{section.section_id}.{count + position + 1}",
                    section.section_id,
                    section.level + 1,
                    "enumeration",
                    number,
                    heading_text(rest.split("\n")[0], PREAMBLE_HEADING_MAX, rules),
                    start,
                    end,
                )
            )
    return found
