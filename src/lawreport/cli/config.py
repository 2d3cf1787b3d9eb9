"""Defaults from a config file and from environment variables, under the command-line flags.

Order (later wins): the built-in defaults, ``lawreport.toml`` in the working folder (else the
``[tool.lawreport]`` table of ``pyproject.toml`` there), ``LAWREPORT_<COMMAND>_<OPTION>``
(the flag's name)
environment variables (``LAWREPORT_EXTRACT_OUTPUT=out``, ``LAWREPORT_RULES_LIST_FORMAT=csv``),
then the flags given. The file names options as the flags do, without dashes::

    [tool.lawreport]          # in lawreport.toml: the same keys at the top level
    jobs = 2                  # a key at the top applies to every command with that option
    [tool.lawreport.extract]
    output = "out"
    format = "csv,parquet,xlsx"

An unknown command or option, or a top-level key no command takes, is a usage error (exit 2).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import typer
import typer.core

from lawreport.errors import UsageError

ENV_PREFIX = "LAWREPORT"
CONFIG_FILE = "lawreport.toml"


def read_config(folder: Path | None = None) -> tuple[dict[str, Any], str | None]:
    """The config table and the file it came from (none: ``{}, None``)."""
    folder = folder or Path.cwd()
    for name, table in ((CONFIG_FILE, None), ("pyproject.toml", ("tool", "lawreport"))):
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise UsageError(f"cannot read {path}: {error}", hint="Fix the TOML syntax.") from None
        if table is None:
            return data, str(path)
        section = data.get(table[0], {}).get(table[1])
        if section is not None:
            return section, f"{path} [tool.lawreport]"
    return {}, None


def _options(command: Any) -> dict[str, str]:
    """Option key (``max_size`` for ``--max-size``) -> parameter name."""
    keys = {}
    for param in command.params:
        if isinstance(param, typer.core.TyperOption) and param.name:
            for opt in param.opts:
                if opt.startswith("--") and not opt.startswith("--no-"):
                    keys[opt[2:].replace("-", "_")] = param.name
    return keys


def default_map(group: Any, config: dict[str, Any], where: str) -> dict[str, Any]:
    """The click ``default_map`` for ``config``: ``{command: {param: value}}``, nested for groups."""
    shared = {key: value for key, value in config.items() if not isinstance(value, dict)}
    tables = {key: value for key, value in config.items() if isinstance(value, dict)}
    used: set[str] = set()

    def for_command(command: Any, table: dict[str, Any], path: str) -> dict[str, Any]:
        if hasattr(command, "commands"):  # a group: rules
            result: dict[str, Any] = {}
            for name, sub in table.items():
                if name not in command.commands or not isinstance(sub, dict):
                    raise UsageError(
                        f"{where}: unknown command {path} {name!r}", hint=f"Commands: {', '.join(command.commands)}."
                    )
                result[name] = for_command(command.commands[name], sub, f"{path} {name}")
            for name, sub_command in command.commands.items():
                if name not in result:
                    result[name] = for_command(sub_command, {}, f"{path} {name}")
            return result
        keys = _options(command)
        values = {}
        for key, value in shared.items():
            if key in keys:
                values[keys[key]] = value
                used.add(key)
        for key, value in table.items():
            if key not in keys:
                raise UsageError(f"{where}: {path} has no option {key!r}", hint=f"Options: {', '.join(sorted(keys))}.")
            values[keys[key]] = value
        return values

    result = {}
    for name, command in group.commands.items():
        result[name] = for_command(command, tables.pop(name, {}), name)
    if tables:
        raise UsageError(
            f"{where}: unknown command {sorted(tables)[0]!r}", hint=f"Commands: {', '.join(group.commands)}."
        )
    unused = sorted(set(shared) - used)
    if unused:
        raise UsageError(
            f"{where}: no command has the option {unused[0]!r}", hint="Check the name (as the flag, without --)."
        )
    return result


def name_envvars(command: Any, prefix: str = ENV_PREFIX) -> None:
    """Give every option without one the variable ``PREFIX_COMMAND_OPTION`` named after its
    flag (``LAWREPORT_RULES_LIST_FORMAT`` for ``--format``), not after its Python name as
    click's automatic names are (``…_OUTPUT_FORMAT``)."""
    for name, sub in getattr(command, "commands", {}).items():
        name_envvars(sub, f"{prefix}_{name.upper().replace('-', '_')}")
    for param in getattr(command, "params", ()):
        if isinstance(param, typer.core.TyperOption) and not param.envvar and param.name != "version":
            long = [opt for opt in param.opts if opt.startswith("--")]
            if long:
                param.envvar = f"{prefix}_{long[0][2:].upper().replace('-', '_')}"
                param.show_envvar = False  # one rule, said once in `lawreport -h`, not on every line


def prepare(app: typer.Typer, folder: Path | None = None) -> tuple[Any, dict[str, Any]]:
    """The application's command with its environment variables named, and what it is called
    with: the config file's defaults."""
    command = typer.main.get_command(app)
    name_envvars(command)
    config, where = read_config(folder)
    settings: dict[str, Any] = {}
    if where is not None:
        settings["default_map"] = default_map(command, config, where)
    return command, settings
