"""jieba's segmentation (accurate mode, HMM on) at a fraction of its time and memory.

jieba keeps its 350,000-word dictionary as Python objects (~70 MB per process) and runs its
dynamic programme in Python (~50 µs for a 20-character window). This module gives the same
words by splitting the work the way jieba itself does:

- blocks: jieba's own block pattern (Chinese characters, Latin letters, digits, ``+#&._%-``);
  whitespace and other characters come out one by one, as in jieba;
- inside a block, the best dictionary path (jieba's DAG route) comes from jieba-rs (``rjieba``,
  Rust, the same dictionary and user dictionary) run on each run of Chinese characters with
  its HMM off; Latin letters and digits are single-character nodes, as in jieba's DAG;
- runs of single characters are then merged exactly as jieba's ``__cut_DAG`` does: left alone
  when they form a dictionary word, else handed to jieba's HMM (``jieba.finalseg``, a few MB).

A block holding a dictionary word that mixes Chinese and Latin characters ("B超", "5G基站": the
list is shipped, ``data/zh/jieba_mixed_words.txt``) is routed by jieba-rs as a whole, and its
runs of single Latin letters and digits (which jieba-rs glues together) are read back as single
nodes; only a glued run that also spells a dictionary word is ambiguous, and such a window goes
to jieba itself (never seen on the shared corpus). So jieba's 0.6 s dictionary is not loaded in
a run, and jieba is not even imported (its HMM is :mod:`lawreport.zh.hmm`). Every window goes to
jieba when ``LAWREPORT_SEGMENTER=jieba`` is set or rjieba is missing. tests/zh/test_segmenter.py
compares the two on every subject window of the shared corpus, on thousands of random windows of
it and on windows with every mixed-script word spliced in.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import regex

from lawreport.datafiles import data_text
from lawreport.errors import DataFileError

# jieba 0.42's patterns (jieba/__init__.py and jieba/finalseg/__init__.py).
_BLOCK = regex.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
_SPACE = regex.compile(r"(\r\n|\s)")
_CHINESE_RUN = regex.compile(r"([\u4E00-\u9FD5]+)")
_CHINESE_CHAR = regex.compile(r"[\u4E00-\u9FD5]")


def user_words() -> list[tuple[str, int | None]]:
    """The domain user dictionary: (word, frequency or None for jieba's suggestion)."""
    entries = []
    for line in data_text("zh", "jieba_userdict.txt").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, *rest = line.split()
            entries.append((word, int(rest[0]) if rest else None))
    return entries


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
def jieba_tokenizer():  # noqa: ANN201 - jieba has no type hints
    """A private jieba tokenizer (never jieba's global one) with the domain dictionary; its
    dictionary cache goes to :func:`cache_dir`."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.initialize()
    for word, frequency in user_words():
        tokenizer.add_word(word, frequency)
    return tokenizer


@functools.cache
def fast_segmenter():  # noqa: ANN201 - rjieba has no type hints
    """rjieba with the domain dictionary, or None (not installed, or LAWREPORT_SEGMENTER=jieba)."""
    if os.environ.get("LAWREPORT_SEGMENTER", "").lower() == "jieba":
        return None
    jieba_class = _rjieba_class()
    if jieba_class is None:
        return None
    segmenter = jieba_class()
    for word, frequency in user_words():
        segmenter.add_word(word, frequency, None)
    return segmenter


def _rjieba_class():
    """rjieba's ``Jieba`` class, loaded from its extension module without running the package's
    ``__init__``, which builds a default segmenter (~0.1 s) that lawreport never uses; the
    ordinary import when the extension cannot be loaded that way. None when not installed."""
    try:
        spec = importlib.util.find_spec("rjieba")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for folder in spec.submodule_search_locations or ():
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "rjieba" + suffix)
            if not os.path.isfile(path):
                continue
            try:
                loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", path)
                module = importlib.util.module_from_spec(importlib.util.spec_from_loader("rjieba.rjieba", loader))
                loader.exec_module(module)
                return module.Jieba
            except (ImportError, AttributeError):
                break
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba.Jieba


def _has_other_than_chinese(word: str) -> bool:
    return regex.search(r"[^\u4E00-\u9FD5]", word) is not None


def jieba_dictionary_mixed_words() -> list[str]:
    """The words of the installed jieba's dict.txt that are not all Chinese characters (what
    ``data/zh/jieba_mixed_words.txt`` ships; scripts/build_mixed_words.py writes it)."""
    from lawreport.zh.hmm import finalseg_folder

    dictionary = (finalseg_folder().parent / "dict.txt").read_text(encoding="utf-8")
    return sorted(set(regex.findall(r"^(\S*[^\u4E00-\u9FD5\s]\S*) ", dictionary, flags=regex.MULTILINE)))


@functools.cache
def mixed_words() -> tuple[str, ...]:
    """Dictionary words that are not all Chinese characters (shipped list plus the user
    dictionary's): where the split into Chinese runs is not exact. Validated on load."""
    words = set()
    for number, line in enumerate(data_text("zh", "jieba_mixed_words.txt").splitlines(), 1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if not _has_other_than_chinese(word) or regex.search(r"\s", word):
            raise DataFileError(f"zh/jieba_mixed_words.txt line {number}: {word!r} is not a mixed-script word")
        words.add(word)
    words.update(word for word, _ in user_words() if _has_other_than_chinese(word))
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


@functools.cache
def _mixed_words() -> regex.Pattern[str] | None:
    words = mixed_words()
    return regex.compile("|".join(regex.escape(word) for word in words)) if words else None


@functools.cache
def _hmm():
    """jieba.finalseg.cut, without importing jieba (see :mod:`lawreport.zh.hmm`)."""
    from lawreport.zh.hmm import cut as hmm_cut

    return hmm_cut


def cut(text: str) -> list[str]:
    """jieba's ``lcut(text, HMM=True)`` for ``text``."""
    fast = fast_segmenter()
    mixed = _mixed_words() if fast is not None else None
    if fast is None:
        return jieba_tokenizer().lcut(text, HMM=True)
    if mixed is not None and mixed.search(text):
        words = _cut_mixed(text, fast, mixed)
        return words if words is not None else jieba_tokenizer().lcut(text, HMM=True)
    if _CHINESE_RUN.fullmatch(text):  # the common case: one run, nothing to merge around it
        return fast.cut(text, True)
    words: list[str] = []
    for block in _BLOCK.split(text):
        if not block:
            continue
        if _BLOCK.fullmatch(block):
            words.extend(_cut_block(block, fast))
        else:
            words.extend(_other_pieces(block))
    return words


_ASCII_ALNUM = regex.compile(r"[a-zA-Z0-9]+")


def _cut_mixed(text: str, fast, mixed: regex.Pattern[str]) -> list[str] | None:  # noqa: ANN001
    """:func:`cut` of a window holding a mixed-script dictionary word, from jieba-rs's route of
    each block as a whole; None when that route cannot be read back unambiguously."""
    words: list[str] = []
    for block in _BLOCK.split(text):
        if not block:
            continue
        if not _BLOCK.fullmatch(block):
            words.extend(_other_pieces(block))
        elif not mixed.search(block):
            words.extend(_cut_block(block, fast))
        else:
            nodes: list[str] = []
            for token in fast.cut(block, False):
                # jieba-rs, like jieba's cut without the HMM, glues single Latin letters and
                # digits of the route together: read them back as single nodes, unless the glued
                # run spells a dictionary word (then it may be one node: ambiguous).
                if len(token) > 1 and _ASCII_ALNUM.fullmatch(token):
                    if fast.has_word(token):
                        return None
                    nodes.extend(token)
                else:
                    nodes.append(token)
            words.extend(_merge(nodes, fast))
    return words


def _other_pieces(block: str) -> Iterator[str]:
    """White space and other characters outside jieba's blocks, one by one as jieba gives them."""
    for piece in _SPACE.split(block):
        if _SPACE.fullmatch(piece):
            yield piece
        else:
            yield from piece


def _cut_block(block: str, fast) -> Iterator[str]:  # noqa: ANN001
    """jieba's ``__cut_DAG`` with the route taken from jieba-rs."""
    if not _CHINESE_CHAR.search(block):
        nodes: list[str] = list(block)
    else:
        nodes = []
        for run in _CHINESE_RUN.split(block):
            if not run:
                continue
            if _CHINESE_RUN.fullmatch(run):
                nodes.extend(fast.cut(run, False))
            else:
                nodes.extend(run)
    yield from _merge(nodes, fast)


def _merge(nodes: list[str], fast) -> Iterator[str]:  # noqa: ANN001
    """jieba's ``__cut_DAG`` over route nodes: runs of single characters are flushed together."""
    buffer = ""
    for node in nodes:
        if len(node) == 1:
            buffer += node
            continue
        if buffer:
            yield from _flush(buffer, fast)
            buffer = ""
        yield node
    if buffer:
        yield from _flush(buffer, fast)


def _flush(buffer: str, fast) -> Iterator[str]:  # noqa: ANN001
    if len(buffer) == 1:
        yield buffer
    elif fast.has_word(buffer):
        yield from buffer
    else:
        yield from _hmm()(buffer)


def warm_up() -> None:
    """Load the segmenter, its list of mixed-script words and jieba's HMM tables now, before
    workers fork."""
    cut("预热PM2.5")
    if fast_segmenter() is not None:
        _hmm()
        from lawreport.zh.hmm import tables

        tables()
