"""Resolve: the value, range, unit and qualifier of a candidate the scans found, with the
number grammar (:mod:`lawreport.zh.numerals`). Raises NumberError for what cannot be read
without guessing (no row rather than a wrong one)."""

from __future__ import annotations

from decimal import Decimal

import regex

from lawreport.indicators.rulepack import RuleSet
from lawreport.zh.numerals import (
    NumberError,
    multiplier_value,
    normalize_decimal,
    numeral_patterns,
    parse_number,
    product,
    ratio_value,
)


def qualifier(groups: dict[str, str | None], rules: RuleSet) -> str:
    found = []
    for group, position in (("prefix", "prefix"), ("mid", "middle"), ("mid2", "middle"), ("suffix", "suffix")):
        word = groups.get(group)
        if word:
            found.append(rules.qualifiers[position].get(word, "exact"))
    specific = [qualifier for qualifier in found if qualifier != "exact"]
    return specific[0] if specific else "exact"


def number_span(match: regex.Match[str], groups: dict[str, str | None]) -> tuple[int, int]:
    names = ("num", "num2", "pct_num", "mult", "mult2", "numer", "den", "half")
    spans = [match.span(name) for name in names if groups.get(name)]
    return min(s for s, _ in spans), max(e for _, e in spans)


def resolve_value(groups: dict[str, str | None]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(value, low, high) of a match; raises NumberError for what the grammar cannot read."""
    if groups.get("pct_num"):
        return parse_number(groups["pct_num"]), None, None
    if groups.get("half"):
        return Decimal(50), None, None
    if groups.get("den"):
        return share(parse_number(groups["numer"] or ""), parse_number(groups["den"])), None, None
    mult, scale = groups.get("mult") or "", multiplier_value(groups.get("mult2") or "")
    if groups.get("num") is None:  # bare multiplier: 超万篇
        return parse_number("", mult), None, None
    if groups.get("num2"):
        high = parse_number(groups["num2"], groups.get("mult2") or "")
        low = _range_low(groups["num"], mult, groups["num2"], high)
        return None, product(low, scale), high
    return product(parse_number(groups["num"], mult), scale), None, None


def is_share(groups: dict[str, str | None]) -> bool:
    """A fraction (1/4, 三分之一, 一半): a share in %."""
    return bool(groups.get("den") or groups.get("half"))


def share(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator/denominator as a percentage to two decimals (1/4 -> 25, 1/3 -> 33.33); a
    fraction of more than the whole, or of nothing, is no share (NumberError)."""
    if not 0 < numerator <= denominator or denominator > 100:
        raise NumberError(f"{numerator}/{denominator} is not a share")
    return normalize_decimal((numerator * 100 / denominator).quantize(Decimal("0.01")))


def _range_low(low_text: str, mult: str, high_text: str, high: Decimal) -> Decimal:
    """The lower end of a range, which shares the upper end's trailing multiplier when it has
    none of its own: 3至5千 is 3000-5000, 3千至5千万 3千万-5千万, but 5至二十 is 5-20."""
    low = parse_number(low_text, mult)
    numerals = numeral_patterns()
    if mult or numerals.myriad.search(low_text):
        return low
    trailing = numerals.trailing_myriad if numerals.multiplier.search(low_text) else numerals.trailing_multiplier
    run = trailing.search(high_text)
    if run is not None and run.start() > 0:
        shared = product(low, multiplier_value(run.group()))
        if shared <= high:
            return shared
    if low > high:
        raise NumberError(f"a range that falls: {low_text} to {high_text}")
    return low


def accept_chinese(groups: dict[str, str | None], canonical_unit: str, rules: RuleSet) -> bool:
    """Chinese numerals are a precision trap: most hits are names and idioms."""
    number = groups.get("num") or ""
    if not number or number[0].isdigit() or groups.get("num2"):
        return True  # Arabic digits, or a range such as 三到五个
    numerals = numeral_patterns()
    if (
        groups.get("mult")
        or groups.get("mult2")
        or numerals.multiplier.search(number)
        or numerals.decimal_point.search(number)
    ):
        return True  # 十, 百, 万 or a decimal (二点一倍) are never a lone small numeral
    return canonical_unit in rules.small_units


def in_ratio_unit(
    value: Decimal | None, low: Decimal | None, high: Decimal | None, unit: str
) -> tuple[Decimal | None, Decimal | None, Decimal | None, str]:
    """三成 is 30 %: values of a ratio unit in the unit it is a share of."""
    converted = unit
    out = []
    for number in (value, low, high):
        if number is None:
            out.append(None)
            continue
        number, converted = ratio_value(number, unit)
        out.append(number)
    return out[0], out[1], out[2], converted
