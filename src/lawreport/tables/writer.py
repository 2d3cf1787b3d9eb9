"""Write tables atomically: stream rows to temporary files, then rename into place.

CSV is UTF-8 with a byte-order mark so Excel opens it; text cells that a spreadsheet
would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe (OWASP advice).
Parquet keeps the raw text and proper types, compressed with zstd.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.metadata
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lawreport.tables.schemas import TableSpec

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST_CHARS = frozenset(FORMULA_START)
ROW_BUFFER = 1000  # rows held as Python dicts before they go to CSV and Arrow
# A Parquet row group (per partition) is written once its Arrow batches hold this much:
# ~10,000 indicator rows, ~4,000 document rows. Bounded by bytes, not rows, because a
# one-row-per-document table would otherwise hold thousands of documents in memory.
ROW_GROUP_BYTES = 1 << 20
PARTITION_COLUMN = "report_year"
FREE_TEXT_COLUMNS = frozenset(
    {"path", "title", "agency", "heading", "subject", "text", "sentence", "source_line", "warnings", "message", "hint"}
    | {"duplicate_of"}
)
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # what pyarrow, Spark and DuckDB read as null
FORMATS = ("csv", "parquet")


def target_names(spec: TableSpec, formats: Sequence[str], partition: bool) -> dict[str, bool]:
    """The paths (relative to the output folder) a table is written to, each with whether it
    is a folder (a hive-partitioned Parquet dataset)."""
    names = {}
    for fmt in formats:
        if fmt == "parquet" and partition and spec.by_report_year:
            names[spec.name] = True
        else:
            names[f"{spec.name}.{fmt}"] = False
    return names


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
    """Streams rows of one table to CSV and/or Parquet; ``commit`` renames them into place.

    With ``partition`` (for tables kept by report year) Parquet is a hive-style dataset,
    ``<table>/report_year=2023/part-0.parquet`` (no year: ``report_year=__HIVE_DEFAULT_PARTITION__``),
    which DuckDB, R arrow and pandas read as one table with ``report_year`` taken from the folder
    names. CSV stays one file in input order."""

    def __init__(
        self,
        spec: TableSpec,
        out_dir: Path,
        formats: Sequence[str],
        *,
        csv_escape: bool = True,
        partition: bool = False,
    ) -> None:
        self.spec = spec
        self.formats = tuple(formats)
        self.csv_escape = csv_escape
        self.rows_written = 0
        self.partitioned = partition and spec.by_report_year and "parquet" in self.formats
        self._schema = with_pandas_metadata(_without_partition(spec.schema) if self.partitioned else spec.schema)
        self._buffer: list[dict[str, Any]] = []
        self._batches: dict[Any, list[pa.RecordBatch]] = {}
        self._batched: dict[Any, int] = {}
        self._years: list[Any] = []
        self._targets = {fmt: out_dir / f"{spec.name}.{fmt}" for fmt in self.formats}
        if self.partitioned:
            self._targets["parquet"] = out_dir / spec.name
        self._temps = {fmt: temporary_path(path) for fmt, path in self._targets.items()}
        out_dir.mkdir(parents=True, exist_ok=True)
        self._csv = None
        self._parquet: pq.ParquetWriter | None = None
        self._parts: dict[Any, pq.ParquetWriter] = {}
        if "csv" in self._temps:
            self._csv = open(self._temps["csv"], "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._csv_writer = csv.writer(self._csv, lineterminator="\r\n")
            self._csv_writer.writerow(spec.columns)
        if self.partitioned:
            self._temps["parquet"].mkdir()
        elif "parquet" in self._temps:
            self._parquet = self._open_parquet(self._temps["parquet"])

    def write(self, rows: Iterable[dict[str, Any]], *, partition: Any = None) -> None:
        """Buffer rows; ``partition`` is their report year (used when partitioned)."""
        before = len(self._buffer)
        self._buffer.extend(rows)
        if self.partitioned:
            self._years.extend([partition] * (len(self._buffer) - before))
        if len(self._buffer) >= ROW_BUFFER:
            self.flush()

    def flush(self, *, final: bool = False) -> None:
        """Rows as Python dicts are bulky: a few at a time go to CSV and into compact Arrow
        batches, which become a Parquet row group once they hold ``ROW_GROUP_BYTES``."""
        if self._buffer:
            if self._csv is not None:
                self._csv_writer.writerows(self._csv_cells(self._buffer))
            if self._parquet is not None or self.partitioned:
                groups: dict[Any, list[dict[str, Any]]] = {}
                for year, row in zip(
                    self._years if self.partitioned else [None] * len(self._buffer), self._buffer, strict=True
                ):
                    groups.setdefault(year, []).append(row)  # first-seen order; input order inside
                for year, rows in groups.items():
                    batch = pa.RecordBatch.from_pylist(rows, schema=self._schema)
                    self._batches.setdefault(year, []).append(batch)
                    self._batched[year] = self._batched.get(year, 0) + batch.nbytes
            self.rows_written += len(self._buffer)
            self._buffer.clear()
            self._years.clear()
        for year in list(self._batches):
            if final or self._batched[year] >= ROW_GROUP_BYTES:
                self._writer_for(year).write_table(pa.Table.from_batches(self._batches.pop(year), schema=self._schema))
                del self._batched[year]

    def _open_parquet(self, path: Path) -> pq.ParquetWriter:
        # The writer keeps every row group's statistics until the footer is written: min/max
        # of sentences and paths would grow with the corpus and never prune a query anyway.
        with_statistics = [name for name in self._schema.names if name not in FREE_TEXT_COLUMNS]
        return pq.ParquetWriter(path, self._schema, compression="zstd", write_statistics=with_statistics)

    def _writer_for(self, year: Any) -> pq.ParquetWriter:
        if not self.partitioned:
            assert self._parquet is not None
            return self._parquet
        if year not in self._parts:
            folder = self._temps["parquet"] / f"{PARTITION_COLUMN}={_partition_name(year)}"
            folder.mkdir()
            self._parts[year] = self._open_parquet(folder / "part-0.parquet")
        return self._parts[year]

    def finish(self) -> dict[str, Path]:
        """Write what is buffered, close and sync every file; returns ``{target: temporary}``.
        Putting them in place is :mod:`lawreport.run.commit`'s job, for all tables at once."""
        self.flush(final=True)
        self._close()
        for path in self._temps.values():
            _sync_tree(path)
        return {self._targets[fmt]: self._temps[fmt] for fmt in self._targets}

    @property
    def targets(self) -> dict[str, Path]:
        """``{format: final path}``; a hive-partitioned Parquet table is a folder."""
        return dict(self._targets)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._close()
        for tmp in self._temps.values():
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()

    def _close(self) -> None:
        if self._csv is not None:
            self._csv.close()
        for writer in [self._parquet, *self._parts.values()]:
            if writer is not None:
                writer.close()

    def _csv_cells(self, rows: list[dict[str, Any]]) -> Iterator[list[Any]]:
        """Cells as pandas' ``to_csv`` writes them (the csv module writes None as empty)."""
        columns = self.spec.columns
        text_columns = set(self.spec.text_columns) if self.csv_escape else set()
        escaped = [index for index, column in enumerate(columns) if column in text_columns]
        for row in rows:
            cells = list(map(row.get, columns))
            for index in escaped:
                value = cells[index]
                if value and value[0] in FORMULA_FIRST_CHARS:
                    cells[index] = "'" + value
            yield cells


