"""Parallel, Dask and incremental runs all give the tables of a plain sequential run, byte for byte."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from conftest import DEV, RAW
from lawreport.options import Options
from lawreport.run.batch import extract

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
    return extract([str(corpus)], out, options=Options(), **kwargs)


def test_two_jobs_equal_one(corpus, tmp_path):
    one = run(corpus, tmp_path / "one", jobs=1)
    two = run(corpus, tmp_path / "two", jobs=2)
    assert one.files == two.files == 32  # 5 seeds, 26 dev excerpts, one PDF
    assert tables(tmp_path / "one") == tables(tmp_path / "two")
    assert normalized(tmp_path / "one") == normalized(tmp_path / "two")


def test_dask_engine_equals_local(corpus, tmp_path):
    run(corpus, tmp_path / "local", jobs=1)
    run(corpus, tmp_path / "dask", engine="dask", scheduler="synchronous", partition=False)
    assert tables(tmp_path / "local") == tables(tmp_path / "dask")


def test_small_dask_batches_keep_input_order(corpus, tmp_path, monkeypatch):
    from lawreport.run import dask_engine

    monkeypatch.setattr(dask_engine, "BATCH_SIZE", 3)  # many batches, a window of one
    run(corpus, tmp_path / "local", jobs=1)
    run(corpus, tmp_path / "dask", engine="dask", scheduler="threads", partition=False)
    assert tables(tmp_path / "local") == tables(tmp_path / "dask")


@pytest.mark.parametrize("table", ["documents", "sections", "indicators", "indicators_wide"])
def test_dask_writes_hive_partitions_by_report_year(corpus, tmp_path, table):
    import pyarrow.dataset as ds

    run(corpus, tmp_path / "local", jobs=1)
    run(corpus, tmp_path / "dask", engine="dask", scheduler="synchronous")  # partitioned by default
    folder = tmp_path / "dask" / table
    years = sorted(path.name for path in folder.iterdir())
    assert "report_year=2023" in years and all(name.startswith("report_year=") for name in years)
    assert not (tmp_path / "dask" / f"{table}.parquet").exists()
    dataset = ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pandas()
    local = pd.read_parquet(tmp_path / "local" / f"{table}.parquet")
    assert len(dataset) == len(local)
    if table in ("documents", "indicators_wide"):  # the year column comes back from the folder names
        key = ["doc_id", "path"]
        merged = dataset.merge(local, on=key, suffixes=("_part", "_local"))
        assert len(merged) == len(local)
        assert (merged["report_year_part"].fillna(-1).astype(int) == merged["report_year_local"].fillna(-1)).all()
    else:
        columns = [column for column in local.columns]
        left = dataset[columns].astype(str).sort_values(columns).reset_index(drop=True)
        right = local[columns].astype(str).sort_values(columns).reset_index(drop=True)
        assert left.equals(right)


def test_switching_partitioning_leaves_one_layout(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out, jobs=1, partition=True)
    assert (out / "indicators").is_dir() and not (out / "indicators.parquet").exists()
    assert (out / "errors.parquet").is_file()  # errors have no report year: one file
    run(corpus, out, jobs=1, partition=False)
    assert (out / "indicators.parquet").is_file() and not (out / "indicators").exists()


def test_dask_engine_with_an_in_process_cluster(corpus, tmp_path):
    import distributed  # the dask extra is part of the dev install

    run(corpus, tmp_path / "local", jobs=1)
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        run(corpus, tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address, partition=False)
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
    summary = extract([str(corpus)], out, options=Options(rules=(str(pack),)), jobs=1)
    assert summary.reused == 0


@pytest.mark.parametrize("table", ["documents", "indicators"])
def test_load_table_reads_single_files_datasets_and_csv_alike(corpus, tmp_path, table):
    from lawreport.tables.frames import load_table

    run(corpus, tmp_path / "flat", jobs=1)
    run(corpus, tmp_path / "parts", jobs=1, partition=True)
    run(corpus, tmp_path / "csv", jobs=1, formats=("csv",))
    flat, parts, csv = (load_table(tmp_path / name, table) for name in ("flat", "parts", "csv"))
    assert list(parts.columns) == list(flat.columns) == list(csv.columns)
    assert str(flat["start" if table == "indicators" else "n_chars"].dtype) == "Int64"
    key = ["doc_id", "indicator_no"] if table == "indicators" else ["path"]

    def canonical(frame):
        return frame.sort_values(key).reset_index(drop=True).astype(str).replace({"<NA>": "", "nan": "", "None": ""})

    assert canonical(parts).equals(canonical(flat))
    if table == "documents":
        assert parts["report_year"].dtype == "Int64" and set(parts["report_year"].dropna()) >= {2022, 2023}
    with pytest.raises(FileNotFoundError):
        load_table(tmp_path / "flat", "nonexistent")


def test_duckdb_reads_the_partitioned_tables(corpus, tmp_path):
    import duckdb  # in the dev extra

    run(corpus, tmp_path / "flat", jobs=1)
    run(corpus, tmp_path / "parts", jobs=1, partition=True)
    flat = pd.read_parquet(tmp_path / "flat" / "indicators.parquet").merge(
        pd.read_parquet(tmp_path / "flat" / "documents.parquet")[["doc_id", "report_year"]].drop_duplicates("doc_id")
    )
    expected = {
        (None if pd.isna(year) else int(year)): count
        for year, count in flat.groupby("report_year", dropna=False).size().items()
    }
    pattern = str(tmp_path / "parts" / "indicators" / "*" / "*.parquet")
    rows = duckdb.sql(
        f"SELECT report_year, count(*) FROM read_parquet('{pattern}', hive_partitioning = true) GROUP BY 1"
    ).fetchall()
    assert dict(rows) == expected
