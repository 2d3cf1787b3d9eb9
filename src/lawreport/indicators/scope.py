"""Whose figure a number is: the reporting body's, or a part's (a zone, a product, a share).

Only the ``indicators_wide`` table asks (its cell must be the body's figure); the long table
keeps every row. The words are data (``data/indicators/scope.toml``), validated on load, and
every example there is run by the tests.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from lawreport.datafiles import DataFileError, check_keys, load_toml
from lawreport.zh.punctuation import punctuation

WHERE = "indicators/scope.toml"
_DIGIT = regex.compile(r"\d")
_LISTED_VALUES = regex.compile(r"(?:[\d.]+[^\d、,,;。]{0,3}、)+$")
_VERB_ONLY = regex.compile(r"(?:同比|比上年|较上年)?(?:分别)?(?:增长|下降|提高|降低|上升|增加|减少|增|降)?$")
SHARE = "share"  # the reason given for a share that would fill a change column


@dataclass(frozen=True)
class ScopeLexicon:
    words: tuple[str, ...]  # longest first, so the reason names the most telling word
    share: regex.Pattern[str]
    examples: tuple[dict, ...]


def _words(where: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(word, str) and word.strip() for word in value):
        raise DataFileError(f"{where}: expected a list of non-empty words")
    return value


@functools.cache
def scope_lexicon() -> ScopeLexicon:
    data = load_toml("indicators", "scope.toml")
    check_keys(WHERE, data, {"scope", "examples"})
    table = data["scope"]
    check_keys(f"{WHERE} [scope]", table, {"areas", "categories", "share"})
    words = [word for key in ("areas", "categories") for word in _words(f"{WHERE} [scope] {key}", table[key])]
    if len(set(words)) != len(words):
        raise DataFileError(f"{WHERE} [scope]: a word is listed twice")
    try:
        share = regex.compile(table["share"])
    except (regex.error, TypeError) as error:
        raise DataFileError(f"{WHERE} [scope] share: bad regex: {error}") from error
    examples = data["examples"]
    if not isinstance(examples, list) or not examples:
        raise DataFileError(f"{WHERE}: give at least one [[examples]]")
    for number, example in enumerate(examples, 1):
        check_keys(f"{WHERE} [[examples]] #{number}", example, {"clause", "outside"}, {"subject", "own", "change"})
    return ScopeLexicon(tuple(sorted(words, key=len, reverse=True)), share, tuple(examples))


@functools.cache
def _clause_breaks() -> str:
    """What ends the clause before a number: a 、 list stays in its clause."""
    return "".join(mark for mark in punctuation().clause_break if mark != "、") + "\n"


def clause_before(sentence: str, offset: int) -> str:
    """The words of ``sentence`` from its last clause break before ``offset`` up to ``offset``."""
    head = sentence[: max(offset, 0)]
    clause = head[max(head.rfind(mark) for mark in _clause_breaks()) + 1 :]
    # The earlier values of a list (分别增长48.8%、15.4%、) share the words before the first.
    clause = _LISTED_VALUES.sub("", clause)
    # A 、 list of subjects (新能源汽车、家电出口分别增长) is one clause, but a 、 after a number
    # ends the previous quantity's words (…增加值突破1000亿元、研发投入突破), unless only a
    # change verb follows it (进出口额1121亿元、增长12%: the same subject goes on).
    parts = clause.split("、")
    kept = [parts.pop()]
    while parts and (not _DIGIT.search(parts[-1]) or _VERB_ONLY.match("、".join(kept))):
        kept.insert(0, parts.pop())
    return "、".join(kept)


def outside_body(subject: str, clause: str, own: str = "", *, change: bool = False) -> str:
    """Why a row with this ``subject`` and ``clause`` (the words right before its number) is not
    the reporting body's figure: the scope word it names (a word the body's own agency or title
    ``own`` holds does not count), ``share`` for a share that would fill a ``change`` indicator,
    or "" when it is the body's."""
    lexicon = scope_lexicon()
    for word in lexicon.words:
        if (word in subject or word in clause) and word not in own:
            return word
    if change and (lexicon.share.search(clause) or lexicon.share.search(subject)):
        return SHARE
    return ""
