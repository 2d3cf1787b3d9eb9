"""Recognise web-page chrome and front matter line by line (patterns in data/chrome.toml)."""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from lawreport.datafiles import check_keys, load_toml
from lawreport.errors import DataFileError

DEFAULT_MAX_LENGTH = 120
_TITLE_WORDS = regex.compile(r"报告|总结|工作计划|情况$")
_HEADING_START = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]|\(?[一二三四五六七八九十]{1,3}\)|第[一二三四五六七八九十]+部分)"
)
_SENTENCE_END = regex.compile(r"[。;!?]")
_ADDRESSEE = regex.compile(r"^[^,。]{2,30}[:]$")
_NOT_TITLE = regex.compile(r"如下|[:,]$|^——")
# A short line that can start a title split over two lines ends like an issuing body or a year.
_TITLE_HEAD_END = regex.compile(r"(?:局|委|厅|府|室|部|院|会|中心|关于|区|县|市|省|镇|乡|街道|处|年|组)$")
BODY_MIN_LENGTH = 60
TITLE_MAX_LENGTH = 90


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
    header_only: bool
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class ChromeRules:
    line: tuple[ChromePattern, ...]
    inline: tuple[ChromePattern, ...]
    metadata: tuple[ChromePattern, ...]

    @property
    def all(self) -> tuple[ChromePattern, ...]:
        return self.line + self.inline + self.metadata

    def inline_pattern(self) -> regex.Pattern[str] | None:
        if not self.inline:
            return None
        return regex.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in self.inline))


@functools.cache
def chrome_rules() -> ChromeRules:
    data = load_toml("chrome.toml")
    check_keys("chrome.toml", data, set(), {"line", "inline", "metadata"})
    groups: dict[str, list[ChromePattern]] = {"line": [], "inline": [], "metadata": []}
    for kind, entries in data.items():
        for number, entry in enumerate(entries, 1):
            where = f"chrome.toml [[{kind}]] #{number} ({entry.get('name', '?')})"
            check_keys(where, entry, {"name", "pattern", "examples"}, {"counter_examples", "max_length", "header_only"})
            try:
                compiled = regex.compile(entry["pattern"])
            except regex.error as error:
                raise DataFileError(f"{where}: bad pattern: {error}") from error
            groups[kind].append(
                ChromePattern(
                    kind,
                    entry["name"],
                    compiled,
                    int(entry.get("max_length", DEFAULT_MAX_LENGTH)),
                    bool(entry.get("header_only", False)),
                    tuple(entry["examples"]),
                    tuple(entry.get("counter_examples", ())),
                )
            )
    return ChromeRules(tuple(groups["line"]), tuple(groups["inline"]), tuple(groups["metadata"]))


SENTENCE_MAX_CHROME = 40


def matches(rule: ChromePattern, line: str) -> bool:
    # A line that reads as a sentence of the report is never chrome, whatever it mentions.
    if "。" in line and len(line) > SENTENCE_MAX_CHROME:
        return False
    return len(line) <= rule.max_length and rule.pattern.search(line) is not None


def is_chrome_line(line: str, rules: ChromeRules | None = None) -> bool:
    rules = rules or chrome_rules()
    return any(matches(rule, line) for rule in rules.line)


def is_metadata_line(line: str, rules: ChromeRules | None = None) -> bool:
    rules = rules or chrome_rules()
    return any(matches(rule, line) for rule in rules.metadata)


def is_body_line(line: str) -> bool:
    return len(line) >= BODY_MIN_LENGTH or bool(_SENTENCE_END.search(line)) or bool(_HEADING_START.match(line))


_TITLE_NOISE = regex.compile(r"^【[^】]{1,8}】|\s+-\s+\S{0,6}[:]\s*$")


def clean_title(line: str) -> str:
    """Drop site decorations around a title: "【权威发布】…", "… - 文号:"."""
    return _TITLE_NOISE.sub("", line).strip()


def is_title_like(line: str) -> bool:
    line = clean_title(line)
    return (
        6 <= len(line) <= TITLE_MAX_LENGTH
        and bool(_TITLE_WORDS.search(line))
        and not _SENTENCE_END.search(line)
        and not _NOT_TITLE.search(line)
        and not _HEADING_START.match(line)
    )


def classify_lines(lines: Sequence[str], rules: ChromeRules | None = None) -> list[LineKind]:
    """Label each (cleaned, non-empty) line: body, front matter, title, chrome or metadata."""
    rules = rules or chrome_rules()
    kinds = [LineKind.BODY] * len(lines)
    for index, line in enumerate(lines):
        if is_chrome_line(line, rules):
            kinds[index] = LineKind.CHROME
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
    title = _choose_title(lines, candidates)
    if title is None:
        return kinds
    title_text = "".join(lines[i] for i in title)
    for i in candidates:
        if i in title:
            kinds[i] = LineKind.TITLE
        elif lines[i] in title_text or _same_title(lines[i], title_text):
            kinds[i] = LineKind.DUPLICATE_TITLE
        elif i < title[0]:
            kinds[i] = LineKind.CHROME
        else:
            kinds[i] = LineKind.FRONT
    return kinds


def _same_title(line: str, title: str) -> bool:
    return is_title_like(line) and (line.endswith(title) or title.endswith(line))


def _choose_title(lines: Sequence[str], candidates: list[int]) -> tuple[int, ...] | None:
    """Best title in the header: the longest title-like line, joined with a short line before it."""
    options: list[tuple[int, ...]] = []
    for position, i in enumerate(candidates):
        line = lines[i]
        if not is_title_like(line) or _ADDRESSEE.match(line):
            continue
        options.append((i,))
        if position > 0:
            previous = candidates[position - 1]
            joined = lines[previous] + line
            if (
                previous == i - 1
                and not is_title_like(lines[previous])
                and len(joined) <= TITLE_MAX_LENGTH
                and _TITLE_HEAD_END.search(lines[previous])
                and not _NOT_TITLE.search(lines[previous])
            ):
                options.append((previous, i))
    if not options:
        return None
    return max(options, key=lambda option: (len("".join(lines[i] for i in option)), -option[0]))
