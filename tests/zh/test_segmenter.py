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


def test_rjieba_loaded_without_its_package_or_through_it_gives_the_same_words(corpus_texts, monkeypatch):
    import importlib.machinery

    direct = segmenter._rjieba_class()
    monkeypatch.setattr(importlib.machinery, "EXTENSION_SUFFIXES", [])  # the extension is not found directly
    through_package = segmenter._rjieba_class()
    import rjieba

    assert through_package is rjieba.Jieba  # (the run never imports the package: tests/run/test_startup.py)
    first, second = direct(), through_package()
    windows = _random_windows(corpus_texts, 300, seed=181)
    assert [first.cut(w, True) for w in windows] == [second.cut(w, True) for w in windows]


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


def test_the_shipped_mixed_words_are_those_of_jiebas_dictionary():
    shipped = set(segmenter.mixed_words())
    user = {word for word, _ in segmenter.user_words() if segmenter._has_other_than_chinese(word)}
    assert shipped - user == set(segmenter.jieba_dictionary_mixed_words())
    assert {"5G基站", "B超", "C++"} <= shipped


def test_the_hmm_is_jiebas_without_importing_jieba(corpus_texts):
    from jieba import finalseg
    from jieba.finalseg import prob_emit, prob_start, prob_trans

    from lawreport.zh import hmm

    assert hmm.tables() == (prob_start.P, prob_trans.P, prob_emit.P)
    windows = _random_windows(corpus_texts, 3000, seed=18)
    assert [w for w in windows if list(hmm.cut(w)) != list(finalseg.cut(w))] == []


def test_same_words_as_jieba_with_every_mixed_word_spliced_into_corpus_windows(corpus_texts):
    """Mixed-script words (5G基站, B超, C++ ...) go through jieba-rs's route as a whole block."""
    rng = random.Random(2018)
    windows = []
    for word in segmenter.mixed_words():
        for left, right in zip(
            _random_windows(corpus_texts, 3, rng.random()), _random_windows(corpus_texts, 3, rng.random()), strict=True
        ):
            windows.append(left[-rng.randint(0, 12) :] + word + right[: rng.randint(0, 12)])
    assert len(windows) >= 3 * 71
    assert [(w, _jieba(w), segmenter.cut(w)) for w in windows if _jieba(w) != segmenter.cut(w)] == []


def test_a_run_never_imports_jieba(tmp_path):
    """jieba's own tokenizer (a 0.6 s dictionary) and package (0.2 s) stay out of a run."""
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text(
        "某区2023年法治政府建设情况报告\n一、主要举措\n新建5G基站2041座,开展B超检查3次。\n", encoding="utf-8"
    )
    code = (
        "import sys; from lawreport.pipeline import process_file; "
        f"result = process_file({str(report)!r}); "
        "assert len(result.indicators) == 2, result; print('jieba' in sys.modules, 'pandas' in sys.modules)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["False", "False"]
