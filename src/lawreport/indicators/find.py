"""Find every quantity in a normalised report and resolve it into an indicator record.

Find, then resolve (as in Recognizers-Text): the rule set's master patterns find candidate
spans; reject rules and idioms drop dates, codes, names and slogans; the number grammar
(:mod:`lawreport.zh.numerals`) resolves exact values; qualifiers, unit, subject, target flag and
the standard indicator name come from the rule packs. Every record keeps its span, sentence
and rule, so an auditor can check any number against the report.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import regex

from lawreport.budget import UNLIMITED, Budget
from lawreport.errors import LawreportError
from lawreport.indicators.rulepack import RuleSet, load_ruleset
from lawreport.indicators.subjects import find_subject
from lawreport.indicators.subjects import warm_up as warm_up_subjects
from lawreport.kinds import default_kind
from lawreport.patterns import char_class
from lawreport.records import Indicator, Outline
from lawreport.zh.numerals import (
    NumberError,
    fits_float,
    fraction_unit,
    multiplier_value,
    numeral_patterns,
    parse_number,
    product,
    ratio_value,
)
from lawreport.zh.punctuation import punctuation

_LEFT_CONTEXT = 40
_TARGET_WINDOW = 30
# Reject rules see the sentence of each candidate and this many characters either side
# (quotations and titles may run across a sentence end).
REJECT_MARGIN = 40
# A sentence longer than this is stored as a window of WINDOW characters either side of the
# number (with its offsets): a text without sentence ends must not put itself in every row.
SENTENCE_MAX = 500
SENTENCE_WINDOW = 200
# A report holds hundreds of numbers; a text with more than this many candidates is read only
# up to there (with a warning), so rows, and memory, per document stay bounded.
MAX_NUMBERS = 20_000
_STAGE = "indicators"


class RuleTimeoutError(LawreportError):
    """A rule's regular expression took too long on a document (catastrophic backtracking)."""

    error_type = "RuleTimeout"


@contextlib.contextmanager
def _timing_out(what: str, rules: RuleSet, hint: str, budget: Budget) -> Iterator[None]:
    """A regex timeout becomes a file error naming the rule (or the spent time budget)."""
    try:
        yield
    except TimeoutError as error:
        if budget.expired:
            raise budget.exceeded(f"{_STAGE}: {what}") from error
        raise RuleTimeoutError(f"{what} timed out after {rules.timeout}s", hint=hint) from error


_BACKTRACKS = "Its pattern backtracks catastrophically; simplify it."


@functools.cache
def _sentence_end() -> regex.Pattern[str]:
    """A sentence end; in a normalised text every line is a paragraph, so a line break too."""
    return regex.compile(char_class(punctuation().sentence_end + "\n"))


@functools.cache
def _clause_break() -> regex.Pattern[str]:
    return regex.compile(char_class(punctuation().clause_break + "\n"))


def _sentence_bounds(text: str, positions: list[int], budget: Budget) -> list[tuple[int, int]]:
    """The sentence around each of ``positions`` (ascending), walking the sentence ends once
    and only as far as the last position: no list of every sentence end of the text."""
    ends = _sentence_end().finditer(text)
    previous, following = 0, -1
    bounds = []
    for count, position in enumerate(positions):
        if count % 1000 == 0:
            budget.check(_STAGE)
        while following != len(text) and following <= position:
            if following >= 0:
                previous = following
            end = next(ends, None)
            following = end.end() if end is not None else len(text)
        bounds.append((previous, following))
    return bounds


def stored_sentence(text: str, start: int, end: int, number_start: int, number_end: int) -> tuple[int, int]:
    """Offsets of the sentence stored with a number: the sentence without surrounding white
    space, or a window of SENTENCE_WINDOW characters either side of the number when longer
    than SENTENCE_MAX."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > SENTENCE_MAX:
        start = max(start, number_start - SENTENCE_WINDOW)
        end = min(end, number_end + SENTENCE_WINDOW)
    return start, end


def _blocked_spans(text: str, rules: RuleSet, windows: list[tuple[int, int]], budget: Budget) -> _Spans:
    """Where reject rules and idioms claim the text, as merged spans, looked for only in
    ``windows`` (the sentences that hold a candidate, with a margin): most of a report is
    prose without numbers, and a reject that claims no candidate changes nothing."""
    spans: list[tuple[int, int]] = []
    patterns = [(f"reject rule {rule.name!r} ({rule.source})", pattern) for rule, pattern in rules.rejects]
    if rules.idioms is not None:
        patterns.append((f"the idioms ({', '.join(rules.idiom_sources)})", rules.idioms))
    for name, pattern in patterns:
        with _timing_out(name, rules, _BACKTRACKS, budget):
            for start, end in windows:
                timeout = budget.timeout(rules.timeout, _STAGE)
                spans.extend(match.span() for match in pattern.finditer(text, start, end, timeout=timeout))
    return _Spans(spans)


def _reject_windows(
    candidates: list[tuple[str, regex.Match[str]]], bounds: list[tuple[int, int]], length: int
) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for (_, match), (sentence_start, sentence_end) in zip(candidates, bounds, strict=True):
        start, end = max(0, sentence_start - REJECT_MARGIN), min(length, max(sentence_end, match.end()) + REJECT_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


class _Spans:
    """Sorted, merged half-open spans with an overlap test."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(span for span in spans if span[1] > span[0]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start) - 1
        if index >= 0 and self.ends[index] > start:
            return True
        following = index + 1
        return following < len(self.starts) and self.starts[following] < end


