"""Find text that a report holds twice, and make the second copy one ``repeat`` section.

A repost often holds its report twice (workreports/014 repeats the whole speech after its
closing). A repeat is a run of consecutive lines each equal (white space aside) to an earlier
line of the text, with at least :data:`MIN_LONG_LINES` long paragraphs in it: short lines
(各位代表:, a heading) recur in any report, long paragraphs do not. The run is widened back
over the repeated short lines before it (the copy's title and salutation) and may step over
very short lines that are not repeated (page numbers, a stray mark).

The repeat becomes one top-level section labelled :data:`~lawreport.kinds.REPEAT`, the
sections the outline had inside it are dropped (their first copy stands for them), and the
indicator stage reads no numbers in it, so no figure is counted twice. A warning names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import regex

from lawreport.kinds import REPEAT
from lawreport.outline.carve import renumbered
from lawreport.outline.parse import first_words
from lawreport.records import Outline, Section

LONG_LINE = 40  # characters (white space aside) from which a repeated line counts as a repeated paragraph
MIN_LONG_LINES = 3  # repeated paragraphs in a run for it to be a repeat, not a chance echo
GAP_LINE = 12  # a line this short that is not repeated does not end a run
_SPACE = regex.compile(r"\s+")


@dataclasses.dataclass(frozen=True)
class _Line:
    start: int
    end: int
    key: str
    repeated: bool


def _lines(text: str) -> list[_Line]:
    """The non-empty lines of ``text``, each saying whether an equal line came before it."""
    lines: list[_Line] = []
    seen: set[str] = set()
    position = 0
    for raw in text.split("\n"):
        key = _SPACE.sub("", raw)
        if key:
            lines.append(_Line(position, position + len(raw), key, key in seen))
            seen.add(key)
        position += len(raw) + 1
    return lines


def find_repeats(text: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of ``text`` that repeats earlier text, in order."""
    lines = _lines(text)
    spans: list[tuple[int, int]] = []
    index = 0
    floor = 0  # a run never widens back into the one before it
    while index < len(lines):
        line = lines[index]
        if not (line.repeated and len(line.key) >= LONG_LINE):
            index += 1
            continue
        first = index
        while first - 1 >= floor and lines[first - 1].repeated:
            first -= 1
        last = index
        cursor = index + 1
        while cursor < len(lines) and (lines[cursor].repeated or len(lines[cursor].key) <= GAP_LINE):
            if lines[cursor].repeated:
                last = cursor
            cursor += 1
        long_lines = sum(len(item.key) >= LONG_LINE for item in lines[first : last + 1])
        if long_lines >= MIN_LONG_LINES:
            spans.append((lines[first].start, lines[last].end))
            floor = last + 1
        index = last + 1
    return spans


def mark_repeats(outline: Outline, text: str, reparse: Callable[[str], Outline] | None = None) -> Outline:
    """``outline`` with each repeated stretch of ``text`` as one top-level ``repeat`` section
    (before labelling: the section's style is its label) and a warning for it. With
    ``reparse`` (the parser), the outline's own warnings are those of the text with the
    repeated stretches blanked out: a copy's headings do not count (numbering restarts at 一、)."""
    spans = find_repeats(text)
    if not spans:
        return outline
    sections = list(outline.sections)
    warnings = list(outline.warnings if reparse is None else reparse(_blanked(text, spans)).warnings)
    for start, end in spans:
        while end < len(text) and text[end].isspace():
            end += 1  # the blank lines after it too: no part of a few blanks is left behind
        sections = _without(sections, start, end)
        heading = first_words(text[start:end].lstrip())
        sections.append(Section("", None, 1, REPEAT, "", heading, start, end, "", 0.0, ""))
        warnings.append(
            f"repeated text: {end - start:,} characters from offset {start} repeat earlier text "
            f"({heading[:20]!r}); kept as one section labelled {REPEAT!r}, its numbers not read"
        )
    return Outline(tuple(renumbered(sections)), tuple(warnings))


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character of ``spans`` but line ends made a space (offsets and
    lines stay where they were)."""
    pieces, cursor = [], 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        pieces.append(regex.sub(r"[^\n]", " ", text[start:end]))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _without(sections: list[Section], start: int, end: int) -> list[Section]:
    """``sections`` with the stretch [start, end) cut out: a section inside it is dropped, one
    across its start ends there, one across its end starts after it; a top-level part
    around it goes on after it as a continuation."""
    kept: list[Section] = []
    for section in sections:
        if start <= section.start and section.end <= end:
            continue
        if section.start < start:
            kept.append(section.with_end(min(section.end, start)))
            if section.end > end and section.level == 1:
                kept.append(dataclasses.replace(section, number="", heading="", start=end))
        elif section.start < end:
            kept.append(dataclasses.replace(section, start=end))
        else:
            kept.append(section)
    return kept
