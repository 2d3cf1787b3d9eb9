"""All tables of a run become visible together: a commit killed or failing at any step leaves
the previous dataset whole (or, past the manifest's commit, the new one whole), never a mix."""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from conftest import small_report, write_reports
from lawreport.cli import app
from lawreport.errors import OutputError
from lawreport.run import commit as commit_module
from lawreport.run.batch import extract
from lawreport.run.commit import recover
from lawreport.run.manifest import committed_generation
from lawreport.tables.folder import JOURNAL_NAME

TABLES = [
    f"{name}.{fmt}"
    for name in ("documents", "sections", "indicators", "indicators_wide", "errors")
    for fmt in ("csv", "parquet")
]


def state(out) -> tuple[dict[str, bytes | None], list[tuple]]:
    """The tables on disk and the dataset the manifest records."""
    tables = {name: (out / name).read_bytes() if (out / name).exists() else None for name in TABLES}
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        dataset = db.execute("SELECT path, root, sha256 FROM files ORDER BY path").fetchall()
    return tables, dataset


def leftovers(out) -> list[str]:
    return sorted(entry.name for entry in os.scandir(out) if ".tmp-" in entry.name or ".old-" in entry.name)


@pytest.fixture
def scenario(tmp_path):
    """A dataset, the change a new run makes to it, and that run's result built elsewhere."""
    folder = tmp_path / "in"
    write_reports(folder, 3)
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    old = state(out)
    (folder / "r00001.txt").write_text(small_report(77), encoding="utf-8")
    (folder / "r00002.txt").unlink()
    write_reports(folder, 1, start=9)
    reference = tmp_path / "reference"
    extract([folder], reference, jobs=1)
    new_tables = state(reference)[0]
    return folder, out, old, new_tables


def _die_at(step: int, folder, out) -> None:
    """In a forked child: run, and die (as by kill -9) instead of doing commit step ``step``."""
    calls = 0
    real = commit_module._do

    def do(operation, *args):
        nonlocal calls
        calls += 1
        if calls == step:
            os._exit(9)
        return real(operation, *args)

    commit_module._do = do
    extract([folder], out, jobs=1)
    os._exit(0)


def test_a_commit_killed_at_any_step_leaves_old_or_new_whole(scenario, tmp_path):
    folder, out, old, new_tables = scenario
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine, symlinks=True)
    context = multiprocessing.get_context("fork")
    outcomes = []
    step = 0
    while True:
        step += 1
        child = context.Process(target=_die_at, args=(step, folder, out))
        child.start()
        child.join(60)
        if child.exitcode == 0:  # the run got through every step: nothing was killed
            break
        assert child.exitcode == 9
        recover(out, committed_generation(out))  # what the next run does first
        tables, dataset = state(out)
        if tables == old[0]:
            assert dataset == old[1], step
            outcomes.append("old")
        else:
            assert tables == new_tables, f"a mix of old and new tables after a kill at step {step}"
            assert len(dataset) == 3 and dataset != old[1]
            outcomes.append("new")
        assert not (out / JOURNAL_NAME).exists()
        if outcomes.count(outcomes[-1]) == 1:  # the next run completes it, from either side
            extract([folder], out, jobs=1)
            assert state(out)[0] == new_tables and not leftovers(out)
        shutil.rmtree(out)
        shutil.copytree(pristine, out, symlinks=True)
    assert step > 20 and "old" in outcomes and "new" in outcomes


def test_a_failure_at_any_step_undoes_the_commit_at_once(scenario, monkeypatch, tmp_path):
    folder, out, old, new_tables = scenario
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine, symlinks=True)
    real = commit_module._do
    step = 0
    while True:
        step += 1
        calls = 0

        def do(operation, *args, _step=step):
            nonlocal calls
            calls += 1
            if calls == _step:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(operation, *args)

        monkeypatch.setattr(commit_module, "_do", do)
        try:
            extract([folder], out, jobs=1)
        except OutputError as error:
            assert "No space left on device" in error.message and "unchanged" in error.hint
            assert state(out) == old and not leftovers(out) and not (out / JOURNAL_NAME).exists()
        else:
            # Past the manifest's commit a failure only leaves a backup to tidy: the new dataset stands.
            assert state(out)[0] == new_tables
            if calls < step:
                break
        shutil.rmtree(out)
        shutil.copytree(pristine, out, symlinks=True)
    assert step > 20


def test_a_full_disk_while_writing_tables_is_one_line_and_changes_nothing(scenario, monkeypatch):
    from lawreport.tables.formats import csv as csv_format

    folder, out, old, _ = scenario
    real = csv_format.Sink.write

    def full(self, table, rows, years):
        if table == "indicators":
            raise OSError(errno.ENOSPC, "No space left on device", str(out / ".indicators.csv.tmp-1"))
        return real(self, table, rows, years)

    monkeypatch.setattr(csv_format.Sink, "write", full)
    result = CliRunner().invoke(app, ["extract", str(folder), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write") and "No space left" in lines[0]
    assert state(out) == old and not leftovers(out)


def test_an_unwritable_output_folder_keeps_the_finished_work(scenario, monkeypatch):
    from lawreport.run import batch

    folder, out, old, new_tables = scenario

    def refused(path, text):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(batch, "write_text_atomic", refused)
    result = CliRunner().invoke(app, ["extract", str(folder), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "Permission denied" in result.output and "finished files are kept" in result.output
    assert state(out) == old
    monkeypatch.undo()
    extract([folder], out, jobs=1)
    assert state(out)[0] == new_tables


def test_readers_are_told_about_a_commit_that_was_killed(scenario):
    from lawreport.tables.folder import CommitInterrupted
    from lawreport.tables.frames import load_table

    folder, out, _, new_tables = scenario
    child = multiprocessing.get_context("fork").Process(target=_die_at, args=(5, folder, out))
    child.start()
    child.join(60)
    assert child.exitcode == 9 and (out / JOURNAL_NAME).exists()
    with pytest.raises(CommitInterrupted, match="unfinished commit"):
        load_table(out, "documents")
    extract([folder], out, jobs=1)
    assert len(load_table(out, "documents")) == 3 and state(out)[0] == new_tables
