"""Parquet: raw text and proper types (nullable integers, dates), zstd. One file per table,
or with ``partition`` a hive-style dataset by report year for the tables that have one
(``indicators/report_year=2023/part-0.parquet``; no year: ``report_year=__HIVE_DEFAULT_PARTITION__``),
which DuckDB, R arrow and pandas read as one table. Files carry pandas metadata, so
``pd.read_parquet`` gives nullable Int64/Float64/boolean columns."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lawreport.tables.folder import sync_tree, temporary_path
from lawreport.tables.schemas import PARTITION_COLUMN, TableSpec

# A row group (per partition) is written once its Arrow batches hold this much: ~10,000
# indicator rows, ~4,000 document rows. Bounded by bytes, not rows, because a one-row-per-
# document table would otherwise hold thousands of documents in memory.
ROW_GROUP_BYTES = 1 << 20
# The writer keeps every row group's statistics until the footer is written: min/max of
# sentences and paths would grow with the corpus and never prune a query anyway.
FREE_TEXT_COLUMNS = frozenset(
    {"path", "title", "agency", "heading", "subject", "text", "sentence", "source_line", "warnings", "message", "hint"}
    | {"duplicate_of"}
)
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # what pyarrow, Spark and DuckDB read as null


def _arrow_without_pandas() -> None:
    """pyarrow's first conversion of Python objects imports pandas (0.3-0.5 s, ~50 MB) only to
    ask whether they are pandas objects; ours never are. That one probe is made to fail:
    pyarrow then goes on without pandas, and imports it later if a pandas API is used
    (``to_pandas``, pandas objects passed in)."""
    import sys

    if "pandas" in sys.modules:
        return

    class _Withheld:
        @staticmethod
        def find_spec(name: str, *_: Any) -> None:
            if name == "pandas":
                raise ImportError("pandas withheld from pyarrow's probe")

    sys.meta_path.insert(0, _Withheld)  # type: ignore[arg-type]
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(_Withheld)  # type: ignore[arg-type]


def target(spec: TableSpec, partition: bool) -> tuple[str, bool]:
    if partition and spec.by_report_year:
        return spec.name, True
    return f"{spec.name}.parquet", False


class _Table:
    """One table's file (or dataset of partitions) and the Arrow batches not yet written."""

    def __init__(self, spec: TableSpec, final: Path, partitioned: bool) -> None:
        _arrow_without_pandas()
        self.partitioned = partitioned
        self.final, self.temporary = final, temporary_path(final)
        self.schema = with_pandas_metadata(_without_partition(spec.schema) if partitioned else spec.schema)
        self.batches: dict[Any, list[pa.RecordBatch]] = {}
        self.batched: dict[Any, int] = {}
        self.writers: dict[Any, pq.ParquetWriter] = {}
        if partitioned:
            self.temporary.mkdir()
        else:
            self.writers[None] = self._open(self.temporary)

    def add(self, rows: list[dict[str, Any]], years: list[Any], *, final: bool = False) -> None:
        if rows:
            groups: dict[Any, list[dict[str, Any]]] = {}
            for year, row in zip(years if self.partitioned else [None] * len(rows), rows, strict=True):
                groups.setdefault(year, []).append(row)  # first-seen order; input order inside
            for year, group in groups.items():
                batch = pa.RecordBatch.from_pylist(group, schema=self.schema)
                self.batches.setdefault(year, []).append(batch)
                self.batched[year] = self.batched.get(year, 0) + batch.nbytes
        for year in list(self.batches):
            if final or self.batched[year] >= ROW_GROUP_BYTES:
                self._writer_for(year).write_table(pa.Table.from_batches(self.batches.pop(year), schema=self.schema))
                del self.batched[year]

    def _open(self, path: Path) -> pq.ParquetWriter:
        with_statistics = [name for name in self.schema.names if name not in FREE_TEXT_COLUMNS]
        return pq.ParquetWriter(path, self.schema, compression="zstd", write_statistics=with_statistics)

    def _writer_for(self, year: Any) -> pq.ParquetWriter:
        if not self.partitioned:
            return self.writers[None]
        if year not in self.writers:
            folder = self.temporary / f"{PARTITION_COLUMN}={_partition_name(year)}"
            folder.mkdir()
            self.writers[year] = self._open(folder / "part-0.parquet")
        return self.writers[year]

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


class Sink:
    def __init__(self, out: Path, specs: Sequence[TableSpec], *, csv_escape: bool, partition: bool) -> None:
        self._tables: dict[str, _Table] = {}
        for spec in specs:
            name, partitioned = target(spec, partition)
            self._tables[spec.name] = _Table(spec, out / name, partitioned)

    def write(self, table: str, rows: list[dict[str, Any]], years: list[Any]) -> None:
        self._tables[table].add(rows, years)

    def finish(self) -> dict[Path, Path]:
        for table in self._tables.values():
            table.add([], [], final=True)
            table.close()
            sync_tree(table.temporary)
        return {table.final: table.temporary for table in self._tables.values()}

    def abort(self) -> None:
        for table in self._tables.values():
            with contextlib.suppress(Exception):
                table.close()
            if table.temporary.is_dir():
                shutil.rmtree(table.temporary, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    table.temporary.unlink()


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
