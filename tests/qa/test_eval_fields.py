"""`lawreport eval` on the extended reference format: per-field scores, pairs, passages."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import FIXTURES
from lawreport.cli import app

runner = CliRunner()


def test_per_field_scores_of_a_hand_made_reference():
    result = runner.invoke(
        app, ["eval", "--gold", str(FIXTURES / "eval_fields.gold.yaml"), str(FIXTURES / "eval13"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["indicators_gold"] == 7 and figures["indicators_matched"] == 7
    # Precision counts only the rows inside the passages (新建学校3所 is outside them).
    assert figures["indicators_extracted"] == 6 and figures["indicator_precision"] == 1.0
    fields = figures["fields"]
    assert fields["change"] == {"compared": 7, "correct": 6, "accuracy": 6 / 7, "precision": 1.0, "recall": 0.5}
    assert fields["basis"]["correct"] == fields["basis"]["compared"] == 1
    assert fields["role"]["accuracy"] == 1.0 and fields["role"]["compared"] == 2
    assert fields["pair"] == {"compared": 1, "correct": 1, "accuracy": 1.0}
    assert fields["respectively"]["recall"] == 1.0 and fields["respectively"]["compared"] == 2
    assert fields["subject"] == {"compared": 7, "correct": 7, "accuracy": 1.0}
    assert "estimate" not in fields and figures["fields_not_annotated"] == ["estimate"]  # not stated: no score
    wrong = figures["documents_detail"][0]["fields_wrong"]
    assert wrong == ["change: 失业率4.6% expected 'down', got ''"]


def test_an_unknown_field_is_an_error_of_the_reference(tmp_path):
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "- file: report.txt\n  indicators:\n    - {context: 失业率4.6%, value: 4.6, unit: '%', chnage: up}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "--gold", str(gold), str(FIXTURES / "eval13")])
    assert result.exit_code == 2 and "chnage" in result.output
