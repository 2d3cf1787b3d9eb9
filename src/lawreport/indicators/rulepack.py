"""Rule packs: folders of TOML data that define how quantities are found and named.

A pack holds ``pack.toml`` (name, version) and any of ``grammar.toml`` (named regex
fragments that reference each other as ``{Name}``, qualifier words, small-numeral units,
target cues), ``units.toml`` (measure words with canonical units), ``reject.toml`` (what is
never an indicator, idioms) and ``indicators.toml`` (named standard indicators). Packs are
data, never code: loaded with ``tomllib`` and validated, every error naming the file, the
rule and the problem. Later packs extend and override earlier ones.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import regex

from lawreport.errors import DataFileError
from lawreport.kinds import default_kind
from lawreport.patterns import REFERENCE, expand, resolve_fragments
from lawreport.schema import Either, ListOf, Number, OneOf, Table, Text, parse_toml, validate
from lawreport.zh.fragments import zh_fragments

QUALIFIERS = ("exact", "approx", "over", "at_least", "at_most", "under")
QUALIFIER_POSITIONS = ("prefix", "middle", "suffix")
PACK_FILES = ("pack.toml", "grammar.toml", "units.toml", "reject.toml", "indicators.toml")
CORE_PACK = "core"  # the grammar every report kind runs on; a kind adds its own packs after it
REQUIRED_GROUPS = {"Quantity": {"num", "unit"}, "BareMultiplier": {"mult", "unit"}}
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class Example:
    text: str
    value: float | None = None
    unit: str | None = None
    values: tuple[float, ...] = ()


@dataclass(frozen=True)
class RejectRule:
    name: str
    pattern: str
    examples: tuple[Example, ...]
    source: str


@dataclass(frozen=True)
class IndicatorRule:
    id: str
    name: str
    context: str
    units: frozenset[str]
    examples: tuple[Example, ...]
    counter_examples: tuple[str, ...]
    source: str
    wide_unit: str = ""  # the unit of the wide table's cell; empty: any of ``units``
    measure: str = ""  # level | change (empty: not said)


@dataclass(frozen=True)
class RulePack:
    """One pack as written; see :class:`RuleSet` for the merged, compiled form."""

    name: str
    version: str
    description: str
    location: str
    digest: str
    fragments: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, dict[str, str]] = field(default_factory=dict)
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (canonical, kind)
    small_units: tuple[str, ...] = ()
    target_cues: tuple[str, ...] = ()
    rejects: tuple[RejectRule, ...] = ()
    idioms: tuple[str, ...] = ()
    indicators: tuple[IndicatorRule, ...] = ()
    builtin: bool = False

    @property
    def label(self) -> str:
        """How messages name the pack: its folder, or "built-in pack core"."""
        return f"built-in pack {self.name}" if self.builtin else self.location


# One schema per file: every type, every name, how deep values nest. Nothing a pack holds
# can fail later, in the middle of a run.
_NAME = r"[\w][\w.-]{0,63}"
PACK_NAME = Text(pattern=_NAME, explain="a name of letters, digits, _ . or - (at most 64)")
VERSION = Text(pattern=r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}", explain='a version string such as "1.0.0"')
FRAGMENT_NAME = Text(pattern=r"[A-Z][A-Za-z0-9_]{0,63}", explain="a fragment name in CamelCase (used as {Name})")
RULE_NAME = Text(pattern=_NAME, explain="a rule name of letters, digits, _ . or -")
INDICATOR_ID = Text(pattern=r"[a-z][a-z0-9_]{0,63}", explain="an id in lower_snake_case")
KIND = Text(pattern=r"[a-z][a-z_]{0,31}", explain="a unit kind in lower_snake_case (count, money, ...)")
WORD = Text(max_length=64)
STRINGS = ListOf(Text())
EXAMPLE = Either(
    (Text(), Table(required={"text": Text()}, optional={"value": Number(), "unit": WORD, "values": ListOf(Number())})),
    (str, dict),
)
PACK_SCHEMA = Table(
    required={
        "pack": Table(required={"name": PACK_NAME, "version": VERSION}, optional={"description": Text(non_empty=False)})
    }
)
GRAMMAR_SCHEMA = Table(
    optional={
        "fragments": Table(key=FRAGMENT_NAME, values=Text()),
        "qualifiers": Table(
            optional={
                position: Table(key=WORD, values=OneOf(QUALIFIERS, "qualifier")) for position in QUALIFIER_POSITIONS
            }
        ),
        "chinese_numerals": Table(required={"small_units": ListOf(WORD)}),
        "targets": Table(required={"cues": STRINGS}),
    }
)
UNITS_SCHEMA = Table(
    optional={"unit": ListOf(Table(required={"kind": KIND, "forms": Table(key=WORD, values=ListOf(WORD))}))}
)
REJECT_SCHEMA = Table(
    optional={
        "reject": ListOf(
            Table(
                required={"name": RULE_NAME, "pattern": Text(), "examples": ListOf(EXAMPLE)},
                label=lambda entry: str(entry.get("name", "?"))[:64],
            )
        ),
        "idioms": Table(required={"words": ListOf(WORD)}),
    }
)
INDICATORS_SCHEMA = Table(
    optional={
        "indicator": ListOf(
            Table(
                required={
                    "id": INDICATOR_ID,
                    "name": Text(max_length=200),
                    "context": Text(),
                    "units": ListOf(WORD),
                    "examples": ListOf(EXAMPLE),
                },
                # measure: what the indicator is (a level, or a rate/amount of change); documents
                # the panel and names the wide table's meaning (rows carry their own `change`).
                # wide_unit: the one unit whose values fill the wide table's cell when the units
                # are not interchangeable (元 and 美元, 吨 and 斤): a column of one unit.
                optional={
                    "counter_examples": STRINGS,
                    "measure": OneOf(("level", "change"), "measure"),
                    "wide_unit": WORD,
                },
                label=lambda entry: str(entry.get("id", "?"))[:64],
            )
        )
    }
)
SCHEMAS = {
    "pack.toml": PACK_SCHEMA,
    "grammar.toml": GRAMMAR_SCHEMA,
    "units.toml": UNITS_SCHEMA,
    "reject.toml": REJECT_SCHEMA,
    "indicators.toml": INDICATORS_SCHEMA,
}


def _check_regex(where: str, pattern: str) -> str:
    try:
        regex.compile(REFERENCE.sub("x", pattern))
    except (regex.error, RecursionError, OverflowError, ValueError) as error:
        raise DataFileError(f"{where}: bad regular expression: {error}") from error
    return pattern


def _examples(raw: list[Any]) -> tuple[Example, ...]:
    examples = []
    for item in raw:
        if isinstance(item, str):
            examples.append(Example(item))
        else:
            values = tuple(float(v) for v in item.get("values", []))
            value = item.get("value")
            examples.append(Example(item["text"], None if value is None else float(value), item.get("unit"), values))
    return tuple(examples)


def _read_toml(folder: Traversable, name: str, where: str) -> dict[str, Any] | None:
    """One pack file, parsed and checked against its schema (None when the pack has none)."""
    entry = folder.joinpath(name)
    if not entry.is_file():
        return None
    spot = f"{where}/{name}"
    try:
        text = entry.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(f"{spot}: not UTF-8 text") from error
    return validate(spot, parse_toml(spot, text), SCHEMAS[name])


def load_pack(folder: Traversable | Path | str, *, builtin: bool = False) -> RulePack:
    """Read and validate one pack folder. Raises :class:`DataFileError` naming file and rule."""
    folder = Path(folder) if isinstance(folder, str) else folder
    where = str(folder)
    if not folder.is_dir():
        raise DataFileError(f"rule pack {where}: not a folder", hint="Create one with `lawreport rules new PATH`.")
    digest = hashlib.sha256()
    for name in PACK_FILES:
        entry = folder.joinpath(name)
        if entry.is_file():
            digest.update(name.encode() + b"\0" + entry.read_bytes() + b"\0")
    meta = _read_toml(folder, "pack.toml", where)
    if meta is None:
        raise DataFileError(
            f"rule pack {where}: pack.toml is missing", hint="Every pack needs [pack] name and version."
        )
    pack: dict[str, Any] = {
        "name": meta["pack"]["name"],
        "version": meta["pack"]["version"],
        "description": meta["pack"].get("description", ""),
        "location": where,
        "digest": digest.hexdigest()[:16],
        "builtin": builtin,
    }
    grammar = _read_toml(folder, "grammar.toml", where)
    if grammar is not None:
        pack.update(_grammar(f"{where}/grammar.toml", grammar))
    units = _read_toml(folder, "units.toml", where)
    if units is not None:
        pack["units"] = _units(units)
    rejects = _read_toml(folder, "reject.toml", where)
    if rejects is not None:
        pack["rejects"], pack["idioms"] = _rejects(f"{where}/reject.toml", rejects)
    indicators = _read_toml(folder, "indicators.toml", where)
    if indicators is not None:
        pack["indicators"] = _indicators(f"{where}/indicators.toml", indicators)
    return RulePack(**pack)


def generated_fragment_names() -> frozenset[str]:
    """Fragments built from other tables, which a pack cannot define."""
    return frozenset({"Unit", "QualPrefix", "QualMiddle", "QualSuffix", *zh_fragments()})


def _grammar(where: str, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fragments = data.get("fragments", {})
    reserved = sorted(set(fragments) & generated_fragment_names())
    if reserved:
        raise DataFileError(
            f"{where} [fragments]: {', '.join(reserved)} cannot be defined here: generated from "
            "units.toml, the [qualifiers] tables and lawreport's numerals and punctuation tables"
        )
    out["fragments"] = {
        name: _check_regex(f"{where} [fragments] {name}", pattern) for name, pattern in fragments.items()
    }
    out["qualifiers"] = {position: dict(words) for position, words in data.get("qualifiers", {}).items()}
    if "chinese_numerals" in data:
        out["small_units"] = tuple(data["chinese_numerals"]["small_units"])
    if "targets" in data:
        cues = data["targets"]["cues"]
        out["target_cues"] = tuple(_check_regex(f"{where} [targets] cue {cue!r}", cue) for cue in cues)
    return out


def _units(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    units: dict[str, tuple[str, str]] = {}
    for group in data.get("unit", []):
        for canonical, forms in group["forms"].items():
            for form in forms:
                units[form] = (canonical, group["kind"])
    return units


def _rejects(where: str, data: dict[str, Any]) -> tuple[tuple[RejectRule, ...], tuple[str, ...]]:
    rules = []
    for number, entry in enumerate(data.get("reject", []), 1):
        spot = f"{where} [[reject]] #{number} ({entry['name']})"
        rules.append(
            RejectRule(entry["name"], _check_regex(spot, entry["pattern"]), _examples(entry["examples"]), where)
        )
    idioms: tuple[str, ...] = tuple(data["idioms"]["words"]) if "idioms" in data else ()
    return tuple(rules), idioms


def _indicators(where: str, data: dict[str, Any]) -> tuple[IndicatorRule, ...]:
    rules = []
    seen: set[str] = set()
    for number, entry in enumerate(data.get("indicator", []), 1):
        spot = f"{where} [[indicator]] #{number} ({entry['id']})"
        if entry["id"] in seen:
            raise DataFileError(f"{spot}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        examples = _examples(entry["examples"])
        if not examples:
            raise DataFileError(f"{spot}: give at least one example")
        if entry.get("wide_unit", entry["units"][0] if entry["units"] else "") not in entry["units"]:
            raise DataFileError(f"{spot}: wide_unit {entry['wide_unit']!r} is not one of its units")
        rules.append(
            IndicatorRule(
                entry["id"],
                entry["name"],
                _check_regex(spot, entry["context"]),
                frozenset(entry["units"]),
                examples,
                tuple(entry.get("counter_examples", [])),
                where,
                entry.get("wide_unit", ""),
                entry.get("measure", ""),
            )
        )
    return tuple(rules)


@dataclass(frozen=True)
class RuleSet:
    """Packs merged in order and compiled once: what the extractor runs."""

    packs: tuple[RulePack, ...]
    quantity: regex.Pattern[str]
    bare: regex.Pattern[str]
    rejects: tuple[tuple[RejectRule, regex.Pattern[str]], ...]
    idioms: regex.Pattern[str] | None
    qualifiers: dict[str, dict[str, str]]
    units: dict[str, tuple[str, str]]
    small_units: frozenset[str]
    target: regex.Pattern[str] | None
    indicators: tuple[tuple[IndicatorRule, regex.Pattern[str]], ...]
    timeout: float = DEFAULT_TIMEOUT
    grammar_hint: str = ""  # what to do when the master patterns time out, naming the right file
    target_sources: tuple[str, ...] = ()
    idiom_sources: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        return "+".join(f"{pack.name}@{pack.version}" for pack in self.packs)

    @property
    def indicator_ids(self) -> list[str]:
        """The standard indicators' ids, in rule order (the columns of ``indicators_wide``)."""
        return [rule.id for rule, _ in self.indicators]

    @property
    def digest(self) -> str:
        return hashlib.sha256("".join(pack.digest for pack in self.packs).encode()).hexdigest()[:16]

    def indicators_for_unit(self, unit: str) -> tuple[tuple[IndicatorRule, regex.Pattern[str]], ...]:
        """The indicator rules that accept ``unit``, in rule order (cached per unit)."""
        cache = self.__dict__.setdefault("_by_unit", {})
        if unit not in cache:
            cache[unit] = tuple(entry for entry in self.indicators if unit in entry[0].units)
        return cache[unit]

    def any_indicator_for_unit(self, unit: str) -> regex.Pattern[str] | None:
        """One alternation of every context pattern that accepts ``unit``: it matches a text
        exactly when one of them does, so one search rules out most quantities at once.
        None when there are no such rules or the patterns cannot be joined (inline flags)."""
        cache = self.__dict__.setdefault("_any_by_unit", {})
        if unit not in cache:
            patterns = [pattern.pattern for _, pattern in self.indicators_for_unit(unit)]
            joined = None
            if patterns and not any(_NOT_JOINABLE.search(p) for p in patterns):
                try:
                    joined = regex.compile("|".join(f"(?:{p})" for p in patterns))
                except regex.error:
                    joined = None
            cache[unit] = joined
        return cache[unit]


