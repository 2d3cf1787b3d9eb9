"""Map positions in a normalised text back to the decoded source text.

Normalisation only ever keeps runs of source characters (possibly converted one
for one, e.g. full-width -> half-width or traditional -> simplified) and inserts
line breaks, so the map is a short list of runs: ``out_start -> src_start`` with a
constant offset inside each run. Looking up a position is a binary search.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OffsetMap:
    """Piecewise-constant offset from normalised positions to source positions."""

    out_starts: array = field(default_factory=lambda: array("q"))
    src_starts: array = field(default_factory=lambda: array("q"))
    out_length: int = 0
    src_length: int = 0

    def to_source(self, pos: int) -> int:
        """Source offset of normalised offset ``pos`` (``pos == len(text)`` is allowed)."""
        if not 0 <= pos <= self.out_length:
            raise IndexError(f"offset {pos} outside 0..{self.out_length}")
        if not self.out_starts:
            return 0
        if pos == self.out_length:
            index = len(self.out_starts) - 1
            return min(self.src_starts[index] + (pos - self.out_starts[index]), self.src_length)
        index = bisect.bisect_right(self.out_starts, pos) - 1
        return self.src_starts[index] + (pos - self.out_starts[index])

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering the normalised span ``[start, end)``."""
        if end <= start:
            point = self.to_source(start)
            return point, point
        return self.to_source(start), self.to_source(end - 1) + 1


class OffsetMapBuilder:
    """Collects kept source runs in output order and builds the text and its map."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._pieces: list[str] = []
        self._out_starts = array("q")
        self._src_starts = array("q")
        self._length = 0
        self._next_src = -1

    def keep(self, text: str, src_start: int) -> None:
        """Append ``text`` whose characters correspond one for one to source from ``src_start``."""
        if not text:
            return
        if self._next_src != src_start:
            self._out_starts.append(self._length)
            self._src_starts.append(src_start)
        self._pieces.append(text)
        self._length += len(text)
        self._next_src = src_start + len(text)

    def insert(self, text: str, src_at: int) -> None:
        """Append ``text`` that has no source of its own; it maps to ``src_at``."""
        for char in text:
            self._out_starts.append(self._length)
            self._src_starts.append(src_at)
            self._pieces.append(char)
            self._length += 1
        self._next_src = -1

    def build(self) -> tuple[str, OffsetMap]:
        text = "".join(self._pieces)
        return text, OffsetMap(self._out_starts, self._src_starts, len(text), len(self._source))
