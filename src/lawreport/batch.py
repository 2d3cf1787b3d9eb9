"""Many files to tables: ordered streaming to the writers, worker processes, incremental re-runs.

Rows come out in input-path order whatever the number of jobs, so the same input gives
byte-identical files. Memory stays flat: rows stream to the writers in row groups; what grows
with the corpus is one small entry per document (its id, for duplicates and the manifest).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lawreport.locking import locked_output
from lawreport.manifest import Manifest, RowCache, file_fingerprint
from lawreport.pipeline import ExtractOptions, FileRows, rows_for_file
from lawreport.reading import Candidate, discover
from lawreport.rulepack import RuleSet
from lawreport.tables import DOCUMENTS, ERRORS, INDICATORS, SECTIONS, wide_spec
from lawreport.writers import FORMATS, TableWriter, write_text_atomic

NORMALIZED_DIR = "normalized"
CHUNKSIZE = 8


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

# Worker state, set once per process by the pool initializer.
_worker_options: ExtractOptions | None = None
_worker_ids: list[str] = []


def _init_worker(options: ExtractOptions, indicator_ids: list[str]) -> None:
    global _worker_options, _worker_ids
    _worker_options, _worker_ids = options, indicator_ids
    warm_up(options)


def _work(path: str) -> FileRows:
    assert _worker_options is not None
    return rows_for_file(path, _worker_options, _worker_ids)


def warm_up(options: ExtractOptions) -> None:
    """Load rules, OpenCC, jieba and the gazetteer once (before forking, workers share them)."""
    from lawreport.gazetteer import gazetteer
    from lawreport.script import to_simplified
    from lawreport.subjects import tokenizer

    options.ruleset()
    to_simplified("預熱")
    tokenizer()
    gazetteer()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_paths(
    paths: Sequence[str], options: ExtractOptions, indicator_ids: list[str], jobs: int
) -> Iterator[FileRows]:
    """Rows of each path, in the order given, computed by ``jobs`` processes."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield rows_for_file(path, options, indicator_ids)
        return
    warm_up(options)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(min(jobs, len(paths)), initializer=_init_worker, initargs=(options, indicator_ids)) as pool:
        yield from pool.imap(_work, paths, chunksize=CHUNKSIZE)


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
) -> RunSummary:
    """Process every report under ``inputs`` and write all tables to ``out_dir``.

    With ``incremental`` (the default) a manifest in ``out_dir`` lets a re-run reuse the rows
    of unchanged files; the tables are byte-identical to a full run's.
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
        )


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files left by a run that was killed (we hold the lock: nobody else writes)."""
    for folder in (out, out / NORMALIZED_DIR, out / ".cache"):
        if folder.is_dir():
            for path in folder.glob(".*.tmp-*"):
                path.unlink(missing_ok=True)


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
) -> RunSummary:
    started = time.perf_counter()
    indicator_ids = [rule.id for rule, _ in rules.indicators]
    candidates: list[Candidate] = list(discover(inputs, exclude=out))
    supported = [c.path for c in candidates if not c.skip_reason]
    if on_discovered:
        on_discovered(len(supported))
    jobs = jobs or default_jobs()
    summary = RunSummary(jobs=jobs)
    manifest = Manifest.for_run(out, options, rules.digest)
    previous = Manifest.load(out) if incremental else None
    if previous is not None and not previous.compatible_with(manifest):
        previous = None  # new tool version, rules or options: everything is processed again
    cache = RowCache(out)
    cache.bind(manifest)
    reusable: dict[str, FileRows] = {}
    to_process: list[str] = []
    for path in supported:
        known = previous.files.get(path) if previous is not None else None
        fingerprint = file_fingerprint(path, known)
        manifest.files[path] = fingerprint
        cached = cache.get(path, known, fingerprint, out / NORMALIZED_DIR) if previous is not None else None
        if cached is not None:
            reusable[path] = cached
        else:
            to_process.append(path)
    if engine == "dask":
        from lawreport.dask_engine import process_paths_dask

        fresh = process_paths_dask(to_process, options, indicator_ids, scheduler=scheduler)
    else:
        fresh = process_paths(to_process, options, indicator_ids, jobs)
    specs = (DOCUMENTS, SECTIONS, INDICATORS, wide_spec(indicator_ids), ERRORS)
    writers = {spec.name: TableWriter(spec, out, formats, csv_escape=csv_escape) for spec in specs}
    seen_ids: dict[str, str] = {}
    try:
        for candidate in candidates:
            if candidate.skip_reason:
                summary.skipped += 1
                writers["errors"].write(
                    [
                        {
                            "path": candidate.path,
                            "severity": "skipped",
                            "stage": "discover",
                            "error_type": "UnsupportedFile",
                            "message": candidate.skip_reason,
                            "hint": "",
                        }
                    ]
                )
                continue
            rows = reusable.get(candidate.path)
            if rows is None:
                rows = next(fresh)
                cache.put(manifest.files[candidate.path], rows)
            else:
                summary.reused += 1
            _write_rows(rows, out, writers, seen_ids, summary)
            if on_file:
                on_file(rows)
        for writer in writers.values():
            summary.outputs.extend(str(path) for path in writer.commit().values())
            summary.rows[writer.spec.name] = writer.rows_written
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        close = getattr(fresh, "close", None)
        if close is not None:
            close()
    _prune(out / NORMALIZED_DIR, {f"{doc_id}.txt" for doc_id in seen_ids})
    cache.prune()
    manifest.save(out)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_rows(
    rows: FileRows,
    out: Path,
    writers: dict[str, TableWriter],
    seen_ids: dict[str, str],
    summary: RunSummary,
) -> None:
    summary.files += 1
    summary.n_bytes += rows.n_bytes
    if not rows.ok:
        summary.failed += 1
        if rows.error is not None:
            writers["errors"].write([rows.error])
        writers["documents"].write([rows.document])
        return
    summary.ok += 1
    summary.with_warnings += rows.has_warnings
    assert rows.doc_id is not None
    duplicate_of = seen_ids.get(rows.doc_id)
    writers["documents"].write([{**rows.document, "duplicate_of": duplicate_of}])
    if duplicate_of is not None:
        summary.duplicates += 1
        return
    seen_ids[rows.doc_id] = rows.path
    writers["sections"].write(rows.sections)
    writers["indicators"].write(rows.indicators)
    if rows.wide is not None:
        writers["indicators_wide"].write([rows.wide])
    target = out / NORMALIZED_DIR / f"{rows.doc_id}.txt"
    if rows.normalized_text is not None and not target.exists():
        write_text_atomic(target, rows.normalized_text)


def _prune(folder: Path, keep: set[str]) -> None:
    """Drop normalised texts of documents that are no longer in the input."""
    if not folder.is_dir():
        return
    for path in folder.glob("*.txt"):
        if path.name not in keep:
            path.unlink()