# Inline flags and back-references change meaning once patterns are joined into one.
_NOT_JOINABLE = regex.compile(r"\(\?[a-zA-Z]+[:)]|\\[1-9]|\(\?P=|\\g<")


def _alternation(words: Iterable[str]) -> str:
    unique = sorted(set(words), key=lambda word: (-len(word), word))
    return "|".join(regex.escape(word) for word in unique) or "(?!)"


def build_ruleset(packs: Sequence[RulePack], *, timeout: float = DEFAULT_TIMEOUT) -> RuleSet:
    """Merge ``packs`` (later ones win) and compile every pattern once."""
    fragments: dict[str, str] = {}
    fragment_pack: dict[str, RulePack] = {}
    qualifiers: dict[str, dict[str, str]] = {position: {} for position in QUALIFIER_POSITIONS}
    units: dict[str, tuple[str, str]] = {}
    small_units: set[str] = set()
    target_cues: list[str] = []
    rejects: list[RejectRule] = []
    idioms: set[str] = set()
    indicators: dict[str, IndicatorRule] = {}
    for pack in packs:
        fragments.update(pack.fragments)
        fragment_pack.update(dict.fromkeys(pack.fragments, pack))
        for position, words in pack.qualifiers.items():
            qualifiers[position].update(words)
        units.update(pack.units)
        small_units.update(pack.small_units)
        target_cues.extend(pack.target_cues)
        rejects.extend(pack.rejects)
        idioms.update(pack.idioms)
        for rule in pack.indicators:
            indicators.pop(rule.id, None)
            indicators[rule.id] = rule
    fragments.update(zh_fragments())
    fragments["Unit"] = _alternation(units)
    fragments["QualPrefix"] = _alternation(qualifiers["prefix"])
    fragments["QualMiddle"] = _alternation(qualifiers["middle"])
    fragments["QualSuffix"] = _alternation(qualifiers["suffix"])
    where = " + ".join(pack.location for pack in packs)
    compiled: dict[str, regex.Pattern[str]] = {}
    for name, groups in REQUIRED_GROUPS.items():
        pattern = _compile(where, name, resolve_fragments(fragments, name, where))
        missing = groups - set(pattern.groupindex)
        if missing:
            raise DataFileError(f"{where}: fragment {name} must define group(s) {', '.join(sorted(missing))}")
        compiled[name] = pattern
    return RuleSet(
        packs=tuple(packs),
        quantity=compiled["Quantity"],
        bare=compiled["BareMultiplier"],
        rejects=tuple(
            (rule, _compile(rule.source, f"reject {rule.name}", expand(rule.pattern, fragments, rule.source)))
            for rule in rejects
        ),
        idioms=regex.compile(_alternation(idioms)) if idioms else None,
        qualifiers=qualifiers,
        units=units,
        small_units=frozenset(small_units),
        target=_compile(where, "targets", "|".join(f"(?:{cue})" for cue in target_cues)) if target_cues else None,
        indicators=tuple(
            (rule, _compile(rule.source, f"indicator {rule.id}", expand(rule.context, fragments, rule.source)))
            for rule in indicators.values()
        ),
        timeout=timeout,
        grammar_hint=_grammar_hint(fragments, fragment_pack),
        target_sources=tuple(f"{pack.label}/grammar.toml" for pack in packs if pack.target_cues),
        idiom_sources=tuple(f"{pack.label}/reject.toml" for pack in packs if pack.idioms),
    )


