"""Output formats: one module per format in this folder, each a :class:`Sink`.

A sink writes every table of a run in its format to temporary paths in the output folder
and hands them to the commit, which swaps them all into place together. Adding a format is
a module here (``target`` and ``Sink``) and its name in :data:`FORMATS`; the writer, the
options (``--format``) and the commit take it from here. Modules are imported only when a
run writes their format (the Parquet sink needs pyarrow).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lawreport.tables.schemas import TableSpec

FORMATS = ("csv", "parquet")  # modules of this folder, in the order they are written


class Sink(Protocol):
    """One format's writer for all tables of a run (``rows`` come in input order, in
    batches; ``years`` holds each row's report year when the sink partitions by it)."""

    def __init__(self, out: Path, specs: Sequence[TableSpec], *, csv_escape: bool, partition: bool) -> None: ...

    def write(self, table: str, rows: list[dict[str, Any]], years: list[Any]) -> None: ...

    def finish(self) -> dict[Path, Path]:
        """Flush, close and sync everything; ``{final path: temporary path}``."""
        ...

    def abort(self) -> None: ...


def format_module(fmt: str) -> ModuleType:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return importlib.import_module(f"{__name__}.{fmt}")


def target_names(spec: TableSpec, formats: Sequence[str], partition: bool) -> dict[str, bool]:
    """The paths (relative to the output folder) a table is written to, each with whether it
    is a folder (a hive-partitioned Parquet dataset)."""
    names: dict[str, bool] = {}
    for fmt in formats:
        name, is_folder = format_module(fmt).target(spec, partition)
        names[name] = is_folder
    return names


def make_sink(fmt: str, out: Path, specs: Sequence[TableSpec], *, csv_escape: bool, partition: bool) -> Sink:
    return format_module(fmt).Sink(out, specs, csv_escape=csv_escape, partition=partition)
