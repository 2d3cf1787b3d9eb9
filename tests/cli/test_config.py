"""Defaults from lawreport.toml / [tool.lawreport], then LAWREPORT_<COMMAND>_<OPTION>, then flags;
and shell completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from lawreport.cli import app
from lawreport.cli.config import prepare
from lawreport.errors import UsageError

runner = CliRunner()


def lawreport(folder, *args, env=None):
    """The command as installed (config read from its working folder, variables named)."""
    return subprocess.run(
        [sys.executable, "-m", "lawreport", *args], cwd=folder, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, check=False,
    )  # fmt: skip


def test_pyproject_table_sets_defaults_and_env_and_flags_win(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.lawreport.rules.list]\nformat = "csv"\n')
    _, settings = prepare(app, tmp_path)
    assert runner.invoke(app, ["rules", "list"], **settings).stdout.startswith("id,name,units")
    from_env = lawreport(tmp_path, "rules", "list", env={"LAWREPORT_RULES_LIST_FORMAT": "jsonl"}).stdout
    assert json.loads(from_env.splitlines()[0])["id"]
    from_flag = lawreport(tmp_path, "rules", "list", "-f", "json", env={"LAWREPORT_RULES_LIST_FORMAT": "jsonl"})
    assert isinstance(json.loads(from_flag.stdout), list)


def test_lawreport_toml_comes_before_pyproject_and_top_level_keys_apply_to_every_command(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lawreport.rules.list]\nformat = "csv"\n')
    (tmp_path / "lawreport.toml").write_text('jobs = 3\n[rules.list]\nformat = "jsonl"\n')
    _, settings = prepare(app, tmp_path)
    assert settings["default_map"]["extract"]["jobs"] == 3 and settings["default_map"]["check"]["jobs"] == 3
    assert settings["default_map"]["rules"]["list"]["output_format"] == "jsonl"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("jbos = 1\n", "no command has the option 'jbos'"),
        ("[extract]\noutptu = 'x'\n", "extract has no option 'outptu'"),
        ("[extarct]\n", "unknown command 'extarct'"),
        ("jobs = [\n", "cannot read"),
    ],
)
def test_a_wrong_config_is_a_usage_error(tmp_path, text, message):
    (tmp_path / "lawreport.toml").write_text(text)
    with pytest.raises(UsageError, match=message):
        prepare(app, tmp_path)


def test_the_installed_command_reads_the_config_of_its_working_folder(tmp_path):
    (tmp_path / "lawreport.toml").write_text("jbos = 1\n")
    result = subprocess.run(
        [sys.executable, "-m", "lawreport", "rules", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert result.returncode == 2 and "lawreport.toml: no command has the option 'jbos'" in result.stderr


def test_completion_script_and_answers():
    script = runner.invoke(app, ["completion", "bash"]).stdout
    assert "_LAWREPORT_COMPLETE=complete_bash" in script and "complete -o default -F" in script
    assert runner.invoke(app, ["completion", "tcsh"]).exit_code == 2
    env = {
        **os.environ,
        "_LAWREPORT_COMPLETE": "complete_bash",
        "COMP_WORDS": "lawreport extract --fo",
        "COMP_CWORD": "2",
    }
    answer = subprocess.run([sys.executable, "-m", "lawreport"], capture_output=True, text=True, env=env)
    assert set(answer.stdout.split()) == {"--format", "--follow-symlinks"}
