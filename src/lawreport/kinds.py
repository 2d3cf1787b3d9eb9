"""Report kinds as data: a kind is a folder under ``data/kinds/`` (fazhi, work_report,
disclosure, other), and a user adds their own with ``--kinds PATH`` (a folder of kind folders).

``kind.toml`` says what the kind is made of: its standard parts and which of them ``check``
requires, what the parts mean for time (numbers in a plans part are targets, a review part's
预计 is an estimate; a heading year after the report year means plans), how an un-cued part is
placed by position, the rule packs that run on it, the cues that recognise it (title, then
body), what its ``report_year`` means and its metadata conventions. ``labels.toml`` holds the
cues that label the top-level parts, with priorities and examples. Both are validated on load
(unknown keys are errors) and every example is run by the tests.

Labels every kind shares come from the structure of the text, not from cues:
:data:`STRUCTURAL` (title block, preamble, closing, appendix, and :data:`REPEAT`, the second copy
of a text that holds its report twice) and :data:`UNKNOWN`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import regex

from lawreport.errors import DataFileError
from lawreport.schema import ListOf, Number, OneOf, Table, Text, parse_toml, validate

DEFAULT_KIND = "fazhi"  # the kind of a text read without recognition (the library's one-call helpers)
# The kind a text no kind's cue recognises is read as (with the cue ``none`` and check's
# LR205): most collections are of 法治 reports, and a 法治 report can name none of its words
# (a bureau's report that only lists its work).
FALLBACK_KIND = "fazhi"
REPEAT = "repeat"  # text that repeats earlier text (lawreport.outline.repeat): no numbers are read in it
STRUCTURAL = ("title", "preamble", "closing", "appendix", REPEAT)
UNKNOWN = "unknown"
_LABEL = Text(pattern=r"[a-z][a-z_]{0,31}", explain="a label in lower_snake_case")
_WORDS = ListOf(Text(max_length=64))

KIND_SCHEMA = Table(
    required={
        "kind": Table(
            required={"name": _LABEL, "name_zh": Text(), "description": Text()},
            optional={"rule_packs": ListOf(_LABEL)},
        ),
        # What report_year means: the year reported on, or (work reports) the year of the
        # congress it is delivered to, inferred from headings when the title has no year.
        "year": Table(
            required={"meaning": Text(pattern=r"reported|congress", explain="reported or congress")},
            optional={"heading_years": ListOf(Table(required={"pattern": Text(), "add": Number()}))},
        ),
        "parts": Table(
            required={
                "names": ListOf(_LABEL),
                "required": ListOf(_LABEL),
                "targets": ListOf(_LABEL),
                "future": _LABEL,
                "account": _LABEL,
                "later": ListOf(_LABEL),
            },
            optional={"estimates": ListOf(_LABEL), "estimate_cues": ListOf(Text()), "after_account": _LABEL},
        ),
        "recognition": Table(
            required={"priority": Number(), "title_cues": ListOf(Text()), "examples": _WORDS},
            optional={
                "body_cues": ListOf(Text()),
                "weak_title_cues": ListOf(Text()),
                "body_examples": _WORDS,
                "counter_examples": _WORDS,
            },
        ),
    },
    optional={
        # Metadata conventions, applied after the general extraction: the agency is the body
        # the speaker line names (我代表省人民政府…), completed with the report's place.
        # An agency matching a `national` pattern (国务院) is the national government: it has
        # no place, and check does not ask for one (LR204).
        "metadata": Table(optional={"agency_from_speaker": ListOf(Text()), "national": ListOf(Text())}),
        # A salutation line (各位代表:) before the preamble belongs to the title block.
        "outline": Table(optional={"salutation": Text(), "salutation_within": Number()}),
        # A number in a target part is no target when its sentence reports a result (see
        # ResultCues): cues in its clause, its sentence or its paragraph's opening, and a past
        # year named before it.
        "results": Table(
            required={"examples": ListOf(Text()), "counter_examples": ListOf(Text()), "example_year": Number()},
            optional={
                "clause_cues": ListOf(Text()),
                "sentence_cues": ListOf(Text()),
                "openings": ListOf(Text()),
                "past_year": Text(),
            },
        ),
        # Un-numbered parts carved out of a labelled outline (see lawreport.outline.carve).
        "carve": ListOf(
            Table(
                required={"label": _LABEL, "examples": ListOf(Text())},
                optional={
                    "within": ListOf(_LABEL),
                    "heading": Text(),
                    "paragraph": Text(),
                    "pick": OneOf(("first", "last")),
                    "search": OneOf(("part", "after_last_heading")),
                    # A matching paragraph right before the picked one joins the part when
                    # its end matches this (a closing of two exhortations ending in !).
                    "join_back": Text(),
                },
                label=lambda entry: str(entry.get("label", "?"))[:32],
            )
        ),
    },
)
LABELS_SCHEMA = Table(
    required={
        "label": ListOf(
            Table(
                required={"name": _LABEL, "priority": Number(), "cues": ListOf(Text()), "examples": ListOf(Text())},
                label=lambda entry: str(entry.get("name", "?"))[:32],
            )
        )
    }
)


@dataclass(frozen=True)
class PartLabel:
    """One part's cue lexicon: a heading matching ``cues`` gets ``name`` (highest priority wins)."""

    name: str
    priority: int
    cues: regex.Pattern[str]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Recognition:
    """Cues that say a document is of this kind: in the title (strong, then weak), else in
    the opening of the body. Kinds are tried by ``priority``, highest first."""

    priority: int
    title_cues: regex.Pattern[str] | None
    weak_title_cues: regex.Pattern[str] | None
    body_cues: regex.Pattern[str] | None
    examples: tuple[str, ...]  # titles recognised as this kind
    body_examples: tuple[str, ...]  # openings (no title) recognised as this kind
    counter_examples: tuple[str, ...]  # titles not recognised as this kind


