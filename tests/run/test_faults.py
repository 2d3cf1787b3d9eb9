"""Faults are rows, not hangs: a worker that dies (pool or Dask) costs only its file, names
that are not UTF-8 are kept, and an interrupted run keeps its work and resumes."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import tables, write_reports
from killer import PoisonTask
from lawreport.cli import app
from lawreport.errors import RunInterrupted
from lawreport.run import batch
from lawreport.run.batch import extract


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging forever."""

    def expired(*_):
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _poisoned_corpus(tmp_path):
    folder = tmp_path / "in"
    write_reports(folder, 30)
    (folder / "r00012_poison.txt").write_text((folder / "r00012.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _check_poison_row(out, folder, summary) -> None:
    assert summary.failed == 1 and summary.ok == 30
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["path"]) == [str(folder / "r00012_poison.txt")]
    assert errors["error_type"][0] == "WorkerDied" and "out of memory?" in errors["message"][0]


def test_a_worker_killed_mid_run_becomes_an_error_row(tmp_path, monkeypatch):
    folder = _poisoned_corpus(tmp_path)
    monkeypatch.setattr(batch, "ExtractTask", PoisonTask)
    out = tmp_path / "out"
    with deadline(120):
        summary = extract([folder], out, jobs=2)
    _check_poison_row(out, folder, summary)
    assert "killed by SIGKILL" in pd.read_csv(out / "errors.csv")["message"][0]
    # The dead file is not cached: the next run tries it again.
    monkeypatch.undo()
    again = extract([folder], out, jobs=2)
    assert again.reused == 30 and again.failed == 0


def test_a_dask_worker_killed_mid_run_becomes_an_error_row(tmp_path, monkeypatch):
    import dask
    import distributed

    folder = _poisoned_corpus(tmp_path)
    monkeypatch.setattr(batch, "ExtractTask", PoisonTask)
    out = tmp_path / "out"
    with (
        deadline(240),
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster,
    ):
        summary = extract([folder], out, engine="dask", scheduler=cluster.scheduler_address, partition=False)
    _check_poison_row(out, folder, summary)


def test_file_names_that_are_not_utf8_are_kept_and_shown_escaped(tmp_path):
    folder = tmp_path / "in"
    (path,) = write_reports(folder, 1)
    raw = os.fsencode(folder)
    os.rename(path, raw + b"/" + "报告".encode("gbk") + b".txt")  # a GBK name from a Windows zip
    os.mkdir(raw + b"/" + "年度".encode("gbk"))
    os.rename(write_reports(folder / "plain", 1)[0], raw + b"/" + "年度".encode("gbk") + b"/r.txt")
    with open(raw + b"/\xff.txt", "wb"):
        pass  # empty: an error row that names it
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(folder), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    gbk, year = r"\xb1\xa8\xb8\xe6.txt", r"\xc4\xea\xb6\xc8/r.txt"
    assert f"failed {folder}/\\xff.txt: file is empty" in result.output
    documents = pd.read_parquet(out / "documents.parquet")
    assert set(documents["path"]) == {f"{folder}/{gbk}", f"{folder}/{year}", f"{folder}/\\xff.txt"}
    assert set(documents["status"]) == {"ok", "error"} and (documents["status"] == "ok").sum() == 2
    assert extract([folder], out, jobs=1).reused == 3  # the same identity next time


def _interrupt_after(count: int):
    finished = 0

    def on_file(_rows):
        nonlocal finished
        finished += 1
        if finished == count:
            raise KeyboardInterrupt

    return on_file


def test_an_interrupted_run_keeps_its_work_and_the_resumed_run_equals_an_uninterrupted_one(tmp_path):
    folder = tmp_path / "in"
    write_reports(folder, 12)
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    before = tables(out)
    write_reports(folder, 40, start=100)  # the next batch lands in the same folder
    with pytest.raises(RunInterrupted) as interrupted:
        extract([folder], out, jobs=1, on_file=_interrupt_after(25))
    assert (interrupted.value.done, interrupted.value.total) == (25, 52)
    assert interrupted.value.message == "interrupted after 25 of 52 files"
    assert tables(out) == before  # the old tables are whole
    resumed = extract([folder], out, jobs=2)
    assert resumed.reused == 25  # 12 old, 13 new ones finished before the interrupt
    extract([folder], tmp_path / "uninterrupted", jobs=1)
    assert tables(out) == tables(tmp_path / "uninterrupted")


def _dataset_rows(out) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        return db.execute("SELECT path, sha256 FROM files ORDER BY path").fetchall()


@pytest.mark.parametrize("kill", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "sigterm", "kill-9"])
def test_a_signalled_run_leaves_the_tables_whole_and_says_how_far_it_got(tmp_path, kill):
    folder = tmp_path / "in"
    write_reports(folder, 10)
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    before, dataset = tables(out), _dataset_rows(out)
    write_reports(folder, 600, start=1000)  # enough that the signal lands mid-run on a fast machine
    command = [sys.executable, "-m", "lawreport", "extract", str(folder), "-o", str(out), "-j", "2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    normalized = out / "normalized"
    deadline_at = time.time() + 120
    while len(os.listdir(normalized)) < 20:  # a few new files are done
        assert time.time() < deadline_at and process.poll() is None
        time.sleep(0.02)
    process.send_signal(kill)
    _, stderr = process.communicate(timeout=60)
    assert tables(out) == before and _dataset_rows(out) == dataset
    if kill != signal.SIGKILL:
        assert process.returncode == 130
        line = stderr.strip().splitlines()[-1]
        assert line.startswith("interrupted after ") and " of 610 files; " in line and "run again to continue" in line
        done = int(line.split()[2].replace(",", ""))
        assert 10 < done < 610
    assert not [entry for entry in os.scandir(out) if ".tmp-" in entry.name]
    resumed = extract([folder], out, jobs=2)
    assert resumed.reused >= (10 if kill == signal.SIGKILL else done)
    extract([folder], tmp_path / "uninterrupted", jobs=2)
    assert tables(out) == tables(tmp_path / "uninterrupted")
