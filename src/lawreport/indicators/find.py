"""Every quantity in a normalised report as an indicator record: the candidate loop.

Find, then resolve (as in Recognizers-Text): the rule set's master patterns find candidate
spans; reject rules and idioms drop dates, codes, names and slogans; the number grammar
(:mod:`lawreport.zh.numerals`) resolves exact values; qualifiers, unit, subject, target flag and
the standard indicator name come from the rule packs. Every record keeps its span, sentence
and rule, so an auditor can check any number against the report. The scans are
:mod:`lawreport.indicators.scan`, the values :mod:`lawreport.indicators.values`.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import regex

from lawreport.budget import UNLIMITED, Budget
from lawreport.indicators.meaning import resolve_meaning
from lawreport.indicators.rulepack import RuleSet, load_ruleset
from lawreport.indicators.scan import (
    BACKTRACKS,
    STAGE,
    blocked_spans,
    candidates,
    reject_windows,
    sentence_bounds,
    timing_out,
)
from lawreport.indicators.subjects import find_subject
from lawreport.indicators.subjects import warm_up as warm_up_subjects
from lawreport.indicators.values import (
    accept_chinese,
    in_ratio_unit,
    is_share,
    number_span,
    qualifier,
    resolve_value,
)
from lawreport.kinds import REPEAT, ResultCues, default_kind
from lawreport.patterns import char_class
from lawreport.records import Indicator, Outline
from lawreport.zh.numerals import NumberError, fits_float, fraction_unit
from lawreport.zh.punctuation import punctuation

_LEFT_CONTEXT = 40
_TARGET_WINDOW = 30
# A sentence longer than this is stored as a window of WINDOW characters either side of the
# number (with its offsets): a text without sentence ends must not put itself in every row.
SENTENCE_MAX = 500
SENTENCE_WINDOW = 200
# A report holds hundreds of numbers; a text with more than this many candidates is read only
# up to there (with a warning), so rows, and memory, per document stay bounded.
MAX_NUMBERS = 20_000


@functools.cache
def _clause_break() -> regex.Pattern[str]:
    return regex.compile(char_class(punctuation().clause_break + "\n"))


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
    estimate_parts: frozenset[str] = frozenset(),
    estimate_cue: regex.Pattern[str] | None = None,
    results: ResultCues | None = None,
    report_year: int | None = None,
) -> Found:
    """:func:`extract_indicators`, saying whether the text held more than MAX_NUMBERS candidate
    numbers (only the first MAX_NUMBERS are read: memory per document stays bounded).
    Numbers in a part labelled one of ``target_parts`` (default: the report kind's, such as
    plans) are targets; in a part labelled one of ``estimate_parts`` (a work report's review) a
    number after 预计 is an estimate, not a target; in a target part, a number whose sentence
    reports a result (``results``, read with the report's ``report_year``) is no target
    unless a target cue (力争…) stands right before it."""
    rules = rules or load_ruleset()
    target_parts = default_kind().target_parts if target_parts is None else target_parts
    found: list[Indicator] = []
    found_candidates = list(itertools.islice(candidates(text, rules, budget), MAX_NUMBERS + 1))
    stopped_at = None
    if len(found_candidates) > MAX_NUMBERS:
        stopped_at = found_candidates.pop()[1].start()
    if not found_candidates:
        return Found(found, stopped_at)
    bounds = sentence_bounds(text, [match.start() for _, match in found_candidates], budget)
    blocked = blocked_spans(text, rules, reject_windows(found_candidates, bounds, len(text)), budget)
    section_at = outline.section_finder() if outline is not None else None
    for (rule_id, match), (sentence_start, sentence_end) in zip(found_candidates, bounds, strict=True):
        budget.check(STAGE)
        groups = match.groupdict()
        written_unit = groups.get("unit") or ""
        canonical, kind = rules.units.get(written_unit, (written_unit, ""))
        if groups.get("pct_num"):
            canonical, kind = fraction_unit(groups.get("frac") or ""), "percent"
        elif is_share(groups):
            canonical, kind = "%", "percent"
        if rule_id == "bare_multiplier" and not (groups.get("prefix") or groups.get("mid") or groups.get("suffix")):
            continue
        if not accept_chinese(groups, canonical, rules):
            continue
        number_start, number_end = number_span(match, groups)
        if blocked.overlaps(number_start, number_end):
            continue
        try:
            value, low, high = resolve_value(groups)
            value, low, high, unit = in_ratio_unit(value, low, high, canonical)
        except NumberError:
            continue  # a form the grammar cannot read without guessing: no row rather than a wrong one
        problem = ""
        if not all(fits_float(number) for number in (value, low, high) if number is not None):
            problem = "value too large or too precise for a float column (see text)"
            value = low = high = None
        section = section_at(match.start()) if section_at is not None else None
        label = section.label if section is not None else None
        if label == REPEAT:
            continue  # a second copy of the report: its first copy's numbers stand for it
        before = _clause_before(text, max(sentence_start, match.start() - _LEFT_CONTEXT), match.start())
        cue_from = max(sentence_start, match.start() - _TARGET_WINDOW)
        is_estimate = (
            estimate_cue is not None
            and label in estimate_parts
            and estimate_cue.search(text, cue_from, match.start()) is not None
        )
        is_target = not is_estimate and (
            (
                label in target_parts
                and not _reports_result(text, sentence_start, match.start(), before, results, report_year)
            )
            or _has_target_cue(text, cue_from, match.start(), rules, budget)
        )
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
                qualifier=qualifier(groups, rules),
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
                is_estimate=is_estimate,
            )
        )

    def relabel(clause: str, subject: str, unit: str) -> tuple[str, str]:
        return _standard_indicator(clause, subject, unit, rules, budget)

    return Found(resolve_meaning(text, found, relabel), stopped_at)


PARAGRAPH_OPENING = 16  # characters of a paragraph's opening read for result openings (五年来)


def _reports_result(
    text: str, sentence_start: int, start: int, clause: str, results: ResultCues | None, report_year: int | None
) -> bool:
    if results is None:
        return False
    paragraph_start = text.rfind("\n", 0, start) + 1
    return results.reports_result(
        text[paragraph_start : paragraph_start + PARAGRAPH_OPENING], text[sentence_start:start], clause, report_year
    )


def _has_target_cue(text: str, start: int, end: int, rules: RuleSet, budget: Budget) -> bool:
    if rules.target is None:
        return False
    with timing_out(f"the target cues ({', '.join(rules.target_sources)})", rules, BACKTRACKS, budget):
        return rules.target.search(text, start, end, timeout=budget.timeout(rules.timeout, STAGE)) is not None


def _clause_before(text: str, window_start: int, start: int) -> str:
    """The words of the number's own clause that come before it."""
    window = text[window_start:start]
    breaks = list(_clause_break().finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def _standard_indicator(before: str, subject: str, unit: str, rules: RuleSet, budget: Budget) -> tuple[str, str]:
    def found(pattern: regex.Pattern[str]) -> bool:
        return bool(
            pattern.search(before, timeout=budget.timeout(rules.timeout, STAGE))
            or pattern.search(subject, timeout=budget.timeout(rules.timeout, STAGE))
        )

    any_rule = rules.any_indicator_for_unit(unit)
    with timing_out(f"the indicator rules for unit {unit!r}", rules, BACKTRACKS, budget):
        if any_rule is not None and not found(any_rule):
            return "", ""  # one search rules out every rule for this unit
    for rule, pattern in rules.indicators_for_unit(unit):
        with timing_out(f"indicator rule {rule.id!r} ({rule.source})", rules, BACKTRACKS, budget):
            if found(pattern):
                return rule.id, rule.name
    return "", ""


def warm_up() -> None:
    """Load the subject lexicon and the segmenter now (before workers fork)."""
    warm_up_subjects()
