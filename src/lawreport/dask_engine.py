"""Run the per-file pipeline on a Dask cluster (optional extra: ``pip install lawreport[dask]``).

The same function as the local engine, mapped over batches of about 500 paths; batches come
back in submission order so the tables are identical to a local run. Without a scheduler
address a LocalCluster is started for the run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lawreport.errors import UsageError
from lawreport.pipeline import ExtractOptions, FileRows, rows_for_file

BATCH_SIZE = 500
IN_FLIGHT = 4  # batches queued per worker thread, so memory stays bounded


def rows_for_batch(paths: list[str], options: ExtractOptions, indicator_ids: list[str]) -> list[FileRows]:
    return [rows_for_file(path, options, indicator_ids) for path in paths]


def _client(scheduler: str | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise UsageError(
            "the dask engine needs the optional extra", hint="Install it with: pip install 'lawreport[dask]'"
        ) from error
    if scheduler in ("synchronous", "threads"):
        return None
    if scheduler:
        return Client(scheduler)
    return Client(LocalCluster(processes=True, dashboard_address=None))


def process_paths_dask(
    paths: Sequence[str],
    options: ExtractOptions,
    indicator_ids: list[str],
    *,
    scheduler: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[FileRows]:
    """Rows of each path in order. ``scheduler``: an address, or ``synchronous`` for tests."""
    batches = [list(paths[i : i + batch_size]) for i in range(0, len(paths), batch_size)]
    if not batches:
        return
    client = _client(scheduler)
    if client is None:
        import dask

        tasks = [dask.delayed(rows_for_batch)(batch, options, indicator_ids) for batch in batches]
        for task in tasks:
            yield from task.compute(scheduler="synchronous" if scheduler != "threads" else "threads")
        return
    try:
        window = max(1, IN_FLIGHT * sum(client.nthreads().values()))
        futures = [
            client.submit(rows_for_batch, batch, options, indicator_ids, pure=False) for batch in batches[:window]
        ]
        next_batch = len(futures)
        position = 0
        while position < len(futures):
            result = futures[position].result()
            futures[position] = None  # let the scheduler forget it
            if next_batch < len(batches):
                futures.append(client.submit(rows_for_batch, batches[next_batch], options, indicator_ids, pure=False))
                next_batch += 1
            position += 1
            yield from result
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
