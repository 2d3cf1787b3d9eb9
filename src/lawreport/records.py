"""The records the pipeline passes from stage to stage: data types only.

Each stage takes records and returns a new one (frozen dataclasses), so a stage is a pure
function a caller can run on its own: :class:`SourceText` (read) → :class:`Normalized`
(normalise) → :class:`DocumentMeta` (describe) → :class:`Outline` (outline) →
:class:`Indicator` rows (indicators). A file's result is :class:`Processed` or
:class:`Failed`, never a record of optional fields. How records become table rows is
:mod:`lawreport.tables.rows`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, TypeAlias

# -- read -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceText:
    """A report as decoded text, before normalisation."""

    path: str
    text: str
    encoding: str
    format: str  # "txt" or "html"
    n_bytes: int
    hints: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


# -- normalise --------------------------------------------------------------------------


@dataclass(frozen=True)
class OffsetMap:
    """Piecewise-constant offset from normalised positions to source positions (built by
    :class:`lawreport.text.offsets.OffsetMapBuilder`)."""

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


@dataclass(frozen=True)
class RemovedLine:
    """A line normalisation dropped, with its kind and source span."""

    kind: str
    text: str
    src_start: int
    src_end: int


@dataclass(frozen=True)
class Normalized:
    text: str
    offsets: OffsetMap
    script: str
    title_lines: tuple[str, ...] = ()
    front_lines: tuple[str, ...] = ()
    metadata_lines: tuple[str, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    warnings: tuple[str, ...] = ()
    hints: dict[str, str] = field(default_factory=dict)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span_to_source(start, end)


# -- describe ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentMeta:
    """What a report says about itself. ``front_lines`` (title and front matter at the top)
    and ``closing_line`` (the dated sign-off line near the end, if any) frame the body: the
    outline starts and ends there, so the two are decided once, here."""

    title: str | None
    agency: str | None
    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    report_year: int | None
    publish_date: dt.date | None
    signed_date: dt.date | None
    warnings: tuple[str, ...] = ()
    front_lines: int = 0
    closing_line: int | None = None
    kind: str = ""  # the report kind (fazhi, work_report, disclosure, other or a user's)
    kind_cue: str = ""  # what decided it: title:…, body:…, option (--kind) or none
    # What decided each field (field -> cue, "" when the field is empty): see lawreport.metadata.cues.
    cues: tuple[tuple[str, str], ...] = ()


# -- outline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One node of the outline. ``start``/``end`` are offsets into the normalised text."""

    section_id: str
    parent_id: str | None
    level: int
    style: str
    number: str
    heading: str
    start: int
    end: int
    label: str = ""
    confidence: float = 0.0
    cue: str = ""

    @property
    def n_chars(self) -> int:
        return self.end - self.start

    @property
    def full_heading(self) -> str:
        return f"{self.number}{self.heading}"

    def with_end(self, end: int) -> Section:
        # dataclasses.replace introspects the fields on every call; this runs per section.
        return Section(
            self.section_id, self.parent_id, self.level, self.style, self.number, self.heading,
            self.start, end, self.label, self.confidence, self.cue,
        )  # fmt: skip

    def with_label(self, label: str, confidence: float, cue: str) -> Section:
        return Section(
            self.section_id, self.parent_id, self.level, self.style, self.number, self.heading,
            self.start, self.end, label, confidence, cue,
        )  # fmt: skip


@dataclass(frozen=True)
class Outline:
    sections: tuple[Section, ...]
    warnings: tuple[str, ...] = ()

    @property
    def top_level(self) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if section.level == 1)

    def section_at(self, offset: int) -> Section | None:
        """The deepest section containing ``offset``."""
        best = None
        for section in self.sections:
            if section.start <= offset < section.end and (best is None or section.level >= best.level):
                best = section
        return best

    def section_finder(self) -> Callable[[int], Section | None]:
        """:meth:`section_at` for many offsets: the answer is constant between section
        boundaries, so it is computed once per stretch in one sweep (O(n log n), however many
        sections) and found again by bisection."""
        bounds = sorted({section.start for section in self.sections} | {section.end for section in self.sections})
        order = sorted(range(len(self.sections)), key=lambda index: self.sections[index].start)
        answers: list[Section | None] = []
        active: list[tuple[int, int, int]] = []  # (-level, -index, end): deepest, then latest, on top
        next_section = 0
        for bound in bounds:
            while next_section < len(order) and self.sections[order[next_section]].start <= bound:
                index = order[next_section]
                section = self.sections[index]
                heapq.heappush(active, (-section.level, -index, section.end))
                next_section += 1
            while active and active[0][2] <= bound:
                heapq.heappop(active)
            answers.append(self.sections[-active[0][1]] if active else None)

        def find(offset: int) -> Section | None:
            stretch = bisect.bisect_right(bounds, offset) - 1
            return answers[stretch] if stretch >= 0 else None

        return find


# -- indicators -------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One quantity in a report. Offsets refer to the normalised text; ``sentence`` is
    ``text[sentence_start:sentence_end]``, a window around the number when the sentence is long."""

    start: int
    end: int
    text: str
    value: Decimal | None
    value_low: Decimal | None
    value_high: Decimal | None
    unit: str
    unit_kind: str
    qualifier: str
    is_target: bool
    subject: str
    indicator_id: str
    indicator: str
    sentence: str
    rule_id: str
    section_id: str | None = None
    section_label: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    problem: str = ""  # why the value is missing although the number was found
    is_estimate: bool = False  # a review part's 预计 figure: an estimate of the period, not a target
    change: str = ""  # up | down for a change (增长9.6%), '' for a level (失业率4.6%)
    basis: str = ""  # what a change is measured against, as written (同比, 比上年, 年均…)
    role: str = ""  # from | to: one end of a from->to pair (从A提高到B)
    pair_no: int | None = None  # the pair's number in the document (both ends share it)
    respectively: bool = False  # one value of a 分别 list
    part_of: int | None = None  # indicator_no of the whole this is a 其中 part of (100亿元,其中40亿元)


# -- one file's result -----------------------------------------------------------------


@dataclass(frozen=True)
class ErrorRecord:
    """Why a file has no rows: the stage that failed, the error type, a message and a hint."""

    path: str
    stage: str
    error_type: str
    message: str
    hint: str = ""
    severity: str = "error"  # error | skipped


@dataclass(frozen=True)
class Processed:
    """Everything lawreport learns from one input file that went through every stage."""

    path: str
    doc_id: str
    source: SourceText
    normalized: Normalized
    meta: DocumentMeta
    outline: Outline
    indicators: tuple[Indicator, ...]
    pack: str  # the rule set's version, e.g. core@1.0+fazhi@1.0
    warnings: tuple[str, ...] = ()

    ok: ClassVar[bool] = True
    error: ClassVar[None] = None


@dataclass(frozen=True)
class Failed:
    """A file that could not be processed: what is known of it (its decoded text, when the
    failure came after reading) and the error."""

    path: str
    error: ErrorRecord
    source: SourceText | None = None

    ok: ClassVar[bool] = False
    doc_id: ClassVar[None] = None
    warnings: ClassVar[tuple[str, ...]] = ()


DocumentResult: TypeAlias = Processed | Failed
