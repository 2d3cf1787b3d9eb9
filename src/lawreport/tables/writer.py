"""Stream the rows of a run into every table in every format it writes.

Rows are buffered per table (:data:`ROW_BUFFER` at a time as Python dicts, which are bulky)
and handed to each format's sink (:mod:`lawreport.tables.formats`), which writes them to
temporary paths. A file's rows may come already encoded for the CSV sink (bytes its worker
made): they go to that sink as they are, and the other sinks get the rows (a run that writes
only CSV needs no rows for them). :meth:`DatasetWriter.finish` gives those paths to the commit
(:mod:`lawreport.run.commit`), which swaps all tables into place together.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lawreport.tables.formats import Sink, make_sink
from lawreport.tables.schemas import TableSpec

ROW_BUFFER = 1000  # rows held as Python dicts per table before they go to the sinks


class DatasetWriter:
    """Every table of ``specs`` in every one of ``formats``, written under ``out``."""

    def __init__(
        self, out: Path, specs: Sequence[TableSpec], formats: Sequence[str], *, csv_escape: bool, partition: bool
    ) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.specs = tuple(specs)
        self.rows_written = {spec.name: 0 for spec in self.specs}
        self._buffers: dict[str, list[dict[str, Any]]] = {spec.name: [] for spec in self.specs}
        self._years: dict[str, list[Any]] = {spec.name: [] for spec in self.specs}
        self._sinks: list[Sink] = []  # those that take rows
        self._every_sink: list[Sink] = []  # in the order of ``formats``
        self._encoded_sink: Any = None  # the CSV sink, which takes rows encoded elsewhere
        self._pending: dict[str, list[dict[str, Any]]] = {spec.name: [] for spec in self.specs}  # for it
        try:
            for fmt in formats:
                sink = make_sink(fmt, out, self.specs, csv_escape=csv_escape, partition=partition)
                self._every_sink.append(sink)
                if fmt == "csv":
                    self._encoded_sink = sink
                else:
                    self._sinks.append(sink)
        except BaseException:
            self.abort()
            raise

    def write(
        self, table: str, rows: Iterable[dict[str, Any]], *, year: Any = None, encoded: tuple[bytes, int] | None = None
    ) -> None:
        """Add rows of ``table`` (in input order); ``year`` is their report year. ``encoded``:
        the rows as CSV bytes (the same whatever ``csv_escape``), and how many they are
        (only when CSV is the one format written: ``rows`` are not needed then)."""
        rows = rows if isinstance(rows, list) else list(rows)
        if encoded is not None and (self._sinks or self._encoded_sink is None):
            raise AssertionError("CSV bytes given to a writer of another format")
        if self._encoded_sink is not None:
            if encoded is not None:
                self._flush_encoded(table)
                self._encoded_sink.write_encoded(table, encoded[0])
            else:
                self._pending[table].extend(rows)
                if len(self._pending[table]) >= ROW_BUFFER:
                    self._flush_encoded(table)
        self.rows_written[table] += encoded[1] if encoded is not None else len(rows)
        if not self._sinks:
            return
        buffer = self._buffers[table]
        buffer.extend(rows)
        self._years[table].extend([year] * len(rows))
        if len(buffer) >= ROW_BUFFER:
            self._flush(table)

    def _flush_encoded(self, table: str) -> None:
        rows = self._pending[table]
        if rows:
            self._encoded_sink.write(table, rows, [])
            self._pending[table] = []

    def _flush(self, table: str) -> None:
        rows, years = self._buffers[table], self._years[table]
        if not rows:
            return
        for sink in self._sinks:
            sink.write(table, rows, years)
        self._buffers[table], self._years[table] = [], []

    def finish(self) -> list[tuple[Path, Path]]:
        """Write what is buffered, close and sync every file: ``(final path, temporary path)``
        of every output, table by table. Putting them in place is the commit's job."""
        for spec in self.specs:
            self._flush(spec.name)
            if self._encoded_sink is not None:
                self._flush_encoded(spec.name)
        written: dict[Path, Path] = {}
        for sink in self._every_sink:
            written.update(sink.finish())
        order = {spec.name: position for position, spec in enumerate(self.specs)}
        return sorted(written.items(), key=lambda item: order.get(_table_of(item[0], order), len(order)))

    def abort(self) -> None:
        for sink in self._every_sink:
            with contextlib.suppress(Exception):
                sink.abort()


def _table_of(path: Path, tables: dict[str, int]) -> str:
    """The table an output path holds (``indicators.csv``, ``indicators/`` -> indicators)."""
    name = path.name
    return name if name in tables else name.rsplit(".", 1)[0]
