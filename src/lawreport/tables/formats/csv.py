"""CSV: one file per table, UTF-8 with a byte-order mark so Excel opens it, rows in input
order. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a
leading apostrophe (OWASP advice) unless ``csv_escape`` is off."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from lawreport.tables.folder import sync_tree, temporary_path
from lawreport.tables.schemas import TableSpec

FORMULA_FIRST_CHARS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def target(spec: TableSpec, partition: bool) -> tuple[str, bool]:
    return f"{spec.name}.csv", False


class Sink:
    def __init__(self, out: Path, specs: Sequence[TableSpec], *, csv_escape: bool, partition: bool) -> None:
        self._specs = {spec.name: spec for spec in specs}
        self._targets = {name: out / target(spec, partition)[0] for name, spec in self._specs.items()}
        self._temps = {name: temporary_path(path) for name, path in self._targets.items()}
        self._escaped: dict[str, list[int]] = {}
        self._files = {}
        self._writers = {}
        for name, spec in self._specs.items():
            text_columns = set(spec.text_columns) if csv_escape else set()
            self._escaped[name] = [index for index, column in enumerate(spec.columns) if column in text_columns]
            handle = open(self._temps[name], "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in finish/abort
            self._files[name] = handle
            self._writers[name] = csv.writer(handle, lineterminator="\r\n")
            self._writers[name].writerow(spec.columns)

    def write(self, table: str, rows: list[dict[str, Any]], years: list[Any]) -> None:
        self._writers[table].writerows(self._cells(table, rows))

    def _cells(self, table: str, rows: list[dict[str, Any]]) -> Iterator[list[Any]]:
        """Cells as pandas' ``to_csv`` writes them (the csv module writes None as empty)."""
        columns = self._specs[table].columns
        escaped = self._escaped[table]
        for row in rows:
            cells = list(map(row.get, columns))
            for index in escaped:
                value = cells[index]
                if value and value[0] in FORMULA_FIRST_CHARS:
                    cells[index] = "'" + value
            yield cells

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
