"""`lawreport eval` against the seeds' gold file and the hand-annotated dev sample."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import DEV, FIXTURES, GOLD
from lawreport.cli import app

runner = CliRunner()


def evaluate(*args: str):
    return runner.invoke(app, ["eval", *args])


def test_seeds_metadata_outlines_and_indicator_recall():
    result = evaluate("--gold", str(GOLD), "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["documents"] == 5 and figures["errors"] == 0
    assert figures["meta_accuracy"] == 1.0
    assert all(value == 1.0 for value in figures["meta_fields"].values())
    assert figures["outline_accuracy"] == 1.0
    assert figures["indicator_recall"] == 1.0
    assert figures["violations"] == 0


def test_thresholds_fail_the_run():
    # The seeds' gold is not exhaustive, so precision against it is low by construction.
    result = evaluate("--gold", str(GOLD), "--min-precision", "0.99")
    assert result.exit_code == 1
    assert "indicator_precision" in result.output
    assert evaluate("--gold", str(GOLD), "--min-recall", "1.0", "--max-violations", "0").exit_code == 0


def test_dev_sample_reference_in_another_folder():
    result = evaluate("--gold", str(FIXTURES / "dev_sample.gold.yaml"), str(DEV), "--format", "json")
    figures = json.loads(result.stdout)
    assert figures["documents"] == 10 and figures["errors"] == 0
    assert figures["indicator_precision"] >= 0.95 and figures["indicator_recall"] >= 0.95


def test_text_report_names_every_file():
    result = evaluate("--gold", str(GOLD), "-f", "table")
    assert result.exit_code == 0
    for number in ("000", "001", "002", "003", "004"):
        assert number in result.stdout
    assert "F1" in result.stdout


def test_unreadable_reference_is_a_usage_error(tmp_path):
    bad = tmp_path / "gold.yaml"
    bad.write_text("just a string", encoding="utf-8")
    assert evaluate("--gold", str(bad)).exit_code == 2


def test_a_wrong_folder_is_a_usage_error_not_a_perfect_score(tmp_path):
    result = evaluate("--gold", str(GOLD), str(tmp_path / "WRONG_FOLDER"), "--min-recall", "1.0", "--min-f1", "1.0")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_files_missing_from_the_folder_fail_the_gate(tmp_path):
    result = evaluate("--gold", str(GOLD), str(tmp_path), "--min-recall", "1.0", "--min-f1", "1.0", "--format", "json")
    assert result.exit_code == 1
    figures = json.loads(result.stdout)
    assert figures["documents"] == 0 and figures["missing"] == 5
    assert figures["indicator_recall"] is None and figures["meta_accuracy"] is None  # no score, not 1.000
    assert "5 of 5 reference files not scored (5 missing" in result.stderr
    assert "indicator_recall: nothing was scored" in result.stderr


def test_scores_cover_what_was_scored_and_the_gap_is_counted(tmp_path):
    import shutil

    from conftest import GOLD_ENTRIES, seed_path

    for entry in GOLD_ENTRIES[:3]:
        shutil.copy(seed_path(entry), tmp_path / entry["file"])
    (tmp_path / GOLD_ENTRIES[3]["file"]).write_bytes(b"%PDF-1.4")  # found, but cannot be processed
    result = evaluate("--gold", str(GOLD), str(tmp_path), "--format", "json", "--min-recall", "1.0")
    assert result.exit_code == 1
    figures = json.loads(result.stdout)
    assert (figures["documents"], figures["missing"], figures["unscorable"]) == (3, 1, 1)
    assert figures["indicator_recall"] == 1.0 and figures["meta_accuracy"] == 1.0  # over the three scored
    assert (
        "2 of 5 reference files not scored (1 missing" in result.stderr and "1 could not be processed" in result.stderr
    )


def test_a_malformed_reference_entry_is_a_usage_error(tmp_path):
    bad = tmp_path / "gold.yaml"
    bad.write_text("- file: a.txt\n  indicators:\n    - {context: x, unit: 件}\n", encoding="utf-8")
    result = evaluate("--gold", str(bad))
    assert result.exit_code == 2 and "missing key(s) value" in result.output


def test_dev_metadata_meets_the_issue_14_targets_and_reports_accuracy_per_cue():
    result = evaluate("--gold", str(DEV.parent / "dev.gold.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    fields = figures["meta_fields"]
    assert all(value >= 0.97 for value in fields.values()), fields
    assert fields["agency"] >= 0.95
    cues = figures["meta_cues"]
    for name in ("agency", "province", "title", "report_year"):
        right = sum(counts[0] for counts in cues[name].values())
        scored = sum(counts[1] for counts in cues[name].values())
        assert scored == figures["documents"] and right / scored == fields[name]


def test_a_field_the_reference_never_states_is_not_scored():
    # seeds.gold.yaml states change for every indicator and basis for none (read by hand)
    from lawreport.qa.evaluate import evaluate

    fields = evaluate(GOLD).figures["fields"]
    assert fields["change"]["compared"] == 52
    assert "basis" not in fields and "basis" in evaluate(GOLD).figures["fields_not_annotated"]
