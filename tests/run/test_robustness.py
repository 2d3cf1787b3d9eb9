"""Hostile input and faults: every bad file is an error row, nothing hangs, outputs stay whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import RAW
from lawreport.cli import app
from lawreport.pipeline import process_file
from lawreport.run.batch import extract
from lawreport.run.lock import locked_output

runner = CliRunner()
GOOD = (RAW / "guangzhou_haizhu_zsj_2022.txt").read_text(encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def errors_of(out) -> dict[str, pd.Series]:
    return {row["path"]: row for _, row in pd.read_csv(out / "errors.csv").iterrows()}


def run_cli(corpus, out, *extra):
    return runner.invoke(app, ["extract", str(corpus), "-o", str(out), "-q", "-j", "1", *extra])


@pytest.mark.parametrize(
    ("name", "content", "error_type", "words"),
    [
        ("empty.txt", b"", "EmptyFile", "empty"),
        ("scan.txt", b"%PDF-1.7\n\x00\x01binary", "BinaryFile", "PDF"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "BinaryFile", "PNG"),
        ("archive.html", b"PK\x03\x04\x14\x00\x00\x00", "BinaryFile", "ZIP"),
        ("nul.txt", "报告".encode() + b"\x00\x00\x00" + "内容".encode(), "BinaryFile", "NUL"),
        ("mixed.txt", "第一部分".encode() + "第二部分".encode("big5") + b"\xff\xfe\xfd", "DecodeError", "--encoding"),
    ],
)
def test_bad_inputs_become_error_rows(corpus, tmp_path, name, content, error_type, words):
    (corpus / name).write_bytes(content)
    out = tmp_path / "out"
    assert run_cli(corpus, out).exit_code == 0
    row = errors_of(out)[str(corpus / name)]
    assert row["error_type"] == error_type and row["severity"] == "error"
    assert words in f"{row['message']} {row['hint']}"
    assert (pd.read_csv(out / "documents.csv")["status"] == "ok").sum() == 1
    assert run_cli(corpus, out, "--strict").exit_code == 1


def test_truncated_multibyte_tail_is_repaired_with_a_warning(corpus, tmp_path):
    (corpus / "cut.txt").write_bytes(GOOD.encode() + "会".encode()[:2])
    result = process_file(str(corpus / "cut.txt"))
    assert result.error is None
    assert any("truncated" in warning for warning in result.warnings)


def test_huge_single_line_file_is_refused_without_reading_it(corpus, tmp_path):
    huge = corpus / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1000 * 1000)  # sparse: 200 MB on paper, nothing on disk
    started = time.perf_counter()
    out = tmp_path / "out"
    assert run_cli(corpus, out).exit_code == 0
    assert time.perf_counter() - started < 60
    row = errors_of(out)[str(huge)]
    assert row["error_type"] == "FileTooLarge" and "50 MB limit" in row["message"] and "--max-size" in row["hint"]


def test_long_single_line_file_under_the_limit_is_processed(corpus, tmp_path):
    line = GOOD.replace("\n", "")
    (corpus / "oneline.txt").write_text(line * 20, encoding="utf-8")
    result = process_file(str(corpus / "oneline.txt"))
    assert result.error is None and result.indicators


def test_file_that_vanishes_after_discovery(corpus, tmp_path):
    doomed = corpus / "zz_doomed.txt"  # listed with good.txt, deleted once good.txt is written
    doomed.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    summary = extract([str(corpus)], out, jobs=1, on_file=lambda _rows: doomed.unlink(missing_ok=True))
    assert summary.failed == 1 and summary.ok == 1
    assert "cannot read file" in errors_of(out)[str(doomed)]["message"]


def test_fifo_does_not_hang(corpus, tmp_path):
    os.mkfifo(corpus / "pipe.txt")
    out = tmp_path / "out"
    assert run_cli(corpus, out).exit_code == 0
    assert "not a regular file" in errors_of(out)[str(corpus / "pipe.txt")]["message"]


def test_symlink_loops(corpus, tmp_path):
    os.symlink(corpus / "self.txt", corpus / "self.txt")
    os.symlink(corpus, corpus / "again")  # a folder loop, never followed
    out = tmp_path / "out"
    assert run_cli(corpus, out).exit_code == 0
    errors = errors_of(out)
    assert errors[str(corpus / "self.txt")]["stage"] == "read"
    assert len(pd.read_csv(out / "documents.csv")) == 2


def test_paths_with_spaces_and_chinese_names(tmp_path):
    folder = tmp_path / "我的 报告 folder"
    folder.mkdir()
    (folder / "海珠区 2022 年度 报告.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "输出 目录"
    assert run_cli(folder, out).exit_code == 0
    documents = pd.read_parquet(out / "documents.parquet")
    assert documents["path"][0].endswith("海珠区 2022 年度 报告.txt") and documents["status"][0] == "ok"


def test_inputs_are_never_modified_and_output_inside_input_is_not_read(corpus, tmp_path):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir()}
    out = corpus / "out"
    assert run_cli(corpus, out).exit_code == 0
    assert run_cli(corpus, out).exit_code == 0
    assert len(pd.read_csv(out / "documents.csv")) == 1  # normalized/*.txt was not read back
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir() if p.is_file()}
    assert after == before


def test_locked_output_folder_names_the_holder(corpus, tmp_path):
    out = tmp_path / "out"
    assert run_cli(corpus, out).exit_code == 0
    with locked_output(out):
        result = run_cli(corpus, out)
    assert result.exit_code == 2
    assert f"pid {os.getpid()}" in result.output
    assert run_cli(corpus, out).exit_code == 0


def test_csv_numbers_are_never_escaped(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "r.txt").write_text(
        "某局2022年法治政府建设报告\n一、工作情况\n同比下降-5%,办理案件12件。\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert run_cli(folder, out).exit_code == 0
    indicators = pd.read_csv(out / "indicators.csv")
    assert indicators["value"].dtype.kind == "f"
    shutil.rmtree(out)
