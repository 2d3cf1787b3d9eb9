"""The command line through Typer's runner: exit codes, files written, byte-identical re-runs."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import RAW
from lawreport.cli import app

runner = CliRunner()
TABLE_FILES = ["documents.csv", "documents.parquet", "errors.csv", "errors.parquet"]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    return folder


def run(*args: str):
    return runner.invoke(app, list(args))


def test_extract_writes_tables_and_normalised_texts(corpus, tmp_path):
    out = tmp_path / "out"
    result = run("extract", str(corpus), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    for name in TABLE_FILES:
        assert (out / name).is_file()
    documents = pd.read_parquet(out / "documents.parquet")
    assert len(documents) == 5
    assert set(documents["status"]) == {"ok"}
    for doc_id in documents["doc_id"]:
        assert (out / "normalized" / f"{doc_id}.txt").is_file()
    assert (out / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_extract_defaults_to_data_raw(monkeypatch, tmp_path, corpus):
    (tmp_path / "data").mkdir()
    shutil.move(corpus, tmp_path / "data" / "raw")
    monkeypatch.chdir(tmp_path)
    result = run("extract", "--quiet")
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "data" / "out" / "documents.csv")) == 5


def test_rerun_is_byte_identical(corpus, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("extract", str(corpus), "-o", str(first), "-q").exit_code == 0
    assert run("extract", str(corpus), "-o", str(second), "-q").exit_code == 0
    for name in TABLE_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bad_files_become_error_rows_and_do_not_stop_the_batch(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    result = run("extract", str(corpus), "-o", str(out), "-q")
    assert result.exit_code == 0
    errors = pd.read_csv(out / "errors.csv").set_index("path")
    assert errors.loc[str(corpus / "empty.txt"), "error_type"] == "EmptyFile"
    assert errors.loc[str(corpus / "scan.txt"), "error_type"] == "BinaryFile"
    assert errors.loc[str(corpus / "notes.docx"), "severity"] == "skipped"
    documents = pd.read_csv(out / "documents.csv")
    assert (documents["status"] == "ok").sum() == 5
    assert (documents["status"] == "error").sum() == 2


def test_strict_exits_1_on_failed_file(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    result = run("extract", str(corpus), "-o", str(tmp_path / "out"), "-q", "--strict")
    assert result.exit_code == 1


def test_all_files_failing_exits_1(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    assert run("extract", str(folder), "-o", str(tmp_path / "out"), "-q").exit_code == 1


def test_missing_input_is_a_usage_error(tmp_path):
    result = run("extract", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_format_is_a_usage_error(corpus, tmp_path):
    assert run("extract", str(corpus), "-o", str(tmp_path / "out"), "--format", "xls").exit_code == 2


def test_csv_only(corpus, tmp_path):
    out = tmp_path / "out"
    assert run("extract", str(corpus), "-o", str(out), "-q", "--format", "csv").exit_code == 0
    assert (out / "documents.csv").exists() and not (out / "documents.parquet").exists()


def test_normalize_prints_text(corpus):
    result = run("normalize", str(corpus / "shaoguan_wujiang_zsj_2020_trad.txt"))
    assert result.exit_code == 0
    assert result.stdout.startswith("韶关市武江区政务服务数据管理局2020年\n法治政府建设年度报告\n")


def test_normalize_of_binary_file_fails_with_message(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    result = run("normalize", str(path))
    assert result.exit_code == 1
    assert "PNG" in result.output


def test_duplicate_reports_are_marked(corpus, tmp_path):
    seed = corpus / "guangzhou_panyu_zsj_2023.txt"
    (corpus / "zz_copy_gbk.txt").write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "out"
    assert run("extract", str(corpus), "-o", str(out), "-q").exit_code == 0
    documents = pd.read_csv(out / "documents.csv").set_index("path")
    assert documents.loc[str(corpus / "zz_copy_gbk.txt"), "duplicate_of"] == str(seed)
    assert documents.loc[str(corpus / "zz_copy_gbk.txt"), "encoding"] == "gb18030"


def test_csv_cells_are_formula_escaped_but_parquet_is_raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        '=HYPERLINK("x")关于2022年度法治政府建设情况的报告\n2022年,我局认真做好法治政府建设各项工作。\n'
    )
    out = tmp_path / "out"
    assert run("extract", str(folder), "-o", str(out), "-q").exit_code == 0
    assert pd.read_csv(out / "documents.csv")["title"][0].startswith("'=")
    assert pd.read_parquet(out / "documents.parquet")["title"][0].startswith("=")
    assert run("extract", str(folder), "-o", str(out), "-q", "--no-csv-escape").exit_code == 0
    assert pd.read_csv(out / "documents.csv")["title"][0].startswith("=")