@dataclass(frozen=True)
class Carve:
    """Where an un-numbered part starts inside the last part labelled one of ``within``: at
    its last second-level heading matching ``heading``, else at the first (or last) paragraph
    matching ``paragraph``, widened back over matching paragraphs whose end matches
    ``join_back``. ``examples``: paragraph openings or headings the rule must match."""

    label: str
    within: tuple[str, ...]
    heading: regex.Pattern[str] | None
    paragraph: regex.Pattern[str] | None
    pick: str
    after_last_heading: bool
    examples: tuple[str, ...]
    join_back: regex.Pattern[str] | None = None


@dataclass(frozen=True)
class ResultCues:
    """What makes a number in a target part (plans) a result rather than a target: a cue in
    its own clause before it (已完成, 实现了, 去年…), a cue in its sentence before it, a
    paragraph that opens on the past (五年来, 过去一年), or a year before the report's year
    named in its sentence before it (``past_year``, a pattern with a ``year`` group; the last
    such year counts). ``examples``: text before a number that reports a result (the number
    follows the example); ``counter_examples``: text before a target; both read with the
    report year ``example_year``."""

    clause: regex.Pattern[str] | None
    sentence: regex.Pattern[str] | None
    opening: regex.Pattern[str] | None
    past_year: regex.Pattern[str] | None
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    example_year: int

    def reports_result(self, paragraph: str, sentence: str, clause: str, report_year: int | None) -> bool:
        """Whether a number reports a result: ``paragraph`` is the opening of its paragraph,
        ``sentence`` and ``clause`` the words of its sentence and clause before it."""
        if self.clause is not None and self.clause.search(clause):
            return True
        if self.sentence is not None and self.sentence.search(sentence):
            return True
        if self.opening is not None and self.opening.match(paragraph.lstrip()):
            return True
        if self.past_year is not None and report_year is not None:
            years = [int(match.group("year")) for match in self.past_year.finditer(sentence)]
            return bool(years) and years[-1] < report_year
        return False


