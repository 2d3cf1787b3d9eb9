"""`lawreport check --format github|sarif` and JUnit's file/line: each read back the way its
consumer reads it (SARIF against the official schema, workflow commands by their grammar)."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import jsonschema
from typer.testing import CliRunner

from conftest import FIXTURES
from lawreport.cli import app

runner = CliRunner()
CLEAN = (FIXTURES / "clean_report.txt").read_text(encoding="utf-8")
SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
# ::error file=…,line=…,col=…,title=…::message  (GitHub's workflow command grammar)
GITHUB_LINE = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*)::(.*)$")


def corpus(tmp_path):
    """One clean report, one without a year, one empty file, one with every character GitHub escapes."""
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "noyear.txt").write_text(re.sub(r"20\d\d年度?", "", CLEAN), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "a,b:c%.txt").write_bytes(b"")
    return tmp_path


def run(folder, fmt):
    return runner.invoke(app, ["check", str(folder), "-j", "1", "-q", "--format", fmt])


def test_sarif_is_valid_against_the_schema_and_names_every_finding(tmp_path):
    folder = corpus(tmp_path)
    expected = json.loads(run(folder, "json").stdout)["findings"]
    result = run(folder, "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(document)
    (sarif_run,) = document["runs"]
    results = sarif_run["results"]
    assert len(results) == len(expected) > 0
    rules = sarif_run["tool"]["driver"]["rules"]
    for item in results:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
        assert item["level"] in ("error", "warning")
    uris = {item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for item in results}
    assert any(uri.endswith("empty.txt") for uri in uris)
    assert any(uri.endswith("a%2Cb%3Ac%25.txt") for uri in uris), uris
    assert sorted(item["ruleId"] for item in results) == sorted(finding["code"] for finding in expected)


def test_sarif_of_a_clean_folder_has_no_results_and_still_validates(tmp_path):
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    result = run(tmp_path, "sarif")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(document)
    assert document["runs"][0]["results"] == []


def test_github_lines_follow_the_workflow_command_grammar(tmp_path):
    folder = corpus(tmp_path)
    expected = json.loads(run(folder, "json").stdout)["findings"]
    lines = run(folder, "github").stdout.splitlines()
    assert all(GITHUB_LINE.match(line) for line in lines), lines
    annotations = [line for line in lines if not line.startswith("::notice")]
    assert len(annotations) == len(expected)
    assert lines[-1].startswith("::notice ")
    for finding in expected:
        if finding["line"] is not None:
            assert any(f"line={finding['line']},col={finding['column']}" in line for line in annotations)
    # the odd name is escaped, so the properties still split on "," and ":"
    assert any("a%2Cb%3Ac%25.txt" in line for line in annotations)


def test_junit_cases_carry_file_and_line(tmp_path):
    folder = corpus(tmp_path)
    findings = json.loads(run(folder, "json").stdout)["findings"]
    root = ET.fromstring(run(folder, "junit").stdout.encode())
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert cases and all(case.get("file") == name for name, case in cases.items())
    lined = {f["path"] for f in findings if f["line"] is not None and f["severity"] == "error"}
    assert lined
    for path in lined:
        first = min(f["line"] for f in findings if f["path"] == path and f["severity"] == "error" and f["line"])
        assert cases[path].get("line") == str(first)
