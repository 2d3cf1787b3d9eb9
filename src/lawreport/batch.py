"""Many files to tables: ordered streaming to the writers, worker processes, incremental re-runs.

Rows come out in input-path order whatever the number of jobs, so the same input gives
byte-identical files. Memory stays flat: paths are discovered as a stream, a bounded window
of files is in flight (:mod:`lawreport.executors`), rows stream to the writers, and what is
kept per document (fingerprint, cached rows, ids for duplicates) lives in the SQLite manifest.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lawreport.executors import Executor, PoolExecutor, SerialExecutor, default_jobs, ordered_rows
from lawreport.locking import locked_output
from lawreport.manifest import Manifest, run_settings
from lawreport.pipeline import ExtractOptions, FileRows
from lawreport.reading import Candidate, discover
from lawreport.rulepack import RuleSet
from lawreport.tables import DOCUMENTS, ERRORS, INDICATORS, SECTIONS, wide_spec
from lawreport.writers import FORMATS, TableWriter, write_text_atomic

NORMALIZED_DIR = "normalized"
LEGACY_FILES = ("manifest.json",)  # written by lawreport before the SQLite manifest
LEGACY_FOLDERS = (".cache",)


@dataclass
class RunSummary:
    files: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    with_warnings: int = 0
    reused: int = 0
    n_bytes: int = 0
    seconds: float = 0.0
    jobs: int = 1
    rows: dict[str, int] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)

    @property
    def mb_per_second(self) -> float:
        return self.n_bytes / 1e6 / self.seconds if self.seconds else 0.0


ProgressCallback = Callable[[FileRows], None]


def extract(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    options: ExtractOptions | None = None,
    formats: Sequence[str] = FORMATS,
    csv_escape: bool = True,
    jobs: int | None = None,
    incremental: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    on_file: ProgressCallback | None = None,
    on_discovered: Callable[[int], None] | None = None,
    listing: str | Path | None = None,
    partition: bool | None = None,
) -> RunSummary:
    """Process every report under ``inputs`` (and the paths listed in the file ``listing``)
    and write all tables to ``out_dir``.

    With ``incremental`` (the default) the manifest in ``out_dir`` lets a re-run reuse the rows
    of unchanged files; the tables are byte-identical to a full run's. ``partition`` writes
    Parquet as hive-style datasets by report year (default: on for the dask engine).
    """
    options = options or ExtractOptions()
    out = Path(out_dir)
    rules = options.ruleset()  # a broken user pack is a usage error before any file is read
    with locked_output(out):
        _remove_stale_temporaries(out)
        return _extract_locked(
            inputs,
            out,
            options,
            rules,
            formats,
            csv_escape,
            jobs,
            incremental,
            engine,
            scheduler,
            on_file,
            on_discovered,
            listing,
            engine == "dask" if partition is None else partition,
        )


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files left by a run that was killed (we hold the lock: nobody else writes),
    and the manifest files of older lawreport versions."""
    for folder in (out, out / NORMALIZED_DIR, *(path for path in out.glob("*") if path.is_dir())):
        if folder.is_dir():
            for path in [*folder.glob(".*.tmp-*"), *folder.glob(".*.old-*")]:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
    for name in LEGACY_FILES:
        (out / name).unlink(missing_ok=True)
    for name in LEGACY_FOLDERS:
        shutil.rmtree(out / name, ignore_errors=True)


