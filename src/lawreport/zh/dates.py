"""Calendar dates as written in Chinese reports: 2022-12-05, 2021/03/29, 2022年12月5日,
二〇二一年一月十九日 (patterns in ``data/zh/dates.toml``; spelled-out numbers read with the
numerals table)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

import regex

from lawreport.patterns import PatternTable
from lawreport.zh.fragments import data_patterns
from lawreport.zh.numerals import read_digits, small_chinese_number


@functools.cache
def date_patterns() -> PatternTable:
    return data_patterns("zh/dates.toml", required=("date", "year"))


@functools.cache
def _date_pattern() -> regex.Pattern[str]:
    """The spellings of a date as one pattern: the leftmost match wins, as in one alternation."""
    return regex.compile("|".join(f"(?:{pattern.pattern})" for pattern in date_patterns().alternatives("date")))


def year_pattern() -> regex.Pattern[str]:
    """A year followed by 年 (the number is group 1)."""
    return date_patterns()["year"]


def _spelled(text: str) -> int | None:
    """A spelled-out date part: 十九 with a unit, 二〇二一 digit by digit."""
    return small_chinese_number(text) if "十" in text else read_digits(text)


def _to_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> Iterator[tuple[dt.date, int, int]]:
    """Every valid calendar date in ``text`` with its span."""
    for match in _date_pattern().finditer(text):
        if match.group("cy"):
            date = _to_date(_spelled(match.group("cy")), _spelled(match.group("cm")), _spelled(match.group("cd")))
        else:
            date = _to_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        if date is not None:
            yield date, match.start(), match.end()


def first_date(text: str) -> dt.date | None:
    return next((date for date, _, _ in find_dates(text)), None)
