"""The one place where errors become messages and exit codes.

Exit codes: 0 success, 1 failures (nothing could be read, an unwritable output folder, a gate
that did not pass), 2 usage errors (one line, before anything is touched), 130 interrupted.
The library raises typed errors (:mod:`lawreport.errors`); every command is wrapped in
:func:`guarded`, so no traceback reaches a user (``LAWREPORT_DEBUG=1`` shows the one of an
internal error).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.text import Text

from lawreport.cli.app import ROOT, LogFile, Quiet, Verbose, Verbosity, configure_logging, stderr
from lawreport.errors import LawreportError, RunInterrupted, UsageError, join_message
from lawreport.paths import display

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEBUG_VARIABLE = "LAWREPORT_DEBUG"  # set to 1 to see the traceback of an internal error
NOTHING_MORE = "nothing more was done"

F = TypeVar("F", bound=Callable[..., Any])


def print_error(message: str, hint: str = "") -> None:
    """One line on stderr: what is wrong, then what to do."""
    stderr.print(Text.assemble(("error: ", "bold red"), join_message(message, hint)))


def exit_with(failed: bool) -> typer.Exit:
    return typer.Exit(EXIT_FAILED if failed else EXIT_OK)


def _reader_went_away() -> typer.Exit:
    """``lawreport rules list | head``: the reader closed the pipe. That is no error (exit 0);
    stdout goes to /dev/null so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test runner's buffer)
        pass
    return typer.Exit(EXIT_OK)


def _with_logging_options(command: Callable[..., Any]) -> tuple[inspect.Signature, bool]:
    """The command's signature plus -v/-q/--log-file (``quiet`` kept when it has one)."""
    signature = inspect.signature(command)
    hints = typing.get_type_hints(command, include_extras=True)  # the command module's names, not ours
    parameters = [
        parameter.replace(annotation=hints.get(parameter.name, parameter.annotation))
        for parameter in signature.parameters.values()
    ]
    names = {parameter.name for parameter in parameters}
    added = [("verbose", Verbose, 0), ("quiet", Quiet, False), ("log_file", LogFile, None)]
    for name, annotation, default in added:
        if name not in names:
            parameters.append(
                inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
            )
    return signature.replace(parameters=parameters), "quiet" in names


def guarded(*, interrupted: str = NOTHING_MORE) -> Callable[[F], F]:
    """Run a command so that every error is one line and an exit code; ``interrupted`` says
    what an interrupt leaves behind. Every command gets ``-v/-q/--log-file`` here."""

    def wrap(command: F) -> F:
        signature, takes_quiet = _with_logging_options(command)

        @functools.wraps(command)
        def run(*args: Any, verbose: int = 0, quiet: bool = False, log_file: Any = None, **kwargs: Any) -> Any:
            verbosity = Verbosity(
                max(verbose, ROOT.verbose), quiet or ROOT.quiet, log_file if log_file is not None else ROOT.log_file
            )
            if takes_quiet:
                kwargs["quiet"] = verbosity.quiet
            try:
                configure_logging(verbosity)
                result = command(*args, **kwargs)
                sys.stdout.flush()  # a reader that went away shows here, not at exit
                return result
            except BrokenPipeError:
                raise _reader_went_away() from None
            except (typer.Exit, typer.Abort, typer.TyperException):
                # typer's own exits and usage errors (typer >= 0.29 bundles its click: no ``import click``)
                raise
            except RunInterrupted as interrupt:
                stderr.print(Text(f"{interrupt.message}; {interrupted}", style="yellow"))
                raise typer.Exit(EXIT_INTERRUPTED) from None
            except KeyboardInterrupt:
                stderr.print(Text(f"interrupted; {interrupted}", style="yellow"))
                raise typer.Exit(EXIT_INTERRUPTED) from None
            except UsageError as error:
                print_error(error.message, error.hint)
                raise typer.Exit(EXIT_USAGE) from None
            except LawreportError as error:
                print_error(error.message, error.hint)
                raise typer.Exit(EXIT_FAILED) from None
            except OSError as error:  # a file-system fault outside a run's own handling
                where = f"{display(os.fsdecode(error.filename))}: " if error.filename else ""
                print_error(f"{where}{error.strerror or error}")
                raise typer.Exit(EXIT_FAILED) from None
            except Exception as error:
                if os.environ.get(DEBUG_VARIABLE):
                    raise
                print_error(
                    f"internal error ({type(error).__name__}: {error})",
                    f"This is a lawreport bug: please report it; {DEBUG_VARIABLE}=1 shows the traceback.",
                )
                raise typer.Exit(EXIT_FAILED) from None

        run.__signature__ = signature  # type: ignore[attr-defined]  # what typer reads the options from
        return run  # type: ignore[return-value]

    return wrap
