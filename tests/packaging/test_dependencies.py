"""What ``pip install .`` gives must be enough to run: every module the package imports comes
from the standard library, the package itself or a declared dependency (typer 0.29 stopped
depending on click: an ``import click`` worked only because the dev extra brought it in)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "lawreport"
# Imported only inside ``--engine dask`` / optional code paths, declared as the ``dask`` extra.
EXTRA_ONLY = {"dask", "distributed"}


def _declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    names = set()
    for spec in specs:  # "dask[distributed]>=2024.1" declares dask and its extra's distributed
        match = re.match(r"([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?", spec)
        names.add(match.group(1))
        names.update(extra.strip() for extra in (match.group(2) or "").split(",") if extra.strip())
    return {name.lower().replace("_", "-") for name in names}


def _imported_top_level_modules() -> set[str]:
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"lawreport"}


def test_every_import_is_a_declared_dependency():
    distributions = importlib.metadata.packages_distributions()
    declared = _declared() | _declared("dask")
    missing = {}
    for module in sorted(_imported_top_level_modules()):
        owners = {name.lower().replace("_", "-") for name in distributions.get(module, [module])}
        if not owners & declared:
            missing[module] = sorted(owners)
    assert missing == {}, f"imported but not declared in pyproject.toml: {missing}"


def test_extra_only_modules_are_not_core_dependencies():
    assert _declared("dask") >= EXTRA_ONLY
    assert not EXTRA_ONLY & _declared()


def test_the_cli_starts_without_click_installed():
    # A fresh ``pip install .`` has no click; block it to see what such a user sees.
    code = (
        "import sys; sys.modules['click'] = None\n"
        "sys.argv = ['lawreport', '--help']\n"
        "from lawreport.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "extract" in result.stdout
