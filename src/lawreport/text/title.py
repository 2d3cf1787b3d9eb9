"""What a title line looks like, and which header lines make the title (patterns in
``data/text/title.toml``)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import regex

from lawreport.patterns import PatternTable, char_class
from lawreport.zh.fragments import data_patterns
from lawreport.zh.punctuation import punctuation

TITLE_MAX_LENGTH = 90


@functools.cache
def title_patterns() -> PatternTable:
    """``data/text/title.toml``, validated."""
    return data_patterns(
        "text/title.toml",
        required=("title_words", "heading_start", "addressee", "not_title", "title_head_end", "title_noise"),
    )


@functools.cache
def _sentence_end() -> regex.Pattern[str]:
    return regex.compile(char_class(punctuation().sentence_end))


def starts_with_heading_number(line: str) -> bool:
    """一、 (一) 第一部分: the line opens a numbered part, so it is no title."""
    return title_patterns()["heading_start"].match(line) is not None


def has_sentence_end(line: str) -> bool:
    return _sentence_end().search(line) is not None


def clean_title(line: str) -> str:
    """Drop site decorations around a title: "【权威发布】…", "… - 文号:", "•…br", a metadata
    line glued on, PDF spaces between Chinese and digits."""
    for pattern in title_patterns().alternatives("title_noise"):
        line = pattern.sub("", line)
    return line.strip()


def is_title_like(line: str) -> bool:
    line = clean_title(line)
    patterns = title_patterns()
    return (
        6 <= len(line) <= TITLE_MAX_LENGTH
        and bool(patterns["title_words"].search(line))
        and not has_sentence_end(line)
        and not patterns["not_title"].search(line)
        and not starts_with_heading_number(line)
    )


def same_title(line: str, title: str) -> bool:
    """A repeat of the title (or of its end or start) elsewhere in the header."""
    return is_title_like(line) and (line.endswith(title) or title.endswith(line))


def choose_title(lines: Sequence[str], candidates: list[int]) -> tuple[int, ...] | None:
    """Best title in the header: the longest title-like line, joined with a short line before it."""
    patterns = title_patterns()
    options: list[tuple[int, ...]] = []
    for position, i in enumerate(candidates):
        line = lines[i]
        if not is_title_like(line) or patterns["addressee"].match(line):
            continue
        options.append((i,))
        if position > 0:
            previous = candidates[position - 1]
            joined = lines[previous] + line
            if (
                previous == i - 1
                and not is_title_like(lines[previous])
                and len(joined) <= TITLE_MAX_LENGTH
                and patterns["title_head_end"].search(lines[previous])
                and not patterns["not_title"].search(lines[previous])
            ):
                options.append((previous, i))
    if not options:
        return None
    return max(options, key=lambda option: (len("".join(lines[i] for i in option)), -option[0]))
