"""Map positions in a normalised text back to the decoded source text.

Normalisation only ever keeps runs of source characters (possibly converted one
for one, e.g. full-width -> half-width or traditional -> simplified) and inserts
line breaks, so the map is a short list of runs: ``out_start -> src_start`` with a
constant offset inside each run. Looking up a position is a binary search.
"""

from __future__ import annotations

from array import array

from lawreport.records import OffsetMap


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
