"""JSON Lines: one ``TABLE.jsonl`` per table, one JSON object per row in table order.

UTF-8 without a byte-order mark, ``\\n`` line ends, every column on every row (``null`` when
missing), dates as ``"YYYY-MM-DD"``, exact text (no formula escape: JSON is not run by a
spreadsheet). Streams: memory does not grow with the table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from lawreport.tables.dictionary import TableDoc
from lawreport.tables.exports import Exported, TableSource
from lawreport.tables.folder import sync_tree, temporary_path
from lawreport.tables.schemas import TableSpec

_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=lambda value: _plain(value)
)


def target(spec: TableSpec, partition: bool) -> tuple[str, bool]:
    return f"{spec.name}.jsonl", False


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def encode_row(row: dict[str, Any]) -> str:
    return _ENCODER.encode(row)


def export(source: TableSource, out: Path, docs: list[TableDoc]) -> Exported:
    exported = Exported()
    try:
        for spec in source.specs:
            final = out / target(spec, False)[0]
            temporary = temporary_path(final)
            exported.files[final] = temporary
            with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
                for batch in source.batches(spec.name):
                    handle.writelines(encode_row(row) + "\n" for row in batch.to_pylist())
            sync_tree(temporary)
    except BaseException:
        for temporary in exported.files.values():
            temporary.unlink(missing_ok=True)
        raise
    return exported
