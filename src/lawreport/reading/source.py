"""Read one report file into decoded text (:class:`~lawreport.records.SourceText`). I/O lives here."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lawreport.errors import EmptyFileError, FileTooLargeError, InputError
from lawreport.reading.discover import HTML_SUFFIXES
from lawreport.reading.encoding import decode_bytes
from lawreport.reading.html import html_to_text, looks_like_html
from lawreport.records import SourceText

DEFAULT_MAX_BYTES = 50_000_000


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
    return source_from_bytes(path, data, encoding=encoding)


def source_from_bytes(path: str, data: bytes, *, encoding: str | None = None) -> SourceText:
    """Decode a report already in memory (standard input); ``path`` names it (``<stdin>``).
    HTML is recognised by its name or its content."""
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
