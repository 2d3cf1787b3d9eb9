"""Sentence ends, clause breaks and brackets: the one definition (``data/zh/punctuation.toml``).

A sentence ends at 。;!? (and, for the extractor, at a line break: every line of a normalised
text is a paragraph); a clause also at , : 、. Data patterns use ``{SentenceEnd}``,
``{ClauseBreak}`` and ``{Bracket}``; code takes the characters from :func:`punctuation`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from lawreport.datafiles import load_toml
from lawreport.errors import DataFileError
from lawreport.patterns import char_class
from lawreport.schema import ListOf, Table, Text, validate

_SET = Table(
    required={
        "chars": Text(),
        "examples": ListOf(Table(required={"text": Text(), "parts": ListOf(Text())})),
    }
)
SCHEMA = Table(required={"sentence_end": _SET, "clause_break": _SET, "bracket": _SET})


@dataclass(frozen=True)
class Punctuation:
    sentence_end: str  # characters that end a sentence
    clause_break: str  # characters that end a clause, sentence ends included
    bracket: str  # quotation marks and brackets
    examples: tuple[tuple[str, str, tuple[str, ...]], ...]  # (set, text, parts)

    def split(self, text: str, chars: str) -> list[str]:
        """``text`` cut after each of ``chars`` (for the examples)."""
        return [part for part in regex.split(f"(?<={char_class(chars)})", text) if part]


@functools.cache
def punctuation() -> Punctuation:
    where = "zh/punctuation.toml"
    data = validate(where, load_toml("zh", "punctuation.toml"), SCHEMA)
    sets = {name: data[name]["chars"] for name in ("sentence_end", "clause_break", "bracket")}
    for name, chars in sets.items():
        if len(set(chars)) != len(chars):
            raise DataFileError(f"{where} [{name}]: a character is listed twice")
    examples = tuple(
        (name, example["text"], tuple(example["parts"])) for name in sets for example in data[name]["examples"]
    )
    return Punctuation(
        sentence_end=sets["sentence_end"],
        clause_break=sets["sentence_end"] + sets["clause_break"],
        bracket=sets["bracket"],
        examples=examples,
    )


def pattern_fragments() -> dict[str, str]:
    marks = punctuation()
    return {
        "SentenceEnd": char_class(marks.sentence_end),
        "ClauseBreak": char_class(marks.clause_break),
        "Bracket": char_class(marks.bracket),
    }
