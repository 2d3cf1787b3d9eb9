"""Per-field scores of the extended reference format (/work/notes/ANNOTATION.md conventions).

An extended indicator entry may state, beside value/unit/qualifier/target: ``change``
(up / down / none), ``basis``, ``subject`` with ``subject_ok`` (spellings a reader accepts;
``subject: null`` when no reader could name one), ``role`` (from / to) with ``pair`` (the
pair's number in the file), ``respectively`` (one value of a 分别 list), ``estimate``, and a
range as ``value: null, low, high``. An entry may list ``passages``: prefixes of the lines
inside which the annotation is exhaustive, so precision is measured there only.

Each field is scored on the reference rows whose number was found (value + unit in the
sentence holding ``context``): its accuracy, and for the fields that mark a minority class
(change, basis, role, respectively, estimate) precision and recall of that class. Pairs are scored
as linked when both ends were found with the right roles and one shared ``pair_no``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import regex

from lawreport.records import Indicator

FIELDS = ("qualifier", "target", "estimate", "change", "basis", "subject", "role", "respectively", "pair")
_CLASS_FIELDS = ("change", "basis", "role", "respectively", "estimate")
_OPTIONAL = ("basis", "role", "respectively", "estimate")  # stated only where they apply
_PUNCTUATION = regex.compile(r"[\p{P}\p{S}\s]+")


def _squash(text: str) -> str:
    return _PUNCTUATION.sub("", text)


@dataclass
class FieldCounts:
    """Counts of one field: rows compared, rows right, and the class's tp / fp / fn."""

    compared: int = 0
    correct: int = 0
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, other: FieldCounts) -> None:
        for name in ("compared", "correct", "true_positive", "false_positive", "false_negative"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self, with_class: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "compared": self.compared,
            "correct": self.correct,
            "accuracy": self.correct / self.compared if self.compared else None,
        }
        if with_class:
            predicted = self.true_positive + self.false_positive
            expected = self.true_positive + self.false_negative
            out["precision"] = self.true_positive / predicted if predicted else None
            out["recall"] = self.true_positive / expected if expected else None
        return out


@dataclass
class FieldScores:
    counts: dict[str, FieldCounts] = field(default_factory=lambda: {name: FieldCounts() for name in FIELDS})
    wrong: list[str] = field(default_factory=list)  # "field: context expected -> got"

    def add(self, other: FieldScores) -> None:
        for name in FIELDS:
            self.counts[name].add(other.counts[name])

    def figures(self) -> dict[str, dict[str, Any]]:
        return {name: self.counts[name].figures(name in _CLASS_FIELDS) for name in FIELDS}


def gold_value_matches(gold: dict[str, Any], item: Indicator) -> bool:
    """The reference row's number: value (or low/high for a range) and unit, in the sentence holding its context."""
    if gold["context"] not in item.sentence or item.unit != gold["unit"]:
        return False
    if gold["value"] is None:
        return item.value_low == Decimal(str(gold["low"])) and item.value_high == Decimal(str(gold["high"]))
    return item.value == Decimal(str(gold["value"]))


def best_match(gold: dict[str, Any], items: Sequence[Indicator]) -> Indicator | None:
    """The found row for a reference row: the one whose context sits closest to the number."""
    found = [item for item in items if gold_value_matches(gold, item)]
    if not found:
        return None

    def distance(item: Indicator) -> int:
        at = item.sentence.find(gold["context"])
        return abs(item.sentence_start + at - item.start)

    return min(found, key=distance)


def _expected(gold: dict[str, Any], name: str) -> Any:
    if name == "change":
        value = gold.get("change", "none")
        return "" if value in (None, "none") else value
    if name in ("basis", "role"):
        return gold.get(name) or ""
    if name == "respectively":
        return bool(gold.get("respectively", False))
    if name == "qualifier":
        return gold.get("qualifier", "exact")
    if name == "target":
        return bool(gold.get("target", False))
    if name == "estimate":
        return bool(gold.get("estimate", False))
    raise KeyError(name)


def _actual(item: Indicator, name: str) -> Any:
    if name == "target":
        return item.is_target
    if name == "estimate":
        return item.is_estimate
    return getattr(item, name)


def score_fields(entry: dict[str, Any], items: Sequence[Indicator]) -> FieldScores:
    """The per-field counts of one reference entry against the rows found in its file."""
    scores = FieldScores()
    pairs: dict[Any, list[tuple[dict[str, Any], Indicator | None]]] = {}
    # An optional field no indicator of the entry states is not annotated there at all (the
    # seeds' reference has no basis): it is not scored, rather than every produced one a miss.
    annotated = {name for gold in entry.get("indicators", []) for name in _OPTIONAL if name in gold}
    for gold in entry.get("indicators", []):
        item = best_match(gold, items)
        if "pair" in gold:
            pairs.setdefault(gold["pair"], []).append((gold, item))
        if item is None:
            continue
        for name in ("qualifier", "target", "estimate", "change", "basis", "role", "respectively"):
            if name in _OPTIONAL and (name not in annotated or (name not in gold and not _actual(item, name))):
                continue  # not annotated in this entry, or not stated and not produced: nothing to compare
            expected, actual = _expected(gold, name), _actual(item, name)
            same = _squash(expected) == _squash(actual) if name == "basis" else expected == actual
            _count(scores.counts[name], same, bool(expected), bool(actual), name in _CLASS_FIELDS)
            if not same:
                scores.wrong.append(f"{name}: {gold['context']} expected {expected!r}, got {actual!r}")
        if "subject" in gold and gold["subject"] is not None:
            accepted = {_squash(text) for text in [gold["subject"], *gold.get("subject_ok", [])]}
            ok = _squash(item.subject) in accepted
            scores.counts["subject"].compared += 1
            scores.counts["subject"].correct += ok
            if not ok:
                scores.wrong.append(f"subject: {gold['context']} expected {gold['subject']!r}, got {item.subject!r}")
    counts = scores.counts["pair"]
    for number, ends in pairs.items():
        counts.compared += 1
        found = [item for _, item in ends]
        linked = (
            len(ends) == 2
            and all(item is not None and item.role == gold.get("role") for gold, item in ends)
            and found[0] is not None
            and found[0].pair_no is not None
            and found[1] is not None
            and found[0].pair_no == found[1].pair_no
        )
        counts.correct += linked
        if not linked:
            scores.wrong.append(f"pair: #{number} ({ends[0][0]['context']}) not linked")
    counts.true_positive = counts.correct
    counts.false_negative = counts.compared - counts.correct
    return scores


def _count(counts: FieldCounts, same: bool, expected: bool, actual: bool, with_class: bool) -> None:
    counts.compared += 1
    counts.correct += same
    if with_class:
        counts.true_positive += same and expected
        counts.false_positive += actual and not same
        counts.false_negative += expected and not same


def passage_spans(text: str, prefixes: Sequence[str]) -> list[tuple[int, int]]:
    """The (start, end) of every line of ``text`` that begins with one of ``prefixes``."""
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if any(stripped.startswith(prefix) for prefix in prefixes):
            spans.append((offset, offset + len(line)))
        offset += len(line)
    return spans


def in_passages(item: Indicator, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= item.start < end for start, end in spans)