def _without_partition(schema: pa.Schema) -> pa.Schema:
    index = schema.get_field_index(PARTITION_COLUMN)
    return schema.remove(index) if index >= 0 else schema


def with_pandas_metadata(schema: pa.Schema) -> pa.Schema:
    """The schema plus the pandas metadata ``to_parquet`` would write, so that
    ``pd.read_parquet`` gives nullable Int64/Float64/boolean columns, not float64 and object.
    Built by hand: importing pandas would cost every worker process ~40 MB."""
    columns = []
    for field in schema:
        if pa.types.is_integer(field.type):
            pandas_type, numpy_type = "int64", "Int64"
        elif pa.types.is_floating(field.type):
            pandas_type, numpy_type = "float64", "Float64"
        elif pa.types.is_boolean(field.type):
            pandas_type, numpy_type = "bool", "boolean"
        elif pa.types.is_date(field.type):
            pandas_type, numpy_type = "date", "object"
        else:
            pandas_type, numpy_type = "unicode", "object"
        columns.append(
            {
                "name": field.name,
                "field_name": field.name,
                "pandas_type": pandas_type,
                "numpy_type": numpy_type,
                "metadata": None,
            }
        )
    try:
        pandas_version = importlib.metadata.version("pandas")
    except importlib.metadata.PackageNotFoundError:
        pandas_version = "2.1.0"
    metadata = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "attributes": {},
        "creator": {"library": "pyarrow", "version": pa.__version__},
        "pandas_version": pandas_version,
    }
    return schema.with_metadata({b"pandas": json.dumps(metadata).encode()})


def _partition_name(year: Any) -> str:
    return HIVE_NULL if year is None else str(int(year))


def _sync_tree(path: Path) -> None:
    """fsync a file, or every file of a folder, so a commit never publishes unwritten data."""
    paths = [path] if path.is_file() else [part for part in path.rglob("*") if part.is_file()]
    for part in paths:
        fd = os.open(part, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
