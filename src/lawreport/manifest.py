"""The run manifest and the per-file row cache behind incremental re-runs.

``manifest.json`` in the output folder records, per input file, its size, mtime and content
hash, plus the tool version, the rule-pack digest and the options that change results. A
re-run reuses the cached rows of a file whose content is unchanged (size and mtime equal, or
the same SHA-256); anything else is processed again, and rows of deleted files disappear.
The cache is JSON (safe to load), one small file per input under ``.cache/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

from lawreport import __version__
from lawreport.pipeline import ExtractOptions, FileRows
from lawreport.writers import write_text_atomic

MANIFEST_NAME = "manifest.json"
CACHE_DIR = ".cache"
_HASH_BLOCK = 1 << 20


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
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class Manifest:
    version: str
    options: str
    rules: str
    files: dict[str, Fingerprint] = field(default_factory=dict)

    @classmethod
    def for_run(cls, out: Path, options: ExtractOptions, rules_digest: str) -> Manifest:
        return cls(__version__, options_key(options), rules_digest)

    @classmethod
    def load(cls, out: Path) -> Manifest | None:
        try:
            data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
            files = {path: Fingerprint(**entry) for path, entry in data["files"].items()}
            return cls(data["version"], data["options"], data["rules"], files)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no manifest, or one we cannot trust: run in full

    def compatible_with(self, other: Manifest) -> bool:
        return (self.version, self.options, self.rules) == (other.version, other.options, other.rules)

    def run_key(self) -> str:
        return f"{self.version}|{self.options}|{self.rules}"

    def save(self, out: Path) -> None:
        data = {
            "version": self.version,
            "options": self.options,
            "rules": self.rules,
            "files": {path: asdict(self.files[path]) for path in sorted(self.files)},
        }
        write_text_atomic(out / MANIFEST_NAME, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$date"}:
        return dt.date.fromisoformat(value["$date"])
    return value


def _encode_row(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {key: _encode(value) for key, value in row.items()}


def _decode_row(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {key: _decode(value) for key, value in row.items()}


class RowCache:
    """Rows of each processed file, keyed by path, content and run settings."""

    def __init__(self, out: Path) -> None:
        self.folder = out / CACHE_DIR
        self.run_key = ""
        self._live: set[str] = set()

    def bind(self, manifest: Manifest) -> None:
        self.run_key = manifest.run_key()

    def _key(self, path: str, fingerprint: Fingerprint) -> str:
        return hashlib.sha256(f"{self.run_key}|{path}|{fingerprint.sha256}".encode()).hexdigest()[:32]

    def get(self, path: str, previous: Fingerprint | None, current: Fingerprint, normalized: Path) -> FileRows | None:
        if previous is None or not current.sha256 or previous.sha256 != current.sha256:
            return None
        entry = self.folder / f"{self._key(path, current)}.json"
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("ok") and not (normalized / f"{data['doc_id']}.txt").exists():
            return None
        self._live.add(entry.name)
        return FileRows(
            path=data["path"],
            doc_id=data["doc_id"],
            ok=data["ok"],
            has_warnings=data["has_warnings"],
            n_bytes=data["n_bytes"],
            normalized_text=None,
            document=_decode_row(data["document"]),
            sections=[_decode_row(row) for row in data["sections"]],
            indicators=[_decode_row(row) for row in data["indicators"]],
            wide=_decode_row(data["wide"]),
            error=_decode_row(data["error"]),
        )

    def put(self, fingerprint: Fingerprint, rows: FileRows) -> None:
        if not fingerprint.sha256:
            return
        entry = self.folder / f"{self._key(rows.path, fingerprint)}.json"
        data = {
            "path": rows.path,
            "doc_id": rows.doc_id,
            "ok": rows.ok,
            "has_warnings": rows.has_warnings,
            "n_bytes": rows.n_bytes,
            "document": _encode_row(rows.document),
            "sections": [_encode_row(row) for row in rows.sections],
            "indicators": [_encode_row(row) for row in rows.indicators],
            "wide": _encode_row(rows.wide),
            "error": _encode_row(rows.error),
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(entry, json.dumps(data, ensure_ascii=False))
        self._live.add(entry.name)

    def prune(self) -> None:
        """Delete entries this run did not use (deleted or changed files, old settings)."""
        if not self.folder.is_dir():
            return
        for entry in self.folder.glob("*.json"):
            if entry.name not in self._live:
                entry.unlink()
