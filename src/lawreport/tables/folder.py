"""The layout of an output folder: the names lawreport gives what it writes there, atomic
writes of single files, and the journal that says a commit was cut short."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from lawreport.errors import LawreportError

NORMALIZED_DIR = "normalized"  # normalized/<doc_id>.txt: the text every offset refers to
JOURNAL_NAME = ".lawreport-commit.json"  # present only while a run swaps its tables into place


class CommitInterrupted(LawreportError):
    """A journal of an unfinished commit is present (readers should not trust the tables)."""

    error_type = "CommitInterrupted"


def check_no_pending_commit(out: Path) -> None:
    if (out / JOURNAL_NAME).exists():
        raise CommitInterrupted(
            f"{out} holds an unfinished commit (a run was killed while replacing its tables)",
            hint="Run lawreport extract into it again: it finishes or undoes that commit first.",
        )


def temporary_path(path: Path) -> Path:
    """Where ``path`` is written before it is swapped into place (a name runs recognise)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def sync_tree(path: Path) -> None:
    """fsync a file, or every file of a folder, so a commit never publishes unwritten data."""
    paths = [path] if path.is_file() else [part for part in path.rglob("*") if part.is_file()]
    for part in paths:
        fd = os.open(part, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
