"""Many files to tables: an output folder is a dataset that runs add to.

A run has two passes. **Process**: discover the inputs as a stream, reuse the cached rows of
every file whose content and settings are unchanged, send the others through an executor
(a bounded window in flight, results in input order) and cache their rows in the manifest
as they finish (committed every few seconds: an interrupted run keeps its work). **Publish**:
make this run's files the dataset's rows for its inputs (files that vanished from under an
input folder are dropped, other inputs' rows stay), stream every row of the dataset in path
order to the table writers, and swap all tables into place in one commit
(:mod:`lawreport.run.commit`). A run that changes nothing (same settings, same contents, no file
dropped, every table still the file the last commit wrote) publishes nothing. Memory stays flat: what is kept per file lives in SQLite.

Nothing is touched before every option is valid; a run that reads nothing replaces nothing;
only paths lawreport wrote are ever replaced or deleted (:mod:`lawreport.run.ownership`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from lawreport.errors import NothingReadError, OutputError, RunInterrupted, UsageError
from lawreport.indicators.rulepack import RuleSet, load_pack, load_ruleset
from lawreport.options import OptionError, Options, check_inputs, check_listing, check_output_folder
from lawreport.paths import canonical_folder, display
from lawreport.reading.discover import Candidate, discover, listing_source, skip_reason
from lawreport.run.cachekey import components, content_sha256
from lawreport.run.commit import Swap, backup_name, commit, recover
from lawreport.run.executors import ExtractTask, make_executor, ordered_rows
from lawreport.run.lock import LOCK_NAME, locked_output
from lawreport.run.manifest import (
    MANIFEST_NAME,
    NO_STAT,
    FileStat,
    Manifest,
    check_manifest,
    committed_generation,
    file_stat,
    recorded_outputs,
)
from lawreport.run.ownership import FolderState, check_output, check_targets, claim
from lawreport.tables.exports import (
    ALL_FORMATS,
    DATAPACKAGE_NAME,
    add_exports,
    scratch_names,
    target_names,
    writer_formats,
)
from lawreport.tables.folder import JOURNAL_NAME, NORMALIZED_DIR, write_text_atomic
from lawreport.tables.rows import FileRows, skipped_rows, wide_columns
from lawreport.tables.schemas import TABLE_NAMES, TableSpec, run_specs
from lawreport.tables.writer import DatasetWriter

__all__ = ["RunSummary", "extract"]

_TEXT_NAME = re.compile(r"[0-9a-f]{16}\.txt")
_TEMPORARY = re.compile(r"\.(.+)\.(?:tmp|old)-\d+")


@dataclass
class RunSummary:
    files: int = 0  # this run's inputs that were read (not skipped)
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0  # in the dataset
    with_warnings: int = 0
    reused: int = 0
    refreshed: int = 0  # files of other inputs processed again: settings changed, or rows needed of CSV-only entries
    removed: int = 0  # files dropped from the dataset: gone from under an input folder
    n_bytes: int = 0
    seconds: float = 0.0
    jobs: int = 1
    dataset_files: int = 0
    dataset_roots: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    removed_outputs: list[str] = field(default_factory=list)  # tables of a format this run does not write
    first_failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the exports say (limits met, names changed)

    @property
    def mb_per_second(self) -> float:
        return self.n_bytes / 1e6 / self.seconds if self.seconds else 0.0

    def passed(self, *, strict: bool = False) -> bool:
        """No file failed (and, with ``strict``, none has warnings)."""
        return not (self.failed or (strict and self.with_warnings))


ProgressCallback = Callable[[FileRows], None]


def extract(
    inputs: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    options: Options | None = None,
    *,
    listing: str | os.PathLike[str] | BinaryIO | None = None,
    on_file: ProgressCallback | None = None,
    on_discovered: Callable[[int], None] | None = None,
    **settings: Any,
) -> RunSummary:
    """Process the reports under ``inputs`` (and those listed in ``listing``: a file, or a
    binary stream read once) and add them to the dataset in ``out_dir``.

    ``options`` holds every setting (:class:`~lawreport.options.Options`); settings may also be
    given by name (``extract(inputs, out, jobs=2, formats="parquet")``). Re-running on an input
    updates its files and drops those that vanished from under it; rows of other inputs stay.
    ``replace`` starts the dataset afresh. With ``incremental`` (the default) rows of files whose
    content and settings are unchanged are reused; the tables are byte-identical to a full
    run's. ``partition`` writes Parquet as hive-style datasets by report year (default: on for
    the dask engine). ``on_file`` is called with each file's facts as it is done (a
    :class:`~lawreport.tables.rows.FileRows` with path, doc_id, ok, warnings, bytes and error;
    its tables are not loaded: they are written from the manifest), and
    ``on_discovered`` with the number of files, when it can be known before the run.

    Raises :class:`~lawreport.errors.UsageError` (bad option, folder not ours) before anything
    is touched, :class:`~lawreport.errors.NothingReadError` when no file could be read (the
    tables stay as they were), :class:`~lawreport.errors.OutputError` when the folder cannot
    be written, and :class:`~lawreport.errors.RunInterrupted` on Ctrl-C/SIGTERM (work kept).
    """
    options = Options.with_settings(options, settings)
    rules = _current_ruleset(options)  # every pack loaded and validated before anything is touched
    check_output_folder(out_dir)
    state = check_output(Path(out_dir), replace=options.replace)
    inputs = [os.fspath(path) for path in inputs]
    check_inputs(inputs, out_dir)
    check_listing(listing)
    if not inputs and listing is None:
        raise OptionError("no inputs", hint="Name report files or folders, or a list of paths with --manifest.")
    if state is FolderState.OURS:  # checked again under the lock; here, before anything is touched
        check_manifest(Path(out_dir))
        ours = recorded_outputs(Path(out_dir))
        planned = _planned_targets(run_specs(options.indicator_ids()), options)
        check_targets(Path(out_dir), {**planned, **_stale(Path(out_dir), ours, planned)}, ours, replace=options.replace)
    started = time.perf_counter()
    try:
        claim(Path(out_dir), state)
        out = Path(canonical_folder(os.fspath(out_dir)))
        with locked_output(out), listing_source(listing) as (listing, countable):
            recover(out, committed_generation(out))
            _remove_stale_temporaries(out)
            run = _Run(out, options, rules, adopt=state is FolderState.LEGACY)
            summary = run.execute(
                inputs,
                listing,
                countable=countable,
                executor_factory=lambda task: make_executor(
                    task, jobs=options.workers, engine=options.engine, scheduler=options.scheduler
                ),
                on_file=on_file,
                on_discovered=on_discovered,
            )
    except OSError as error:
        where = display(os.fsdecode(error.filename)) if error.filename else display(os.fspath(out_dir))
        raise OutputError(
            f"cannot write {where}: {error.strerror or error}",
            hint="The previous tables are unchanged and finished files are kept: fix that and run again.",
        ) from error
    summary.jobs = 1 if options.engine == "local" and options.workers <= 1 else options.workers
    summary.seconds = time.perf_counter() - started
    return summary


def _current_ruleset(options: Options) -> RuleSet:
    """The rule set, loaded again when a user pack changed since this process loaded it."""
    rules = options.ruleset()
    fresh = [load_pack(Path(folder)).digest for folder in options.rules]
    if fresh != [pack.digest for pack in rules.packs[len(rules.packs) - len(fresh) :]]:
        load_ruleset.cache_clear()
        rules = options.ruleset()
    return rules


def _planned_targets(specs: Sequence[TableSpec], options: Options) -> dict[str, bool]:
    """The output paths a run writes (``name -> is a folder``)."""
    planned: dict[str, bool] = {}
    for spec in specs:
        planned.update(target_names(spec, options.formats, options.partitioned))
    planned[DATAPACKAGE_NAME] = False  # the data dictionary, written with every run
    return planned


def _stale(out: Path, ours: set[str], planned: dict[str, bool]) -> dict[str, bool]:
    """Outputs lawreport wrote that this run does not write (another format or layout)."""
    return {name: os.path.isdir(out / name) for name in sorted(ours) if name not in planned}


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files and backups of a run that was killed (we hold the lock: nobody else
    writes). Only names lawreport gives its own temporaries."""
    ours = {MANIFEST_NAME, JOURNAL_NAME, LOCK_NAME, *scratch_names()}
    for spec in run_specs([]):  # every name a table of any format takes, in either layout
        for partition in (False, True):
            ours.update(target_names(spec, ALL_FORMATS, partition))
    for folder, names in ((out, ours), (out / NORMALIZED_DIR, None)):
        if folder.is_symlink() or not folder.is_dir():
            continue
        for entry in os.scandir(folder):
            match = _TEMPORARY.fullmatch(entry.name)
            if match is None or not (match.group(1) in names if names else _TEXT_NAME.fullmatch(match.group(1))):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


