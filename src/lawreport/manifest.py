"""The run manifest and row cache behind incremental re-runs, in one SQLite file.

``manifest.sqlite`` in the output folder records, per input file, its size, mtime and content
hash (table ``files``), plus the tool version, the rule-pack digest and the options that change
results (table ``settings``). Each file's rows are cached beside its fingerprint as JSON (safe
to load, readable with the ``sqlite3`` shell). A re-run reuses the rows of a file whose content
is unchanged (size and mtime equal, or the same SHA-256); anything else is processed again, and
rows of deleted files disappear.

SQLite rather than a JSON manifest and one cache file per input: lookups cost one indexed read,
memory stays flat whatever the corpus size (nothing is held per file in Python), and a run is
one transaction, so a killed run leaves the previous manifest as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

from lawreport import __version__
from lawreport.pipeline import ExtractOptions, FileRows

MANIFEST_NAME = "manifest.sqlite"
_HASH_BLOCK = 1 << 20
_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    run INTEGER NOT NULL,
    rows TEXT
);
"""


@dataclass(frozen=True)
class Fingerprint:
    size: int
    mtime_ns: int
    sha256: str  # empty when the file could not be read


def file_fingerprint(path: str, previous: Fingerprint | None) -> Fingerprint:
    """Size, mtime and content hash; the hash is reused when size and mtime are unchanged."""
    try:
        stat = os.stat(path)
    except OSError:
        return Fingerprint(-1, -1, "")
    if not S_ISREG(stat.st_mode):
        return Fingerprint(stat.st_size, stat.st_mtime_ns, "")  # a pipe or device: never open it here
    if previous is not None and previous.size == stat.st_size and previous.mtime_ns == stat.st_mtime_ns:
        return previous
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(_HASH_BLOCK):
                digest.update(block)
    except OSError:
        return Fingerprint(stat.st_size, stat.st_mtime_ns, "")
    return Fingerprint(stat.st_size, stat.st_mtime_ns, digest.hexdigest())


def options_key(options: ExtractOptions) -> str:
    """The options that change the rows a file produces."""
    fields = {
        "encoding": options.encoding,
        "max_bytes": options.max_bytes,
        "rules": list(options.rules),
        "rule_timeout": options.rule_timeout,
        "time_budget": options.time_budget,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


def run_settings(options: ExtractOptions, rules_digest: str) -> dict[str, str]:
    return {"version": __version__, "options": options_key(options), "rules": rules_digest}


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and "$date" in mapping:
        return dt.date.fromisoformat(mapping["$date"])
    return mapping


def encode_rows(rows: FileRows) -> str:
    data = {
        "doc_id": rows.doc_id,
        "ok": rows.ok,
        "has_warnings": rows.has_warnings,
        "n_bytes": rows.n_bytes,
        "document": rows.document,
        "sections": rows.sections,
        "indicators": rows.indicators,
        "wide": rows.wide,
        "error": rows.error,
    }
    # The C encoder does the work; only dates reach the Python hook.
    return json.dumps(data, ensure_ascii=False, default=_encode)


def decode_rows(path: str, text: str) -> FileRows:
    data = json.loads(text, object_hook=_decode)
    return FileRows(path=path, normalized_text=None, cached=True, **data)


class Manifest:
    """One run's view of ``manifest.sqlite``: fingerprints in, cached rows out.

    Use as a context manager: leaving it normally commits (and drops files that were not seen
    in this run); an exception rolls everything back.
    """

    def __init__(self, out: Path, settings: dict[str, str], *, reuse: bool = True) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.path = out / MANIFEST_NAME
        self._db = self._connect()
        stored = dict(self._db.execute("SELECT name, value FROM settings"))
        self._db.execute("BEGIN IMMEDIATE")
        self.reuse = (
            reuse
            and stored.get("version") is not None
            and all(stored.get(name) == value for name, value in settings.items())
        )
        if not self.reuse:  # new tool version, rules or options (or --full): cached rows are stale
            self._db.execute("UPDATE files SET rows = NULL")
        self.run = int(stored.get("run", "0")) + 1
        self._db.executemany(
            "INSERT OR REPLACE INTO settings VALUES (?, ?)", [*settings.items(), ("run", str(self.run))]
        )
        # Documents of this run by id, for duplicates; a temporary table lives on disk, not in RAM.
        self._db.execute("CREATE TEMP TABLE seen (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        for attempt in (1, 2):
            db = sqlite3.connect(self.path, isolation_level=None)
            try:
                db.execute("PRAGMA temp_store = FILE")
                db.executescript(_SCHEMA)
                return db
            except sqlite3.DatabaseError:
                db.close()
                if attempt == 2:
                    raise
                # Not a database we can read (truncated, or another program's file): start afresh.
                self.path.unlink(missing_ok=True)
        raise AssertionError("unreachable")

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self._db.execute("DELETE FROM files WHERE run != ?", (self.run,))
                self._db.execute("COMMIT")
            else:
                self._db.execute("ROLLBACK")
        finally:
            self._db.close()

    def fingerprint(self, path: str) -> tuple[Fingerprint, bool] | None:
        """Record ``path`` for this run: its fingerprint and whether its cached rows are valid.
        None when the path was already recorded in this run (listed twice)."""
        row = self._db.execute(
            "SELECT size, mtime_ns, sha256, run, rows IS NOT NULL FROM files WHERE path = ?", (path,)
        ).fetchone()
        if row is not None and row[3] == self.run:
            return None
        previous = Fingerprint(row[0], row[1], row[2]) if row is not None else None
        current = file_fingerprint(path, previous)
        cached = bool(
            self.reuse and row is not None and row[4] and current.sha256 and previous.sha256 == current.sha256
        )
        if cached:
            self._db.execute(
                "UPDATE files SET size = ?, mtime_ns = ?, run = ? WHERE path = ?",
                (current.size, current.mtime_ns, self.run, path),
            )
        else:
            self._db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, NULL)",
                (path, current.size, current.mtime_ns, current.sha256, self.run),
            )
        return current, cached

    def cached_rows(self, path: str) -> FileRows | None:
        row = self._db.execute("SELECT rows FROM files WHERE path = ?", (path,)).fetchone()
        return decode_rows(path, row[0]) if row is not None and row[0] is not None else None

    def store_rows(self, rows: FileRows) -> None:
        """Cache a file's rows (only files whose content could be hashed are ever reused)."""
        entry = rows.cache_entry if rows.cache_entry is not None else encode_rows(rows)
        self._db.execute("UPDATE files SET rows = ? WHERE path = ? AND sha256 != ''", (entry, rows.path))

    def first_path(self, doc_id: str, path: str) -> str | None:
        """The earlier path of this run with the same document id, else record this one."""
        row = self._db.execute("SELECT path FROM seen WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is not None:
            return row[0]
        self._db.execute("INSERT INTO seen VALUES (?, ?)", (doc_id, path))
        return None

    def is_seen(self, doc_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM seen WHERE doc_id = ?", (doc_id,)).fetchone() is not None
