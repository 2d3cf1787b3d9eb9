"""The extraction pipeline for one file: read, normalise, describe, outline, indicators.

:func:`process_file` never raises for bad input: a failure becomes an :class:`ErrorRecord`
naming the stage, so one broken file never stops a batch.
"""

from __future__ import annotations

import dataclasses
import hashlib
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lawreport.budget import DEFAULT_TIME_BUDGET, Budget, check_seconds
from lawreport.errors import LawreportError
from lawreport.indicators.find import MAX_NUMBERS, Indicator, find_indicators
from lawreport.indicators.rulepack import DEFAULT_TIMEOUT, RuleSet, load_ruleset
from lawreport.metadata.describe import DocumentMeta, describe
from lawreport.outline.labels import label_outline, outline_warnings
from lawreport.outline.parse import Outline, parse_outline
from lawreport.reading.discover import DEFAULT_MAX_BYTES, SourceText, read_source
from lawreport.reading.encoding import check_encoding
from lawreport.text.chrome import is_title_like
from lawreport.text.normalize import Normalized, normalize


@dataclass(frozen=True)
class ExtractOptions:
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    rules: tuple[str, ...] = ()  # user rule pack folders, after the built-in packs
    rule_timeout: float = DEFAULT_TIMEOUT
    time_budget: float | None = DEFAULT_TIME_BUDGET  # seconds for one document in all; None or 0: no limit

    def __post_init__(self) -> None:
        budget = check_seconds("--time-budget", self.time_budget, zero_means_unlimited=True)
        object.__setattr__(self, "time_budget", budget)
        if self.encoding is not None:
            check_encoding(self.encoding)

    def budget(self) -> Budget:
        """A fresh time budget for one document."""
        return Budget(self.time_budget)

    def ruleset(self) -> RuleSet:
        return load_ruleset(tuple(str(path) for path in self.rules), self.rule_timeout)


@dataclass(frozen=True)
class ErrorRecord:
    path: str
    stage: str
    error_type: str
    message: str
    hint: str = ""
    severity: str = "error"  # error | skipped

    def row(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class DocumentResult:
    """Everything lawreport learns from one input file."""

    path: str
    doc_id: str | None = None
    source: SourceText | None = None
    normalized: Normalized | None = None
    meta: DocumentMeta | None = None
    outline: Outline | None = None
    indicators: tuple[Indicator, ...] = ()
    pack: str = ""
    error: ErrorRecord | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def document_row(self, duplicate_of: str | None = None) -> dict[str, Any]:
        source, meta, normalized = self.source, self.meta, self.normalized
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "status": "ok" if self.ok else "error",
            "format": source.format if source else None,
            "encoding": source.encoding if source else None,
            "script": normalized.script if normalized else None,
            "title": meta.title if meta else None,
            "agency": meta.agency if meta else None,
            "province": meta.province if meta else None,
            "city": meta.city if meta else None,
            "county": meta.county if meta else None,
            "adcode": meta.adcode if meta else None,
            "report_year": meta.report_year if meta else None,
            "publish_date": meta.publish_date if meta else None,
            "signed_date": meta.signed_date if meta else None,
            "n_bytes": source.n_bytes if source else None,
            "n_chars": len(normalized.text) if normalized else None,
            "n_sections": len(self.outline.sections) if self.outline else None,
            "n_indicators": len(self.indicators) if self.ok else None,
            "duplicate_of": duplicate_of,
            "source_line": " | ".join(normalized.metadata_lines) if normalized and normalized.metadata_lines else None,
            "warnings": "; ".join(self.warnings) or None,
        }

    def indicator_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "doc_id": self.doc_id,
                "indicator_no": number,
                "section_id": item.section_id,
                "section_label": item.section_label,
                "indicator_id": item.indicator_id or None,
                "indicator": item.indicator or None,
                "subject": item.subject or None,
                "value": _float(item.value),
                "value_low": _float(item.value_low),
                "value_high": _float(item.value_high),
                "unit": item.unit,
                "unit_kind": item.unit_kind or None,
                "qualifier": item.qualifier,
                "is_target": item.is_target,
                "text": item.text,
                "sentence": item.sentence,
                "start": item.start,
                "end": item.end,
                "sentence_start": item.sentence_start,
                "sentence_end": item.sentence_end,
                "rule_id": item.rule_id,
                "pack": self.pack,
            }
            for number, item in enumerate(self.indicators, 1)
        ]

    def wide_row(self, indicator_ids: list[str]) -> dict[str, Any]:
        """First achieved (not target) value of each standard indicator, in text order."""
        row: dict[str, Any] = {
            "doc_id": self.doc_id,
            "path": self.path,
            "report_year": self.meta.report_year if self.meta else None,
        }
        row.update(dict.fromkeys(indicator_ids))
        for item in self.indicators:
            if item.indicator_id and not item.is_target and row.get(item.indicator_id) is None:
                row[item.indicator_id] = _float(item.value)
        return row

    def section_rows(self) -> list[dict[str, Any]]:
        if self.outline is None:
            return []
        return [
            {
                "doc_id": self.doc_id,
                "section_id": section.section_id,
                "parent_id": section.parent_id,
                "level": section.level,
                "style": section.style,
                "number": section.number,
                "heading": section.heading,
                "label": section.label,
                "confidence": section.confidence,
                "cue": section.cue,
                "start": section.start,
                "end": section.end,
                "n_chars": section.n_chars,
            }
            for section in self.outline.sections
        ]


