"""Report kinds as data: a kind is a folder under ``data/kinds/`` (``fazhi`` today).

``kind.toml`` says what the kind is made of: its standard parts and which of them ``check``
requires, what the parts mean for time (numbers in a plans part are targets; a heading year
after the report year means plans), how an un-cued part is placed by position, the rule packs
that run on it and the words that recognise it. ``labels.toml`` holds the cues that label
the top-level parts, with priorities and examples. Both are validated on load (unknown keys
are errors) and every example is run by the tests.

Labels every kind shares come from the structure of the text, not from cues:
:data:`STRUCTURAL` (title block, preamble, closing, appendix) and :data:`UNKNOWN`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable

import regex

from lawreport.errors import DataFileError
from lawreport.schema import ListOf, Number, Table, Text, parse_toml, validate

DEFAULT_KIND = "fazhi"
STRUCTURAL = ("title", "preamble", "closing", "appendix")
UNKNOWN = "unknown"
_LABEL = Text(pattern=r"[a-z][a-z_]{0,31}", explain="a label in lower_snake_case")
_WORDS = ListOf(Text(max_length=64))

KIND_SCHEMA = Table(
    required={
        "kind": Table(
            required={"name": _LABEL, "name_zh": Text(), "description": Text()},
            optional={"rule_packs": ListOf(_LABEL)},
        ),
        "parts": Table(
            required={
                "names": ListOf(_LABEL),
                "required": ListOf(_LABEL),
                "targets": ListOf(_LABEL),
                "future": _LABEL,
                "account": _LABEL,
                "later": ListOf(_LABEL),
            }
        ),
        "recognition": Table(
            required={"cues": _WORDS, "title_cues": _WORDS, "other_titles": _WORDS, "examples": _WORDS},
            optional={"counter_examples": _WORDS},
        ),
    }
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
    """Words that say a document is of this kind (used by ``check``, LR205)."""

    cues: tuple[str, ...]
    title_cues: tuple[str, ...]
    other_titles: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]

    def mentioned(self, text: str) -> bool:
        return any(cue in text for cue in self.cues)

    def other_kind_title(self, title: str) -> bool:
        """A title that names another kind of report and none of this kind's words."""
        return not any(cue in title for cue in self.title_cues) and any(word in title for word in self.other_titles)


@dataclass(frozen=True)
class Kind:
    name: str
    name_zh: str
    description: str
    parts: tuple[str, ...]  # the standard parts, in their usual order
    required: tuple[str, ...]
    target_parts: frozenset[str]
    future_part: str
    account_part: str
    later_parts: frozenset[str]
    rule_packs: tuple[str, ...]
    recognition: Recognition
    label_rules: tuple[PartLabel, ...]  # highest priority first
    location: str

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a section of this kind can get."""
        return ("title", "preamble", *self.parts, "closing", "appendix", UNKNOWN)


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
    where = f"kinds/{name}"
    kind = _read(folder, "kind.toml", where, KIND_SCHEMA)
    labels = _read(folder, "labels.toml", where, LABELS_SCHEMA)
    head, parts, recognition = kind["kind"], kind["parts"], kind["recognition"]
    if head["name"] != name:
        raise DataFileError(f"{where}/kind.toml: name {head['name']!r} is not the folder's name {name!r}")
    known = set(parts["names"])
    for key in ("required", "targets", "later"):
        _check_parts(f"{where}/kind.toml [parts] {key}", parts[key], known)
    _check_parts(f"{where}/kind.toml [parts]", [parts["future"], parts["account"]], known)
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
        future_part=parts["future"],
        account_part=parts["account"],
        later_parts=frozenset(parts["later"]),
        rule_packs=tuple(head.get("rule_packs", ())),
        recognition=Recognition(
            tuple(recognition["cues"]),
            tuple(recognition["title_cues"]),
            tuple(recognition["other_titles"]),
            tuple(recognition["examples"]),
            tuple(recognition.get("counter_examples", ())),
        ),
        label_rules=tuple(sorted(rules, key=lambda rule: -rule.priority)),
        location=where,
    )


def default_kind() -> Kind:
    """The kind every document is read as until kinds are recognised (issue 12)."""
    return load_kind(DEFAULT_KIND)


def _read(folder: Traversable, file_name: str, where: str, spec: Table) -> dict:
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
