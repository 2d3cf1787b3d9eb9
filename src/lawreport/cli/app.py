"""The Typer application, the consoles every command prints to, logging and progress.

Data goes to stdout (inspection commands) or to files; progress, summaries, log lines and
errors go to stderr, printed literally (never as markup: a path may contain "[/b]").

Conventions every command shares: ``-h/--help`` with an example, real metavars (``FOLDER``,
``N``), ``-V/--version``, ``-v/-q/--log-file`` on the application and on every command
(added by :func:`lawreport.cli.errors.guarded`), defaults from a config file and from
``LAWREPORT_<COMMAND>_<OPTION>`` environment variables (:mod:`lawreport.cli.config`).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
import typer.core
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from lawreport.version import __version__

DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUTPUT = Path("data/out")
LOGGER = logging.getLogger("lawreport")


TYPE_METAVARS = {"int": "N", "float": "NUMBER", "str": "TEXT", "path": "PATH", "Path": "PATH"}


def plain_metavars() -> None:
    """Show a parameter's metavar (``FOLDER``, ``N``, ``table|json``), never Python types
    (``<list[Path]>``, ``<bool>``): typer >= 0.22 prints a type column even when a metavar is
    given. There is no public switch, so this overrides two methods of typer's parameter
    classes; a test asserts that no help page shows ``<…>`` types, so a typer upgrade that
    changes this fails loudly."""
    option_type = typer.core.TyperOption.display_type

    def argument(self: typer.core.TyperArgument, ctx: object) -> str | None:
        return self.metavar or ""

    def option(self: typer.core.TyperOption, ctx: object) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag or self.count:
            return ""
        label = option_type(self, ctx).strip("<>")  # type: ignore[arg-type]
        label = label.removeprefix("list[").removesuffix("]")
        return TYPE_METAVARS.get(label, label if "|" in label else label.upper())

    typer.core.TyperArgument.display_type_rich = argument  # type: ignore[method-assign]
    typer.core.TyperOption.display_type_rich = option  # type: ignore[method-assign]


plain_metavars()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
app = typer.Typer(
    name="lawreport",
    help="Turn Chinese government annual reports (法治政府建设年度报告, 政府工作报告 …) into clean tables.",
    epilog="Example: lawreport extract reports/ -o out -f csv,xlsx   (lawreport COMMAND -h for each command)\n\n"
    "Defaults: lawreport.toml or \\[tool.lawreport] in pyproject.toml here, then LAWREPORT_<COMMAND>_<OPTION>"
    " variables (LAWREPORT_EXTRACT_OUTPUT=out), then the flags.",
    no_args_is_help=True,
    add_completion=False,  # `lawreport completion SHELL` instead of two options on every page
    pretty_exceptions_enable=False,
    context_settings=CONTEXT,
)
rules_app = typer.Typer(help="List, test and create rule packs.", no_args_is_help=True, context_settings=CONTEXT)


class PipeConsole(Console):
    """A console whose closed pipe ends the command quietly (rich's default is exit 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


stderr = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
# Tables piped to a file or another program should not be squeezed to 80 columns.
stdout = PipeConsole(highlight=False, soft_wrap=True, markup=False, width=None if sys.stdout.isatty() else 200)


# -- logging ---------------------------------------------------------------------------------
@dataclass
class Verbosity:
    """-v (info), -vv (debug), -q (errors only: no progress, no summary), --log-file (every
    line at debug level, with times). Set on the application or on the command: both count."""

    verbose: int = 0
    quiet: bool = False
    log_file: Path | None = None


ROOT = Verbosity()  # what the application's own options said for this invocation


def configure_logging(verbosity: Verbosity) -> None:
    level = (
        logging.ERROR if verbosity.quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbosity.verbose, 2)]
    )
    for handler in list(LOGGER.handlers):
        LOGGER.removeHandler(handler)
        handler.close()
    screen = logging.StreamHandler(sys.stderr)
    screen.setLevel(level)
    screen.setFormatter(logging.Formatter("%(message)s"))
    LOGGER.addHandler(screen)
    if verbosity.log_file is not None:
        try:
            to_file = logging.FileHandler(verbosity.log_file, encoding="utf-8")
        except OSError as error:
            from lawreport.errors import UsageError

            raise UsageError(
                f"--log-file {verbosity.log_file}: {error.strerror or error}",
                hint="Give a file in a folder you can write.",
            ) from None
        to_file.setLevel(logging.DEBUG)
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOGGER.addHandler(to_file)
    LOGGER.setLevel(logging.DEBUG if verbosity.log_file else level)
    LOGGER.propagate = False


