"""``lawreport schema [TABLE]``: the data dictionary (every column's type, meaning, unit and
codes), from the built-in rule packs or from the ``datapackage.json`` of an output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from lawreport.cli.app import app, stdout
from lawreport.cli.errors import guarded
from lawreport.cli.output import FormatOption, OutputFormat, chosen, emit_rows
from lawreport.errors import UsageError

COLUMNS = ("table", "column", "type", "title", "unit", "codes", "description")


def dictionary_rows(out: Path | None, rules: list[Path] | None) -> list[dict[str, Any]]:
    """One row per column of every table: from ``out/datapackage.json`` when given (what that
    run wrote), else from the built-in dictionary and rule packs."""
    if out is not None:
        package_file = out / "datapackage.json"
        if not package_file.is_file():
            raise UsageError(f"no datapackage.json in {out}", hint="Run lawreport extract with -o there first.")
        package = json.loads(package_file.read_text(encoding="utf-8"))
        rows, seen = [], set()
        for resource in package["resources"]:
            table = resource["name"].split(".")[0]
            if "schema" not in resource or table in seen:
                continue  # the same table in another format
            seen.add(table)
            for field in resource["schema"]["fields"]:
                codes = field.get("constraints", {}).get("enum") or []
                rows.append(
                    {"table": table, "column": field["name"], "type": field["type"], "title": field.get("title", ""),
                     "unit": field.get("unit", ""), "codes": codes, "description": field.get("description", "")}
                )  # fmt: skip
        return rows
    from lawreport.options import Options
    from lawreport.tables.dictionary import describe_all
    from lawreport.tables.schemas import run_specs

    options = Options(rules=tuple(str(path) for path in rules or ()))
    docs = describe_all(run_specs(options.indicator_ids()), options.indicator_rules(), options.report_kinds())
    return [
        {"table": doc.name, "column": column.name, "type": column.type, "title": column.title, "unit": column.unit,
         "codes": [value for value, _ in column.codes], "description": column.description}
        for doc in docs
        for column in doc.columns
    ]  # fmt: skip


@app.command("schema")
@guarded()
def schema_command(
    table: Annotated[
        str | None,
        typer.Argument(
            help="documents, sections, indicators, indicators_wide or errors. Default: all.", metavar="TABLE"
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="FOLDER", help="Show the datapackage.json a run wrote there.")
    ] = None,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", metavar="FOLDER", help="A user rule pack folder (repeatable).")
    ] = None,
    output_format: FormatOption = None,
) -> None:
    """Show the data dictionary: each column's type, title, unit, codes and meaning.

    Example: lawreport schema indicators;  lawreport schema -o out -f csv > dictionary.csv"""
    rows = dictionary_rows(out, rules)
    if table is not None:
        names = list(dict.fromkeys(row["table"] for row in rows))
        if table not in names:
            raise UsageError(f"no table {table!r}", hint=f"Choose from {', '.join(names)}.")
        rows = [row for row in rows if row["table"] == table]
    shown = chosen(output_format)
    if shown is not OutputFormat.table:
        emit_rows(rows, COLUMNS, shown)
        return
    for name in dict.fromkeys(row["table"] for row in rows):
        grid = Table(title=name, title_justify="left")
        for column in ("column", "type", "unit", "meaning"):
            grid.add_column(column, overflow="fold")
        for row in rows:
            if row["table"] == name:
                codes = f" Codes: {', '.join(row['codes'])}." if row["codes"] else ""
                grid.add_row(row["column"], row["type"], row["unit"], f"{row['title']}. {row['description']}{codes}")
        stdout.print(grid)
