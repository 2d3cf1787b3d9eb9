"""Which region a report is about, from the places its text names.

Zones are weighted: a zone of weight 2 or more (title, agency, sign-off, the page's metadata
lines) is *strong*: a place named there is the issuer's. In the body a place counts when it is
named twice, or once when nothing at its level contradicts it (a short city name alone also
needs its province named). The level the report speaks from (我市, 全省: see
:func:`lawreport.metadata.bodies.self_reference_level`) caps what the body can fill: in a city's
report a county-level city named in the body gives its city and province, not itself.
Townships (乡镇街道) count in strong zones, or in the body of a report that speaks as a town;
a township name unique in the country fills its county, city and province.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lawreport.metadata.gazetteer import LEVELS, Division, Region, gazetteer, place_names, towns

STRONG = 2.0


def resolve_region(zones: Sequence[tuple[str, float]], *, level: str | None = None) -> Region:
    """The issuing body's region from weighted text zones; ``level`` is the level the report
    speaks from, if known."""
    g = gazetteer()
    scores: Counter[str] = Counter()
    strong: set[str] = set()
    mentions: Counter[str] = Counter()
    short_only: set[str] = set()
    full_named: set[str] = set()
    via_town: set[str] = set()
    for text, weight in zones:
        for mention in g.mentions(text):
            for division in mention.options:
                scores[division.adcode] += weight / len(mention.options)
                mentions[division.adcode] += 1
                if weight >= STRONG:
                    strong.add(division.adcode)
                if mention.short:
                    short_only.add(division.adcode)
                else:
                    full_named.add(division.adcode)
        if weight >= STRONG or level == "town":
            for county in _unique_town_counties(text, body=weight < STRONG):
                scores[county.adcode] += weight
                mentions[county.adcode] += 2
                strong.add(county.adcode)
                via_town.add(county.adcode)
    short_only -= full_named

    def accepted(code: str) -> bool:
        if code in strong or mentions[code] >= 2:
            return True
        division = g.by_code[code]
        if code in short_only and division.level == "city":
            province = g.province_of(division)
            if province is None or province.adcode not in scores:
                return False  # 广州 alone, once: too weak
        # Named once: counts when no other place of its level is named.
        rivals = [c for c in scores if c != code and g.by_code[c].level == division.level]
        return not any(g.by_code[c].name != division.name for c in rivals)

    candidates = [code for code in scores if accepted(code)]
    strong_levels = [LEVELS.index(g.by_code[code].level) for code in candidates if code in strong]
    if strong_levels:
        # The title or the agency names the issuer's level (深圳市人民政府): a district the body
        # names is not the issuer's.
        deepest = max(strong_levels)
        candidates = [c for c in candidates if c in strong or LEVELS.index(g.by_code[c].level) <= deepest]
    if not candidates:
        return Region()

    def rival_top(code: str) -> float:
        """The best score of a place that is not ``code``'s city or province: a district named
        twice in a report that names its city ten times (深圳 … 龙岗区) still counts."""
        above = {d.adcode for d in g.ancestors(g.by_code[code])}
        return max(scores[c] for c in candidates if c not in above)

    def support(code: str) -> float:
        parents = {p.adcode for p in g.ancestors(g.by_code[code])}
        return sum(scores[p] for p in parents)

    for rank in ("county", "city", "province"):
        serious = [
            c for c in candidates if g.by_code[c].level == rank and (c in strong or scores[c] >= 0.5 * rival_top(c))
        ]
        if not serious:
            continue
        ranked = sorted(serious, key=lambda c: (scores[c] + 0.5 * support(c), c), reverse=True)
        best = ranked[0]
        rivals = [c for c in ranked[1:] if g.by_code[c].name == g.by_code[best].name]
        if rivals and support(rivals[0]) == support(best):
            # Same name in two places and nothing in the text tells them apart.
            name = g.by_code[best].name
            cue = "ambiguous_name"
            return Region(county=name, cue=cue) if rank == "county" else Region(city=name, cue=cue)
        division = g.by_code[best]
        cue = _cue(best, strong, mentions, via_town)
        if level in LEVELS and best not in strong and LEVELS.index(division.level) > LEVELS.index(level):
            # Named below the level the report speaks from: its ancestors, not itself.
            above = [d for d in g.ancestors(division) if LEVELS.index(d.level) <= LEVELS.index(level)]
            above.sort(key=lambda d: LEVELS.index(d.level), reverse=True)
            if not above:
                return Region()
            return g.region(above[0], "parent_of_named")
        return g.region(division, cue)
    return Region()


def document_number_region(text: str) -> Region | None:
    """The province whose abbreviation opens the document numbers the text cites (苏依法办〔2019〕5号
    -> 江苏省), when they all agree: a weak cue, for a text that names no place."""
    prefixes = place_names().document_number_prefixes
    found = {prefixes[m.group(1)] for m in place_names().document_number.finditer(text) if m.group(1) in prefixes}
    if len(found) != 1:
        return None
    divisions = gazetteer().lookup(found.pop())
    return gazetteer().region(divisions[0], "document_number") if divisions else None


def _cue(code: str, strong: set[str], mentions: Counter[str], via_town: set[str]) -> str:
    if code in via_town:
        return "unique_town"
    if code in strong:
        return "strong_zone"
    return "named_repeatedly" if mentions[code] >= 2 else "named_once"


def _unique_town_counties(text: str, *, body: bool) -> list[Division]:
    """The counties of township names in ``text`` borne by one township in China."""
    if place_names().town_end.search(text) is None:  # no 镇/乡/街道/苏木: the towns table is not read
        return []
    g = gazetteer()
    exclude = place_names().town_body_exclude_ends
    found: list[Division] = []
    for name, codes, _ in towns().find(text):
        if len(codes) != 1 or len(name) < 3:
            continue
        if body and name.endswith(exclude):
            continue
        county = g.by_code.get(codes[0][:6]) or g.by_code.get(codes[0][:4] + "00")
        if county is not None and county not in found:
            found.append(county)
    return found
