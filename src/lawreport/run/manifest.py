"""The dataset of an output folder and its row cache, in one SQLite file.

``manifest.sqlite`` is what the tables are made from:

- ``files``: the dataset, one row per input file in the tables: its identity (``path``), the
  input it came from (``root``), size, mtime, ctime (-1 when too recent to trust, see
  :func:`file_stat`) and the SHA-256 of the content its rows were made from. Changed only by the
  last step of a successful run, together with the tables.
- ``entries``: the row cache, keyed by path, content hash and settings key (see
  :mod:`lawreport.run.cachekey`); each file's table rows as zlib-compressed JSON, and its facts
  (ok, warnings, bytes, error) as small JSON, read without the rows. A file read by a run that
  writes only CSV keeps, in place of its sections, indicators and wide rows, their CSV bytes
  as its worker made them (``parts``; only when no cell looks like a formula, so that they are
  the same whatever ``csv_escape``): the CSV files are these bytes in path order, and the
  driver decodes none of these rows. A run that writes another format reads such files
  again. Written as files
  finish, committed every few seconds, so an interrupted run keeps its work and the next run
  resumes.
- ``outputs`` and ``texts``: the paths in the folder that lawreport wrote (tables, normalised
  texts); nothing else is ever replaced or deleted.
- ``settings``: the settings key's components, the generation of the last commit and what
  it published (each table's size, mtime and inode; rows per table).

The file carries SQLite's ``application_id`` ``LRPT``: a database of another program saved
under this name is refused, never written to.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lawreport.errors import UsageError
from lawreport.paths import display, is_within
from lawreport.run.cachekey import describe_change, settings_key
from lawreport.tables.formats import csv as csv_format
from lawreport.tables.rows import FileRows
from lawreport.tables.schemas import TableSpec

MANIFEST_NAME = "manifest.sqlite"
APPLICATION_ID = int.from_bytes(b"LRPT", "big")
SCHEMA_VERSION = 4
CHECKPOINT_SECONDS = 2.0
# Cached rows are blobs of a few KB: small pages waste less of the last overflow page (the
# manifest of 60 seed-sized reports: 537 KB with 4 KB pages, 468 KB with 1 KB pages).
_SCHEMA = f"""
PRAGMA page_size = 1024;
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    fs_path BLOB NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    ctime_ns INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE entries (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    settings TEXT NOT NULL,
    doc_id TEXT,
    rows BLOB NOT NULL,
    facts TEXT,
    parts BLOB,
    PRIMARY KEY (path, sha256)
);
CREATE INDEX entries_doc_id ON entries (doc_id);
CREATE TABLE outputs (name TEXT PRIMARY KEY);
CREATE TABLE texts (doc_id TEXT PRIMARY KEY);
"""
_LEGACY_TABLES = {"settings", "files"}  # lawreport before the dataset manifest
_LEGACY_FILES_COLUMNS = {"path", "size", "mtime_ns", "sha256", "run", "rows"}


class ForeignManifestError(UsageError):
    error_type = "ForeignManifest"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and "$date" in mapping:
        return dt.date.fromisoformat(mapping["$date"])
    return mapping


def encode_rows(rows: FileRows) -> bytes:
    """A file's rows as zlib-compressed JSON; sections and indicators as column lists (their
    ``doc_id`` is the file's), which keeps the manifest at about half the size of the input."""
    data = {
        "doc_id": rows.doc_id,
        "ok": rows.ok,
        "has_warnings": rows.has_warnings,
        "n_bytes": rows.n_bytes,
        "document": rows.document,
        "sections": _columns(rows.sections),
        "indicators": _columns(rows.indicators, leave_out=DOCUMENT_COPIES),
        # Only the filled cells of the wide row (two per standard indicator, mostly empty):
        # the writers read a missing cell as empty.
        "wide": {name: value for name, value in rows.wide.items() if value is not None} if rows.wide else rows.wide,
        "error": rows.error,
    }
    # The C encoder does the work; only dates reach the Python hook.
    return zlib.compress(json.dumps(data, ensure_ascii=False, default=_encode).encode("utf-8"), 6)


