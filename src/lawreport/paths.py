"""How lawreport names a file: one identity whatever the spelling, always shown as valid UTF-8.

A report reached as ``reports/a.txt`` from one folder, ``../proj/reports/a.txt`` from another
or ``/home/u/proj/reports/a.txt`` is one file: its identity is the absolute path with every
folder resolved (symlinked folders included) and its own name kept, so a symlinked file stays
itself. Names that are not UTF-8 (GBK names from Windows zip files) reach Python with
surrogate escapes; they are opened as they are and shown with their bytes escaped
(``\\xb1\\xa8.txt``), which every table format and terminal can hold.
"""

from __future__ import annotations

import os

_FOLDER_CACHE = 4096


def display(path: str) -> str:
    """``path`` as valid UTF-8 text: bytes that are not UTF-8 become ``\\xNN`` escapes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def canonical_folder(folder: str) -> str:
    """Absolute, with ``..`` and symlinked folders resolved."""
    return os.path.realpath(folder or ".")


def canonical(path: str, folders: dict[str, str] | None = None) -> str:
    """The identity of a file: its folder resolved, its own name kept (a symlinked file stays
    itself, so two links to one report are two rows, the second a duplicate). ``folders``
    caches resolved folders for the caller (a listing names many files of a few folders)."""
    folder, name = os.path.split(os.path.abspath(path))
    if not name:  # the root folder
        return folder
    if folders is None:
        folder = canonical_folder(folder)
    else:
        if folder not in folders:
            if len(folders) >= _FOLDER_CACHE:
                folders.clear()
            folders[folder] = canonical_folder(folder)
        folder = folders[folder]
    return f"{folder.rstrip('/')}/{name}"


def is_within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or lies under it (both canonical)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")
