"""The number grammar: Arabic and Chinese numerals, multipliers, exact Decimal values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawreport.numbers import NumberError, format_chinese, multiplier_value, parse_arabic, parse_chinese, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("四十三", 43),
        ("一百零一", 101),
        ("两千", 2000),
        ("十万", 100000),
        ("一百二十万", 1200000),
        ("三千五百万", 35000000),
        ("一亿二千万", 120000000),
        ("一万零五", 10005),
        ("十萬", 100000),
        ("兩千", 2000),
        ("二〇二一", 2021),
        ("三点五", Decimal("3.5")),
    ],
)
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == Decimal(value)


@pytest.mark.parametrize(
    ("digits", "multiplier", "value"),
    [
        ("157.83", "万", "1578300"),
        ("1.09", "亿", "109000000"),
        ("2747.67", "万", "27476700"),
        ("10.46", "亿", "1046000000"),
        ("2.5", "万亿", "2500000000000"),
        ("9", "千", "9000"),
        ("1,234", "", "1234"),
        ("113.7", "", "113.7"),
        ("", "万", "10000"),
        ("十", "万", "100000"),
    ],
)
def test_multipliers(digits, multiplier, value):
    result = parse_number(digits, multiplier)
    assert result == Decimal(value)
    assert "E" not in str(result)


def test_values_are_exact_not_binary_floats():
    assert parse_number("0.1", "万") + parse_number("0.2", "万") == Decimal("3000")


@pytest.mark.parametrize("bad", ["abc", "1.2.3", "NaN", "Infinity"])
def test_bad_arabic_numbers_raise(bad):
    with pytest.raises(NumberError):
        parse_arabic(bad)


@pytest.mark.parametrize("bad", ["", "十x", "三点", "abc", "一二三"])
def test_bad_chinese_numbers_raise(bad):
    with pytest.raises(NumberError):
        parse_chinese(bad)


def test_unknown_multiplier():
    with pytest.raises(NumberError):
        multiplier_value("打")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_round_trip(number):
    assert parse_chinese(format_chinese(number)) == number


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "十", "百", "千", "万", "亿", "万亿"]),
)
def test_arabic_with_multiplier_round_trip(value, multiplier):
    assert parse_number(format(value, "f"), multiplier) == value * multiplier_value(multiplier)


def test_arabic_thousands_and_spaces():
    assert parse_arabic("1,042,800") == Decimal(1042800)
    assert parse_arabic(" 18 ") == Decimal(18)
