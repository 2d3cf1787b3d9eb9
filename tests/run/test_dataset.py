"""An output folder is a dataset: batches add to it, a re-run updates its own input, nothing
read means nothing replaced, lists of paths stream (also from a pipe)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import RAW, TABLES, small_report, tables, write_reports
from lawreport.cli import app
from lawreport.errors import NothingReadError
from lawreport.run.batch import extract

runner = CliRunner()


def everything(out) -> dict[str, bytes]:
    """Every file in the output folder, by relative path (the manifest's dataset as rows)."""
    found = {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}
    found.pop("manifest.sqlite", None)
    found.pop(".lawreport.lock", None)
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        found["dataset"] = repr(db.execute("SELECT * FROM files ORDER BY path").fetchall()).encode()
    return found


def documents(out) -> pd.DataFrame:
    return pd.read_csv(out / "documents.csv", encoding="utf-8-sig")


def test_second_batch_adds_to_the_dataset_and_a_rerun_updates_only_its_input(tmp_path):
    first, second = tmp_path / "batch_2023", tmp_path / "batch_2024"
    write_reports(first, 3, year=2023)
    write_reports(second, 2, start=10, year=2024)
    out = tmp_path / "out"
    extract([first], out, jobs=1)
    extract([second], out, jobs=1)
    table = documents(out)
    assert sorted(table["path"]) == sorted([*(str(p) for p in first.iterdir()), *(str(p) for p in second.iterdir())])
    assert dict(zip(table["path"], table["root"], strict=True))[str(second / "r00010.txt")] == str(second)
    assert set(table["root"]) == {str(first), str(second)}
    untouched = documents(out).set_index("path").loc[[str(p) for p in second.iterdir()]]

    (first / "r00001.txt").unlink()  # gone from under its input: dropped
    (first / "r00002.txt").write_text(small_report(99, 2023), encoding="utf-8")  # changed: updated
    (first / "r00005.txt").write_text(small_report(5, 2023), encoding="utf-8")  # new: added
    summary = extract([first], out, jobs=1)
    assert summary.removed == 1 and summary.reused == 1 and summary.files == 3
    after = documents(out).set_index("path")
    assert str(first / "r00001.txt") not in after.index and str(first / "r00005.txt") in after.index
    assert after.loc[untouched.index].equals(untouched)  # the other batch's rows stay as they were

    # The same as one run over both folders, byte for byte (and the texts of the dropped file are gone).
    extract([first, second], tmp_path / "both", jobs=1)
    assert tables(out) == tables(tmp_path / "both")
    assert sorted(os.listdir(out / "normalized")) == sorted(os.listdir(tmp_path / "both" / "normalized"))


def test_replace_starts_the_dataset_afresh(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_reports(first, 2)
    write_reports(second, 2, start=5)
    out = tmp_path / "out"
    extract([first], out, jobs=1)
    extract([second], out, jobs=1, replace=True)
    assert set(documents(out)["root"]) == {str(second)}
    extract([second], tmp_path / "fresh", jobs=1)
    assert tables(out) == tables(tmp_path / "fresh")
    assert sorted(os.listdir(out / "normalized")) == sorted(os.listdir(tmp_path / "fresh" / "normalized"))


def test_files_named_directly_or_listed_are_their_own_input(tmp_path):
    write_reports(tmp_path / "a", 2)
    listing = tmp_path / "list.txt"
    listing.write_text(f"{tmp_path / 'a' / 'r00001.txt'}\n", encoding="utf-8")
    out = tmp_path / "out"
    extract([tmp_path / "a" / "r00000.txt"], out, jobs=1, listing=listing)
    table = documents(out)
    assert list(table["root"]) == list(table["path"])


def test_a_format_the_run_does_not_write_is_removed_and_reported(tmp_path):
    write_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    extract([tmp_path / "in"], out, jobs=1)
    summary = extract([tmp_path / "in"], out, jobs=1, formats=("csv",))
    assert sorted(summary.removed_outputs) == sorted(name for name in TABLES if name.endswith(".parquet"))
    assert not list(out.glob("*.parquet")) and (out / "documents.csv").is_file()
    result = runner.invoke(app, ["extract", str(tmp_path / "in"), "-o", str(out), "-f", "parquet", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "removed" in result.output and "documents.csv: this run does not write that format" in result.output
    assert not list(out.glob("*.csv"))


def _previous_dataset(tmp_path):
    write_reports(tmp_path / "in", 3)
    out = tmp_path / "out"
    extract([tmp_path / "in"], out, jobs=1)
    return out, everything(out)


@pytest.mark.parametrize("case", ["empty folder", "empty list", "comments only", "all skipped", "all failing"])
def test_a_run_that_reads_nothing_replaces_nothing(tmp_path, case):
    out, before = _previous_dataset(tmp_path)
    folder = tmp_path / "new"
    folder.mkdir()
    args: list[str] = [str(folder)]
    listing = tmp_path / "list.txt"
    if case == "empty list":
        listing.write_text("", encoding="utf-8")
        args = ["--manifest", str(listing)]
    elif case == "comments only":
        listing.write_text("# nothing yet\n\n", encoding="utf-8")
        args = ["--manifest", str(listing)]
    elif case == "all skipped":
        (folder / "notes.md").write_text("not a report", encoding="utf-8")
    elif case == "all failing":
        (folder / "empty.txt").write_bytes(b"")
        (folder / "scan.txt").write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["extract", *args, "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 1, result.output
    assert "nothing to add" in result.output and "unchanged" in result.output
    assert everything(out) == before
    with pytest.raises(NothingReadError):
        extract(
            [folder] if not args[0].startswith("--") else [],
            out,
            jobs=1,
            listing=listing if args[0].startswith("--") else None,
        )


def test_nothing_read_with_strict_also_exits_1(tmp_path):
    out, before = _previous_dataset(tmp_path)
    (tmp_path / "new").mkdir()
    assert runner.invoke(app, ["extract", str(tmp_path / "new"), "-o", str(out), "--strict", "-q"]).exit_code == 1
    assert everything(out) == before


def _lawreport(*args: str, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "lawreport", *args], **kwargs)


def test_manifest_dash_reads_standard_input_as_a_stream(tmp_path):
    paths = write_reports(tmp_path / "in", 3)
    out = tmp_path / "out"
    process = _lawreport(
        "extract", "--manifest", "-", "-o", str(out), "-j", "1", "-q", stdin=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdin is not None
    process.stdin.write(f"{paths[0]}\n".encode())
    process.stdin.flush()
    # Streamed: the first file is processed while standard input is still open.
    deadline = time.time() + 60
    while not (out / "normalized").is_dir() or not list((out / "normalized").glob("*.txt")):
        assert time.time() < deadline and process.poll() is None, "the first listed file was not processed"
        time.sleep(0.05)
    process.stdin.write("".join(f"{path}\n" for path in paths[1:]).encode())
    process.stdin.close()
    assert process.wait(timeout=60) == 0, process.stderr.read().decode() if process.stderr else ""
    assert sorted(documents(out)["path"]) == [str(path) for path in paths]


def test_a_list_from_a_pipe_path_is_read_once(tmp_path):
    """`--manifest /dev/stdin` and `--manifest <(ls …)` name a pipe: it must not be drained by a check."""
    paths = write_reports(tmp_path / "in", 4)
    out = tmp_path / "out"
    listing = "".join(f"{path}\n" for path in paths).encode()
    result = subprocess.run(
        [sys.executable, "-m", "lawreport", "extract", "--manifest", "/dev/stdin", "-o", str(out), "-j", "1", "-q"],
        input=listing,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert len(documents(out)) == 4
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f'printf "%s\\n" {" ".join(str(p) for p in paths[:2])} > {fifo}'])
    summary = extract([], tmp_path / "out2", jobs=1, listing=fifo)
    writer.wait(timeout=30)
    assert summary.files == 2


def test_listed_paths_may_repeat_and_need_not_be_sorted(tmp_path):
    paths = write_reports(tmp_path / "in", 3)
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(str(p) for p in [paths[2], paths[0], paths[2], paths[1]]) + "\n", encoding="utf-8")
    summary = extract([], tmp_path / "out", jobs=1, listing=listing)
    assert summary.files == 3
    tidy = tmp_path / "tidy.txt"
    tidy.write_text("\n".join(str(p) for p in paths) + "\n", encoding="utf-8")
    extract([], tmp_path / "tidy", jobs=1, listing=tidy)
    assert tables(tmp_path / "out") == tables(tmp_path / "tidy")  # rows in path order, whatever the list's order


def test_one_identity_whatever_the_spelling(tmp_path, monkeypatch):
    shutil.copytree(RAW, tmp_path / "proj" / "reports")
    os.symlink(tmp_path / "proj" / "reports", tmp_path / "linked")
    out = tmp_path / "out"
    first = extract([tmp_path / "proj" / "reports"], out, jobs=1)
    before = tables(out)
    spellings = [
        (tmp_path / "proj", "reports"),
        (tmp_path / "proj" / "reports", "."),
        (tmp_path / "other", "../proj/reports"),
        (tmp_path, "linked"),
        (tmp_path, "proj/./reports/"),
    ]
    (tmp_path / "other").mkdir()
    for cwd, spelling in spellings:
        monkeypatch.chdir(cwd)
        summary = extract([spelling], out, jobs=1)
        assert summary.reused == first.files == 5, spelling
        assert tables(out) == before, spelling
    assert set(documents(out)["path"]) == {str(tmp_path / "proj" / "reports" / p.name) for p in RAW.glob("*.txt")}
