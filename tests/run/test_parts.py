"""Workers make the table bytes: a run that writes only CSV caches each processed file's
sections, indicators and wide rows as the CSV bytes its worker made, in place of the rows, and
the driver only appends them in path order (it still makes the documents and errors rows, which
depend on the whole dataset). The tables are byte for byte those made from rows; a run that
needs the rows (Parquet too) reads such files again, those of other inputs included."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import zlib

import pytest

from conftest import write_reports
from lawreport.errors import RunInterrupted, UsageError
from lawreport.run import manifest
from lawreport.run.batch import extract

CSV_TABLES = ["documents.csv", "sections.csv", "indicators.csv", "indicators_wide.csv", "errors.csv"]
PARQUET_TABLES = [name.replace(".csv", ".parquet") for name in CSV_TABLES]
EVIL = '=HYPERLINK("x")关于2022年度法治政府建设情况的报告\n一、主要工作\n2022年,我局全年办理案件5件。\n'


def _inputs(folder):
    write_reports(folder, 6)
    shutil.copy(folder / "r00002.txt", folder / "r00002-copy.txt")  # a duplicate: its rows are not written
    (folder / "zz-evil.txt").write_text(EVIL, encoding="utf-8")  # a heading that looks like a formula
    (folder / "empty.txt").write_bytes(b"")  # a file that fails
    (folder / "notes.pdf").write_bytes(b"%PDF")  # skipped


def _bytes(out, names=CSV_TABLES):
    return {name: (out / name).read_bytes() for name in names}


def _entries(out):
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        return db.execute("SELECT path, rows, parts FROM entries ORDER BY path").fetchall()


@pytest.mark.parametrize(
    "engine",
    [{"jobs": 1}, {"jobs": 2}, {"engine": "dask", "scheduler": "threads", "partition": False}],
    ids=["j1", "j2", "dask"],
)
def test_csv_bytes_made_by_the_workers_give_the_tables_rows_give(tmp_path, monkeypatch, engine):
    folder = tmp_path / "in"
    _inputs(folder)
    from_rows = tmp_path / "from_rows"
    extract([folder], from_rows, jobs=1)  # CSV and Parquet: the CSV is made from rows
    assert all(parts is None for _, _, parts in _entries(from_rows))
    decoded = []
    real = manifest.decode_rows
    monkeypatch.setattr(manifest, "decode_rows", lambda path, blob: decoded.append(path) or real(path, blob))
    out = tmp_path / "out"
    summary = extract([folder], out, formats="csv", **engine)
    assert _bytes(out) == _bytes(from_rows)
    assert summary.duplicates == 1 and summary.failed == 1
    entries = {path.rsplit("/", 1)[-1]: (rows, parts) for path, rows, parts in _entries(out)}
    with_parts = sorted(name for name, (_, parts) in entries.items() if parts is not None)
    assert with_parts == [
        "r00000.txt",
        "r00001.txt",
        "r00002-copy.txt",
        "r00002.txt",
        "r00003.txt",
        "r00004.txt",
        "r00005.txt",
    ]
    for name in with_parts:  # the rows the parts hold are not cached twice
        assert b'"rows": []' in zlib.decompress(entries[name][0]) and b"HYPERLINK" not in entries[name][1]
    assert "r00000.txt" in zlib.decompress(entries["r00000.txt"][1]).decode("utf-8")
    # the driver decodes the rows only of files without parts: the formula-like, failed and skipped ones
    assert sorted(path.rsplit("/", 1)[-1] for path in decoded) == ["empty.txt", "notes.pdf", "zz-evil.txt"]


def test_csv_parts_are_the_same_whatever_csv_escape(tmp_path):
    folder = tmp_path / "in"
    _inputs(folder)
    out = tmp_path / "out"
    extract([folder], out, jobs=1, formats="csv")
    assert "\"'=HYPERLINK" in (out / "sections.csv").read_text(encoding="utf-8-sig")
    again = extract([folder], out, jobs=1, formats="csv", csv_escape=False)
    assert again.reused == again.files  # nothing read again: the escape is applied from rows or not needed
    fresh = tmp_path / "fresh"
    extract([folder], fresh, jobs=1, csv_escape=False)
    assert '"=HYPERLINK' in (out / "sections.csv").read_text(encoding="utf-8-sig")
    assert _bytes(out) == _bytes(fresh)


def test_a_run_that_needs_rows_reads_csv_only_files_again_those_of_other_inputs_too(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    _inputs(first)
    write_reports(second, 3, start=100)
    out = tmp_path / "out"
    extract([first], out, jobs=1, formats="csv")
    extract([second], out, jobs=2, formats="csv")
    summary = extract([second], out, jobs=2)  # Parquet too: every file's rows are needed
    assert summary.reused == 0 and summary.refreshed == 7  # the first input's files cached as CSV bytes
    expected = tmp_path / "expected"
    extract([first], expected, jobs=1)
    extract([second], expected, jobs=1)
    assert _bytes(out, CSV_TABLES + PARQUET_TABLES) == _bytes(expected, CSV_TABLES + PARQUET_TABLES)
    assert all(parts is None for _, _, parts in _entries(out))
    assert extract([second], out, jobs=1, formats="csv").reused == 3  # rows serve a CSV-only run


def test_csv_only_files_of_another_input_that_are_gone_stop_a_run_that_needs_their_rows(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_reports(first, 2)
    write_reports(second, 2, start=100)
    out = tmp_path / "out"
    extract([first], out, jobs=1, formats="csv")
    extract([second], out, jobs=1, formats="csv")
    before = _bytes(out)
    (first / "r00000.txt").unlink()
    with pytest.raises(UsageError, match="cached as CSV bytes"):
        extract([second], out, jobs=1)
    assert _bytes(out) == before and not (out / "documents.parquet").exists()


def test_an_interrupted_csv_only_run_resumes_from_its_csv_bytes(tmp_path):
    folder = tmp_path / "in"
    _inputs(folder)
    write_reports(folder, 20, start=100)
    out = tmp_path / "out"
    finished = 0

    def interrupt(_rows):
        nonlocal finished
        finished += 1
        if finished == 15:
            raise KeyboardInterrupt

    with pytest.raises(RunInterrupted):
        extract([folder], out, jobs=1, formats="csv", on_file=interrupt)
    assert sum(parts is not None for _, _, parts in _entries(out)) > 0  # committed as files finished
    resumed = extract([folder], out, jobs=2, formats="csv")
    assert resumed.reused == 15
    expected = tmp_path / "expected"
    extract([folder], expected, jobs=1)
    assert _bytes(out) == _bytes(expected)


def test_file_names_that_are_not_utf8_are_named_by_their_key_in_the_csv_bytes(tmp_path):
    folder = tmp_path / "in"
    (path,) = write_reports(folder, 1)
    os.rename(path, os.fsencode(folder) + b"/" + "报告".encode("gbk") + b".txt")
    out, expected = tmp_path / "out", tmp_path / "expected"
    extract([folder], out, jobs=2, formats="csv")
    extract([folder], expected, jobs=1)
    assert r"\xb1\xa8\xb8\xe6.txt" in (out / "indicators_wide.csv").read_text(encoding="utf-8-sig")
    assert _bytes(out) == _bytes(expected)
