"""The fast segmenter gives exactly jieba's words (jieba itself is the reference here)."""

from __future__ import annotations

import random

import pytest

from conftest import DEV, SEEDS
from lawreport.indicators import subjects
from lawreport.pipeline import process_file
from lawreport.reading.source import read_source
from lawreport.text.normalize import normalize
from lawreport.zh import segmenter

CORPUS_FILES = sorted([*SEEDS.glob("*.txt"), *DEV.glob("*.txt")])


def _jieba(text: str) -> list[str]:
    return segmenter.jieba_tokenizer().lcut(text, HMM=True)


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return [text for path in CORPUS_FILES if (text := normalize(read_source(str(path)).text).text)]


def _random_windows(texts: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    windows: set[str] = set()
    while len(windows) < count:
        text = rng.choice(texts)
        size = rng.randint(1, 40)
        if len(text) > size:
            start = rng.randrange(0, len(text) - size)
            windows.add(text[start : start + size])
    return sorted(windows)


def test_fast_segmenter_is_available():
    assert segmenter.fast_segmenter() is not None, "rjieba is a dependency"


def test_same_words_as_jieba_on_random_windows_of_the_corpus(corpus_texts):
    # Chinese, digits, Latin letters, units, punctuation and line breaks, as they come.
    windows = _random_windows(corpus_texts, 4000, seed=20261122)
    assert [(w, _jieba(w), segmenter.cut(w)) for w in windows if _jieba(w) != segmenter.cut(w)] == []


def test_same_words_as_jieba_on_every_subject_window_of_the_corpus(monkeypatch):
    seen: set[str] = set()
    words = subjects._words.__wrapped__

    def recording(text: str) -> tuple[str, ...]:
        seen.add(text)
        return words(text)

    monkeypatch.setattr(subjects, "_words", recording)
    for path in CORPUS_FILES:
        process_file(str(path))
    assert len(seen) > 500
    assert [window for window in seen if _jieba(window) != segmenter.cut(window)] == []


@pytest.mark.parametrize(
    "text",
    [
        "PM_2.5浓度为",  # jieba-rs alone keeps "PM_2.5"; jieba splits it
        "(2015-2020年)》和《河北省法治政府建设实施方案》",
        "新设3所本科层次职业学校",  # "新设" merged by the HMM only next to the digit
        "2023年新建5G基站2041座",  # a user word mixing digits and Chinese: jieba itself
        "开展区政务外网IPV6网络升级改造",
        "行政复议 案件\r\n56件,B超检查",
    ],
)
def test_hand_picked_hard_windows(text):
    assert segmenter.cut(text) == _jieba(text)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name)
def test_jieba_alone_gives_the_same_indicators(path, monkeypatch):
    default = process_file(str(path)).indicators
    monkeypatch.setenv("LAWREPORT_SEGMENTER", "jieba")
    segmenter.fast_segmenter.cache_clear()
    subjects._words.cache_clear()
    try:
        assert segmenter.fast_segmenter() is None
        assert process_file(str(path)).indicators == default
    finally:
        monkeypatch.delenv("LAWREPORT_SEGMENTER")
        segmenter.fast_segmenter.cache_clear()
        subjects._words.cache_clear()
