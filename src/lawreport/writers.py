"""Write tables atomically: stream rows to temporary files, then rename into place.

CSV is UTF-8 with a byte-order mark so Excel opens it; text cells that a spreadsheet
would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe (OWASP advice).
Parquet keeps the raw text and proper types, compressed with zstd.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lawreport.tables import TableSpec

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROW_GROUP_SIZE = 5000
FORMATS = ("csv", "parquet")


def escape_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def temporary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


class TableWriter:
    """Streams rows of one table to CSV and/or Parquet; ``commit`` renames them into place."""

    def __init__(self, spec: TableSpec, out_dir: Path, formats: Sequence[str], *, csv_escape: bool = True) -> None:
        self.spec = spec
        self.formats = tuple(formats)
        self.csv_escape = csv_escape
        self.rows_written = 0
        self._buffer: list[dict[str, Any]] = []
        self._targets = {fmt: out_dir / f"{spec.name}.{fmt}" for fmt in self.formats}
        self._temps = {fmt: temporary_path(path) for fmt, path in self._targets.items()}
        out_dir.mkdir(parents=True, exist_ok=True)
        self._csv = None
        self._parquet: pq.ParquetWriter | None = None
        if "csv" in self._temps:
            self._csv = open(self._temps["csv"], "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._write_csv(self._frame([]), header=True)
        if "parquet" in self._temps:
            self._parquet = pq.ParquetWriter(self._temps["parquet"], spec.schema, compression="zstd")

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        self._buffer.extend(rows)
        if len(self._buffer) >= ROW_GROUP_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        frame = self._frame(self._buffer)
        if self._csv is not None:
            self._write_csv(frame, header=False)
        if self._parquet is not None:
            table = pa.Table.from_pandas(frame, schema=self.spec.schema, preserve_index=False)
            self._parquet.write_table(table)
        self.rows_written += len(self._buffer)
        self._buffer.clear()

    def commit(self) -> dict[str, Path]:
        self.flush()
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None:
            self._parquet.close()
        for fmt, target in self._targets.items():
            os.replace(self._temps[fmt], target)
        return dict(self._targets)

    def abort(self) -> None:
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None:
            with contextlib.suppress(Exception):
                self._parquet.close()
        for tmp in self._temps.values():
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def _frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        frame = pd.DataFrame.from_records(rows, columns=self.spec.columns)
        for field in self.spec.schema:
            if pa.types.is_integer(field.type):
                frame[field.name] = frame[field.name].astype("Int64")
            elif pa.types.is_floating(field.type):
                frame[field.name] = frame[field.name].astype("Float64")
            elif pa.types.is_boolean(field.type):
                frame[field.name] = frame[field.name].astype("boolean")
            elif pa.types.is_string(field.type):
                frame[field.name] = frame[field.name].astype(object)
        return frame

    def _write_csv(self, frame: pd.DataFrame, *, header: bool) -> None:
        assert self._csv is not None
        if self.csv_escape:
            frame = frame.copy()
            for column in self.spec.text_columns:
                frame[column] = frame[column].map(escape_formula)
        frame.to_csv(self._csv, header=header, index=False, lineterminator="\r\n")
