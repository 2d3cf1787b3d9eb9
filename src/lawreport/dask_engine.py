"""Run the per-file pipeline on a Dask cluster (optional extra: ``pip install lawreport[dask]``).

The same function as the local engine, mapped over batches of about 500 paths; a few batches
per worker thread are in flight at a time and come back in submission order, so the tables are
identical to a local run and memory stays bounded. Without a scheduler address a LocalCluster
is started for the run (:func:`local_cluster`): on the loopback only, and with TLS under a
private certificate made for the run, so no other program on the machine can join it or run
code in its workers.
"""

from __future__ import annotations

from typing import Any

from lawreport.errors import UsageError
from lawreport.executors import Handle, rows_for_paths
from lawreport.pipeline import ExtractOptions, FileRows

BATCH_SIZE = 500
IN_FLIGHT = 2  # batches queued per worker thread


class _Future:
    def __init__(self, future: Any) -> None:
        self._future = future

    def get(self) -> list[FileRows]:
        rows = self._future.result()
        self._future.release()
        return rows


class _Local:
    """Dask's own schedulers in this process (tests and debugging)."""

    def __init__(self, task: Any, scheduler: str) -> None:
        self._task, self._scheduler = task, scheduler

    def get(self) -> list[FileRows]:
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


class DaskExecutor:
    """``scheduler``: an address, ``synchronous`` or ``threads``; None starts a LocalCluster."""

    def __init__(
        self,
        options: ExtractOptions,
        indicator_ids: list[str],
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
        self.options, self.indicator_ids = options, indicator_ids
        self.chunk_size = batch_size
        self._delayed = dask.delayed
        self._scheduler = scheduler
        self.client = None
        if scheduler in ("synchronous", "threads"):
            self.max_in_flight = 1
            return
        self.client = Client(scheduler) if scheduler else Client(local_cluster())
        self.max_in_flight = max(1, IN_FLIGHT * sum(self.client.nthreads().values()))

    def submit(self, paths: list[str]) -> Handle:
        if self.client is None:
            task = self._delayed(rows_for_paths)(paths, self.options, self.indicator_ids)
            return _Local(task, self._scheduler or "synchronous")
        return _Future(self.client.submit(rows_for_paths, paths, self.options, self.indicator_ids, pure=False))

    def close(self, *, finished: bool = True) -> None:
        if self.client is None:
            return
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if cluster is not None:
            cluster.close()
