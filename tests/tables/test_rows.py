"""Rows and schemas are one list of columns: every row builder gives exactly its table's
columns (``root`` and ``duplicate_of`` come from the run), and the README documents them all."""

from __future__ import annotations

import re

import pytest

from conftest import RAW, ROOT
from lawreport import process_file
from lawreport.records import ErrorRecord
from lawreport.tables.rows import (
    WideColumn,
    died_rows,
    document_row,
    error_row,
    indicator_rows,
    rows_for_result,
    section_rows,
    skipped_rows,
    wide_row,
)
from lawreport.tables.schemas import DOCUMENTS, ERRORS, INDICATORS, SECTIONS, TABLES, wide_spec

RUN_COLUMNS = {"root"}  # filled in by the run, which knows the input each file came from


@pytest.fixture(scope="module")
def result():
    return process_file(str(sorted(RAW.glob("*.txt"))[0]))


def test_row_builders_give_their_tables_columns(result):
    assert list(document_row(result)) == [c for c in DOCUMENTS.columns if c not in RUN_COLUMNS]
    assert list(section_rows(result)[0]) == SECTIONS.columns
    assert list(indicator_rows(result)[0]) == INDICATORS.columns
    ids = ["a", "b"]
    assert list(wide_row(result, [WideColumn(name) for name in ids])) == wide_spec(ids).columns
    error = error_row(ErrorRecord("x.txt", "read", "EmptyFile", "file is empty"))
    assert set(error) | RUN_COLUMNS == set(ERRORS.columns)


def test_failed_and_skipped_files_have_the_same_columns(tmp_path):
    failed = rows_for_result(process_file(str(tmp_path / "missing.txt")), [])
    assert set(failed.document) | RUN_COLUMNS == set(DOCUMENTS.columns)
    for rows in (failed, skipped_rows("a.pdf", "unsupported"), died_rows("b.txt", "killed")):
        assert set(rows.error) | RUN_COLUMNS == set(ERRORS.columns)


def test_the_readme_documents_every_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, spec in TABLES.items():
        row = re.search(rf"^\| `{name}` \|[^\n]*$", readme, flags=re.M)
        assert row, f"README has no row for table {name}"
        documented = set(re.findall(r"`([a-z_]+)`", row.group()))
        missing = [column for column in spec.columns if column not in documented]
        assert not missing, f"README does not document {name} columns {missing}"
