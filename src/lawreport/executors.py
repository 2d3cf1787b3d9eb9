"""Run the per-file pipeline over a stream of paths, in order, with bounded memory.

An executor turns a chunk of paths into a handle whose ``get()`` returns their rows. The
driver, :func:`ordered_rows`, keeps at most ``max_in_flight`` chunks submitted and yields rows
in input order, interleaved with rows that need no work (from the row cache): nothing is held
per document beyond that window, so memory does not grow with the corpus.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Protocol

from lawreport.manifest import encode_rows
from lawreport.pipeline import ExtractOptions, FileRows, rows_for_file

CHUNKSIZE = 8
IN_FLIGHT_PER_JOB = 4


class Handle(Protocol):
    def get(self) -> list[FileRows]: ...


class Executor(Protocol):
    chunk_size: int
    max_in_flight: int

    def submit(self, paths: list[str]) -> Handle: ...

    def close(self, *, finished: bool = True) -> None: ...


class _Deferred:
    """Work done when asked for: the one-process executor."""

    def __init__(self, paths: list[str], options: ExtractOptions, indicator_ids: list[str]) -> None:
        self._args = (paths, options, indicator_ids)

    def get(self) -> list[FileRows]:
        return rows_for_paths(*self._args)


def rows_for_paths(paths: list[str], options: ExtractOptions, indicator_ids: list[str]) -> list[FileRows]:
    """Rows of each path, with their manifest entry encoded here (in the worker), not by the
    process that writes the tables."""
    results = []
    for path in paths:
        rows = rows_for_file(path, options, indicator_ids)
        results.append(dataclasses.replace(rows, cache_entry=encode_rows(rows)))
    return results


class SerialExecutor:
    chunk_size = 1
    max_in_flight = 1

    def __init__(self, options: ExtractOptions, indicator_ids: list[str]) -> None:
        self.options, self.indicator_ids = options, indicator_ids

    def submit(self, paths: list[str]) -> Handle:
        return _Deferred(paths, self.options, self.indicator_ids)

    def close(self, *, finished: bool = True) -> None:
        pass


# Worker state, set once per process by the pool initializer.
_worker_options: ExtractOptions | None = None
_worker_ids: list[str] = []


def _init_worker(options: ExtractOptions, indicator_ids: list[str]) -> None:
    global _worker_options, _worker_ids
    # The CLI turns SIGTERM into KeyboardInterrupt; a worker must simply die when the pool is
    # terminated, or it may leave the task queue's lock held and hang the other workers.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent
    _worker_options, _worker_ids = options, indicator_ids
    warm_up(options)


def _work(paths: list[str]) -> list[FileRows]:
    assert _worker_options is not None
    return rows_for_paths(paths, _worker_options, _worker_ids)


def warm_up(options: ExtractOptions) -> None:
    """Load rules, OpenCC, jieba and the gazetteer once (before forking, workers share them)."""
    from lawreport.gazetteer import gazetteer
    from lawreport.normalize import fold_width
    from lawreport.script import simplify
    from lawreport.subjects import words

    options.ruleset()
    simplify(fold_width("預熱"))
    words("预热PM2.5")  # the segmenter and its fallback list
    gazetteer()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class PoolExecutor:
    """Worker processes forked after warm-up, so rules and dictionaries are shared."""

    chunk_size = CHUNKSIZE

    def __init__(self, options: ExtractOptions, indicator_ids: list[str], jobs: int) -> None:
        warm_up(options)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._pool = context.Pool(jobs, initializer=_init_worker, initargs=(options, indicator_ids))
        self.max_in_flight = IN_FLIGHT_PER_JOB * jobs

    def submit(self, paths: list[str]) -> Handle:
        return self._pool.apply_async(_work, (paths,))

    def close(self, *, finished: bool = True) -> None:
        if finished:
            self._pool.close()  # every result was collected: let the workers exit on their own
        else:
            self._pool.terminate()
        self._pool.join()


class _Chunk:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.handle: Handle | None = None
        self.rows: list[FileRows] | None = None
        self.taken = 0

    def take(self) -> FileRows:
        if self.rows is None:
            assert self.handle is not None
            self.rows = self.handle.get()
            self.handle = None
        rows = self.rows[self.taken]
        self.rows[self.taken] = None  # type: ignore[call-overload]  # written: let it go
        self.taken += 1
        return rows


def ordered_rows(work: Iterable[tuple[str, FileRows | None]], executor: Executor) -> Iterator[FileRows]:
    """Rows for each ``(path, ready_rows)`` in order; paths without ready rows are processed."""
    pending: deque[FileRows | _Chunk] = deque()
    open_chunk: _Chunk | None = None
    in_flight = 0
    window = max(1, executor.max_in_flight) * max(1, executor.chunk_size)

    def submit(chunk: _Chunk) -> None:
        nonlocal in_flight
        chunk.handle = executor.submit(chunk.paths)
        in_flight += 1

    def pop() -> FileRows:
        nonlocal open_chunk, in_flight
        head = pending.popleft()
        if not isinstance(head, _Chunk):
            return head
        if head is open_chunk:
            submit(head)
            open_chunk = None
        rows = head.take()  # the chunk has one entry in ``pending`` per path
        if head.taken == len(head.paths):
            in_flight -= 1
        return rows

    for path, ready in work:
        if ready is not None:
            pending.append(ready)
        else:
            if open_chunk is None:
                open_chunk = _Chunk()
            open_chunk.paths.append(path)
            pending.append(open_chunk)
            if len(open_chunk.paths) >= executor.chunk_size:
                submit(open_chunk)
                open_chunk = None
        while pending and (in_flight >= executor.max_in_flight or len(pending) > window):
            yield pop()
        while pending and not isinstance(pending[0], _Chunk):
            yield pop()
    while pending:
        yield pop()
