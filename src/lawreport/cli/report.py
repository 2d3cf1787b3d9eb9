"""``lawreport report OUT``: one self-contained HTML page about an output folder
(:func:`lawreport.qa.overview.write_report`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lawreport.cli.app import DEFAULT_OUTPUT, app, stderr
from lawreport.cli.errors import guarded
from lawreport.qa.overview import write_report


@app.command("report")
@guarded()
def report_command(
    out: Annotated[Path, typer.Argument(help="An output folder of lawreport extract.", metavar="OUT")] = DEFAULT_OUTPUT,
    destination: Annotated[
        Path | None, typer.Option("--to", metavar="FILE", help="Where to write the page. Default: OUT/report.html.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not say where the page is.")] = False,
) -> None:
    """Write one HTML page about a dataset (opens offline: no scripts, no network).

    Reports by year, place and kind, part coverage, warnings, the standard indicators over the
    years (achieved and target), each number linked to its sentence.

    Example: lawreport report out && xdg-open out/report.html"""
    written = write_report(out, destination)
    if not quiet:
        stderr.print(f"wrote {written}")
