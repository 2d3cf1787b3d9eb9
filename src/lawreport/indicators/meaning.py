"""What each found number means: level or change, its basis, from->to pairs and 分别 lists.

A step of its own over the indicators the candidate loop found (find, then resolve): it reads
only the text around each number and the cue data of ``data/indicators/meaning.toml``, and
returns new records with ``change``, ``basis``, ``role``/``pair_no`` and ``respectively`` set,
and subjects fixed where the structure of the sentence says what the number counts (the noun
before 从/由 for both ends of a pair, each subject of a 分别 list, the previous quantity's
subject for a clause that has none: "…1017亿元,增长41.6%").
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import regex

from lawreport.datafiles import load_toml
from lawreport.errors import DataFileError
from lawreport.indicators.subjects import find_subject
from lawreport.patterns import char_class
from lawreport.records import Indicator
from lawreport.schema import ListOf, Number, Table, Text, validate
from lawreport.zh.punctuation import punctuation

_WORDS = ListOf(Text(max_length=40))
_SCHEMA = Table(
    required={
        "change": Table(
            required={
                "up": _WORDS,
                "down": _WORDS,
                "to": _WORDS,
                "rate_up": _WORDS,
                "rate_down": _WORDS,
                "not_before": _WORDS,
                "filler": Text(),
                "negative": _WORDS,
                "compare_up": Text(),
                "flow": _WORDS,
                "after_up": Text(),
                "compare_down": Text(),
            }
        ),
        "basis": Table(required={"patterns": ListOf(Text()), "weak": ListOf(Text())}),
        "pairs": Table(
            required={"from_cue": Text(), "between": Text(), "from_estimate": Text(), "subject_filler": Text()}
        ),
        "respectively": Table(
            required={
                "marker": Text(),
                "before_first": Text(),
                "separator": Text(),
                "subject_separator": Text(),
                "shared_heads": _WORDS,
            }
        ),
        "subjects": Table(required={"trailing": Text(), "leading": Text(), "junk": Text()}),
        "parts": Table(required={"marker": Text(), "unit_kinds": _WORDS, "reach": Number(), "tolerance": Number()}),
    },
)


@dataclass(frozen=True)
class MeaningCues:
    """The compiled cues of ``meaning.toml``."""

    change_cue: regex.Pattern[str]  # named groups up / down / to
    directions: dict[str, str]  # cue word -> up | down | to
    rate_noun: regex.Pattern[str]
    rate_direction: dict[str, str]
    filler: regex.Pattern[str]
    negative: tuple[str, ...]
    compare: tuple[tuple[regex.Pattern[str], str], ...]  # (比X高$, up)
    basis: tuple[regex.Pattern[str], ...]
    weak_basis: tuple[regex.Pattern[str], ...]
    from_cue: regex.Pattern[str]
    between: regex.Pattern[str]
    from_estimate: regex.Pattern[str]  # a from-end that is this year's estimate (由今年预计的44%)
    pair_filler: regex.Pattern[str]  # words before 从/由 that name no subject (明年计划)
    marker: regex.Pattern[str]
    before_first: regex.Pattern[str]
    separator: regex.Pattern[str]
    subject_separator: regex.Pattern[str]
    examples: tuple[dict[str, Any], ...]
    flow: frozenset[str]  # up cues that before a count name new things (新增3所)
    after_up: regex.Pattern[str]  # the change word after the number (6%以上的增长)
    trailing: regex.Pattern[str]  # a cue at the end of a subject
    leading: regex.Pattern[str]  # a verb or time word at its start
    junk: regex.Pattern[str]  # what is no subject at all
    shared_head: regex.Pattern[str]  # a measure word that ends a list of subjects
    part_marker: regex.Pattern[str]  # 其中: the quantities after it are parts of the one before
    part_kinds: frozenset[str]  # unit kinds whose values add up (counts, money, measures)
    part_reach: int  # how many characters back from 其中 the whole may end
    part_tolerance: Decimal  # parts may add up to the whole times this (rounded figures)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(regex.escape(word) for word in sorted(set(words), key=lambda word: (-len(word), word)))


def _compile(where: str, pattern: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as error:
        raise DataFileError(f"{where}: invalid regex {pattern!r}: {error}") from error


def _check_examples(where: str, examples: list[dict[str, Any]]) -> None:
    allowed = {"value", "change", "basis", "role", "pair", "subject", "respectively", "part_of"}
    for number, example in enumerate(examples, 1):
        for row in example["rows"]:
            unknown = set(row) - allowed
            if unknown or "value" not in row:
                raise DataFileError(
                    f"{where} [[examples]] #{number}: each row needs `value` and may have {', '.join(sorted(allowed))}"
                )


@functools.cache
def meaning_cues() -> MeaningCues:
    where = "indicators/meaning.toml"
    raw = load_toml("indicators", "meaning.toml")
    examples = raw.pop("examples", [])
    data = validate(where, raw, _SCHEMA)
    if not isinstance(examples, list) or not all(
        isinstance(item, dict) and set(item) == {"text", "rows"} for item in examples
    ):
        raise DataFileError(f"{where}: each [[examples]] needs exactly `text` and `rows`")
    _check_examples(where, examples)
    change = data["change"]
    directions = {word: "up" for word in change["up"]}
    directions.update({word: "down" for word in change["down"]})
    directions.update({word: "to" for word in change["to"]})
    not_before = char_class("".join(change["not_before"]))
    rate_direction = {word: "up" for word in change["rate_up"]}
    rate_direction.update({word: "down" for word in change["rate_down"]})
    pairs, lists = data["pairs"], data["respectively"]
    return MeaningCues(
        change_cue=_compile(where, f"(?:{_alternation(list(directions))})(?!{not_before})"),
        directions=directions,
        rate_noun=_compile(where, _alternation(list(rate_direction))),
        rate_direction=rate_direction,
        filler=_compile(where, f"^(?:{change['filler']})*$"),
        negative=tuple(change["negative"]),
        compare=(
            (_compile(where, change["compare_up"]), "up"),
            (_compile(where, change["compare_down"]), "down"),
        ),
        basis=tuple(_compile(f"{where} [basis]", pattern) for pattern in data["basis"]["patterns"]),
        weak_basis=tuple(_compile(f"{where} [basis]", pattern) for pattern in data["basis"]["weak"]),
        from_cue=_compile(f"{where} [pairs]", pairs["from_cue"]),
        between=_compile(f"{where} [pairs]", pairs["between"]),
        from_estimate=_compile(f"{where} [pairs]", pairs["from_estimate"]),
        pair_filler=_compile(f"{where} [pairs]", f"^(?:{pairs['subject_filler']})*$"),
        marker=_compile(f"{where} [respectively]", lists["marker"]),
        before_first=_compile(f"{where} [respectively]", lists["before_first"]),
        separator=_compile(f"{where} [respectively]", lists["separator"]),
        subject_separator=_compile(f"{where} [respectively]", lists["subject_separator"]),
        examples=tuple(examples),
        flow=frozenset(change["flow"]),
        after_up=_compile(where, change["after_up"]),
        trailing=_compile(
            where,
            "(?:"
            + "|".join(
                [
                    f"(?:{data['subjects']['trailing']})?(?:{_alternation(list(directions))})",
                    *(f"(?:{pattern})" for pattern in (*data["basis"]["patterns"], *data["basis"]["weak"])),
                    data["subjects"]["trailing"],
                ]
            )
            + ")$",
        ),
        leading=_compile(where, f"^(?:{data['subjects']['leading']})"),
        junk=_compile(where, f"^(?:{data['subjects']['junk']})$"),
        shared_head=_compile(where, f"(?:{_alternation(data['respectively']['shared_heads'])})$"),
        part_marker=_compile(f"{where} [parts]", data["parts"]["marker"]),
        part_kinds=frozenset(data["parts"]["unit_kinds"]),
        part_reach=int(data["parts"]["reach"]),
        part_tolerance=Decimal(str(data["parts"]["tolerance"])),
    )


@functools.cache
def _clause_break() -> regex.Pattern[str]:
    return regex.compile(char_class(punctuation().clause_break + "\n"))


# Re-derives the standard indicator of a row whose subject changed: (clause, subject, unit) -> (id, name).
Relabel = Callable[[str, str, str], tuple[str, str]]


def resolve_meaning(text: str, found: Sequence[Indicator], relabel: Relabel | None = None) -> list[Indicator]:
    """``found`` (in text order) with change, basis, pairs, 分别 lists and structural subjects."""
    cues = meaning_cues()
    items = list(found)
    gaps = [_gap(text, items, index) for index in range(len(items))]
    changed_subject = [False] * len(items)
    fields: list[dict[str, Any]] = [{} for _ in items]
    for index, item in enumerate(items):
        gap_start = gaps[index]
        gap = text[gap_start : item.start]
        direction, basis = _change(text, gap, item, cues)
        joined = index > 0 and gap_start == items[index - 1].end and cues.separator.match(gap)
        if joined and items[index - 1].unit != item.unit:
            joined = False  # 增长9.1%,达到11.67万亿元: a level after a rate, not a list
        if direction == "up" and not basis and _new_things(text, items, index, gap, cues):
            direction = ""  # 新增3所幼儿园, 增加8100个学位: a count of new things, not a change
        if not direction and cues.after_up.match(text, item.end, min(len(text), item.end + 16)):
            direction = "up"  # 确保6%以上的增长, 8%左右的国内生产总值增长目标
        fields[index].update(change=direction, basis=basis)
        if joined and not direction:
            fields[index].update(change=fields[index - 1]["change"], basis=fields[index - 1]["basis"] or basis)
    _pairs(text, items, gaps, fields, changed_subject, cues)
    _lists(text, items, gaps, fields, changed_subject, cues)
    _carry_subjects(text, items, gaps, fields, changed_subject, cues)
    _parts(text, items, fields, cues)
    out = []
    for index, item in enumerate(items):
        subject = fields[index].get("subject", item.subject)
        tidy = _tidy_subject(subject, cues)
        if tidy != item.subject:
            fields[index]["subject"] = tidy
            changed_subject[index] = True
    for item, extra, subject_changed in zip(items, fields, changed_subject, strict=True):
        new = dataclasses.replace(item, **extra)
        if subject_changed and relabel is not None:
            clause = text[max(item.sentence_start, item.start - 40) : item.start]
            indicator_id, name = relabel(clause, new.subject, new.unit)
            if indicator_id and indicator_id != item.indicator_id:
                rule = item.rule_id.split("+indicator:")[0]
                new = dataclasses.replace(
                    new, indicator_id=indicator_id, indicator=name, rule_id=f"{rule}+indicator:{indicator_id}"
                )
        out.append(new)
    return out


def _new_things(text: str, items: list[Indicator], index: int, gap: str, cues: MeaningCues) -> bool:
    """An up cue of `flow` words before a count with no comparison is a count of new things,
    unless it follows a quantity of the same unit (自行车1,484万辆,增加224万辆 is a change)."""
    item = items[index]
    hits = list(cues.change_cue.finditer(gap))
    cue = hits[-1] if hits else None
    if item.unit_kind != "count" or cue is None or not any(gap[: cue.end()].endswith(word) for word in cues.flow):
        return False
    if index > 0 and items[index - 1].sentence_start == item.sentence_start and items[index - 1].unit == item.unit:
        words = regex.sub(r"[\p{P}\s]", "", text[items[index - 1].end : item.start])
        if not cues.change_cue.sub("", words) or cues.filler.match(cues.change_cue.sub("", words)):
            return False
    return True


def _gap(text: str, items: list[Indicator], index: int) -> int:
    """Start of the words of a number's clause that come after the previous quantity."""
    item = items[index]
    start = item.sentence_start
    if index > 0 and items[index - 1].end > start and items[index - 1].end <= item.start:
        start = items[index - 1].end
    window_start = max(start, item.start - 40)
    breaks = list(_clause_break().finditer(text, window_start, item.start))
    if breaks and not (index > 0 and breaks[-1].start() == start and start == items[index - 1].end):
        # A value joined to the previous one by a comma alone stays joined (list of values).
        return breaks[-1].end()
    return window_start if window_start > start else start


