"""The Typer application and the consoles every command prints to.

Data goes to stdout (inspection commands) or to files; progress, summaries and errors go to
stderr, printed literally (never as markup: a path may contain "[/b]")."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from lawreport.version import __version__

DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUTPUT = Path("data/out")

app = typer.Typer(
    name="lawreport",
    help="Turn Chinese rule-of-law government annual reports (法治政府建设年度报告) into clean tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="List, test and create rule packs.", no_args_is_help=True)

stderr = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
# Tables piped to a file or another program should not be squeezed to 80 columns.
stdout = Console(highlight=False, soft_wrap=True, markup=False, width=None if sys.stdout.isatty() else 200)


class FileProgress:
    """A progress bar over files on stderr, shown only on a terminal and without ``quiet``."""

    def __init__(self, name: str, *, quiet: bool) -> None:
        self.show = not quiet and stderr.is_terminal
        self.bar = Progress(
            TextColumn(name, style="bold"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}", markup=False),
            console=stderr,
            transient=True,
            disable=not self.show,
        )
        self.task = self.bar.add_task(name, total=None, current="")

    def __enter__(self) -> FileProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)  # type: ignore[arg-type]

    def advance(self, path: str) -> None:
        self.bar.update(self.task, advance=1, current=Path(path).name)

    def print(self, text: Text) -> None:
        self.bar.console.print(text)

    @property
    def on_discovered(self) -> Callable[[int], None] | None:
        """What a run calls with the number of files, when the bar is shown."""
        return (lambda total: self.bar.update(self.task, total=total)) if self.show else None


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


def default_inputs(inputs: list[Path] | None, listing: str | None) -> list[str]:
    """The inputs named, else data/raw (unless a listing names them)."""
    return [str(path) for path in (inputs or ([] if listing else [DEFAULT_INPUT]))]
