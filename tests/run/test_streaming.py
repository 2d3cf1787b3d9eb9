"""Streaming pieces of a batch run: discovery order, the ordered executor window, the manifest."""

from __future__ import annotations

import contextlib
import os
import sqlite3

import pytest

from conftest import RAW
from lawreport.reading.discover import discover
from lawreport.run.batch import extract
from lawreport.run.executors import ordered_rows
from lawreport.run.manifest import MANIFEST_NAME, ForeignManifestError
from lawreport.tables.rows import FileRows


def _tree(root, names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_walk_order_is_the_sorted_order_of_the_paths(tmp_path):
    # Names that sort around "/" (0x2F): "-" and "." before it, "0" and letters after it.
    names = ["a.txt", "a/b.txt", "a-b.txt", "a/0/z.txt", "a0.txt", "b/c/d.txt", "b.txt", "B.txt", "a/.hidden.txt"]
    _tree(tmp_path, names)
    found = [c.path for c in discover([tmp_path])]
    visible = [(tmp_path / n).as_posix() for n in names if ".hidden" not in n]
    assert found == sorted(visible)


def test_nested_and_repeated_inputs_are_read_once(tmp_path):
    _tree(tmp_path, ["r/x.txt", "r/sub/y.txt"])
    root, sub = tmp_path / "r", tmp_path / "r" / "sub"
    found = [c.path for c in discover([sub, root, root / "x.txt", sub / "y.txt"])]
    assert sorted(found) == [(root / "sub" / "y.txt").as_posix(), (root / "x.txt").as_posix()]


def test_listing_file_is_streamed_and_skips_comments(tmp_path):
    _tree(tmp_path, ["x.txt", "y.txt"])
    listing = tmp_path / "paths.txt"
    listing.write_text(f"# corpus\n{tmp_path / 'y.txt'}\n\n{tmp_path / 'x.txt'}\n", encoding="utf-8")
    assert [c.path for c in discover([], listing=listing)] == [str(tmp_path / "y.txt"), str(tmp_path / "x.txt")]


def _rows(path: str) -> FileRows:
    return FileRows(path, None, False, False, 0, None, {"path": path}, [], [], None, None)


class _RecordingExecutor:
    """Runs chunks when asked and records how many were submitted but not yet collected."""

    def __init__(self, chunk_size: int, max_in_flight: int) -> None:
        self.chunk_size, self.max_in_flight = chunk_size, max_in_flight
        self.outstanding = 0
        self.peak = 0

    def submit(self, paths):
        self.outstanding += 1
        self.peak = max(self.peak, self.outstanding)
        executor = self

        class Handle:
            def get(self):
                executor.outstanding -= 1
                return [_rows(path) for path in paths]

        return Handle()

    def close(self, *, finished: bool = True) -> None:
        pass


@pytest.mark.parametrize(("chunk_size", "in_flight"), [(1, 1), (3, 2), (8, 4)])
def test_ordered_rows_keeps_input_order_with_a_bounded_window(chunk_size, in_flight):
    work = [(f"p{i:03d}", _rows(f"p{i:03d}") if i % 3 == 0 else None) for i in range(100)]
    executor = _RecordingExecutor(chunk_size, in_flight)
    produced = [rows.path for rows in ordered_rows(iter(work), executor)]
    assert produced == [path for path, _ in work]
    assert executor.peak <= in_flight
    assert executor.outstanding == 0


def test_ordered_rows_does_not_read_ahead_of_its_window():
    pulled = []

    def work():
        for i in range(1000):
            pulled.append(i)
            yield f"p{i}", None

    rows = ordered_rows(work(), _RecordingExecutor(chunk_size=4, max_in_flight=2))
    next(rows)
    assert len(pulled) <= 4 * 2 + 1  # not the whole corpus


def _one_report(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    seed = sorted(RAW.glob("*.txt"))[0]
    (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def test_a_path_listed_twice_is_processed_once(tmp_path):
    folder = _one_report(tmp_path)
    report = next(folder.iterdir())
    listing = tmp_path / "paths.txt"
    listing.write_text(f"{report}\n{report}\n", encoding="utf-8")
    summary = extract([], tmp_path / "out", jobs=1, listing=listing)
    assert summary.files == 1 and summary.duplicates == 0


def test_a_foreign_manifest_is_refused_and_left_alone(tmp_path):
    folder = _one_report(tmp_path)
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    junk = b"this is not a database" * 100
    (out / MANIFEST_NAME).write_bytes(junk)
    with pytest.raises(ForeignManifestError, match="not a lawreport manifest"):
        extract([folder], out, jobs=1)
    assert (out / MANIFEST_NAME).read_bytes() == junk
    other = sqlite3.connect(out / MANIFEST_NAME.replace(".sqlite", "2.sqlite"))
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    os.replace(out / MANIFEST_NAME.replace(".sqlite", "2.sqlite"), out / MANIFEST_NAME)
    with pytest.raises(ForeignManifestError):
        extract([folder], out, jobs=1)
    with contextlib.closing(sqlite3.connect(out / MANIFEST_NAME)) as db:  # no lawreport table was added
        assert [name for (name,) in db.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_deleted_normalized_text_forces_reprocessing(tmp_path):
    folder = _one_report(tmp_path)
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    for path in (out / "normalized").iterdir():
        os.unlink(path)
    summary = extract([folder], out, jobs=1)
    assert summary.reused == 0 and len(list((out / "normalized").iterdir())) == 1
