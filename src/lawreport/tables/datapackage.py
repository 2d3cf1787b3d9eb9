"""``datapackage.json``: the Frictionless Data Package that describes an output folder.

Written with every run, beside the tables, from the data dictionary
(:mod:`lawreport.tables.dictionary`) and the files the run publishes: one resource per table
and file format (CSV with its dialect, size and SHA-256; Parquet, a hive dataset as a list of
files; JSON Lines), each with its Table Schema (types, titles, descriptions, units, code lists,
keys). No timestamp and no absolute path, so the same dataset gives the same bytes. It stays
valid Data Package v1 (``profile``) and names the v2 profile (``$schema``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lawreport.tables.dictionary import Column, TableDoc
from lawreport.tables.folder import temporary_path
from lawreport.version import __version__

PROFILE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
# Foreign keys as Table Schema states them (documents.doc_id repeats on duplicates, so the
# SQLite export adds a texts table to hold the key; here the reference is informative).
FOREIGN_KEYS = {
    "sections": [(["doc_id"], "documents", ["doc_id"])],
    "indicators": [
        (["doc_id"], "documents", ["doc_id"]),
        (["doc_id", "section_id"], "sections", ["doc_id", "section_id"]),
    ],
    "indicators_wide": [(["doc_id"], "documents", ["doc_id"])],
}
CSV_NOTE = (
    " CSV: UTF-8 with a byte-order mark, CRLF line ends, empty cell = missing; text cells that start with"
    " = + - @ (or tab, CR) carry a leading ' against formula injection unless the run used --no-csv-escape"
    " (Parquet and JSON Lines hold the exact text)."
)
FORMAT_INFO = {
    # suffix: (format, mediatype, resource name suffix, note)
    ".csv": ("csv", "text/csv", "", CSV_NOTE),
    ".parquet": ("parquet", "application/vnd.apache.parquet", "-parquet", " Parquet (zstd) with pandas metadata."),
    ".jsonl": ("jsonl", "application/jsonl", "-jsonl", " JSON Lines: one object per row, dates as YYYY-MM-DD."),
}
OTHER_FILES = {
    "lawreport.xlsx": "Excel workbook: one sheet per table (long tables go on in 'TABLE (2)' …), an 'about' sheet and a 'columns' sheet (this dictionary).",
    "lawreport.sqlite": "SQLite database: the tables with primary and foreign keys (a 'texts' table keys doc_id), ready for datasette and sqlite-utils.",
}


def field(column: Column) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": column.name, "type": column.type, "title": column.title}
    entry["description"] = column.description
    if column.unit:
        entry["unit"] = column.unit
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.codes:
        entry["categories"] = [{"value": value, "label": label} for value, label in column.codes]
        constraints["enum"] = [value for value, _ in column.codes]
    if column.pattern:
        constraints["pattern"] = column.pattern
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if constraints:
        entry["constraints"] = constraints
    return entry


def table_schema(doc: TableDoc, *, foreign: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [field(column) for column in doc.columns], "missingValues": [""]}
    if doc.primary_key:
        schema["primaryKey"] = list(doc.primary_key)
    keys = FOREIGN_KEYS.get(doc.name, [])
    if foreign and keys:  # v1 refuses an empty list
        schema["foreignKeys"] = [
            {"fields": columns, "reference": {"resource": parent, "fields": parent_columns}}
            for columns, parent, parent_columns in keys
        ]
    return schema


def descriptor(docs: Sequence[TableDoc], files: Sequence[tuple[str, Path]]) -> dict[str, Any]:
    """The package for tables ``docs`` published as ``files``: (path relative to the output
    folder, where its bytes are now)."""
    resources = []
    others = []
    for doc in docs:
        for suffix, (fmt, mediatype, name_suffix, note) in FORMAT_INFO.items():
            paths = _paths_of(doc.name, suffix, files)
            if not paths:
                continue
            primary = fmt == "csv" or not _paths_of(doc.name, ".csv", files)
            resource: dict[str, Any] = {
                "profile": "tabular-data-resource",
                "name": doc.name if primary else f"{doc.name}{name_suffix}",
                "title": doc.title,
                "description": doc.description + note,
                "path": paths[0][0] if len(paths) == 1 else [path for path, _ in paths],
                "format": fmt,
                "mediatype": mediatype,
            }
            if fmt in ("csv", "jsonl"):
                resource["encoding"] = "utf-8"
            if fmt == "csv":
                resource["dialect"] = {
                    "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True,
                }  # fmt: skip
            if fmt != "parquet" and len(paths) == 1:  # frictionless cannot check a Parquet file's bytes
                resource["bytes"] = os.path.getsize(paths[0][1])
                resource["hash"] = f"sha256:{_sha256(paths[0][1])}"
            resource["schema"] = table_schema(doc, foreign=primary)
            resources.append(resource)
    names = {path for path, _ in files}
    for name, description in OTHER_FILES.items():
        if name in names:
            others.append({"path": name, "description": description})
    dta = sorted(path for path in names if path.endswith(".dta"))
    if dta:
        others.append(
            {"path": dta, "description": "Stata 118 files, one per table (variable labels from this dictionary)."}
        )
    package: dict[str, Any] = {
        "$schema": PROFILE_V2,
        "profile": "tabular-data-package",
        "name": "lawreport-dataset",
        "title": "lawreport tables",
        "description": (
            "Documents, outlines and numeric indicators extracted by lawreport from Chinese government reports."
            " Offsets refer to normalized/<doc_id>.txt. Written with every run; describes this folder."
        ),
        "version": "1.0.0",
        "sources": [{"title": f"lawreport {__version__}"}],
        "resources": resources,
    }
    if others:
        package["lawreport:other_files"] = others
    return package


def write_datapackage(final: Path, docs: Sequence[TableDoc], published: Sequence[tuple[Path, Path]], out: Path) -> Path:
    """Write the package for ``published`` (final, temporary) to a temporary path beside
    ``final``; returns that path (the commit puts it in place)."""
    files: list[tuple[str, Path]] = []
    for path, temporary in published:
        relative = path.relative_to(out).as_posix()
        if temporary.is_dir():  # a hive dataset: list its files
            for part in sorted(temporary.rglob("*.parquet")):
                files.append((f"{relative}/{part.relative_to(temporary).as_posix()}", part))
        else:
            files.append((relative, temporary))
    temporary = temporary_path(final)
    text = json.dumps(descriptor(docs, files), ensure_ascii=False, indent=2) + "\n"
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def _paths_of(table: str, suffix: str, files: Sequence[tuple[str, Path]]) -> list[tuple[str, Path]]:
    if suffix == ".parquet":
        return [(path, real) for path, real in files if path == f"{table}.parquet" or path.startswith(f"{table}/")]
    return [(path, real) for path, real in files if path == f"{table}{suffix}"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
