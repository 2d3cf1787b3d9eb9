"""The data dictionary: what every table and column means (``data/tables/dictionary.toml``).

Types come from the table schemas (:mod:`lawreport.tables.schemas`), meanings from the data
file, and the standard-indicator columns of ``indicators_wide`` from the rule packs that made
the dataset, so a user pack's indicators are described too. It feeds ``datapackage.json``,
``lawreport schema``, the Stata variable labels, the xlsx ``columns`` sheet and the SQLite
column comments.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from lawreport.datafiles import data_text
from lawreport.errors import DataFileError
from lawreport.kinds import Kind, load_kinds
from lawreport.schema import ListOf, Number, Spec, Table, Text, parse_toml, validate
from lawreport.tables.schemas import TARGET_SUFFIX, TableSpec

if TYPE_CHECKING:
    from lawreport.indicators.rulepack import IndicatorRule

DICTIONARY_FILE = "tables/dictionary.toml"
MAX_TITLE = 80  # Stata's limit for a variable label

_NAME = Text(pattern=r"[a-z][a-z0-9_]{0,63}", explain="a lower_snake_case name")


class _Flag(Spec):
    description = "true or false"

    def check(self, where: str, value: Any, depth: int) -> Any:
        if not isinstance(value, bool):
            raise DataFileError(f"{where}: expected true or false, got {value!r}")
        return value


_COLUMN = Table(
    required={"title": Text(max_length=MAX_TITLE), "description": Text()},
    optional={"unit": Text(), "codes": _NAME, "pattern": Text(), "minimum": Number(), "required": _Flag()},
)
_TABLE = Table(
    required={"title": Text(max_length=MAX_TITLE), "description": Text(), "primary_key": ListOf(_NAME)},
    optional={"columns": Table(key=_NAME, values=_COLUMN)},
)
_FILE = Table(
    required={
        "codes": Table(key=_NAME, values=Table(key=Text(), values=Text())),
        "table": Table(key=_NAME, values=_TABLE),
    }
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless: string, integer, number, boolean, date
    title: str
    description: str
    unit: str = ""
    codes: tuple[tuple[str, str], ...] = ()  # (value, meaning) of a closed code list
    codes_name: str = ""
    pattern: str = ""
    minimum: float | None = None
    required: bool = False


@dataclass(frozen=True)
class TableDoc:
    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def frictionless_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_date(arrow_type):
        return "date"
    return "string"


@functools.cache
def dictionary() -> dict[str, Any]:
    """The dictionary file, validated (unknown keys, titles over 80 characters, code lists
    that do not exist and columns without a title are errors)."""
    data = validate(DICTIONARY_FILE, parse_toml(DICTIONARY_FILE, data_text(*DICTIONARY_FILE.split("/"))), _FILE)
    for table, entry in data["table"].items():
        for name, column in entry.get("columns", {}).items():
            if "codes" in column and column["codes"] not in data["codes"]:
                raise DataFileError(
                    f"{DICTIONARY_FILE} [table.{table}.columns.{name}]: no code list {column['codes']!r}"
                )
    return data


DYNAMIC_CODES = ("kind", "label")  # code lists made from the report kinds of a run


def code_list(name: str, kinds: Sequence[Kind] = ()) -> tuple[tuple[str, str], ...]:
    """The (value, meaning) pairs of a code list; ``kind`` and ``label`` from ``kinds``."""
    fixed = dictionary()["codes"][name]
    if name == "kind":
        return tuple((kind.name, f"{kind.name_zh}: {kind.description}") for kind in kinds)
    if name == "label":
        pairs: dict[str, str] = {}
        for kind in kinds:
            for label in kind.labels:
                pairs.setdefault(label, fixed.get(label) or f"a part of the {kind.name} kind ({kind.name_zh})")
        return tuple(pairs.items())
    return tuple(fixed.items())


def describe(
    spec: TableSpec, indicators: Iterable[IndicatorRule] = (), kinds: Sequence[Kind] | None = None
) -> TableDoc:
    """The documentation of one table, columns in the order of ``spec``. A column the
    dictionary does not know (a new one) is described as undocumented rather than failing a
    run; the tests require every column to be documented. ``kinds`` (default: the built-in
    ones) give the codes of the kind and label columns."""
    kinds = load_kinds() if kinds is None else kinds
    entry = dictionary()["table"].get(spec.name, {})
    documented = entry.get("columns", {})
    rules = {rule.id: rule for rule in indicators}
    columns = []
    for field in spec.schema:
        kind = frictionless_type(field.type)
        if field.name in documented:
            columns.append(_column(field.name, kind, documented[field.name], kinds))
        elif field.name in rules:
            columns.append(_indicator_column(rules[field.name], kind))
        elif field.name.endswith(TARGET_SUFFIX) and field.name[: -len(TARGET_SUFFIX)] in rules:
            columns.append(_indicator_column(rules[field.name[: -len(TARGET_SUFFIX)]], kind, target=True))
        else:
            columns.append(Column(field.name, kind, field.name, "(not documented yet)"))
    return TableDoc(
        spec.name,
        entry.get("title", spec.name),
        entry.get("description", ""),
        tuple(entry.get("primary_key", ())),
        tuple(columns),
    )


def describe_all(
    specs: Sequence[TableSpec], indicators: Iterable[IndicatorRule] = (), kinds: Sequence[Kind] | None = None
) -> list[TableDoc]:
    rules = tuple(indicators)
    kinds = load_kinds() if kinds is None else kinds
    return [describe(spec, rules, kinds) for spec in specs]


def _column(name: str, kind: str, entry: dict[str, Any], kinds: Sequence[Kind]) -> Column:
    codes_name = entry.get("codes", "")
    return Column(
        name,
        kind,
        entry["title"],
        entry["description"],
        unit=entry.get("unit", ""),
        codes=code_list(codes_name, kinds) if codes_name else (),
        codes_name=codes_name,
        pattern=entry.get("pattern", ""),
        minimum=entry.get("minimum"),
        required=entry.get("required", False),
    )


def _indicator_column(rule: IndicatorRule, kind: str, *, target: bool = False) -> Column:
    units = sorted(rule.units)
    unit = rule.wide_unit or "/".join(units)
    name = f"{rule.name} 目标" if target else rule.name
    title = f"{name} ({unit})" if unit else name
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1] + "…"
    which = "target (planned) value" if target else "achieved (not target) value"
    return Column(
        rule.id + TARGET_SUFFIX if target else rule.id,
        kind,
        title,
        f"Standard indicator {rule.id} ({rule.name}): its first {which} in the report, in text"
        f" order (an average over years, 年均, never); units counted: {rule.wide_unit or ', '.join(units) or 'any'}. Empty when the"
        " report does not give it.",
        unit=unit,
    )
