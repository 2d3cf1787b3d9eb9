"""Traditional -> simplified conversion (OpenCC t2s) and script detection.

Works with either the official ``opencc`` binding (C++, ~60x faster) or
``opencc-python-reimplemented``: both install a module named ``opencc`` with
``OpenCC(config).convert``. The converter is created on first use, once per process.
"""

from __future__ import annotations

import functools

import numpy as np

TRADITIONAL_MIN_SHARE = 0.05
MIXED_MIN_SHARE = 0.002


@functools.cache
def _converter():
    import opencc

    for config in ("t2s", "t2s.json"):
        try:
            return opencc.OpenCC(config)
        except Exception:
            continue
    raise RuntimeError("OpenCC could not load its t2s configuration")


def to_simplified(text: str) -> str:
    """Convert ``text`` to simplified Chinese, character for character (same length)."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # Rare phrase conversions change length; fall back to single characters so that
    # every offset still points at the same character.
    return "".join(_convert_char(char) for char in text)


@functools.lru_cache(maxsize=8192)
def _convert_char(char: str) -> str:
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


def detect_script(text: str, simplified: str) -> str:
    """``simplified``, ``traditional`` or ``mixed`` from the share of CJK characters t2s changed."""
    if text == simplified:
        return "simplified"
    before = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    after = np.frombuffer(simplified.encode("utf-32-le"), dtype=np.uint32)
    cjk = (before >= 0x4E00) & (before <= 0x9FFF)
    total = int(cjk.sum())
    changed = int((cjk & (before != after)).sum())
    share = changed / total if total else 0.0
    if share >= TRADITIONAL_MIN_SHARE:
        return "traditional"
    if share >= MIXED_MIN_SHARE:
        return "mixed"
    return "simplified"
