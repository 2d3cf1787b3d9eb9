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
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import regex

from lawreport.errors import DataFileError
from lawreport.resources import check_keys

QUALIFIERS = ("exact", "approx", "over", "at_least", "at_most", "under")
QUALIFIER_POSITIONS = ("prefix", "middle", "suffix")
PACK_FILES = ("pack.toml", "grammar.toml", "units.toml", "reject.toml", "indicators.toml")
BUILTIN_PACKS = ("core", "fazhi")
REQUIRED_GROUPS = {"Quantity": {"num", "unit"}, "BareMultiplier": {"mult", "unit"}}
# {Name} references another fragment; \p{Han}, \P{L} and \N{...} are regex syntax, not references.
_REFERENCE = regex.compile(r"(?<!\\[pPN])\{([A-Z][A-Za-z0-9_]*)\}")
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


def _str_list(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DataFileError(f"{where}: expected a list of strings")
    return tuple(value)


def _check_regex(where: str, pattern: Any) -> str:
    if not isinstance(pattern, str) or not pattern:
        raise DataFileError(f"{where}: pattern must be a non-empty string")
    try:
        regex.compile(_REFERENCE.sub("x", pattern))
    except regex.error as error:
        raise DataFileError(f"{where}: bad regular expression: {error}") from error
    return pattern


def _examples(where: str, raw: Any) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        raise DataFileError(f"{where}: examples must be a list")
    examples = []
    for number, item in enumerate(raw, 1):
        spot = f"{where} example #{number}"
        if isinstance(item, str):
            examples.append(Example(item))
            continue
        check_keys(spot, item, {"text"}, {"value", "unit", "values"})
        values = item.get("values", [])
        if not isinstance(values, list) or not all(isinstance(v, int | float) for v in values):
            raise DataFileError(f"{spot}: values must be a list of numbers")
        value = item.get("value")
        if value is not None and not isinstance(value, int | float):
            raise DataFileError(f"{spot}: value must be a number")
        examples.append(Example(item["text"], value, item.get("unit"), tuple(float(v) for v in values)))
    return tuple(examples)


def _read_toml(folder: Traversable, name: str, where: str) -> dict[str, Any] | None:
    entry = folder.joinpath(name)
    if not entry.is_file():
        return None
    try:
        return tomllib.loads(entry.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{where}/{name}: invalid TOML: {error}") from error
    except UnicodeDecodeError as error:
        raise DataFileError(f"{where}/{name}: not UTF-8 text") from error


def load_pack(folder: Traversable | Path | str) -> RulePack:
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
    check_keys(f"{where}/pack.toml", meta, {"pack"})
    check_keys(f"{where}/pack.toml [pack]", meta["pack"], {"name", "version"}, {"description"})
    pack: dict[str, Any] = {
        "name": str(meta["pack"]["name"]),
        "version": str(meta["pack"]["version"]),
        "description": str(meta["pack"].get("description", "")),
        "location": where,
        "digest": digest.hexdigest()[:16],
    }
    grammar = _read_toml(folder, "grammar.toml", where)
    if grammar is not None:
        pack.update(_grammar(f"{where}/grammar.toml", grammar))
    units = _read_toml(folder, "units.toml", where)
    if units is not None:
        pack["units"] = _units(f"{where}/units.toml", units)
    rejects = _read_toml(folder, "reject.toml", where)
    if rejects is not None:
        pack["rejects"], pack["idioms"] = _rejects(f"{where}/reject.toml", rejects)
    indicators = _read_toml(folder, "indicators.toml", where)
    if indicators is not None:
        pack["indicators"] = _indicators(f"{where}/indicators.toml", indicators)
    return RulePack(**pack)


def _grammar(where: str, data: dict[str, Any]) -> dict[str, Any]:
    check_keys(where, data, set(), {"fragments", "qualifiers", "chinese_numerals", "targets"})
    out: dict[str, Any] = {}
    fragments = data.get("fragments", {})
    check_keys(f"{where} [fragments]", fragments, set(), set(fragments))
    out["fragments"] = {
        name: _check_regex(f"{where} [fragments] {name}", pattern) for name, pattern in fragments.items()
    }
    qualifiers: dict[str, dict[str, str]] = {}
    raw_qualifiers = data.get("qualifiers", {})
    check_keys(f"{where} [qualifiers]", raw_qualifiers, set(), set(QUALIFIER_POSITIONS))
    for position, words in raw_qualifiers.items():
        for word, qualifier in words.items():
            if qualifier not in QUALIFIERS:
                raise DataFileError(
                    f"{where} [qualifiers.{position}] {word!r}: unknown qualifier {qualifier!r}; use one of {', '.join(QUALIFIERS)}"
                )
        qualifiers[position] = dict(words)
    out["qualifiers"] = qualifiers
    if "chinese_numerals" in data:
        check_keys(f"{where} [chinese_numerals]", data["chinese_numerals"], {"small_units"})
        out["small_units"] = _str_list(
            f"{where} [chinese_numerals] small_units", data["chinese_numerals"]["small_units"]
        )
    if "targets" in data:
        check_keys(f"{where} [targets]", data["targets"], {"cues"})
        cues = _str_list(f"{where} [targets] cues", data["targets"]["cues"])
        out["target_cues"] = tuple(_check_regex(f"{where} [targets] cue {cue!r}", cue) for cue in cues)
    return out


def _units(where: str, data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    check_keys(where, data, set(), {"unit"})
    units: dict[str, tuple[str, str]] = {}
    for number, group in enumerate(data.get("unit", []), 1):
        spot = f"{where} [[unit]] #{number}"
        check_keys(spot, group, {"kind", "forms"})
        for canonical, forms in group["forms"].items():
            for form in _str_list(f"{spot} {canonical}", forms):
                units[form] = (canonical, str(group["kind"]))
    return units


def _rejects(where: str, data: dict[str, Any]) -> tuple[tuple[RejectRule, ...], tuple[str, ...]]:
    check_keys(where, data, set(), {"reject", "idioms"})
    rules = []
    for number, entry in enumerate(data.get("reject", []), 1):
        spot = f"{where} [[reject]] #{number} ({entry.get('name', '?') if isinstance(entry, dict) else '?'})"
        check_keys(spot, entry, {"name", "pattern", "examples"})
        rules.append(
            RejectRule(entry["name"], _check_regex(spot, entry["pattern"]), _examples(spot, entry["examples"]), where)
        )
    idioms: tuple[str, ...] = ()
    if "idioms" in data:
        check_keys(f"{where} [idioms]", data["idioms"], {"words"})
        idioms = _str_list(f"{where} [idioms] words", data["idioms"]["words"])
    return tuple(rules), idioms


def _indicators(where: str, data: dict[str, Any]) -> tuple[IndicatorRule, ...]:
    check_keys(where, data, set(), {"indicator"})
    rules = []
    seen: set[str] = set()
    for number, entry in enumerate(data.get("indicator", []), 1):
        spot = f"{where} [[indicator]] #{number} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
        check_keys(spot, entry, {"id", "name", "context", "units", "examples"}, {"counter_examples"})
        if not regex.fullmatch(r"[a-z][a-z0-9_]*", entry["id"]):
            raise DataFileError(f"{spot}: id must be lower_snake_case")
        if entry["id"] in seen:
            raise DataFileError(f"{spot}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        examples = _examples(spot, entry["examples"])
        if not examples:
            raise DataFileError(f"{spot}: give at least one example")
        rules.append(
            IndicatorRule(
                entry["id"],
                entry["name"],
                _check_regex(spot, entry["context"]),
                frozenset(_str_list(f"{spot} units", entry["units"])),
                examples,
                _str_list(f"{spot} counter_examples", entry.get("counter_examples", [])),
                where,
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

    @property
    def version(self) -> str:
        return "+".join(f"{pack.name}@{pack.version}" for pack in self.packs)

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

    def unit_kind(self, canonical: str) -> str:
        return next((kind for unit, kind in self.units.values() if unit == canonical), "")


# Inline flags and back-references change meaning once patterns are joined into one.
_NOT_JOINABLE = regex.compile(r"\(\?[a-zA-Z]+[:)]|\\[1-9]|\(\?P=|\\g<")


def _alternation(words: Iterable[str]) -> str:
    unique = sorted(set(words), key=lambda word: (-len(word), word))
    return "|".join(regex.escape(word) for word in unique) or "(?!)"


def resolve_fragments(fragments: dict[str, str], name: str, where: str = "rule packs") -> str:
    """Expand ``{Name}`` references recursively; cycles and unknown names are errors."""

    def expand(current: str, stack: tuple[str, ...]) -> str:
        if current not in fragments:
            raise DataFileError(
                f"{where}: fragment {{{current}}} is not defined (used by {' -> '.join(stack) or 'the grammar'})"
            )
        if current in stack:
            raise DataFileError(f"{where}: fragments reference each other in a cycle: {' -> '.join((*stack, current))}")
        return _REFERENCE.sub(lambda m: f"(?:{expand(m.group(1), (*stack, current))})", fragments[current])

    return expand(name, ())


def build_ruleset(packs: Sequence[RulePack], *, timeout: float = DEFAULT_TIMEOUT) -> RuleSet:
    """Merge ``packs`` (later ones win) and compile every pattern once."""
    fragments: dict[str, str] = {}
    qualifiers: dict[str, dict[str, str]] = {position: {} for position in QUALIFIER_POSITIONS}
    units: dict[str, tuple[str, str]] = {}
    small_units: set[str] = set()
    target_cues: list[str] = []
    rejects: list[RejectRule] = []
    idioms: set[str] = set()
    indicators: dict[str, IndicatorRule] = {}
    for pack in packs:
        fragments.update(pack.fragments)
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
            (rule, _compile(rule.source, f"reject {rule.name}", _expand_inline(fragments, rule.pattern, rule.source)))
            for rule in rejects
        ),
        idioms=regex.compile(_alternation(idioms)) if idioms else None,
        qualifiers=qualifiers,
        units=units,
        small_units=frozenset(small_units),
        target=_compile(where, "targets", "|".join(f"(?:{cue})" for cue in target_cues)) if target_cues else None,
        indicators=tuple(
            (rule, _compile(rule.source, f"indicator {rule.id}", _expand_inline(fragments, rule.context, rule.source)))
            for rule in indicators.values()
        ),
        timeout=timeout,
    )


def _expand_inline(fragments: dict[str, str], pattern: str, where: str) -> str:
    if not _REFERENCE.search(pattern):
        return pattern
    return resolve_fragments({**fragments, "__inline__": pattern}, "__inline__", where)


def _compile(where: str, name: str, pattern: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as error:
        raise DataFileError(f"{where}: {name}: bad regular expression: {error}") from error


def builtin_pack_path(name: str) -> Traversable:
    return resources.files("lawreport.data").joinpath("rules").joinpath(name)


@functools.cache
def builtin_packs() -> tuple[RulePack, ...]:
    return tuple(load_pack(builtin_pack_path(name)) for name in BUILTIN_PACKS)


@functools.lru_cache(maxsize=16)
def load_ruleset(extra: tuple[str, ...] = (), timeout: float = DEFAULT_TIMEOUT) -> RuleSet:
    """The built-in packs plus user packs at ``extra`` (folders), merged and compiled."""
    packs = [*builtin_packs(), *(load_pack(Path(path)) for path in extra)]
    return build_ruleset(packs, timeout=timeout)
