"""Records become table rows here, and only here: one function per table.

Every row is a dict keyed by the columns of its table (:mod:`lawreport.tables.schemas`;
``root`` and ``duplicate_of`` are filled in by the run, which knows the dataset); a test
holds the keys and the schemas together. Decimals become floats only here, at the table edge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lawreport.indicators.rulepack import IndicatorRule
from lawreport.indicators.scope import clause_before, outside_body
from lawreport.metadata.cues import FIELDS, doubtful_fields
from lawreport.records import DocumentMeta, DocumentResult, ErrorRecord, Failed, Processed
from lawreport.tables.schemas import TARGET_SUFFIX


def _float(value: Any) -> float | None:
    """Decimal to float, only here at the table edge."""
    return None if value is None else float(value)


def document_row(result: DocumentResult, duplicate_of: str | None = None) -> dict[str, Any]:
    """The ``documents`` row of a file (without ``root``)."""
    source = result.source
    if isinstance(result, Processed):
        meta, normalized = result.meta, result.normalized
        n_sections, n_indicators = len(result.outline.sections), len(result.indicators)
    else:
        meta = normalized = None
        n_sections = n_indicators = None
    return {
        "doc_id": result.doc_id,
        "path": result.path,
        "status": "ok" if result.ok else "error",
        "format": source.format if source else None,
        "encoding": source.encoding if source else None,
        "script": normalized.script if normalized else None,
        "kind": meta.kind or None if meta else None,
        "kind_cue": meta.kind_cue or None if meta else None,
        "title": meta.title if meta else None,
        "agency": meta.agency if meta else None,
        "province": meta.province if meta else None,
        "city": meta.city if meta else None,
        "county": meta.county if meta else None,
        "adcode": meta.adcode if meta else None,
        "report_year": meta.report_year if meta else None,
        "publish_date": meta.publish_date if meta else None,
        "signed_date": meta.signed_date if meta else None,
        **meta_cue_columns(meta),
        "n_bytes": source.n_bytes if source else None,
        "n_chars": len(normalized.text) if normalized else None,
        "n_sections": n_sections,
        "n_indicators": n_indicators,
        "duplicate_of": duplicate_of,
        "source_line": " | ".join(normalized.metadata_lines) if normalized and normalized.metadata_lines else None,
        "warnings": "; ".join(result.warnings) or None,
    }


def meta_cue_columns(meta: DocumentMeta | None) -> dict[str, str | None]:
    """``title_cue`` … ``signed_date_cue`` and ``meta_doubtful`` (comma-separated fields)."""
    cues = dict(meta.cues) if meta else {}
    columns: dict[str, str | None] = {f"{field}_cue": cues.get(field) or None for field in FIELDS}
    columns["meta_doubtful"] = ",".join(doubtful_fields(cues)) or None
    return columns


def section_rows(result: Processed) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": result.doc_id,
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
        for section in result.outline.sections
    ]


def indicator_rows(result: Processed) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": result.doc_id,
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
            "is_estimate": item.is_estimate,
            "text": item.text,
            "sentence": item.sentence,
            "start": item.start,
            "end": item.end,
            "sentence_start": item.sentence_start,
            "sentence_end": item.sentence_end,
            "rule_id": item.rule_id,
            "pack": result.pack,
            "change": item.change or None,
            "basis": item.basis or None,
            "role": item.role or None,
            "pair_no": item.pair_no,
            "respectively": item.respectively,
            "part_of": item.part_of,
            "report_year": result.meta.report_year,
            "agency": result.meta.agency,
            "kind": result.meta.kind or None,
        }
        for number, item in enumerate(result.indicators, 1)
    ]


@dataclass(frozen=True)
class WideColumn:
    """A standard indicator's pair of ``indicators_wide`` columns and what may fill them."""

    id: str
    unit: str = ""  # the one unit of its cells when the indicator's units do not mix; empty: any
    change: bool = False  # a rate or amount of change: a share (占…比重) never fills it


def wide_columns(rules: Iterable[IndicatorRule]) -> tuple[WideColumn, ...]:
    """The wide table's columns of the standard indicators ``rules``, in their order."""
    return tuple(WideColumn(rule.id, rule.wide_unit, rule.measure == "change") for rule in rules)


