"""Regular expressions as data: named fragments and pattern tables.

Patterns with domain knowledge live in TOML files under ``data/``, built from named fragments
that reference each other as ``{Name}`` (as in Recognizers-Text), each with examples that
must match and counter-examples that must not; the tests run them all. The fragments of
:mod:`lawreport.zh` (``{ChineseDigit}``, ``{OrdinalNumeral}``, ``{SentenceEnd}``, …) are there
for every file.

A pattern table is a file of arrays of tables, one array per pattern name (an array holds the
alternatives a caller tries in order), plus optional local ``[fragments]``::

    [fragments]
    AgencyEnd = '(?:局|委员会|人民政府)'

    [[closing_agency]]
    pattern = '^[^,。:;\\s]{2,40}{AgencyEnd}$'
    examples = ["广州市海珠区司法局", { text = "番禺区政务服务数据管理局", match = "番禺区政务服务数据管理局" }]
    counter_examples = ["办理行政复议案件12件。"]

An example is a string that must match (``search``), or a table with ``text`` and the
expected text of the whole match (``match``) or of named groups (``groups``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

from lawreport.errors import DataFileError
from lawreport.schema import Either, ListOf, Table, Text, parse_toml, validate

# {Name} references another fragment; \p{Han}, \P{L} and \N{...} are regex syntax, not references.
REFERENCE = regex.compile(r"(?<!\\[pPN])\{([A-Z][A-Za-z0-9_]*)\}")

_EXAMPLE = Either(
    (
        Text(),
        Table(required={"text": Text()}, optional={"match": Text(), "groups": Table(key=Text(), values=Text())}),
    ),
    (str, dict),
)
_ENTRY = Table(
    required={"pattern": Text(), "examples": ListOf(_EXAMPLE)},
    optional={"counter_examples": ListOf(Text()), "note": Text()},
)
_NAME = Text(pattern=r"[a-z][a-z0-9_]{0,63}", explain="a pattern name in lower_snake_case")
TABLE_SCHEMA = Table(
    optional={"fragments": Table(key=Text(pattern=r"[A-Z][A-Za-z0-9_]{0,63}"), values=Text())},
    key=_NAME,
    values=ListOf(_ENTRY),
)


def char_class(chars: str) -> str:
    """A regex character class of ``chars``."""
    return "[" + "".join(regex.escape(char) for char in chars) + "]"


def resolve_fragments(fragments: Mapping[str, str], name: str, where: str = "rule packs") -> str:
    """Expand ``{Name}`` references recursively; cycles and unknown names are errors."""

    def expand(current: str, stack: tuple[str, ...]) -> str:
        if current not in fragments:
            raise DataFileError(
                f"{where}: fragment {{{current}}} is not defined (used by {' -> '.join(stack) or 'the grammar'})"
            )
        if current in stack:
            raise DataFileError(f"{where}: fragments reference each other in a cycle: {' -> '.join((*stack, current))}")
        return REFERENCE.sub(lambda m: f"(?:{expand(m.group(1), (*stack, current))})", fragments[current])

    return expand(name, ())


def expand(pattern: str, fragments: Mapping[str, str], where: str) -> str:
    """``pattern`` with its ``{Name}`` references expanded."""
    if not REFERENCE.search(pattern):
        return pattern
    return resolve_fragments({**fragments, "__inline__": pattern}, "__inline__", where)


def compile_pattern(pattern: str, fragments: Mapping[str, str], where: str) -> regex.Pattern[str]:
    try:
        return regex.compile(expand(pattern, fragments, where))
    except regex.error as error:
        raise DataFileError(f"{where}: bad regular expression: {error}") from error


@dataclass(frozen=True)
class Example:
    text: str
    match: str | None = None
    groups: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NamedPattern:
    """One pattern of a table, compiled, with its examples."""

    name: str
    pattern: regex.Pattern[str]
    examples: tuple[Example, ...]
    counter_examples: tuple[str, ...]
    where: str

    def problems(self) -> list[str]:
        """What is wrong with the examples (empty when every one holds)."""
        found = []
        for example in self.examples:
            match = self.pattern.search(example.text)
            if match is None:
                found.append(f"{self.where}: does not match its example {example.text!r}")
                continue
            if example.match is not None and match.group() != example.match:
                found.append(f"{self.where}: matches {match.group()!r} in {example.text!r}, not {example.match!r}")
            for group, expected in example.groups.items():
                if group not in self.pattern.groupindex:
                    found.append(f"{self.where}: has no group {group!r} (example {example.text!r})")
                elif match.group(group) != expected:
                    found.append(
                        f"{self.where}: group {group} is {match.group(group)!r} in {example.text!r}, not {expected!r}"
                    )
        for text in self.counter_examples:
            match = self.pattern.search(text)
            if match is not None:
                found.append(f"{self.where}: matches {match.group()!r} in its counter-example {text!r}")
        return found


@dataclass(frozen=True)
class PatternTable:
    """The patterns of one file, by name; each name holds its alternatives in order."""

    location: str
    patterns: dict[str, tuple[NamedPattern, ...]]

    def __getitem__(self, name: str) -> regex.Pattern[str]:
        """The pattern ``name`` (a name with one entry)."""
        entries = self.patterns[name]
        if len(entries) != 1:
            raise KeyError(f"{self.location}: {name} has {len(entries)} alternatives; use alternatives()")
        return entries[0].pattern

    def alternatives(self, name: str) -> tuple[regex.Pattern[str], ...]:
        return tuple(entry.pattern for entry in self.patterns[name])

    def all(self) -> tuple[NamedPattern, ...]:
        return tuple(entry for entries in self.patterns.values() for entry in entries)


def load_table(where: str, text: str, shared: Mapping[str, str], *, required: tuple[str, ...] = ()) -> PatternTable:
    """Parse and validate a pattern table; ``shared`` fragments (zh's) come before local ones
    and cannot be redefined; ``required`` names must be present."""
    data: dict[str, Any] = validate(where, parse_toml(where, text), TABLE_SCHEMA)
    local = data.pop("fragments", {})
    clash = sorted(set(local) & set(shared))
    if clash:
        raise DataFileError(f"{where} [fragments]: {', '.join(clash)} cannot be redefined here (zh's fragments)")
    fragments = {**shared, **local}
    missing = [name for name in required if name not in data]
    if missing:
        raise DataFileError(f"{where}: missing pattern(s) {', '.join(missing)}")
    patterns: dict[str, tuple[NamedPattern, ...]] = {}
    for name, entries in data.items():
        compiled = []
        for number, entry in enumerate(entries, 1):
            spot = f"{where} [[{name}]]" + (f" #{number}" if len(entries) > 1 else "")
            compiled.append(
                NamedPattern(
                    name,
                    compile_pattern(entry["pattern"], fragments, spot),
                    tuple(_example(item) for item in entry["examples"]),
                    tuple(entry.get("counter_examples", ())),
                    spot,
                )
            )
        patterns[name] = tuple(compiled)
    return PatternTable(where, patterns)


def _example(item: str | dict[str, Any]) -> Example:
    if isinstance(item, str):
        return Example(item)
    return Example(item["text"], item.get("match"), dict(item.get("groups", {})))
