"""Property (issue 13.5): a number spelt in Chinese and the same number in Arabic digits give the
same row: value, unit, qualifier and change. The Chinese spelling is written here, independently
of the number grammar under test."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lawreport.indicators.find import extract_indicators

DIGITS = "零一二三四五六七八九"


def chinese_integer(number: int) -> str:
    """1..9999 in Chinese (一千零五, 三百二十, 十五, 二十)."""
    assert 0 < number < 10000
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if digit == 1 and value == 10 and not out else DIGITS[digit]) + name
            zero = False
        elif out:
            zero = True
    return out


def chinese_decimal(whole: int, fraction: str) -> str:
    head = chinese_integer(whole) if whole else "零"
    return head + ("点" + "".join(DIGITS[int(digit)] for digit in fraction) if fraction else "")


def rows(text: str) -> list[tuple]:
    return [(item.value, item.unit, item.qualifier, item.change) for item in extract_indicators(text)]


wholes = st.integers(min_value=1, max_value=999)
fractions = st.text(alphabet="0123456789", min_size=0, max_size=2).map(lambda text: text.rstrip("0"))


@settings(max_examples=60, deadline=None)
@given(wholes, fractions)
def test_percent_growth_in_chinese_equals_arabic(whole: int, fraction: str) -> None:
    arabic = f"{whole}.{fraction}" if fraction else str(whole)
    chinese = chinese_decimal(whole, fraction)
    expected = [(Decimal(arabic), "%", "exact", "up")]
    assert rows(f"工业总产值比上年增长{arabic}%。") == expected
    assert rows(f"工业总产值比上年增长百分之{chinese}。") == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=99), fractions)
def test_multiples_in_chinese_equal_arabic(whole: int, fraction: str) -> None:
    arabic = f"{whole}.{fraction}" if fraction else str(whole)
    expected = [(Decimal(arabic), "倍", "exact", "up")]
    assert rows(f"出口额增长{arabic}倍。") == expected
    assert rows(f"出口额增长{chinese_decimal(whole, fraction)}倍。") == expected


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=999))
def test_per_mille_in_chinese_equals_arabic(whole: int) -> None:
    expected = rows(f"人口自然增长率为{whole}‰。")
    assert expected and expected[0][:2] == (Decimal(whole), "‰")
    assert rows(f"人口自然增长率为千分之{chinese_integer(whole)}。") == expected


@given(st.integers(min_value=1, max_value=9))
def test_tenths_are_percent(tenths: int) -> None:
    assert rows(f"企业中超{DIGITS[tenths]}成实现盈利。") == [(Decimal(tenths * 10), "%", "over", "")]
