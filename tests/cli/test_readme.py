"""The README stays true: every command it shows exists with the options it uses, the ones that
work on the bundled data run, and its Python example runs (STYLE.md principle 8)."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import GOLD, RAW, ROOT
from lawreport.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _commands(program: str) -> list[list[str]]:
    """Each ``program …`` line of the bash blocks, comments cut, ``a | b | c`` alternatives expanded."""
    commands = []
    for block in _blocks("bash"):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if not line.startswith(program + " "):
                continue
            words = shlex.split(line)[1:]
            if "|" in words:  # "rules list | test [PACK] | new PACK"
                head, rest = words[0], " ".join(words[1:])
                for alternative in rest.split("|"):
                    commands.append([head, *alternative.replace("[", "").replace("]", "").split()])
            else:
                commands.append(words)
    return commands


LAWREPORT_COMMANDS = _commands("lawreport")
MAKE_TARGETS = [words[0] for words in _commands("make")]


def test_readme_shows_commands():
    assert len(LAWREPORT_COMMANDS) >= 15 and {"run", "test", "bench"} <= set(MAKE_TARGETS)


@pytest.mark.parametrize("words", LAWREPORT_COMMANDS, ids=" ".join)
def test_every_readme_command_parses(words):
    # --help is eager: options are checked while parsing, nothing runs.
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("target", MAKE_TARGETS)
def test_every_readme_make_target_exists(target):
    # a rule line may name several targets: "run extract: install"
    assert re.search(rf"^(?:[\w-]+ )*{re.escape(target)}(?: [\w-]+)*:", MAKEFILE, flags=re.M), target


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """The folders the README's examples name, made of the bundled reports."""
    shutil.copytree(RAW, tmp_path / "reports")
    shutil.copytree(RAW, tmp_path / "big")
    shutil.copytree(RAW, tmp_path / "batch_2024")
    shutil.copytree(RAW, tmp_path / "data" / "raw")
    first = sorted((tmp_path / "reports").glob("*.txt"))[0]
    shutil.copy(first, tmp_path / "report.txt")
    (tmp_path / "more.html").write_text(
        "<html><body><h1>某区2023年法治政府建设年度报告</h1><p>一、主要举措</p><p>办理行政复议案件12件。</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "paths.txt").write_text("\n".join(str(p) for p in sorted(RAW.glob("*.txt"))) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# The commands of "Using it" and "Rule packs" that need no cluster and no files of the reader's.
RUNNABLE = [
    "extract",
    "extract reports/ more.html -o out --format parquet",
    "extract batch_2024/ -o out",
    "extract reports/ --replace",
    "extract reports/ --follow-symlinks",
    "extract reports/ --encoding gb18030",
    "extract reports/ -j 2",
    "extract --full",
    "extract --manifest paths.txt -o listed",
    "extract big/ --partition -o parts",
    "normalize report.txt",
    "sections report.txt",
    "indicators report.txt",
    "rules list",
    "rules new my_pack",
    "check reports/ --format junit",
    "check reports/ --format sarif",
    "extract reports/ -o out -f csv,parquet,xlsx,dta,sqlite,jsonl",
    "indicators report.txt -f csv",
    "schema indicators",
    "completion bash",
    "extract reports/ -v --log-file run.log",
]


@pytest.mark.parametrize("command", RUNNABLE)
def test_readme_command_runs(workspace, command):
    assert any(words[: len(command.split()[:2])] == command.split()[:2] for words in LAWREPORT_COMMANDS)
    result = CliRunner().invoke(app, command.split())
    expected = {"check reports/ --format junit": (0, 1), "check reports/ --format sarif": (0, 1)}.get(command, (0,))
    assert result.exit_code in expected, result.output
    if command == "extract reports/ more.html -o out --format parquet":
        assert (workspace / "out" / "indicators.parquet").is_file() and not (
            workspace / "out" / "indicators.csv"
        ).exists()
    if command == "extract batch_2024/ -o out":
        assert str(workspace / "batch_2024").encode() in (workspace / "out" / "documents.csv").read_bytes()
    if command == "extract big/ --partition -o parts":
        assert any((workspace / "parts" / "indicators").glob("report_year=*/part-0.parquet"))
    if command == "extract reports/ -o out -f csv,parquet,xlsx,dta,sqlite,jsonl":
        for name in ("lawreport.xlsx", "lawreport.sqlite", "indicators.dta", "indicators.jsonl", "datapackage.json"):
            assert (workspace / "out" / name).is_file(), name
        assert CliRunner().invoke(app, ["report", "out"]).exit_code == 0  # the README's `lawreport report out`
        assert (workspace / "out" / "report.html").is_file()
    if command == "extract reports/ -v --log-file run.log":
        assert (workspace / "run.log").stat().st_size > 0
    if command == "rules new my_pack":
        assert CliRunner().invoke(app, ["rules", "test", "my_pack"]).exit_code == 0
        assert CliRunner().invoke(app, ["extract", "--rules", "my_pack", "-o", "with_pack"]).exit_code == 0


def test_readme_two_batches_end_in_one_dataset(workspace):
    import pandas as pd

    for command in ("extract reports/ more.html -o out --format parquet", "extract batch_2024/ -o out"):
        assert CliRunner().invoke(app, command.split()).exit_code == 0
    roots = set(pd.read_parquet(workspace / "out" / "documents.parquet")["root"])
    assert roots >= {str(workspace / "reports"), str(workspace / "batch_2024")}


def test_readme_pipe_into_manifest_dash_runs(workspace):
    import subprocess
    import sys

    line = next(line for block in _blocks("bash") for line in block.splitlines() if "--manifest -" in line)
    command = line.split("  #", 1)[0].strip()
    bin_folder = str(Path(sys.executable).parent)
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} -o piped -q"],
        cwd=workspace,
        env={**os.environ, "PATH": bin_folder + os.pathsep + os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (workspace / "piped" / "documents.csv").read_text(encoding="utf-8-sig").count("\n") == 6


def test_readme_eval_command_meets_its_threshold(workspace):
    result = CliRunner().invoke(app, ["eval", "--gold", str(GOLD), "--min-recall", "1.0"])
    assert result.exit_code == 0, result.output


def test_readme_manifest_query_works(workspace):
    assert CliRunner().invoke(app, ["extract"]).exit_code == 0
    query = re.search(r"sqlite3 data/out/manifest\.sqlite '([^']+)'", README)
    assert query, "the README shows how to look into the manifest"
    with contextlib.closing(sqlite3.connect(workspace / "data" / "out" / "manifest.sqlite")) as db:
        rows = db.execute(query.group(1)).fetchall()
    assert len(rows) == 5 and all(len(sha) == 64 for _, _, sha in rows)


def test_readme_python_example_runs():
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in _blocks("python"):
            namespace: dict[str, object] = {}
            exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(previous)
