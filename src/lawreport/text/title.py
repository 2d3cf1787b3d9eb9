"""What a title line looks like, and which header lines make the title."""

from __future__ import annotations

from collections.abc import Sequence

import regex

TITLE_MAX_LENGTH = 90
_TITLE_WORDS = regex.compile(r"报告|总结|工作计划|情况$")
_HEADING_START = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]|\(?[一二三四五六七八九十]{1,3}\)|第[一二三四五六七八九十]+部分)"
)
_SENTENCE_END = regex.compile(r"[。;!?]")
_ADDRESSEE = regex.compile(r"^[^,。]{2,30}[:]$")
_NOT_TITLE = regex.compile(r"如下|[:,]$|^——")
# A short line that can start a title split over two lines ends like an issuing body or a year.
_TITLE_HEAD_END = regex.compile(r"(?:局|委|厅|府|室|部|院|会|中心|关于|区|县|市|省|镇|乡|街道|处|年|组)$")
_TITLE_NOISE = regex.compile(r"^【[^】]{1,8}】|\s+-\s+\S{0,6}[:]\s*$")


def starts_with_heading_number(line: str) -> bool:
    """一、 (一) 第一部分: the line opens a numbered part, so it is no title."""
    return _HEADING_START.match(line) is not None


def has_sentence_end(line: str) -> bool:
    return _SENTENCE_END.search(line) is not None


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


def same_title(line: str, title: str) -> bool:
    """A repeat of the title (or of its end or start) elsewhere in the header."""
    return is_title_like(line) and (line.endswith(title) or title.endswith(line))


def choose_title(lines: Sequence[str], candidates: list[int]) -> tuple[int, ...] | None:
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
