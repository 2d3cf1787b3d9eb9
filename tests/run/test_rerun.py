"""A run that changes nothing writes nothing, and reads no file it can tell is unchanged:
files whose size, mtime and ctime are those recorded (and were not too recent to trust then)
are not hashed again; tables still the files the last commit wrote are left as they are.
Everything else (an edit that keeps size and mtime, a table removed or edited, an older
manifest) takes the full path."""

from __future__ import annotations

import contextlib
import os
import sqlite3

import pytest

from conftest import write_reports
from lawreport.run import batch, manifest
from lawreport.run.batch import extract

CSV_TABLES = ["documents.csv", "sections.csv", "indicators.csv", "indicators_wide.csv", "errors.csv"]


@pytest.fixture
def trusted_times(monkeypatch):
    """As if every file had been written long before the run (files written by a test are
    seconds old, so their times are too recent to trust)."""
    monkeypatch.setattr(manifest, "RACY_NS", -(10**18))


@pytest.fixture
def hashed(monkeypatch):
    """The paths the driver hashes."""
    calls: list[str] = []
    real = batch.content_sha256

    def counting(path: str) -> str:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(batch, "content_sha256", counting)
    return calls


def identities(out) -> dict[str, tuple[int, int]]:
    return {name: (os.stat(out / name).st_ino, os.stat(out / name).st_mtime_ns) for name in CSV_TABLES}


def test_an_unchanged_rerun_hashes_nothing_and_writes_nothing(tmp_path, trusted_times, hashed):
    folder = tmp_path / "in"
    write_reports(folder, 4)
    (folder / "notes.md").write_text("not a report", encoding="utf-8")
    out = tmp_path / "out"
    first = extract([folder], out, jobs=1, formats="csv")
    before, written = identities(out), {name: (out / name).read_bytes() for name in CSV_TABLES}
    hashed.clear()
    again = extract([folder], out, jobs=1, formats="csv")
    assert hashed == []
    assert identities(out) == before  # the same files: not rewritten
    assert {name: (out / name).read_bytes() for name in CSV_TABLES} == written
    assert (again.reused, again.files, again.skipped) == (4, 4, 1)
    assert again.rows == first.rows and again.rows["indicators"] > 0
    assert (again.dataset_files, again.duplicates) == (first.dataset_files, first.duplicates) == (5, 0)


def test_a_touched_file_is_hashed_and_reused_without_writing(tmp_path, trusted_times, hashed):
    folder = tmp_path / "in"
    paths = write_reports(folder, 3)
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    before = identities(out)
    os.utime(paths[1], ns=(1, 1))
    hashed.clear()
    assert extract([folder], out, jobs=1, formats="csv").reused == 3
    assert hashed == [str(paths[1])] and identities(out) == before
    hashed.clear()
    extract([folder], out, jobs=1, formats="csv")  # its new times were recorded
    assert hashed == []


def test_times_are_not_trusted_when_the_user_says_so(tmp_path, trusted_times, hashed, monkeypatch):
    folder = tmp_path / "in"
    paths = write_reports(folder, 2)
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    monkeypatch.setenv("LAWREPORT_HASH_ALWAYS", "1")
    hashed.clear()
    assert extract([folder], out, jobs=1, formats="csv").reused == 2
    assert hashed == [str(path) for path in paths]


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path, trusted_times):
    """The ctime gives it away: it cannot be set back."""
    folder = tmp_path / "in"
    (path,) = write_reports(folder, 1)
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    stamp = os.stat(path)
    original = path.read_bytes()
    edited = original.replace("件".encode(), "次".encode(), 1)
    assert len(edited) == len(original)
    path.write_bytes(edited)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert extract([folder], out, jobs=1, formats="csv").reused == 0
    extract([folder], tmp_path / "full", jobs=1, formats="csv", incremental=False)
    for name in CSV_TABLES:
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_a_table_removed_or_edited_by_hand_is_written_again(tmp_path, trusted_times, damage):
    folder = tmp_path / "in"
    write_reports(folder, 2)
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    written = (out / "sections.csv").read_bytes()
    if damage == "delete":
        (out / "sections.csv").unlink()
    else:
        with open(out / "sections.csv", "ab") as handle:
            handle.write(b"x,y\n")
    assert extract([folder], out, jobs=1, formats="csv").reused == 2
    assert (out / "sections.csv").read_bytes() == written


def test_a_run_that_drops_a_file_or_adds_one_writes_the_tables(tmp_path, trusted_times):
    folder = tmp_path / "in"
    paths = write_reports(folder, 3)
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    paths[0].unlink()
    summary = extract([folder], out, jobs=1, formats="csv")
    assert summary.removed == 1 and summary.dataset_files == 2
    assert "r00000" not in (out / "documents.csv").read_text(encoding="utf-8-sig")
    write_reports(folder, 1, start=7)
    summary = extract([folder], out, jobs=1, formats="csv")
    assert summary.dataset_files == 3 and "r00007" in (out / "documents.csv").read_text(encoding="utf-8-sig")


def test_a_manifest_of_schema_2_is_upgraded_in_place(tmp_path):
    folder = tmp_path / "in"
    write_reports(folder, 2)
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    written = {name: (out / name).read_bytes() for name in CSV_TABLES}
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:  # as lawreport 0.x wrote it
        db.executescript(
            "ALTER TABLE files DROP COLUMN ctime_ns; ALTER TABLE entries DROP COLUMN facts; PRAGMA user_version = 2;"
        )
    summary = extract([folder], out, jobs=1, formats="csv")
    assert (summary.reused, summary.files) == (2, 2)
    assert {name: (out / name).read_bytes() for name in CSV_TABLES} == written
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (4,)
        assert db.execute("SELECT count(*) FROM entries WHERE facts IS NULL").fetchone() == (0,)


def test_an_output_option_that_changes_the_bytes_writes_the_tables_again(tmp_path, trusted_times):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        '=HYPERLINK("x")关于2022年度法治政府建设情况的报告\n2022年,我局全年办理案件5件。\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    assert (out / "documents.csv").read_text(encoding="utf-8-sig").count("\"'=HYPERLINK") == 1
    assert extract([folder], out, jobs=1, formats="csv", csv_escape=False).reused == 1
    assert (out / "documents.csv").read_text(encoding="utf-8-sig").count('"=HYPERLINK') == 1
