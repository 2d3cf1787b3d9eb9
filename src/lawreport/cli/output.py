"""How commands print data: ``--format table|json|jsonl|csv``.

``table`` (rich) is for people and is the default only on a terminal; into a pipe or file the
default is JSON Lines (one typed row per line, so ``head`` and ``jq`` work as rows come). CSV
has a header row and no byte-order mark (it is for programs; the tables on disk carry one for
Excel). Rows are written as they come, so a reader that stops early (``| head``) stops the
command, which then exits 0 (:func:`lawreport.cli.errors.guarded`).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, jsonl or csv. Default: table on a terminal, else jsonl.",
        show_default=False,
    ),
]


def chosen(output_format: OutputFormat | None) -> OutputFormat:
    if output_format is not None:
        return output_format
    return OutputFormat.table if sys.stdout.isatty() else OutputFormat.jsonl


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return value


def _json(value: Any, **options: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_plain, **options)


def emit_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], output_format: OutputFormat) -> None:
    """Write ``rows`` (dicts with ``columns``) as JSON, JSON Lines or CSV to stdout."""
    out = sys.stdout
    if output_format is OutputFormat.jsonl:
        for row in rows:
            out.write(_json({column: row.get(column) for column in columns}, separators=(",", ":")) + "\n")
    elif output_format is OutputFormat.json:
        out.write(_json([{column: row.get(column) for column in columns} for row in rows], indent=2) + "\n")
    elif output_format is OutputFormat.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
    else:
        raise ValueError("a table is drawn by the command itself")


def emit_document(document: Any) -> None:
    """One JSON document (``--format json`` of a command whose output is not a list of rows)."""
    sys.stdout.write(_json(document, indent=2) + "\n")


def _cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return value
