"""The number grammar: exact values of numbers as Chinese reports write them.

One module and one table (``data/zh/numerals.toml``) define what a Chinese digit, unit, myriad,
decimal point, fraction and ratio is. Everything that reads numbers uses them: the value
parser below, the patterns of the rule packs and of every data file (:func:`pattern_fragments`
gives ``{ChineseDigit}``, ``{OrdinalNumeral}`` and friends), the outline's heading numbers
(:func:`outline_number`) and spelled-out dates (:func:`read_digits`).

Values are Decimals computed exactly, whatever their length; a written form that cannot be
read without guessing (一二三, 三五万, 2万5) raises :class:`NumberError` instead:

>>> read_number("1亿2千万")
Decimal('120000000')
>>> read_number("三十六点七")
Decimal('36.7')
>>> parse_number("157.83", "万")
Decimal('1578300')
"""

from __future__ import annotations

import dataclasses
import decimal
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import regex

from lawreport.datafiles import check_keys, load_toml
from lawreport.errors import DataFileError
from lawreport.patterns import char_class

# Exact arithmetic for any length of digits: huge precision, and any rounding is an error.
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow, decimal.DivisionByZero],
)
_ARABIC = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


class NumberError(ValueError):
    """A string that the grammar cannot read as a number (without guessing)."""


@dataclass(frozen=True)
class NumeralExample:
    text: str
    value: Decimal | None  # None: the form must be refused


@dataclass(frozen=True)
class NumeralTables:
    """``data/numerals.toml``, validated."""

    digits: dict[str, int]
    financial_digits: dict[str, int]
    units: dict[str, int]
    financial_units: dict[str, int]
    myriads: dict[str, int]  # character -> power of ten
    lookalikes: dict[str, int]  # characters written for a digit in spelled-out dates (O for 〇)
    decimal_points: frozenset[str]
    fractions: dict[str, str]  # 百分之 -> %
    ratios: dict[str, tuple[str, Decimal]]  # 成 -> (%, 10)
    examples: tuple[NumeralExample, ...]
    doublings: dict[str, str] = dataclasses.field(default_factory=dict)  # 番 -> 倍: 翻两番 is 4 倍

    @functools.cached_property
    def all_digits(self) -> dict[str, int]:
        return {**self.financial_digits, **self.digits}

    @functools.cached_property
    def all_units(self) -> dict[str, int]:
        return {**self.financial_units, **self.units}

    @functools.cached_property
    def ordinal_forms(self) -> str:
        """The forms ordinals and outline numbers are written in (一、 第三 一是): the first form of
        each digit 1-9 and of the unit 10 (never 两, 〇 or a financial form)."""
        return "".join(self.spelling[value] for value in (*range(1, 10), 10))

    @functools.cached_property
    def spelling(self) -> dict[int | str, str]:
        """How a value is spelled out: the first form of each digit 0-9, unit (10, 100, 1000),
        myriad ("4", "8": powers of ten) and of the decimal point ("."), in the tables' order."""
        first: dict[int | str, str] = {}
        for table in (self.digits, self.units):
            for char, value in table.items():
                first.setdefault(value, char)
        for char, power in self.myriads.items():
            first.setdefault(str(power), char)
        first["."] = min(self.decimal_points)
        return first

    @functools.cached_property
    def zeros(self) -> frozenset[str]:
        return frozenset(char for char, value in self.all_digits.items() if value == 0)


def _char_table(where: str, table: object, *, key_is: str) -> dict[str, int]:
    """``{"10": ["十"]}`` -> ``{"十": 10}``; every form one character."""
    check_keys(where, table, set(), set(table) if isinstance(table, dict) else set())
    assert isinstance(table, dict)
    chars: dict[str, int] = {}
    for key, forms in table.items():
        if not key.isdigit():
            raise DataFileError(f"{where}: key {key!r} must be the {key_is} as digits")
        if not isinstance(forms, list) or not all(isinstance(form, str) and len(form) == 1 for form in forms):
            raise DataFileError(f"{where} {key}: expected a list of single characters")
        for form in forms:
            if form in chars:
                raise DataFileError(f"{where}: {form!r} is listed twice")
            chars[form] = int(key)
    return chars


