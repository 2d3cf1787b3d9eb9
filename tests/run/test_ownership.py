"""A run writes, replaces and deletes only its own files: an output folder carries a marker,
foreign folders and files are refused (exit 2, saying why) and left exactly as they were."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import small_report, write_reports
from lawreport.cli import app
from lawreport.run.batch import extract
from lawreport.run.ownership import MARKER_NAME

runner = CliRunner()


def snapshot(folder) -> dict[str, str]:
    """Every path under ``folder`` with its kind and content hash (symlinks not followed)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                found[path] = "link:" + os.readlink(path)
            elif os.path.isdir(path):
                found[path] = "dir"
            else:
                with open(path, "rb") as handle:
                    found[path] = hashlib.sha256(handle.read()).hexdigest()
    return found


def extract_cli(*args: str):
    return runner.invoke(app, ["extract", *args, "-j", "1", "-q"])


def one_line_error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_a_project_folder_as_output_is_refused_and_its_inputs_survive(tmp_path, monkeypatch):
    """`cd proj && lawreport extract documents -o .` deleted the input reports."""
    project = tmp_path / "proj"
    write_reports(project / "documents", 2)
    (project / "manifest.json").write_text("{}", encoding="utf-8")
    (project / ".cache").mkdir()
    (project / ".cache" / "keep.bin").write_bytes(b"x")
    before = snapshot(project)
    monkeypatch.chdir(project)
    result = extract_cli("documents", "-o", ".")
    assert result.exit_code == 2
    assert "not a lawreport output" in one_line_error(result)
    assert snapshot(project) == before


def test_a_home_folder_as_output_is_refused(tmp_path):
    home = tmp_path / "home"
    (home / ".cache" / "pip").mkdir(parents=True)
    (home / ".cache" / "pip" / "wheel").write_bytes(b"wheel")
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    write_reports(tmp_path / "in", 1)
    before = snapshot(home)
    assert extract_cli(str(tmp_path / "in"), "-o", str(home)).exit_code == 2
    assert snapshot(home) == before


def test_an_empty_or_new_folder_is_taken_and_marked(tmp_path):
    write_reports(tmp_path / "in", 1)
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / ".gitkeep").write_text("", encoding="utf-8")
    for out in (kept, tmp_path / "new" / "deeper"):
        assert extract_cli(str(tmp_path / "in"), "-o", str(out)).exit_code == 0
        assert (out / MARKER_NAME).is_file()
    assert (kept / ".gitkeep").exists()


def test_an_output_path_that_is_a_file_is_a_usage_error(tmp_path):
    write_reports(tmp_path / "in", 1)
    target = tmp_path / "out.csv"
    target.write_text("mine", encoding="utf-8")
    result = extract_cli(str(tmp_path / "in"), "-o", str(target))
    assert result.exit_code == 2
    assert "is a file, not a folder" in one_line_error(result)
    assert target.read_text(encoding="utf-8") == "mine"


def _dataset(tmp_path):
    write_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert extract_cli(str(tmp_path / "in"), "-o", str(out)).exit_code == 0
    return out


def test_a_symlinked_normalized_folder_is_refused(tmp_path):
    out = _dataset(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "0123456789abcdef.txt").write_text("someone else's", encoding="utf-8")
    for path in (out / "normalized").iterdir():
        path.unlink()
    (out / "normalized").rmdir()
    os.symlink(elsewhere, out / "normalized")
    before = snapshot(elsewhere)
    result = extract_cli(str(tmp_path / "in"), "-o", str(out))
    assert result.exit_code == 2 and "is a symlink" in one_line_error(result)
    assert snapshot(elsewhere) == before


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(tmp_path):
    out = _dataset(tmp_path)
    precious = tmp_path / "precious.txt"
    precious.write_text("do not truncate", encoding="utf-8")
    (out / ".lawreport.lock").unlink()
    os.symlink(precious, out / ".lawreport.lock")
    result = extract_cli(str(tmp_path / "in"), "-o", str(out))
    assert result.exit_code == 2 and "lock" in one_line_error(result)
    assert precious.read_text(encoding="utf-8") == "do not truncate"


def test_a_foreign_lock_file_is_not_overwritten(tmp_path):
    out = _dataset(tmp_path)
    (out / ".lawreport.lock").write_text("my notes", encoding="utf-8")
    assert extract_cli(str(tmp_path / "in"), "-o", str(out)).exit_code == 2
    assert (out / ".lawreport.lock").read_text(encoding="utf-8") == "my notes"


