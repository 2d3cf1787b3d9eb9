"""``lawreport completion SHELL``: the shell's completion script (commands, options, files)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer._completion_classes import completion_init

from lawreport.cli.app import app
from lawreport.cli.errors import guarded
from lawreport.options import check_choice

# The completion classes answer the script's requests; typer registers them only with its
# --install-completion options, which this application leaves off (one command instead).
completion_init()

SHELLS = ("bash", "zsh", "fish", "powershell")
COMPLETE_VAR = "_LAWREPORT_COMPLETE"  # what the script sets when it asks lawreport for candidates


@app.command("completion")
@guarded()
def completion_command(
    shell: Annotated[str, typer.Argument(help="bash, zsh, fish or powershell.", metavar="SHELL")],
) -> None:
    """Print the shell completion script for SHELL.

    Example: lawreport completion bash >> ~/.bashrc   (zsh: >> ~/.zshrc; fish:
    > ~/.config/fish/completions/lawreport.fish)"""
    from typer._completion_shared import get_completion_script  # typer's own scripts (no public API)

    check_choice("SHELL", shell, SHELLS)
    sys.stdout.write(
        get_completion_script(prog_name="lawreport", complete_var=COMPLETE_VAR, shell=shell).rstrip() + "\n"
    )
