"""Every export read back with the library its users use: JSON Lines with ``json``, SQLite with
``sqlite3``, xlsx with openpyxl, .dta with ``pandas.read_stata``; each compared with the
canonical Parquet table of the same run. Edge cases (Excel's limits, Stata's names and types)
through a hand-made table source."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
import struct

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

import lawreport
from conftest import RAW, SEEDS
from lawreport.tables.dictionary import describe
from lawreport.tables.exports import dta, jsonl, sqlite, xlsx
from lawreport.tables.frames import load_table
from lawreport.tables.schemas import TableSpec

TABLES = ("documents", "sections", "indicators", "indicators_wide", "errors")
ALL = "csv,parquet,jsonl,sqlite,xlsx,dta"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The seeds, a GBK copy of one (a duplicate: doc_id repeats in documents) and a PNG (an
    error row), in every format."""
    inputs = tmp_path_factory.mktemp("in")
    for path in sorted(SEEDS.glob("*.txt")):
        (inputs / path.name).write_bytes(path.read_bytes())
    first = sorted(RAW.glob("*.txt"))[0]
    (inputs / "zz_copy_gbk.txt").write_bytes(first.read_text(encoding="utf-8").encode("gb18030"))
    (inputs / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = tmp_path_factory.mktemp("out") / "out"
    summary = lawreport.extract([inputs], out, formats=ALL, jobs=1)
    assert summary.duplicates == 1 and summary.skipped == 1
    return out


def _frames(out):
    return {table: load_table(out, table) for table in TABLES}


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def test_jsonl_rows_equal_the_parquet_rows(dataset):
    for table, frame in _frames(dataset).items():
        lines = (dataset / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(frame), table
        for line, (_, row) in zip(lines, frame.iterrows(), strict=True):
            decoded = json.loads(line)
            assert list(decoded) == list(frame.columns)
            assert decoded == {column: _plain(row[column]) for column in frame.columns}, table
    assert not (dataset / "documents.jsonl").read_bytes().startswith(b"\xef\xbb\xbf")


def test_sqlite_has_the_rows_keys_and_indexes(dataset):
    db = sqlite3.connect(f"file:{dataset / 'lawreport.sqlite'}?mode=ro", uri=True)
    db.execute("PRAGMA foreign_keys = ON")
    frames = _frames(dataset)
    for table, frame in frames.items():
        assert db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] == len(frame)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # doc_id repeats in documents (the GBK copy); texts holds it once, as the key
    originals = frames["documents"].query("status == 'ok' and duplicate_of.isna()")
    assert db.execute("SELECT count(*) FROM texts").fetchone()[0] == len(originals)
    plan = " ".join(
        row[3] for row in db.execute("EXPLAIN QUERY PLAN SELECT * FROM indicators WHERE indicator_id = 'x'")
    )
    assert "indicators_indicator_id" in plan
    plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN SELECT * FROM indicators WHERE doc_id = 'x'"))
    assert "USING INDEX" in plan
    # types analysts rely on: ISO dates, 0/1 booleans, integers
    dates = db.execute("SELECT publish_date FROM documents WHERE publish_date IS NOT NULL").fetchall()
    expected = sorted(d.isoformat() for d in frames["documents"]["publish_date"].dropna())
    assert sorted(row[0] for row in dates) == expected
    assert {row[0] for row in db.execute("SELECT DISTINCT is_target FROM indicators")} <= {0, 1}
    joined = db.execute(
        "SELECT d.title, i.value FROM indicators i JOIN texts t USING (doc_id) JOIN documents d ON d.path = t.path"
    ).fetchall()
    assert len(joined) == len(frames["indicators"])
    schema = db.execute("SELECT sql FROM sqlite_master WHERE name = 'indicators'").fetchone()[0]
    assert "-- Hedge on the number" in schema  # the dictionary's title as a comment


def test_xlsx_sheets_read_back_with_openpyxl(dataset):
    book = openpyxl.load_workbook(dataset / "lawreport.xlsx", read_only=True)
    assert book.sheetnames == ["about", "columns", *TABLES]
    for table, frame in _frames(dataset).items():
        rows = list(book[table].iter_rows(values_only=True))
        assert list(rows[0]) == list(frame.columns)
        assert len(rows) - 1 == len(frame)
        for cells, (_, row) in zip(rows[1:], frame.iterrows(), strict=True):
            for column, cell in zip(frame.columns, cells, strict=True):
                value = _plain(row[column])
                if isinstance(cell, dt.datetime):
                    cell = cell.date().isoformat()
                if isinstance(value, float) and isinstance(cell, int | float):
                    assert cell == pytest.approx(value, rel=1e-15), (table, column)
                else:
                    assert cell == value, (table, column)
    book.close()
    full = openpyxl.load_workbook(dataset / "lawreport.xlsx")  # not read-only: panes and widths
    assert full["indicators"].freeze_panes == "A2"
    assert full["indicators"].auto_filter.ref.startswith("A1:")
    dictionary = list(full["columns"].iter_rows(values_only=True))
    assert ("indicators", "qualifier") in {(row[0], row[1]) for row in dictionary}


def test_dta_reads_back_with_pandas(dataset):
    for table, frame in _frames(dataset).items():
        with pd.io.stata.StataReader(dataset / f"{table}.dta") as reader:
            back = reader.read(convert_categoricals=False)
            labels = reader.variable_labels()
            assert reader.data_label.startswith(f"lawreport {table}: ")
        # `end` is a Stata word; a name longer than Stata's 32 characters is cut (a wide table's
        # normative_documents_issued_target is 33)
        renamed = {column: column[:32] for column in frame.columns} | {"end": "end_offset"}
        assert list(back.columns) == [renamed.get(column, column) for column in frame.columns]
        for column in frame.columns:
            stata = renamed.get(column, column)
            original = frame[column]
            for mine, theirs in zip(original.tolist(), back[stata].tolist(), strict=True):
                mine = _plain(mine)
                if theirs is pd.NaT:
                    theirs = None
                elif isinstance(theirs, pd.Timestamp):
                    theirs = theirs.date().isoformat()
                elif isinstance(theirs, float) and math.isnan(theirs):
                    theirs = None
                if isinstance(theirs, str):
                    assert (theirs or None) == (mine or None), (table, column)  # Stata: "" is missing text
                elif isinstance(mine, bool):
                    assert theirs == int(mine), (table, column)
                else:
                    assert theirs == mine, (table, column)
            assert labels[stata], (table, column)
        if "end" in frame.columns:
            assert labels["end_offset"].endswith("[end]")


def test_dta_keeps_long_text_as_strl(dataset):
    with open(dataset / "indicators.dta", "rb") as handle:
        data = handle.read()
    start = data.index(b"<variable_types>") + len(b"<variable_types>")
    count = struct.unpack("<H", data[data.index(b"<K>") + 3 : data.index(b"<K>") + 5])[0]
    types = struct.unpack(f"<{count}H", data[start : start + 2 * count])
    columns = load_table(dataset, "indicators").columns.tolist()
    assert types[columns.index("sentence")] == dta.TYPE_STRL
    assert types[columns.index("doc_id")] == 16  # str16: fixed width


class _Source:
    """A TableSource over in-memory Arrow tables."""

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        self.tables = tables
        self.specs = [TableSpec(name, table.schema) for name, table in tables.items()]

    def batches(self, table, batch_size=1000):
        yield from self.tables[table].to_batches(max_chunksize=batch_size)

    def num_rows(self, table):
        return self.tables[table].num_rows


EDGE = pa.table(
    {
        "text": ['=HYPERLINK("http://x")', "x" * 40_000, "𠀀" * 20_000, "a\x01b", None, "https://example.org"],
        "number": [1.5, None, 0.30000000000000004, -2.0, 1e300, 3.0],
        "count": pa.array([1, 2, None, 4, 5, 2**40], type=pa.int64()),
        "flag": [True, False, None, True, False, True],
        "day": [dt.date(2021, 2, 2), None, dt.date(1959, 12, 31), dt.date(2024, 2, 29), dt.date(1960, 1, 1), None],
        "end": pa.array([1, 2, 3, 4, 5, 6], type=pa.int64()),
        "empty": pa.array([None] * 6, type=pa.string()),
    }
)


def _docs(source):
    return [describe(spec) for spec in source.specs]


def test_xlsx_meets_excels_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # 3 rows and the header a sheet
    source = _Source({"edge": EDGE})
    exported = xlsx.export(source, tmp_path, _docs(source))
    ((final, temporary),) = exported.files.items()
    os.replace(temporary, final)
    assert not list(tmp_path.glob(".xlsx-scratch*"))  # the spool folder is gone
    book = openpyxl.load_workbook(final)
    assert book.sheetnames == ["about", "columns", "edge", "edge (2)"]
    first, second = book["edge"], book["edge (2)"]
    assert [c.value for c in second[1]] == EDGE.column_names  # the header again
    cells = [row for row in first.iter_rows(min_row=2, values_only=True)] + [
        row for row in second.iter_rows(min_row=2, values_only=True)
    ]
    assert cells[0][0] == '=HYPERLINK("http://x")' and first["A2"].data_type == "s"  # text, not a formula
    assert len(cells[1][0]) <= 32_767 and "[cut: 40,000 characters" in cells[1][0]
    assert xlsx.utf16_length(cells[2][0]) <= 32_767 and "[cut: 20,000 characters" in cells[2][0]
    assert cells[5][0] == "https://example.org" and second["A4"].hyperlink is None
    assert cells[3][2] == 4 and cells[0][3] is True and cells[1][3] is False
    assert cells[0][4] == dt.datetime(2021, 2, 2)
    about = [row for row in book["about"].iter_rows(values_only=True)]
    assert ("edge", "edge (2)", 3, "continued from the previous sheet") in about
    assert any("2 cell(s) of edge.text cut" in (row[3] or "") for row in about)
    assert any("sheets edge, edge (2)" in note for note in exported.notes)
    assert any("edge.text cut" in note for note in exported.notes)


def test_dta_edge_cases_read_back(tmp_path):
    source = _Source({"edge": EDGE, "nothing": EDGE.slice(0, 0)})
    exported = dta.export(source, tmp_path, _docs(source))
    for final, temporary in exported.files.items():
        os.replace(temporary, final)
    back = pd.read_stata(tmp_path / "edge.dta")
    assert list(back.columns) == ["text", "number", "count", "flag", "day", "end_offset", "empty"]
    assert back["text"][1] == "x" * 40_000 and back["text"][2] == "𠀀" * 20_000  # strL: no limit
    assert back["text"][4] == "" and back["empty"].tolist() == [""] * 6
    assert back["number"][2] == 0.30000000000000004 and back["number"][4] == 1e300 and math.isnan(back["number"][1])
    assert back["count"][5] == 2**40 and math.isnan(back["count"][2])  # over Stata's long: double
    assert back["flag"].tolist()[:2] == [1, 0] and math.isnan(back["flag"][2])
    assert back["day"][0] == pd.Timestamp("2021-02-02") and back["day"][2] == pd.Timestamp("1959-12-31")
    assert pd.isna(back["day"][1])
    assert any("end is end_offset" in note for note in exported.notes)
    assert pd.read_stata(tmp_path / "nothing.dta").shape == (0, 7)


def test_stata_names_are_legal_and_unique():
    names = dta.stata_names(["end", "in", "2024年", "a" * 40, "a" * 40 + "b", "ok_name"])
    assert names["end"] == "end_offset" and names["in"] == "in_"
    assert names["2024年"] == "_2024_"
    assert len(names["a" * 40]) == 32 and names["a" * 40 + "b"] == "a" * 30 + "_2"
    assert names["ok_name"] == "ok_name"


def test_exports_are_byte_identical_on_a_rerun(dataset, tmp_path):
    again = tmp_path / "again"
    inputs = sorted({os.path.dirname(path) for path in load_table(dataset, "documents")["path"]})
    lawreport.extract(inputs, again, formats=ALL, jobs=1)
    for name in ("lawreport.xlsx", "lawreport.sqlite", "indicators.dta", "indicators.jsonl", "datapackage.json"):
        assert (again / name).read_bytes() == (dataset / name).read_bytes(), name


def test_a_failing_export_leaves_the_previous_dataset_whole(dataset, tmp_path, monkeypatch):
    out = tmp_path / "out"
    lawreport.extract([RAW], out, formats="csv,jsonl", jobs=1)
    kept = lambda path: path.is_file() and path.name not in (".lawreport.lock", "manifest.sqlite")  # noqa: E731 (the row cache may grow)
    before = {path.name: path.read_bytes() for path in out.iterdir() if kept(path)}

    def broken(source, out, docs):
        (out / ".indicators.dta.tmp-1").write_bytes(b"half")  # what a crash would leave
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dta, "export", broken)
    with pytest.raises(lawreport.OutputError, match="No space left"):
        lawreport.extract([RAW], out, formats="csv,parquet,jsonl,dta", jobs=1, incremental=False)
    after = {path.name: path.read_bytes() for path in out.iterdir() if kept(path)}
    assert {name: data for name, data in after.items() if not name.startswith(".indicators.dta")} == before
    monkeypatch.undo()
    lawreport.extract([RAW], out, formats="csv,jsonl", jobs=1)  # the next run tidies up
    assert not list(out.glob(".*.tmp-*"))