# -- progress --------------------------------------------------------------------------------
PROGRESS_EVERY_FILES = 500
PROGRESS_EVERY_SECONDS = 30.0


class ProgressLine:
    """Without a terminal (Make, cron, CI logs), one stderr line every ``every_files`` files or
    ``every_seconds``, whichever comes first, with the rate and an ETA:
    ``extract: 1,204/3,000 files (40%), 19.9 files/s, 0.34 MB/s, 1m01s elapsed, ETA 1m30s``.
    The rate is an exponentially weighted average, so a slow start does not skew the ETA."""

    def __init__(self, name: str, *, every_files: int | None = None, every_seconds: float | None = None) -> None:
        self.name = name
        self.total: int | None = None
        self.every_files = every_files or PROGRESS_EVERY_FILES
        self.every_seconds = every_seconds or PROGRESS_EVERY_SECONDS
        self.files = self.bytes = 0
        self.started = self.last = time.monotonic()
        self.last_files = 0
        self.rate: float | None = None

    def advance(self, n_bytes: int = 0) -> None:
        self.files += 1
        self.bytes += n_bytes
        now = time.monotonic()
        if self.files - self.last_files >= self.every_files or now - self.last >= self.every_seconds:
            recent = (self.files - self.last_files) / max(now - self.last, 1e-9)
            self.rate = recent if self.rate is None else 0.7 * self.rate + 0.3 * recent
            self.last, self.last_files = now, self.files
            stderr.print(self.line(now))

    def line(self, now: float) -> str:
        elapsed = now - self.started
        rate = self.rate if self.rate is not None else self.files / max(elapsed, 1e-9)
        speed = f"{rate:.1f} files/s, {self.bytes / 1e6 / max(elapsed, 1e-9):.2f} MB/s, {duration(elapsed)} elapsed"
        if not self.total:
            return f"{self.name}: {self.files:,} files, {speed}"
        left = (self.total - self.files) / rate if rate else float("inf")
        return f"{self.name}: {self.files:,}/{self.total:,} files ({self.files / self.total:.0%}), {speed}, ETA {duration(left)}"


def duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "?"
    whole = round(seconds)
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m" if whole >= 3600 else f"{whole // 60}m{whole % 60:02d}s"


class FileProgress:
    """Progress over files on stderr: a bar on a terminal, a line now and then otherwise
    (:class:`ProgressLine`); nothing with ``quiet``."""

    def __init__(self, name: str, *, quiet: bool) -> None:
        self.show = not quiet and stderr.is_terminal
        self.lines = ProgressLine(name) if not quiet and not stderr.is_terminal else None
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

    def advance(self, path: str, n_bytes: int = 0) -> None:
        self.bar.update(self.task, advance=1, current=Path(path).name)
        if self.lines is not None:
            self.lines.advance(n_bytes)
        LOGGER.debug("done %s", path)

    def print(self, text: Text) -> None:
        self.bar.console.print(text)

    @property
    def on_discovered(self) -> Callable[[int], None] | None:
        """What a run calls with the number of files, when progress is shown."""
        if not (self.show or self.lines is not None):
            return None

        def discovered(total: int) -> None:
            self.bar.update(self.task, total=total)
            if self.lines is not None:
                self.lines.total = total
            LOGGER.info("%s: %s file(s) to read", self.lines.name if self.lines else "run", f"{total:,}")

        return discovered


# -- the application's own options -----------------------------------------------------------
def _version(value: bool) -> None:
    if value:
        stdout.print(f"lawreport {__version__}")
        raise typer.Exit()


Verbose = Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log lines on stderr (-vv: debug).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors: no progress, no summary.")]
LogFile = Annotated[
    Path | None,
    typer.Option("--log-file", metavar="FILE", help="Also write every log line (debug, with times) to FILE."),
]


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.", envvar=[]),
    ] = False,
    verbose: Verbose = 0,
    quiet: Quiet = False,
    log_file: LogFile = None,
) -> None:
    """lawreport: read, normalise, describe and mine government annual reports."""
    ROOT.verbose, ROOT.quiet, ROOT.log_file = verbose, quiet, log_file


def default_inputs(inputs: list[Path] | None, listing: str | None) -> list[str]:
    """The inputs named, else data/raw (unless a listing names them)."""
    if inputs or listing:
        return [str(path) for path in inputs or []]
    if not DEFAULT_INPUT.is_dir():
        from lawreport.errors import UsageError

        raise UsageError(
            f"no inputs given and no {DEFAULT_INPUT}/ folder here",
            hint="Name the report files or folders to read (lawreport extract reports/ -o out), or run in a folder"
            f" that has {DEFAULT_INPUT}/.",
        )
    return [str(DEFAULT_INPUT)]
