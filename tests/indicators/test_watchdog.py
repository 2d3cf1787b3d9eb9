"""The reject scans run under one SIGALRM watchdog per rule and document instead of a
``timeout=`` on each of thousands of window searches: same spans, a catastrophic rule still
stopped and named, and nobody else's use of SIGALRM disturbed."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest
import regex

from conftest import DEV, SEEDS
from lawreport.budget import Budget
from lawreport.indicators import scan
from lawreport.indicators.find import extract_indicators
from lawreport.indicators.rulepack import build_ruleset, builtin_packs, load_pack
from lawreport.indicators.scan import RuleTimeoutError, watchdog
from lawreport.pipeline import process_file

CATASTROPHIC = regex.compile(r"(\p{Han}|\p{Han})*[a-z]")
PACK = '[pack]\nname = "slow"\nversion = "0.1.0"\n'
TEXT = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥共召开会议42次。"


def here(function):
    try:
        return function()
    except BaseException as error:  # handed back to the test
        return error


def in_thread(function):
    result: list = []

    def run() -> None:
        try:
            result.append(function())
        except BaseException as error:  # handed back to the test
            result.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def test_the_watchdog_interrupts_a_backtracking_search_and_leaves_no_trace():
    with pytest.raises(TimeoutError), watchdog(0.2) as armed:
        assert armed
        CATASTROPHIC.search(TEXT)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_watchdog_stands_aside_for_threads_and_for_a_programs_own_alarm():
    def armed() -> bool:
        with watchdog(1.0) as armed:
            return armed

    assert in_thread(armed) is False

    def mine(*_):
        return None

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        assert armed() is False
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)


def _slow_rules(tmp_path: Path):
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "pack.toml").write_text(PACK, encoding="utf-8")
    (folder / "reject.toml").write_text(
        '[[reject]]\nname = "backtracker"\npattern = "(\\\\p{Han}|\\\\p{Han})*[a-z]"\nexamples = []\n',
        encoding="utf-8",
    )
    return build_ruleset([*builtin_packs(), load_pack(folder)], timeout=0.3)


def test_a_catastrophic_reject_rule_is_stopped_and_named_with_or_without_the_watchdog(tmp_path):
    rules = _slow_rules(tmp_path)
    for run in (here, in_thread):
        outcome = run(lambda: extract_indicators(TEXT, None, rules, budget=Budget(30)))
        assert isinstance(outcome, RuleTimeoutError) and "backtracker" in outcome.message
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL


def test_a_catastrophic_quantity_grammar_is_stopped_and_named_with_or_without_the_watchdog(tmp_path):
    folder = tmp_path / "grammar"
    folder.mkdir()
    (folder / "pack.toml").write_text(PACK, encoding="utf-8")
    (folder / "grammar.toml").write_text(
        "[fragments]\nRangeSeparator = '(?:(?:\\p{Han}|\\p{Han})*[a-z]|至)'\n", encoding="utf-8"
    )
    rules = build_ruleset([*builtin_packs(), load_pack(folder)], timeout=0.3)
    text = TEXT.replace("42次。", "42次至五十次。")
    for run in (here, in_thread):
        outcome = run(lambda: extract_indicators(text, None, rules, budget=Budget(30)))
        assert isinstance(outcome, RuleTimeoutError) and "quantity grammar" in outcome.message
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize("batch", [scan.CANDIDATE_BATCH, 3])  # 3: every batch boundary case is met
def test_same_rows_with_the_watchdog_as_with_per_call_timeouts(monkeypatch, batch):
    held_out = ("048", "050")  # the lead's blind sample: never read here
    dev = [path for path in sorted(DEV.glob("*.txt")) if not path.name.startswith(held_out)]
    paths = sorted(SEEDS.glob("*.txt")) + dev[:20]
    used: list[bool] = []

    def refused() -> bool:
        used.append(True)
        return False  # as in a thread: every regex call with its own timeout

    with monkeypatch.context() as patched:
        patched.setattr(scan, "_watchable", refused)
        timed = [process_file(str(path)).indicators for path in paths]  # no text here has 1,000 numbers
    assert used
    monkeypatch.setattr(scan, "CANDIDATE_BATCH", batch)
    watched = [process_file(str(path)).indicators for path in paths]
    assert watched == timed
    assert sum(map(len, watched)) > 100