def encode_parts(rows: FileRows, specs: Sequence[TableSpec]) -> bytes | None:
    """A processed file's rows as CSV bytes, made where the rows are (the worker): the tables
    whose rows need nothing of the dataset (not ``root``, not ``duplicate_of``), and the
    ``documents`` row the run completes. zlib-compressed: a JSON header line, then the bytes.
    None for a file that failed (it has no such rows) and for one with a text cell that looks
    like a formula (its bytes would depend on ``csv_escape``): their rows are cached."""
    if not rows.ok or rows.doc_id is None:
        return None  # failed files have no such rows: written from their rows
    by_name = {spec.name: spec for spec in specs}
    tables = {"sections": rows.sections, "indicators": rows.indicators}
    if rows.wide is not None:
        tables["indicators_wide"] = [rows.wide]
    encoded = []
    for name, table in tables.items():
        data = csv_format.encode_rows(by_name[name], table)
        if data is None:
            return None
        encoded.append((name, data, len(table)))
    header = {
        "doc_id": rows.doc_id,
        "document": rows.document,
        "tables": [[name, len(data), count] for name, data, count in encoded],
    }
    head = json.dumps(header, ensure_ascii=False, default=_encode).encode("utf-8")
    return zlib.compress(b"\n".join([head, *(data for _, data, _ in encoded)]), 6)


def decode_parts(path: str, blob: bytes) -> FileRows:
    """The facts, ``documents`` row and CSV bytes (``csv``) of a file's :func:`encode_parts`."""
    data = zlib.decompress(blob)
    end = data.index(b"\n")
    header = json.loads(data[:end], object_hook=_decode)
    csv, start = {}, end + 1
    for name, size, count in header["tables"]:
        csv[name] = (data[start : start + size], count)
        start += size + 1
    document = header["document"]
    return FileRows(
        path=path,
        doc_id=header["doc_id"],
        ok=True,
        has_warnings=bool(document.get("warnings")),
        n_bytes=document.get("n_bytes") or 0,
        normalized_text=None,
        document=document,
        sections=[],
        indicators=[],
        wide=None,
        error=None,
        cached=True,
        csv=csv,
    )


def _facts(rows: FileRows) -> str:
    """What a run needs of a cached file without its table rows."""
    facts = {"doc_id": rows.doc_id, "ok": rows.ok, "has_warnings": rows.has_warnings, "n_bytes": rows.n_bytes}
    return json.dumps({**facts, "error": rows.error}, ensure_ascii=False, default=_encode)


def _rows_of_facts(path: str, facts: str) -> FileRows:
    """A cached file's facts as rows whose tables are not loaded (they are read from the
    manifest when the tables are written)."""
    data = json.loads(facts, object_hook=_decode)
    return FileRows(
        path=path, normalized_text=None, document={}, sections=[], indicators=[], wide=None, cached=True, **data
    )


@dataclass(frozen=True)
class FileStat:
    """What tells that a file may have changed. ``ctime_ns`` is -1 when the times were too
    recent to trust (a change within the same clock tick would not show): such a file is
    hashed again next time."""

    size: int
    mtime_ns: int
    ctime_ns: int


RACY_NS = 2_000_000_000
NO_STAT = FileStat(-1, -1, -1)


def file_stat(path: str) -> FileStat:
    try:
        status = os.stat(path)
    except OSError:
        return NO_STAT
    # On Windows st_ctime is the creation time, which an edit leaves as it is: never trusted there;
    # nor where the user says the times cannot be trusted (a network file system whose client
    # caches attributes may show a file's old times for a while after another machine wrote it).
    racy = (
        os.name == "nt"
        or os.environ.get("LAWREPORT_HASH_ALWAYS", "") not in ("", "0")
        or max(status.st_mtime_ns, status.st_ctime_ns) >= time.time_ns() - RACY_NS
    )
    return FileStat(status.st_size, status.st_mtime_ns, -1 if racy else status.st_ctime_ns)


