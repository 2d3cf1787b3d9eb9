"""Run a per-file task over a stream of paths, in order, with bounded memory.

A task (:class:`ExtractTask` for ``extract``, a check task for ``check``) turns a list of
paths into one result each, and knows what to report for a file whose worker died. An
executor runs it on chunks of paths: in this process (:class:`SerialExecutor`), in worker
processes (:class:`PoolExecutor`) or on a Dask cluster (:mod:`lawreport.run.dask_engine`). The
driver, :func:`ordered_rows`, keeps at most ``max_in_flight`` chunks submitted and yields
results in input order, interleaved with results that need no work (from the row cache):
nothing is held per document beyond that window, so memory does not grow with the corpus.

A worker that dies (killed, out of memory) costs only its chunk: the chunk's files are tried
again one by one, and the file that kills its worker again becomes an error row. The run goes
on; nothing waits for a result that will never come.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import multiprocessing.connection
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar

from lawreport.options import Options
from lawreport.paths import display
from lawreport.pipeline import process_file, warm_up
from lawreport.run.cachekey import content_sha256
from lawreport.run.manifest import encode_parts, encode_rows
from lawreport.tables.rows import FileRows, WideColumn, died_rows, renamed, rows_for_result
from lawreport.tables.schemas import run_specs

CHUNKSIZE = 8
IN_FLIGHT_PER_JOB = 4
STOP_SECONDS = 5.0  # how long a terminated worker may take before it is killed

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Task(Protocol[T]):
    """What an executor runs: picklable, with results in the order of ``paths``."""

    def __call__(self, paths: list[str]) -> list[T]: ...

    def died(self, path: str, reason: str) -> T: ...

    def warm_up(self) -> None: ...


class Handle(Protocol[T_co]):
    def get(self) -> list[T_co]: ...


class Executor(Protocol[T]):
    chunk_size: int
    max_in_flight: int

    def submit(self, paths: list[str]) -> Handle[T]: ...

    def close(self, *, finished: bool = True) -> None: ...


@dataclasses.dataclass(frozen=True)
class ExtractTask:
    """``extract``'s per-file work: the manifest entry (the table rows, encoded here, in the
    worker, and when CSV is written their CSV bytes too, which the tables are made of), the
    facts and normalised text the driver needs, and the hash of the content the rows were made
    from. The rows themselves are not sent back (they would be pickled a second time): the
    tables are written from the manifest."""

    options: Options
    columns: tuple[WideColumn, ...]  # the standard indicators of indicators_wide

    @property
    def indicator_ids(self) -> list[str]:
        return [column.id for column in self.columns]

    def __call__(self, paths: list[str]) -> list[FileRows]:
        results = []
        # A run that writes only CSV caches CSV bytes in place of the rows they hold: the
        # driver then decodes none of them (another format would need the rows as values).
        specs = run_specs(self.indicator_ids) if self.options.formats == ("csv",) else None
        for path in paths:
            before = content_sha256(path)
            rows = renamed(
                rows_for_result(process_file(path, self.options), self.columns),
                display(path),
            )
            # Cached under the hash of what was read, only if the file did not change meanwhile.
            sha256 = before if before and content_sha256(path) == before else ""
            parts = encode_parts(rows, specs) if specs is not None else None
            entry = encode_rows(
                rows if parts is None else dataclasses.replace(rows, sections=[], indicators=[], wide=None)
            )
            results.append(
                dataclasses.replace(
                    rows,
                    document={},
                    sections=[],
                    indicators=[],
                    wide=None,
                    cache_entry=entry,
                    cache_parts=parts,
                    content_sha256=sha256,
                )
            )
        return results

    def died(self, path: str, reason: str) -> FileRows:
        return died_rows(display(path), reason)

    def warm_up(self) -> None:
        warm_up(self.options)


class _Deferred(Generic[T]):
    """Work done when asked for: the one-process executor."""

    def __init__(self, task: Task[T], paths: list[str]) -> None:
        self._task, self._paths = task, paths

    def get(self) -> list[T]:
        return self._task(self._paths)


class SerialExecutor(Generic[T]):
    chunk_size = 1
    max_in_flight = 1

    def __init__(self, task: Task[T]) -> None:
        self.task = task

    def submit(self, paths: list[str]) -> Handle[T]:
        return _Deferred(self.task, paths)

    def close(self, *, finished: bool = True) -> None:
        pass


class _Job(Generic[T]):
    """Paths sent to one worker; after a worker death, one sub-job per path."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.result: list[T] | None = None
        self.parts: list[_Job[T]] = []

    @property
    def done(self) -> bool:
        if self.parts:
            return all(part.done for part in self.parts)
        return self.result is not None

    def collect(self) -> list[T]:
        if self.parts:
            return [item for part in self.parts for item in part.collect()]
        assert self.result is not None
        return self.result


class _PoolHandle(Generic[T]):
    def __init__(self, pool: PoolExecutor[T], job: _Job[T]) -> None:
        self._pool, self._job = pool, job

    def get(self) -> list[T]:
        while not self._job.done:
            self._pool.step()
        return self._job.collect()


class _Worker:
    def __init__(self, context: Any, task: Task[Any], others: list[_Worker]) -> None:
        self.conn, child = context.Pipe()
        # A forked worker inherits the parent's ends of every pipe: it closes them, so that it
        # (and every other worker) sees the end of its pipe when the parent dies, even by kill -9.
        inherited = [self.conn, *(worker.conn for worker in others)]
        self.process = context.Process(target=_worker_main, args=(child, task, inherited), daemon=True)
        self.process.start()
        child.close()
        self.job: _Job[Any] | None = None


