"""The named pattern fragments of Chinese knowledge every data file may use: the numerals'
(:func:`lawreport.zh.numerals.pattern_fragments`) and the punctuation's
(:func:`lawreport.zh.punctuation.pattern_fragments`)."""

from __future__ import annotations

import functools

from lawreport.datafiles import data_text
from lawreport.patterns import PatternTable, load_table
from lawreport.zh import numerals, punctuation


@functools.cache
def zh_fragments() -> dict[str, str]:
    return {**numerals.pattern_fragments(), **punctuation.pattern_fragments()}


def data_patterns(path: str, required: tuple[str, ...]) -> PatternTable:
    """The pattern table of the data file ``path`` (``"text/title.toml"``), which may use zh's
    fragments, validated with its ``required`` names."""
    return load_table(path, data_text(*path.split("/")), zh_fragments(), required=required)
