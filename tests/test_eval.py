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
    result = evaluate("--gold", str(GOLD))
    assert result.exit_code == 0
    for number in ("000", "001", "002", "003", "004"):
        assert number in result.stdout
    assert "F1" in result.stdout


def test_unreadable_reference_is_a_usage_error(tmp_path):
    bad = tmp_path / "gold.yaml"
    bad.write_text("just a string", encoding="utf-8")
    assert evaluate("--gold", str(bad)).exit_code == 2
