"""Quality checks for newly collected reports (``lawreport check``).

Each finding has a stable code, a severity and, where one applies, a line and column in
the original file. Codes are never reused for a different meaning.

LR1xx reading, LR2xx metadata, LR3xx outline, LR4xx indicators, LR5xx suspicious text,
LR6xx corpus.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from lawreport.kinds import UNKNOWN, Kind, default_kind, load_kinds
from lawreport.metadata.bodies import junk_agency
from lawreport.metadata.describe import year_from_text
from lawreport.patterns import PatternTable
from lawreport.records import DocumentResult, Processed
from lawreport.text.normalize import pinyin_gloss
from lawreport.zh.fragments import data_patterns


@dataclass(frozen=True)
class CheckCode:
    code: str
    severity: str  # error | warning
    title: str


CODES: dict[str, CheckCode] = {
    entry.code: entry
    for entry in (
        CheckCode("LR100", "error", "file cannot be read"),
        CheckCode("LR101", "error", "binary file, not a report"),
        CheckCode("LR102", "error", "text cannot be decoded"),
        CheckCode("LR103", "error", "empty file"),
        CheckCode("LR104", "error", "file too large"),
        CheckCode("LR105", "warning", "decoding needed a repair"),
        CheckCode("LR106", "warning", "not a .txt or .html file, skipped"),
        CheckCode("LR110", "error", "pipeline failed on this file"),
        CheckCode("LR201", "error", "no title"),
        CheckCode("LR202", "error", "no issuing body"),
        CheckCode("LR203", "error", "no report year"),
        CheckCode("LR204", "warning", "place of the issuing body not resolved"),
        CheckCode("LR205", "warning", "report kind not recognised"),
        CheckCode("LR206", "warning", "issuing body does not look like a body's name"),
        CheckCode("LR207", "warning", "title does not look like a report's title"),
        CheckCode("LR301", "error", "required part missing"),
        CheckCode("LR302", "warning", "part with no label"),
        CheckCode("LR303", "warning", "outline numbering broken"),
        CheckCode("LR304", "warning", "no numbered headings"),
        CheckCode("LR401", "error", "indicators could not be extracted"),
        CheckCode("LR402", "warning", "no indicators found"),
        CheckCode("LR403", "warning", "indicator value left out (too large or too precise for the table)"),
        CheckCode("LR501", "warning", "mojibake"),
        CheckCode("LR502", "warning", "pinyin glosses in the text"),
        CheckCode("LR503", "warning", "placeholder instead of content"),
        CheckCode("LR504", "warning", "report year disagrees with the title"),
        CheckCode("LR601", "warning", "duplicate of another report"),
    )
}
READ_ERROR_CODES = {  # errors of the read stage; a time budget spent later is LR110 or LR401
    "BinaryFile": "LR101",
    "DecodeError": "LR102",
    "EmptyFile": "LR103",
    "FileTooLarge": "LR104",
    "InputError": "LR100",
}


@functools.cache
def check_patterns() -> PatternTable:
    """``data/qa/checks.toml``: mojibake, placeholders, junk-looking titles."""
    return data_patterns(
        "qa/checks.toml",
        required=("mojibake", "placeholder", "junk_title"),
    )


@dataclass(frozen=True)
class Finding:
    path: str
    code: str
    severity: str
    message: str
    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class FileCheck:
    """The findings of one file (``path`` as shown to the user), sorted by position and code."""

    path: str
    doc_id: str | None
    findings: tuple[Finding, ...]


class LineIndex:
    """Line and column (1-based) of offsets in a source text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def check_result(
    result: DocumentResult,
    *,
    required: Sequence[str] | None = None,
    kind: Kind | None = None,
    kinds: Sequence[Kind] | None = None,
) -> list[Finding]:
    """Every finding for one processed report; ``required`` parts default to those of its
    kind (``kind``, else the one named by its metadata among ``kinds``, else the default)."""
    if kind is None and isinstance(result, Processed) and result.meta.kind:
        kind = next((k for k in kinds or load_kinds() if k.name == result.meta.kind), None)
    kind = kind or default_kind()
    required = kind.required if required is None else required
    path = result.path
    if not isinstance(result, Processed):
        error = result.error
        if error.stage == "read":
            code = READ_ERROR_CODES.get(error.error_type, "LR100")
        elif error.stage == "indicators":
            code = "LR401"
        else:
            code = "LR110"
        return [Finding(path, code, CODES[code].severity, f"{error.message} {error.hint}".strip())]
    findings: list[Finding] = []
    source_text = result.source.text
    lines = LineIndex(source_text)

    def add(code: str, message: str, normalized_offset: int | None = None, source_offset: int | None = None) -> None:
        line = column = None
        if normalized_offset is not None:
            source_offset = result.normalized.offsets.to_source(min(normalized_offset, len(result.normalized.text)))
        if source_offset is not None:
            line, column = lines.position(source_offset)
        findings.append(Finding(path, code, CODES[code].severity, message, line, column))

    for warning in result.source.warnings:
        add("LR105", warning)
    meta = result.meta
    if not meta.title:
        add("LR201", "no title found: the report should start with its title", 0)
    if not meta.agency:
        add("LR202", "issuing body not found in the title, closing block or opening sentence", 0)
    if meta.report_year is None:
        add("LR203", "report year not found in the title or opening sentence", 0)
    if meta.agency and not (meta.province or meta.city or meta.county) and not kind.is_national(meta.agency):
        add("LR204", f"no place name resolved for {meta.agency!r}")
    why = junk_agency(meta.agency) if meta.agency else None
    if why:
        add("LR206", f"issuing body {meta.agency!r}: {why}; check the title, sign-off and 发布机构 line")
    if meta.title and ((len(meta.title) < 6 and meta.title != "政府工作报告") or len(meta.title) > 80):
        add("LR207", f"title {meta.title!r} has an odd length for a report's title", 0)
    elif meta.title and any(p.search(meta.title) for p in check_patterns().alternatives("junk_title")):
        add("LR207", f"title {meta.title!r} holds page chrome or no report word: check the page's headline", 0)
    if meta.kind_cue == "none":
        add(
            "LR205",
            f"report kind not recognised (read as {meta.kind!r}): no kind's cue in the title or opening; "
            "is this the right document? Force one with --kind or add a kind with --kinds",
            0,
        )

    top = result.outline.top_level
    labels = {section.label for section in top}
    for part in required:
        if part not in labels:
            add("LR301", f"required part {part!r} not found in the outline")
    for section in top:
        if section.label == UNKNOWN:
            add("LR302", f"part {section.full_heading[:30]!r} matches no standard part", section.start)
    for warning in result.outline.warnings:
        if warning.startswith("outline numbering"):
            add("LR303", warning)
        elif warning.startswith("no numbered headings"):
            add("LR304", "no numbered headings: the outline could not be read")
    if not result.indicators:
        add("LR402", "no quantities with units found")
    for item in result.indicators:
        if item.problem:
            add("LR403", f"{item.text[:40]!r}: {item.problem}", item.start)

    for match in check_patterns()["mojibake"].finditer(source_text):
        add(
            "LR501",
            f"mojibake {match.group()!r} (text was decoded with the wrong codec somewhere upstream)",
            source_offset=match.start(),
        )
        break
    glosses = list(pinyin_gloss().finditer(source_text))
    if glosses:
        add(
            "LR502",
            f"{len(glosses)} pinyin glosses such as {glosses[0].group()!r} (removed in the normalised text)",
            source_offset=glosses[0].start(),
        )
    for match in check_patterns()["placeholder"].finditer(source_text):
        add("LR503", f"placeholder {match.group()!r} where content should be", source_offset=match.start())
    title_year = year_from_text(meta.title) if meta.title else None
    if title_year is not None:
        body_years = _heading_years(result)
        if body_years and title_year not in body_years and title_year + 1 not in body_years:
            common = Counter(body_years).most_common(1)[0][0]
            add("LR504", f"title says {title_year} but the opening and headings speak of {common}", 0)
    return findings


def _heading_years(result: Processed) -> list[int]:
    text = result.normalized.text
    years = []
    for section in result.outline.top_level:
        if section.style in ("title", "closing"):
            continue
        year = year_from_text(text[section.start : min(section.end, section.start + 80)])
        if year is not None:
            years.append(year)
    return years
