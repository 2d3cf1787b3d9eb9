"""A small declarative schema for the TOML data files users write (rule packs).

Each file has one schema: the tables it may hold, the type of every value, the names a key
may take and how deep values may nest. :func:`validate` checks a parsed file against it and
raises :class:`DataFileError` naming the file, the entry and the problem, so that nothing a
pack holds can fail later, in the middle of a run. Unknown keys are errors (typos).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

from lawreport.errors import DataFileError

MAX_DEPTH = 8  # no schema here nests deeper; anything deeper is refused before it is walked


class Spec:
    """One expected value."""

    description = "a value"

    def check(self, where: str, value: Any, depth: int) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Spec):
    """A string; ``pattern`` restricts it (names), ``non_empty`` refuses ''."""

    pattern: str | None = None
    explain: str = ""
    non_empty: bool = True
    max_length: int = 10_000

    @property
    def description(self) -> str:  # type: ignore[override]
        return self.explain or "a string"

    def check(self, where: str, value: Any, depth: int) -> Any:
        if not isinstance(value, str):
            raise DataFileError(f"{where}: expected {self.description}, got {_kind(value)}")
        if self.non_empty and not value:
            raise DataFileError(f"{where}: must not be empty")
        if len(value) > self.max_length:
            raise DataFileError(f"{where}: longer than {self.max_length} characters")
        if self.pattern is not None and not regex.fullmatch(self.pattern, value):
            raise DataFileError(f"{where}: {value!r} is not {self.description}")
        return value


@dataclass(frozen=True)
class Number(Spec):
    description = "a number"

    def check(self, where: str, value: Any, depth: int) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise DataFileError(f"{where}: expected a number, got {_kind(value)}")
        return value


@dataclass(frozen=True)
class OneOf(Spec):
    choices: tuple[str, ...]
    what: str = "value"

    @property
    def description(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def check(self, where: str, value: Any, depth: int) -> Any:
        if not isinstance(value, str) or value not in self.choices:
            raise DataFileError(f"{where}: unknown {self.what} {value!r}; use {self.description}")
        return value


@dataclass(frozen=True)
class Either(Spec):
    """The first of ``options`` whose kind matches (e.g. a string or a table)."""

    options: tuple[Spec, ...]
    kinds: tuple[type, ...]

    @property
    def description(self) -> str:  # type: ignore[override]
        return " or ".join(option.description for option in self.options)

    def check(self, where: str, value: Any, depth: int) -> Any:
        for option, kind in zip(self.options, self.kinds, strict=True):
            if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
                return option.check(where, value, depth)
        raise DataFileError(f"{where}: expected {self.description}, got {_kind(value)}")


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    max_items: int = 100_000

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"a list of {_plural(self.item.description)}"

    def check(self, where: str, value: Any, depth: int) -> Any:
        _deeper(where, depth)
        if not isinstance(value, list):
            raise DataFileError(f"{where}: expected {self.description}, got {_kind(value)}")
        if len(value) > self.max_items:
            raise DataFileError(f"{where}: more than {self.max_items} items")
        return [self.item.check(f"{where} #{number}", item, depth + 1) for number, item in enumerate(value, 1)]


@dataclass(frozen=True)
class Table(Spec):
    """A table with known keys (``required`` / ``optional``), or any keys matching ``key``
    whose values are ``values`` (a map such as words -> qualifier)."""

    required: Mapping[str, Spec] = field(default_factory=dict)
    optional: Mapping[str, Spec] = field(default_factory=dict)
    key: Text | None = None
    values: Spec | None = None
    label: Callable[[dict[str, Any]], str] | None = None  # names an entry in messages
    description = "a table"

    def check(self, where: str, value: Any, depth: int) -> Any:
        _deeper(where, depth)
        if not isinstance(value, dict):
            raise DataFileError(f"{where}: expected a table, got {_kind(value)}")
        if self.label is not None:
            where = f"{where} ({self.label(value)})"
        known = {**self.required, **self.optional}
        missing = [name for name in self.required if name not in value]
        if missing:
            raise DataFileError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
        out: dict[str, Any] = {}
        for name, item in value.items():
            spot = f"{where} {name}" if where.endswith("]") or "(" in where else f"{where}.{name}"
            spec = known.get(name)
            if isinstance(spec, ListOf) and isinstance(spec.item, Table):
                spot = f"{where} [[{name}]]"  # TOML's own name for an array of tables
            if name in known:
                out[name] = known[name].check(spot, item, depth + 1)
            elif self.values is not None:
                if self.key is not None:
                    self.key.check(f"{where} key", name, depth + 1)
                out[name] = self.values.check(spot, item, depth + 1)
            else:
                allowed = ", ".join(sorted(known)) or "none"
                raise DataFileError(f"{where}: unknown key(s) {name}; allowed: {allowed}")
        return out


def validate(where: str, data: Any, spec: Spec) -> Any:
    """``data`` checked against ``spec``; raises :class:`DataFileError` naming ``where``."""
    return spec.check(where, data, 0)


def parse_toml(where: str, text: str) -> dict[str, Any]:
    """Parse TOML; malformed or absurdly nested text is a :class:`DataFileError`, never a crash."""
    depth = _bracket_depth(text)
    if depth > MAX_DEPTH * 4:
        raise DataFileError(f"{where}: values nested {depth} deep; a rule pack never nests deeper than {MAX_DEPTH}")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{where}: invalid TOML: {error}") from error
    except RecursionError as error:  # pragma: no cover - the depth check comes first
        raise DataFileError(f"{where}: values nested too deeply") from error


_TOML_TOKENS = regex.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    regex.DOTALL,
)


def _bracket_depth(text: str) -> int:
    """How deeply arrays and inline tables nest, outside strings and comments (linear)."""
    depth = deepest = 0
    for token in _TOML_TOKENS.finditer(text):
        char = token.group()
        if char in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif char in ("]", "}"):
            depth = max(0, depth - 1)
    return deepest


def _deeper(where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise DataFileError(f"{where}: nested deeper than {MAX_DEPTH} levels")


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _plural(description: str) -> str:
    for article in ("a ", "an "):
        if description.startswith(article):
            return description[len(article) :] + "s"
    return description
