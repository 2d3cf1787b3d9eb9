"""Command-line interface: a thin layer over the library.

Each command turns its flags into an :class:`~lawreport.options.Options`, calls one library
function and reports; :mod:`lawreport.cli.errors` is the one place where errors become
messages and exit codes. Commands: :mod:`~lawreport.cli.extract`, :mod:`~lawreport.cli.one_file`
(normalize, sections, indicators), :mod:`~lawreport.cli.rules`, :mod:`~lawreport.cli.check`,
:mod:`~lawreport.cli.evaluate`.
"""

from __future__ import annotations

import importlib
import signal

from lawreport.cli.app import app

# Command modules register themselves on ``app``, in the order ``lawreport --help`` lists them.
COMMAND_MODULES = ("extract", "one_file", "check", "evaluate", "schema", "report", "rules", "completion")
for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")

__all__ = ["app", "main"]


def _terminate(signum: int, _frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C: partial tables are removed, old ones stay, finished work is kept.
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    from lawreport.cli.config import prepare
    from lawreport.cli.errors import EXIT_USAGE, print_error
    from lawreport.errors import UsageError

    try:
        command, settings = prepare(app)
    except UsageError as error:
        print_error(error.message, error.hint)
        raise SystemExit(EXIT_USAGE) from None
    command(prog_name="lawreport", **settings)  # also under `python -m lawreport`