class _Run:
    def __init__(self, out: Path, options: Options, rules: RuleSet, *, adopt: bool) -> None:
        self.out = out
        self.options = options
        self.adopt = adopt
        self.indicator_ids = options.indicator_ids()
        self.specs = run_specs(self.indicator_ids)
        self.summary = RunSummary()
        self.normalized = out / NORMALIZED_DIR
        self.unhashed = 0  # files read whose rows are not cached under a content hash

    def execute(
        self,
        inputs: list[str],
        listing: str | os.PathLike[str] | BinaryIO | None,
        *,
        countable: bool,
        executor_factory: Callable[[ExtractTask], object],
        on_file: ProgressCallback | None,
        on_discovered: Callable[[int], None] | None,
    ) -> RunSummary:
        manifest = Manifest(
            self.out,
            components(self.options),
            reuse=self.options.incremental,
            adopt_legacy=self.adopt,
            csv_only=self.options.formats == ("csv",),
        )
        keep = True
        try:
            if self.adopt:
                manifest.adopt(*self._legacy_outputs())
            planned = _planned_targets(self.specs, self.options)
            ours = manifest.outputs()
            stale = _stale(self.out, ours, planned)
            check_targets(self.out, {**planned, **stale}, ours, replace=self.options.replace)
            folder_roots = [canonical_folder(path) for path in inputs if os.path.isdir(path)]
            refresh = self._refresh_list(manifest, inputs, folder_roots)

            def candidates() -> Iterator[Candidate]:
                return discover(inputs, exclude=self.out, listing=listing, follow_symlinks=self.options.follow_symlinks)

            total = None
            if countable:  # a stream can be read only once
                total = sum(1 for candidate in candidates() if not candidate.skip_reason) + self.summary.refreshed
                if on_discovered:
                    on_discovered(total)
            task = ExtractTask(self.options, wide_columns(self.options.indicator_rules()))
            try:
                self._process(manifest, chain(candidates(), refresh), executor_factory(task), on_file)
            except KeyboardInterrupt as interrupt:
                raise RunInterrupted(self.summary.files + self.summary.skipped, total) from interrupt
            self._check_something_read()
            if self._tables_current(manifest, folder_roots, planned, stale):
                self._prune_texts(manifest)
                return self.summary
            keep = False  # from here on, a failure undoes the dataset update (the cache is committed)
            try:
                self._publish(manifest, folder_roots, stale)
            except KeyboardInterrupt as interrupt:
                raise RunInterrupted(self.summary.files + self.summary.skipped, total) from interrupt
            keep = True
            self._prune_texts(manifest)
        finally:
            manifest.close(keep=keep)
        return self.summary

    # -- checks before any work ----------------------------------------------------------

    def _legacy_outputs(self) -> tuple[list[str], list[str]]:
        """What an older lawreport wrote here (taken over on --replace)."""
        tables = [
            name
            for table in TABLE_NAMES
            for name in (table, f"{table}.csv", f"{table}.parquet")
            if os.path.lexists(self.out / name) and not (self.out / name).is_symlink()
        ]
        texts = []
        if self.normalized.is_dir() and not self.normalized.is_symlink():
            texts = [
                entry.name[:-4]
                for entry in os.scandir(self.normalized)
                if _TEXT_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
            ]
        return tables, texts

    def _refresh_list(self, manifest: Manifest, inputs: list[str], folder_roots: list[str]) -> Iterator[Candidate]:
        """When the settings changed, the dataset's files of other inputs are processed again
        (rows made under other settings must not be mixed in), and so are those cached as CSV
        bytes (by a run that wrote only CSV) when this run needs their rows: all of them must
        still exist."""
        if self.options.replace or not manifest.needs_refresh():
            return iter(())
        named = {candidate.path for candidate in discover([path for path in inputs if not os.path.isdir(path)])}
        count, gone = manifest.prepare_refresh(folder_roots, named)
        if gone and not manifest.changed:
            raise UsageError(
                f"{count:,} files of the dataset in {display(str(self.out))} from other inputs were cached as CSV"
                " bytes (by a run that wrote only CSV) and must be read again for this run's output options,"
                f" but some are gone (e.g. {gone[0]})",
                hint="Restore them, add their folders to this run (files gone from an input folder are dropped),"
                " write CSV only as before, or start afresh with --replace.",
            )
        if gone:
            raise UsageError(
                f"{' and '.join(manifest.changed)} changed since the dataset in {display(str(self.out))} was built, so"
                f" its {count:,} files from other inputs must be read again, but some are gone (e.g. {gone[0]})",
                hint="Restore them, add their folders to this run (files gone from an input folder are dropped),"
                " or start afresh with --replace.",
            )
        self.summary.refreshed = count
        return (Candidate(path, skip_reason(path), root) for path, root in manifest.refresh_files())

    # -- pass 1: process ----------------------------------------------------------------

    def _process(
        self,
        manifest: Manifest,
        candidates: Iterator[Candidate],
        executor: object,
        on_file: ProgressCallback | None,
    ) -> None:
        summary = self.summary
        pending: deque[tuple[str, str | None, FileStat]] = deque()  # key, cached sha, size and times

        normalized = os.fspath(self.normalized)

        def work() -> Iterator[tuple[str, FileRows | None]]:
            for candidate in candidates:
                key = candidate.key
                if not manifest.add(key, candidate.path, candidate.root):
                    continue  # listed twice
                if candidate.skip_reason:  # in line with the others, so the errors table keeps input order
                    pending.append((key, "", NO_STAT))
                    yield candidate.path, skipped_rows(key, candidate.skip_reason)
                    continue
                now = file_stat(candidate.path)
                sha256 = manifest.known_sha256(key, now)
                if not sha256 and manifest.may_have_rows(key):
                    sha256 = content_sha256(candidate.path)
                cached = manifest.cached(key, sha256)
                if cached is not None and cached.ok and not os.path.exists(f"{normalized}/{cached.doc_id}.txt"):
                    cached = None  # its normalised text was deleted: process it again
                summary.reused += cached is not None
                pending.append((key, sha256 if cached is not None else None, now))
                yield candidate.path, cached

        finished = False
        try:
            for rows in ordered_rows(work(), executor):  # type: ignore[arg-type]
                key, cached_sha, seen = pending.popleft()
                if rows.skipped:
                    summary.skipped += 1
                    manifest.store(rows, "")
                    manifest.finish(key, "", seen)
                    continue
                if cached_sha is None:
                    manifest.store(rows, rows.content_sha256)
                    self._keep_text(manifest, rows)
                    self.unhashed += not rows.content_sha256
                manifest.finish(key, rows.content_sha256 if cached_sha is None else cached_sha, seen)
                self._count(rows)
                if on_file:
                    on_file(rows)
                manifest.checkpoint()
            finished = True
        finally:
            executor.close(finished=finished)  # type: ignore[attr-defined]

    def _count(self, rows: FileRows) -> None:
        summary = self.summary
        summary.files += 1
        summary.n_bytes += rows.n_bytes
        if rows.ok:
            summary.ok += 1
            summary.with_warnings += rows.has_warnings
        else:
            summary.failed += 1
            if len(summary.first_failures) < 3 and rows.error is not None:
                summary.first_failures.append((rows.path, rows.error["message"]))

    def _keep_text(self, manifest: Manifest, rows: FileRows) -> None:
        if not rows.ok or rows.normalized_text is None or rows.doc_id is None:
            return
        target = self.normalized / f"{rows.doc_id}.txt"
        if os.path.lexists(target):
            return  # the same text again (a duplicate), or a file that is not ours: left alone
        self.normalized.mkdir(exist_ok=True)
        manifest.record_text(rows.doc_id)  # recorded first: a text on disk is always known as ours
        write_text_atomic(target, rows.normalized_text)

    def _check_something_read(self) -> None:
        summary = self.summary
        if summary.ok:
            return
        if summary.files == 0 and summary.skipped == 0:
            what, hint = "no files found in the inputs", "Check the paths."
        elif summary.files == 0:
            what = f"no .txt or .html report among the {summary.skipped:,} files found"
            hint = "Only .txt and .html files are read (see the skip reasons with lawreport check)."
        else:
            first = "; ".join(f"{path}: {message}" for path, message in summary.first_failures)
            what = f"none of the {summary.files:,} reports could be read ({first})"
            hint = "lawreport check shows why each file fails."
        raise NothingReadError(
            f"nothing to add: {what}; the tables in {display(str(self.out))} are unchanged", hint=hint
        )

    # -- pass 2: publish ----------------------------------------------------------------

    def _tables_current(
        self, manifest: Manifest, folder_roots: list[str], planned: dict[str, bool], stale: dict[str, bool]
    ) -> bool:
        """A run that changes nothing writes nothing: same settings, every file's content as
        the dataset has it, none dropped, and every table still the file the last commit wrote
        (same size, mtime and inode). ``--full`` always writes the tables again."""
        published = manifest.published()
        if not self.options.incremental or self.adopt or stale or self.unhashed or published is None:
            return False
        outputs = published.get("outputs") or {}
        if published.get("layout") != self._layout() or set(outputs) != set(planned) or any(planned.values()):
            return False  # other output options, other outputs; folders (partitions) are not checked
        for name, recorded in outputs.items():
            try:
                status = os.lstat(self.out / name)
            except OSError:
                return False
            if [status.st_size, status.st_mtime_ns, status.st_ino] != recorded or not stat.S_ISREG(status.st_mode):
                return False
        if not manifest.dataset_unchanged(folder_roots, replace=self.options.replace):
            return False
        self.summary.rows = dict(published["rows"])
        self.summary.duplicates = published["duplicates"]
        self.summary.dataset_files, self.summary.dataset_roots = manifest.count_dataset()
        return True

    def _publish(self, manifest: Manifest, folder_roots: list[str], stale: dict[str, bool]) -> None:
        self.summary.removed = manifest.update_dataset(folder_roots, replace=self.options.replace)
        options = self.options
        writer = DatasetWriter(
            self.out, self.specs, writer_formats(options.formats), csv_escape=options.csv_escape,
            partition=options.partitioned,
        )  # fmt: skip
        try:
            for root, rows in manifest.dataset_rows():
                self._write(rows, root, writer, manifest)
            swaps = []
            written = []
            outputs: list[tuple[Path, Path]] = []
            outputs = add_exports(
                writer.finish(),
                self.out,
                self.specs,
                options.formats,
                partition=options.partitioned,
                indicators=options.indicator_rules(),
                kinds=options.report_kinds(),
                notes=self.summary.notes,
            )  # fmt: skip: the exports and datapackage.json join the same commit
            for target, temporary in outputs:
                name = target.name
                written.append(name)
                swaps.append(Swap(name, temporary.name, backup_name(name), existed=os.path.lexists(self.out / name)))
            self.summary.rows = dict(writer.rows_written)
            for name in stale:
                if os.path.lexists(self.out / name):
                    swaps.append(Swap(name, None, backup_name(name), existed=True))
                    self.summary.removed_outputs.append(name)
            manifest.record_outputs(written)
            manifest.record_published(self._published(swaps))
            commit(self.out, swaps, manifest.generation, manifest.commit)
        except BaseException:
            writer.abort()
            for _, temporary in outputs:  # exports not swapped in (a failure before the commit's undo)
                if temporary.is_dir() and not temporary.is_symlink():
                    shutil.rmtree(temporary, ignore_errors=True)
                else:
                    temporary.unlink(missing_ok=True)
            raise
        self.summary.dataset_files, self.summary.dataset_roots = manifest.count_dataset()

    def _published(self, swaps: list[Swap]) -> dict[str, Any]:
        """The tables as written (renaming keeps size, mtime and inode), for :meth:`_tables_current`."""
        outputs = {}
        for swap in swaps:
            if swap.new is not None:
                status = os.lstat(self.out / swap.new)
                outputs[swap.target] = [status.st_size, status.st_mtime_ns, status.st_ino]
        return {
            "outputs": outputs,
            "layout": self._layout(),
            "rows": self.summary.rows,
            "duplicates": self.summary.duplicates,
        }

    def _layout(self) -> dict[str, Any]:
        """The options that change the bytes of the tables but not their rows (not in the
        settings key): a run with other values writes the tables again. An option of this
        kind added later (a new format's) must be added here."""
        options = self.options
        return {"formats": list(options.formats), "csv_escape": options.csv_escape, "partition": options.partitioned}

    def _write(self, rows: FileRows, root: str, writer: DatasetWriter, manifest: Manifest) -> None:
        year = rows.document.get("report_year")
        if rows.skipped:
            writer.write("errors", [{**rows.error, "root": root}])  # type: ignore[dict-item]
            return
        if not rows.ok:
            if rows.error is not None:
                writer.write("errors", [{**rows.error, "root": root}])
            writer.write("documents", [{**rows.document, "root": root}], year=year)
            return
        assert rows.doc_id is not None
        duplicate_of = manifest.first_path(rows.doc_id, rows.path)
        writer.write("documents", [{**rows.document, "root": root, "duplicate_of": duplicate_of}], year=year)
        if duplicate_of is not None:
            self.summary.duplicates += 1
            return
        encoded = rows.csv or {}  # CSV bytes the worker made, else rows for every format
        writer.write("sections", rows.sections, year=year, encoded=encoded.get("sections"))
        writer.write("indicators", rows.indicators, year=year, encoded=encoded.get("indicators"))
        if rows.wide is not None or "indicators_wide" in encoded:
            wide = [rows.wide] if rows.wide is not None else []
            writer.write("indicators_wide", wide, year=year, encoded=encoded.get("indicators_wide"))

    def _prune_texts(self, manifest: Manifest) -> None:
        """Drop the normalised texts lawreport wrote that no file of the dataset uses now."""
        unused = manifest.unused_texts()
        for doc_id in unused:
            path = self.normalized / f"{doc_id}.txt"
            if path.is_file() and not path.is_symlink():
                path.unlink()
        manifest.forget_texts(unused)
