"""Calendar dates as written in Chinese reports: 2022-12-05, 2021/03/29, 2022年12月5日, 二〇二一年一月十九日."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import regex

_DIGIT = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "〇○零O一二三四五六七八九十"
DATE_PATTERN = regex.compile(
    rf"""
    (?P<y>(?:19|20)\d{{2}})\s*(?P<sep>[-/.])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<d>\d{{1,2}})(?!\d)
  | (?P<y>(?:19|20)\d{{2}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日
  | (?P<cy>[{_CN}]{{4}})\s*年\s*(?P<cm>[{_CN}]{{1,2}})\s*月\s*(?P<cd>[{_CN}]{{1,3}})\s*日
    """,
    regex.VERBOSE,
)


def _chinese_number(text: str) -> int | None:
    if "十" not in text:
        if not all(char in _DIGIT for char in text):
            return None
        value = 0
        for char in text:
            value = value * 10 + _DIGIT[char]
        return value
    tens, _, units = text.partition("十")
    high = _DIGIT.get(tens) if tens else 1
    low = _DIGIT.get(units) if units else 0
    if high is None or low is None:
        return None
    return high * 10 + low


def _to_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> Iterator[tuple[dt.date, int, int]]:
    """Every valid calendar date in ``text`` with its span."""
    for match in DATE_PATTERN.finditer(text):
        if match.group("cy"):
            date = _to_date(
                _chinese_number(match.group("cy")),
                _chinese_number(match.group("cm")),
                _chinese_number(match.group("cd")),
            )
        else:
            date = _to_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        if date is not None:
            yield date, match.start(), match.end()


def first_date(text: str) -> dt.date | None:
    return next((date for date, _, _ in find_dates(text)), None)
