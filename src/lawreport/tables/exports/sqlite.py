"""SQLite: one database, ``lawreport.sqlite``, with every table, primary and foreign keys and
indexes, ready for datasette, sqlite-utils, DB Browser or R's DBI.

Keys: ``documents`` is keyed on ``path`` (``doc_id`` is not unique there: a duplicate file
shares its original's, a failed file has none). A foreign key must point at a primary key or
a unique index, so a small ``texts`` table holds one row per distinct text (``doc_id``
primary key, ``path`` of the original → ``documents``), and ``sections``, ``indicators`` and
``indicators_wide`` point at it. Dates are ISO text, booleans 0/1 with a CHECK, and every
column carries its dictionary title as an SQL comment (``.schema`` shows it). Not STRICT
tables: SQLite before 3.37 (older DB Browser and R builds) could not open them.

The database is built in a temporary file (no journal needed: a crash leaves only that
file), rows streamed in batches within one transaction, indexes built after the load, the
foreign keys checked once (``PRAGMA foreign_key_check`` must find nothing) and ``ANALYZE``
run; the commit renames it into place.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa

from lawreport.errors import OutputError
from lawreport.tables.dictionary import TableDoc
from lawreport.tables.exports import Exported, TableSource
from lawreport.tables.folder import sync_tree, temporary_path
from lawreport.tables.schemas import TableSpec

DATABASE_NAME = "lawreport.sqlite"
TEXTS = "texts"
# (columns, parent table, parent columns) per table; the primary keys come from the dictionary.
FOREIGN_KEYS = {
    "documents": [(["duplicate_of"], "documents", ["path"])],
    TEXTS: [(["path"], "documents", ["path"])],
    "sections": [(["doc_id"], TEXTS, ["doc_id"]), (["doc_id", "parent_id"], "sections", ["doc_id", "section_id"])],
    "indicators": [(["doc_id"], TEXTS, ["doc_id"]), (["doc_id", "section_id"], "sections", ["doc_id", "section_id"])],
    "indicators_wide": [(["doc_id"], TEXTS, ["doc_id"])],
}
# (table, column, partial): the composite primary keys already index doc_id in the others.
INDEXES = (
    ("documents", "doc_id", ""),
    ("documents", "report_year", ""),
    ("indicators", "indicator_id", " WHERE indicator_id IS NOT NULL"),
)
BATCH = 1000


def target(spec: TableSpec, partition: bool) -> tuple[str, bool]:
    return DATABASE_NAME, False


def sql_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type) or pa.types.is_boolean(arrow_type):
        return "INTEGER"
    if pa.types.is_floating(arrow_type):
        return "REAL"
    return "TEXT"  # strings, and dates as ISO 8601


def create_table(name: str, columns: list[tuple[str, str, str, str]], primary_key: list[str]) -> str:
    """``columns``: (name, SQL type, extra constraint, comment)."""
    lines = []
    for column, kind, extra, _comment in columns:
        not_null = " NOT NULL" if column in primary_key else ""
        lines.append(f"  [{column}] {kind}{not_null}{extra}")
    lines.append(f"  PRIMARY KEY ({', '.join(f'[{c}]' for c in primary_key)})")
    for own, parent, parent_columns in FOREIGN_KEYS.get(name, []):
        lines.append(
            f"  FOREIGN KEY ({', '.join(f'[{c}]' for c in own)}) REFERENCES [{parent}]({', '.join(f'[{c}]' for c in parent_columns)})"
        )
    body = []
    for index, line in enumerate(lines):
        comma = "," if index < len(lines) - 1 else ""
        comment = columns[index][3] if index < len(columns) else ""
        body.append(f"{line}{comma}" + (f" -- {_one_line(comment)}" if comment else ""))
    return f"CREATE TABLE [{name}] (\n" + "\n".join(body) + "\n)"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _adapt(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value  # bool: sqlite3 stores True/False as 1/0


def export(source: TableSource, out: Path, docs: list[TableDoc]) -> Exported:
    final = out / DATABASE_NAME
    temporary = temporary_path(final)
    temporary.unlink(missing_ok=True)
    try:
        counts = _build(temporary, source, docs)
        sync_tree(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Exported(
        {final: temporary}, [f"sqlite: {final.name}: " + ", ".join(f"{n:,} {t}" for t, n in counts.items())]
    )


def _build(path: Path, source: TableSource, docs: list[TableDoc]) -> dict[str, int]:
    docs_by_name = {doc.name: doc for doc in docs}
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -16000")  # 16 MB of page cache, whatever the corpus size
        db.execute("PRAGMA foreign_keys = OFF")  # checked once, at the end
        db.execute("BEGIN")
        for spec in source.specs:
            doc = docs_by_name[spec.name]
            columns = [
                (
                    field.name,
                    sql_type(field.type),
                    f" CHECK ([{field.name}] IN (0, 1))" if pa.types.is_boolean(field.type) else "",
                    doc.column(field.name).title,
                )
                for field in spec.schema
            ]
            db.execute(create_table(spec.name, columns, list(doc.primary_key)))
        db.execute(
            create_table(
                TEXTS,
                [
                    ("doc_id", "TEXT", "", "Document id: one row per distinct normalised text"),
                    ("path", "TEXT", " UNIQUE", "documents.path of the original file (not a duplicate)"),
                    ("n_chars", "INTEGER", "", "Length of normalized/<doc_id>.txt"),
                ],
                ["doc_id"],
            )
        )
        counts: dict[str, int] = {}
        for spec in source.specs:
            names = spec.columns
            insert = f"INSERT INTO [{spec.name}] VALUES ({', '.join('?' * len(names))})"
            counts[spec.name] = 0
            for batch in source.batches(spec.name, BATCH):
                rows = batch.to_pylist()
                db.executemany(insert, ([_adapt(row[name]) for name in names] for row in rows))
                counts[spec.name] += len(rows)
                if spec.name == "documents":
                    db.executemany(
                        f"INSERT INTO [{TEXTS}] VALUES (?, ?, ?)",
                        (
                            (row["doc_id"], row["path"], row["n_chars"])
                            for row in rows
                            if row["status"] == "ok" and row["doc_id"] and row["duplicate_of"] is None
                        ),
                    )
        columns = {spec.name: set(spec.columns) for spec in source.specs}
        for table, column, where in INDEXES:
            if column in columns.get(table, ()):
                db.execute(f"CREATE INDEX [{table}_{column}] ON [{table}]([{column}]){where}")
        db.execute("COMMIT")
        broken = db.execute("PRAGMA foreign_key_check").fetchmany(3)
        if broken:  # a bug in lawreport's tables, not in the user's data: say so and publish nothing
            raise OutputError(
                f"sqlite: the tables break their own keys ({broken}); nothing was replaced",
                hint="This is a lawreport bug: please report it.",
            )
        db.execute("PRAGMA journal_mode = DELETE")  # what other programs expect to find
        db.execute("ANALYZE")
    finally:
        db.close()
    return counts