def _extract_locked(
    inputs: Sequence[str | Path],
    out: Path,
    options: ExtractOptions,
    rules: RuleSet,
    formats: Sequence[str],
    csv_escape: bool,
    jobs: int | None,
    incremental: bool,
    engine: str,
    scheduler: str | None,
    on_file: ProgressCallback | None,
    on_discovered: Callable[[int], None] | None,
    listing: str | Path | None,
    partition: bool,
) -> RunSummary:
    started = time.perf_counter()
    indicator_ids = [rule.id for rule, _ in rules.indicators]

    def candidates() -> Iterator[Candidate]:
        return discover(inputs, exclude=out, listing=listing)

    if on_discovered:  # a second streaming walk, so the progress bar knows its total
        on_discovered(sum(1 for candidate in candidates() if not candidate.skip_reason))
    jobs = jobs or default_jobs()
    summary = RunSummary(jobs=jobs)
    specs = (DOCUMENTS, SECTIONS, INDICATORS, wide_spec(indicator_ids), ERRORS)
    with Manifest(out, run_settings(options, rules.digest), reuse=incremental) as manifest:
        executor = _executor(engine, options, indicator_ids, jobs, scheduler)
        writers = {
            spec.name: TableWriter(spec, out, formats, csv_escape=csv_escape, partition=partition) for spec in specs
        }
        finished = False
        try:
            work = _work_items(candidates(), manifest, out / NORMALIZED_DIR, summary)
            for rows in ordered_rows(work, executor):
                if _is_skipped(rows):
                    summary.skipped += 1
                    writers["errors"].write([rows.error])
                    continue
                if not rows.cached:
                    manifest.store_rows(rows)
                _write_rows(rows, out, writers, manifest, summary)
                if on_file:
                    on_file(rows)
            finished = True
            for writer in writers.values():
                summary.outputs.extend(str(path) for path in writer.commit().values())
                summary.rows[writer.spec.name] = writer.rows_written
        except BaseException:
            for writer in writers.values():
                writer.abort()
            raise
        finally:
            executor.close(finished=finished)
        _prune(out / NORMALIZED_DIR, manifest)
    summary.seconds = time.perf_counter() - started
    return summary


def _executor(
    engine: str, options: ExtractOptions, indicator_ids: list[str], jobs: int, scheduler: str | None
) -> Executor:
    if engine == "dask":
        from lawreport.dask_engine import DaskExecutor

        return DaskExecutor(options, indicator_ids, scheduler=scheduler)
    if jobs <= 1:
        return SerialExecutor(options, indicator_ids)
    return PoolExecutor(options, indicator_ids, jobs)


def _work_items(
    candidates: Iterator[Candidate],
    manifest: Manifest,
    normalized: Path,
    summary: RunSummary,
) -> Iterator[tuple[str, FileRows | None]]:
    """Each input path with its cached rows, or None when it must be processed."""
    for candidate in candidates:
        if candidate.skip_reason:  # in line with the others, so the errors table keeps input order
            yield candidate.path, _skipped_rows(candidate)
            continue
        recorded = manifest.fingerprint(candidate.path)
        if recorded is None:
            continue  # listed twice
        cached = manifest.cached_rows(candidate.path) if recorded[1] else None
        if cached is not None and cached.ok and not (normalized / f"{cached.doc_id}.txt").exists():
            cached = None  # its normalised text was deleted: process it again
        if cached is not None:
            summary.reused += 1
        yield candidate.path, cached


def _skipped_rows(candidate: Candidate) -> FileRows:
    error = {
        "path": candidate.path,
        "severity": "skipped",
        "stage": "discover",
        "error_type": "UnsupportedFile",
        "message": candidate.skip_reason,
        "hint": "",
    }
    return FileRows(candidate.path, None, False, False, 0, None, {}, [], [], None, error, cached=True)


def _is_skipped(rows: FileRows) -> bool:
    return rows.error is not None and rows.error["severity"] == "skipped"


def _write_rows(
    rows: FileRows,
    out: Path,
    writers: dict[str, TableWriter],
    manifest: Manifest,
    summary: RunSummary,
) -> None:
    summary.files += 1
    summary.n_bytes += rows.n_bytes
    year = rows.document.get("report_year")
    if not rows.ok:
        summary.failed += 1
        if rows.error is not None:
            writers["errors"].write([rows.error])
        writers["documents"].write([rows.document], partition=year)
        return
    summary.ok += 1
    summary.with_warnings += rows.has_warnings
    assert rows.doc_id is not None
    duplicate_of = manifest.first_path(rows.doc_id, rows.path)
    writers["documents"].write([{**rows.document, "duplicate_of": duplicate_of}], partition=year)
    if duplicate_of is not None:
        summary.duplicates += 1
        return
    writers["sections"].write(rows.sections, partition=year)
    writers["indicators"].write(rows.indicators, partition=year)
    if rows.wide is not None:
        writers["indicators_wide"].write([rows.wide], partition=year)
    target = out / NORMALIZED_DIR / f"{rows.doc_id}.txt"
    if rows.normalized_text is not None and not target.exists():
        write_text_atomic(target, rows.normalized_text)


def _prune(folder: Path, manifest: Manifest) -> None:
    """Drop normalised texts of documents that are no longer in the input."""
    if not folder.is_dir():
        return
    for path in folder.glob("*.txt"):
        if not manifest.is_seen(path.stem):
            path.unlink()