@functools.cache
def numeral_tables() -> NumeralTables:
    data = load_toml("zh", "numerals.toml")
    where = "zh/numerals.toml"
    check_keys(
        where,
        data,
        {"digits", "financial_digits", "units", "financial_units", "myriads", "decimal_point", "fractions", "ratios"},
        {"example", "digit_lookalikes", "doublings"},
    )
    digits = _char_table(f"{where} [digits]", data["digits"], key_is="value")
    if sorted(set(digits.values())) != list(range(10)):
        raise DataFileError(f"{where} [digits]: every digit 0-9 needs a form")
    check_keys(f"{where} [decimal_point]", data["decimal_point"], {"forms"})
    points = data["decimal_point"]["forms"]
    if not isinstance(points, list) or not all(isinstance(p, str) and len(p) == 1 for p in points):
        raise DataFileError(f"{where} [decimal_point] forms: expected a list of single characters")
    fractions = data["fractions"]
    check_keys(f"{where} [fractions]", fractions, set(), set(fractions))
    if not all(isinstance(unit, str) and unit for unit in fractions.values()):
        raise DataFileError(f"{where} [fractions]: each prefix needs a unit (a string)")
    ratios: dict[str, tuple[str, Decimal]] = {}
    check_keys(f"{where} [ratios]", data["ratios"], set(), set(data["ratios"]))
    for name, entry in data["ratios"].items():
        check_keys(f"{where} [ratios] {name}", entry, {"unit", "factor"})
        if not isinstance(entry["unit"], str) or not isinstance(entry["factor"], int | float):
            raise DataFileError(f"{where} [ratios] {name}: unit is a string, factor a number")
        ratios[name] = (entry["unit"], Decimal(str(entry["factor"])))
    doublings = data.get("doublings", {})
    check_keys(f"{where} [doublings]", doublings, set(), set(doublings))
    if not all(isinstance(unit, str) and unit for unit in doublings.values()):
        raise DataFileError(f"{where} [doublings]: each unit needs the unit it doubles into (a string)")
    examples = []
    for number, entry in enumerate(data.get("example", []), 1):
        spot = f"{where} [[example]] #{number}"
        check_keys(spot, entry, {"text"}, {"value", "error"})
        if ("value" in entry) == bool(entry.get("error")):
            raise DataFileError(f"{spot}: give either value (a string) or error = true")
        value = entry.get("value")
        if value is not None and not isinstance(value, str):
            raise DataFileError(f"{spot}: value must be a string, so that it is exact")
        examples.append(NumeralExample(entry["text"], Decimal(value) if value is not None else None))
    return NumeralTables(
        digits=digits,
        financial_digits=_char_table(f"{where} [financial_digits]", data["financial_digits"], key_is="value"),
        units=_char_table(f"{where} [units]", data["units"], key_is="value"),
        financial_units=_char_table(f"{where} [financial_units]", data["financial_units"], key_is="value"),
        myriads=_char_table(f"{where} [myriads]", data["myriads"], key_is="power of ten"),
        lookalikes=_char_table(f"{where} [digit_lookalikes]", data.get("digit_lookalikes", {}), key_is="value"),
        decimal_points=frozenset(points),
        fractions=dict(fractions),
        ratios=ratios,
        examples=tuple(examples),
        doublings=dict(doublings),
    )


def _char_class(chars: Iterable[str]) -> str:
    return char_class("".join(sorted(set(chars))))


def pattern_fragments() -> dict[str, str]:
    """Regex fragments generated from the tables, for the rule packs' patterns."""
    tables = numeral_tables()
    nonzero = [char for char, value in tables.digits.items() if value]
    return {
        "ChineseDigit": _char_class(tables.digits),
        "ChineseNonZeroDigit": _char_class(nonzero),
        "ChineseZero": _char_class(char for char, value in tables.digits.items() if value == 0),
        "ChineseUnit": _char_class(tables.units),
        "ChineseMyriad": _char_class(tables.myriads),
        "ChineseNumeral": _char_class([*tables.digits, *tables.units, *tables.myriads]),
        "FinancialDigit": _char_class(tables.financial_digits),
        "FinancialUnit": _char_class(tables.financial_units),
        "FinancialNumeral": _char_class([*tables.financial_digits, *tables.financial_units, *tables.myriads]),
        "DecimalPoint": _char_class(tables.decimal_points),
        "FractionPrefix": "|".join(regex.escape(p) for p in sorted(tables.fractions, key=lambda p: (-len(p), p))),
        "ChineseMultiplier": _char_class([*tables.all_units, *tables.myriads]),
        "OrdinalNumeral": _char_class(tables.ordinal_forms),
        "DateNumeral": _char_class([*tables.digits, *tables.lookalikes, *_forms_of(tables.units, 10)]),
    }


def _forms_of(table: dict[str, int], value: int) -> list[str]:
    return [char for char, number in table.items() if number == value]


