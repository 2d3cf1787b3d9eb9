"""Find report files and read each one into decoded text. I/O lives here."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lawreport.encoding import decode_bytes
from lawreport.errors import EmptyFileError, FileTooLargeError, InputError, UsageError
from lawreport.htmltext import html_to_text, looks_like_html

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
DEFAULT_MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Candidate:
    """A path found under the inputs; ``skip_reason`` is set when it will not be read."""

    path: str
    skip_reason: str = ""


@dataclass(frozen=True)
class SourceText:
    """A report as decoded text, before normalisation."""

    path: str
    text: str
    encoding: str
    format: str  # "txt" or "html"
    n_bytes: int
    hints: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def discover(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    exclude: str | os.PathLike[str] | None = None,
    listing: str | os.PathLike[str] | None = None,
) -> Iterator[Candidate]:
    """Yield every file under ``inputs`` (then each path listed in the file ``listing``).

    Folders are walked recursively in sorted path order without following symlinked folders
    (no loops) and without holding the whole listing in memory; hidden files and folders are
    ignored, and so is ``exclude`` (the output folder, whose normalised texts must never be
    read back as reports). A folder or file given twice, or inside a folder already walked,
    is read once; repeats inside ``listing`` are left to the caller (a corpus-sized set).
    """
    excluded = Path(exclude).resolve() if exclude is not None else None
    walked: list[Path] = []
    files: set[str] = set()
    for raw in inputs:
        root = Path(raw)
        if not root.exists() and not root.is_symlink():
            raise UsageError(
                f"input {str(raw)!r} does not exist", hint="Check the path, or run from the project folder."
            )
        if root.is_dir():
            resolved = _resolved(root)
            if any(resolved == done or resolved.is_relative_to(done) for done in walked):
                continue
            skip = [done for done in walked if done.is_relative_to(resolved)]
            walked.append(resolved)
            for path in _walk(root, skip):
                if path not in files and not (excluded is not None and _inside(path, excluded)):
                    yield Candidate(path, _skip_reason(path))
            continue
        path = root.as_posix()
        if path in files or any(_resolved(root).is_relative_to(done) for done in walked):
            continue
        files.add(path)
        if not (excluded is not None and _inside(path, excluded)):
            yield Candidate(path, _skip_reason(path))
    if listing is not None:
        with open(listing, encoding="utf-8") as lines:
            for line in lines:
                path = line.strip()
                if path and not path.startswith("#") and not (excluded is not None and _inside(path, excluded)):
                    yield Candidate(path, _skip_reason(path))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return path.absolute()


def _inside(path: str, folder: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(folder)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return False


def _walk(root: Path, skip: list[Path]) -> Iterator[str]:
    """Files under ``root`` in the order ``sorted()`` would give their paths, one folder at a time.

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
            is_dir = entry.is_dir()
            if is_dir and entry.is_symlink():
                continue  # as os.walk(followlinks=False): a linked folder is neither walked nor read
        except OSError:
            is_dir = False
        keyed.append((entry.name + "/" if is_dir else entry.name, entry.name, is_dir))
    keyed.sort()
    base = root.as_posix().rstrip("/") if root.as_posix() != "/" else ""
    for _, name, is_dir in keyed:
        path = f"{base}/{name}"
        if is_dir:
            if skip and any(_resolved(Path(path)) == done for done in skip):
                continue
            yield from _walk(Path(path), skip)
        else:
            yield path


def _skip_reason(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {suffix or '(no extension)'!r}: only .txt and .html are read"
    return ""


def read_source(path: str, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read and decode one report. Raises an :class:`InputError` subclass on bad input."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise InputError(
                "not a regular file (a pipe, device or socket): reading it could block forever",
                hint="Point lawreport at the report files themselves.",
            )
        size = status.st_size
        if size > max_bytes:
            raise FileTooLargeError(
                f"file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:.0f} MB limit",
                hint="Split the file, or raise the limit with --max-size.",
            )
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(
            f"cannot read file: {error.strerror or error}", hint="Check that it exists and is readable."
        ) from error
    if not data.strip():
        raise EmptyFileError("file is empty", hint="Re-download it; an empty page is not a report.")
    decoded = decode_bytes(data, encoding)
    text, hints, fmt = decoded.text, {}, "txt"
    if Path(path).suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        text, hints = html_to_text(text)
        fmt = "html"
    if not text.strip():
        raise EmptyFileError("no text found in the file", hint="An HTML page may load its text with JavaScript.")
    return SourceText(path, text, decoded.encoding, fmt, len(data), hints, decoded.warnings)