def _worker_main(
    conn: multiprocessing.connection.Connection,
    task: Task[Any],
    inherited: list[multiprocessing.connection.Connection],
) -> None:
    for other in inherited:
        other.close()
    # The CLI turns SIGTERM into KeyboardInterrupt; a worker must simply die when terminated.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent
    while True:
        try:
            paths = conn.recv()
        except EOFError:
            return
        if paths is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", task(paths))
        except Exception as error:  # a task never raises for bad input; this is a bug
            reply = ("error", f"internal error in the worker: {type(error).__name__}: {error}")
        conn.send(reply)


class PoolExecutor(Generic[T]):
    """Worker processes forked after warm-up (rules and dictionaries are shared; no warm-up
    when no file needs processing), started as work arrives (never more than there are
    chunks), each with its own pipe, so a worker that dies is noticed at once and costs only
    its own chunk."""

    chunk_size = CHUNKSIZE

    def __init__(self, task: Task[T], jobs: int) -> None:
        self._warm = False  # warmed up before the first fork, not before: a run may need no worker
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.task = task
        self.jobs = jobs
        self.max_in_flight = IN_FLIGHT_PER_JOB * jobs
        self._workers: list[_Worker] = []
        self._queue: deque[_Job[T]] = deque()

    def sole_chunk(self) -> None:
        """Told before the first submission when it is the run's only chunk: one worker will do
        all the work, so warming up here first would only load everything twice (the worker
        loads what its files need, as the one-process executor does)."""
        if not self._workers:
            self._warm = True

    def submit(self, paths: list[str]) -> Handle[T]:
        job: _Job[T] = _Job(list(paths))
        self._queue.append(job)
        self._dispatch()
        return _PoolHandle(self, job)

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not self._queue:
                return
            if worker.job is None:
                self._send(worker, self._queue.popleft())
        while self._queue and len(self._workers) < self.jobs:
            if not self._warm:
                self.task.warm_up()
                self._warm = True
            worker = _Worker(self._context, self.task, self._workers)
            self._workers.append(worker)
            self._send(worker, self._queue.popleft())

    def _send(self, worker: _Worker, job: _Job[T]) -> None:
        worker.job = job
        with contextlib.suppress(OSError):  # it died already: its sentinel says so in step()
            worker.conn.send(job.paths)

    def step(self) -> None:
        """Wait for one worker to answer or die, and deal with it."""
        self._dispatch()
        busy = [worker for worker in self._workers if worker.job is not None]
        if not busy:
            return
        waitables: dict[Any, _Worker] = {}
        for worker in busy:
            waitables[worker.conn] = worker
            waitables[worker.process.sentinel] = worker
        for ready in multiprocessing.connection.wait(list(waitables)):
            worker = waitables[ready]
            if worker.job is None:
                continue
            reply = None
            if worker.conn.poll():
                try:
                    reply = worker.conn.recv()
                except (EOFError, OSError):  # its end of the pipe closed: it is dying
                    worker.process.join(timeout=STOP_SECONDS)
            if reply is not None:
                job, worker.job = worker.job, None
                status, payload = reply
                if status == "ok":
                    job.result = payload
                else:
                    self._failed(job, payload)
            elif not worker.process.is_alive():
                job, worker.job = worker.job, None
                self._replace(worker)
                self._failed(job, _death_reason(worker.process.exitcode))
        self._dispatch()

    def _failed(self, job: _Job[T], reason: str) -> None:
        """A chunk is tried again file by file; a single file that fails is an error row."""
        if len(job.paths) == 1:
            job.result = [self.task.died(job.paths[0], reason)]
            return
        job.parts = [_Job([path]) for path in job.paths]
        self._queue.extendleft(reversed(job.parts))

    def _replace(self, worker: _Worker) -> None:
        worker.process.join(timeout=STOP_SECONDS)
        worker.conn.close()
        self._workers.remove(worker)

    def close(self, *, finished: bool = True) -> None:
        for worker in self._workers:
            if finished:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
            else:
                worker.process.terminate()
        for worker in self._workers:
            worker.process.join(timeout=STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers.clear()


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the worker process died while reading this file (killed by {name}: out of memory?)"
    return f"the worker process died while reading this file (exit code {exitcode})"


def make_executor(task: Task[T], *, jobs: int, engine: str = "local", scheduler: str | None = None) -> Executor[T]:
    if engine == "dask":
        from lawreport.run.dask_engine import DaskExecutor

        return DaskExecutor(task, scheduler=scheduler)
    if jobs <= 1:
        return SerialExecutor(task)
    return PoolExecutor(task, jobs)


class _Chunk(Generic[T]):
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.handle: Handle[T] | None = None
        self.rows: list[T] | None = None
        self.taken = 0

    def take(self) -> T:
        if self.rows is None:
            assert self.handle is not None
            self.rows = self.handle.get()
            self.handle = None
        rows = self.rows[self.taken]
        self.rows[self.taken] = None  # type: ignore[call-overload]  # written: let it go
        self.taken += 1
        return rows


def ordered_rows(work: Iterable[tuple[str, T | None]], executor: Executor[T]) -> Iterator[T]:
    """Results for each ``(path, ready)`` in order; paths without a ready result are processed."""
    pending: deque[T | _Chunk[T]] = deque()
    open_chunk: _Chunk[T] | None = None
    in_flight = 0
    submitted = 0
    exhausted = False
    window = max(1, executor.max_in_flight) * max(1, executor.chunk_size)

    def submit(chunk: _Chunk[T]) -> None:
        nonlocal in_flight, submitted
        if exhausted and not submitted and isinstance(executor, PoolExecutor):
            executor.sole_chunk()
        submitted += 1
        chunk.handle = executor.submit(chunk.paths)
        in_flight += 1

    def pop() -> T:
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
    exhausted = True
    while pending:
        yield pop()
