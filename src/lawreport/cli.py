"""Command-line interface: a thin layer that parses options, calls the library, reports.

Data goes to files (or stdout for inspection commands); progress, summaries and
errors go to stderr. Exit codes: 0 success, 1 failures (or warnings with --strict),
2 usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from lawreport import __version__
from lawreport.batch import RunSummary, default_jobs, extract
from lawreport.budget import DEFAULT_TIME_BUDGET
from lawreport.checks import DEFAULT_REQUIRED
from lawreport.errors import InputError, LawreportError, UsageError
from lawreport.labels import LABELS
from lawreport.pipeline import DocumentResult, ExtractOptions, FileRows, process_file
from lawreport.reading import DEFAULT_MAX_BYTES
from lawreport.rulepack import DEFAULT_TIMEOUT, load_pack, load_ruleset
from lawreport.writers import FORMATS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUTPUT = Path("data/out")

app = typer.Typer(
    name="lawreport",
    help="Turn Chinese rule-of-law government annual reports (法治政府建设年度报告) into clean tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
# Tables piped to a file or another program should not be squeezed to 80 columns.
stdout = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)


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


def _fail_usage(message: str) -> typer.Exit:
    stderr.print(f"[bold red]error:[/] {message}")
    return typer.Exit(EXIT_USAGE)


def _parse_formats(value: str) -> list[str]:
    formats = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise _fail_usage(f"unknown format(s) {unknown or value!r}: choose from {', '.join(FORMATS)}")
    return formats


@app.command("extract")
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
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: all cores).")] = 0,
    full: Annotated[bool, typer.Option("--full", help="Ignore the manifest and process every file again.")] = False,
    engine: Annotated[str, typer.Option(help="local (process pool) or dask.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); default: a LocalCluster.")
    ] = None,
    manifest: Annotated[
        Path | None, typer.Option("--manifest", help="A file listing input paths, one per line (no folder walk).")
    ] = None,
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
    """Extract the documents, sections, indicators and errors tables from a folder of reports."""
    paths = [str(path) for path in (inputs or ([] if manifest else [DEFAULT_INPUT]))]
    if manifest is not None:
        try:
            with open(manifest, encoding="utf-8") as listing:
                listing.readline()  # readable and text: the paths are streamed during the run
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise _fail_usage(f"cannot read --manifest {manifest}: {reason}") from error
    if engine not in ("local", "dask"):
        raise _fail_usage(f"unknown engine {engine!r}: choose local or dask")
    options = _options(encoding, rules, max_size=max_size, rule_timeout=rule_timeout, time_budget=time_budget)
    show_progress = not quiet and stderr.is_terminal
    progress = Progress(
        TextColumn("[bold]extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=stderr,
        transient=True,
        disable=not show_progress,
    )
    task = progress.add_task("extract", total=None, current="")

    def on_file(rows: FileRows) -> None:
        progress.update(task, advance=1, current=Path(rows.path).name)
        if rows.error is not None and not quiet:
            progress.console.print(f"[red]failed[/] {escape(rows.path)}: {escape(rows.error['message'])}")

    try:
        with progress:
            summary = extract(
                paths,
                output,
                options=options,
                formats=_parse_formats(formats),
                csv_escape=csv_escape,
                jobs=jobs or default_jobs(),
                incremental=not full,
                engine=engine,
                scheduler=scheduler,
                on_file=on_file,
                on_discovered=(lambda total: progress.update(task, total=total)) if show_progress else None,
                listing=manifest,
                partition=partition,
            )
    except UsageError as error:
        raise _fail_usage(str(error)) from error
    if not quiet:
        _print_summary(summary, output)
    raise typer.Exit(_exit_code(summary, strict))


def _options(
    encoding: str | None,
    rules: list[Path] | None,
    *,
    max_size: float = DEFAULT_MAX_BYTES / 1e6,
    rule_timeout: float = DEFAULT_TIMEOUT,
    time_budget: float = DEFAULT_TIME_BUDGET,
) -> ExtractOptions:
    """The pipeline options every command builds from its flags (checked: exit 2 when wrong)."""
    try:
        return ExtractOptions(
            encoding=encoding,
            max_bytes=int(max_size * 1e6),
            rules=tuple(str(path) for path in rules or ()),
            rule_timeout=rule_timeout,
            time_budget=time_budget,
        )
    except UsageError as error:
        raise _fail_usage(str(error)) from error


def _exit_code(summary: RunSummary, strict: bool) -> int:
    if summary.files and summary.ok == 0:
        return EXIT_FAILED
    if strict and (summary.failed or summary.with_warnings):
        return EXIT_FAILED
    return EXIT_OK


def _print_summary(summary: RunSummary, output: Path) -> None:
    table = Table(title=f"lawreport extract -> {output}", title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("files read", str(summary.files))
    table.add_row("ok", f"[green]{summary.ok}[/]")
    table.add_row("failed", f"[red]{summary.failed}[/]" if summary.failed else "0")
    table.add_row("skipped (not .txt/.html)", str(summary.skipped))
    table.add_row("duplicates", str(summary.duplicates))
    table.add_row("unchanged (reused)", str(summary.reused))
    table.add_row("with warnings", str(summary.with_warnings))
    for name, rows in sorted(summary.rows.items()):
        table.add_row(f"{name} rows", str(rows))
    table.add_row("time", f"{summary.seconds:.2f} s ({summary.mb_per_second:.2f} MB/s, {summary.jobs} jobs)")
    stderr.print(table)
    if summary.failed:
        stderr.print(f"[yellow]{summary.failed} file(s) failed: see {output / 'errors.csv'}[/]")


@app.command("normalize")
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
def sections_command(
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    depth: Annotated[int, typer.Option(help="Show sections down to this level.")] = 3,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
) -> None:
    """Show the outline of one report as a tree, with the label of each top-level part."""
    result = _process_one(file, encoding)
    assert result.outline is not None and result.meta is not None
    root = Tree(f"[bold]{result.meta.title or file.name}[/]  [dim]{result.meta.report_year or ''}[/]")
    nodes: dict[str, Tree] = {}
    for section in result.outline.sections:
        if section.level > depth:
            continue
        colour = LABEL_COLOURS.get(section.label, "dim")
        text = f"{section.full_heading or section.style}"[:60]
        if section.level == 1:
            line = (
                f"[{colour}]{section.label:<13}[/] {escape(text)} [dim]{section.start}-{section.end} {section.cue}[/]"
            )
        else:
            line = f"{escape(text)} [dim]{section.start}-{section.end}[/]"
        parent = nodes.get(section.parent_id or "", root)
        nodes[section.section_id] = parent.add(line)
    stdout.print(root)
    for warning in result.outline.warnings:
        stderr.print(f"[yellow]warning:[/] {warning}")


@app.command("indicators")
def indicators_command(
    file: Annotated[Path, typer.Argument(help="A report file (.txt or .html).")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).")] = None,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
) -> None:
    """Show the indicators found in one report as a table."""
    result = _process_one(file, encoding, rules)
    table = Table(title=f"{result.meta.title or file.name}: {len(result.indicators)} indicators", title_justify="left")
    for column in ("text", "value", "unit", "qual.", "target", "subject", "indicator", "section"):
        table.add_column(column, overflow="fold")
    for item in result.indicators:
        value = f"{item.value}" if item.value is not None else f"{item.value_low}–{item.value_high}"
        table.add_row(
            escape(item.text),
            value,
            item.unit,
            item.qualifier,
            "yes" if item.is_target else "",
            escape(item.subject),
            escape(item.indicator),
            f"{item.section_id or ''} {item.section_label or ''}",
        )
    stdout.print(table)


rules_app = typer.Typer(help="List, test and create rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list_command(
    packs: Annotated[list[Path] | None, typer.Argument(help="User rule pack folders to include.")] = None,
) -> None:
    """List the rule packs, their standard indicators and units."""
    try:
        ruleset = load_ruleset(tuple(str(path) for path in packs or ()))
    except UsageError as error:
        raise _fail_usage(str(error)) from error
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
        indicators.add_row(rule.id, rule.name, " ".join(sorted(rule.units)), escape(rule.context))
    stdout.print(indicators)
    units: dict[str, list[str]] = {}
    for form, (canonical, kind) in sorted(ruleset.units.items()):
        units.setdefault(f"{kind}:{canonical}", []).append(form)
    stdout.print(f"[bold]units[/] ({len(units)}): " + ", ".join(sorted(units)))
    stdout.print(f"[bold]reject rules[/]: {', '.join(rule.name for rule, _ in ruleset.rejects)}")


@rules_app.command("test")
def rules_test_command(
    packs: Annotated[
        list[Path] | None, typer.Argument(help="User rule pack folders to test with the built-in ones.")
    ] = None,
) -> None:
    """Run every example of every rule; exit 1 when any fails."""
    from lawreport.rulecheck import check_examples

    try:
        ruleset = load_ruleset(tuple(str(path) for path in packs or ()))
    except UsageError as error:
        raise _fail_usage(str(error)) from error
    count, failures = check_examples(ruleset)
    for failure in failures:
        stdout.print(
            f"[red]FAIL[/] {failure.rule} ({failure.source}): {escape(failure.text)}: {escape(failure.problem)}"
        )
    colour = "red" if failures else "green"
    stdout.print(f"[{colour}]{count - len(failures)} passed, {len(failures)} failed[/] ({ruleset.version})")
    raise typer.Exit(EXIT_FAILED if failures else EXIT_OK)


@rules_app.command("new")
def rules_new_command(path: Annotated[Path, typer.Argument(help="Folder to create the pack in.")]) -> None:
    """Create a commented skeleton rule pack to start from."""
    from lawreport.rulecheck import write_skeleton

    try:
        written = write_skeleton(str(path))
        load_pack(path)
    except UsageError as error:
        raise _fail_usage(str(error)) from error
    for name in written:
        stdout.print(f"created {name}")
    stdout.print(f"next: edit the files, then run `lawreport rules test {path}`")


CHECK_FORMATS = ("text", "json", "junit")


@app.command("check")
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
) -> None:
    """Check newly collected reports for CI: exit 1 on any error (or warning with --strict)."""
    from lawreport.check_formats import as_json, as_junit, as_text, summary
    from lawreport.checks import Finding, check_result, duplicate_findings
    from lawreport.reading import discover

    if output_format not in CHECK_FORMATS:
        raise _fail_usage(f"unknown format {output_format!r}: choose from {', '.join(CHECK_FORMATS)}")
    required = [part.strip() for part in require.split(",") if part.strip()]
    unknown_parts = [part for part in required if part not in LABELS]
    if unknown_parts:
        raise _fail_usage(f"unknown part(s) {unknown_parts}: choose from {', '.join(LABELS)}")
    options = _options(encoding, rules, max_size=max_size, rule_timeout=rule_timeout, time_budget=time_budget)
    try:
        options.ruleset()
        candidates = list(discover([str(path) for path in inputs or [DEFAULT_INPUT]]))
    except UsageError as error:
        raise _fail_usage(str(error)) from error
    findings: list[Finding] = []
    results = []
    paths = []
    for candidate in candidates:
        paths.append(candidate.path)
        if candidate.skip_reason:
            findings.append(Finding(candidate.path, "LR106", "warning", candidate.skip_reason))
            continue
        result = process_file(candidate.path, options)
        results.append(result)
        findings.extend(check_result(result, required=required))
    findings.extend(duplicate_findings(results))
    findings.sort(key=lambda f: (f.path, f.line or 0, f.column or 0, f.code))
    if output_format == "json":
        sys.stdout.write(as_json(findings, paths))
    elif output_format == "junit":
        sys.stdout.write(as_junit(findings, paths, strict=strict))
    else:
        sys.stdout.write(as_text(findings))
        counts = summary(findings, paths)
        stderr.print(
            f"checked {counts['files']} file(s): {counts['errors']} error(s), {counts['warnings']} warning(s)"
            f" in {counts['files_with_errors']} failing file(s)"
        )
    failed = any(f.severity == "error" for f in findings) or (strict and bool(findings))
    raise typer.Exit(EXIT_OK if exit_zero or not failed else EXIT_FAILED)


@app.command("eval")
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
    max_violations: Annotated[int, typer.Option(help="Fail when more not_indicators are violated.")] = -1,
) -> None:
    """Score the pipeline (and your rule packs) against a hand-made reference."""
    import json

    from lawreport.evaluation import evaluate, totals

    if output_format not in ("text", "json"):
        raise _fail_usage(f"unknown format {output_format!r}: choose text or json")
    options = _options(None, rules)
    try:
        options.ruleset()
        scores = evaluate(gold, inputs, options)
    except UsageError as error:
        raise _fail_usage(str(error)) from error
    figures = totals(scores)
    if output_format == "json":
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_eval(scores, figures)
    failures = []
    for name, minimum in (
        ("indicator_f1", min_f1),
        ("indicator_recall", min_recall),
        ("indicator_precision", min_precision),
        ("meta_accuracy", min_meta),
        ("outline_accuracy", min_outline),
    ):
        if figures[name] < minimum:
            failures.append(f"{name} {figures[name]:.3f} < {minimum}")
    if max_violations >= 0 and figures["violations"] > max_violations:
        failures.append(f"violations {figures['violations']} > {max_violations}")
    for failure in failures:
        stderr.print(f"[red]below threshold:[/] {failure}")
    raise typer.Exit(EXIT_FAILED if failures else EXIT_OK)


def _print_eval(scores: list, figures: dict) -> None:
    table = Table(title="lawreport eval", title_justify="left")
    for column in ("file", "meta", "outline", "gold", "found", "extracted", "violations", "misses"):
        table.add_column(column, overflow="fold")
    for score in scores:
        if score.error:
            table.add_row(score.file, "[red]error[/]", "", "", "", "", "", escape(score.error))
            continue
        correct = score.meta_correct
        wrong = [name for name, ok in correct.items() if not ok]
        meta = f"{sum(correct.values())}/{len(correct)}" + (f" [red]({', '.join(wrong)})[/]" if wrong else "")
        table.add_row(
            score.file,
            meta,
            "[green]ok[/]" if score.outline_ok else ("[red]differs[/]" if score.outline_expected else "-"),
            str(score.indicators.gold),
            str(score.indicators.matched),
            str(score.indicators.extracted),
            str(score.indicators.violations),
            escape("; ".join(score.indicators.misses[:3])),
        )
    stdout.print(table)
    stdout.print(
        f"metadata accuracy {figures['meta_accuracy']:.3f}  outlines {figures['outline_accuracy']:.3f}  "
        f"indicators P {figures['indicator_precision']:.3f} R {figures['indicator_recall']:.3f} "
        f"F1 {figures['indicator_f1']:.3f}  violations {figures['violations']}"
    )
    for name, accuracy in figures["meta_fields"].items():
        if accuracy < 1:
            stdout.print(f"  {name}: {accuracy:.3f}")


def _process_one(file: Path, encoding: str | None, rules: list[Path] | None = None) -> DocumentResult:
    if not file.is_file():
        raise _fail_usage(f"{file} is not a file")
    options = _options(encoding, rules)
    try:
        options.ruleset()
    except UsageError as error:
        raise _fail_usage(str(error)) from error
    result = process_file(str(file), options)
    if result.error is not None:
        stderr.print(f"[bold red]error:[/] {file}: {result.error.message}")
        if result.error.hint:
            stderr.print(f"  {result.error.hint}")
        raise typer.Exit(EXIT_FAILED)
    return result


def _terminate(signum: int, _frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so partial tables are removed and old ones stay intact.
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Console-script entry point: typed errors become messages and exit codes."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except UsageError as error:
        stderr.print(f"[bold red]error:[/] {error}")
        sys.exit(EXIT_USAGE)
    except InputError as error:
        stderr.print(f"[bold red]error:[/] {error}")
        sys.exit(EXIT_FAILED)
    except LawreportError as error:
        stderr.print(f"[bold red]error:[/] {error}")
        sys.exit(EXIT_FAILED)
    except KeyboardInterrupt:
        stderr.print("[yellow]interrupted: the previous tables are unchanged[/]")
        sys.exit(130)