def test_exports_only_need_no_parquet_published(tmp_path):
    out = tmp_path / "out"
    lawreport.extract([RAW], out, formats="xlsx", jobs=1)
    names = {path.name for path in out.iterdir()}
    assert "lawreport.xlsx" in names and "datapackage.json" in names
    assert not any(name.endswith((".parquet", ".csv")) or ".tmp-" in name for name in names)
    with pytest.raises(lawreport.OptionError, match="--format"):
        lawreport.Options(formats="csv,xls")


def test_sqlite_refuses_tables_that_break_their_keys(tmp_path):
    documents = pa.table(
        {"path": ["a"], "doc_id": ["x"], "status": ["ok"], "duplicate_of": ["nowhere"], "n_chars": [1]}
    )
    source = _Source({"documents": documents})
    docs = [describe(TableSpec("documents", documents.schema))]
    with pytest.raises(lawreport.OutputError, match="break their own keys"):
        sqlite.export(source, tmp_path, docs)
    assert not list(tmp_path.iterdir())


def test_jsonl_writes_dates_and_no_nan():
    assert (
        jsonl.encode_row({"d": dt.date(2021, 2, 2), "x": None, "t": "中文"}) == '{"d":"2021-02-02","x":null,"t":"中文"}'
    )
    with pytest.raises(ValueError):
        jsonl.encode_row({"x": float("nan")})