def _qualifier(groups: dict[str, str | None], rules: RuleSet) -> str:
    found = []
    for group, position in (("prefix", "prefix"), ("mid", "middle"), ("mid2", "middle"), ("suffix", "suffix")):
        word = groups.get(group)
        if word:
            found.append(rules.qualifiers[position].get(word, "exact"))
    specific = [qualifier for qualifier in found if qualifier != "exact"]
    return specific[0] if specific else "exact"


def _number_span(match: regex.Match[str], groups: dict[str, str | None]) -> tuple[int, int]:
    spans = [match.span(name) for name in ("num", "num2", "pct_num", "mult", "mult2") if groups.get(name)]
    return min(s for s, _ in spans), max(e for _, e in spans)


def _candidates(text: str, rules: RuleSet, budget: Budget) -> Iterator[tuple[str, regex.Match[str]]]:
    """Non-overlapping candidate spans from both master patterns, in text order (lazily: a
    text of a million numbers is never held as a million matches)."""

    def left() -> float | None:
        return budget.timeout(rules.timeout, _STAGE)

    with _timing_out(f"the quantity grammar of {rules.version}", rules, rules.grammar_hint, budget):
        quantities = (("quantity", m) for m in _within_lines(rules.quantity, text, left))
        bare = (("bare_multiplier", m) for m in _within_lines(rules.bare, text, left))
        last_end = -1
        for rule_id, match in heapq.merge(quantities, bare, key=lambda item: (item[1].start(), -item[1].end())):
            if match.start() >= last_end and match.end() > match.start():
                last_end = match.end()
                yield rule_id, match


def _within_lines(
    pattern: regex.Pattern[str], text: str, timeout: Callable[[], float | None]
) -> Iterator[regex.Match[str]]:
    """Matches of ``pattern`` that do not span a line break ("附件2\n名词解释" is no "2名"), lazily:
    where one does, the lines it touches are searched again one at a time and the scan resumes
    after them. ``timeout`` gives the time left for each regex call."""
    pos, last_end = 0, 0
    while pos <= len(text):
        for match in pattern.finditer(text, pos, timeout=timeout()):
            start, end = match.span()
            if text.find("\n", start, end) < 0:
                last_end = end
                yield match
                continue
            line_start = max(text.rfind("\n", 0, start) + 1, last_end)
            region_end = text.find("\n", max(start, end - 1))
            region_end = len(text) if region_end < 0 else region_end
            while line_start <= region_end:
                line_end = text.find("\n", line_start, region_end)
                line_end = region_end if line_end < 0 else line_end
                for part in pattern.finditer(text, line_start, line_end, timeout=timeout()):
                    last_end = part.end()
                    yield part
                line_start = line_end + 1
            pos = region_end + 1
            break
        else:
            return


