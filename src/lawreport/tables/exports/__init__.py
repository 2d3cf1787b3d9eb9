"""Exports: the tables of a run in the formats analysts open directly (one module per format:
``jsonl``, ``sqlite``, ``xlsx``, ``dta``), plus ``datapackage.json`` (the data dictionary)
written with every run.

Exports do not tap the row stream of the writers. They read the run's canonical Parquet tables
(written under temporary names before the commit) through :class:`TableSource`, write their
own temporary files, and hand ``{final: temporary}`` pairs to the same single commit as the
tables (:mod:`lawreport.run.commit`): a failure leaves the previous dataset whole. When the
run does not publish Parquet, the writer still writes it as a scratch copy for the exports
(:func:`writer_formats`), and it is deleted once they are done (:func:`add_exports`).

Adding an export is a module here with ``target(spec, partition)`` (the path it writes for a
table) and ``export(source, out, docs) -> Exported``, and its name in :data:`EXPORT_FORMATS`.
"""

from __future__ import annotations

import contextlib
import importlib
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

from lawreport.tables.formats import FORMATS, format_module

if TYPE_CHECKING:
    import pyarrow as pa

    from lawreport.indicators.rulepack import IndicatorRule
    from lawreport.kinds import Kind
    from lawreport.tables.schemas import TableSpec

EXPORT_FORMATS = ("jsonl", "sqlite", "xlsx", "dta")  # modules of this folder, in the order they are written
ALL_FORMATS = (*FORMATS, *EXPORT_FORMATS)  # every --format: the tables' own, then the exports
DATAPACKAGE_NAME = "datapackage.json"
CANONICAL = "parquet"  # what exports read
XLSX_SCRATCH = "xlsx-scratch"  # the folder XlsxWriter spools sheets to while it writes


class TableSource(Protocol):
    """The tables of a run as Arrow batches, each table's rows in table order."""

    specs: Sequence[TableSpec]

    def batches(self, table: str, batch_size: int = ...) -> Iterator[pa.RecordBatch]: ...

    def num_rows(self, table: str) -> int: ...


@dataclass
class Exported:
    """What one export wrote: ``{final path: temporary path}`` and lines for the run summary
    (limits met, names changed)."""

    files: dict[Path, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def export_module(fmt: str) -> ModuleType:
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return importlib.import_module(f"{__name__}.{fmt}")


def target_names(spec: TableSpec, formats: Sequence[str], partition: bool) -> dict[str, bool]:
    """The paths (relative to the output folder) a table is written to in ``formats``, tables'
    own formats and exports alike, each with whether it is a folder."""
    names: dict[str, bool] = {}
    for fmt in formats:
        module = export_module(fmt) if fmt in EXPORT_FORMATS else format_module(fmt)
        name, is_folder = module.target(spec, partition)
        names[name] = is_folder
    return names


def writer_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The formats the table writer must write for ``formats``: its own ones, plus the
    canonical Parquet when an export needs it and the run does not publish it."""
    tables = tuple(fmt for fmt in formats if fmt not in EXPORT_FORMATS)
    if any(fmt in EXPORT_FORMATS for fmt in formats) and CANONICAL not in tables:
        tables += (CANONICAL,)
    return tables


def scratch_names() -> set[str]:
    """Names (in the output folder, before ``.tmp-PID``) of what an export may leave behind
    when a run is killed: the next run removes them."""
    return {DATAPACKAGE_NAME, XLSX_SCRATCH}


def add_exports(
    written: Iterable[tuple[Path, Path]],
    out: Path,
    specs: Sequence[TableSpec],
    formats: Sequence[str],
    *,
    partition: bool,
    indicators: Iterable[IndicatorRule] = (),
    kinds: Sequence[Kind] | None = None,
    notes: list[str] | None = None,
) -> list[tuple[Path, Path]]:
    """The writer's outputs plus every export of ``formats`` and ``datapackage.json``, as
    ``(final, temporary)`` pairs for the commit. A scratch Parquet copy is deleted here; on
    failure every temporary file made here is removed and the error raised."""
    from lawreport.tables.datapackage import write_datapackage
    from lawreport.tables.dictionary import describe_all

    written = list(written)
    docs = describe_all(specs, indicators, kinds)
    canonical = {
        spec.name: dict(written)[out / format_module(CANONICAL).target(spec, partition)[0]]
        for spec in specs
        if any(fmt in EXPORT_FORMATS for fmt in formats)
    }
    published = [
        (final, temporary)
        for final, temporary in written
        if CANONICAL in formats or temporary not in canonical.values()
    ]
    made: list[Path] = []
    try:
        if canonical:
            source = ParquetSource(specs, canonical, partitioned=partition)
            for fmt in EXPORT_FORMATS:
                if fmt not in formats:
                    continue
                exported = export_module(fmt).export(source, out, docs)
                made.extend(exported.files.values())
                published.extend(exported.files.items())
                if notes is not None:
                    notes.extend(exported.notes)
        final = out / DATAPACKAGE_NAME
        temporary = write_datapackage(final, docs, [(f, t) for f, t in published], out)
        made.append(temporary)
        published.append((final, temporary))
    except BaseException:
        for path in made:
            _remove(path)
        raise
    if CANONICAL not in formats:
        for temporary in canonical.values():
            _remove(temporary)
    return published


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class ParquetSource:
    """:class:`TableSource` over Parquet files (single files or hive datasets by report year:
    partitions in year order, no year last, rows in table order inside each)."""

    def __init__(self, specs: Sequence[TableSpec], paths: Mapping[str, Path], *, partitioned: bool) -> None:
        self.specs = tuple(specs)
        self._paths = dict(paths)
        self._specs = {spec.name: spec for spec in specs}

    def _parts(self, table: str) -> list[tuple[Path, object]]:
        from lawreport.tables.formats.parquet import HIVE_NULL
        from lawreport.tables.schemas import PARTITION_COLUMN

        path = self._paths[table]
        if not path.is_dir():
            return [(path, None)]
        parts = []
        for folder in path.iterdir():
            name, _, value = folder.name.partition("=")
            if name != PARTITION_COLUMN or not folder.is_dir():
                continue
            year = None if value == HIVE_NULL else int(value)
            parts.extend((part, year) for part in sorted(folder.glob("*.parquet")))
        return sorted(parts, key=lambda item: (item[1] is None, item[1] or 0, item[0].name))

    def num_rows(self, table: str) -> int:
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(path).metadata.num_rows for path, _ in self._parts(table))

    def batches(self, table: str, batch_size: int = 1000) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from lawreport.tables.schemas import PARTITION_COLUMN

        schema = self._specs[table].schema
        for path, year in self._parts(table):
            with pq.ParquetFile(path) as handle:
                for batch in handle.iter_batches(batch_size=batch_size):
                    if PARTITION_COLUMN in schema.names and PARTITION_COLUMN not in batch.schema.names:
                        column = pa.array([year] * batch.num_rows, type=schema.field(PARTITION_COLUMN).type)
                        arrays = [column if name == PARTITION_COLUMN else batch.column(name) for name in schema.names]
                        batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
                    else:
                        batch = pa.RecordBatch.from_arrays([batch.column(name) for name in schema.names], schema=schema)
                    yield batch
