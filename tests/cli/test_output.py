"""Printing commands: --format table|json|jsonl|csv, `-` for standard input, a closed pipe is
exit 0, -v/-q/--log-file on every command, a progress line without a terminal, real metavars."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from lawreport.cli import app
from lawreport.cli.app import ProgressLine, duration

runner = CliRunner()
REPORT = FIXTURES / "clean_report.txt"
LAWREPORT = [sys.executable, "-m", "lawreport"]


def invoke(*args: str, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


@pytest.mark.parametrize("command", ["indicators", "sections"])
def test_rows_are_the_same_in_json_jsonl_and_csv(command):
    as_json = json.loads(invoke(command, str(REPORT), "-f", "json").stdout)
    as_jsonl = [json.loads(line) for line in invoke(command, str(REPORT), "-f", "jsonl").stdout.splitlines()]
    as_csv = list(csv.DictReader(io.StringIO(invoke(command, str(REPORT), "-f", "csv").stdout)))
    assert as_json == as_jsonl and len(as_json) == len(as_csv) > 0
    key = "text" if command == "indicators" else "heading"
    assert [row[key] for row in as_json] == [row[key] for row in as_csv]


def test_default_is_jsonl_into_a_pipe_and_a_table_only_when_asked():
    piped = invoke("indicators", str(REPORT))  # CliRunner's stdout is not a terminal
    rows = [json.loads(line) for line in piped.stdout.splitlines()]
    assert rows and all("sentence" in row for row in rows)
    table = invoke("indicators", str(REPORT), "-f", "table").stdout
    assert "indicators" in table and not table.lstrip().startswith("{")


def test_standard_input_gives_the_same_rows_as_the_file():
    data = REPORT.read_bytes()
    from_file = json.loads(invoke("indicators", str(REPORT), "-f", "json").stdout)
    from_stdin = json.loads(invoke("indicators", "-", "-f", "json", input=data).stdout)
    assert from_stdin == from_file  # doc_id is the content hash: the name does not matter
    text = invoke("normalize", "-", input=data)
    assert text.exit_code == 0 and text.stdout == invoke("normalize", str(REPORT)).stdout


def test_empty_standard_input_is_one_line_exit_1():
    result = invoke("sections", "-", input=b"")
    assert result.exit_code == 1 and "error: -: file is empty" in result.output


def test_rules_list_rows_and_eval_rows():
    rows = [json.loads(line) for line in invoke("rules", "list", "-f", "jsonl").stdout.splitlines()]
    assert rows and {"id", "name", "units", "context", "source"} <= set(rows[0])
    assert len({row["id"] for row in rows}) == len(rows)
    listed = list(csv.DictReader(io.StringIO(invoke("rules", "list", "-f", "csv").stdout)))
    assert [row["id"] for row in listed] == [row["id"] for row in rows]


def test_a_reader_that_closes_the_pipe_early_is_exit_0():
    # the read end is closed before the command writes: every write fails with EPIPE
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [*LAWREPORT, "rules", "list", "-f", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "error" not in stderr.lower()


@pytest.mark.parametrize(
    "command",
    [["normalize", str(REPORT)], ["sections", str(REPORT)], ["rules", "list"], ["check", str(REPORT)], ["schema"]],
)
def test_every_command_takes_verbose_quiet_and_log_file(command, tmp_path):
    log = tmp_path / "run.log"
    result = invoke(*command, "-v", "-q", "--log-file", str(log))
    assert result.exit_code in (0, 1), result.output
    assert log.exists()


def test_log_file_gets_debug_lines_with_times(tmp_path):
    log = tmp_path / "run.log"
    out = tmp_path / "out"
    result = invoke("extract", str(REPORT), "-o", str(out), "-j", "1", "-q", "--log-file", str(log))
    assert result.exit_code == 0, result.output
    text = log.read_text(encoding="utf-8")
    assert "DEBUG lawreport: done" in text and "clean_report.txt" in text
    assert text[:4].isdigit()  # each line starts with its time


def test_a_log_file_that_cannot_be_written_is_a_usage_error(tmp_path):
    result = invoke("rules", "list", "--log-file", str(tmp_path / "no" / "such" / "x.log"))
    assert result.exit_code == 2 and "--log-file" in result.output


def test_progress_line_reports_rate_and_eta():
    progress = ProgressLine("extract", every_files=2, every_seconds=3600)
    progress.total = 10
    assert "ETA" in progress.line(progress.started + 1)
    progress.files = 4
    line = progress.line(progress.started + 2.0)
    assert line.startswith("extract: 4/10 files (40%), 2.0 files/s") and line.endswith("ETA 0m03s")
    assert duration(3725) == "1h02m" and duration(float("inf")) == "?"


def test_progress_lines_appear_without_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules["lawreport.cli.app"], "PROGRESS_EVERY_FILES", 1)
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(3):
        (folder / f"r{number}.txt").write_bytes(REPORT.read_bytes().replace(b"2022", str(2010 + number).encode()))
    result = invoke("extract", str(folder), "-o", str(tmp_path / "out"), "-j", "1")
    lines = [line for line in result.stderr.splitlines() if line.startswith("extract: ")]
    assert [line.split(" files")[0] for line in lines] == ["extract: 1/3", "extract: 2/3", "extract: 3/3"]
    assert all("ETA" in line for line in lines)


def test_help_shows_metavars_and_an_example_never_python_types():
    pages = [[], ["extract"], ["check"], ["eval"], ["normalize"], ["sections"], ["indicators"], ["schema"], ["report"]]
    pages += [["rules", "list"], ["rules", "test"], ["rules", "new"], ["completion"]]
    for page in pages:
        text = invoke(*page, "--help", terminal_width=200).stdout
        assert "Example" in text, page
        for python_type in ("<list", "<bool>", "<path>", "<str>", "<int>", "<float>", "<integer>", "<text>"):
            assert python_type not in text, (page, python_type)


def test_schema_lists_every_column_of_a_table_with_its_meaning(tmp_path):
    from lawreport.tables.schemas import INDICATORS

    rows = [json.loads(line) for line in invoke("schema", "indicators", "-f", "jsonl").stdout.splitlines()]
    assert [row["column"] for row in rows] == INDICATORS.columns
    assert all(row["title"] and row["description"] != "(not documented yet)" for row in rows)
    qualifier = next(row for row in rows if row["column"] == "qualifier")
    assert {"exact", "approx", "over", "at_least", "at_most", "under"} <= set(qualifier["codes"])
    out = tmp_path / "out"
    assert invoke("extract", str(REPORT), "-o", str(out), "-j", "1", "-q").exit_code == 0
    written = [
        json.loads(line) for line in invoke("schema", "indicators", "-o", str(out), "-f", "jsonl").stdout.splitlines()
    ]
    assert [row["column"] for row in written] == INDICATORS.columns
    assert invoke("schema", "nope").exit_code == 2


def test_eval_rows_name_every_file_of_the_reference():
    from conftest import GOLD

    rows = [json.loads(line) for line in invoke("eval", "--gold", str(GOLD), "-f", "jsonl").stdout.splitlines()]
    assert len(rows) == 5 and all(row["status"] == "scored" for row in rows)
    assert all(row["matched"] <= row["gold"] for row in rows)
