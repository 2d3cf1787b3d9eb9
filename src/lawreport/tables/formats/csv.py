"""CSV: one file per table, UTF-8 with a byte-order mark so Excel opens it, rows in input
order. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a
leading apostrophe (OWASP advice) unless ``csv_escape`` is off.

A file's rows may also come already encoded (:func:`encode_rows`, made by the worker that
processed the file; see :mod:`lawreport.run.parts`): their bytes are appended as they are."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from lawreport.tables.folder import sync_tree, temporary_path
from lawreport.tables.schemas import TableSpec

FORMULA_FIRST_CHARS = frozenset(("=", "+", "-", "@", "\t", "\r"))
BOM = "\ufeff".encode()


def target(spec: TableSpec, partition: bool) -> tuple[str, bool]:
    return f"{spec.name}.csv", False


def escaped_columns(spec: TableSpec, csv_escape: bool) -> list[int]:
    """Positions of the cells that get the formula escape."""
    text_columns = set(spec.text_columns) if csv_escape else set()
    return [index for index, column in enumerate(spec.columns) if column in text_columns]


def _cells(columns: list[str], escaped: list[int], rows: list[dict[str, Any]]) -> Iterator[list[Any]]:
    """Cells as pandas' ``to_csv`` writes them (the csv module writes None as empty)."""
    for row in rows:
        cells = list(map(row.get, columns))
        for index in escaped:
            value = cells[index]
            if value and value[0] in FORMULA_FIRST_CHARS:
                cells[index] = "'" + value
        yield cells


def encode_rows(spec: TableSpec, rows: list[dict[str, Any]]) -> bytes | None:
    """The bytes ``rows`` take in ``spec``'s CSV file (no header, no byte-order mark), the
    same whatever ``csv_escape``; None when a text cell looks like a formula."""
    names = [spec.columns[index] for index in escaped_columns(spec, True)]
    if any(value and value[0] in FORMULA_FIRST_CHARS for row in rows for value in map(row.get, names)):
        return None
    return _encode(spec.columns, [], rows)


def _encode(columns: list[str], escaped: list[int], rows: list[dict[str, Any]]) -> bytes:
    if not rows:
        return b""
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(_cells(columns, escaped, rows))
    return text.getvalue().encode("utf-8")


class Sink:
    def __init__(self, out: Path, specs: Sequence[TableSpec], *, csv_escape: bool, partition: bool) -> None:
        self.csv_escape = csv_escape
        self._specs = {spec.name: spec for spec in specs}
        self._targets = {name: out / target(spec, partition)[0] for name, spec in self._specs.items()}
        self._temps = {name: temporary_path(path) for name, path in self._targets.items()}
        self._escaped = {name: escaped_columns(spec, csv_escape) for name, spec in self._specs.items()}
        self._files = {}
        for name, spec in self._specs.items():
            handle = open(self._temps[name], "wb")  # noqa: SIM115 - closed in finish/abort
            self._files[name] = handle
            handle.write(BOM + _encode(spec.columns, [], [dict(zip(spec.columns, spec.columns, strict=True))]))

    def write(self, table: str, rows: list[dict[str, Any]], years: list[Any]) -> None:
        self._files[table].write(_encode(self._specs[table].columns, self._escaped[table], rows))

    def write_encoded(self, table: str, data: bytes) -> None:
        """Rows encoded by :func:`encode_rows`."""
        self._files[table].write(data)

    def finish(self) -> dict[Path, Path]:
        for handle in self._files.values():
            handle.close()
        for path in self._temps.values():
            sync_tree(path)
        return {self._targets[name]: self._temps[name] for name in self._specs}

    def abort(self) -> None:
        for name, handle in self._files.items():
            with contextlib.suppress(Exception):
                handle.close()
            with contextlib.suppress(FileNotFoundError):
                self._temps[name].unlink()