def _resolve_value(groups: dict[str, str | None]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(value, low, high) of a match; raises NumberError for what the grammar cannot read."""
    if groups.get("pct_num"):
        return parse_number(groups["pct_num"]), None, None
    mult, scale = groups.get("mult") or "", multiplier_value(groups.get("mult2") or "")
    if groups.get("num") is None:  # bare multiplier: 超万篇
        return parse_number("", mult), None, None
    if groups.get("num2"):
        high = parse_number(groups["num2"], groups.get("mult2") or "")
        low = _range_low(groups["num"], mult, groups["num2"], high)
        return None, product(low, scale), high
    return product(parse_number(groups["num"], mult), scale), None, None


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


def _accept_chinese(groups: dict[str, str | None], canonical_unit: str, rules: RuleSet) -> bool:
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


def extract_indicators(
    text: str,
    outline: Outline | None = None,
    rules: RuleSet | None = None,
    *,
    budget: Budget = UNLIMITED,
) -> list[Indicator]:
    """Every indicator in a normalised report, in text order (the first MAX_NUMBERS candidate
    numbers). Every regex runs with a timeout of at most ``rules.timeout`` and of what is left
    of ``budget``."""
    return find_indicators(text, outline, rules, budget=budget).indicators


@dataclass(frozen=True)
class Found:
    """The indicators of a text, and where reading stopped when it held too many numbers."""

    indicators: list[Indicator]
    stopped_at: int | None = None  # offset of the first number not read (MAX_NUMBERS reached)


def find_indicators(
    text: str,
    outline: Outline | None = None,
    rules: RuleSet | None = None,
    *,
    budget: Budget = UNLIMITED,
    target_parts: frozenset[str] | None = None,
) -> Found:
    """:func:`extract_indicators`, saying whether the text held more than MAX_NUMBERS candidate
    numbers (only the first MAX_NUMBERS are read: memory per document stays bounded).
    Numbers in a part labelled one of ``target_parts`` (default: the report kind's, such as
    plans) are targets."""
    rules = rules or load_ruleset()
    target_parts = default_kind().target_parts if target_parts is None else target_parts
    found: list[Indicator] = []
    candidates = list(itertools.islice(_candidates(text, rules, budget), MAX_NUMBERS + 1))
    stopped_at = None
    if len(candidates) > MAX_NUMBERS:
        stopped_at = candidates.pop()[1].start()
    if not candidates:
        return Found(found, stopped_at)
    bounds = _sentence_bounds(text, [match.start() for _, match in candidates], budget)
    blocked = _blocked_spans(text, rules, _reject_windows(candidates, bounds, len(text)), budget)
    section_at = outline.section_finder() if outline is not None else None
    for (rule_id, match), (sentence_start, sentence_end) in zip(candidates, bounds, strict=True):
        budget.check(_STAGE)
        groups = match.groupdict()
        written_unit = groups.get("unit") or ""
        canonical, kind = rules.units.get(written_unit, (written_unit, ""))
        if groups.get("pct_num"):
            canonical, kind = fraction_unit(groups.get("frac") or ""), "percent"
        if rule_id == "bare_multiplier" and not (groups.get("prefix") or groups.get("mid") or groups.get("suffix")):
            continue
        if not _accept_chinese(groups, canonical, rules):
            continue
        number_start, number_end = _number_span(match, groups)
        if blocked.overlaps(number_start, number_end):
            continue
        try:
            value, low, high = _resolve_value(groups)
            value, low, high, unit = _in_ratio_unit(value, low, high, canonical)
        except NumberError:
            continue  # a form the grammar cannot read without guessing: no row rather than a wrong one
        problem = ""
        if not all(fits_float(number) for number in (value, low, high) if number is not None):
            problem = "value too large or too precise for a float column (see text)"
            value = low = high = None
        section = section_at(match.start()) if section_at is not None else None
        label = section.label if section is not None else None
        before = _clause_before(text, max(sentence_start, match.start() - _LEFT_CONTEXT), match.start())
        cue_from = max(sentence_start, match.start() - _TARGET_WINDOW)
        is_target = label in target_parts or _has_target_cue(text, cue_from, match.start(), rules, budget)
        # Words of an earlier quantity in the same sentence are not this one's subject.
        previous_end = found[-1].end if found and found[-1].end > sentence_start else sentence_start
        subject = find_subject(text, match.start(), match.end(), canonical, left_limit=previous_end)
        indicator_id, indicator_name = _standard_indicator(before, subject, canonical, rules, budget)
        stored_start, stored_end = stored_sentence(text, sentence_start, sentence_end, match.start(), match.end())
        found.append(
            Indicator(
                start=match.start(),
                end=match.end(),
                text=match.group(),
                value=value,
                value_low=low,
                value_high=high,
                unit=unit,
                unit_kind=kind,
                qualifier=_qualifier(groups, rules),
                is_target=is_target,
                subject=subject,
                indicator_id=indicator_id,
                indicator=indicator_name,
                sentence=text[stored_start:stored_end],
                rule_id=f"grammar:{rule_id}" + (f"+indicator:{indicator_id}" if indicator_id else ""),
                section_id=section.section_id if section is not None else None,
                section_label=section.label if section is not None else None,
                sentence_start=stored_start,
                sentence_end=stored_end,
                problem=problem,
            )
        )
    return Found(found, stopped_at)


def _in_ratio_unit(
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


def _has_target_cue(text: str, start: int, end: int, rules: RuleSet, budget: Budget) -> bool:
    if rules.target is None:
        return False
    with _timing_out(f"the target cues ({', '.join(rules.target_sources)})", rules, _BACKTRACKS, budget):
        return rules.target.search(text, start, end, timeout=budget.timeout(rules.timeout, _STAGE)) is not None


def _clause_before(text: str, window_start: int, start: int) -> str:
    """The words of the number's own clause that come before it."""
    window = text[window_start:start]
    breaks = list(_clause_break().finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def _standard_indicator(before: str, subject: str, unit: str, rules: RuleSet, budget: Budget) -> tuple[str, str]:
    def found(pattern: regex.Pattern[str]) -> bool:
        return bool(
            pattern.search(before, timeout=budget.timeout(rules.timeout, _STAGE))
            or pattern.search(subject, timeout=budget.timeout(rules.timeout, _STAGE))
        )

    any_rule = rules.any_indicator_for_unit(unit)
    with _timing_out(f"the indicator rules for unit {unit!r}", rules, _BACKTRACKS, budget):
        if any_rule is not None and not found(any_rule):
            return "", ""  # one search rules out every rule for this unit
    for rule, pattern in rules.indicators_for_unit(unit):
        with _timing_out(f"indicator rule {rule.id!r} ({rule.source})", rules, _BACKTRACKS, budget):
            if found(pattern):
                return rule.id, rule.name
    return "", ""


def warm_up() -> None:
    """Load the subject lexicon and the segmenter now (before workers fork)."""
    warm_up_subjects()