def _change(text: str, gap: str, item: Indicator, cues: MeaningCues) -> tuple[str, str]:
    basis, closest = "", -1
    for pattern in cues.basis:
        for hit in pattern.finditer(gap):
            if hit.end() > closest:
                closest = hit.end()
                basis = hit.group("basis") if "basis" in pattern.groupindex else hit.group()
    for pattern in cues.weak_basis if not basis else ():
        hit = pattern.search(gap)
        if hit:
            basis = hit.group()
            break
    direction = ""
    last = None
    for hit in cues.change_cue.finditer(gap):
        last = hit
    if last is not None and cues.filler.match(_without_basis(gap[last.end() :], cues)):
        direction = cues.directions[last.group()]
    for pattern, compared in cues.compare:
        if not direction and pattern.search(gap):
            direction = compared
    rates = list(cues.rate_noun.finditer(gap))
    # A rate noun says what the number is (涨幅回落至2.5% is a rate of increase), except for a
    # change of that rate in points with its own verb (增幅回落17.2个百分点) and a multiple (增速为工业增速3倍).
    if rates and item.unit != "倍" and not (item.unit == "百分点" and direction in ("up", "down")):
        direction = cues.rate_direction[rates[-1].group()]
    if direction == "to":
        direction = ""
    if direction == "up" and text[max(0, item.start - 1) : item.start] in cues.negative:
        direction = "down"
    return direction, basis