@dataclass(frozen=True)
class Kind:
    name: str
    name_zh: str
    description: str
    parts: tuple[str, ...]  # the standard parts, in their usual order
    required: tuple[str, ...]
    target_parts: frozenset[str]
    estimate_parts: frozenset[str]  # parts where 预计 marks an estimate of the period, not a target
    estimate_cue: regex.Pattern[str] | None  # the words that mark such an estimate (预计)
    future_part: str
    account_part: str
    later_parts: frozenset[str]
    rule_packs: tuple[str, ...]
    recognition: Recognition
    label_rules: tuple[PartLabel, ...]  # highest priority first
    location: str
    year_meaning: str = "reported"  # reported | congress
    heading_years: tuple[tuple[regex.Pattern[str], int], ...] = ()
    agency_from_speaker: tuple[regex.Pattern[str], ...] = ()
    national: regex.Pattern[str] | None = None  # an agency of the national government (no place)
    carves: tuple[Carve, ...] = ()
    salutation: regex.Pattern[str] | None = None
    salutation_within: int = 0  # a salutation this far into the preamble takes the lead before it too
    results: ResultCues | None = None  # when a number in a target part reports a result
    after_account: str = ""  # an un-cued part after a cue-labelled account part, when no later part follows

    def is_national(self, agency: str | None) -> bool:
        """Whether ``agency`` is the national government (国务院), which has no place."""
        return bool(agency) and self.national is not None and self.national.fullmatch(agency) is not None

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a section of this kind can get."""
        return ("title", "preamble", *self.parts, "closing", "appendix", REPEAT, UNKNOWN)


def kind_folder(name: str) -> Traversable:
    return resources.files("lawreport.data").joinpath("kinds").joinpath(name)


def builtin_kinds() -> tuple[str, ...]:
    folder = resources.files("lawreport.data").joinpath("kinds")
    return tuple(sorted(entry.name for entry in folder.iterdir() if entry.joinpath("kind.toml").is_file()))


@functools.cache
def load_kind(name: str) -> Kind:
    """The built-in kind ``name`` (a folder under ``data/kinds/``), validated."""
    folder = kind_folder(name)
    if not folder.joinpath("kind.toml").is_file():
        raise DataFileError(f"no report kind {name!r}", hint=f"Choose from {', '.join(builtin_kinds())}.")
    return read_kind(folder, name, f"kinds/{name}")


@functools.lru_cache(maxsize=8)
def load_kinds(user_folders: tuple[str, ...] = ()) -> tuple[Kind, ...]:
    """Every built-in kind plus the kinds in ``user_folders`` (each a kind folder, or a folder
    of kind folders), highest recognition priority first. A user kind named like a built-in
    one replaces it."""
    kinds = {name: load_kind(name) for name in builtin_kinds()}
    for folder in user_folders:
        path = Path(folder)
        if not path.is_dir():
            raise DataFileError(
                f"--kinds {folder}: not a folder", hint="Give a folder holding kind.toml and labels.toml."
            )
        entries = (
            [path]
            if (path / "kind.toml").is_file()
            else sorted(p for p in path.iterdir() if (p / "kind.toml").is_file())
        )
        if not entries:
            raise DataFileError(f"--kinds {folder}: no kind.toml in it or in its sub-folders")
        for entry in entries:
            kinds[entry.name] = read_kind(entry, entry.name, str(entry))
    return tuple(sorted(kinds.values(), key=lambda kind: (-kind.recognition.priority, kind.name)))


def read_kind(folder: Traversable | Path, name: str, where: str) -> Kind:
    """One kind folder, validated (unknown keys, parts and bad patterns are errors)."""
    kind = _read(folder, "kind.toml", where, KIND_SCHEMA)
    labels = _read(folder, "labels.toml", where, LABELS_SCHEMA)
    head, parts, recognition = kind["kind"], kind["parts"], kind["recognition"]
    if head["name"] != name:
        raise DataFileError(f"{where}/kind.toml: name {head['name']!r} is not the folder's name {name!r}")
    known = set(parts["names"])
    for key in ("required", "targets", "later", "estimates"):
        _check_parts(f"{where}/kind.toml [parts] {key}", parts.get(key, []), known)
    _check_parts(f"{where}/kind.toml [parts]", [parts["future"], parts["account"]], known)
    if "after_account" in parts:
        _check_parts(f"{where}/kind.toml [parts] after_account", [parts["after_account"]], known)
    rules = []
    for number, entry in enumerate(labels["label"], 1):
        spot = f"{where}/labels.toml [[label]] #{number} ({entry['name']})"
        _check_parts(spot, [entry["name"]], known)
        try:
            cues = regex.compile("|".join(f"(?:{cue})" for cue in entry["cues"]))
        except regex.error as error:
            raise DataFileError(f"{spot}: bad cue pattern: {error}") from error
        rules.append(PartLabel(entry["name"], int(entry["priority"]), cues, tuple(entry["examples"])))
    return Kind(
        name=name,
        name_zh=head["name_zh"],
        description=head["description"],
        parts=tuple(parts["names"]),
        required=tuple(parts["required"]),
        target_parts=frozenset(parts["targets"]),
        estimate_parts=frozenset(parts.get("estimates", ())),
        estimate_cue=_alternation(f"{where}/kind.toml estimate_cues", parts.get("estimate_cues", [])),
        future_part=parts["future"],
        account_part=parts["account"],
        later_parts=frozenset(parts["later"]),
        rule_packs=tuple(head.get("rule_packs", ())),
        recognition=Recognition(
            priority=int(recognition["priority"]),
            title_cues=_alternation(f"{where}/kind.toml title_cues", recognition["title_cues"]),
            weak_title_cues=_alternation(f"{where}/kind.toml weak_title_cues", recognition.get("weak_title_cues", [])),
            body_cues=_alternation(f"{where}/kind.toml body_cues", recognition.get("body_cues", [])),
            examples=tuple(recognition["examples"]),
            body_examples=tuple(recognition.get("body_examples", ())),
            counter_examples=tuple(recognition.get("counter_examples", ())),
        ),
        label_rules=tuple(sorted(rules, key=lambda rule: -rule.priority)),
        location=where,
        year_meaning=kind["year"]["meaning"],
        heading_years=tuple(
            (_compiled(f"{where}/kind.toml heading_years", entry["pattern"]), int(entry["add"]))
            for entry in kind["year"].get("heading_years", ())
        ),
        agency_from_speaker=tuple(
            _compiled(f"{where}/kind.toml agency_from_speaker", pattern)
            for pattern in kind.get("metadata", {}).get("agency_from_speaker", ())
        ),
        national=_alternation(f"{where}/kind.toml national", kind.get("metadata", {}).get("national", [])),
        salutation=_compiled(where, kind["outline"]["salutation"]) if "salutation" in kind.get("outline", {}) else None,
        salutation_within=int(kind.get("outline", {}).get("salutation_within", 0)),
        carves=tuple(_carve(f"{where}/kind.toml [[carve]]", entry, known) for entry in kind.get("carve", ())),
        after_account=parts.get("after_account", ""),
        results=_results(f"{where}/kind.toml [results]", kind["results"]) if "results" in kind else None,
    )


def _results(where: str, entry: dict) -> ResultCues:
    past_year = _compiled(where, entry["past_year"]) if "past_year" in entry else None
    if past_year is not None and "year" not in past_year.groupindex:
        raise DataFileError(f"{where}: past_year needs a group named year")
    return ResultCues(
        clause=_alternation(f"{where} clause_cues", entry.get("clause_cues", [])),
        sentence=_alternation(f"{where} sentence_cues", entry.get("sentence_cues", [])),
        opening=_alternation(f"{where} openings", entry.get("openings", [])),
        past_year=past_year,
        examples=tuple(entry["examples"]),
        counter_examples=tuple(entry["counter_examples"]),
        example_year=int(entry["example_year"]),
    )


def _carve(where: str, entry: dict, known: set[str]) -> Carve:
    if entry["label"] not in {*known, "closing"}:
        _check_parts(where, [entry["label"]], known)
    _check_parts(where, entry.get("within", []), known)
    return Carve(
        label=entry["label"],
        within=tuple(entry.get("within", ())),
        heading=_compiled(where, entry["heading"]) if "heading" in entry else None,
        paragraph=_compiled(where, entry["paragraph"]) if "paragraph" in entry else None,
        pick=entry.get("pick", "first"),
        after_last_heading=entry.get("search", "part") == "after_last_heading",
        examples=tuple(entry["examples"]),
        join_back=_compiled(where, entry["join_back"]) if "join_back" in entry else None,
    )


def default_kind() -> Kind:
    """The kind every document is read as until kinds are recognised (issue 12)."""
    return load_kind(DEFAULT_KIND)


def _compiled(where: str, pattern: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as error:
        raise DataFileError(f"{where}: bad pattern {pattern!r}: {error}") from error


def _alternation(where: str, patterns: list[str]) -> regex.Pattern[str] | None:
    return _compiled(where, "|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None


def _read(folder: Traversable | Path, file_name: str, where: str, spec: Table) -> dict:
    spot = f"{where}/{file_name}"
    entry = folder.joinpath(file_name)
    if not entry.is_file():
        raise DataFileError(f"{spot} is missing")
    return validate(spot, parse_toml(spot, entry.read_text(encoding="utf-8")), spec)


def _check_parts(where: str, names: list[str], known: set[str]) -> None:
    unknown = [name for name in names if name not in known]
    if unknown:
        raise DataFileError(
            f"{where}: unknown part(s) {', '.join(unknown)}; the kind's parts are {', '.join(sorted(known))}"
        )


BODY_WINDOW = 600  # characters of the body read for body cues: the opening says what a text is


def recognize_kind(title: str | None, body: str, kinds: tuple[Kind, ...]) -> tuple[Kind, str]:
    """(kind, cue) of a report: the first kind (by priority) whose title cue occurs in the
    title; else whose weak title cue does; else the kind whose body cue occurs first in the
    opening of the body; else :data:`FALLBACK_KIND` with the cue ``none``. The cue says what
    decided, e.g. ``title:政府工作报告`` or ``body:我代表省人民政府``."""
    title = title or ""
    for field in ("title_cues", "weak_title_cues"):
        for kind in kinds:
            pattern = getattr(kind.recognition, field)
            match = pattern.search(title) if pattern is not None and title else None
            if match:
                return kind, f"title:{match.group()}"
    opening = body[:BODY_WINDOW]
    first: tuple[int, Kind, str] | None = None
    for kind in kinds:
        pattern = kind.recognition.body_cues
        match = pattern.search(opening) if pattern is not None else None
        if match and (first is None or match.start() < first[0]):
            first = (match.start(), kind, match.group())
    if first is not None:
        return first[1], f"body:{first[2]}"
    fallback = next((kind for kind in kinds if kind.name == FALLBACK_KIND), None) or load_kind(FALLBACK_KIND)
    return fallback, "none"


def find_kind(name: str, kinds: tuple[Kind, ...]) -> Kind:
    """The kind called ``name`` among ``kinds`` (``--kind NAME``)."""
    for kind in kinds:
        if kind.name == name:
            return kind
    raise DataFileError(
        f"--kind {name}: no such report kind", hint=f"Choose auto or one of {', '.join(k.name for k in kinds)}."
    )
