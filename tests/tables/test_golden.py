"""Golden output: the tables and normalised texts of the five seeds, kept in tests/golden/seeds/.

Any change in output shows up here as a reviewable diff (scripts/compare_tables.py: the
changed cells of each row, by document). When a change is meant, accept it with
``pytest tests/tables/test_golden.py --update-golden`` and review ``git diff tests/golden``.
Paths are stored relative to the corpus (``seeds/000_….txt``), so the files do not depend on
where the checkout is.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, SEEDS
from lawreport import extract
from lawreport.tables.schemas import TABLE_NAMES

SEEDS_GOLDEN = GOLDEN / "seeds"
COMPARE = ROOT / "scripts" / "compare_tables.py"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """The seeds' tables as the current code writes them, with paths relative to the corpus."""
    out = tmp_path_factory.mktemp("golden") / "out"
    extract([SEEDS], out, jobs=1, formats="csv")
    tables = tmp_path_factory.mktemp("golden") / "seeds"
    tables.mkdir()
    folder = os.path.realpath(SEEDS).encode()  # as the tables name it (symlinks resolved)
    for name in TABLE_NAMES:  # byte for byte, but for the corpus folder
        data = (out / f"{name}.csv").read_bytes()
        data = data.replace(folder + b"/", b"seeds/").replace(folder, b"seeds")
        (tables / f"{name}.csv").write_bytes(data)
    shutil.copytree(out / "normalized", tables / "normalized")
    return tables


def test_seed_output_equals_the_golden_files(fresh, update_golden):
    if update_golden:
        shutil.rmtree(SEEDS_GOLDEN, ignore_errors=True)
        shutil.copytree(fresh, SEEDS_GOLDEN)
    assert SEEDS_GOLDEN.is_dir(), "no golden files: run pytest tests/tables/test_golden.py --update-golden"
    result = subprocess.run(
        [sys.executable, str(COMPARE), str(SEEDS_GOLDEN), str(fresh), "--limit", "40"], capture_output=True, text=True
    )
    assert result.returncode == 0, (
        "the seeds' output differs from tests/golden/seeds (golden -> now):\n"
        + result.stdout
        + "\nIf the change is meant: pytest tests/tables/test_golden.py --update-golden, then review git diff tests/golden"
    )


def test_the_golden_files_hold_every_table_and_no_absolute_path():
    for name in TABLE_NAMES:
        text = (SEEDS_GOLDEN / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert "/work/" not in text and str(ROOT) not in text
        assert text.count("\n") > 1 or name == "errors", name
    assert len(list((SEEDS_GOLDEN / "normalized").glob("*.txt"))) == 5


def test_a_changed_cell_shows_in_the_diff(fresh, tmp_path):
    changed = tmp_path / "seeds"
    shutil.copytree(fresh, changed)
    indicators = changed / "indicators.csv"
    with indicators.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("unit")
    unit, rows[1][column] = rows[1][column], "斤"
    with indicators.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    result = subprocess.run([sys.executable, str(COMPARE), str(fresh), str(changed)], capture_output=True, text=True)
    assert result.returncode == 1
    assert f"unit: '{unit}' -> '斤'" in result.stdout and "1 changed" in result.stdout
