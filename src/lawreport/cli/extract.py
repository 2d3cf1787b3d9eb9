"""``lawreport extract``: add reports to the dataset in an output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from lawreport.budget import DEFAULT_TIME_BUDGET
from lawreport.cli.app import DEFAULT_OUTPUT, FileProgress, app, default_inputs, stderr
from lawreport.cli.errors import exit_with, guarded
from lawreport.cli.flags import (
    FollowSymlinksFlag,
    ManifestFlag,
    RuleTimeoutFlag,
    TimeBudgetFlag,
    listing_flag,
    options_from_flags,
)
from lawreport.indicators.rulepack import DEFAULT_TIMEOUT
from lawreport.reading.source import DEFAULT_MAX_BYTES
from lawreport.run.batch import RunSummary, extract
from lawreport.run.manifest import published_formats
from lawreport.tables.exports import ALL_FORMATS
from lawreport.tables.formats import FORMATS
from lawreport.tables.rows import FileRows


@app.command("extract")
@guarded(interrupted="the previous tables are unchanged and finished files are kept: run again to continue")
def extract_command(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Report files or folders (searched recursively). Default: data/raw.", metavar="INPUT..."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder for the tables.")] = DEFAULT_OUTPUT,
    formats: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT,...",
            help=f"Comma-separated: {', '.join(ALL_FORMATS)}. Default: the formats the dataset was last written"
            f" in ({','.join(FORMATS)} for a new one).",
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Force an input encoding (e.g. gb18030, big5) instead of detecting it.")
    ] = None,
    max_size: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = DEFAULT_MAX_BYTES / 1e6,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="A user rule pack folder (repeatable), after the built-in packs."),
    ] = None,
    kind: Annotated[str, typer.Option(help="Report kind: auto (recognised per document) or a kind's name.")] = "auto",
    kinds: Annotated[
        list[Path] | None, typer.Option("--kinds", help="A folder of user report kinds (repeatable).")
    ] = None,
    rule_timeout: RuleTimeoutFlag = DEFAULT_TIMEOUT,
    time_budget: TimeBudgetFlag = DEFAULT_TIME_BUDGET,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any file failed or has warnings.")] = False,
    csv_escape: Annotated[
        bool, typer.Option(help="Neutralise spreadsheet formulas (=, +, -, @) in CSV text cells.")
    ] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default 0: one per core).")] = 0,
    full: Annotated[bool, typer.Option("--full", help="Ignore cached rows: process every input file again.")] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Start the dataset afresh: only this run's inputs stay in the tables.")
    ] = False,
    engine: Annotated[str, typer.Option(help="local (process pool) or dask.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); default: a LocalCluster.")
    ] = None,
    manifest: ManifestFlag = None,
    follow_symlinks: FollowSymlinksFlag = False,
    partition: Annotated[
        bool | None,
        typer.Option(
            "--partition/--no-partition",
            help="Parquet as hive-style datasets by report year (default: on for --engine dask).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Add the reports to the dataset in the output folder: documents, sections, indicators, errors.

    Every run also writes datapackage.json (the data dictionary: lawreport schema shows it).

    Example: lawreport extract reports/ -o out -f csv,parquet,xlsx,dta,sqlite"""
    options = options_from_flags(
        encoding=encoding, rules=rules, max_size=max_size, rule_timeout=rule_timeout, time_budget=time_budget,
        formats=formats if formats is not None else (published_formats(output) or FORMATS),
        csv_escape=csv_escape, jobs=jobs, incremental=not full, replace=replace, engine=engine,
        scheduler=scheduler, follow_symlinks=follow_symlinks, partition=partition, strict=strict,
        kind=kind, kinds=kinds,
    )  # fmt: skip
    with FileProgress("extract", quiet=quiet) as progress:

        def on_file(rows: FileRows) -> None:
            progress.advance(rows.path)
            if rows.error is not None and not quiet:
                progress.print(Text.assemble(("failed ", "red"), f"{rows.path}: {rows.error['message']}"))

        summary = extract(
            default_inputs(inputs, manifest), output, options, listing=listing_flag(manifest),
            on_file=on_file, on_discovered=progress.on_discovered,
        )  # fmt: skip
    if not quiet:
        _print_summary(summary, output)
    raise exit_with(strict and not summary.passed(strict=True))


def _print_summary(summary: RunSummary, output: Path) -> None:
    table = Table(title=f"lawreport extract -> {output}", title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("files read", str(summary.files))
    table.add_row("ok", Text(str(summary.ok), style="green"))
    table.add_row("failed", Text(str(summary.failed), style="red" if summary.failed else ""))
    table.add_row("skipped (not .txt/.html)", str(summary.skipped))
    table.add_row("unchanged (reused)", str(summary.reused))
    table.add_row("with warnings", str(summary.with_warnings))
    if summary.refreshed:
        table.add_row("other inputs' files redone (settings changed, or their rows needed)", str(summary.refreshed))
    if summary.removed:
        table.add_row("dropped (gone from an input folder)", str(summary.removed))
    table.add_row("dataset: files / inputs", f"{summary.dataset_files} / {summary.dataset_roots}")
    table.add_row("dataset: duplicates", str(summary.duplicates))
    for name, rows in sorted(summary.rows.items()):
        table.add_row(f"{name} rows", str(rows))
    table.add_row("time", f"{summary.seconds:.2f} s ({summary.mb_per_second:.2f} MB/s, {summary.jobs} jobs)")
    stderr.print(table)
    for name in summary.removed_outputs:
        stderr.print(Text(f"removed {output / name}: this run does not write that format", style="yellow"))
    if summary.failed:
        stderr.print(Text(f"{summary.failed} file(s) failed: see {output / 'errors.csv'}", style="yellow"))
