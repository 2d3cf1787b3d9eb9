"""Run the per-file task on a Dask cluster (optional extra: ``pip install lawreport[dask]``).

The same task as the local engine, mapped over batches of about 500 paths; a few batches
per worker thread are in flight at a time and come back in submission order, so the tables are
identical to a local run and memory stays bounded. Without a scheduler address a LocalCluster
is started for the run (:func:`local_cluster`): on the loopback only, and with TLS under a
private certificate made for the run, so no other program on the machine can join it or run
code in its workers.

A file that kills its Dask worker (out of memory, a crash in a C library) makes the scheduler
give up on its batch with ``KilledWorker``: that batch is then run again one file at a time,
and the file whose task is killed again becomes an error row. The run goes on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from lawreport.errors import UsageError

if TYPE_CHECKING:
    from lawreport.run.executors import Handle, Task

BATCH_SIZE = 500
IN_FLIGHT = 2  # batches queued per worker thread

T = TypeVar("T")


class _Future(Generic[T]):
    def __init__(self, executor: DaskExecutor[T], future: Any, paths: list[str]) -> None:
        self._executor, self._future, self._paths = executor, future, paths

    def get(self) -> list[T]:
        from distributed import KilledWorker

        try:
            return self._executor.result(self._future)
        except KilledWorker:
            return self._executor.one_by_one(self._paths)


class _Local(Generic[T]):
    """Dask's own schedulers in this process (tests and debugging)."""

    def __init__(self, task: Any, scheduler: str) -> None:
        self._task, self._scheduler = task, scheduler

    def get(self) -> list[T]:
        return self._task.compute(scheduler=self._scheduler)


def local_cluster() -> Any:
    """A LocalCluster for one run that only lawreport can use: it listens on 127.0.0.1 only,
    and every connection needs TLS with a temporary key and certificate that exist only in this
    process's memory (``Security.temporary``, needs the ``cryptography`` package): a process of
    another user (or of this one) that finds the port cannot connect, let alone run code."""
    from distributed import LocalCluster
    from distributed.security import Security

    try:
        security = Security.temporary()
    except ImportError as error:
        raise UsageError(
            "the local Dask cluster needs the cryptography package for its private TLS certificate",
            hint="Install the extra again: pip install 'lawreport[dask]'",
        ) from error
    return LocalCluster(host="127.0.0.1", protocol="tls://", security=security, processes=True, dashboard_address=None)


class DaskExecutor(Generic[T]):
    """``scheduler``: an address, ``synchronous`` or ``threads``; None starts a LocalCluster."""

    def __init__(
        self,
        task: Task[T],
        *,
        scheduler: str | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        try:
            import dask
            from distributed import Client
        except ImportError as error:
            raise UsageError(
                "the dask engine needs the optional extra", hint="Install it with: pip install 'lawreport[dask]'"
            ) from error
        self.task = task
        self.chunk_size = batch_size
        self._delayed = dask.delayed
        self._scheduler = scheduler
        self.client = None
        if scheduler in ("synchronous", "threads"):
            self.max_in_flight = 1
            return
        self.client = Client(scheduler) if scheduler else Client(local_cluster())
        self.max_in_flight = max(1, IN_FLIGHT * sum(self.client.nthreads().values()))

    def submit(self, paths: list[str]) -> Handle[T]:
        if self.client is None:
            return _Local(self._delayed(self.task)(paths), self._scheduler or "synchronous")
        return _Future(self, self.client.submit(self.task, paths, pure=False), paths)

    def result(self, future: Any) -> list[T]:
        try:
            return future.result()
        finally:
            future.release()

    def one_by_one(self, paths: list[str]) -> list[T]:
        """A batch whose worker died, again file by file: only the file that kills its worker
        again becomes an error row (one at a time, so no other file shares its fate)."""
        from distributed import KilledWorker

        results: list[T] = []
        for path in paths:
            try:
                results.extend(self.result(self.client.submit(self.task, [path], pure=False)))
            except KilledWorker:
                results.append(
                    self.task.died(path, "the Dask worker died while reading this file (killed: out of memory?)")
                )
        return results

    def close(self, *, finished: bool = True) -> None:
        if self.client is None:
            return
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if cluster is not None:
            cluster.close()