def wide_row(result: Processed, columns: Sequence[WideColumn]) -> dict[str, Any]:
    """First achieved value (column ``<id>``) and first target (``<id>_target``) of each standard
    indicator, in text order. The ends of a from->to pair are the same quantity at two times:
    the achieved value is the ``to`` end, never the ``from``; an average over years (年均增长)
    is not the year's figure and never fills a cell. A column with a ``unit`` takes values in
    that unit only (元, not 美元: the others stay in the long table). A row about a part of the
    body (a zone, one product; the words of ``data/indicators/scope.toml`` in its subject or the
    clause before its number), or a share (占…比重) of a ``change`` column, is not the body's
    figure and fills no cell."""
    row: dict[str, Any] = {"doc_id": result.doc_id, "path": result.path, "report_year": result.meta.report_year}
    for column in columns:
        row.update({column.id: None, f"{column.id}{TARGET_SUFFIX}": None})
    by_id = {column.id: column for column in columns}
    own = f"{result.meta.agency or ''} {result.meta.title or ''}"
    for item in result.indicators:
        wide = by_id.get(item.indicator_id)
        if wide is None or item.role == "from" or AVERAGE_BASIS in (item.basis or ""):
            continue
        if wide.unit and wide.unit != item.unit:
            continue
        column = f"{item.indicator_id}{TARGET_SUFFIX}" if item.is_target else item.indicator_id
        if row[column] is None and not outside_body(
            item.subject,
            clause_before(item.sentence, item.start - item.sentence_start),
            own,
            change=wide.change,
        ):
            row[column] = _float(item.value)
    return row


AVERAGE_BASIS = "年均"  # a rate averaged over several years (the basis as written: 年均, 年均增长)


def error_row(error: ErrorRecord) -> dict[str, Any]:
    """The ``errors`` row of a failed or skipped file (without ``root``)."""
    return dataclasses.asdict(error)


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
    cache_parts: bytes | None = None  # CSV bytes of the rows, made by the worker (for the manifest)
    csv: dict[str, tuple[bytes, int]] | None = None  # table -> (CSV bytes, rows), read from the manifest

    @property
    def skipped(self) -> bool:
        """A file that was not read (its type), listed in the errors table only."""
        return self.error is not None and self.error["severity"] == "skipped"


def rows_for_result(result: DocumentResult, columns: Sequence[WideColumn]) -> FileRows:
    if isinstance(result, Failed):
        return FileRows(
            path=result.path,
            doc_id=None,
            ok=False,
            has_warnings=False,
            n_bytes=result.source.n_bytes if result.source is not None else 0,
            normalized_text=None,
            document=document_row(result),
            sections=[],
            indicators=[],
            wide=None,
            error=error_row(result.error),
        )
    return FileRows(
        path=result.path,
        doc_id=result.doc_id,
        ok=True,
        has_warnings=bool(result.warnings),
        n_bytes=result.source.n_bytes,
        normalized_text=result.normalized.text,
        document=document_row(result),
        sections=section_rows(result),
        indicators=indicator_rows(result),
        wide=wide_row(result, columns),
        error=None,
    )


def skipped_rows(key: str, reason: str) -> FileRows:
    """A file that is not read (not .txt or .html): a row in the errors table only."""
    error = ErrorRecord(key, "discover", "UnsupportedFile", reason, severity="skipped")
    return FileRows(key, None, False, False, 0, None, {}, [], [], None, error_row(error), cached=True)


def died_rows(key: str, reason: str) -> FileRows:
    """A file whose worker process died while reading it."""
    error = ErrorRecord(
        key,
        "worker",
        "WorkerDied",
        reason,
        "Check the file alone (lawreport normalize FILE), or give the workers more memory.",
    )
    return FileRows(key, None, False, False, 0, None, {"path": key, "status": "error"}, [], [], None, error_row(error))


def renamed(rows: FileRows, key: str) -> FileRows:
    """Rows that name the file by its key (differs from the path only for non-UTF-8 names)."""
    if rows.path == key:
        return rows
    return dataclasses.replace(
        rows,
        path=key,
        document={**rows.document, "path": key},
        wide={**rows.wide, "path": key} if rows.wide is not None else None,
        error={**rows.error, "path": key} if rows.error is not None else None,
    )
