"""Compare pipeline output with a hand-made reference file (format of seeds.gold.yaml).

The reference conventions (see its header): metadata fields per document; the top-level
outline as ``[label, heading-prefix]`` pairs compared with punctuation and spaces removed;
indicators as ``{context, value, unit, qualifier, target?}`` where ``context`` occurs
verbatim in the sentence of the number; ``not_indicators`` as ``[context, value]`` pairs
that no extracted indicator whose sentence holds ``context`` may carry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import regex

from lawreport.datafiles import check_keys
from lawreport.errors import DataFileError, UsageError
from lawreport.options import Options, Thresholds
from lawreport.paths import display
from lawreport.pipeline import process_file
from lawreport.qa.fields import FieldScores, gold_value_matches, in_passages, passage_spans, score_fields
from lawreport.records import DocumentResult, Processed

META_FIELDS = ("title", "agency", "province", "city", "county", "report_year", "publish_date", "signed_date", "script")
META_FIELDS += ("kind",)  # the report kind (issue 12), scored like the other fields
# Keys of the extended indicator format (see lawreport.qa.fields).
EXTENDED_KEYS = {
    "qualifier", "target", "change", "basis", "subject", "subject_ok", "role", "pair", "respectively", "estimate",
    "low", "high",
}  # fmt: skip
_PUNCTUATION = regex.compile(r"[\p{P}\p{S}\s]+")


def squash(text: str) -> str:
    return _PUNCTUATION.sub("", text)


@dataclass
class IndicatorScore:
    gold: int = 0
    extracted: int = 0
    matched: int = 0  # value + unit + qualifier (+ target where given)
    violations: int = 0
    misses: list[str] = field(default_factory=list)
    violation_details: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


@dataclass
class DocumentScore:
    file: str
    meta: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (expected, actual)
    outline_expected: list[tuple[str, str]] = field(default_factory=list)
    outline_actual: list[tuple[str, str]] = field(default_factory=list)
    outline_ok: bool = False
    indicators: IndicatorScore = field(default_factory=IndicatorScore)
    correct_extracted: int = 0  # extracted indicators that match a reference entry
    fields: FieldScores = field(default_factory=FieldScores)  # per-field counts (extended format)
    error: str | None = None
    status: str = "scored"  # scored | missing (no such file) | unscorable (found, but not processed)
    cues: dict[str, str] = field(default_factory=dict)  # field -> the cue that decided it (documents' *_cue)

    @property
    def meta_correct(self) -> dict[str, bool]:
        return {name: _same(name, expected, actual) for name, (expected, actual) in self.meta.items()}


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    import yaml  # here: the command line imports this module, and only `eval` reads YAML

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError(f"cannot read reference file {path}: {error}") from error
    if not isinstance(data, list) or not all(isinstance(entry, dict) and "file" in entry for entry in data):
        raise DataFileError(f"{path}: expected a list of entries with a `file` key")
    for number, entry in enumerate(data, 1):
        _check_entry(f"{path} entry #{number} ({entry.get('file')})", entry)
    return data


def _check_entry(where: str, entry: dict[str, Any]) -> None:
    """Malformed reference entries are errors of the reference file, never a crash mid-run."""
    check_keys(where, entry, {"file"}, {"meta", "sections", "indicators", "not_indicators", "passages"})
    if not all(isinstance(prefix, str) and prefix for prefix in entry.get("passages", [])):
        raise DataFileError(f"{where}: `passages` must be a list of line prefixes")
    if not isinstance(entry["file"], str) or not entry["file"]:
        raise DataFileError(f"{where}: `file` must be a file name")
    if not isinstance(entry.get("meta", {}), dict):
        raise DataFileError(f"{where}: `meta` must be a table of fields")
    for item in entry.get("sections", []):
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)):
            raise DataFileError(f"{where}: each of `sections` must be [label, heading-prefix]")
    for item in entry.get("indicators", []):
        check_keys(f"{where} indicator {item!r}", item, {"context", "value", "unit"}, EXTENDED_KEYS)
        for name in ("value",) if item["value"] is not None else ("low", "high"):
            _check_number(f"{where} indicator {item!r}", item.get(name))
    for item in entry.get("not_indicators", []):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            raise DataFileError(f"{where}: each of `not_indicators` must be [context, value]")
        _check_number(f"{where} not_indicator {item!r}", item[1])


def _check_number(where: str, value: Any) -> None:
    if value is None:
        raise DataFileError(f"{where}: a number is missing (a range needs `low` and `high`)")
    try:
        Decimal(str(value))
    except ArithmeticError as error:
        raise DataFileError(f"{where}: value {value!r} is not a number") from error


def _strip_places(agency: str | None, places: Iterable[str | None]) -> str | None:
    if agency is None:
        return None
    changed = True
    while changed:
        changed = False
        for place in places:
            if place and agency.startswith(place) and len(agency) > len(place):
                agency, changed = agency[len(place) :], True
    return agency


def _same(name: str, expected: Any, actual: Any) -> bool:
    if isinstance(expected, dt.date) or isinstance(actual, dt.date):
        return str(expected) == str(actual)
    return expected == actual


def score_document(entry: dict[str, Any], result: DocumentResult) -> DocumentScore:
    score = DocumentScore(entry["file"])
    if not isinstance(result, Processed):
        score.error = result.error.message
        return score
    meta = result.meta
    score.cues = dict(meta.cues)
    gold_meta = entry.get("meta", {})
    places = [gold_meta.get("province"), gold_meta.get("city"), meta.province, meta.city]
    for name in META_FIELDS:
        if name not in gold_meta:
            continue
        actual = result.normalized.script if name == "script" else getattr(meta, name)
        expected = gold_meta[name]
        if name == "agency":
            expected, actual = _strip_places(expected, places), _strip_places(actual, places)
        score.meta[name] = (expected, actual)
    if "sections" in entry:
        text = result.normalized.text
        score.outline_expected = [(label, squash(prefix)) for label, prefix in entry["sections"]]
        score.outline_actual = [
            (section.label, squash(text[section.start : section.end]))
            for section in result.outline.top_level
            if section.label != "title"
        ]
        score.outline_ok = len(score.outline_expected) == len(score.outline_actual) and all(
            label == actual_label and body.startswith(prefix)
            for (label, prefix), (actual_label, body) in zip(score.outline_expected, score.outline_actual, strict=False)
        )
    score.indicators = score_indicators(entry, result)
    extracted = result.indicators
    if "passages" in entry:  # the reference is exhaustive inside these lines only
        spans = passage_spans(result.normalized.text, entry["passages"])
        extracted = [item for item in extracted if in_passages(item, spans)]
        score.indicators.extracted = len(extracted)
    score.correct_extracted = sum(
        1 for item in extracted if any(gold_value_matches(gold, item) for gold in entry.get("indicators", []))
    )
    score.fields = score_fields(entry, result.indicators)
    return score


_CUE_FIELD = {"province": "place", "city": "place", "county": "place"}


def _cue_accuracy(scores: list[DocumentScore]) -> dict[str, dict[str, list[int]]]:
    """field -> cue -> [right, scored]: a cue that is often wrong shows up here."""
    table: dict[str, dict[str, list[int]]] = {}
    for score in scores:
        for name, ok in score.meta_correct.items():
            cue = score.cues.get(_CUE_FIELD.get(name, name))
            if name == "script" or cue is None:
                continue
            counts = table.setdefault(name, {}).setdefault(cue or "none", [0, 0])
            counts[0] += ok
            counts[1] += 1
    return {name: dict(sorted(cues.items())) for name, cues in sorted(table.items())}


def totals(scores: list[DocumentScore]) -> dict[str, Any]:
    """Corpus-level figures. Precision assumes the reference lists every indicator of a file."""
    meta_checks = [(name, ok) for score in scores for name, ok in score.meta_correct.items()]
    fields: dict[str, list[bool]] = {}
    for name, ok in meta_checks:
        fields.setdefault(name, []).append(ok)
    unscored = [score for score in scores if score.status != "scored"]
    scores = [score for score in scores if score.status == "scored"]  # thresholds apply to what was scored
    outlines = [score.outline_ok for score in scores if score.outline_expected]
    gold = sum(score.indicators.gold for score in scores)
    matched = sum(score.indicators.matched for score in scores)
    extracted = sum(score.indicators.extracted for score in scores)
    correct = sum(score.correct_extracted for score in scores)
    nothing = 1.0 if scores else None  # a score over no document is no score
    precision = correct / extracted if extracted else nothing
    by_field = _field_figures(scores)  # a field the reference never states has no score, not a null one
    recall = matched / gold if gold else nothing
    return {
        "documents": len(scores),
        "errors": len(unscored),
        "missing": sum(1 for score in unscored if score.status == "missing"),
        "unscorable": sum(1 for score in unscored if score.status == "unscorable"),
        "meta_accuracy": sum(ok for _, ok in meta_checks) / len(meta_checks) if meta_checks else nothing,
        "meta_fields": {name: sum(values) / len(values) for name, values in sorted(fields.items())},
        "meta_cues": _cue_accuracy(scores),
        "outline_accuracy": sum(outlines) / len(outlines) if outlines else nothing,
        "indicators_gold": gold,
        "indicators_matched": matched,
        "indicators_extracted": extracted,
        "indicator_precision": precision,
        "indicator_recall": recall,
        "indicator_f1": (
            None
            if precision is None or recall is None
            else 2 * precision * recall / (precision + recall)
            if precision + recall
            else 0.0
        ),
        "violations": sum(score.indicators.violations for score in scores),
        "fields": {name: value for name, value in by_field.items() if value["compared"]},
        "fields_not_annotated": [name for name, value in by_field.items() if not value["compared"]],
        "documents_detail": [
            {
                "file": score.file,
                "status": score.status,
                "error": score.error,
                "meta_wrong": {
                    name: {"expected": str(e), "actual": str(a)}
                    for name, (e, a) in score.meta.items()
                    if not _same(name, e, a)
                },
                "outline_ok": score.outline_ok,
                "misses": score.indicators.misses,
                "violations": score.indicators.violation_details,
                "fields_wrong": score.fields.wrong,
            }
            for score in [*scores, *unscored]
        ],
    }


def _field_figures(scores: list[DocumentScore]) -> dict[str, dict[str, Any]]:
    total = FieldScores()
    for score in scores:
        total.add(score.fields)
    return total.figures()


def score_indicators(entry: dict[str, Any], result: Processed) -> IndicatorScore:
    score = IndicatorScore(gold=len(entry.get("indicators", [])), extracted=len(result.indicators))
    for gold in entry.get("indicators", []):
        candidates = [item for item in result.indicators if gold_value_matches(gold, item)]
        full = [
            item
            for item in candidates
            if item.qualifier == gold.get("qualifier", "exact")
            and ("target" not in gold or item.is_target == bool(gold["target"]))
        ]
        if full:
            score.matched += 1
        else:
            score.misses.append(f"{gold['context']} = {gold['value']} {gold['unit']} {gold.get('qualifier', '')}")
    for context, value in entry.get("not_indicators", []):
        bad = [item for item in result.indicators if context in item.sentence and item.value == Decimal(str(value))]
        if bad:
            score.violations += 1
            score.violation_details.append(f"{context}: {value} taken from {bad[0].text}")
    return score


@dataclass(frozen=True)
class Evaluation:
    """The scores of every reference file, the corpus figures (:func:`totals`) and why the
    evaluation failed as a gate (empty when it passed)."""

    scores: list[DocumentScore]
    figures: dict[str, Any]
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def evaluate(
    gold_path: str | Path,
    inputs_root: str | Path | None = None,
    options: Options | None = None,
    *,
    thresholds: Thresholds | None = None,
    **settings: Any,
) -> Evaluation:
    """Score the pipeline against the reference file ``gold_path`` (files are looked up beside
    it, or under ``inputs_root``) and judge the scores against ``thresholds``. It fails when a
    threshold is not met or when any file of the reference is missing or could not be
    processed (the scores then cover only the files that were scored)."""
    thresholds = thresholds or Thresholds()
    if not Path(gold_path).is_file():
        raise UsageError(
            f"--gold {display(str(gold_path))!r} is not a file", hint="Give a reference file such as seeds.gold.yaml."
        )
    options = Options.with_settings(options, settings)
    options.ruleset()  # every rule pack loaded and validated before the first file
    scores = score_files(gold_path, inputs_root, options)
    figures = totals(scores)
    where = display(str(inputs_root if inputs_root is not None else Path(gold_path).parent))
    return Evaluation(scores, figures, judge(figures, len(scores), thresholds, where))


def judge(figures: dict[str, Any], references: int, thresholds: Thresholds, where: str) -> tuple[str, ...]:
    """Why the figures fail the thresholds (and any reference file not scored is a failure)."""
    failures = []
    if figures["errors"]:
        failures.append(
            f"{figures['errors']} of {references} reference files not scored ({figures['missing']} missing or"
            f" ambiguous under {where}, {figures['unscorable']} could not be processed); the scores cover the"
            f" {figures['documents']} scored"
        )
    for name, minimum in thresholds.minimums().items():
        if figures[name] is None:
            if minimum > 0:
                failures.append(f"{name}: nothing was scored")
        elif figures[name] < minimum:
            failures.append(f"{name} {figures[name]:.3f} < {minimum}")
    if thresholds.max_violations >= 0 and figures["violations"] > thresholds.max_violations:
        failures.append(f"violations {figures['violations']} > {thresholds.max_violations}")
    return tuple(failures)


def score_files(
    gold_path: str | Path, inputs_root: str | Path | None = None, options: Options | None = None
) -> list[DocumentScore]:
    """Score every entry of ``gold_path``; files are looked up beside it (or under ``inputs_root``).
    An entry whose file is missing, ambiguous or cannot be processed gets a score with
    ``status`` missing or unscorable (and ``error`` saying why): callers must treat it as a
    failure, not leave it out silently."""
    gold = load_gold(gold_path)
    base = Path(inputs_root) if inputs_root else Path(gold_path).parent
    if not base.is_dir():
        raise UsageError(
            f"folder {display(str(base))!r} does not exist",
            hint="Give the folder that holds the reports the reference names.",
        )
    scores = []
    for entry in gold:
        found = _find(base, entry["file"])
        if len(found) != 1:
            problem = "not found" if not found else f"ambiguous: {len(found)} files named {Path(entry['file']).name}"
            scores.append(DocumentScore(entry["file"], error=f"{problem} under {display(str(base))}", status="missing"))
            continue
        result = process_file(str(found[0]), options)
        score = score_document(entry, result)
        if score.error is not None:
            score.status = "unscorable"
        scores.append(score)
    return scores


def _find(base: Path, name: str) -> list[Path]:
    direct = base / name
    if direct.is_file():
        return [direct]
    return sorted(path for path in base.rglob(Path(name).name) if path.is_file())
