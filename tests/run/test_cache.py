"""The row cache cannot go stale: its key covers every data file, user pack and option, and it
trusts content, not timestamps. The manifest stays well under the size of the input."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW, ROOT, small_report, tables, write_reports
from lawreport.options import Options
from lawreport.run.batch import extract

PACKAGE = ROOT / "src" / "lawreport"


RUN = """
import json, sys
from lawreport.run.batch import extract
summaries = [extract([sys.argv[1]], out, jobs=1, incremental=incremental) for out, incremental in
             ((sys.argv[2], True), (sys.argv[3], False))]
print(json.dumps([{"reused": s.reused, "files": s.files} for s in summaries]))
"""


def test_editing_a_packaged_data_file_invalidates_the_cache(tmp_path):
    """The issue's case: a cue edited in labels.toml served stale labels to incremental runs."""
    corpus = tmp_path / "reports"
    shutil.copytree(RAW, corpus)
    out = tmp_path / "out"
    extract([corpus], out, jobs=1)
    shortcomings_before = (out / "sections.csv").read_text(encoding="utf-8-sig").count(",shortcomings,")
    # The same code with one lexicon edited: a copy of the package, imported first.
    copy = tmp_path / "site" / "lawreport"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    labels = copy / "data" / "kinds" / "fazhi" / "labels.toml"
    labels.write_text(labels.read_text(encoding="utf-8").replace("cues = ['不足', ", "cues = ["), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(copy.parent)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import lawreport; assert lawreport.__file__.startswith({str(copy)!r})\n{RUN}",
            str(corpus),
            str(out),
            str(tmp_path / "full"),
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    incremental, full = json.loads(result.stdout)
    assert incremental["reused"] == 0 and full["files"] == 5
    assert tables(out) == tables(tmp_path / "full")
    assert (out / "sections.csv").read_text(encoding="utf-8-sig").count(",shortcomings,") < shortcomings_before


def _pack(folder: Path, rejected: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "pack.toml").write_text('[pack]\nname = "mine"\nversion = "1"\n', encoding="utf-8")
    (folder / "reject.toml").write_text(
        f'[[reject]]\nname = "mine"\npattern = "{rejected}"\nexamples = []\n', encoding="utf-8"
    )
    return folder


def test_editing_a_user_pack_invalidates_the_cache_but_its_spelling_does_not(tmp_path, monkeypatch):
    write_reports(tmp_path / "in", 3)
    pack = _pack(tmp_path / "pack", "复议案件\\\\d+件")
    out = tmp_path / "out"
    extract([tmp_path / "in"], out, jobs=1, options=Options(rules=(str(pack),)))
    monkeypatch.chdir(tmp_path)
    respelled = Options(rules=("./pack/",))
    assert extract([tmp_path / "in"], out, jobs=1, options=respelled).reused == 3
    _pack(pack, "普法活动\\\\d+场次")  # same name and version, other bytes
    summary = extract([tmp_path / "in"], out, jobs=1, options=respelled)
    assert summary.reused == 0
    extract([tmp_path / "in"], tmp_path / "full", jobs=1, options=respelled, incremental=False)
    assert tables(out) == tables(tmp_path / "full")


def test_changed_options_redo_every_file(tmp_path):
    write_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    extract([tmp_path / "in"], out, jobs=1)
    assert extract([tmp_path / "in"], out, jobs=1, options=Options(max_bytes=10_000_000)).reused == 0


def test_content_decides_not_timestamps(tmp_path):
    folder = tmp_path / "in"
    (path,) = write_reports(folder, 1)
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    stamp = os.stat(path)
    original = path.read_bytes()
    edited = original.replace("件".encode(), "次".encode(), 1)  # same size, other content
    assert len(edited) == len(original)
    path.write_bytes(edited)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # the recorded mtime, restored
    assert extract([folder], out, jobs=1).reused == 0
    edited_tables = tables(out)
    path.write_bytes(original)  # back to the first bytes, with the recorded mtime
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert extract([folder], out, jobs=1).reused == 0
    extract([folder], tmp_path / "full", jobs=1, incremental=False)
    assert tables(out) == tables(tmp_path / "full") != edited_tables


def test_touched_but_unchanged_file_is_reused(tmp_path):
    folder = tmp_path / "in"
    (path,) = write_reports(folder, 1)
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    os.utime(path, ns=(1, 1))
    assert extract([folder], out, jobs=1).reused == 1


def test_a_settings_change_redoes_the_other_inputs_too(tmp_path):
    """Rows made under other settings are never mixed into the dataset."""
    write_reports(tmp_path / "a", 2)
    (tmp_path / "a" / "notes.md").write_text("not a report", encoding="utf-8")
    write_reports(tmp_path / "b", 2, start=5)
    out = tmp_path / "out"
    extract([tmp_path / "a"], out, jobs=1)
    extract([tmp_path / "b"], out, jobs=1)
    options = Options(max_bytes=10_000_000)
    summary = extract([tmp_path / "b"], out, jobs=1, options=options)
    assert summary.refreshed == 3 and summary.reused == 0 and summary.skipped == 1
    extract([tmp_path / "a", tmp_path / "b"], tmp_path / "full", jobs=1, options=options)
    assert tables(out) == tables(tmp_path / "full")


def test_a_settings_change_with_the_other_inputs_gone_is_refused(tmp_path):
    from lawreport.errors import UsageError

    write_reports(tmp_path / "a", 2)
    write_reports(tmp_path / "b", 2, start=5)
    out = tmp_path / "out"
    extract([tmp_path / "a"], out, jobs=1)
    extract([tmp_path / "b"], out, jobs=1)
    before = tables(out)
    shutil.rmtree(tmp_path / "a")
    with pytest.raises(
        UsageError, match=r"the options changed .* its 2 files from other inputs must be read again, but some are gone"
    ):
        extract([tmp_path / "b"], out, jobs=1, options=Options(max_bytes=10_000_000))
    assert tables(out) == before
    assert extract([tmp_path / "b"], out, jobs=1, options=Options(max_bytes=10_000_000), replace=True).files == 2


def test_the_manifest_is_well_under_the_input_size(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(12):
        for seed in RAW.glob("*.txt"):
            text = seed.read_text(encoding="utf-8") + f"\n附记{index}:{small_report(index)}"
            (folder / f"{index:02d}_{seed.name}").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    extract([folder], out, jobs=1)
    size_in = sum(path.stat().st_size for path in folder.iterdir())
    assert size_in > 800_000
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (60,)
    assert (out / "manifest.sqlite").stat().st_size < 0.6 * size_in  # it was twice the input
