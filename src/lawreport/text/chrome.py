"""Recognise web-page chrome, publication lines and the title block line by line
(chrome patterns in data/text/chrome.toml; what a title looks like in :mod:`lawreport.text.title`)."""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from lawreport.datafiles import check_keys, load_toml
from lawreport.patterns import compile_pattern
from lawreport.text.title import choose_title, has_sentence_end, same_title, starts_with_heading_number
from lawreport.zh.fragments import zh_fragments

DEFAULT_MAX_LENGTH = 120
BODY_MIN_LENGTH = 60


class LineKind(enum.Enum):
    BODY = "body"
    FRONT = "front"  # kept front matter: subtitle, addressee
    TITLE = "title"
    CHROME = "chrome"
    METADATA = "metadata"
    DUPLICATE_TITLE = "duplicate_title"

    @property
    def kept(self) -> bool:
        return self in (LineKind.BODY, LineKind.FRONT, LineKind.TITLE)


@dataclass(frozen=True)
class ChromePattern:
    kind: str  # line | inline | metadata
    name: str
    pattern: regex.Pattern[str]
    max_length: int
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    kept_before_body: bool = False  # chrome only when no line of the report follows it


@dataclass(frozen=True)
class ChromeRules:
    line: tuple[ChromePattern, ...]
    inline: tuple[ChromePattern, ...]
    metadata: tuple[ChromePattern, ...]

    @property
    def all(self) -> tuple[ChromePattern, ...]:
        return self.line + self.inline + self.metadata

    @functools.cached_property
    def longest(self) -> dict[str, int]:
        """The longest line a rule of each group may match (``max_length``)."""
        return {
            group: max((rule.max_length for rule in rules), default=-1)
            for group, rules in (("line", self.line), ("metadata", self.metadata))
        }


@functools.cache
def chrome_rules() -> ChromeRules:
    data = load_toml("text", "chrome.toml")
    check_keys("text/chrome.toml", data, set(), {"line", "inline", "metadata"})
    groups: dict[str, list[ChromePattern]] = {"line": [], "inline": [], "metadata": []}
    for kind, entries in data.items():
        for number, entry in enumerate(entries, 1):
            where = f"text/chrome.toml [[{kind}]] #{number} ({entry.get('name', '?')})"
            check_keys(
                where, entry, {"name", "pattern", "examples"}, {"counter_examples", "max_length", "kept_before_body"}
            )
            compiled = compile_pattern(entry["pattern"], zh_fragments(), where)
            groups[kind].append(
                ChromePattern(
                    kind,
                    entry["name"],
                    compiled,
                    int(entry.get("max_length", DEFAULT_MAX_LENGTH)),
                    tuple(entry["examples"]),
                    tuple(entry.get("counter_examples", ())),
                    bool(entry.get("kept_before_body", False)),
                )
            )
    return ChromeRules(tuple(groups["line"]), tuple(groups["inline"]), tuple(groups["metadata"]))


SENTENCE_MAX_CHROME = 40


def matches(rule: ChromePattern, line: str) -> bool:
    # A line that reads as a sentence of the report is never chrome, whatever it mentions.
    if "。" in line and len(line) > SENTENCE_MAX_CHROME:
        return False
    return len(line) <= rule.max_length and rule.pattern.search(line) is not None


def _any_match(patterns: tuple[ChromePattern, ...], longest: int, line: str) -> bool:
    """``any(matches(rule, line) for rule in patterns)``, with the tests that do not depend on
    the rule done once per line (most lines are longer than every rule allows)."""
    size = len(line)
    if size > longest or (size > SENTENCE_MAX_CHROME and "。" in line):
        return False
    return any(size <= rule.max_length and rule.pattern.search(line) is not None for rule in patterns)


def is_chrome_line(line: str, rules: ChromeRules | None = None) -> bool:
    rules = rules or chrome_rules()
    return _any_match(rules.line, rules.longest["line"], line)


def is_metadata_line(line: str, rules: ChromeRules | None = None) -> bool:
    rules = rules or chrome_rules()
    return _any_match(rules.metadata, rules.longest["metadata"], line)


def is_body_line(line: str) -> bool:
    return len(line) >= BODY_MIN_LENGTH or has_sentence_end(line) or starts_with_heading_number(line)


def classify_lines(lines: Sequence[str], rules: ChromeRules | None = None) -> list[LineKind]:
    """Label each (cleaned, non-empty) line: body, front matter, title, chrome or metadata."""
    rules = rules or chrome_rules()
    kinds = [LineKind.BODY] * len(lines)
    for index, line in enumerate(lines):
        if is_chrome_line(line, rules):
            kinds[index] = LineKind.CHROME
    for index in range(len(lines) - 1):
        if kinds[index] is LineKind.CHROME and kinds[index + 1] is LineKind.BODY:
            hits = [rule for rule in rules.line if matches(rule, lines[index])]
            if hits and all(rule.kept_before_body for rule in hits):
                kinds[index] = LineKind.BODY
    header_end = next(
        (
            i
            for i, line in enumerate(lines)
            if kinds[i] is LineKind.BODY and is_body_line(line) and not is_metadata_line(line, rules)
        ),
        len(lines),
    )
    # Publication lines often carry widgets too ("来源:… 【字体:"): metadata wins in the header.
    for i in range(header_end):
        if is_metadata_line(lines[i], rules):
            kinds[i] = LineKind.METADATA
    header = [i for i in range(header_end) if kinds[i] is LineKind.BODY]
    candidates = [i for i in header if kinds[i] is LineKind.BODY]
    title = choose_title(lines, candidates)
    if title is None:
        return kinds
    title_text = "".join(lines[i] for i in title)
    for i in candidates:
        if i in title:
            kinds[i] = LineKind.TITLE
        elif lines[i] in title_text or same_title(lines[i], title_text):
            kinds[i] = LineKind.DUPLICATE_TITLE
        elif i < title[0]:
            kinds[i] = LineKind.CHROME
        else:
            kinds[i] = LineKind.FRONT
    return kinds
