"""Normalise a decoded report: one pure function, :func:`normalize`.

Steps, each keeping a map back to source offsets:
1. width folding (full-width ASCII -> half-width, odd spaces -> space), one for one;
2. traditional -> simplified (OpenCC t2s), one for one, when the text is not simplified;
3. per line: cut invisible format characters (zero-width spaces, bidi marks and overrides,
   soft hyphens, variation selectors: everything of Unicode category Cf and a few invisible
   fillers), spaces between digit groups (1 000 -> 1000), pinyin glosses such as 統(tǒng)
   and site watermarks; collapse runs of spaces; trim;
4. drop web-page chrome and publication lines (kept as metadata), repeated titles;
5. break run-on lines before numbered headings so the outline can be read.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import regex

from lawreport.budget import UNLIMITED, Budget
from lawreport.patterns import PatternTable
from lawreport.records import Normalized, RemovedLine
from lawreport.text.chrome import ChromeRules, LineKind, chrome_rules, classify_lines
from lawreport.text.offsets import OffsetMapBuilder
from lawreport.text.title import is_title_like
from lawreport.zh.fragments import data_patterns
from lawreport.zh.script import simplify
from lawreport.zh.script import warm_up as warm_up_script


def _fold_table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    for space in (
        0x3000,
        0x00A0,
        0x2002,
        0x2003,
        0x2004,
        0x2005,
        0x2006,
        0x2007,
        0x2008,
        0x2009,
        0x200A,
        0x202F,
        0x205F,
    ):
        table[space] = " "
    table[ord("\t")] = " "
    table[0xFF5F] = "("  # ｟ white parenthesis, seen around enumerations
    table[0xFF60] = ")"
    table[0xFFE5] = "¥"
    return table


FOLD_TABLE = _fold_table()
_LINE = regex.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x85]*(?:\r\n|[\r\n\u2028\u2029\x0b\x0c\x85])?")
# Invisible characters: format characters (Cf: zero-width spaces and joiners, bidi marks,
# embeddings, overrides and isolates, soft hyphen, BOM, tag characters), variation selectors,
# the combining grapheme joiner, Hangul fillers and C0 controls. Inside a number they would
# hide it or change its value ("1\u202e2" is 12 as stored).
_INVISIBLE = r"[\p{Cf}\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef\x00-\x08\x0e-\x1f\x7f]"
_INVISIBLE_CHARS = regex.compile(_INVISIBLE)
_BIDI_OVERRIDE = regex.compile(r"[\u202d\u202e]")
_SPACE_RUN = regex.compile(r"(?<= ) +|^ +| +$")
RUN_ON_MIN_LENGTH = 200


@functools.cache
def normalize_patterns() -> PatternTable:
    """``data/text/normalize.toml``: digit-group spaces, pinyin glosses, run-on line breaks."""
    return data_patterns(
        "text/normalize.toml",
        required=("digit_group_space", "pinyin_gloss", "run_on_heading", "run_on_title"),
    )


def pinyin_gloss() -> regex.Pattern[str]:
    """A pinyin gloss such as the (tǒng) of 统(tǒng)."""
    return normalize_patterns()["pinyin_gloss"]


@functools.cache
def _run_on_heading() -> regex.Pattern[str]:
    return regex.compile("|".join(f"(?:{p.pattern})" for p in normalize_patterns().alternatives("run_on_heading")))


@dataclass
class _Line:
    """A line being cleaned: its text and the source run of each piece of it."""

    text: str
    runs: list[tuple[int, int, int]]  # (out_start, src_start, length)
    src_end: int

    def delete(self, spans: Iterable[tuple[int, int]]) -> _Line:
        spans = sorted(spans)
        if not spans:
            return self
        pieces: list[str] = []
        runs: list[tuple[int, int, int]] = []
        out = 0
        cursor = 0
        for start, end in [*spans, (len(self.text), len(self.text))]:
            if start > cursor:
                for run_out, run_src, run_len in self.runs:
                    lo, hi = max(cursor, run_out), min(start, run_out + run_len)
                    if lo < hi:
                        runs.append((out + lo - cursor, run_src + lo - run_out, hi - lo))
                pieces.append(self.text[cursor:start])
                out += start - cursor
            cursor = max(cursor, end)
        return _Line("".join(pieces), runs, self.src_end)


@functools.cache
def _fold_codes() -> np.ndarray:
    table = np.arange(0x10000, dtype=np.uint32)
    for code, replacement in FOLD_TABLE.items():
        table[code] = ord(replacement)
    return table


# Texts at least this long are scanned for invisible characters with a table of the BMP's
# (built once, ~10 ms): the regex's \p{Cf} class reads ~45 MB/s, the table lookup ~10x that.
_INVISIBLE_TABLE_MIN_LENGTH = 4_000


@functools.cache
def _invisible_table() -> np.ndarray:
    """For each BMP code point: is it one of :data:`_INVISIBLE` (asked of the regex itself)?"""
    bmp = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    table = np.zeros(0x10000, dtype=bool)
    table[[ord(char) for char in _INVISIBLE_CHARS.findall(bmp)]] = True
    return table


def _invisible_positions(text: str) -> list[int]:
    """Where :data:`_INVISIBLE` matches in ``text`` (each match is one character)."""
    if len(text) >= _INVISIBLE_TABLE_MIN_LENGTH:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        if int(codes.max()) < 0x10000:
            return np.flatnonzero(_invisible_table()[codes]).tolist()
    return [match.start() for match in _INVISIBLE_CHARS.finditer(text)]


def fold_width(text: str) -> str:
    """Full-width ASCII to half-width and odd spaces to a plain space (same length)."""
    # str.translate with a dict costs a dict lookup per character; a table lookup over the
    # UTF-32 code points is ~20x faster on report-sized texts.
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if codes.size == 0:
        return text
    table = _fold_codes()
    if int(codes.max()) < 0x10000:
        folded = table[codes]
    else:
        folded = np.where(codes < 0x10000, table[np.minimum(codes, 0xFFFF)], codes)
    return folded.tobytes().decode("utf-32-le")


def normalize(
    text: str,
    *,
    hints: dict[str, str] | None = None,
    rules: ChromeRules | None = None,
    budget: Budget = UNLIMITED,
) -> Normalized:
    """Normalise decoded report text; see the module docstring for the steps."""
    rules = rules or chrome_rules()
    script, work = simplify(fold_width(text))
    cut = _cut_pattern(rules)
    warnings: list[str] = []
    overrides = work.count("\u202d") + work.count("\u202e")  # (what _BIDI_OVERRIDE finds)
    if overrides:
        warnings.append(
            f"removed {overrides} bidi override characters (U+202D/U+202E): the page displays the text "
            "around them in another order than it is stored; values follow the stored order"
        )
    glosses = 0
    lines: list[_Line] = []
    # Invisible characters (one character each) found in one scan of the text, taken line by line.
    invisible = _invisible_positions(work)
    next_invisible = 0
    for match in _LINE.finditer(work):
        budget.check("normalize")
        if match.start() == match.end():
            continue
        content = match.group().rstrip("\r\n\u2028\u2029\x0b\x0c\x85")
        start = match.start()
        line = _Line(content, [(0, start, len(content))], start + len(content))
        # Invisible characters go first, so that what they split is seen whole (1\u200b 000).
        if next_invisible < len(invisible) and invisible[next_invisible] < match.end():
            spans = []
            while next_invisible < len(invisible) and invisible[next_invisible] < match.end():
                position = invisible[next_invisible] - start
                if position < len(content):
                    spans.append((position, position + 1))
                next_invisible += 1
            line = line.delete(spans)
        matches = list(cut.finditer(line.text))
        if matches:
            glosses += sum(1 for m in matches if m.group().startswith("("))
            line = line.delete(m.span() for m in matches)
        if " " in line.text:  # (runs of spaces are all _SPACE_RUN deletes)
            line = line.delete(m.span() for m in _SPACE_RUN.finditer(line.text))
        if line.text:
            lines.append(line)
    if glosses:
        warnings.append(f"removed {glosses} pinyin glosses such as 统(tǒng)")
    kinds = classify_lines([line.text for line in lines], rules)
    builder = OffsetMapBuilder(text)
    removed: list[RemovedLine] = []
    first_kept = True
    for line, kind in zip(lines, kinds, strict=True):
        if not kind.kept:
            src_start = line.runs[0][1] if line.runs else line.src_end
            removed.append(RemovedLine(kind.value, line.text, src_start, line.src_end))
            continue
        if not first_kept:
            builder.insert("\n", line.runs[0][1] if line.runs else line.src_end)
        _emit(builder, line, _break_points(line.text, first_line=first_kept and kind is LineKind.BODY))
        first_kept = False
    normalized_text, offsets = builder.build()
    return Normalized(
        text=normalized_text,
        offsets=offsets,
        script=script,
        title_lines=tuple(line.text for line, kind in zip(lines, kinds, strict=True) if kind is LineKind.TITLE),
        front_lines=tuple(line.text for line, kind in zip(lines, kinds, strict=True) if kind is LineKind.FRONT),
        metadata_lines=tuple(r.text for r in removed if r.kind == LineKind.METADATA.value),
        removed=tuple(removed),
        warnings=tuple(warnings),
        hints=dict(hints or {}),
    )


@functools.lru_cache(maxsize=8)
def _cut_pattern(rules: ChromeRules) -> regex.Pattern[str]:
    """Digit-group spaces, pinyin glosses and site watermarks, in one pattern."""
    patterns = normalize_patterns()
    fixed = (patterns["digit_group_space"], patterns["pinyin_gloss"])
    return regex.compile("|".join(f"(?:{p.pattern})" for p in (*fixed, *(r.pattern for r in rules.inline))))


def _break_points(line: str, *, first_line: bool) -> list[int]:
    """Where to break a run-on line: before inline numbered headings (and after a glued title)."""
    if len(line) < RUN_ON_MIN_LENGTH:
        return []
    points = [m.start() for m in _run_on_heading().finditer(line)]
    if first_line:
        title = normalize_patterns()["run_on_title"].match(line)
        if title and is_title_like(title.group()):
            points.insert(0, title.end())
    return sorted(set(point for point in points if 0 < point < len(line)))


def _emit(builder: OffsetMapBuilder, line: _Line, breaks: list[int]) -> None:
    breaks_left = list(breaks)
    for run_out, run_src, run_len in line.runs:
        start = run_out
        end = run_out + run_len
        while breaks_left and breaks_left[0] < end:
            point = breaks_left.pop(0)
            if point > start:
                builder.keep(line.text[start:point], run_src + start - run_out)
            text_before = line.text[:point]
            if text_before.endswith(" "):
                pass
            builder.insert("\n", run_src + point - run_out)
            start = point
        builder.keep(line.text[start:end], run_src + start - run_out)


def warm_up() -> None:
    """Load the chrome patterns, the width table and OpenCC now (before workers fork)."""
    _cut_pattern(chrome_rules())
    _run_on_heading()
    _fold_codes()
    _invisible_table()
    warm_up_script()
