"""One report through every stage: read → normalise → describe → outline → indicators.

Each stage is a pure function over the records of :mod:`lawreport.records`; this module only
runs them in order, within the document's time budget, for the report kind. It never raises
for bad input: a failure becomes a :class:`~lawreport.records.Failed` result naming the
stage, so one broken file never stops a batch.
"""

from __future__ import annotations

import functools
import hashlib
import traceback
from pathlib import Path

from lawreport.budget import Budget
from lawreport.errors import FileTooLargeError, LawreportError
from lawreport.indicators.find import MAX_NUMBERS, find_indicators
from lawreport.indicators.find import warm_up as warm_up_indicators
from lawreport.kinds import Kind, find_kind, recognize_kind
from lawreport.metadata.conventions import apply_conventions
from lawreport.metadata.describe import describe
from lawreport.metadata.describe import warm_up as warm_up_metadata
from lawreport.options import Options
from lawreport.outline.carve import carve_parts
from lawreport.outline.labels import label_outline, outline_warnings
from lawreport.outline.parse import parse_outline
from lawreport.outline.repeat import mark_repeats
from lawreport.reading.source import read_source, source_from_bytes
from lawreport.records import DocumentMeta, DocumentResult, ErrorRecord, Failed, Indicator, Processed, SourceText
from lawreport.text.normalize import normalize
from lawreport.text.normalize import warm_up as warm_up_text

MAX_WARNINGS = 20


def process_file(path: str, options: Options | None = None) -> DocumentResult:
    """Read one file and run the pipeline on it; failures come back as a :class:`Failed` result."""
    options = options or Options()
    budget = options.budget()
    try:
        source = read_source(path, encoding=options.encoding, max_bytes=options.max_bytes)
        budget.check("read")
    except LawreportError as error:
        return _failed(path, "read", error)
    except Exception as error:
        return _crashed(path, "read", error)
    return process_text(path, source, options, budget=budget)


def process_bytes(name: str, data: bytes, options: Options | None = None) -> DocumentResult:
    """Run the pipeline on a report in memory (e.g. standard input), named ``name``."""
    options = options or Options()
    budget = options.budget()
    if len(data) > options.max_bytes:
        error = FileTooLargeError(
            f"input is {len(data) / 1e6:.1f} MB, above the {options.max_bytes / 1e6:.0f} MB limit",
            hint="Split it, or raise the limit with --max-size.",
        )
        return _failed(name, "read", error)
    try:
        source = source_from_bytes(name, data, encoding=options.encoding)
    except LawreportError as error:
        return _failed(name, "read", error)
    except Exception as error:
        return _crashed(name, "read", error)
    return process_text(name, source, options, budget=budget)


def process_text(
    path: str, source: SourceText, options: Options | None = None, *, budget: Budget | None = None
) -> DocumentResult:
    """Run every stage after reading on one decoded report, within ``budget`` (default: a
    fresh one of ``options.time_budget``)."""
    options = options or Options()
    budget = budget or options.budget()
    stage = "normalize"
    try:
        budget.check(stage)
        normalized = normalize(source.text, hints=source.hints, budget=budget)
        stage = "describe"
        budget.check(stage)
        meta = describe(normalized)
        kind, kind_cue = choose_kind(meta, normalized.text, options)
        meta = apply_conventions(meta, kind, kind_cue, normalized.text)
        stage = "sections"
        budget.check(stage)
        parse = functools.partial(
            parse_outline, front_lines=meta.front_lines, closing_line=meta.closing_line, budget=budget
        )
        outline = mark_repeats(parse(normalized.text), normalized.text, reparse=parse)
        outline = carve_parts(label_outline(outline, meta.report_year, kind), normalized.text, kind)
        stage = "indicators"
        budget.check(stage)
        rules = options.ruleset(kind)
        found = find_indicators(
            normalized.text,
            outline,
            rules,
            budget=budget,
            target_parts=kind.target_parts,
            estimate_parts=kind.estimate_parts,
            estimate_cue=kind.estimate_cue,
            results=kind.results,
            report_year=meta.report_year,
        )
        indicators = tuple(found.indicators)
    except LawreportError as error:
        return _failed(path, stage, error, source)
    except Exception as error:
        return _crashed(path, stage, error, source)
    warnings = (
        *source.warnings,
        *normalized.warnings,
        *meta.warnings,
        *outline_warnings(outline, kind),
        *indicator_warnings(indicators),
        *(
            (f"more than {MAX_NUMBERS:,} numbers: only those before offset {found.stopped_at} were read",)
            if found.stopped_at is not None
            else ()
        ),
    )
    return Processed(
        path=path,
        doc_id=document_id(normalized.text),
        source=source,
        normalized=normalized,
        meta=meta,
        outline=outline,
        indicators=indicators,
        pack=rules.version,
        warnings=bounded_warnings(warnings),
    )


def choose_kind(meta: DocumentMeta, text: str, options: Options) -> tuple[Kind, str]:
    """The report's kind and what decided it: ``--kind NAME``, else recognised from the title
    and the opening of the body (:func:`lawreport.kinds.recognize_kind`)."""
    kinds = options.report_kinds()
    if options.kind != "auto":
        return find_kind(options.kind, kinds), "option"
    # The body with the title block's lines after its first (the salutation 各位代表: and the
    # speaker line belong to the title block but are the cues of a speech).
    lines = text.split("\n")
    body = "\n".join(lines[1 : meta.front_lines] + lines[meta.front_lines :])
    return recognize_kind(meta.title, body, kinds)


# A short report that goes through every stage: processing it loads every table and pattern.
_WARM_UP = (
    "某区司法局关于2023年法治政府建设情况的报告\n"
    "2023年,区司法局坚持依法行政。\n"
    "一、主要举措和成效\n(一)加强学习\n全年办理行政复议案件12件,开展普法活动3场次,一是学习,二是宣传。\n"
    "二、存在的不足\n执法力量不足。\n"
    "三、下一步工作安排\n计划新增培训5次,覆盖率达到95%以上。\n"
    "某区司法局\n2024年1月5日\n"
)


def warm_up(options: Options | None = None) -> None:
    """Load what every document needs (rule set, OpenCC, the segmenter and its HMM, the
    gazetteer, every data table) now, once: worker processes forked afterwards share it
    instead of each loading it again."""
    options = options or Options()
    options.ruleset()
    for kind in options.report_kinds():  # every kind's rule set: a worker may meet any kind
        options.ruleset(kind)
    warm_up_text()
    warm_up_metadata()
    warm_up_indicators()
    source = SourceText("<warm-up>", _WARM_UP, "utf-8", "txt", len(_WARM_UP.encode()))
    process_text(source.path, source, options)


def document_id(text: str) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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


def _failed(path: str, stage: str, error: LawreportError, source: SourceText | None = None) -> Failed:
    return Failed(path, ErrorRecord(path, stage, error.error_type, error.message, error.hint), source)


def _crashed(path: str, stage: str, error: Exception, source: SourceText | None = None) -> Failed:
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    location = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    record = ErrorRecord(
        path,
        stage,
        type(error).__name__,
        f"internal error{location}: {error}",
        "This is a lawreport bug: please report it with the file.",
    )
    return Failed(path, record, source)