@dataclass(frozen=True)
class NumeralPatterns:
    """The tables as compiled patterns, for code that looks at the shape of a written number."""

    multiplier: regex.Pattern[str]  # 十 百 千 万 亿 and their financial and traditional forms
    myriad: regex.Pattern[str]
    trailing_multiplier: regex.Pattern[str]
    trailing_myriad: regex.Pattern[str]
    decimal_point: regex.Pattern[str]


@functools.cache
def numeral_patterns() -> NumeralPatterns:
    fragments = pattern_fragments()
    return NumeralPatterns(
        multiplier=regex.compile(fragments["ChineseMultiplier"]),
        myriad=regex.compile(fragments["ChineseMyriad"]),
        trailing_multiplier=regex.compile(fragments["ChineseMultiplier"] + "+$"),
        trailing_myriad=regex.compile(fragments["ChineseMyriad"] + "+$"),
        decimal_point=regex.compile(fragments["DecimalPoint"]),
    )


# Tokens of a written number.
_DIGIT, _ZERO, _ARABIC_TOKEN, _UNIT, _MYRIAD, _POINT = "digit", "zero", "arabic", "unit", "myriad", "point"


def _tokens(text: str, tables: NumeralTables) -> Iterator[tuple[str, object]]:
    position = 0
    while position < len(text):
        char = text[position]
        if char.isdigit():
            match = _ARABIC.match(text, position)
            if match is None:  # pragma: no cover - \d always starts a match
                raise NumberError(f"not a number: {text!r}")
            yield _ARABIC_TOKEN, _exact(match.group().replace(",", ""), text)
            position = match.end()
            continue
        if char in tables.zeros:
            yield _ZERO, 0
        elif char in tables.all_digits:
            yield _DIGIT, tables.all_digits[char]
        elif char in tables.all_units:
            yield _UNIT, tables.all_units[char]
        elif char in tables.myriads:
            yield _MYRIAD, tables.myriads[char]
        elif char in tables.decimal_points:
            end = position + 1
            while end < len(text) and text[end] in tables.all_digits:
                end += 1
            if end == position + 1:
                raise NumberError(f"no digits after the decimal point: {text!r}")
            yield _POINT, "".join(str(tables.all_digits[c]) for c in text[position + 1 : end])
            position = end
            continue
        else:
            raise NumberError(f"not a numeral: {text!r}")
        position += 1


def _exact(digits: str, text: str) -> Decimal:
    try:
        value = _EXACT.create_decimal(digits)
    except decimal.DecimalException as error:
        raise NumberError(f"not a number: {text!r}") from error
    if not value.is_finite():
        raise NumberError(f"not a finite number: {text!r}")
    return value


def read_number(text: str) -> Decimal:
    """The exact value of a written number: Arabic (1,234.5), Chinese (一千二百零五, 三十六点七,
    十二亿三千四百万, 二〇二一, 壹佰贰拾) or mixed (1亿2千万, 2万5千, 157.83万).

    Raises :class:`NumberError` for what cannot be read without guessing: digit runs without a
    zero (一二三 is an enumeration), neighbouring digits (三五万 is a range), units out of order,
    written digits after a unit (2万5)."""
    tables = numeral_tables()
    tokens = list(_tokens(text.strip(), tables))
    if not tokens:
        raise NumberError("empty numeral")
    kinds = {kind for kind, _ in tokens}
    if kinds <= {_DIGIT, _ZERO} and len(tokens) > 1:
        # Digit-by-digit form (二〇二一 -> 2021) always has a zero digit in practice.
        if _ZERO not in kinds:
            raise NumberError(f"digit run without a zero is not a number: {text!r}")
        return _exact("".join(str(value) for _, value in tokens), text)
    with decimal.localcontext(_EXACT):
        try:
            return _evaluate(tokens, text)
        except decimal.DecimalException as error:  # pragma: no cover - exact context, defensive
            raise NumberError(f"cannot compute {text!r} exactly") from error


