"""``lawreport rules``: list, test and create rule packs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from lawreport.cli.app import app, rules_app, stdout
from lawreport.cli.errors import exit_with, guarded
from lawreport.cli.output import FormatOption, OutputFormat, chosen, emit_rows
from lawreport.indicators.rulecheck import check_examples, write_skeleton
from lawreport.indicators.rulepack import RuleSet, load_pack
from lawreport.kinds import find_kind
from lawreport.options import Options

app.add_typer(rules_app, name="rules")

KindOption = Annotated[
    str | None, typer.Option(help="Only the rule packs of this report kind (default: every kind's).", metavar="KIND")
]


def rulesets(packs: list[Path] | None, kind: str | None) -> list[RuleSet]:
    """The built-in packs of ``kind`` (or of every kind: fazhi runs core + fazhi, a work report
    core + work_report…) with the user's ``packs`` after them, each combination once."""
    options = Options(rules=tuple(str(path) for path in packs or ()))
    kinds = options.report_kinds()
    chosen_kinds = [find_kind(kind, kinds)] if kind else [None, *kinds]
    found: dict[str, RuleSet] = {}
    for each in chosen_kinds:
        ruleset = options.ruleset(each)
        found.setdefault(ruleset.version, ruleset)
    return list(found.values())


@rules_app.command("list")
@guarded()
def rules_list_command(
    packs: Annotated[
        list[Path] | None, typer.Argument(help="User rule pack folders to include.", metavar="FOLDER...")
    ] = None,
    output_format: FormatOption = None,
    kind: KindOption = None,
) -> None:
    """List the rule packs, their standard indicators and units (every kind's packs, or --kind's).

    Without a terminal (or with -f json|jsonl|csv) it prints one row per standard indicator:
    id, name, units, context, source (the pack file that defines it).

    Example: lawreport rules list my_pack/ -f csv"""
    sets = rulesets(packs, kind)
    shown = chosen(output_format)
    if shown is not OutputFormat.table:
        seen: set[str] = set()
        rows = []
        for ruleset in sets:
            for rule, _ in ruleset.indicators:
                if rule.id not in seen:
                    seen.add(rule.id)
                    rows.append(
                        {"id": rule.id, "name": rule.name, "units": sorted(rule.units), "context": rule.context,
                         "source": rule.source}
                    )  # fmt: skip
        emit_rows(rows, ("id", "name", "units", "context", "source"), shown)
        return
    for ruleset in sets:
        _print_ruleset(ruleset)


def _print_ruleset(ruleset: RuleSet) -> None:
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
@guarded()
def rules_test_command(
    packs: Annotated[
        list[Path] | None,
        typer.Argument(help="User rule pack folders to test with the built-in ones.", metavar="FOLDER..."),
    ] = None,
    kind: KindOption = None,
) -> None:
    """Run every example of every rule (every kind's packs, or --kind's); exit 1 when any fails.

    Example: lawreport rules test my_pack/"""
    failed = False
    for ruleset in rulesets(packs, kind):
        count, failures = check_examples(ruleset)
        for failure in failures:
            stdout.print(
                Text.assemble(("FAIL", "red"), f" {failure.rule} ({failure.source}): {failure.text}: {failure.problem}")
            )
        colour = "red" if failures else "green"
        stdout.print(
            Text.assemble((f"{count - len(failures)} passed, {len(failures)} failed", colour), f" ({ruleset.version})")
        )
        failed = failed or bool(failures)
    raise exit_with(failed)


@rules_app.command("new")
@guarded()
def rules_new_command(
    path: Annotated[Path, typer.Argument(help="Folder to create the pack in.", metavar="FOLDER")],
) -> None:
    """Create a commented skeleton rule pack to start from.

    Example: lawreport rules new my_pack"""
    written = write_skeleton(str(path))
    load_pack(path)
    for name in written:
        stdout.print(f"created {name}")
    stdout.print(f"next: edit the files, then run `lawreport rules test {path}`")
