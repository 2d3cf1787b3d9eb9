"""``check`` as a library: the CI gate over newly collected reports.

:func:`check` processes reports the way ``extract`` does (same discovery, executors and
order, bounded memory), writes the findings as they come in one of the formats of
:mod:`lawreport.qa.stream` and returns a :class:`CheckOutcome` that says whether the gate
passed. :func:`check_files` is the stream underneath: one :class:`FileCheck` per file.

Each worker turns a file into its findings (:func:`lawreport.qa.checks.check_result`) and
keeps nothing else; duplicates (LR601) are found with a temporary on-disk table of document
ids, so nothing grows with the number of files but that table.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TextIO

from lawreport.errors import OptionError, RunInterrupted
from lawreport.options import Options, check_choice, check_inputs, check_listing
from lawreport.paths import canonical_folder, display
from lawreport.pipeline import process_file, warm_up
from lawreport.qa.checks import CODES, FileCheck, Finding, check_result
from lawreport.qa.stream import WRITERS, FindingsWriter
from lawreport.reading.discover import Candidate, discover, listing_source
from lawreport.run.executors import make_executor, ordered_rows

CHECK_FORMATS = tuple(WRITERS)


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found, in numbers, and whether the gate passed: no error (and with
    ``strict`` no warning) in at least one file."""

    files: int
    files_with_errors: int
    errors: int
    warnings: int
    by_code: dict[str, int] = field(default_factory=dict)
    strict: bool = False

    @property
    def passed(self) -> bool:
        return self.files > 0 and self.errors == 0 and not (self.strict and self.warnings)


def check(
    inputs: Sequence[str | os.PathLike[str]],
    options: Options | None = None,
    *,
    output: TextIO | None = None,
    output_format: str = "text",
    listing: str | os.PathLike[str] | BinaryIO | None = None,
    on_file: Callable[[FileCheck], None] | None = None,
    on_discovered: Callable[[int], None] | None = None,
    **settings: Any,
) -> CheckOutcome:
    """Check the reports under ``inputs``; write the findings to ``output`` (if given) as
    ``output_format`` (text, json or junit) as they come. Options are validated before the
    first file is read (:class:`~lawreport.options.OptionError`)."""
    check_choice("--format", output_format, CHECK_FORMATS)
    options = Options.with_settings(options, settings)
    unknown = [code for code in options.ignore if code not in CODES]
    if unknown:
        raise OptionError(f"--ignore {', '.join(unknown)}: no such finding code", hint=f"Codes: {', '.join(CODES)}.")
    items = check_files(inputs, options, listing=listing, on_discovered=on_discovered)
    writer = WRITERS[output_format](output, strict=options.strict) if output is not None else FindingsWriter(None)
    for item in items:
        if options.ignore:
            kept = tuple(finding for finding in item.findings if finding.code not in options.ignore)
            item = dataclasses.replace(item, findings=kept)
        writer.add(item)
        if on_file is not None:
            on_file(item)
    writer.close()
    return CheckOutcome(**writer.summary(), strict=options.strict)  # type: ignore[arg-type]


def shown_path(path: str, base: str | None = None) -> str:
    """A canonical path relative to the working folder when it lies inside it (CI tools
    annotate files by paths relative to the checkout), else absolute; always valid UTF-8."""
    base = base if base is not None else canonical_folder(os.getcwd())
    prefix = base.rstrip("/") + "/"
    return display(path[len(prefix) :] if path.startswith(prefix) else path)


def _sorted(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.code)))


@dataclass(frozen=True)
class CheckTask:
    """``check``'s per-file work, run in the workers."""

    options: Options
    required: tuple[str, ...] | None  # None: the parts of each report's kind
    base: str  # the working folder paths are shown relative to

    def __call__(self, paths: list[str]) -> list[FileCheck]:
        results = []
        for path in paths:
            shown = shown_path(path, self.base)
            result = process_file(path, self.options)
            findings = [
                dataclasses.replace(f, path=shown)
                for f in check_result(result, required=self.required, kinds=self.options.report_kinds())
            ]
            results.append(FileCheck(shown, result.doc_id, _sorted(findings)))
        return results

    def died(self, path: str, reason: str) -> FileCheck:
        shown = shown_path(path, self.base)
        return FileCheck(shown, None, (Finding(shown, "LR110", CODES["LR110"].severity, reason),))

    def warm_up(self) -> None:
        warm_up(self.options)


def check_files(
    inputs: Sequence[str | os.PathLike[str]],
    options: Options | None = None,
    *,
    listing: str | os.PathLike[str] | BinaryIO | None = None,
    on_discovered: Callable[[int], None] | None = None,
    **settings: Any,
) -> Iterator[FileCheck]:
    """The findings of every report under ``inputs``, one file at a time, in input order.
    Options are validated before the first file is read (:class:`OptionError`)."""
    options = Options.with_settings(options, settings)
    options.ruleset()  # every rule pack loaded and validated before the first file
    inputs = [os.fspath(path) for path in inputs]
    check_inputs(inputs, None)
    check_listing(listing)
    return _check(inputs, options, listing, on_discovered)


def _check(
    inputs: list[str],
    options: Options,
    listing: str | os.PathLike[str] | BinaryIO | None,
    on_discovered: Callable[[int], None] | None,
) -> Iterator[FileCheck]:
    with listing_source(listing) as (source, countable):
        yield from _check_listed(inputs, options, source, countable, on_discovered)


def _check_listed(
    inputs: list[str],
    options: Options,
    listing: str | os.PathLike[str] | BinaryIO | None,
    countable: bool,
    on_discovered: Callable[[int], None] | None,
) -> Iterator[FileCheck]:
    def candidates() -> Iterator[Candidate]:
        return discover(inputs, listing=listing, follow_symlinks=options.follow_symlinks)

    total = None
    if countable:
        total = sum(1 for _ in candidates())  # skipped files are reported too
        if on_discovered:
            on_discovered(total)
    task = CheckTask(options, options.required, canonical_folder(os.getcwd()))
    # A private temporary database on disk: paths and document ids seen so far.
    seen = sqlite3.connect("")
    seen.execute("CREATE TABLE paths (path TEXT PRIMARY KEY)")
    seen.execute("CREATE TABLE seen (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL)")

    def work() -> Iterator[tuple[str, FileCheck | None]]:
        for candidate in candidates():
            if seen.execute("INSERT OR IGNORE INTO paths VALUES (?)", (candidate.key,)).rowcount == 0:
                continue  # listed twice
            if candidate.skip_reason:
                shown = shown_path(candidate.path, task.base)
                finding = Finding(shown, "LR106", CODES["LR106"].severity, candidate.skip_reason)
                yield candidate.path, FileCheck(shown, None, (finding,))
            else:
                yield candidate.path, None

    done = 0
    executor = make_executor(task, jobs=options.workers, engine=options.engine, scheduler=options.scheduler)
    finished = False
    try:
        for item in ordered_rows(work(), executor):
            done += 1
            if item.doc_id is not None:
                row = seen.execute("SELECT path FROM seen WHERE doc_id = ?", (item.doc_id,)).fetchone()
                if row is None:
                    seen.execute("INSERT INTO seen VALUES (?, ?)", (item.doc_id, item.path))
                else:
                    duplicate = Finding(
                        item.path, "LR601", CODES["LR601"].severity, f"same normalised text as {row[0]}"
                    )
                    item = dataclasses.replace(item, findings=_sorted([*item.findings, duplicate]))
            yield item
        finished = True
    except KeyboardInterrupt as interrupt:
        raise RunInterrupted(done, total) from interrupt
    finally:
        executor.close(finished=finished)
        seen.close()
