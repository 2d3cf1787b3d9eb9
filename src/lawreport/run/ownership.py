"""Which folders and files lawreport may write, replace and delete: only its own.

An output folder carries a marker file, ``.lawreport-output``, written when lawreport first
takes an empty (or new) folder. A run refuses a folder that holds anything else and has no
marker; inside its folder it replaces or deletes only paths it recorded as written (in the
manifest), and never writes through a symlink.
"""

from __future__ import annotations

import json
import os
import stat
from enum import Enum
from pathlib import Path

from lawreport.errors import UsageError
from lawreport.paths import display
from lawreport.run.manifest import MANIFEST_NAME, is_legacy_manifest

MARKER_NAME = ".lawreport-output"
MARKER = {"lawreport": "output folder", "format": 1}
MARKER_TEXT = (
    json.dumps(MARKER)
    + "\n# This folder is written by lawreport (tables, normalized/, manifest.sqlite). lawreport only\n"
    + "# replaces or deletes what it wrote here. Delete this file and the folder is no longer lawreport's.\n"
)
# Files a fresh folder may hold and still count as empty (kept as they are).
IGNORED_IN_EMPTY = frozenset({".gitkeep", ".keep", ".gitignore", ".DS_Store", "Thumbs.db"})


class OwnershipError(UsageError):
    error_type = "NotOurs"


class FolderState(Enum):
    MISSING = "missing"
    EMPTY = "empty"
    OURS = "ours"
    LEGACY = "legacy"  # tables of a lawreport from before ownership markers
    FOREIGN = "foreign"


def folder_state(out: Path) -> FolderState:
    if not os.path.lexists(out):
        return FolderState.MISSING
    if has_marker(out):
        return FolderState.OURS
    try:
        names = {entry.name for entry in os.scandir(out)}
    except OSError:
        return FolderState.FOREIGN
    if not names - IGNORED_IN_EMPTY:
        return FolderState.EMPTY
    if is_legacy_manifest(out / MANIFEST_NAME):
        return FolderState.LEGACY
    return FolderState.FOREIGN


def has_marker(out: Path) -> bool:
    try:
        text = read_regular(out / MARKER_NAME, limit=4096)
    except OSError:
        return False
    first = text.split("\n", 1)[0]
    try:
        return json.loads(first) == MARKER
    except ValueError:
        return False


def check_output(out: Path, *, replace: bool) -> FolderState:
    """Raise :class:`OwnershipError` unless a run may write into ``out``."""
    state = folder_state(out)
    shown = display(str(out))
    if state is FolderState.FOREIGN:
        raise OwnershipError(
            f"output folder {shown} is not empty and is not a lawreport output (no {MARKER_NAME} marker)",
            hint="lawreport never writes into folders it did not create: choose a new or empty folder with -o.",
        )
    if state is FolderState.LEGACY and not replace:
        raise OwnershipError(
            f"output folder {shown} holds tables of an older lawreport that cannot be extended",
            hint="Rebuild it from this run's inputs with --replace, or write to a new folder with -o.",
        )
    if state in (FolderState.OURS, FolderState.LEGACY):
        for name in (MANIFEST_NAME, "normalized"):
            if (out / name).is_symlink():
                raise OwnershipError(
                    f"{display(str(out / name))} is a symlink",
                    hint="lawreport never writes through symlinks in its output folder: replace it with a real one.",
                )
    return state


def claim(out: Path, state: FolderState) -> None:
    """Create ``out`` if needed and mark it as lawreport's."""
    if state is FolderState.OURS:
        return
    out.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(out / MARKER_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError as error:
        raise OwnershipError(
            f"{display(str(out / MARKER_NAME))} exists but is not lawreport's marker",
            hint="Move it away, or choose another output folder with -o.",
        ) from error
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(MARKER_TEXT)


def read_regular(path: Path, *, limit: int) -> str:
    """The text of a regular file, never through a symlink; OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return os.read(fd, limit).decode("utf-8", "replace")
    finally:
        os.close(fd)


def check_targets(out: Path, targets: dict[str, bool], ours: set[str], *, replace: bool) -> None:
    """Every output path this run will replace (``name -> is a folder``) is one lawreport
    wrote (or, with ``replace`` in a folder of ours, one of its table names), of the right kind."""
    move_away = "Move it away; lawreport replaces only what it wrote."
    for name, is_folder in targets.items():
        path = out / name
        if not os.path.lexists(path):
            continue
        if path.is_symlink():
            problem, hint = "is a symlink lawreport did not create", move_away
        elif is_folder != path.is_dir() or not (path.is_dir() or path.is_file()):
            kind = "a folder" if path.is_dir() else "not a regular file"
            problem, hint = f"is {kind} where lawreport writes a table", move_away
        elif is_folder and not _looks_like_dataset(path):
            problem, hint = "holds files that are not lawreport's table parts", move_away
        elif name in ours or replace:
            continue
        else:
            problem = "was not written by lawreport (or its manifest was lost)"
            hint = "Move it away, or pass --replace to rebuild the dataset from this run's inputs."
        raise OwnershipError(f"{display(str(path))} {problem}", hint=hint)


def _looks_like_dataset(folder: Path) -> bool:
    """A hive-partitioned table as lawreport writes it: report_year=*/part-*.parquet only."""
    for partition in folder.iterdir():
        if partition.is_symlink() or not partition.is_dir() or not partition.name.startswith("report_year="):
            return False
        for part in partition.iterdir():
            if part.is_symlink() or not part.is_file() or not part.name.endswith(".parquet"):
                return False
    return True
