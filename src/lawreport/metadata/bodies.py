"""Issuing bodies as a careful reader files them: the full name with its place, never a bare
place, a system name or a party organ (``data/metadata/agencies.toml``).

:func:`file_agency` turns a name found in a text into the body's filed name, given the region
the report is about; :func:`self_reference_level` reads how a report speaks of itself (我省,
全市, 我镇); :func:`government_of` is the convention a report kind can ask for (the 人民政府 of
a place).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from lawreport.datafiles import load_toml
from lawreport.errors import DataFileError
from lawreport.metadata.gazetteer import LEVELS, Division, Region, gazetteer
from lawreport.schema import ListOf, OneOf, Spec, Table, Text, validate


class _Flag(Spec):
    description = "true or false"

    def check(self, where: str, value: object, depth: int) -> object:
        if not isinstance(value, bool):
            raise DataFileError(f"{where}: expected true or false, got {value!r}")
        return value


_WORDS = ListOf(Text())
_LEVEL = Table(required={"prefixes": _WORDS, "we": _WORDS, "scope": _WORDS, "body": _WORDS})
_PLACE = ListOf(Text(non_empty=False))
_AGENCIES = Table(
    required={
        "levels": Table(required={level: _LEVEL for level in LEVELS}),
        "voice": Table(
            required={
                "body": _WORDS,
                "autonomous_region": _WORDS,
                "examples": ListOf(Table(required={"text": Text(), "level": OneOf(LEVELS, "level"), "body": _Flag()})),
            }
        ),
        "body": ListOf(
            Table(
                required={"name": Text()},
                optional={"variants": _WORDS, "province": Text(), "keep_distinct": _WORDS, "topics": _WORDS},
            )
        ),
        "example": ListOf(Table(required={"text": Text(), "region": _PLACE, "filed": Text(non_empty=False)})),
        "system": ListOf(Table(required={"name": Text(), "body": Text()})),
        "party": Table(required={"prefixes": _WORDS, "suffixes": _WORDS}),
        "national": Table(required={"pattern": Text(), "examples": _WORDS, "counter_examples": _WORDS}),
        "bare_place": Table(
            required={
                "town_pattern": Text(),
                "street_body": Text(),
                "anonymous_pattern": Text(),
                "examples": _WORDS,
                "counter_examples": _WORDS,
                "former_prefix": Text(),
            }
        ),
        "junk": ListOf(
            Table(required={"pattern": Text(), "why": Text(), "examples": _WORDS, "counter_examples": _WORDS})
        ),
    }
)


@dataclass(frozen=True)
class Body:
    name: str
    variants: tuple[str, ...] = ()
    province: str | None = None
    keep_distinct: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agencies:
    levels: dict[str, dict[str, tuple[str, ...]]]
    voice_body: tuple[str, ...]
    autonomous_region: tuple[str, ...]
    voice_examples: tuple[tuple[str, str, bool], ...]
    bodies: tuple[Body, ...]
    examples: tuple[tuple[str, tuple[str, ...], str], ...]
    systems: tuple[tuple[str, str], ...]
    party_prefixes: tuple[str, ...]
    party_suffixes: tuple[str, ...]
    national: regex.Pattern[str]
    national_examples: tuple[tuple[str, ...], tuple[str, ...]]
    town: regex.Pattern[str]
    street_body: str
    anonymous: regex.Pattern[str]
    bare_examples: tuple[tuple[str, ...], tuple[str, ...]]
    former_prefix: str
    junk: tuple[tuple[regex.Pattern[str], str, tuple[str, ...], tuple[str, ...]], ...]


@functools.cache
def agencies() -> Agencies:
    data = validate("metadata/agencies.toml", load_toml("metadata", "agencies.toml"), _AGENCIES)
    levels = {name: {key: tuple(words) for key, words in spec.items()} for name, spec in data["levels"].items()}
    voice = data["voice"]
    bare = data["bare_place"]
    return Agencies(
        levels=levels,
        voice_body=tuple(voice["body"]),
        autonomous_region=tuple(voice["autonomous_region"]),
        voice_examples=tuple((e["text"], e["level"], e["body"]) for e in voice["examples"]),
        bodies=tuple(
            Body(
                b["name"],
                tuple(b.get("variants", ())),
                b.get("province"),
                tuple(b.get("keep_distinct", ())),
                tuple(b.get("topics", ())),
            )
            for b in data["body"]
        ),
        examples=tuple((e["text"], tuple(e["region"]), e["filed"]) for e in data["example"]),
        systems=tuple((s["name"], s["body"]) for s in data["system"]),
        party_prefixes=tuple(data["party"]["prefixes"]),
        party_suffixes=tuple(data["party"]["suffixes"]),
        national=regex.compile(data["national"]["pattern"]),
        national_examples=(tuple(data["national"]["examples"]), tuple(data["national"]["counter_examples"])),
        town=regex.compile(bare["town_pattern"]),
        street_body=bare["street_body"],
        anonymous=regex.compile(bare["anonymous_pattern"]),
        bare_examples=(tuple(bare["examples"]), tuple(bare["counter_examples"])),
        former_prefix=bare["former_prefix"],
        junk=tuple(
            (regex.compile(j["pattern"]), j["why"], tuple(j["examples"]), tuple(j["counter_examples"]))
            for j in data["junk"]
        ),
    )


# -- how a report speaks of itself ------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    """The level a report speaks from (我省 -> province), and whether a department speaks
    (我局) rather than a government."""

    level: str | None
    body: bool
    stated: bool = False  # a `we` or `body` word of the level (我市, 市局), not scope words only


VOICE_MIN = 2  # one 我市, or two 全市


def self_reference_level(text: str) -> Voice:
    data = agencies()
    autonomous = any(word in text for word in data.autonomous_region)
    votes: dict[str, int] = {}
    for level, words in data.levels.items():
        count = 2 * sum(text.count(w) for w in words["we"] + words["body"])
        count += sum(text.count(w) for w in words["scope"])
        if count:
            votes[level] = count
    if autonomous and "county" in votes:
        # 我区 / 全区 of an autonomous region's report speak for the region, not a district.
        moved = sum(text.count(w) for w in ("我区", "全区"))
        votes["county"] -= 2 * moved
        votes["province"] = votes.get("province", 0) + 2 * moved
        if votes["county"] <= 0:
            del votes["county"]
    votes = {name: count for name, count in votes.items() if count >= VOICE_MIN}
    # A report speaks of the levels above it too (a district ranks itself 全市第一, a city 全省),
    # rarely of those below: the lowest level it uses is its own.
    level = max(votes, key=LEVELS.index) if votes else None
    stated = level is not None and any(w in text for w in data.levels[level]["we"] + data.levels[level]["body"])
    if level in ("province", "county") and autonomous and not stated:
        stated = "我区" in text
    return Voice(level, any(word in text for word in data.voice_body), stated)


# -- filing a name ------------------------------------------------------------------------------


def is_national(name: str) -> bool:
    return agencies().national.search(name) is not None


def place_at(region: Region, level: str) -> str | None:
    return {"province": region.province, "city": region.city, "county": region.county}.get(level)


NATIONAL_GOVERNMENT = "国务院"


def government_of(place: str) -> str:
    """The government of a place: 贤庠镇人民政府, 二郎街道办事处, 北京市人民政府."""
    if place.endswith("街道"):
        return place[: -len("街道")] + agencies().street_body
    divisions = gazetteer().lookup(place)
    if len(divisions) == 1 and divisions[0].level == "county" and divisions[0].municipal:
        city = gazetteer().city_of(divisions[0])
        if city is not None:
            return city.name + place + "人民政府"  # 天津市静海区人民政府
    return place + "人民政府"


def _strip_party(name: str) -> str:
    data = agencies()
    stripped = name
    for prefix in data.party_prefixes:
        if stripped.startswith(prefix):
            stripped = stripped[len(prefix) :]
            if stripped.endswith("委员会") and _only_places(stripped[: -len("委员会")]):
                return ""  # 中共某区委员会: a place's party committee is no government body
            break
    for suffix in data.party_suffixes:
        if stripped.endswith(suffix) and len(stripped) > len(suffix):
            body = stripped[: -len(suffix)]
            # A place's own party committee (县委, 镇党委) is no government body.
            if body[-1:] in "局委厅部办院署会府处" and not gazetteer().lookup(body):
                return body
            return ""
    return stripped if stripped != name else name


def _full_variant(name: str) -> str:
    for body in agencies().bodies:
        if any(name.endswith(kept) for kept in body.keep_distinct):
            continue
        for variant in sorted(body.variants, key=len, reverse=True):
            if name.endswith(variant) and not name.endswith(body.name):
                return name[: -len(variant)] + body.name
    return name


def _level_form(body: str, level: str, region: Region) -> str:
    """司法局 of a province is its 司法厅 (not in the four municipalities)."""
    if level != "province" or (region.adcode or "")[:2] in ("11", "12", "31", "50"):
        return body
    for known in agencies().bodies:
        if known.province and body.endswith(known.name):
            return body[: -len(known.name)] + known.province
    return body


def _scope_level(prefix: str) -> str | None:
    for level, words in agencies().levels.items():
        if prefix in words["scope"] or prefix in words["we"] or prefix in words["prefixes"]:
            return level
    return None


def _only_places(text: str) -> bool:
    """广州市天河区: nothing but place names."""
    return bool(text) and ("".join(m.name for m in gazetteer().mentions(text)) == text or _is_place(text))


def _is_place(name: str) -> bool:
    return bool(gazetteer().lookup(name)) or agencies().town.fullmatch(name) is not None


def file_agency(name: str, region: Region) -> str | None:
    """The filed name of the body a text calls ``name``, in the region the report is about;
    None when a reader could not tell (a body without its place, a party committee)."""
    data = agencies()
    name = name.strip()
    if name.startswith(data.former_prefix) and len(name) > 3:
        name = name[len(data.former_prefix) :]
    name = _strip_party(name)
    if not name or "、" in name or "," in name:
        return None  # a party committee, or a list of bodies (区府办、科技创新局): no one issuer
    for system, body in data.systems:
        if name.endswith(system):
            head = name[: -len(system)]
            if not head:
                return None
            level = _scope_level(head)
            if level is not None:
                place = place_at(region, level)
                return place + _level_form(body, level, region) if place else None
            if _is_place(head):
                level = gazetteer().lookup(head)[0].level if gazetteer().lookup(head) else "town"
                return head + _level_form(body, level, region)
            return None
    name = _full_variant(name)
    if data.anonymous.match(name):
        return government_of(name) if _is_place(name) or data.anonymous.fullmatch(name) else name
    if _is_place(name) or data.anonymous.fullmatch(name):
        return government_of(name)
    if is_national(name):
        return name
    for prefix in sorted({p for words in data.levels.values() for p in words["prefixes"]}, key=len, reverse=True):
        if name.startswith(prefix) and not _starts_with_place(name):
            level = _scope_level(prefix)
            place = place_at(region, level) if level else None
            if not place:
                return None
            rest = name[len(prefix) :]
            if rest in ("政府", "人民政府"):
                return government_of(place)
            return place + _level_form(rest, level, region) if level else None
    if not _starts_with_place(name):
        return None  # a body with no place (教育局): a reader could not file it
    return name


def _starts_with_place(name: str) -> bool:
    mentions = gazetteer().mentions(name)
    if mentions and name.startswith(mentions[0].name):
        return True
    return agencies().anonymous.match(name) is not None or _town_prefix(name)


def _town_prefix(name: str) -> bool:
    match = regex.match(r"^\p{Han}{1,8}?(?:镇|乡|苏木|街道)", name)
    return bool(match) and agencies().town.fullmatch(match.group()) is not None


TOPIC_MIN = 3  # topic words needed, and twice as many as the runner-up body's


def body_by_topic(text: str) -> str | None:
    """The body whose work the text is clearly about (生态环境, 水质, PM2.5 -> 生态环境局), or
    None: a weak cue for a department's report (我局) that never names its body."""
    counts = sorted(
        ((sum(text.count(word) for word in body.topics), body.name) for body in agencies().bodies if body.topics),
        reverse=True,
    )
    if not counts or counts[0][0] < TOPIC_MIN or (len(counts) > 1 and counts[0][0] < 2 * counts[1][0]):
        return None
    return counts[0][1]