def _upgrade(db: sqlite3.Connection) -> None:
    """Add what schemas 3 and 4 add to an older manifest (nothing is lost or rewritten)."""
    if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    files = {row[1] for row in db.execute("PRAGMA table_info(files)")}
    entries = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    db.execute("BEGIN")
    if "ctime_ns" not in files:
        db.execute("ALTER TABLE files ADD COLUMN ctime_ns INTEGER NOT NULL DEFAULT -1")
    if "facts" not in entries:
        db.execute("ALTER TABLE entries ADD COLUMN facts TEXT")
    if "parts" not in entries:
        db.execute("ALTER TABLE entries ADD COLUMN parts BLOB")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute("COMMIT")


def decode_rows(path: str, blob: bytes) -> FileRows:
    data = json.loads(zlib.decompress(blob), object_hook=_decode)
    data["sections"] = _rows(data["sections"], data["doc_id"])
    copies = {name: (data["document"] or {}).get(name) for name in DOCUMENT_COPIES}
    data["indicators"] = _rows(data["indicators"], data["doc_id"], copies)
    return FileRows(path=path, normalized_text=None, cached=True, **data)


# Indicator columns that repeat the document's value on every row: cached once, in the document.
DOCUMENT_COPIES = ("report_year", "agency", "kind")


