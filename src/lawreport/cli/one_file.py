"""One report at a time: ``normalize``, ``sections`` and ``indicators`` show what the pipeline
makes of a file."""

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
from lawreport.errors import LawreportError
from lawreport.kinds import Kind, default_kind, find_kind
from lawreport.options import Options, check_at_least, check_file
from lawreport.paths import display
from lawreport.pipeline import process_file
from lawreport.records import Indicator, Processed

# Colours of the parts of a report kind, in the order of its parts (unknown stands out).
PART_COLOURS = ("green", "red", "magenta", "yellow", "cyan", "blue")


def label_colours(kind: Kind | None = None) -> dict[str, str]:
    parts = (kind or default_kind()).parts
    return {
        **{part: PART_COLOURS[index % len(PART_COLOURS)] for index, part in enumerate(parts)},
        "unknown": "bold red",
    }


@app.command("normalize")
@guarded()
def normalize_command(
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
) -> None:
    """Print the normalised text of one report (what every offset in the tables refers to)."""
    result = _process_one(file, options_from_flags(encoding=encoding, rules=None))
    sys.stdout.write(result.normalized.text + "\n")


@app.command("sections")
@guarded()
def sections_command(
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    depth: Annotated[int, typer.Option(help="Show sections down to this level.")] = 3,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
    kind: KindFlag = "auto",
    kinds: KindsFlag = None,
) -> None:
    """Show the outline of one report as a tree, with the label of each top-level part."""
    check_at_least("--depth", depth, 1)
    options = options_from_flags(encoding=encoding, rules=None, kind=kind, kinds=kinds)
    result = _process_one(file, options)
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
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
    kind: KindFlag = "auto",
    kinds: KindsFlag = None,
) -> None:
    """Show the indicators found in one report as a table."""
    result = _process_one(file, options_from_flags(encoding=encoding, rules=rules, kind=kind, kinds=kinds))
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
    check_file(str(file))
    options.ruleset()  # a broken rule pack is a usage error, not a failed file
    result = process_file(str(file), options)
    if not isinstance(result, Processed):
        raise LawreportError(f"{display(str(file))}: {result.error.message}", hint=result.error.hint)
    return result
