"""The number grammar: Arabic and Chinese numerals, multipliers, exact Decimal values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lawreport.zh.numerals import (
    NumberError,
    format_chinese,
    multiplier_value,
    parse_arabic,
    parse_number,
)


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
    assert read_number(text) == Decimal(value)


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
        read_number(bad)


def test_unknown_multiplier():
    with pytest.raises(NumberError):
        multiplier_value("打")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_round_trip(number):
    assert read_number(format_chinese(number)) == number


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


# --- One number grammar (issue 17) ----------------------------------------------------------

from lawreport.indicators.find import extract_indicators  # noqa: E402
from lawreport.text.normalize import normalize  # noqa: E402
from lawreport.zh.numerals import fits_float, format_chinese_decimal, numeral_tables, read_number  # noqa: E402


@pytest.mark.parametrize("example", numeral_tables().examples, ids=lambda example: example.text)
def test_every_numerals_table_example(example):
    """data/numerals.toml: each written form reads as its value, or is refused."""
    if example.value is None:
        with pytest.raises(NumberError):
            read_number(example.text)
    else:
        assert read_number(example.text) == example.value


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        # the reproductions: compound numbers kept only their last part
        ("共投入资金1亿2千万元。", "120000000", "元"),
        ("服务群众2万5千人次。", "25000", "人次"),
        ("占比百分之三十六点七。", "36.7", "%"),
        ("有百分之五十七点四是经过改造的。", "57.4", "%"),  # 四是 is no enumeration after 点
        ("增长二点一倍。", "2.1", "倍"),
        ("人口自然增长率降到千分之六点一。", "6.1", "‰"),
        ("入选前万分之一。", "1", "‱"),
        ("投资3亿5000万元。", "350000000", "元"),
        ("投资3千余万元。", "30000000", "元"),  # was 3000
        ("新增4万多亿元。", "4000000000000", "元"),
        ("新增二千零十六万吨。", "20160000", "吨"),  # was 20060000
        ("增加到四百十二万吨。", "4120000", "吨"),
        ("经过六万万人的劳动。", "600000000", "人"),  # was 70000
        ("支出比重超过八成以上。", "80", "%"),  # 八成: a small numeral with 成, read since issue 13
        ("受理投诉近3成。", "30", "%"),  # 成 is a tenth
        ("人民币壹佰贰拾万元。", "1200000", "元"),
        ("建成学校二百○八所。", "208", "所"),
        ("增长零点五个百分点。", "0.5", "百分点"),
    ],
)
def test_compound_decimal_and_fraction_forms(sentence, value, unit):
    found = [(item.value, item.unit) for item in extract_indicators(normalize(sentence).text)]
    assert found == ([] if value is None else [(Decimal(value), unit)])


@pytest.mark.parametrize(
    ("sentence", "low", "high"),
    [
        ("培训3至5千人。", "3000", "5000"),
        ("投资3千至5千万元。", "30000000", "50000000"),
        ("新建5至二十个。", "5", "20"),
    ],
)
def test_a_range_shares_the_upper_multiplier_only_when_it_reads(sentence, low, high):
    (item,) = extract_indicators(sentence)
    assert (item.value_low, item.value_high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    "sentence",
    [
        "千千万万个市场细胞活跃起来。",  # was 20010000 个
        "资本主义和成千成万的家庭。",  # was 千成 = 1000 成
        "对未来信心百倍。",  # an idiom, was 100 倍
        "连上300亿、400亿两个大台阶。",  # was 亿两个 = 100000002 个
        "共2万5人参加。",  # written digits after a multiplier: 25000 or 20000 and 5?
        "附件2\n名词解释",  # no number spans a line break
    ],
)
def test_what_cannot_be_read_is_not_guessed(sentence):
    assert extract_indicators(normalize(sentence).text) == []


def test_any_length_of_digits_is_exact_and_fails_only_its_row():
    digits = "9" * 30
    assert read_number(digits) == Decimal(digits)  # the default context rounded at 28 digits
    assert parse_number(digits, "万") == Decimal(digits + "0000")
    assert not fits_float(Decimal(digits)) and fits_float(Decimal("36.7"))
    found = extract_indicators(f"共登记{digits}件,办理案件12件。")
    assert [(item.text, item.value) for item in found] == [(f"{digits}件", None), ("12件", Decimal(12))]
    assert "too large" in found[0].problem


# Invisible characters a page may put inside a number: bidi marks and overrides, isolates,
# zero-width characters, soft hyphen, word joiner, variation selector, tag character.
INVISIBLE = ["\u200b", "\u200e", "\u200f", "\u202a", "\u202e", "\u202c", "\u2066", "\u2069", "\u00ad", "\u2060", "\ufe0f", "\U000e0041", "\ufeff"]  # fmt: skip


def _mixed(value: int) -> str | None:
    """1亿2千万 / 3亿5000万 / 2万5千 style, or None when the value has no such spelling."""
    high, rest = divmod(value, 10**8)
    middle, low = divmod(rest, 10**4)
    if low or not (high or middle):
        return None
    parts = [f"{high}亿"] if high else []
    if middle:
        thousands, remainder = divmod(middle, 1000)
        parts.append(f"{thousands}千万" if not remainder and high else f"{middle}万")
    return "".join(parts)


@st.composite
def spelled_numbers(draw):
    """(value, spelling) in Arabic, Chinese or mixed form, with invisible characters inside."""
    form = draw(st.sampled_from(["arabic", "grouped", "chinese", "mixed", "decimal", "chinese_decimal"]))
    if form in ("decimal", "chinese_decimal"):
        # Spelled-out decimals have a small whole part (三十六点七); 一万点一 is not read.
        top = 10**9 if form == "decimal" else 10**4 * 10
        value = Decimal(draw(st.integers(2, top))) / Decimal(10) ** draw(st.integers(1, 3))
        if form == "chinese_decimal" and value >= 10**4:
            value = value % 10**4 + 2
        # n/10^k can be exactly 1 (10/10): a lone 一 is the article "a" (一项, 一人) under the
        # Chinese-numeral policy, never read as a number.
        assume(value != 1)
        text = format(value, "f") if form == "decimal" else format_chinese_decimal(value)
    else:
        integer = draw(st.integers(2, 10**15 - 1))
        if form == "mixed":
            integer = integer // 10**4 * 10**4 or 10**4
        value = Decimal(integer)
        text = {
            "arabic": str(integer),
            "grouped": f"{integer:,}".replace(",", draw(st.sampled_from([",", " ", "\u2009", "\u00a0"]))),
            "chinese": format_chinese(integer),
            "mixed": _mixed(integer) or str(integer),
        }[form]
    positions = draw(st.lists(st.integers(1, max(1, len(text) - 1)), max_size=3))
    for position in sorted(positions, reverse=True):
        text = text[:position] + draw(st.sampled_from(INVISIBLE)) + text[position:]
    return value, text


@settings(max_examples=300, deadline=None)
@given(spelled_numbers())
def test_every_spelling_of_a_number_gives_its_value(case):
    value, spelled = case
    found = extract_indicators(normalize(f"共服务群众{spelled}人次。").text)
    assert [(item.value, item.unit) for item in found] == [(value.normalize(), "人次")], spelled
