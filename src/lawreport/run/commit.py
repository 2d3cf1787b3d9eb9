"""Make all the tables of a run visible together, or none of them.

The new tables are written beside the old ones under temporary names. Then a journal
(``.lawreport-commit.json``) lists every swap (old table → backup name, new table → its
name, stale outputs → backup name), the swaps are done, and the manifest transaction that
records the new dataset commits: that SQLite commit is the one moment the run takes effect.
Backups are deleted after it.

If anything fails in between (an exception, a full disk, Ctrl-C) the swaps are undone at
once. If the process is killed, the next run (or :func:`recover`) reads the journal: when
the manifest holds the journal's generation the commit had happened and the backups are
deleted; otherwise every swap is undone. Either way no mix of old and new tables survives.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lawreport.tables.folder import JOURNAL_NAME


@dataclass(frozen=True)
class Swap:
    """One output path: ``new`` (a temporary name, or None to remove a stale output) takes
    the place of ``target``, whose old version (if it ``existed``) is kept as ``backup``
    until the commit."""

    target: str
    new: str | None
    backup: str
    existed: bool


def _do(operation: Callable[..., Any], *args: Any) -> Any:
    """Every step of a commit goes through here (tests stop a commit at each one)."""
    return operation(*args)


def backup_name(target: str) -> str:
    folder, _, name = target.rpartition("/")
    return f"{folder + '/' if folder else ''}.{name}.old-{os.getpid()}"


def commit(out: Path, swaps: list[Swap], generation: int, commit_manifest: Callable[[], None]) -> None:
    """Swap every output into place, then ``commit_manifest()``; undo the swaps on failure."""
    _do(_write_journal, out, {"generation": generation, "swaps": [asdict(swap) for swap in swaps]})
    try:
        for swap in swaps:
            if swap.existed:
                _do(os.replace, out / swap.target, out / swap.backup)
            if swap.new is not None:
                _do(os.replace, out / swap.new, out / swap.target)
        _do(commit_manifest)
    except BaseException:
        _undo(out, swaps)
        raise
    # Committed: what is left is tidying. A backup that cannot be deleted now is a temporary
    # file the next run removes; the commit stands.
    with contextlib.suppress(OSError):
        _finish(out, swaps)


def recover(out: Path, committed_generation: int) -> str | None:
    """Finish or undo a commit that was killed; returns what was done, None when nothing was
    pending. Call with the output folder locked."""
    journal = out / JOURNAL_NAME
    if not journal.is_file() or journal.is_symlink():
        return None
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        swaps = [Swap(**swap) for swap in data["swaps"]]
        generation = int(data["generation"])
    except (ValueError, KeyError, TypeError):
        journal.unlink()  # written atomically, so a broken one was never acted on
        return None
    if generation == committed_generation:
        _finish(out, swaps)
        return "finished"
    _undo(out, swaps)
    return "undone"


def _write_journal(out: Path, data: dict[str, Any]) -> None:
    tmp = out / f".{JOURNAL_NAME}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, out / JOURNAL_NAME)
    _sync_folder(out)


def _undo(out: Path, swaps: list[Swap]) -> None:
    for swap in reversed(swaps):
        backup, target = out / swap.backup, out / swap.target
        if swap.existed:
            if os.path.lexists(backup):  # else the old version was never moved away
                if os.path.lexists(target):
                    _remove(target)  # the new version, swapped in before the failure
                os.replace(backup, target)
        elif swap.new is not None and os.path.lexists(target) and not os.path.lexists(out / swap.new):
            _remove(target)  # a new output that did not exist before
        if swap.new is not None and os.path.lexists(out / swap.new):
            _remove(out / swap.new)
    (out / JOURNAL_NAME).unlink(missing_ok=True)
    _sync_folder(out)


def _finish(out: Path, swaps: list[Swap]) -> None:
    for swap in swaps:
        if os.path.lexists(out / swap.backup):
            _do(_remove, out / swap.backup)
    _do((out / JOURNAL_NAME).unlink, True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
