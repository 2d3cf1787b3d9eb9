"""Find: every regex scan over a document, the part of extraction a compiled core would take over.

:func:`candidates` runs the rule set's two master patterns (Quantity, BareMultiplier) over the
text, never across a line break; :func:`sentence_bounds` finds the sentence of each candidate;
:func:`blocked_spans` runs the reject rules and idioms in the sentences that hold a candidate.
Every call runs with a timeout of at most ``rules.timeout`` and of what is left of the
document's time budget; a timeout becomes a :class:`RuleTimeoutError` naming the rule. The
reject scans (thousands of short window searches per document, where ``regex``'s per-call
timeout costs more than the search) run under a :func:`watchdog` instead, where it is safe.
An engine that gives the same spans (a prefilter, PCRE2, a C or Rust core) replaces these
functions and nothing else; :mod:`lawreport.indicators.find` resolves what they find.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import heapq
import math
import signal
import threading
from collections.abc import Callable, Iterator

import regex

from lawreport.budget import Budget
from lawreport.errors import LawreportError
from lawreport.indicators.rulepack import RuleSet
from lawreport.patterns import char_class
from lawreport.zh.punctuation import punctuation

STAGE = "indicators"
# Reject rules see the sentence of each candidate and this many characters either side
# (quotations and titles may run across a sentence end).
REJECT_MARGIN = 40
CANDIDATE_BATCH = 1000  # candidates found under one arming of the watchdog
BACKTRACKS = "Its pattern backtracks catastrophically; simplify it."


class RuleTimeoutError(LawreportError):
    """A rule's regular expression took too long on a document (catastrophic backtracking)."""

    error_type = "RuleTimeout"


@contextlib.contextmanager
def timing_out(what: str, rules: RuleSet, hint: str, budget: Budget) -> Iterator[None]:
    """A regex timeout becomes a file error naming the rule (or the spent time budget)."""
    try:
        yield
    except TimeoutError as error:
        if budget.expired:
            raise budget.exceeded(f"{STAGE}: {what}") from error
        raise RuleTimeoutError(f"{what} timed out after {rules.timeout}s", hint=hint) from error


def _alarm(_signal: int, _frame: object) -> None:
    raise TimeoutError("watchdog")


@contextlib.contextmanager
def watchdog(seconds: float | None) -> Iterator[bool]:
    """Interrupt the block with :class:`TimeoutError` after ``seconds`` (a SIGALRM timer):
    ``regex`` checks for signals while it matches, so one timer armed per rule and document
    (~1 µs) bounds a loop of thousands of searches that each ``timeout=`` would slow by
    ~1.3 µs (and a long scan by ~25 %). Yields whether it is armed: only in the main thread,
    where signals are delivered, and only when nobody else uses SIGALRM (a handler of the
    program's own, a timer already running); otherwise the caller keeps per-call timeouts
    (Dask worker threads, for one)."""
    if seconds is None or not _watchable():
        yield False
        return
    assert seconds is not None
    signal.signal(signal.SIGALRM, _alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6))
        yield True
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # an alarm due just then is raised here: the handler is put back all the same
            signal.signal(signal.SIGALRM, signal.SIG_DFL)


def _watchable() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


def _left(rules: RuleSet, budget: Budget) -> float | None:
    """What a rule may still run on this document: ``rules.timeout`` capped by the budget."""
    if budget.deadline is math.inf:
        return rules.timeout
    return budget.timeout(rules.timeout, STAGE)


@functools.cache
def _sentence_end() -> regex.Pattern[str]:
    """A sentence end; in a normalised text every line is a paragraph, so a line break too."""
    return regex.compile(char_class(punctuation().sentence_end + "\n"))


def sentence_bounds(text: str, positions: list[int], budget: Budget) -> list[tuple[int, int]]:
    """The sentence around each of ``positions`` (ascending), walking the sentence ends once
    and only as far as the last position: no list of every sentence end of the text."""
    ends = _sentence_end().finditer(text)
    previous, following = 0, -1
    bounds = []
    for count, position in enumerate(positions):
        if count % 1000 == 0:
            budget.check(STAGE)
        while following != len(text) and following <= position:
            if following >= 0:
                previous = following
            end = next(ends, None)
            following = end.end() if end is not None else len(text)
        bounds.append((previous, following))
    return bounds


def blocked_spans(text: str, rules: RuleSet, windows: list[tuple[int, int]], budget: Budget) -> Spans:
    """Where reject rules and idioms claim the text, as merged spans, looked for only in
    ``windows`` (the sentences that hold a candidate, with a margin): most of a report is
    prose without numbers, and a reject that claims no candidate changes nothing."""
    spans: list[tuple[int, int]] = []
    patterns = [(f"reject rule {rule.name!r} ({rule.source})", pattern) for rule, pattern in rules.rejects]
    if rules.idioms is not None:
        patterns.append((f"the idioms ({', '.join(rules.idiom_sources)})", rules.idioms))
    for name, pattern in patterns:
        with timing_out(name, rules, BACKTRACKS, budget), watchdog(_left(rules, budget)) as watched:
            if watched:
                for start, end in windows:
                    spans.extend(match.span() for match in pattern.finditer(text, start, end))
                continue
            for start, end in windows:
                timeout = budget.timeout(rules.timeout, STAGE)
                spans.extend(match.span() for match in pattern.finditer(text, start, end, timeout=timeout))
    return Spans(spans)


def reject_windows(
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


class Spans:
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


def candidates(text: str, rules: RuleSet, budget: Budget) -> Iterator[tuple[str, regex.Match[str]]]:
    """Non-overlapping candidate spans from both master patterns, in text order (lazily, in
    batches of :data:`CANDIDATE_BATCH`: a text of a million numbers is never held as a million
    matches). Each batch is found under the :func:`watchdog` where it can be armed (never while
    the caller holds a batch), else every regex call has its own timeout."""
    watched = _watchable()

    def left() -> float | None:
        return None if watched else budget.timeout(rules.timeout, STAGE)

    what = f"the quantity grammar of {rules.version}"
    quantities = (("quantity", m) for m in within_lines(rules.quantity, text, left))
    bare = (("bare_multiplier", m) for m in within_lines(rules.bare, text, left))
    merged = heapq.merge(quantities, bare, key=lambda item: (item[1].start(), -item[1].end()))
    last_end = -1
    while True:
        batch: list[tuple[str, regex.Match[str]]] = []
        # Armed per batch, so the timer never runs while the caller works on what was found.
        with (
            timing_out(what, rules, rules.grammar_hint, budget),
            watchdog(_left(rules, budget) if watched else None),
        ):
            for rule_id, match in merged:
                if match.start() >= last_end and match.end() > match.start():
                    last_end = match.end()
                    batch.append((rule_id, match))
                    if len(batch) == CANDIDATE_BATCH:
                        break
        yield from batch
        if len(batch) < CANDIDATE_BATCH:
            return


def within_lines(
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
