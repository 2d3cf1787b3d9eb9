"""The extraction pipeline: one file -> typed records (pure but for reading), many files -> tables.

:func:`process_file` never raises for bad input: a failure becomes an :class:`ErrorRecord`
naming the stage, so one broken file never stops a batch.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lawreport.chrome import is_title_like
from lawreport.errors import InputError, LawreportError
from lawreport.indicators import Indicator, extract_indicators
from lawreport.labels import label_outline, outline_warnings
from lawreport.metadata import DocumentMeta, describe
from lawreport.normalize import Normalized, normalize
from lawreport.outline import Outline, parse_outline
from lawreport.reading import DEFAULT_MAX_BYTES, SourceText, discover, read_source
from lawreport.rulepack import DEFAULT_TIMEOUT, RuleSet, load_ruleset
from lawreport.tables import DOCUMENTS, ERRORS, INDICATORS, SECTIONS, wide_spec
from lawreport.writers import FORMATS, TableWriter, write_text_atomic

NORMALIZED_DIR = "normalized"


@dataclass(frozen=True)
class ExtractOptions:
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    rules: tuple[str, ...] = ()  # user rule pack folders, after the built-in packs
    rule_timeout: float = DEFAULT_TIMEOUT

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


def process_text(path: str, source: SourceText, options: ExtractOptions | None = None) -> DocumentResult:
    """Run every stage after reading on one decoded report."""
    options = options or ExtractOptions()
    stage = "normalize"
    try:
        normalized = normalize(source.text, hints=source.hints)
        stage = "describe"
        meta = describe(normalized)
        stage = "sections"
        outline = label_outline(
            parse_outline(normalized.text, front_lines=front_line_count(normalized)), meta.report_year
        )
        stage = "indicators"
        rules = options.ruleset()
        indicators = tuple(extract_indicators(normalized.text, outline, rules))
    except LawreportError as error:
        return _failed(path, stage, error, source=source)
    except Exception as error:
        return _crashed(path, stage, error, source=source)
    warnings = (*source.warnings, *normalized.warnings, *meta.warnings, *outline_warnings(outline))
    return DocumentResult(
        path, document_id(normalized.text), source, normalized, meta, outline, indicators, rules.version, None, warnings
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
    try:
        source = read_source(path, encoding=options.encoding, max_bytes=options.max_bytes)
    except InputError as error:
        return _failed(path, "read", error)
    except Exception as error:
        return _crashed(path, "read", error)
    return process_text(path, source, options)


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


@dataclass
class RunSummary:
    files: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    with_warnings: int = 0
    n_bytes: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)

    @property
    def mb_per_second(self) -> float:
        return self.n_bytes / 1e6 / self.seconds if self.seconds else 0.0


ProgressCallback = Callable[[DocumentResult | None], None]


def extract(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    options: ExtractOptions | None = None,
    formats: Sequence[str] = FORMATS,
    csv_escape: bool = True,
    on_file: ProgressCallback | None = None,
    on_discovered: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process every report under ``inputs`` and write the tables to ``out_dir``.

    Rows come out in input-path order, so the same input gives byte-identical files.
    """
    options = options or ExtractOptions()
    out = Path(out_dir)
    started = time.perf_counter()
    rules = options.ruleset()  # a broken user pack is a usage error before any file is read
    indicator_ids = [rule.id for rule, _ in rules.indicators]
    candidates = list(discover(inputs))
    if on_discovered:
        on_discovered(sum(1 for c in candidates if not c.skip_reason))
    summary = RunSummary()
    specs = (DOCUMENTS, SECTIONS, INDICATORS, wide_spec(indicator_ids), ERRORS)
    writers = {spec.name: TableWriter(spec, out, formats, csv_escape=csv_escape) for spec in specs}
    seen_ids: dict[str, str] = {}
    written_texts: set[str] = set()
    try:
        for candidate in candidates:
            if candidate.skip_reason:
                summary.skipped += 1
                record = ErrorRecord(
                    candidate.path, "discover", "UnsupportedFile", candidate.skip_reason, "", "skipped"
                )
                writers["errors"].write([record.row()])
                continue
            result = process_file(candidate.path, options)
            _write_result(result, out, writers, seen_ids, written_texts, summary, indicator_ids)
            if on_file:
                on_file(result)
        for writer in writers.values():
            summary.outputs.extend(str(path) for path in writer.commit().values())
            summary.rows[writer.spec.name] = writer.rows_written
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    _prune_normalized(out / NORMALIZED_DIR, written_texts)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_result(
    result: DocumentResult,
    out: Path,
    writers: dict[str, TableWriter],
    seen_ids: dict[str, str],
    written_texts: set[str],
    summary: RunSummary,
    indicator_ids: list[str],
) -> None:
    summary.files += 1
    if result.source is not None:
        summary.n_bytes += result.source.n_bytes
    if not result.ok:
        summary.failed += 1
        assert result.error is not None
        writers["errors"].write([result.error.row()])
        writers["documents"].write([result.document_row()])
        return
    summary.ok += 1
    summary.with_warnings += bool(result.warnings)
    assert result.doc_id is not None and result.normalized is not None
    duplicate_of = seen_ids.get(result.doc_id)
    writers["documents"].write([result.document_row(duplicate_of)])
    if duplicate_of is not None:
        summary.duplicates += 1
        return
    seen_ids[result.doc_id] = result.path
    writers["sections"].write(result.section_rows())
    writers["indicators"].write(result.indicator_rows())
    writers["indicators_wide"].write([result.wide_row(indicator_ids)])
    target = out / NORMALIZED_DIR / f"{result.doc_id}.txt"
    written_texts.add(target.name)
    if not target.exists() or target.read_text(encoding="utf-8") != result.normalized.text:
        write_text_atomic(target, result.normalized.text)


def _prune_normalized(folder: Path, keep: Iterable[str]) -> None:
    """Drop normalised texts of documents that are no longer in the input."""
    if not folder.is_dir():
        return
    keep = set(keep)
    for path in folder.glob("*.txt"):
        if path.name not in keep:
            path.unlink()
