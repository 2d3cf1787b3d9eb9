"""The one place where errors become messages and exit codes.

Exit codes: 0 success, 1 failures (nothing could be read, an unwritable output folder, a gate
that did not pass), 2 usage errors (one line, before anything is touched), 130 interrupted.
The library raises typed errors (:mod:`lawreport.errors`); every command is wrapped in
:func:`guarded`, so no traceback reaches a user (``LAWREPORT_DEBUG=1`` shows the one of an
internal error).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.text import Text

from lawreport.cli.app import stderr
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


def guarded(*, interrupted: str = NOTHING_MORE) -> Callable[[F], F]:
    """Run a command so that every error is one line and an exit code; ``interrupted`` says
    what an interrupt leaves behind."""

    def wrap(command: F) -> F:
        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
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

        return run  # type: ignore[return-value]

    return wrap
