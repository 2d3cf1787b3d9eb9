"""``lawreport check``: the CI gate for newly collected reports (:func:`lawreport.qa.check.check`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lawreport.budget import DEFAULT_TIME_BUDGET
from lawreport.cli.app import FileProgress, app, default_inputs, stderr
from lawreport.cli.errors import exit_with, guarded, print_error
from lawreport.cli.flags import (
    FollowSymlinksFlag,
    KindFlag,
    KindsFlag,
    ManifestFlag,
    RuleTimeoutFlag,
    TimeBudgetFlag,
    listing_flag,
    options_from_flags,
)
from lawreport.indicators.rulepack import DEFAULT_TIMEOUT
from lawreport.qa.check import check
from lawreport.reading.source import DEFAULT_MAX_BYTES


@app.command("check")
@guarded()
def check_command(
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="Report files or folders. Default: data/raw.", metavar="INPUT...")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text, json, junit (file and line per case), github (Actions annotations) or sarif (2.1.0).",
        ),
    ] = "text",
    require: Annotated[
        str | None,
        typer.Option(help="Comma-separated parts every report must have (empty for none; default: the kind's)."),
    ] = None,
    ignore: Annotated[
        str,
        typer.Option(help="Comma-separated finding codes to leave out (e.g. LR201,LR303).", metavar="CODES"),
    ] = "",
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="A user rule pack folder (repeatable).")] = None,
    kind: KindFlag = "auto",
    kinds: KindsFlag = None,
    encoding: Annotated[str | None, typer.Option(help="Force an input encoding.")] = None,
    max_size: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = DEFAULT_MAX_BYTES / 1e6,
    rule_timeout: RuleTimeoutFlag = DEFAULT_TIMEOUT,
    time_budget: TimeBudgetFlag = DEFAULT_TIME_BUDGET,
    strict: Annotated[bool, typer.Option(help="Warnings fail the check too.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Always exit 0 (report only).")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default 0: one per core).")] = 0,
    manifest: ManifestFlag = None,
    follow_symlinks: FollowSymlinksFlag = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary line.")] = False,
) -> None:
    """Check newly collected reports for CI: exit 1 on any error (or warning with --strict).

    Example: lawreport check new_reports/ -f github   (in a GitHub Actions step)"""
    options = options_from_flags(
        encoding=encoding, rules=rules, max_size=max_size, rule_timeout=rule_timeout, time_budget=time_budget,
        required=require.split(",") if require is not None else None, strict=strict, jobs=jobs,
        follow_symlinks=follow_symlinks, kind=kind, kinds=kinds, ignore=ignore,
    )  # fmt: skip
    with FileProgress("check", quiet=quiet) as progress:
        outcome = check(
            default_inputs(inputs, manifest), options, output=sys.stdout, output_format=output_format,
            listing=listing_flag(manifest), on_file=lambda item: progress.advance(item.path),
            on_discovered=progress.on_discovered,
        )  # fmt: skip
    if output_format == "text" and not quiet:
        stderr.print(
            f"checked {outcome.files} file(s): {outcome.errors} error(s), {outcome.warnings} warning(s)"
            f" in {outcome.files_with_errors} failing file(s)"
        )
    if outcome.files == 0:
        print_error("nothing to check: no files found in the inputs", "Check the paths.")
    raise exit_with(not (exit_zero or outcome.passed))
