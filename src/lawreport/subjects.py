"""What a number counts: the subject noun phrase next to it, found with jieba.

A private jieba tokenizer (never jieba's global one) is built on first use with a domain
user dictionary (``data/jieba_userdict.txt``); its cache file goes to a writable cache
folder (``LAWREPORT_CACHE_DIR``, else the user cache folder, else the temp folder).
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import regex

from lawreport.resources import check_keys, data_text, load_toml

_CLAUSE_BREAK = regex.compile(r"[,,;;:。!?、\n()“”《》\"]")
_NOT_WORD = regex.compile(r"^[\s\p{P}\d.%]+$")
_EDGE_PARTICLES = "的了和及与等之"


@dataclass(frozen=True)
class SubjectLexicon:
    skip_trailing: frozenset[str]
    stop: frozenset[str]
    classifier_units: frozenset[str]
    max_words: int


@functools.cache
def subject_lexicon() -> SubjectLexicon:
    data = load_toml("subjects.toml")
    check_keys("subjects.toml", data, {"subjects"})
    table = data["subjects"]
    check_keys("subjects.toml [subjects]", table, {"skip_trailing", "stop", "classifier_units", "max_words"})
    return SubjectLexicon(
        frozenset(table["skip_trailing"]),
        frozenset(table["stop"]),
        frozenset(table["classifier_units"]),
        int(table["max_words"]),
    )


def cache_dir() -> Path:
    """A writable folder for jieba's dictionary cache."""
    candidates = [os.environ.get("LAWREPORT_CACHE_DIR")]
    xdg = os.environ.get("XDG_CACHE_HOME")
    candidates.append(str(Path(xdg) / "lawreport") if xdg else str(Path.home() / ".cache" / "lawreport"))
    candidates.append(str(Path(tempfile.gettempdir()) / "lawreport-cache"))
    for candidate in candidates:
        if not candidate:
            continue
        path = Path(candidate)
        try:
            path.mkdir(parents=True, exist_ok=True)
            if os.access(path, os.W_OK):
                return path
        except OSError:
            continue
    return Path(tempfile.gettempdir())


@functools.cache
def tokenizer():  # noqa: ANN201 - jieba has no type hints
    """The process's private jieba tokenizer with the domain dictionary loaded."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.initialize()
    for word, frequency in _user_words():
        tokenizer.add_word(word, frequency)
    return tokenizer


def _user_words() -> list[tuple[str, int | None]]:
    entries = []
    for line in data_text("jieba_userdict.txt").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, *rest = line.split()
            entries.append((word, int(rest[0]) if rest else None))
    return entries


@functools.cache
def fast_tokenizer():  # noqa: ANN201 - rjieba has no type hints
    """rjieba (jieba-rs, same dictionary, HMM model and user dictionary) or None when it is
    not installed or ``LAWREPORT_SEGMENTER=jieba`` asks for jieba alone."""
    if os.environ.get("LAWREPORT_SEGMENTER", "").lower() == "jieba":
        return None
    try:
        import rjieba
    except ImportError:
        return None
    segmenter = rjieba.Jieba()
    for word, frequency in _user_words():
        segmenter.add_word(word, frequency, None)
    return segmenter


# jieba and jieba-rs split runs of Latin letters and digits differently ("PM2.5", "2015-2020"),
# and agree on runs of Chinese characters (tests/test_segmenter.py checks the corpus). So
# windows of Chinese characters only go to the ~10x faster rjieba; the rest stay with jieba.
_CHINESE_ONLY = regex.compile(r"[\u4e00-\u9fd5]+")


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    fast = fast_tokenizer() if _CHINESE_ONLY.fullmatch(text) else None
    tokens = fast.cut(text, True) if fast is not None else tokenizer().lcut(text, HMM=True)
    return tuple(word for word in tokens if word.strip())


def words(text: str) -> list[str]:
    """jieba's words of a short window (cached: neighbouring quantities share windows)."""
    return list(_words(text))


def find_subject(text: str, start: int, end: int, canonical_unit: str, *, left_limit: int = 0) -> str:
    """The subject of the quantity at ``text[start:end]`` (empty when none is found)."""
    lexicon = subject_lexicon()
    if canonical_unit in lexicon.classifier_units:
        right = _right_phrase(text, end, lexicon).strip(_EDGE_PARTICLES)
        if right:
            return right
    return _left_phrase(text, start, lexicon, left_limit).strip(_EDGE_PARTICLES)


def _left_phrase(text: str, start: int, lexicon: SubjectLexicon, left_limit: int) -> str:
    window_start = max(left_limit, start - 40)
    window = text[window_start:start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    tokens = words(window)
    while tokens and (tokens[-1] in lexicon.skip_trailing or _NOT_WORD.match(tokens[-1])):
        tokens.pop()
    phrase: list[str] = []
    for token in reversed(tokens):
        # The word right before the number counts even when it can be a verb (学习43次).
        if _NOT_WORD.match(token) or len(phrase) >= lexicon.max_words or (phrase and token in lexicon.stop):
            break
        phrase.insert(0, token)
    return "".join(phrase)


def _right_phrase(text: str, end: int, lexicon: SubjectLexicon) -> str:
    window = text[end : end + 24]
    cut = _CLAUSE_BREAK.search(window)
    if cut:
        window = window[: cut.start()]
    phrase: list[str] = []
    for token in words(window):
        if token in lexicon.stop or _NOT_WORD.match(token) or len(phrase) >= lexicon.max_words:
            break
        if token in lexicon.skip_trailing and not phrase:
            break
        phrase.append(token)
    return "".join(phrase)