def _columns(rows: list[dict[str, Any]], leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    columns = [name for name in rows[0] if name != "doc_id" and name not in leave_out] if rows else []
    return {"columns": columns, "rows": [[row[name] for name in columns] for row in rows]}


def _rows(table: dict[str, Any], doc_id: str | None, copies: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows in the table's column order: ``doc_id`` first, the columns as cached, and the
    document's ``copies`` (columns left out of the cache) where they were left out."""
    columns = table["columns"]
    rows = [{"doc_id": doc_id, **dict(zip(columns, values, strict=True))} for values in table["rows"]]
    missing = {name: value for name, value in (copies or {}).items() if name not in columns}
    return [row | missing for row in rows] if missing else rows


def is_manifest(path: Path) -> bool:
    """Whether ``path`` is a lawreport manifest (read-only look; never creates anything)."""
    return _application_id(path) == APPLICATION_ID


def is_legacy_manifest(path: Path) -> bool:
    """A manifest of lawreport before datasets (no application id, tables ``settings`` and
    ``files`` with the old columns)."""
    if _application_id(path) != 0:
        return False
    try:
        with _read_only(path) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            columns = {row[1] for row in db.execute("PRAGMA table_info(files)")}
    except sqlite3.DatabaseError:
        return False
    return tables == _LEGACY_TABLES and columns == _LEGACY_FILES_COLUMNS


def published_formats(out: Path) -> tuple[str, ...] | None:
    """The formats the last commit of the dataset in ``out`` wrote (read-only look), or None
    when there is no such commit (no manifest of ours, or nothing published yet)."""
    path = Path(out) / MANIFEST_NAME
    if _application_id(path) != APPLICATION_ID:
        return None
    try:
        with _read_only(path) as db:
            row = db.execute("SELECT value FROM settings WHERE name = 'published'").fetchone()
        formats = json.loads(row[0])["layout"]["formats"] if row is not None else None
    except (sqlite3.DatabaseError, ValueError, KeyError, TypeError):
        return None
    return tuple(formats) if isinstance(formats, list) and formats else None


def _application_id(path: Path) -> int | None:
    if path.is_symlink() or not path.is_file():
        return None
    try:
        with _read_only(path) as db:
            return db.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


class _read_only:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self._db

    def __exit__(self, *_: object) -> None:
        self._db.close()


def _create(path: Path) -> None:
    """A new, empty manifest, made under a temporary name and renamed into place, so that a
    manifest without lawreport's application id is never ours."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.executescript(_SCHEMA)
    finally:
        db.close()
    os.replace(tmp, path)


class Manifest:
    """The manifest of one output folder, open for one run.

    Pass 1 (processing): :meth:`add` each input, :meth:`cached` rows when the content and
    settings are unchanged, :meth:`store` new rows, :meth:`checkpoint` now and then (the cache
    survives an interrupt). Pass 2 (the commit): :meth:`update_dataset`, then
    :meth:`dataset_rows` feed the table writers, then :meth:`commit` makes it all the dataset.
    """

    def __init__(
        self,
        out: Path,
        settings: dict[str, str],
        *,
        reuse: bool = True,
        adopt_legacy: bool = False,
        csv_only: bool = False,
    ) -> None:
        """``csv_only``: the run writes only CSV (else entries with CSV parts are of no use to it)."""
        self.path = out / MANIFEST_NAME
        self.out = out
        if os.path.lexists(self.path):
            if adopt_legacy and is_legacy_manifest(self.path):
                self.path.unlink()  # an older lawreport's manifest, rebuilt on --replace
                _create(self.path)
            else:
                check_manifest(out)
        else:
            _create(self.path)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA temp_store = FILE")  # temporary tables on disk, not in RAM
        _upgrade(self._db)
        stored = dict(self._db.execute("SELECT name, value FROM settings"))
        self.components = settings
        self.key = settings_key(settings)
        try:
            previous = json.loads(stored.get("components", "{}"))
        except ValueError:
            previous = {}  # unreadable: as if every setting changed
        self.has_dataset = self._db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is not None
        self.changed = describe_change(previous, settings) if self.has_dataset and previous != settings else []
        self.same_settings = previous == settings
        self.reuse = reuse
        self.csv_only = csv_only
        # which entries hold what this run needs: rows, or CSV parts made as it writes CSV
        self._usable = "1" if csv_only else "parts IS NULL"
        self.generation = int(stored.get("generation", "0"))
        self._db.executescript(
            """
            CREATE TEMP TABLE run_files (
                path TEXT PRIMARY KEY, root TEXT NOT NULL, fs_path BLOB NOT NULL,
                size INTEGER NOT NULL DEFAULT -1, mtime_ns INTEGER NOT NULL DEFAULT -1, sha256 TEXT,
                ctime_ns INTEGER NOT NULL DEFAULT -1
            );
            CREATE TEMP TABLE removed (path TEXT PRIMARY KEY);
            CREATE TEMP TABLE seen (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL);
            """
        )
        self._db.execute("BEGIN")
        self._last_checkpoint = time.monotonic()

    # -- pass 1 -------------------------------------------------------------------------

    def add(self, key: str, fs_path: str, root: str) -> bool:
        """Record an input of this run; False when it was already recorded (listed twice)."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO run_files (path, root, fs_path) VALUES (?, ?, ?)",
            (key, root, os.fsencode(fs_path)),
        )
        return cursor.rowcount == 1

    def known_sha256(self, key: str, stat: FileStat) -> str:
        """The content hash recorded for ``key`` when its size, mtime and ctime are those
        recorded and were not racy then (see :func:`file_stat`); '' when it must be hashed."""
        if not self.reuse or stat.ctime_ns < 0:
            return ""
        row = self._db.execute(
            "SELECT sha256 FROM files WHERE path = ? AND size = ? AND mtime_ns = ? AND ctime_ns = ?",
            (key, stat.size, stat.mtime_ns, stat.ctime_ns),
        ).fetchone()
        return row[0] if row is not None else ""

    def may_have_rows(self, key: str) -> bool:
        """Whether rows of ``key`` under these settings are cached at all (if not, its content
        need not be hashed here: the worker that processes it hashes what it reads)."""
        if not self.reuse:
            return False
        row = self._db.execute(
            f"SELECT 1 FROM entries WHERE path = ? AND settings = ? AND {self._usable} LIMIT 1", (key, self.key)
        )
        return row.fetchone() is not None

    def cached(self, key: str, sha256: str) -> FileRows | None:
        """Rows made from exactly this content under exactly these settings."""
        if not self.reuse or not sha256:
            return None
        row = self._db.execute(
            f"SELECT facts, rows FROM entries WHERE path = ? AND sha256 = ? AND settings = ? AND {self._usable}",
            (key, sha256, self.key),
        ).fetchone()
        if row is None:
            return None
        facts, blob = row
        if facts is not None:
            return _rows_of_facts(key, facts)
        rows = decode_rows(key, blob)  # cached by an older lawreport: its facts are added now
        self._db.execute("UPDATE entries SET facts = ? WHERE path = ? AND sha256 = ?", (_facts(rows), key, sha256))
        return rows

    def store(self, rows: FileRows, sha256: str) -> None:
        """Cache a file's rows under the hash of the content they were made from ('' when
        that is not known: such rows are used for this run's tables only). Rows with CSV parts
        (a run that writes only CSV) are stored without the rows the parts hold."""
        blob = rows.cache_entry if rows.cache_entry is not None else encode_rows(rows)
        parts = rows.cache_parts
        if parts is not None and not self.csv_only:
            raise AssertionError("CSV parts made for a run that writes another format too")
        self._db.execute(
            "INSERT OR REPLACE INTO entries (path, sha256, settings, doc_id, rows, facts, parts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rows.path,
                sha256,
                self.key,
                rows.doc_id,
                blob,
                _facts(rows),
                parts,
            ),
        )

    def finish(self, key: str, sha256: str, stat: FileStat) -> None:
        """The content hash whose entry holds this run's rows of ``key``."""
        self._db.execute(
            "UPDATE run_files SET sha256 = ?, size = ?, mtime_ns = ?, ctime_ns = ? WHERE path = ?",
            (sha256, stat.size, stat.mtime_ns, stat.ctime_ns, key),
        )

    def record_text(self, doc_id: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO texts VALUES (?)", (doc_id,))

    def checkpoint(self, *, force: bool = False) -> None:
        """Commit the cache so far (at most every few seconds unless ``force``)."""
        if force or time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
            self._last_checkpoint = time.monotonic()

    def needs_refresh(self) -> bool:
        """Whether files of the dataset must be read again: the settings changed, or their
        entries hold CSV parts where this run needs rows (or parts made another way)."""
        if self.changed:
            return True
        return self._db.execute(self._unusable_files(" LIMIT 1")).fetchone() is not None

    def _unusable_files(self, tail: str = "") -> str:
        return (
            "SELECT f.path, f.root, f.fs_path FROM files f JOIN entries e ON e.path = f.path AND e.sha256 = f.sha256"
            f" WHERE NOT ({self._usable.replace('parts', 'e.parts')}) ORDER BY f.path{tail}"
        )

    def prepare_refresh(self, folder_roots: list[str], named: set[str]) -> tuple[int, list[str]]:
        """Set aside the dataset's files outside this run (not under its folders, not named in
        it), which must be processed again when the settings changed (all of them) or when
        their entries do not hold what this run needs (those). Returns how many there are and
        up to three that are gone. Kept in a temporary table on disk, not in RAM."""
        self._db.execute("CREATE TEMP TABLE refresh (path TEXT PRIMARY KEY, root TEXT, fs_path BLOB)")
        count, gone = 0, []
        query = "SELECT path, root, fs_path FROM files ORDER BY path" if self.changed else self._unusable_files()
        for key, root, fs_path in self._db.execute(query).fetchall():
            path = os.fsdecode(fs_path)
            if path in named or any(is_within(key, folder) for folder in folder_roots):
                continue
            self._db.execute("INSERT INTO refresh VALUES (?, ?, ?)", (key, root, fs_path))
            count += 1
            if len(gone) < 3 and not os.path.lexists(path):
                gone.append(key)
        return count, gone

    def refresh_files(self) -> Iterator[tuple[str, str]]:
        """``(path to open, root)`` of the files set aside by :meth:`prepare_refresh`."""
        for root, fs_path in self._db.execute("SELECT root, fs_path FROM refresh ORDER BY path"):
            yield os.fsdecode(fs_path), root

    # -- pass 2 -------------------------------------------------------------------------

    def update_dataset(self, folder_roots: list[str], *, replace: bool) -> int:
        """Make this run's files the dataset's rows for its inputs; files under its folders
        that were not found again are dropped (unless named directly and still there).
        Returns how many were dropped. Not committed until :meth:`commit`."""
        self.checkpoint(force=True)
        self._mark_removed(folder_roots, replace=replace)
        self._db.execute("DELETE FROM files WHERE path IN (SELECT path FROM removed)")
        self._db.execute(
            "INSERT OR REPLACE INTO files (path, root, fs_path, size, mtime_ns, sha256, ctime_ns)"
            " SELECT path, root, fs_path, size, mtime_ns, sha256, ctime_ns FROM run_files"
        )
        # The cache keeps only what the dataset uses, plus unfinished work on other files.
        self._db.execute("DELETE FROM entries WHERE settings != ?", (self.key,))
        self._db.execute("DELETE FROM entries WHERE path IN (SELECT path FROM removed)")
        self._db.execute(
            "DELETE FROM entries WHERE path IN (SELECT path FROM files)"
            " AND (path, sha256) NOT IN (SELECT path, sha256 FROM files)"
        )
        self.generation += 1
        self._db.executemany(
            "INSERT OR REPLACE INTO settings VALUES (?, ?)",
            [("components", json.dumps(self.components, sort_keys=True)), ("generation", str(self.generation))],
        )
        return self._db.execute("SELECT count(*) FROM removed").fetchone()[0]

    def _mark_removed(self, folder_roots: list[str], *, replace: bool) -> None:
        """Fill ``removed`` with the dataset's files this run drops."""
        if replace:
            self._db.execute(
                "INSERT OR IGNORE INTO removed SELECT path FROM files WHERE path NOT IN (SELECT path FROM run_files)"
            )
        else:
            for folder in folder_roots:
                low, high = folder.rstrip("/") + "/", folder.rstrip("/") + "0"  # "0" follows "/"
                for key, root, fs_path in self._db.execute(
                    "SELECT path, root, fs_path FROM files WHERE path >= ? AND path < ?"
                    " AND path NOT IN (SELECT path FROM run_files)",
                    (low, high),
                ).fetchall():
                    named_directly = root == key
                    if not (named_directly and os.path.lexists(os.fsdecode(fs_path))):
                        self._db.execute("INSERT OR IGNORE INTO removed VALUES (?)", (key,))

    def dataset_unchanged(self, folder_roots: list[str], *, replace: bool) -> bool:
        """Whether this run leaves the dataset as it is: the same settings, every file of the
        run in it with the same root and content, none dropped. Then its tables are those the
        last commit wrote; the files' newer size and times are recorded (for the next run)."""
        if not (self.same_settings and self.has_dataset):
            return False
        differs = self._db.execute(
            "SELECT 1 FROM run_files r LEFT JOIN files f ON f.path = r.path"
            " WHERE f.path IS NULL OR f.root != r.root OR f.sha256 != r.sha256 LIMIT 1"
        ).fetchone()
        if differs is not None:
            return False
        self._mark_removed(folder_roots, replace=replace)
        if self._db.execute("SELECT 1 FROM removed LIMIT 1").fetchone() is not None:
            return False
        self._db.execute(
            "UPDATE files SET (size, mtime_ns, ctime_ns) = (SELECT size, mtime_ns, ctime_ns FROM run_files r"
            " WHERE r.path = files.path) WHERE path IN (SELECT path FROM run_files)"
        )
        return True

    def record_published(self, published: dict[str, Any]) -> None:
        """What the commit wrote (outputs with their size, mtime and inode; rows per table;
        duplicates), so that a run that changes nothing can tell its tables are still those."""
        self._db.execute(
            "INSERT OR REPLACE INTO settings VALUES ('published', ?)", (json.dumps(published, sort_keys=True),)
        )

    def published(self) -> dict[str, Any] | None:
        row = self._db.execute("SELECT value FROM settings WHERE name = 'published'").fetchone()
        try:
            return json.loads(row[0]) if row is not None else None
        except ValueError:
            return None

    def dataset_rows(self) -> Iterator[tuple[str, FileRows]]:
        """``(root, rows)`` of every file of the dataset, in path order (streamed). Files
        cached with CSV parts come with the facts, the ``documents`` row and the CSV bytes of
        the other tables (``csv``): their rows are not decoded."""
        cursor = self._db.execute(
            "SELECT f.path, f.root, e.rows, e.parts FROM files f"
            " LEFT JOIN entries e ON e.path = f.path AND e.sha256 = f.sha256 ORDER BY f.path"
        )
        for key, root, blob, parts in cursor:
            if blob is None:
                raise AssertionError(f"manifest: no rows for {key}")
            if parts is None:
                yield root, decode_rows(key, blob)
            elif self.csv_only:
                yield root, decode_parts(key, parts)
            else:  # the run read such files again (see needs_refresh)
                raise AssertionError(f"manifest: CSV parts of {key} are of no use to this run")

    def count_dataset(self) -> tuple[int, int]:
        """Files and distinct roots of the dataset."""
        return self._db.execute("SELECT count(*), count(DISTINCT root) FROM files").fetchone()

    def first_path(self, doc_id: str, path: str) -> str | None:
        """The earlier path of the dataset with the same document id, else record this one."""
        row = self._db.execute("SELECT path FROM seen WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is not None:
            return row[0]
        self._db.execute("INSERT INTO seen VALUES (?, ?)", (doc_id, path))
        return None

    def outputs(self) -> set[str]:
        return {name for (name,) in self._db.execute("SELECT name FROM outputs")}

    def record_outputs(self, names: list[str]) -> None:
        self._db.execute("DELETE FROM outputs")
        self._db.executemany("INSERT INTO outputs VALUES (?)", [(name,) for name in names])

    def adopt(self, outputs: list[str], texts: list[str]) -> None:
        """Take over the outputs of an older lawreport (on --replace)."""
        self._db.executemany("INSERT OR IGNORE INTO outputs VALUES (?)", [(name,) for name in outputs])
        self._db.executemany("INSERT OR IGNORE INTO texts VALUES (?)", [(doc_id,) for doc_id in texts])

    def commit(self) -> None:
        self._db.execute("COMMIT")
        self._db.execute("BEGIN")

    def unused_texts(self) -> list[str]:
        """Normalised texts lawreport wrote that no file of the dataset (or cached work) uses."""
        return [
            doc_id
            for (doc_id,) in self._db.execute(
                "SELECT doc_id FROM texts WHERE doc_id NOT IN (SELECT doc_id FROM entries WHERE doc_id IS NOT NULL)"
            )
        ]

    def forget_texts(self, doc_ids: list[str]) -> None:
        self._db.executemany("DELETE FROM texts WHERE doc_id = ?", [(doc_id,) for doc_id in doc_ids])

    def close(self, *, keep: bool = True) -> None:
        """Commit the cache (``keep``) or roll back what was not yet committed, and close."""
        try:
            self._db.execute("COMMIT" if keep else "ROLLBACK")
        finally:
            self._db.close()


def check_manifest(out: Path) -> None:
    """A manifest that is there must be lawreport's: another program's database (or a damaged
    file) is refused, never written to."""
    path = out / MANIFEST_NAME
    if os.path.lexists(path) and not is_manifest(path):
        raise ForeignManifestError(
            f"{display(str(path))} is not a lawreport manifest (another program's file, or damaged)",
            hint="Move it away; lawreport will not write into a file it did not create.",
        )


def recorded_outputs(out: Path) -> set[str]:
    """The outputs the manifest of ``out`` records as lawreport's (read-only look)."""
    path = out / MANIFEST_NAME
    if not is_manifest(path):
        return set()
    with _read_only(path) as db:
        return {name for (name,) in db.execute("SELECT name FROM outputs")}


def committed_generation(out: Path) -> int:
    """The generation of the last committed run (0 when there is none)."""
    path = out / MANIFEST_NAME
    if not is_manifest(path):
        return 0
    with _read_only(path) as db:
        row = db.execute("SELECT value FROM settings WHERE name = 'generation'").fetchone()
    return int(row[0]) if row else 0