def file_body_at(body: str, level: str, region: Region) -> str | None:
    """A body of the level a report speaks from, with that level's place (生态环境局 in a city
    report of 绍兴市 -> 绍兴市生态环境局; 司法局 of a province -> 广东省司法厅)."""
    place = place_at(region, level)
    return place + _level_form(body, level, region) if place else None


SHORT_BODY_MIN = 2  # a short county name + body stem counts when written this often


@functools.cache
def _short_counties_and_stems() -> tuple[dict[str, Division], tuple[str, ...]]:
    """Counties by short name (安居 -> 安居区; names borne by one county and no other division),
    and the body stems a short name may precede (综合行政执法; four characters or more: shorter
    ones such as 司法 make phrases, 平安司法)."""
    g = gazetteer()
    shorts: dict[str, list[Division]] = {}
    for division in g.by_code.values():
        if division.level == "county" and division.name[-1] in "区县" and len(division.name) >= 3:
            shorts.setdefault(division.name[:-1], []).append(division)
    unique = {short: found[0] for short, found in shorts.items() if len(found) == 1 and not g.lookup(short)}
    stems = tuple(
        sorted({body.name[:-1] for body in agencies().bodies if body.name.endswith("局") and len(body.name) >= 5})
    )
    return unique, stems


def body_by_short_county(text: str) -> str | None:
    """A department's own name written with its county's short name, as on its media accounts
    (安居综合行政执法微信公众号 -> 安居区综合行政执法局): a weak cue, for a report that never
    names its body."""
    unique, stems = _short_counties_and_stems()
    counts: dict[tuple[str, str], int] = {}
    for stem in stems:
        start = text.find(stem)
        while start != -1:
            for length in (4, 3, 2):
                short = text[max(0, start - length) : start]
                if len(short) == length and short in unique:
                    counts[(short, stem)] = counts.get((short, stem), 0) + 1
                    break
            start = text.find(stem, start + 1)
    found = [key for key, count in counts.items() if count >= SHORT_BODY_MIN]
    if len(found) != 1:
        return None
    short, stem = found[0]
    return unique[short].name + stem + "局"


def system_in_text(text: str) -> str | None:
    """The first system name with its scope or place in ``text`` (全市公安机关, 龙华区司法行政系统),
    as written: :func:`file_agency` files it as its body."""
    data = agencies()
    scopes = sorted({w for words in data.levels.values() for w in words["scope"]}, key=len, reverse=True)
    best: tuple[int, str] | None = None
    for system, _ in data.systems:
        start = text.find(system)
        while start != -1:
            head = text[max(0, start - 12) : start]
            found = next((scope for scope in scopes if head.endswith(scope)), None)
            if found is None:
                mentions = gazetteer().mentions(head)
                if mentions and head.endswith(mentions[-1].name) and not mentions[-1].short:
                    found = mentions[-1].name
            if found is not None and (best is None or start < best[0]):
                best = (start, found + system)
                break
            start = text.find(system, start + 1)
    return best[1] if best else None


def junk_agency(name: str) -> str | None:
    """Why ``name`` does not look like a body's filed name, or None."""
    for pattern, why, _, _ in agencies().junk:
        if pattern.search(name):
            return why
    if _is_place(name):
        return "a bare place, not its government"
    return None