def _grammar_hint(fragments: dict[str, str], fragment_pack: dict[str, RulePack]) -> str:
    """Name the grammar.toml files whose fragments the master patterns use; a built-in
    grammar that times out is our bug, not the user's."""
    used: set[str] = set()
    todo = list(REQUIRED_GROUPS)
    while todo:
        name = todo.pop()
        if name in used or name not in fragments:
            continue
        used.add(name)
        todo.extend(REFERENCE.findall(fragments[name]))
    user = sorted(
        {
            f"{fragment_pack[name].location}/grammar.toml"
            for name in used
            if name in fragment_pack and not fragment_pack[name].builtin
        }
    )
    if user:
        return f"A fragment in {', '.join(user)} backtracks catastrophically on this text; simplify it."
    return (
        "The built-in grammar (built-in pack core, grammar.toml) was too slow on this text: "
        "please report it with the file; raising --rule-timeout lets the file through."
    )


def _compile(where: str, name: str, pattern: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as error:
        raise DataFileError(f"{where}: {name}: bad regular expression: {error}") from error


def builtin_pack_path(name: str) -> Traversable:
    return resources.files("lawreport.data").joinpath("rules").joinpath(name)


@functools.cache
def builtin_pack(name: str) -> RulePack:
    """One built-in pack, read once per process (the core pack is in every kind's rule set)."""
    return load_pack(builtin_pack_path(name), builtin=True)


@functools.cache
def builtin_packs(kind_packs: tuple[str, ...] | None = None) -> tuple[RulePack, ...]:
    """The core pack and a report kind's packs (default: the default kind's)."""
    names = (CORE_PACK, *(default_kind().rule_packs if kind_packs is None else kind_packs))
    return tuple(builtin_pack(name) for name in names)


def merged_indicator_rules(packs: Sequence[RulePack]) -> list[IndicatorRule]:
    """The standard indicators of ``build_ruleset(packs)``, in its order, without compiling
    anything (a later pack's rule replaces an earlier one's and moves to the end)."""
    rules: dict[str, IndicatorRule] = {}
    for pack in packs:
        for rule in pack.indicators:
            rules.pop(rule.id, None)
            rules[rule.id] = rule
    return list(rules.values())


@functools.lru_cache(maxsize=16)
def load_ruleset(
    extra: tuple[str, ...] = (), timeout: float = DEFAULT_TIMEOUT, kind_packs: tuple[str, ...] | None = None
) -> RuleSet:
    """The built-in packs (core and ``kind_packs``) plus user packs at ``extra`` (folders),
    merged and compiled."""
    packs = [*builtin_packs(kind_packs), *(load_pack(Path(path)) for path in extra)]
    return build_ruleset(packs, timeout=timeout)
