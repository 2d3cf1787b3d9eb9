"""The number grammar: exact values of Arabic and Chinese numerals with Chinese multipliers.

Pure functions over strings, Decimal arithmetic throughout (floats only at the table edge):

>>> parse_number("157.83", "万")
Decimal('1578300')
>>> parse_chinese("四十三")
Decimal('43')
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MULTIPLIERS: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "萬億": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "億": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "萬": Decimal(10) ** 4,
    "千": Decimal(1000),
    "仟": Decimal(1000),
    "百": Decimal(100),
    "佰": Decimal(100),
    "十": Decimal(10),
    "拾": Decimal(10),
}
CHINESE_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)


class NumberError(ValueError):
    """A string that the grammar cannot read as a number."""


def parse_arabic(text: str) -> Decimal:
    """'1,234.5' -> 1234.5; spaces and thousands separators are ignored."""
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise NumberError(f"not a number: {text!r}") from error
    if not value.is_finite():
        raise NumberError(f"not a finite number: {text!r}")
    return value


def parse_chinese(text: str) -> Decimal:
    """Chinese numerals: 十 -> 10, 四十三 -> 43, 两千 -> 2000, 一百二十万 -> 1200000, 三点五 -> 3.5."""
    if not text:
        raise NumberError("empty numeral")
    if "点" in text:
        whole, _, fraction = text.partition("点")
        if not fraction or any(char not in CHINESE_DIGITS for char in fraction):
            raise NumberError(f"not a Chinese decimal: {text!r}")
        digits = "".join(str(CHINESE_DIGITS[char]) for char in fraction)
        return parse_chinese(whole) + Decimal(f"0.{digits}")
    if all(char in CHINESE_DIGITS for char in text) and len(text) > 1:
        # Digit-by-digit form (二〇二一 -> 2021) always has a zero digit in practice;
        # 一二三 is an enumeration (一二三产业), not one hundred and twenty-three.
        if not any(char in "〇零○" for char in text):
            raise NumberError(f"digit run without a zero is not a number: {text!r}")
        return Decimal("".join(str(CHINESE_DIGITS[char]) for char in text))
    total = 0
    section = 0
    digit: int | None = None
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[char]
            digit = None
        elif char in _BIG_UNITS:
            section += digit or 0
            if section == 0:
                section = 1
            total = (
                (total + section) * _BIG_UNITS[char] if _BIG_UNITS[char] > total else total + section * _BIG_UNITS[char]
            )
            section = 0
            digit = None
        else:
            raise NumberError(f"not a Chinese numeral: {text!r}")
    return Decimal(total + section + (digit or 0))


def multiplier_value(multiplier: str) -> Decimal:
    """'万' -> 10000, '万亿' -> 10**12, '千万' -> 10**7; '' -> 1."""
    if not multiplier:
        return Decimal(1)
    if multiplier in MULTIPLIERS:
        return MULTIPLIERS[multiplier]
    value = Decimal(1)
    for char in multiplier:
        if char not in MULTIPLIERS:
            raise NumberError(f"not a multiplier: {multiplier!r}")
        value *= MULTIPLIERS[char]
    return value


def parse_number(digits: str, multiplier: str = "") -> Decimal:
    """A number as written (Arabic or Chinese) times its multiplier, normalised (no exponent)."""
    text = digits.strip()
    if not text:
        base = Decimal(1)
    elif text[0].isdigit() or text[0] in ".-":
        base = parse_arabic(text)
    else:
        base = parse_chinese(text)
    return normalize_decimal(base * multiplier_value(multiplier))


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without scientific notation: 1578300.00 -> 1578300."""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return normalized.quantize(Decimal(1))
    return normalized


def format_chinese(value: int) -> str:
    """An integer 0 <= value < 10**12 in Chinese numerals (for round-trip tests and display)."""
    if not 0 <= value < 10**12:
        raise NumberError("only 0 <= value < 10**12 is supported")
    if value == 0:
        return "零"
    digits = "零一二三四五六七八九"

    def below_10000(number: int) -> str:
        out = ""
        zero = False
        for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = number // unit_value % 10
            if digit:
                if zero:
                    out += "零"
                    zero = False
                out += digits[digit] + unit
            elif out:
                zero = True
        return out

    parts = []
    for unit_value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = value // unit_value % 10000
        if chunk:
            text = below_10000(chunk)
            if parts and chunk < 1000:
                text = "零" + text
            parts.append(text + unit)
        elif parts and value % unit_value:
            parts.append("")
    result = "".join(parts)
    if result.startswith("一十"):
        result = result[1:]
    return result
