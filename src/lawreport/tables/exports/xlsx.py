"""Excel: one workbook, ``lawreport.xlsx``, with one sheet per table, written by XlsxWriter in
constant-memory mode (rows stream to disk; memory does not grow with the table).

Each sheet has a bold frozen header, an autofilter and column widths from its first rows
(Chinese counts double). Dates are Excel dates, booleans TRUE/FALSE, and text is always text:
never a formula or a hyperlink, so no apostrophe escape is needed and the value stays exact.
Excel's limits are met, not hidden: a table over 1,048,576 rows goes on in ``TABLE (2)``, …
with the header repeated, and a cell over 32,767 characters (UTF-16 units, as Excel counts)
is cut with a note naming the file that holds the whole text; the first sheet, ``about``,
lists the sheets of every table and every cut, and the run summary says so. The ``columns``
sheet is the data dictionary. The same dataset gives the same bytes (a fixed creation date).
"""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pyarrow as pa

from lawreport.tables.dictionary import TableDoc
from lawreport.tables.exports import XLSX_SCRATCH, Exported, TableSource
from lawreport.tables.folder import sync_tree, temporary_path
from lawreport.tables.schemas import TableSpec

WORKBOOK_NAME = "lawreport.xlsx"
MAX_ROWS = 1_048_576  # per sheet, header row included
MAX_CELL = 32_767  # characters per cell, counted in UTF-16 code units
MAX_WIDTH = 60
WIDTH_SAMPLE = 500  # rows whose text sets the column widths
SHEET_NAME_MAX = 31
FIXED_DATE = dt.datetime(2000, 1, 1)  # docProps/core.xml: reproducible bytes


def target(spec: TableSpec, partition: bool) -> tuple[str, bool]:
    return WORKBOOK_NAME, False


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def fit_cell(text: str, table: str) -> tuple[str, bool]:
    """``text`` as Excel can hold it, and whether it was cut."""
    if len(text) * 2 <= MAX_CELL or utf16_length(text) <= MAX_CELL:
        return text, False
    marker = f"…[cut: {len(text):,} characters; the full text is in {table}.parquet / .csv]"
    keep = MAX_CELL - utf16_length(marker)
    cut = text[:keep]
    while utf16_length(cut) > keep:
        cut = cut[:-1]
    return cut + marker, True


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def sheet_name(table: str, part: int) -> str:
    name = table if part == 1 else f"{table} ({part})"
    return name[:SHEET_NAME_MAX]