def _without_basis(words: str, cues: MeaningCues) -> str:
    for pattern in (*cues.basis, *cues.weak_basis):
        words = pattern.sub("", words)
    return words


def _pairs(
    text: str,
    items: list[Indicator],
    gaps: list[int],
    fields: list[dict[str, Any]],
    changed: list[bool],
    cues: MeaningCues,
) -> None:
    pair_no = 0
    for index in range(len(items) - 1):
        first, second = items[index], items[index + 1]
        if "role" in fields[index] or second.sentence_start != first.sentence_start:
            continue
        before = text[gaps[index] : first.start]
        cue = cues.from_cue.search(before)
        if cue is None or not cues.between.match(text[first.end : second.start]):
            continue
        pair_no += 1
        subject_end = gaps[index] + cue.start()
        subject = find_subject(text, subject_end, subject_end, "", left_limit=gaps[index], left_only=True)
        if not subject or cues.pair_filler.match(before[: cue.start()]):
            subject = _clause_subject(text, first.sentence_start, gaps[index]) or subject
        if cues.from_estimate.search(cue.group()):
            fields[index].update(is_target=False, is_estimate=True)
        rate = cues.rate_noun.search(before[: cue.start()])
        direction = cues.rate_direction[rate.group()] if rate else ""
        for position, role in ((index, "from"), (index + 1, "to")):
            fields[position].update(role=role, pair_no=pair_no, change=direction)
            if subject:
                fields[position]["subject"] = subject
                changed[position] = True


