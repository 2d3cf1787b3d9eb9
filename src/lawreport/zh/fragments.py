"""The named pattern fragments of Chinese knowledge every data file may use: the numerals'
(:func:`lawreport.zh.numerals.pattern_fragments`) and the punctuation's
(:func:`lawreport.zh.punctuation.pattern_fragments`)."""

from __future__ import annotations

import functools

from lawreport.zh import numerals, punctuation


@functools.cache
def zh_fragments() -> dict[str, str]:
    return {**numerals.pattern_fragments(), **punctuation.pattern_fragments()}
