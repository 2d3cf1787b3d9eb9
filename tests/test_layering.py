"""The house rules hold (scripts/check_layers.py): no import cycles, no lower stage importing
a higher one, no module reaching into another's private names; and the checker finds each
kind of breach when one is planted."""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "check_layers.py"
SOURCE = ROOT / "src" / "lawreport"
checker = runpy.run_path(str(SCRIPT))


def test_the_package_keeps_the_house_rules():
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_every_module_has_a_layer():
    for path in SOURCE.rglob("*.py"):
        checker["layer_of"](checker["module_name"](path, SOURCE))


@pytest.fixture
def planted(tmp_path):
    """A copy of the package to plant breaches in."""
    copy = tmp_path / "lawreport"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    return copy


PLANTS = [
    ("zh/dates.py", "from lawreport.pipeline import process_file\n", "zh.dates:", "imports pipeline, a higher layer"),
    ("records.py", "from lawreport.text import offsets\n", "records:", "imports text.offsets, a higher layer"),
    ("zh/numerals.py", "from lawreport.zh.dates import _spelled\n", "zh.numerals:", "import cycle"),
    (
        "text/title.py",
        "from lawreport.text.normalize import _run_on_heading\n",
        "text.title:",
        "imports private _run_on_heading",
    ),
    ("qa/check.py", "from lawreport.run import batch\nbatch._Run\n", "qa.check:", "uses the private run.batch._Run"),
]


@pytest.mark.parametrize(("file", "line", "where", "problem"), PLANTS, ids=[plant[3] for plant in PLANTS])
def test_a_planted_breach_is_found(planted, file, line, where, problem):
    path = planted / file
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line, encoding="utf-8")
    found = checker["problems"](planted)
    assert any(problem in item and (where in item or item.startswith("import cycle")) for item in found), found


def test_every_test_file_is_in_the_test_paths():
    import tomllib

    paths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    listed = [ROOT / path for path in paths["testpaths"]]
    for test_file in (ROOT / "tests").rglob("test_*.py"):
        assert any(test_file == path or path in test_file.parents for path in listed), test_file