def _clause_subject(text: str, sentence_start: int, clause_start: int) -> str:
    """The clause before ``clause_start`` when it is a noun phrase alone (no number, at most
    24 characters): 生铁和钢产量的比例,明年计划从… names the pair's subject."""
    if clause_start - 1 <= sentence_start or not _clause_break().match(text, clause_start - 1):
        return ""
    breaks = list(_clause_break().finditer(text, max(sentence_start, clause_start - 26), clause_start - 1))
    start = breaks[-1].end() if breaks else max(sentence_start, clause_start - 26)
    if not breaks and start != sentence_start:
        return ""
    clause = text[start : clause_start - 1].strip()
    if not 2 <= len(clause) <= 24 or regex.search(r"\d", clause):
        return ""
    return _tidy_subject(clause, meaning_cues())


def _lists(
    text: str,
    items: list[Indicator],
    gaps: list[int],
    fields: list[dict[str, Any]],
    changed: list[bool],
    cues: MeaningCues,
) -> None:
    index = 0
    while index < len(items):
        gap = text[gaps[index] : items[index].start]
        markers = list(cues.marker.finditer(gap))
        marker = markers[-1] if markers else None
        if marker is None or not cues.before_first.match(_without_basis(gap[marker.end() :], cues)):
            index += 1
            continue
        members = [index]
        while members[-1] + 1 < len(items):
            following = members[-1] + 1
            between = text[items[members[-1]].end : items[following].start]
            if not cues.separator.match(between):
                break
            members.append(following)
        for member in members:
            fields[member]["respectively"] = True
        subjects = _list_subjects(text, _list_start(text, items, index), gaps[index] + marker.start(), cues)
        if len(subjects) != len(members) and gaps[index] > items[index].sentence_start:
            # 城镇…达到10493元,农村…达到3255元,扣除价格因素,分别增长9.6%和6.2%: the subjects of the
            # quantities just before the list, when the list's own clause names none.
            earlier = [
                position
                for position in range(index - len(members), index)
                if position >= 0 and items[position].sentence_start == items[index].sentence_start
            ]
            if len(earlier) == len(members) and not subjects:
                subjects = [fields[position].get("subject", items[position].subject) for position in earlier]
        if len(members) > 1 and len(subjects) == len(members) and all(subjects):
            for member, subject in zip(members, subjects, strict=True):
                fields[member]["subject"] = subject
                changed[member] = True
            # …分别达34757元和13360元、年均实际增长7.2%和9.0%: a list right after, of the same
            # length, with no noun of its own, follows the same subjects.
            following = _following_list(text, items, members, cues)
            if len(following) == len(members):
                for member, subject in zip(following, subjects, strict=True):
                    fields[member].update(subject=subject, respectively=True)
                    changed[member] = True
                members = following
        index = members[-1] + 1


