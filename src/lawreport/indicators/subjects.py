"""What a number counts: the subject noun phrase next to it, found with jieba's segmentation.

Words come from :mod:`lawreport.zh.segmenter` (jieba's output, mostly computed by jieba-rs) with
a domain user dictionary (``data/zh/jieba_userdict.txt``). When jieba itself has to be loaded, its
cache file goes to a writable cache folder (``LAWREPORT_CACHE_DIR``, else the user cache
folder, else the temp folder).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from lawreport.datafiles import check_keys, load_toml
from lawreport.patterns import char_class
from lawreport.zh import segmenter
from lawreport.zh.punctuation import punctuation

_NOT_WORD = regex.compile(r"^[\s\p{P}\d.%]+$")
_EDGE_PARTICLES = "的了和及与等之"
_SHARE_UNITS = frozenset({"%", "‰", "‱", "百分点", "倍"})  # 100%按期办结: what follows is no noun
_QUOTED = regex.compile(r"“[^”\n]{1,12}”")


@dataclass(frozen=True)
class SubjectLexicon:
    skip_trailing: frozenset[str]
    stop: frozenset[str]
    classifier_units: frozenset[str]
    max_words: int
    generic_heads: frozenset[str]
    comparison: regex.Pattern[str]
    head_verbs: frozenset[str]


@functools.cache
def subject_lexicon() -> SubjectLexicon:
    data = load_toml("indicators", "subjects.toml")
    check_keys("indicators/subjects.toml", data, {"subjects"})
    table = data["subjects"]
    check_keys(
        "indicators/subjects.toml [subjects]",
        table,
        {"skip_trailing", "stop", "classifier_units", "max_words", "generic_heads", "comparison", "head_verbs"},
    )
    return SubjectLexicon(
        frozenset(table["skip_trailing"]),
        frozenset(table["stop"]),
        frozenset(table["classifier_units"]),
        int(table["max_words"]),
        frozenset(table["generic_heads"]),
        regex.compile(f"(?:{table['comparison']})$"),
        frozenset(table["head_verbs"]),
    )


@functools.cache
def _phrase_break() -> regex.Pattern[str]:
    """Where a subject phrase stops: a clause break, a line break, a bracket or quotation mark."""
    marks = punctuation()
    return regex.compile(char_class(marks.clause_break + "\n" + marks.bracket))


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in segmenter.cut(text) if word.strip())


def words(text: str) -> list[str]:
    """jieba's words of a short window (cached: neighbouring quantities share windows)."""
    return list(_words(text))


def find_subject(
    text: str, start: int, end: int, canonical_unit: str, *, left_limit: int = 0, left_only: bool = False
) -> str:
    """The subject of the quantity at ``text[start:end]`` (empty when none is found);
    ``left_only``: the noun phrase ending at ``start`` (no look after the number)."""
    lexicon = subject_lexicon()
    if left_only:
        return _left_phrase(text, start, lexicon, left_limit).strip(_EDGE_PARTICLES)
    if canonical_unit in lexicon.classifier_units or not canonical_unit:  # 1.77亿农民: the noun after counts
        right = _right_phrase(text, end, lexicon).strip(_EDGE_PARTICLES)
        if right:
            return right
    left = _left_phrase(text, start, lexicon, left_limit).strip(_EDGE_PARTICLES)
    if (not left or left in lexicon.stop) and canonical_unit not in _SHARE_UNITS:
        # 实现200多场重要活动零事故: a verb alone on the left names nothing; the noun after does.
        right = _right_phrase(text, end, lexicon).strip(_EDGE_PARTICLES)
        if right:
            return right
    return left


def _left_phrase(text: str, start: int, lexicon: SubjectLexicon, left_limit: int) -> str:
    window_start = max(left_limit, start - 40)
    window = text[window_start:start]
    breaks = list(_phrase_break().finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    tokens = words(window)
    while tokens and (tokens[-1] in lexicon.skip_trailing or _NOT_WORD.match(tokens[-1])):
        tokens.pop()
    compared = lexicon.comparison.search("".join(tokens))
    if compared and compared.start() > 0:
        # 流动资金占用水平比上年减少64亿元: the comparison is no part of the subject (nor of its word count).
        tokens = words("".join(tokens)[: compared.start()])
        while tokens and (tokens[-1] in lexicon.skip_trailing or _NOT_WORD.match(tokens[-1])):
            tokens.pop()
    phrase: list[str] = []
    for token in reversed(tokens):
        # The word right before the number counts even when it can be a verb (学习43次).
        # A generic head takes the verb that makes it a kind (公开信息, 办理业务) and its modifiers.
        generic = (
            bool(phrase)
            and phrase[-1] in lexicon.generic_heads
            and all(word in lexicon.head_verbs for word in phrase[:-1])
        )
        stops = token in lexicon.stop and not (generic and token in lexicon.head_verbs)
        if _NOT_WORD.match(token) or len(phrase) >= lexicon.max_words or (phrase and stops):
            break
        phrase.insert(0, token)
    head = "".join(phrase)
    if head in lexicon.generic_heads and breaks and window.startswith(head):
        return _named_head(text, window_start + breaks[-1].start(), head, lexicon, left_limit)
    return head


_NAMED = regex.compile(r"(?:“[^“”\n]{1,12}”|\([^()\n]{1,6}\))$")


def _named_head(text: str, closing: int, head: str, lexicon: SubjectLexicon, left_limit: int) -> str:
    """A generic head (事项, 企业…) right after a quoted or bracketed name keeps the name and the
    words before it: 在库“四上”企业, 镇(街)事项."""
    named = _NAMED.search(text, max(left_limit, closing - 14), closing + 1)
    if named is None:
        return head
    before = _left_phrase(text, named.start(), lexicon, left_limit)
    if named.group().startswith("("):
        # 镇(街): the bracket is another name of the word just before it.
        tokens = words(before)
        if not tokens:
            return head
        before = tokens[-1]
    return f"{before}{named.group()}{head}"


def _right_phrase(text: str, end: int, lexicon: SubjectLexicon) -> str:
    window = text[end : end + 24]
    # A quoted name right after the count is part of what it counts (117项“无感申办”事项).
    quoted = _QUOTED.match(window)
    prefix = quoted.group() if quoted else ""
    window = window[len(prefix) :]
    cut = _phrase_break().search(window)
    if cut:
        window = window[: cut.start()]
    phrase: list[str] = [prefix] if prefix else []
    for token in words(window):
        if token in lexicon.stop or _NOT_WORD.match(token) or len(phrase) >= lexicon.max_words:
            break
        if token in lexicon.skip_trailing and not phrase:
            break
        if token == "的" and phrase:
            break  # 4800多万农村人口的饮水安全问题: the count is of 农村人口
        phrase.append(token)
    return "".join(phrase)


def warm_up() -> None:
    """Load the lexicon and the segmenter (with its fallbacks) now (before workers fork)."""
    subject_lexicon()
    segmenter.warm_up()
    words("预热PM2.5")
