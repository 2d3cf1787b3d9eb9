"""Typed errors. The CLI turns them into messages and exit codes; the library only raises."""

from __future__ import annotations


class LawreportError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` what to do next."""

    error_type = "LawreportError"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return join_message(self.message, self.hint)


def join_message(message: str, hint: str = "") -> str:
    """One line: what is wrong, then what to do ("… does not exist. Check the path.")."""
    if not hint:
        return message
    stop = "" if message.rstrip().endswith((".", "!", "?", ":", "。")) else "."
    return f"{message}{stop} {hint}"


class InputError(LawreportError):
    """A single input file cannot be used; the batch goes on without it."""

    error_type = "InputError"


class BinaryFileError(InputError):
    error_type = "BinaryFile"


class DecodeError(InputError):
    error_type = "DecodeError"


class FileTooLargeError(InputError):
    error_type = "FileTooLarge"


class EmptyFileError(InputError):
    error_type = "EmptyFile"


class UsageError(LawreportError):
    """The user asked for something impossible (bad option, missing path, broken rule pack)."""

    error_type = "UsageError"


class OptionError(UsageError):
    """An option has a value lawreport cannot work with."""

    error_type = "OptionError"


class DataFileError(UsageError):
    """A packaged or user data file (rules, lexicons) failed validation."""

    error_type = "DataFileError"


class NothingReadError(LawreportError):
    """A run found no file it could read: nothing is replaced."""

    error_type = "NothingRead"


class OutputError(LawreportError):
    """The output folder could not be written (full disk, permissions): the run is undone."""

    error_type = "OutputError"


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a run: the finished files' work is kept, the tables are not
    replaced. ``done`` files were finished out of ``total`` (None when not known)."""

    def __init__(self, done: int, total: int | None, *, what: str = "files") -> None:
        super().__init__(done, total)
        self.done, self.total, self.what = done, total, what

    @property
    def message(self) -> str:
        of = f" of {self.total:,}" if self.total is not None else ""
        return f"interrupted after {self.done:,}{of} {self.what}"