@pytest.mark.parametrize("kind", ["folder", "symlink", "unrecorded file"])
def test_something_else_where_a_table_goes_is_refused(tmp_path, kind):
    out = _dataset(tmp_path)
    target = out / "documents.csv"
    target.unlink()
    if kind == "folder":
        target.mkdir()
        (target / "mine.txt").write_text("x", encoding="utf-8")
    elif kind == "symlink":
        (tmp_path / "mine.csv").write_text("x", encoding="utf-8")
        os.symlink(tmp_path / "mine.csv", target)
    else:
        with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db, db:
            db.execute("DELETE FROM outputs WHERE name = 'documents.csv'")
        target.write_text("my own table", encoding="utf-8")
    before = snapshot(tmp_path)
    result = extract_cli(str(tmp_path / "in"), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "documents.csv" in one_line_error(result)
    assert snapshot(tmp_path) == before
    if kind == "unrecorded file":  # the user may say it is to be replaced
        assert extract_cli(str(tmp_path / "in"), "-o", str(out), "--replace").exit_code == 0


def test_files_of_others_in_normalized_are_never_deleted(tmp_path):
    out = _dataset(tmp_path)
    theirs = [out / "normalized" / "notes.txt", out / "normalized" / "0123456789abcdef.txt"]
    for path in theirs:
        path.write_text("someone else's", encoding="utf-8")
    for path in (tmp_path / "in").iterdir():
        path.write_text(small_report(50), encoding="utf-8")  # every text changes: the old ones are pruned
    assert extract_cli(str(tmp_path / "in"), "-o", str(out)).exit_code == 0
    assert all(path.read_text(encoding="utf-8") == "someone else's" for path in theirs)
    ours = set(pd.read_csv(out / "documents.csv")["doc_id"])
    assert {path.stem for path in (out / "normalized").glob("*.txt")} == ours | {"notes", "0123456789abcdef"}


def test_an_older_lawreport_output_needs_replace(tmp_path):
    write_reports(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db, db:  # the schema before datasets
        db.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
            " sha256 TEXT NOT NULL, run INTEGER NOT NULL, rows TEXT)"
        )
    (out / "documents.csv").write_text("old table", encoding="utf-8")
    (out / "normalized").mkdir()
    (out / "normalized" / "fedcba9876543210.txt").write_text("old text", encoding="utf-8")
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    (out / ".cache").mkdir()
    result = extract_cli(str(tmp_path / "in"), "-o", str(out))
    assert result.exit_code == 2 and "--replace" in one_line_error(result)
    assert extract_cli(str(tmp_path / "in"), "-o", str(out), "--replace").exit_code == 0
    assert len(pd.read_csv(out / "documents.csv")) == 1
    assert not (out / "normalized" / "fedcba9876543210.txt").exists()  # taken over, then pruned
    assert (out / "manifest.json").exists() and (out / ".cache").is_dir()  # never lawreport's to delete


def test_symlinked_files_are_followed_only_inside_the_input_folders(tmp_path):
    outside = tmp_path / "outside"
    write_reports(outside, 1)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = tmp_path / "in"
    write_reports(folder, 1)
    os.symlink(secret, folder / "passwd.txt")
    os.symlink(outside / "r00000.txt", folder / "outside.txt")
    os.symlink(folder / "r00000.txt", folder / "inside.txt")
    out = tmp_path / "out"
    summary = extract([folder], out, jobs=1)
    assert summary.skipped == 2
    errors = pd.read_csv(out / "errors.csv").set_index("path")
    assert "outside the input folders" in errors.loc[str(folder / "passwd.txt"), "message"]
    assert "--follow-symlinks" in errors.loc[str(folder / "outside.txt"), "message"]
    documents = pd.read_csv(out / "documents.csv")
    assert set(documents["path"]) == {str(folder / "inside.txt"), str(folder / "r00000.txt")}
    assert "root:x" not in (out / "documents.csv").read_text(encoding="utf-8-sig")
    # Another input folder counts as inside; --follow-symlinks reads them all.
    assert extract([folder, outside], tmp_path / "both", jobs=1).skipped == 1
    assert extract([folder], tmp_path / "all", jobs=1, follow_symlinks=True).skipped == 0


def test_inputs_inside_the_output_folder_are_refused_or_listed_as_skipped(tmp_path):
    out = _dataset(tmp_path)
    inside = out / "normalized" / next(p.name for p in (out / "normalized").iterdir())
    result = extract_cli(str(inside), "-o", str(out))
    assert result.exit_code == 2 and "inside the output folder" in one_line_error(result)
    listing = tmp_path / "list.txt"
    listing.write_text(f"{inside}\n{tmp_path / 'in' / 'r00000.txt'}\n", encoding="utf-8")
    assert extract_cli("--manifest", str(listing), "-o", str(out)).exit_code == 0
    errors = pd.read_csv(out / "errors.csv").set_index("path")
    assert "never reads its own outputs" in errors.loc[str(inside), "message"]
