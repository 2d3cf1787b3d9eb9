"""Packaged data files (``lawreport/data/``): read them, parse TOML, refuse unknown keys.

Each stage loads its own files once per process (``functools.cache``) and validates them on
load; :mod:`lawreport.schema` and :mod:`lawreport.patterns` hold the schemas and the pattern
tables."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from lawreport.errors import DataFileError

DATA_PACKAGE = "lawreport.data"


def data_text(*parts: str) -> str:
    """Text of a packaged data file, e.g. ``data_text("zh", "common_hanzi.txt")``."""
    return resources.files(DATA_PACKAGE).joinpath("/".join(parts)).read_text(encoding="utf-8")


def load_toml(*parts: str) -> dict[str, Any]:
    name = "/".join(parts)
    try:
        return tomllib.loads(data_text(*parts))
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{name}: invalid TOML: {error}") from error


def check_keys(where: str, table: Any, required: set[str], optional: set[str] = frozenset()) -> None:
    """Reject a non-table, missing keys and unknown keys (typos), naming the file and entry."""
    if not isinstance(table, dict):
        raise DataFileError(f"{where}: expected a table, got {type(table).__name__}")
    missing = required - table.keys()
    unknown = table.keys() - required - optional
    if missing:
        raise DataFileError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    if unknown:
        raise DataFileError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(required | optional))}"
        )
