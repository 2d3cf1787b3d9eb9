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


@functools.cache
def _changeable() -> np.ndarray:
    """For each BMP code point: does t2s change it on its own? Phrase entries always hold a
    character that changes on its own, so a text with none of these is already simplified."""
    codes = [code for code in range(0x2E80, 0x10000) if not 0xD800 <= code < 0xE000]
    converted = _converter().convert("\n".join(map(chr, codes))).split("\n")
    table = np.zeros(0x10000, dtype=bool)
    if len(converted) != len(codes):  # a converter that merges lines: trust nothing
        table[:] = True
        return table
    for code, after in zip(codes, converted, strict=True):
        table[code] = after != chr(code)
    return table


def may_be_traditional(text: str) -> bool:
    """False only when t2s would leave ``text`` unchanged (checked without running OpenCC)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if codes.size == 0:
        return False
    if int(codes.max()) >= 0x10000:
        return True
    return bool(_changeable()[codes].any())


def simplify(text: str) -> tuple[str, str]:
    """The script of ``text`` and the text to work on: converted to simplified unless it
    already reads as simplified (OpenCC runs only when a character could change)."""
    if not may_be_traditional(text):
        return "simplified", text
    simplified = to_simplified(text)
    script = detect_script(text, simplified)
    return script, (text if script == "simplified" else simplified)


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


def warm_up() -> None:
    """Load OpenCC and the table of characters it changes now (before workers fork)."""
    simplify("預熱")