def _float(value: Any) -> float | None:
    """Decimal to float, only here at the table edge."""
    return None if value is None else float(value)


def document_id(text: str) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def process_text(
    path: str, source: SourceText, options: ExtractOptions | None = None, *, budget: Budget | None = None
) -> DocumentResult:
    """Run every stage after reading on one decoded report, within ``budget`` (default: a
    fresh one of ``options.time_budget``)."""
    options = options or ExtractOptions()
    budget = budget or options.budget()
    stage = "normalize"
    try:
        budget.check(stage)
        normalized = normalize(source.text, hints=source.hints, budget=budget)
        stage = "describe"
        budget.check(stage)
        meta = describe(normalized)
        stage = "sections"
        budget.check(stage)
        outline = parse_outline(normalized.text, front_lines=front_line_count(normalized), budget=budget)
        outline = label_outline(outline, meta.report_year)
        stage = "indicators"
        budget.check(stage)
        rules = options.ruleset()
        found = find_indicators(normalized.text, outline, rules, budget=budget)
        indicators = tuple(found.indicators)
    except LawreportError as error:
        return _failed(path, stage, error, source=source)
    except Exception as error:
        return _crashed(path, stage, error, source=source)
    warnings = (
        *source.warnings,
        *normalized.warnings,
        *meta.warnings,
        *outline_warnings(outline),
        *indicator_warnings(indicators),
        *(
            (f"more than {MAX_NUMBERS:,} numbers: only those before offset {found.stopped_at} were read",)
            if found.stopped_at is not None
            else ()
        ),
    )
    return DocumentResult(
        path,
        document_id(normalized.text),
        source,
        normalized,
        meta,
        outline,
        indicators,
        rules.version,
        None,
        bounded_warnings(warnings),
    )


MAX_WARNINGS = 20


def bounded_warnings(warnings: tuple[str, ...]) -> tuple[str, ...]:
    """At most MAX_WARNINGS warnings (each at most 300 characters) and a count of the rest: a
    text with thousands of headings must not put thousands of warnings in one cell."""
    kept = tuple(warning if len(warning) <= 300 else warning[:299] + "…" for warning in warnings[:MAX_WARNINGS])
    if len(warnings) > MAX_WARNINGS:
        kept += (f"and {len(warnings) - MAX_WARNINGS} more warnings",)
    return kept


def indicator_warnings(indicators: tuple[Indicator, ...]) -> tuple[str, ...]:
    """One warning per indicator row whose value had to be left out (the row stays)."""
    return tuple(
        f"indicator {number} ({item.text[:40]!r} at {item.start}): {item.problem}"
        for number, item in enumerate(indicators, 1)
        if item.problem
    )


def front_line_count(normalized: Normalized) -> int:
    """How many leading lines of the normalised text are title and front matter."""
    count = len(normalized.title_lines) + len(normalized.front_lines)
    if count == 0:
        first = normalized.text.split("\n", 1)[0]
        if is_title_like(first) and "\n" in normalized.text:
            count = 1
    return count


def process_file(path: str, options: ExtractOptions | None = None) -> DocumentResult:
    """Read one file and run the pipeline on it; failures come back as an error record."""
    options = options or ExtractOptions()
    budget = options.budget()
    try:
        source = read_source(path, encoding=options.encoding, max_bytes=options.max_bytes)
        budget.check("read")
    except LawreportError as error:
        return _failed(path, "read", error)
    except Exception as error:
        return _crashed(path, "read", error)
    return process_text(path, source, options, budget=budget)


def _failed(path: str, stage: str, error: LawreportError, **known: Any) -> DocumentResult:
    record = ErrorRecord(path, stage, error.error_type, error.message, error.hint)
    return DocumentResult(path, error=record, **known)


def _crashed(path: str, stage: str, error: Exception, **known: Any) -> DocumentResult:
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    location = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    record = ErrorRecord(
        path,
        stage,
        type(error).__name__,
        f"internal error{location}: {error}",
        "This is a lawreport bug: please report it with the file.",
    )
    return DocumentResult(path, error=record, **known)


@dataclass(frozen=True)
class FileRows:
    """What the writers need from one file: table rows and the normalised text. Picklable and
    small, so worker processes (or Dask workers) send it back instead of the whole result."""

    path: str
    doc_id: str | None
    ok: bool
    has_warnings: bool
    n_bytes: int
    normalized_text: str | None
    document: dict[str, Any]
    sections: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    wide: dict[str, Any] | None
    error: dict[str, Any] | None
    cached: bool = False  # rows that came from the manifest's row cache
    cache_entry: bytes | None = None  # the rows encoded for the manifest, done where they are computed
    content_sha256: str = ""  # of the bytes the rows were made from ('' when unknown)


def rows_for_result(result: DocumentResult, indicator_ids: list[str]) -> FileRows:
    return FileRows(
        path=result.path,
        doc_id=result.doc_id,
        ok=result.ok,
        has_warnings=bool(result.warnings),
        n_bytes=result.source.n_bytes if result.source is not None else 0,
        normalized_text=result.normalized.text if result.ok and result.normalized is not None else None,
        document=result.document_row(),
        sections=result.section_rows() if result.ok else [],
        indicators=result.indicator_rows() if result.ok else [],
        wide=result.wide_row(indicator_ids) if result.ok else None,
        error=result.error.row() if result.error is not None else None,
    )


def rows_for_file(path: str, options: ExtractOptions, indicator_ids: list[str]) -> FileRows:
    """Process one file into rows; never raises for bad input."""
    return rows_for_result(process_file(path, options), indicator_ids)
