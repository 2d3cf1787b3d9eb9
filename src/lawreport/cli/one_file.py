"""One report at a time: ``normalize``, ``sections`` and ``indicators`` show what the pipeline
makes of a file (``-`` reads standard input)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from lawreport.cli.app import app, stderr, stdout
from lawreport.cli.errors import guarded
from lawreport.cli.flags import KindFlag, KindsFlag, options_from_flags
from lawreport.cli.output import FormatOption, OutputFormat, chosen, emit_rows
from lawreport.errors import LawreportError
from lawreport.kinds import Kind, default_kind, find_kind
from lawreport.options import Options, check_at_least, check_file
from lawreport.paths import display
from lawreport.pipeline import process_bytes, process_file
from lawreport.records import Indicator, Processed
from lawreport.tables.rows import indicator_rows, section_rows
from lawreport.tables.schemas import INDICATORS, SECTIONS

# Colours of the parts of a report kind, in the order of its parts (unknown stands out).
PART_COLOURS = ("green", "red", "magenta", "yellow", "cyan", "blue")
STDIN = "-"

FileArgument = Annotated[
    Path, typer.Argument(help="A report file (.txt or .html), or - for standard input.", metavar="FILE")
]
EncodingOption = Annotated[str | None, typer.Option(help="Force an input encoding.", metavar="NAME")]


def label_colours(kind: Kind | None = None) -> dict[str, str]:
    parts = (kind or default_kind()).parts
    return {
        **{part: PART_COLOURS[index % len(PART_COLOURS)] for index, part in enumerate(parts)},
        "unknown": "bold red",
    }


@app.command("normalize")
@guarded()
def normalize_command(file: FileArgument, encoding: EncodingOption = None) -> None:
    """Print the normalised text of one report (what every offset in the tables refers to).

    Example: lawreport normalize report.html | less"""
    result = _process_one(file, options_from_flags(encoding=encoding, rules=None))
    sys.stdout.write(result.normalized.text + "\n")


@app.command("sections")
@guarded()
def sections_command(
    file: FileArgument,
    depth: Annotated[int, typer.Option(help="Show sections down to this level.", metavar="N")] = 3,
    encoding: EncodingOption = None,
    kind: KindFlag = "auto",
    kinds: KindsFlag = None,
    output_format: FormatOption = None,
) -> None:
    """Show the outline of one report as a tree, with the label of each top-level part.

    Example: lawreport sections report.txt --depth 2;  cat report.txt | lawreport sections - -f csv"""
    check_at_least("--depth", depth, 1)
    options = options_from_flags(encoding=encoding, rules=None, kind=kind, kinds=kinds)
    result = _process_one(file, options)
    shown = chosen(output_format)
    if shown is not OutputFormat.table:
        rows = [row for row in section_rows(result) if row["level"] <= depth]
        emit_rows(rows, SECTIONS.columns, shown)
        return
    root = Tree(
        Text.assemble(
            (result.meta.title or display(file.name), "bold"),
            "  ",
            (str(result.meta.report_year or ""), "dim"),
            "  ",
            (result.meta.kind, "dim"),
        )
    )
    nodes: dict[str, Tree] = {}
    colours = label_colours(find_kind(result.meta.kind, options.report_kinds()))
    for section in result.outline.sections:
        if section.level > depth:
            continue
        text = f"{section.full_heading or section.style}"[:60]
        span = (f"{section.start}-{section.end}", "dim")
        if section.level == 1:
            colour = colours.get(section.label, "dim")
            line = Text.assemble((f"{section.label:<13}", colour), " ", text, " ", (f"{span[0]} {section.cue}", "dim"))
        else:
            line = Text.assemble(text, " ", span)
        parent = nodes.get(section.parent_id or "", root)
        nodes[section.section_id] = parent.add(line)
    stdout.print(root)
    for warning in result.outline.warnings:
        stderr.print(Text.assemble(("warning: ", "yellow"), warning))


@app.command("indicators")
@guarded()
def indicators_command(
    file: FileArgument,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).", metavar="FOLDER")
    ] = None,
    encoding: EncodingOption = None,
    kind: KindFlag = "auto",
    kinds: KindsFlag = None,
    output_format: FormatOption = None,
) -> None:
    """Show the indicators found in one report (a table on a terminal, else rows as --format says).

    Example: lawreport indicators report.txt -f jsonl | jq .value"""
    result = _process_one(file, options_from_flags(encoding=encoding, rules=rules, kind=kind, kinds=kinds))
    shown = chosen(output_format)
    if shown is not OutputFormat.table:
        emit_rows(indicator_rows(result), INDICATORS.columns, shown)
        return
    title = f"{result.meta.title or display(file.name)}: {len(result.indicators)} indicators"
    table = Table(title=title, title_justify="left")
    for column in ("text", "value", "unit", "qual.", "target", "change", "subject", "indicator", "section"):
        table.add_column(column, overflow="fold")
    for item in result.indicators:
        value = f"{item.value}" if item.value is not None else f"{item.value_low}–{item.value_high}"
        table.add_row(
            item.text,
            value,
            item.unit,
            item.qualifier,
            "yes" if item.is_target else "",
            _meaning(item),
            item.subject,
            item.indicator,
            f"{item.section_id or ''} {item.section_label or ''}",
        )
    stdout.print(table)


def _meaning(item: Indicator) -> str:
    """change, basis and pair role in one cell: ``up 同比``, ``to #2``."""
    role = f"{item.role} #{item.pair_no}" if item.role else ""
    return " ".join(part for part in (item.change, item.basis, role, "分别" if item.respectively else "") if part)


def _process_one(file: Path, options: Options) -> Processed:
    """One report, or standard input for ``-`` (named ``<stdin>`` in the rows)."""
    from_stdin = str(file) == STDIN
    if not from_stdin:
        check_file(str(file))
    options.ruleset()  # a broken rule pack is a usage error, not a failed file
    if from_stdin:
        result = process_bytes("<stdin>", sys.stdin.buffer.read(), options)
    else:
        result = process_file(str(file), options)
    if not isinstance(result, Processed):
        raise LawreportError(f"{display(str(file))}: {result.error.message}", hint=result.error.hint)
    return result