def _following_list(text: str, items: list[Indicator], members: list[int], cues: MeaningCues) -> list[int]:
    first = members[-1] + 1
    if first >= len(items) or items[first].sentence_start != items[members[-1]].sentence_start:
        return []
    words = regex.sub(r"^[、,]", "", text[items[members[-1]].end : items[first].start])
    words = cues.change_cue.sub("", _without_basis(words, cues))
    if words and not cues.filler.match(words):
        return []
    following = [first]
    while following[-1] + 1 < len(items) and len(following) < len(members):
        between = text[items[following[-1]].end : items[following[-1] + 1].start]
        if not cues.separator.match(between):
            break
        following.append(following[-1] + 1)
    return following


@functools.cache
def _list_break() -> regex.Pattern[str]:
    return regex.compile(char_class(punctuation().clause_break.replace("、", "") + "\n"))


def _list_start(text: str, items: list[Indicator], index: int) -> int:
    """Where the subjects of a list may start: as the gap, but 、 does not end them."""
    item = items[index]
    start = item.sentence_start
    if index > 0 and start < items[index - 1].end <= item.start:
        start = items[index - 1].end
    start = max(start, item.start - 40)
    breaks = list(_list_break().finditer(text, start, item.start))
    return breaks[-1].end() if breaks else start


def _list_subjects(text: str, start: int, end: int, cues: MeaningCues) -> list[str]:
    """The subjects named before a 分别 marker, in order (a shared head is given to each)."""
    phrase_start = start
    pieces = []
    for separator in cues.subject_separator.finditer(text, start, end):
        pieces.append((phrase_start, separator.start()))
        phrase_start = separator.end()
    pieces.append((phrase_start, end))
    if len(pieces) < 2:
        return []
    # The first conjunct may follow a verb (实现城镇、农村…); the others are whole noun phrases.
    first_start, first_end = pieces[0]
    subjects = [find_subject(text, first_end, first_end, "", left_limit=first_start, left_only=True)]
    for piece_start, piece_end in pieces[1:]:
        piece = text[piece_start:piece_end].strip()
        if len(piece) > 20 or regex.search(r"[\p{P}\d]", piece):
            piece = find_subject(text, piece_end, piece_end, "", left_limit=piece_start, left_only=True)
        subjects.append(piece)
    if not all(subjects):
        return []
    last = subjects[-1]
    short = [subject for subject in subjects[:-1] if len(subject) <= 3]
    if len(short) == len(subjects) - 1 and len(last) > 3:
        # 城镇、农村常住居民人均可支配收入: the last conjunct's head belongs to every conjunct.
        modifier = len(short[-1])
        head = last[modifier:]
        return [subject + head for subject in subjects[:-1]] + [last]
    head = cues.shared_head.search(last)
    if head and head.start() > 0:
        # 化学需氧量、氨氮和氮氧化物排放量, 刑事治安、涉诈、涉毒警情: a measure word ends the last
        # conjunct and belongs to every one that lacks it.
        return [subject if cues.shared_head.search(subject) else subject + head.group() for subject in subjects]
    return subjects