def _evaluate(tokens: list[tuple[str, object]], text: str) -> Decimal:
    total = Decimal(0)
    section = Decimal(0)  # the current group below the next myriad
    pending: Decimal | None = None  # a coefficient waiting for its unit
    in_digits = False  # the pending coefficient is written in Arabic digits
    last_small: int | None = None  # the last unit inside the current group
    last_unit = 0  # the last unit of any kind, for the spoken short form 一百五
    after_zero = False
    scale: int | None = None  # power of ten of the last myriad applied
    decimal_done = False
    started = False
    stacked = False  # nothing since the last myriad: another one multiplies (万亿, 万万)
    for kind, value in tokens:
        stacked_before, stacked = stacked, False
        if decimal_done and kind != _MYRIAD:
            raise NumberError(f"only a myriad may follow a decimal: {text!r}")
        if kind in (_DIGIT, _ARABIC_TOKEN):
            if pending is not None:
                raise NumberError(f"two numbers side by side (a range?): {text!r}")
            pending = Decimal(value) if kind == _DIGIT else value  # type: ignore[assignment]
            in_digits = kind == _ARABIC_TOKEN
        elif kind == _ZERO:
            if pending is not None:
                raise NumberError(f"a zero after a digit: {text!r}")
            after_zero = True
        elif kind == _UNIT:
            unit = int(value)  # type: ignore[call-overload]
            if last_small is not None and unit >= last_small:
                raise NumberError(f"units out of order: {text!r}")
            if pending is None:
                if started and not (unit == 10 and (after_zero or last_small is not None)):
                    raise NumberError(f"a unit without a number: {text!r}")
                pending = Decimal(1)  # 十二, 百分之百, 二千零十六, 一百十八
            section += pending * unit
            last_small, last_unit, pending, after_zero = unit, unit, None, False
        elif kind == _MYRIAD:
            power = int(value)  # type: ignore[call-overload]
            group = section + _close_group(pending, in_digits, last_small, last_small or 0, after_zero, text)
            if scale is None:
                if not started:
                    group = Decimal(1)  # 万 alone
                elif group == 0:
                    raise NumberError(f"a myriad without a number: {text!r}")
                total, scale = (total + group).scaleb(power), power
            elif power > scale or (stacked_before and group == 0):
                total, scale = (total + group).scaleb(power), scale + power  # 万亿, 一万二千亿, 六万万
            elif group != 0:
                total, scale = total + group.scaleb(power), power  # 1亿2千万
            else:
                raise NumberError(f"myriads out of order: {text!r}")
            section, pending, last_small, after_zero = Decimal(0), None, None, False
            last_unit = 10**power
            stacked = True
            started = True
            continue
        else:  # a decimal point with its digits
            if not started or (pending is not None and in_digits) or scale is not None:
                raise NumberError(f"not a decimal: {text!r}")
            if pending is not None and last_small not in (None, 10) and not after_zero:
                raise NumberError(f"a digit after a unit before the decimal point (一百五点五): {text!r}")
            total = total + section + (pending or 0) + Decimal(f"0.{value}")
            section, pending, last_small, after_zero, decimal_done = Decimal(0), None, None, False, True
            scale = 0
        started = True
    return total + section + _close_group(pending, in_digits, last_small, last_unit, after_zero, text)


