"""Small Chinese numerals as used in outline numbers: 一 .. 九十九, ㈠, ①."""

from __future__ import annotations

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CIRCLED = {chr(0x3220 + i): i + 1 for i in range(10)} | {chr(0x2460 + i): i + 1 for i in range(20)}


def small_chinese_number(text: str) -> int | None:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23; None for anything else."""
    if not text:
        return None
    if "十" not in text:
        return _DIGITS.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    high = _DIGITS.get(tens) if tens else 1
    low = _DIGITS.get(units) if units else 0
    if high is None or low is None or len(units) > 1:
        return None
    return high * 10 + low


def outline_number(text: str, numeral: str) -> int | None:
    if numeral == "chinese":
        return small_chinese_number(text)
    if numeral == "arabic":
        return int(text) if text.isdigit() else None
    if numeral == "circled":
        return _CIRCLED.get(text)
    return None
