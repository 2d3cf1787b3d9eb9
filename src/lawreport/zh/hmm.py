"""jieba's HMM for words not in its dictionary (``jieba.finalseg``, MIT licence), without
importing jieba.

Importing ``jieba.finalseg`` imports the ``jieba`` package, whose ``_compat`` imports
``pkg_resources`` (0.15 s of a 0.18 s import). This is the same Viterbi over the same tables:
jieba's own ``prob_*.p`` files, found in its installed package folder without importing it
(25 ms). tests/zh/test_segmenter.py holds the tables and the words equal to jieba's.
"""

from __future__ import annotations

import functools
import importlib.util
import pickle
from collections.abc import Iterator
from pathlib import Path

import regex

MIN_FLOAT = -3.14e100
_PREVIOUS = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}
# jieba/finalseg/__init__.py: re_han and re_skip
_HAN_RUN = regex.compile("([\u4e00-\u9fd5]+)")
_SKIP = regex.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")

Tables = tuple[dict[str, float], dict[str, dict[str, float]], dict[str, dict[str, float]]]


def finalseg_folder() -> Path:
    """jieba's ``finalseg`` folder, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed (lawreport reads its HMM tables)")
    return Path(next(iter(spec.submodule_search_locations))) / "finalseg"


@functools.cache
def tables() -> Tables:
    """jieba's start, transition and emission log-probabilities (its package data)."""
    loaded = []
    for name in ("prob_start.p", "prob_trans.p", "prob_emit.p"):
        with open(finalseg_folder() / name, "rb") as handle:
            loaded.append(pickle.load(handle))  # the installed jieba's own package data
    return loaded[0], loaded[1], loaded[2]


def _viterbi(observed: str) -> list[str]:
    start, transition, emission = tables()
    probability = [{state: start[state] + emission[state].get(observed[0], MIN_FLOAT) for state in "BMES"}]
    path = {state: [state] for state in "BMES"}
    for t in range(1, len(observed)):
        probability.append({})
        new_path = {}
        for state in "BMES":
            emitted = emission[state].get(observed[t], MIN_FLOAT)
            best, previous = max(
                (probability[t - 1][before] + transition[before].get(state, MIN_FLOAT) + emitted, before)
                for before in _PREVIOUS[state]
            )
            probability[t][state] = best
            new_path[state] = [*path[previous], state]
        path = new_path
    _, last = max((probability[len(observed) - 1][state], state) for state in "ES")
    return path[last]


def _cut_han(sentence: str) -> Iterator[str]:
    positions = _viterbi(sentence)
    begin = following = 0
    for index, char in enumerate(sentence):
        position = positions[index]
        if position == "B":
            begin = index
        elif position == "E":
            yield sentence[begin : index + 1]
            following = index + 1
        elif position == "S":
            yield char
            following = index + 1
    if following < len(sentence):
        yield sentence[following:]


def cut(sentence: str) -> Iterator[str]:
    """``jieba.finalseg.cut``: the words of ``sentence`` by the HMM alone."""
    for block in _HAN_RUN.split(sentence):
        if _HAN_RUN.match(block):
            yield from _cut_han(block)
        else:
            yield from (piece for piece in _SKIP.split(block) if piece)
