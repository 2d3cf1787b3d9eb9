"""rjieba is used for subject windows only where it segments exactly as jieba does."""

from __future__ import annotations

import random

import pytest

from conftest import DEV, SEEDS
from lawreport import subjects
from lawreport.normalize import normalize
from lawreport.pipeline import process_file
from lawreport.reading import read_source

CORPUS_FILES = sorted([*SEEDS.glob("*.txt"), *DEV.glob("*.txt")])


def _jieba(text: str) -> tuple[str, ...]:
    return tuple(word for word in subjects.tokenizer().lcut(text, HMM=True) if word.strip())


def _rjieba(text: str) -> tuple[str, ...]:
    fast = subjects.fast_tokenizer()
    assert fast is not None, "rjieba is a dependency"
    return tuple(word for word in fast.cut(text, True) if word.strip())


def _chinese_windows(count: int) -> list[str]:
    """Random runs of Chinese characters from every report of the shared corpus."""
    rng = random.Random(20261122)
    runs = []
    for path in CORPUS_FILES:
        text = normalize(read_source(str(path)).text).text
        runs.extend(match.group() for match in subjects._CHINESE_ONLY.finditer(text) if len(match.group()) >= 2)
    windows = set()
    while len(windows) < count:
        run = rng.choice(runs)
        size = rng.randint(2, min(40, len(run)))
        start = rng.randrange(0, len(run) - size + 1)
        windows.add(run[start : start + size])
    return sorted(windows)


def test_rjieba_equals_jieba_on_chinese_runs_of_the_corpus():
    windows = _chinese_windows(3000)
    differing = [(window, _jieba(window), _rjieba(window)) for window in windows if _jieba(window) != _rjieba(window)]
    assert differing == []


def test_rjieba_equals_jieba_on_every_subject_window_of_the_corpus(monkeypatch):
    seen: set[str] = set()
    words = subjects._words.__wrapped__

    def recording(text: str) -> tuple[str, ...]:
        seen.add(text)
        return words(text)

    monkeypatch.setattr(subjects, "_words", recording)
    for path in CORPUS_FILES:
        process_file(str(path))
    chinese = [window for window in seen if subjects._CHINESE_ONLY.fullmatch(window)]
    assert len(chinese) > 300
    assert [window for window in chinese if _jieba(window) != _rjieba(window)] == []


def test_windows_with_latin_letters_or_digits_stay_with_jieba():
    # Here the two differ: jieba splits "PM_2.5", jieba-rs keeps it whole.
    assert _jieba("PM_2.5浓度为") != _rjieba("PM_2.5浓度为")
    subjects._words.cache_clear()
    assert subjects.words("PM_2.5浓度为") == list(_jieba("PM_2.5浓度为"))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name)
def test_jieba_alone_gives_the_same_indicators(path, monkeypatch):
    default = process_file(str(path)).indicators
    monkeypatch.setenv("LAWREPORT_SEGMENTER", "jieba")
    subjects.fast_tokenizer.cache_clear()
    subjects._words.cache_clear()
    try:
        assert subjects.fast_tokenizer() is None
        assert process_file(str(path)).indicators == default
    finally:
        monkeypatch.delenv("LAWREPORT_SEGMENTER")
        subjects.fast_tokenizer.cache_clear()
        subjects._words.cache_clear()
