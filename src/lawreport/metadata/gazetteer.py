"""China's administrative divisions (GB/T 2260, to county level) and place resolution.

Data: ``data/metadata/gazetteer/divisions.tsv`` (adcode, name), derived from cpca (MIT); see
scripts/build_gazetteer.py, and ``data/metadata/places.toml`` (how names are written). An
adcode's first two digits name the province, the first four the prefecture-level city.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from lawreport.datafiles import data_text, load_toml
from lawreport.errors import DataFileError
from lawreport.patterns import char_class
from lawreport.schema import ListOf, Table, Text, validate

_PLACES = Table(
    required={
        "places": Table(
            required={
                "name_ends": Text(),
                "generic": ListOf(Text()),
                "province_suffixes": ListOf(Text()),
                "municipalities": ListOf(Text(pattern=r"\d\d", explain="a two-digit adcode prefix")),
                "examples": ListOf(Table(required={"text": Text(), "place": ListOf(Text(non_empty=False))})),
            }
        )
    }
)


@dataclass(frozen=True)
class PlaceNames:
    """``data/metadata/places.toml``, validated."""

    name_end: regex.Pattern[str]
    generic: frozenset[str]
    province_suffixes: tuple[str, ...]
    municipalities: frozenset[str]
    examples: tuple[tuple[str, tuple[str, ...]], ...]


@functools.cache
def place_names() -> PlaceNames:
    data = validate("metadata/places.toml", load_toml("metadata", "places.toml"), _PLACES)["places"]
    return PlaceNames(
        regex.compile(char_class(data["name_ends"])),
        frozenset(data["generic"]),
        tuple(data["province_suffixes"]),
        frozenset(data["municipalities"]),
        tuple((example["text"], tuple(example["place"])) for example in data["examples"]),
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


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None


@dataclass(frozen=True)
class Gazetteer:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    anchored_names: frozenset[str]
    province_pattern: regex.Pattern[str]
    short_pattern: regex.Pattern[str]
    max_name_length: int

    def province_of(self, division: Division) -> Division | None:
        return self.by_code.get(division.adcode[:2] + "0000")

    def city_of(self, division: Division) -> Division | None:
        if division.level == "province":
            return None
        if division.adcode[:2] in place_names().municipalities:
            return self.province_of(division)
        return self.by_code.get(division.adcode[:4] + "00")

    def region(self, division: Division) -> Region:
        province = self.province_of(division)
        city = division if division.level == "city" else self.city_of(division)
        county = division if division.level == "county" else None
        return Region(
            province.name if province else None,
            city.name if city else None,
            county.name if county else None,
            division.adcode,
        )

    def mentions(self, text: str) -> list[tuple[Division, ...]]:
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
        found: list[tuple[Division, ...]] = []
        last_end = -1
        for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
            if start >= last_end:
                found.append(self.by_name[text[start:end]])
                last_end = end
        # Two-character counties (和县, 高县, 理县) hide inside ordinary words (区和县, 提高县域):
        # only trusted where a zone starts with them, as in a title or an agency name.
        head = self.short_pattern.match(text)
        if head:
            found.insert(0, self.by_name[head.group()])
        return found

    def resolve(self, zones: Sequence[tuple[str, float]]) -> Region:
        """The issuing body's region from weighted text zones (title and agency weigh most).

        Ambiguous names (南山区 is in 深圳市 and 鹤岗市) are settled by the other places the
        text names: a candidate whose city or province is also mentioned wins.
        """
        scores: Counter[str] = Counter()
        strong: set[str] = set()
        mentions: Counter[str] = Counter()
        for text, weight in zones:
            for options in self.mentions(text):
                for division in options:
                    scores[division.adcode] += weight / len(options)
                    mentions[division.adcode] += 1
                    if weight >= 2:
                        strong.add(division.adcode)
        # A place named once in passing in the body ("指导平度市组建…") is not the issuer's.
        candidates = [code for code in scores if code in strong or mentions[code] >= 2]
        if not candidates:
            return Region()
        top = max(scores[code] for code in candidates)

        def support(code: str) -> float:
            division = self.by_code[code]
            parents = {p.adcode for p in (self.city_of(division), self.province_of(division)) if p}
            return sum(scores[p] for p in parents - {code})

        for level in ("county", "city", "province"):
            serious = [c for c in candidates if self.by_code[c].level == level and scores[c] >= 0.5 * top]
            if not serious:
                continue
            ranked = sorted(serious, key=lambda c: (scores[c] + 0.5 * support(c), c), reverse=True)
            best = ranked[0]
            rivals = [c for c in ranked[1:] if self.by_code[c].name == self.by_code[best].name]
            if rivals and support(rivals[0]) == support(best):
                # Same name in two places and nothing in the text tells them apart.
                name = self.by_code[best].name
                return Region(county=name) if level == "county" else Region(city=name)
            return self.region(self.by_code[best])
        return Region()


def short_province_name(name: str) -> str:
    for suffix in place_names().province_suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


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
    for division in by_code.values():
        by_name.setdefault(division.name, []).append(division)
        if division.level == "province":
            short = short_province_name(division.name)
            if short != division.name:
                by_name.setdefault(short, []).append(division)
    for name in place_names().generic:
        by_name.pop(name, None)
    short = sorted(name for name in by_name if len(name) == 2 and all(d.level == "county" for d in by_name[name]))
    short_names: dict[str, list[Division]] = {}
    for name in short:
        by_name_full = by_name[name]
        del by_name[name]
        short_names[name] = by_name_full
    anchored = frozenset(name for name in by_name if place_names().name_end.fullmatch(name[-1]))
    unanchored = sorted((name for name in by_name if name not in anchored), key=lambda name: (-len(name), name))
    province_pattern = regex.compile("|".join(regex.escape(name) for name in unanchored))
    short_pattern = regex.compile("|".join(regex.escape(name) for name in short))
    merged = {name: tuple(ds) for name, ds in {**by_name, **short_names}.items()}
    return Gazetteer(by_code, merged, anchored, province_pattern, short_pattern, max(len(name) for name in anchored))