def _kind(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_date(arrow_type):
        return "date"
    return "text"


def export(source: TableSource, out: Path, docs: list[TableDoc]) -> Exported:
    final = out / WORKBOOK_NAME
    temporary = temporary_path(final)
    scratch = temporary_path(out / XLSX_SCRATCH)
    scratch.mkdir(exist_ok=True)
    try:
        notes = _write(temporary, scratch, source, docs)
        sync_tree(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Exported({final: temporary}, notes)


def _write(path: Path, scratch: Path, source: TableSource, docs: list[TableDoc]) -> list[str]:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,  # a row goes to disk as soon as the next one starts
            "strings_to_formulas": False,  # "=HYPERLINK(…)" stays text
            "strings_to_urls": False,  # and so do URLs (Excel allows 65,530 links a sheet)
            "strings_to_numbers": False,
            "use_zip64": True,
            "tmpdir": str(scratch),
        },
    )
    workbook.set_properties({"title": "lawreport tables", "created": FIXED_DATE})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    about = workbook.add_worksheet("about")  # first in the book, filled last
    columns_sheet = workbook.add_worksheet("columns")
    sheets: dict[str, list[list[Any]]] = {}
    cut: dict[tuple[str, str], int] = {}
    for spec in source.specs:
        columns = spec.columns
        kinds = [_kind(field.type) for field in spec.schema]
        sheets[spec.name] = []
        part, row_number, sheet = 0, MAX_ROWS, None
        widths: list[float] | None = None

        def new_sheet(
            widths: list[float], columns: list[str] = columns, kinds: list[str] = kinds, table: str = spec.name
        ) -> Any:
            nonlocal part
            part += 1
            name = sheet_name(table, part)
            added = workbook.add_worksheet(name)
            added.freeze_panes(1, 0)
            for index, width in enumerate(widths):
                added.set_column(index, index, width, date_format if kinds[index] == "date" else None)
            added.write_row(0, 0, columns, header)
            sheets[table].append([name, 0])
            return added

        for batch in source.batches(spec.name):
            rows = batch.to_pylist()
            if widths is None:
                widths = _widths(columns, rows)
            for row in rows:
                if row_number >= MAX_ROWS:
                    sheet = new_sheet(widths)
                    row_number = 1
                for index, (name, kind) in enumerate(zip(columns, kinds, strict=True)):
                    value = row[name]
                    if value is None:
                        continue
                    if kind == "text":
                        value, was_cut = fit_cell(value, spec.name)
                        if was_cut:
                            cut[(spec.name, name)] = cut.get((spec.name, name), 0) + 1
                        sheet.write_string(row_number, index, value)
                    elif kind == "number":
                        sheet.write_number(row_number, index, value)
                    elif kind == "bool":
                        sheet.write_boolean(row_number, index, value)
                    else:
                        sheet.write_datetime(row_number, index, dt.datetime.combine(value, dt.time()), date_format)
                sheets[spec.name][-1][1] += 1
                row_number += 1
        if sheet is None:  # an empty table still gets its sheet and header
            sheet = new_sheet(widths or [max(10, display_width(c) + 2) for c in columns])
        for name, count in sheets[spec.name]:
            workbook.get_worksheet_by_name(name).autofilter(0, 0, max(count, 1), len(columns) - 1)
    _columns_sheet(columns_sheet, header, docs)
    notes = _about_sheet(about, header, sheets, cut)
    workbook.close()
    return notes


def _widths(columns: list[str], rows: list[dict[str, Any]]) -> list[float]:
    widths = []
    for name in columns:
        longest = max(
            [
                display_width(name),
                *(display_width(str(row[name])) for row in rows[:WIDTH_SAMPLE] if row[name] is not None),
            ]
        )
        widths.append(min(MAX_WIDTH, longest + 2))
    return widths


def _columns_sheet(sheet: Any, header: Any, docs: list[TableDoc]) -> None:
    sheet.write_row(0, 0, ["table", "column", "type", "title", "unit", "codes", "description"], header)
    row = 1
    for doc in docs:
        for column in doc.columns:
            codes = "; ".join(f"{value}: {label}" for value, label in column.codes)
            sheet.write_row(
                row, 0, [doc.name, column.name, column.type, column.title, column.unit, codes, column.description]
            )
            row += 1
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 1, 18)
    sheet.set_column(3, 3, 40)
    sheet.set_column(5, 6, 60)


def _about_sheet(
    sheet: Any, header: Any, sheets: dict[str, list[list[Any]]], cut: dict[tuple[str, str], int]
) -> list[str]:
    sheet.write_row(0, 0, ["table", "sheet", "rows", "note"], header)
    row = 1
    notes = []
    for table, parts in sheets.items():
        for index, (name, count) in enumerate(parts):
            sheet.write_row(row, 0, [table, name, count, "continued from the previous sheet" if index else ""])
            row += 1
        if len(parts) > 1:
            total = sum(count for _, count in parts)
            notes.append(
                f"xlsx: {table} has {total:,} rows: sheets {', '.join(name for name, _ in parts)}"
                f" (Excel holds {MAX_ROWS:,} rows a sheet)"
            )
    for (table, column), count in sorted(cut.items()):
        text = f"{count:,} cell(s) of {table}.{column} cut to Excel's {MAX_CELL:,} characters; the full text is in {table}.parquet / .csv"
        sheet.write_row(row, 0, [table, "", count, text])
        row += 1
        notes.append(f"xlsx: {text}")
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 20)
    sheet.set_column(3, 3, 90)
    return notes
