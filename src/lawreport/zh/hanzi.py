"""The frequent Chinese characters of government reports (simplified and traditional), which
tell a GB18030 reading from a Big5 one (``data/zh/common_hanzi.txt``, built by
scripts/build_common_hanzi.py)."""

from __future__ import annotations

import functools

from lawreport.datafiles import data_text


@functools.cache
def common_hanzi() -> frozenset[str]:
    lines = data_text("zh", "common_hanzi.txt").splitlines()
    return frozenset("".join(line for line in lines if not line.startswith("#")))


def is_cjk(char: str) -> bool:
    """A CJK unified ideograph (basic block or extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
