"""Command-line interface: a thin layer that parses options, calls the library, reports.

Data goes to files (or stdout for inspection commands); progress, summaries and
errors go to stderr, printed literally (never as markup). Exit codes: 0 success, 1 failures
(nothing could be read, an unwritable output folder, or warnings with --strict), 2 usage
errors (one line, before anything is touched), 130 interrupted. Option values are checked by
the library (:mod:`lawreport.options`); typed errors become one line here.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TypeVar

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from lawreport import __version__
from lawreport.budget import DEFAULT_TIME_BUDGET
from lawreport.errors import LawreportError, RunInterrupted, UsageError, join_message
from lawreport.indicators.rulepack import DEFAULT_TIMEOUT, load_pack, load_ruleset
from lawreport.options import check_at_least, check_choice, check_fraction, check_max_size
from lawreport.paths import display
from lawreport.pipeline import DocumentResult, ExtractOptions, FileRows, process_file
from lawreport.qa.checks import DEFAULT_REQUIRED
from lawreport.reading.discover import DEFAULT_MAX_BYTES
from lawreport.run.batch import RunSummary, extract

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUTPUT = Path("data/out")
DEBUG_VARIABLE = "LAWREPORT_DEBUG"  # set to 1 to see the traceback of an internal error

app = typer.Typer(
    name="lawreport",
    help="Turn Chinese rule-of-law government annual reports (法治政府建设年度报告) into clean tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Markup is off: paths and messages are printed literally (a path may contain "[/b]").
stderr = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
# Tables piped to a file or another program should not be squeezed to 80 columns.
stdout = Console(highlight=False, soft_wrap=True, markup=False, width=None if sys.stdout.isatty() else 200)

F = TypeVar("F", bound=Callable[..., Any])


def _error(message: str, hint: str = "") -> None:
    """One line on stderr: what is wrong, then what to do."""
    stderr.print(Text.assemble(("error: ", "bold red"), join_message(message, hint)))


def _guarded(command: F) -> F:
    """Typed errors become one line and an exit code; no traceback reaches a user."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (
            typer.Exit,
            typer.Abort,
            click.exceptions.Exit,
            click.exceptions.ClickException,
            click.exceptions.Abort,
        ):
            raise
        except RunInterrupted as interrupt:
            stderr.print(Text(f"{interrupt.message}; {_interrupt_advice(command.__name__)}", style="yellow"))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except KeyboardInterrupt:
            stderr.print(Text(f"interrupted; {_interrupt_advice(command.__name__)}", style="yellow"))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except UsageError as error:
            _error(error.message, error.hint)
            raise typer.Exit(EXIT_USAGE) from None
        except LawreportError as error:
            _error(error.message, error.hint)
            raise typer.Exit(EXIT_FAILED) from None
        except OSError as error:  # a file-system fault outside a run's own handling
            where = f"{display(os.fsdecode(error.filename))}: " if error.filename else ""
            _error(f"{where}{error.strerror or error}")
            raise typer.Exit(EXIT_FAILED) from None
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            _error(
                f"internal error ({type(error).__name__}: {error})",
                f"This is a lawreport bug: please report it; {DEBUG_VARIABLE}=1 shows the traceback.",
            )
            raise typer.Exit(EXIT_FAILED) from None

    return run  # type: ignore[return-value]


def _interrupt_advice(command: str) -> str:
    if command == "extract_command":
        return "the previous tables are unchanged and finished files are kept: run again to continue"
    return "nothing more was done"