def _close_group(
    pending: Decimal | None, in_digits: bool, last_small: int | None, last_unit: int, after_zero: bool, text: str
) -> Decimal:
    """The value a trailing coefficient adds: 五 in 二十五 is 5, in 一百五 (spoken 一百五十) 50."""
    if pending is None:
        return Decimal(0)
    if last_unit == 0 or after_zero or last_unit == 10:
        return pending
    if in_digits:
        raise NumberError(f"written digits after a unit (2万5) are not read: {text!r}")
    return pending * (last_unit // 10)


def multiplier_value(multiplier: str) -> Decimal:
    """'万' -> 10000, '万亿' -> 10**12, '千万' -> 10**7; '' -> 1."""
    if not multiplier:
        return Decimal(1)
    tables = numeral_tables()
    value = Decimal(1)
    for char in multiplier:
        if char in tables.myriads:
            value = value.scaleb(tables.myriads[char])
        elif char in tables.all_units:
            value *= tables.all_units[char]
        else:
            raise NumberError(f"not a multiplier: {multiplier!r}")
    return value


def parse_arabic(text: str) -> Decimal:
    """'1,234.5' -> 1234.5; surrounding spaces and thousands separators are ignored."""
    cleaned = text.strip()
    if not _ARABIC.fullmatch(cleaned):
        raise NumberError(f"not a number: {text!r}")
    return _exact(cleaned.replace(",", ""), text)


def parse_number(digits: str, multiplier: str = "") -> Decimal:
    """A number as written (Arabic, Chinese or mixed) times its multiplier, without exponent."""
    text = digits.strip()
    base = read_number(text) if text else Decimal(1)
    with decimal.localcontext(_EXACT):
        return normalize_decimal(base * multiplier_value(multiplier))


def product(*factors: Decimal) -> Decimal:
    """The exact product of ``factors``, normalised (the default context would round at 28 digits)."""
    with decimal.localcontext(_EXACT):
        result = Decimal(1)
        for factor in factors:
            result *= factor
        return normalize_decimal(result)


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without scientific notation: 1578300.00 -> 1578300."""
    with decimal.localcontext(_EXACT):
        normalized = value.normalize()
        if normalized == normalized.to_integral_value():
            return normalized.quantize(Decimal(1))
        return normalized


def ratio_value(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A ratio unit in the unit it is a share of: 3 成 -> 30 %; other units unchanged.
    More than the whole (千成 in 成千成万) is not a ratio: NumberError."""
    tables = numeral_tables()
    doubled = tables.doublings.get(unit)
    if doubled is not None:  # 翻两番: doubled twice, 4 倍
        if value != value.to_integral_value() or not 1 <= value <= 10:
            raise NumberError(f"{value}{unit} is not a number of doublings")
        return Decimal(2 ** int(value)), doubled
    ratio = tables.ratios.get(unit)
    if ratio is None:
        return value, unit
    target, factor = ratio
    if not 0 <= value <= factor:
        raise NumberError(f"{value}{unit} is more than the whole")
    return product(value, factor), target


def fraction_unit(prefix: str) -> str:
    """百分之 -> %, 千分之 -> ‰ (the unit of a number written after a fraction prefix)."""
    return numeral_tables().fractions.get(prefix, "%")


def fits_float(value: Decimal) -> bool:
    """True when a float column holds ``value`` exactly as written (it prints back the same)."""
    try:
        return Decimal(repr(float(value))) == value
    except (OverflowError, ValueError, decimal.DecimalException):
        return False


def format_chinese(value: int) -> str:
    """A non-negative integer in Chinese numerals (round-trip tests and display): 10005 -> 一万零五."""
    if not 0 <= value < 10**16:
        raise NumberError("only 0 <= value < 10**16 is spelled")
    forms = numeral_tables().spelling
    zero = forms[0]
    if value == 0:
        return zero

    def below_10000(number: int) -> str:
        out = ""
        gap = False
        for unit_value in (1000, 100, 10, 1):
            digit = number // unit_value % 10
            if digit:
                if gap:
                    out += zero
                    gap = False
                out += forms[digit] + (forms[unit_value] if unit_value > 1 else "")
            elif out:
                gap = True
        return out

    def spell(number: int) -> str:
        if number >= 10**8:
            high, low = divmod(number, 10**8)
            text = spell(high) + forms["8"]
            if low:
                text += (zero if low < 10**7 else "") + spell(low)
            return text
        high, low = divmod(number, 10**4)
        if not high:
            return below_10000(low)
        text = below_10000(high) + forms["4"]
        if low:
            text += (zero if low < 1000 else "") + below_10000(low)
        return text

    result = spell(value)
    if result.startswith(forms[1] + forms[10]):  # 一十二 is said 十二
        result = result[1:]
    return result


def format_chinese_decimal(value: Decimal) -> str:
    """A non-negative Decimal in Chinese numerals: 36.7 -> 三十六点七."""
    sign, digits, exponent = value.normalize().as_tuple()
    if sign:
        raise NumberError("only non-negative values are spelled")
    if not isinstance(exponent, int) or exponent >= 0:
        return format_chinese(int(value))
    whole = int(value)
    fraction = "".join(str(d) for d in digits[exponent:]).rjust(-exponent, "0")
    forms = numeral_tables().spelling
    return format_chinese(whole) + forms["."] + "".join(forms[int(d)] for d in fraction)


# Outline numbers: 一、 (二) 1. ① — small numbers read with the same digit table.
_CIRCLED = {chr(0x3220 + i): i + 1 for i in range(10)} | {chr(0x2460 + i): i + 1 for i in range(20)}


def small_chinese_number(text: str) -> int | None:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23; None for anything else (outline numbers)."""
    digits = numeral_tables().digits
    if not text:
        return None
    if "十" not in text:
        return digits.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    high = digits.get(tens) if tens else 1
    low = digits.get(units) if units else 0
    if high is None or low is None or len(units) > 1:
        return None
    return high * 10 + low


def read_digits(text: str) -> int | None:
    """A number written digit by digit, as years are (二〇二一, 一九九九, 二O二一); None when a
    character is not a digit (or a digit's lookalike)."""
    tables = numeral_tables()
    value = 0
    for char in text:
        digit = tables.digits.get(char, tables.lookalikes.get(char))
        if digit is None:
            return None
        value = value * 10 + digit
    return value if text else None


def outline_number(text: str, numeral: str) -> int | None:
    """The value of an outline heading number written in ``numeral`` style."""
    if numeral == "chinese":
        return small_chinese_number(text)
    if numeral == "arabic":
        return int(text) if text.isdigit() else None
    if numeral == "circled":
        return _CIRCLED.get(text)
    return None
