"""Parallel, Dask and incremental runs all give the tables of a plain sequential run, byte for byte."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import DEV, RAW
from lawreport.batch import extract
from lawreport.pipeline import ExtractOptions

TABLES = [
    f"{name}.{fmt}"
    for name in ("documents", "sections", "indicators", "indicators_wide", "errors")
    for fmt in ("csv", "parquet")
]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder / "seeds")
    for path in sorted(DEV.glob("0[0-4]*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "broken.txt").write_bytes(b"%PDF-1.4")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")
    return folder


def tables(out) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def normalized(out) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((out / "normalized").glob("*.txt"))}


def run(corpus, out, **kwargs):
    return extract([str(corpus)], out, options=ExtractOptions(), **kwargs)


def test_two_jobs_equal_one(corpus, tmp_path):
    one = run(corpus, tmp_path / "one", jobs=1)
    two = run(corpus, tmp_path / "two", jobs=2)
    assert one.files == two.files == 32  # 5 seeds, 26 dev excerpts, one PDF
    assert tables(tmp_path / "one") == tables(tmp_path / "two")
    assert normalized(tmp_path / "one") == normalized(tmp_path / "two")


def test_dask_engine_equals_local(corpus, tmp_path):
    run(corpus, tmp_path / "local", jobs=1)
    run(corpus, tmp_path / "dask", engine="dask", scheduler="synchronous")
    assert tables(tmp_path / "local") == tables(tmp_path / "dask")


def test_dask_engine_with_an_in_process_cluster(corpus, tmp_path):
    import distributed  # the dask extra is part of the dev install

    run(corpus, tmp_path / "local", jobs=1)
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        run(corpus, tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address)
    assert tables(tmp_path / "local") == tables(tmp_path / "dask")


def test_incremental_run_equals_full_run(corpus, tmp_path):
    out = tmp_path / "out"
    first = run(corpus, out, jobs=1)
    assert first.reused == 0
    again = run(corpus, out, jobs=1)
    assert again.reused == again.files  # failures are cached too: the same bytes fail the same way
    # Change one file, delete one, add one.
    changed = corpus / "001_hubei_prov_2023_mishuzj.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("2023", "2024"), encoding="utf-8")
    (corpus / "003_gansu_qingshui_2023_jiedu.txt").unlink()
    shutil.copy(DEV / "083_jiangsu_amr_2019.txt", corpus / "083_jiangsu_amr_2019.txt")
    incremental = run(corpus, out, jobs=2)
    assert incremental.files == 32 and incremental.reused == 30  # one changed, one added
    full = run(corpus, tmp_path / "full", jobs=1, incremental=False)
    assert full.reused == 0
    assert tables(out) == tables(tmp_path / "full")
    assert normalized(out) == normalized(tmp_path / "full")


def test_touched_but_unchanged_file_is_reused(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out, jobs=1)
    path = corpus / "seeds" / "guangzhou_panyu_zsj_2023.txt"
    os.utime(path, ns=(1, 1))
    summary = run(corpus, out, jobs=1)
    assert summary.reused == summary.files == 32


def test_changed_rules_force_a_full_run(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out, jobs=1)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.toml").write_text('[pack]\nname = "p"\nversion = "1"\n', encoding="utf-8")
    summary = extract([str(corpus)], out, options=ExtractOptions(rules=(str(pack),)), jobs=1)
    assert summary.reused == 0
