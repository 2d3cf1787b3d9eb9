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
        return f"{self.message} {self.hint}".strip()


class InputError(LawreportError):
    """A single input file cannot be used; the batch goes on without it."""

    error_type = "InputError"


class UnsupportedFileError(InputError):
    error_type = "UnsupportedFile"


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


class DataFileError(UsageError):
    """A packaged or user data file (rules, lexicons) failed validation."""

    error_type = "DataFileError"
