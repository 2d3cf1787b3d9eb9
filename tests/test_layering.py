"""The house rules hold (scripts/check_layers.py): no import cycles, no lower stage importing
a higher one, no module reaching into another's private names; and the checker finds each
kind of breach when one is planted."""

from __future__ import annotations

import runpy
import subprocess
import sys

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "check_layers.py"
SOURCE = ROOT / "src" / "lawreport"
checker = runpy.run_path(str(SCRIPT))


def test_the_package_keeps_the_house_rules():
    assert checker["problems"](SOURCE) == []


def test_the_script_says_so_with_its_exit_code():
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stderr.startswith("0 problem(s)")


def test_every_module_has_a_layer():
    for path in SOURCE.rglob("*.py"):
        checker["layer_of"](checker["module_name"](path, SOURCE))


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
def test_a_planted_breach_is_found(file, line, where, problem):
    planted = (SOURCE / file).read_text(encoding="utf-8") + "\n" + line
    found = checker["problems"](SOURCE, {file: planted})
    assert any(problem in item and (where in item or item.startswith("import cycle")) for item in found), found


def test_every_test_file_is_in_the_test_paths():
    import tomllib

    paths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    # tests/browser needs chromium from apt (network): `make test-browser` runs it, not `make test`
    listed = [ROOT / path for path in paths["testpaths"]] + [ROOT / "tests" / "browser"]
    for test_file in (ROOT / "tests").rglob("test_*.py"):
        assert any(test_file == path or path in test_file.parents for path in listed), test_file
