"""Find the report files under a run's inputs: folders walked in path order, listings streamed."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lawreport.errors import UsageError
from lawreport.paths import canonical, canonical_folder, display, is_within

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


@dataclass(frozen=True)
class Candidate:
    """A file found under the inputs; ``skip_reason`` is set when it will not be read.

    ``path`` is canonical (see :mod:`lawreport.paths`) and is what gets opened; ``root`` is the
    input it came from: the folder given as an input, or the file itself when it was named
    directly or listed."""

    path: str
    skip_reason: str = ""
    root: str = ""

    @property
    def key(self) -> str:
        """The file's identity in the tables and the manifest (valid UTF-8)."""
        return display(self.path)


def discover(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    exclude: str | os.PathLike[str] | None = None,
    listing: str | os.PathLike[str] | BinaryIO | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Candidate]:
    """Yield every file under ``inputs`` (then each path listed in ``listing``, a file or a
    binary stream such as standard input, read line by line).

    Folders are walked recursively in sorted path order without following symlinked folders
    (no loops) and without holding the whole listing in memory; hidden files and folders are
    ignored, and so is ``exclude`` (the output folder, whose normalised texts must never be
    read back as reports). A symlinked file inside a folder is read only when it points inside
    one of the input folders (or with ``follow_symlinks``). A folder or file given twice, or
    inside a folder already walked, is read once; repeats inside ``listing`` are left to the
    caller (a corpus-sized set). Paths come out canonical: the same file has one path however
    it was spelled.
    """
    excluded = canonical_folder(os.fspath(exclude)) if exclude is not None else None
    inputs = [os.fspath(raw) for raw in inputs]
    for raw in inputs:
        if not os.path.lexists(raw):
            raise UsageError(
                f"input {display(raw)!r} does not exist", hint="Check the path, or run from the project folder."
            )
    folders = [canonical_folder(raw) for raw in inputs if os.path.isdir(raw)]
    walked: list[str] = []
    files: set[str] = set()
    for raw in inputs:
        if os.path.isdir(raw):
            root = canonical_folder(raw)
            if any(is_within(root, done) for done in walked):
                continue
            skip = [done for done in walked if is_within(done, root)]
            walked.append(root)
            links = _LinkPolicy(folders, follow_symlinks)
            for path, linked in _walk(root, [*skip, *([excluded] if excluded else [])]):
                if path not in files:
                    yield Candidate(path, links.skip_reason(path) if linked else skip_reason(path), root)
            continue
        path = canonical(raw)
        if path in files or any(is_within(path, done) for done in walked):
            continue
        files.add(path)
        yield Candidate(path, skip_reason(path), path)
    if listing is not None:
        for path in _listed(listing):
            if excluded is not None and is_within(path, excluded):
                reason = f"inside the output folder {display(excluded)}: lawreport never reads its own outputs back"
            elif os.path.isdir(path):
                reason = "a folder: list the files in it, or pass the folder as an input"
            else:
                reason = skip_reason(path)
            yield Candidate(path, reason, path)


@contextlib.contextmanager
def listing_source(
    listing: str | os.PathLike[str] | BinaryIO | None,
) -> Iterator[tuple[str | os.PathLike[str] | BinaryIO | None, bool]]:
    """The listing to pass to :func:`discover`, and whether it can be read twice (to count
    the files first). A path that is not a regular file (``/dev/stdin``, ``<(ls …)``) is a
    pipe: it is opened here, once, and read as a stream."""
    if isinstance(listing, str | os.PathLike) and not os.path.isfile(listing):
        with open(listing, "rb") as stream:
            yield stream, False
    else:
        yield listing, listing is None or isinstance(listing, str | os.PathLike)


def _listed(listing: str | os.PathLike[str] | BinaryIO) -> Iterator[str]:
    """Canonical paths of a listing, one per line; blank lines and ``#`` comments are skipped.
    Lines are bytes, so names that are not UTF-8 survive."""
    if isinstance(listing, str | os.PathLike):
        with open(listing, "rb") as stream:
            yield from _listed(stream)
        return
    folders: dict[str, str] = {}
    for line in listing:
        raw = line.strip()
        if raw and not raw.startswith(b"#"):
            yield canonical(os.fsdecode(raw), folders)


class _LinkPolicy:
    """Which symlinked files of a walk are read: those that point inside an input folder."""

    def __init__(self, folders: list[str], follow_all: bool) -> None:
        self.folders, self.follow_all = folders, follow_all

    def skip_reason(self, path: str) -> str:
        reason = skip_reason(path)
        if reason or self.follow_all:
            return reason
        target = os.path.realpath(path)
        if any(is_within(target, folder) for folder in self.folders):
            return ""
        return (
            f"symlink to {display(target)}, outside the input folders: not followed (pass --follow-symlinks to read it)"
        )


def _walk(root: str, skip: list[str]) -> Iterator[tuple[str, bool]]:
    """Files under ``root`` in the order ``sorted()`` would give their paths, one folder at a
    time, each with whether it is a symlink; folders in ``skip`` are not entered.

    A folder's descendants share the prefix "name/", so entries sort by name with "/" appended
    to folders; expanding each folder in place then yields the globally sorted order."""
    try:
        with os.scandir(root) as scan:
            entries = [entry for entry in scan if not entry.name.startswith(".")]
    except OSError:
        return
    keyed = []
    for entry in entries:
        try:
            linked = entry.is_symlink()
            is_dir = entry.is_dir()
            if is_dir and linked:
                continue  # as os.walk(followlinks=False): a linked folder is neither walked nor read
        except OSError:
            linked = is_dir = False
        keyed.append((entry.name + "/" if is_dir else entry.name, entry.name, is_dir, linked))
    keyed.sort()
    base = root.rstrip("/")
    for _, name, is_dir, linked in keyed:
        path = f"{base}/{name}"
        if is_dir:
            if path not in skip:
                yield from _walk(path, skip)
        else:
            yield path, linked


def skip_reason(path: str) -> str:
    """Why a file will not be read (its type), or ''."""
    suffix = os.path.splitext(path)[1].lower()  # as Path.suffix (no pathlib: this runs for every file)
    if suffix == ".":
        suffix = ""
    if suffix not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {suffix or '(no extension)'!r}: only .txt and .html are read"
    return ""