def _version(value: bool) -> None:
    if value:
        stdout.print(f"lawreport {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """lawreport: read, normalise, describe and mine government annual reports."""


@app.command("extract")
@_guarded
def extract_command(
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="Report files or folders (searched recursively). Default: data/raw.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder for the tables.")] = DEFAULT_OUTPUT,
    formats: Annotated[str, typer.Option("--format", "-f", help="Comma-separated: csv, parquet.")] = "csv,parquet",
    encoding: Annotated[
        str | None, typer.Option(help="Force an input encoding (e.g. gb18030, big5) instead of detecting it.")
    ] = None,
    max_size: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = DEFAULT_MAX_BYTES / 1e6,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="A user rule pack folder (repeatable), after the built-in packs."),
    ] = None,
    rule_timeout: Annotated[
        float, typer.Option(help="Seconds a rule's regex may run on one document before the file fails.")
    ] = DEFAULT_TIMEOUT,
    time_budget: Annotated[
        float, typer.Option(help="Seconds one document may take in all before it fails (0: no limit).")
    ] = DEFAULT_TIME_BUDGET,
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
    manifest: Annotated[
        str | None,
        typer.Option("--manifest", help="A file listing input paths, one per line (- for standard input)."),
    ] = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option("--follow-symlinks", help="Read symlinked files inside input folders wherever they point."),
    ] = False,
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
    """Add the reports to the dataset in the output folder: documents, sections, indicators, errors."""
    paths = [str(path) for path in (inputs or ([] if manifest else [DEFAULT_INPUT]))]
    options = _options(encoding, rules, max_size=max_size, rule_timeout=rule_timeout, time_budget=time_budget)
    show_progress = not quiet and stderr.is_terminal
    progress = _progress("extract", show_progress)
    task = progress.add_task("extract", total=None, current="")

    def on_file(rows: FileRows) -> None:
        progress.update(task, advance=1, current=Path(rows.path).name)
        if rows.error is not None and not quiet:
            progress.console.print(Text.assemble(("failed ", "red"), f"{rows.path}: {rows.error['message']}"))

    with progress:
        summary = extract(
            paths,
            output,
            options=options,
            formats=formats.split(","),
            csv_escape=csv_escape,
            jobs=jobs,
            incremental=not full,
            engine=engine,
            scheduler=scheduler,
            on_file=on_file,
            on_discovered=(lambda total: progress.update(task, total=total)) if show_progress else None,
            listing=_listing(manifest),
            partition=partition,
            replace=replace,
            follow_symlinks=follow_symlinks,
        )
    if not quiet:
        _print_summary(summary, output)
    raise typer.Exit(EXIT_FAILED if strict and (summary.failed or summary.with_warnings) else EXIT_OK)


def _listing(manifest: str | None) -> str | BinaryIO | None:
    """``--manifest -`` is standard input, read once as a stream; a path is opened by the run."""
    if manifest == "-":
        return sys.stdin.buffer
    return manifest


def _progress(name: str, show: bool) -> Progress:
    return Progress(
        TextColumn(name, style="bold"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", markup=False),
        console=stderr,
        transient=True,
        disable=not show,
    )


def _options(
    encoding: str | None,
    rules: list[Path] | None,
    *,
    max_size: float = DEFAULT_MAX_BYTES / 1e6,
    rule_timeout: float = DEFAULT_TIMEOUT,
    time_budget: float = DEFAULT_TIME_BUDGET,
) -> ExtractOptions:
    """The pipeline options every command builds from its flags (validated by the library)."""
    return ExtractOptions(
        encoding=encoding,
        max_bytes=check_max_size(max_size),
        rules=tuple(str(path) for path in rules or ()),
        rule_timeout=rule_timeout,
        time_budget=time_budget,
    )


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
        table.add_row("other inputs' files redone (settings changed)", str(summary.refreshed))
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


@app.command("normalize")
@_guarded
def normalize_command(
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
) -> None:
    """Print the normalised text of one report (what every offset in the tables refers to)."""
    result = _process_one(file, encoding)
    assert result.normalized is not None
    sys.stdout.write(result.normalized.text + "\n")


LABEL_COLOURS = {
    "measures": "green",
    "shortcomings": "red",
    "leadership": "magenta",
    "rectification": "yellow",
    "plans": "cyan",
    "other": "blue",
    "unknown": "bold red",
}


@app.command("sections")
@_guarded
def sections_command(
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    depth: Annotated[int, typer.Option(help="Show sections down to this level.")] = 3,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
) -> None:
    """Show the outline of one report as a tree, with the label of each top-level part."""
    check_at_least("--depth", depth, 1)
    result = _process_one(file, encoding)
    assert result.outline is not None and result.meta is not None
    root = Tree(
        Text.assemble(
            (result.meta.title or display(file.name), "bold"), "  ", (str(result.meta.report_year or ""), "dim")
        )
    )
    nodes: dict[str, Tree] = {}
    for section in result.outline.sections:
        if section.level > depth:
            continue
        text = f"{section.full_heading or section.style}"[:60]
        span = (f"{section.start}-{section.end}", "dim")
        if section.level == 1:
            colour = LABEL_COLOURS.get(section.label, "dim")
            line = Text.assemble((f"{section.label:<13}", colour), " ", text, " ", (f"{span[0]} {section.cue}", "dim"))
        else:
            line = Text.assemble(text, " ", span)
        parent = nodes.get(section.parent_id or "", root)
        nodes[section.section_id] = parent.add(line)
    stdout.print(root)
    for warning in result.outline.warnings:
        stderr.print(Text.assemble(("warning: ", "yellow"), warning))


@app.command("indicators")
@_guarded
def indicators_command(
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
) -> None:
    """Show the indicators found in one report as a table."""
    result = _process_one(file, encoding, rules)
    title = f"{result.meta.title or display(file.name)}: {len(result.indicators)} indicators"
    table = Table(title=title, title_justify="left")
    for column in ("text", "value", "unit", "qual.", "target", "subject", "indicator", "section"):
        table.add_column(column, overflow="fold")
    for item in result.indicators:
        value = f"{item.value}" if item.value is not None else f"{item.value_low}–{item.value_high}"
        table.add_row(
            item.text,
            value,
            item.unit,
            item.qualifier,
            "yes" if item.is_target else "",
            item.subject,
            item.indicator,
            f"{item.section_id or ''} {item.section_label or ''}",
        )
    stdout.print(table)


rules_app = typer.Typer(help="List, test and create rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
@_guarded
def rules_list_command(
    packs: Annotated[list[Path] | None, typer.Argument(help="User rule pack folders to include.")] = None,
) -> None:
    """List the rule packs, their standard indicators and units."""
    ruleset = load_ruleset(tuple(str(path) for path in packs or ()))
    table = Table(title=f"rule packs: {ruleset.version}", title_justify="left")
    for column in ("pack", "version", "location", "description"):
        table.add_column(column, overflow="fold")
    for pack in ruleset.packs:
        table.add_row(pack.name, pack.version, pack.location, pack.description)
    stdout.print(table)
    indicators = Table(title="standard indicators", title_justify="left")
    for column in ("id", "name", "units", "context"):
        indicators.add_column(column, overflow="fold")
    for rule, _ in ruleset.indicators:
        indicators.add_row(rule.id, rule.name, " ".join(sorted(rule.units)), rule.context)
    stdout.print(indicators)
    units: dict[str, list[str]] = {}
    for form, (canonical, kind) in sorted(ruleset.units.items()):
        units.setdefault(f"{kind}:{canonical}", []).append(form)
    stdout.print(Text.assemble(("units", "bold"), f" ({len(units)}): " + ", ".join(sorted(units))))
    stdout.print(Text.assemble(("reject rules", "bold"), ": " + ", ".join(rule.name for rule, _ in ruleset.rejects)))


@rules_app.command("test")
@_guarded
def rules_test_command(
    packs: Annotated[
        list[Path] | None, typer.Argument(help="User rule pack folders to test with the built-in ones.")
    ] = None,
) -> None:
    """Run every example of every rule; exit 1 when any fails."""
    from lawreport.indicators.rulecheck import check_examples

    ruleset = load_ruleset(tuple(str(path) for path in packs or ()))
    count, failures = check_examples(ruleset)
    for failure in failures:
        stdout.print(
            Text.assemble(("FAIL", "red"), f" {failure.rule} ({failure.source}): {failure.text}: {failure.problem}")
        )
    colour = "red" if failures else "green"
    stdout.print(
        Text.assemble((f"{count - len(failures)} passed, {len(failures)} failed", colour), f" ({ruleset.version})")
    )
    raise typer.Exit(EXIT_FAILED if failures else EXIT_OK)


@rules_app.command("new")
@_guarded
def rules_new_command(path: Annotated[Path, typer.Argument(help="Folder to create the pack in.")]) -> None:
    """Create a commented skeleton rule pack to start from."""
    from lawreport.indicators.rulecheck import write_skeleton

    written = write_skeleton(str(path))
    load_pack(path)
    for name in written:
        stdout.print(f"created {name}")
    stdout.print(f"next: edit the files, then run `lawreport rules test {path}`")


CHECK_FORMATS = ("text", "json", "junit")


@app.command("check")
@_guarded
def check_command(
    inputs: Annotated[list[Path] | None, typer.Argument(help="Report files or folders. Default: data/raw.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or junit.")] = "text",
    require: Annotated[
        str, typer.Option(help="Comma-separated parts every report must have (empty for none).")
    ] = ",".join(DEFAULT_REQUIRED),
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
    max_size: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = DEFAULT_MAX_BYTES / 1e6,
    rule_timeout: Annotated[
        float, typer.Option(help="Seconds a rule's regex may run on one document.")
    ] = DEFAULT_TIMEOUT,
    time_budget: Annotated[
        float, typer.Option(help="Seconds one document may take in all before it fails (0: no limit).")
    ] = DEFAULT_TIME_BUDGET,
    strict: Annotated[bool, typer.Option(help="Warnings fail the check too.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Always exit 0 (report only).")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default 0: one per core).")] = 0,
    manifest: Annotated[
        str | None,
        typer.Option("--manifest", help="A file listing input paths, one per line (- for standard input)."),
    ] = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option("--follow-symlinks", help="Read symlinked files inside input folders wherever they point."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary line.")] = False,
) -> None:
    """Check newly collected reports for CI: exit 1 on any error (or warning with --strict)."""
    from lawreport.qa.check import check_files
    from lawreport.qa.stream import WRITERS

    writer_class = WRITERS[check_choice("--format", output_format, CHECK_FORMATS)]
    options = _options(encoding, rules, max_size=max_size, rule_timeout=rule_timeout, time_budget=time_budget)
    paths = [str(path) for path in (inputs or ([] if manifest else [DEFAULT_INPUT]))]
    show_progress = not quiet and stderr.is_terminal
    progress = _progress("check", show_progress)
    task = progress.add_task("check", total=None, current="")
    items = check_files(
        paths,
        options=options,
        required=require.split(","),
        jobs=jobs,
        listing=_listing(manifest),
        follow_symlinks=follow_symlinks,
        on_discovered=(lambda total: progress.update(task, total=total)) if show_progress else None,
    )
    writer = writer_class(sys.stdout, strict=strict)
    with progress:
        for item in items:
            writer.add(item)
            progress.update(task, advance=1, current=Path(item.path).name)
    writer.close()
    if output_format == "text" and not quiet:
        stderr.print(
            f"checked {writer.files} file(s): {writer.errors} error(s), {writer.warnings} warning(s)"
            f" in {writer.files_with_errors} failing file(s)"
        )
    if writer.files == 0:
        _error("nothing to check: no files found in the inputs", "Check the paths.")
        raise typer.Exit(EXIT_OK if exit_zero else EXIT_FAILED)
    failed = writer.errors > 0 or (strict and writer.warnings > 0)
    raise typer.Exit(EXIT_OK if exit_zero or not failed else EXIT_FAILED)


@app.command("eval")
@_guarded
def eval_command(
    gold: Annotated[Path, typer.Option("--gold", help="Reference file in the format of seeds.gold.yaml.")],
    inputs: Annotated[
        Path | None, typer.Argument(help="Folder holding the reports the reference names. Default: beside it.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).")] = None,
    min_f1: Annotated[float, typer.Option(help="Fail (exit 1) when indicator F1 is below this.")] = 0.0,
    min_recall: Annotated[float, typer.Option(help="Fail when indicator recall is below this.")] = 0.0,
    min_precision: Annotated[float, typer.Option(help="Fail when indicator precision is below this.")] = 0.0,
    min_meta: Annotated[float, typer.Option(help="Fail when metadata accuracy is below this.")] = 0.0,
    min_outline: Annotated[float, typer.Option(help="Fail when the share of exact outlines is below this.")] = 0.0,
    max_violations: Annotated[
        int, typer.Option(help="Fail when more not_indicators are violated (-1: no limit).")
    ] = -1,
) -> None:
    """Score the pipeline (and your rule packs) against a hand-made reference.

    Exits 1 when a threshold is not met or when any file of the reference is missing or could
    not be processed (the scores then cover only the files that were scored)."""
    import json

    from lawreport.options import check_extract_options
    from lawreport.qa.evaluate import evaluate, totals

    check_choice("--format", output_format, ("text", "json"))
    thresholds = {
        "indicator_f1": check_fraction("--min-f1", min_f1),
        "indicator_recall": check_fraction("--min-recall", min_recall),
        "indicator_precision": check_fraction("--min-precision", min_precision),
        "meta_accuracy": check_fraction("--min-meta", min_meta),
        "outline_accuracy": check_fraction("--min-outline", min_outline),
    }
    check_at_least("--max-violations", max_violations, -1)
    if not gold.is_file():
        raise UsageError(
            f"--gold {display(str(gold))!r} is not a file", hint="Give a reference file such as seeds.gold.yaml."
        )
    options = _options(None, rules)
    check_extract_options(options)
    scores = evaluate(gold, inputs, options)
    figures = totals(scores)
    if output_format == "json":
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_eval(scores, figures)
    failures = []
    if figures["errors"]:
        where = display(str(inputs if inputs is not None else gold.parent))
        failures.append(
            f"{figures['errors']} of {len(scores)} reference files not scored ({figures['missing']} missing or"
            f" ambiguous under {where}, {figures['unscorable']} could not be processed); the scores cover the"
            f" {figures['documents']} scored"
        )
    for name, minimum in thresholds.items():
        if figures[name] is None:
            if minimum > 0:
                failures.append(f"{name}: nothing was scored")
        elif figures[name] < minimum:
            failures.append(f"{name} {figures[name]:.3f} < {minimum}")
    if max_violations >= 0 and figures["violations"] > max_violations:
        failures.append(f"violations {figures['violations']} > {max_violations}")
    for failure in failures:
        stderr.print(Text.assemble(("failed: ", "red"), failure))
    raise typer.Exit(EXIT_FAILED if failures else EXIT_OK)


def _print_eval(scores: list, figures: dict) -> None:
    table = Table(title="lawreport eval", title_justify="left")
    for column in ("file", "meta", "outline", "gold", "found", "extracted", "violations", "misses"):
        table.add_column(column, overflow="fold")
    for score in scores:
        if score.error:
            table.add_row(score.file, Text(score.status, style="red"), "", "", "", "", "", score.error)
            continue
        correct = score.meta_correct
        wrong = [name for name, ok in correct.items() if not ok]
        meta = Text(f"{sum(correct.values())}/{len(correct)}")
        if wrong:
            meta.append(f" ({', '.join(wrong)})", style="red")
        outline = Text("ok", style="green") if score.outline_ok else Text("differs" if score.outline_expected else "-")
        table.add_row(
            score.file,
            meta,
            outline,
            str(score.indicators.gold),
            str(score.indicators.matched),
            str(score.indicators.extracted),
            str(score.indicators.violations),
            "; ".join(score.indicators.misses[:3]),
        )
    stdout.print(table)

    def shown(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    stdout.print(
        f"metadata accuracy {shown(figures['meta_accuracy'])}  outlines {shown(figures['outline_accuracy'])}  "
        f"indicators P {shown(figures['indicator_precision'])} R {shown(figures['indicator_recall'])} "
        f"F1 {shown(figures['indicator_f1'])}  violations {figures['violations']}  "
        f"scored {figures['documents']} of {len(scores)}"
    )
    for name, accuracy in figures["meta_fields"].items():
        if accuracy < 1:
            stdout.print(f"  {name}: {accuracy:.3f}")


def _process_one(file: Path, encoding: str | None, rules: list[Path] | None = None) -> DocumentResult:
    if not file.is_file():
        raise UsageError(f"{display(str(file))!r} is not a file", hint="Give the path of one report.")
    from lawreport.options import check_extract_options

    options = _options(encoding, rules)
    check_extract_options(options)
    result = process_file(str(file), options)
    if result.error is not None:
        raise LawreportError(f"{display(str(file))}: {result.error.message}", hint=result.error.hint)
    return result


def _terminate(signum: int, _frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C: partial tables are removed, old ones stay, finished work is kept.
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    app()