def _tidy_subject(subject: str, cues: MeaningCues) -> str:
    """Cut cues left at the ends of a subject (价格涨幅已回落 -> 价格涨幅, 国内生产总值比上年 ->
    国内生产总值, 拟安排财政赤字 -> 财政赤字); what is left of a fragment (年上升 -> 年) is no subject."""
    while True:
        tail = cues.trailing.search(subject)
        if tail is None or tail.start() == 0 or (tail.start() < 2 and not cues.junk.match(subject[: tail.start()])):
            break
        subject = subject[: tail.start()]
    head = cues.leading.match(subject)
    while head and len(subject) - head.end() >= 2:
        subject = subject[head.end() :]
        head = cues.leading.match(subject)
    if head and head.end() == len(subject):
        return ""  # 年预计: a time word alone
    return "" if cues.junk.match(subject) else subject


def _carry_subjects(
    text: str,
    items: list[Indicator],
    gaps: list[int],
    fields: list[dict[str, Any]],
    changed: list[bool],
    cues: MeaningCues,
) -> None:
    """A clause with no noun of its own ("…1017亿元,增长41.6%") counts the previous quantity's subject."""
    for index in range(1, len(items)):
        previous, item = items[index - 1], items[index]
        if "subject" in fields[index] or previous.sentence_start != item.sentence_start:
            continue
        if previous.end == item.start:
            continue  # 300项415条: adjacent counts are different things
        words = text[previous.end : item.start]
        words = _without_basis(words, cues)
        words = cues.change_cue.sub("", words)
        words = regex.sub(r"[\p{P}\s]", "", words)
        if words and not cues.filler.match(words):
            continue
        if not fields[index]["basis"] and fields[index]["change"] and fields[index - 1]["change"]:
            fields[index]["basis"] = fields[index - 1]["basis"]
        subject = fields[index - 1].get("subject", previous.subject)
        if subject and subject != item.subject:
            fields[index]["subject"] = subject
            changed[index] = True


@functools.cache
def _hard_break() -> regex.Pattern[str]:
    return regex.compile(char_class(punctuation().sentence_end + ";\n"))


def _parts(text: str, items: list[Indicator], fields: list[dict[str, Any]], cues: MeaningCues) -> None:
    """其中 breakdowns: "完成投资100亿元,其中政府投资40亿元" makes the 40亿 row a part of the 100亿
    row (``part_of`` = the whole's indicator_no, its 1-based position in ``items``). The whole is
    the nearest level before 其中 in the same sentence with the same unit; the parts are the
    levels of that unit after it (their own changes skipped), up to the sentence end, the next
    其中 or a quantity of another kind, each no larger than
    the whole and together no larger than it (a sum over an id can then leave out the parts)."""

    def level(index: int) -> bool:
        item = items[index]
        return (
            item.value is not None
            and item.unit_kind in cues.part_kinds
            and not fields[index].get("change", item.change)
            and fields[index].get("role", item.role) != "from"
        )

    for index in range(1, len(items)):
        item = items[index]
        marker = None
        for hit in cues.part_marker.finditer(text, items[index - 1].end, item.start):
            marker = hit
        if marker is None or not level(index) or _hard_break().search(text, items[index - 1].end, marker.start()):
            continue
        whole = None
        for earlier in range(index - 1, -1, -1):
            if items[earlier].end < marker.start() - cues.part_reach or _hard_break().search(
                text, items[earlier].end, marker.start()
            ):
                break
            if items[earlier].unit == item.unit and level(earlier):
                whole = earlier
                break
        if whole is None or fields[whole].get("respectively"):
            continue  # 分别抽检27987和1315批次,查处其中不合格品1255和10批次: each has its own whole
        limit = items[whole].value * cues.part_tolerance  # type: ignore[operator]
        total = Decimal(0)
        for part in range(index, len(items)):
            between = (marker.end(), items[part].start) if part == index else (items[part - 1].end, items[part].start)
            if part > index and (_hard_break().search(text, *between) or cues.part_marker.search(text, *between)):
                break
            if fields[part].get("change", items[part].change):
                continue  # 其中技改投资49亿元,增长40.3%: the part's own change
            if items[part].unit != item.unit or not level(part):
                break  # 其中高速公路3.3万公里,新建机场33个,…: a new topic
            total += items[part].value  # type: ignore[operator]
            if total > limit:
                break
            fields[part]["part_of"] = whole + 1
