"""Check the house rules of src/lawreport by reading its imports (no code is run):

1. no import cycles between modules;
2. no lower stage imports a higher one (the order is LAYERS, lowest first; modules of one
   layer may import each other, without cycles);
3. no module reaches into another module's private names (``from lawreport.x import _y``,
   ``x._y``).

    python scripts/check_layers.py [SRC]     # exit 1 and one line per problem

Every import counts, also inside functions (a lazy import is still a dependency); imports
under ``if TYPE_CHECKING:`` count for the layer order but not for cycles (they never run).
"""

from __future__ import annotations

import ast
import functools
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "lawreport"
# Lowest first. A module belongs to the first layer with a prefix that names it or its package.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "version", "data"),  # nothing of lawreport below these (data: the data files)
    ("paths", "budget", "schema", "datafiles", "patterns"),  # base utilities
    ("zh",),  # Chinese knowledge: numerals, punctuation, dates, script, segmenter
    ("kinds",),  # report kinds as data
    ("records",),  # the data types the stages pass on
    ("reading",),  # stage: files -> decoded text
    ("text",),  # stage: normalise
    ("metadata",),  # stage: describe
    ("outline",),  # stage: outline and labels
    ("indicators",),  # stage: numbers
    ("tables",),  # records -> rows, formats, reading back
    ("options",),  # every setting, validated
    ("pipeline",),  # one report through every stage
    ("run",),  # many reports: executors, manifest, commit
    ("qa",),  # check and evaluate
    ("cli",),  # the command line
    ("__init__", "__main__"),  # the public API
)


@dataclass(frozen=True)
class Import:
    module: str  # importing module, e.g. "indicators.find"
    target: str  # imported module, e.g. "zh.numerals"
    names: tuple[str, ...]  # names imported from it (from-imports)
    line: int
    type_only: bool


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                return index
    raise KeyError(f"{module} is in no layer: add it to LAYERS in scripts/check_layers.py")


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _ours(module: str | None) -> bool:
    return module is not None and (module == PACKAGE or module.startswith(PACKAGE + "."))


@functools.lru_cache(maxsize=512)
def _parse(source: str) -> ast.Module:
    """A file's syntax tree, parsed once per content (the tests check planted copies)."""
    return ast.parse(source)


_OVERRIDES: dict[Path, str] = {}  # path -> source to check instead of the file's (tests plant breaches)


def _source(path: Path) -> str:
    source = _OVERRIDES.get(path)
    return source if source is not None else path.read_text(encoding="utf-8")


def imports(path: Path, root: Path, modules: set[str]) -> list[Import]:
    """The lawreport modules ``path`` imports (``from lawreport.x import y`` imports module
    ``x.y`` when that is a module, else ``x``)."""
    return list(_imports(_source(path), module_name(path, root), frozenset(modules)))


@functools.lru_cache(maxsize=512)
def _imports(source: str, me: str, modules: frozenset[str]) -> tuple[Import, ...]:
    tree = _parse(source)
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for item in child.body:
                    visit_node(item, True)
                for item in child.orelse:
                    visit_node(item, type_only)
                continue
            visit_node(child, type_only)

    def visit_node(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + "."):
                    found.append(Import(me, alias.name[len(PACKAGE) + 1 :], (), node.lineno, type_only))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _ours(node.module):
            base = node.module[len(PACKAGE) + 1 :] if node.module != PACKAGE else ""
            plain: list[str] = []
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                if sub in modules:
                    found.append(Import(me, sub, (), node.lineno, type_only))
                else:
                    plain.append(alias.name)
            if plain:
                found.append(Import(me, base or "__init__", tuple(plain), node.lineno, type_only))
        visit(node, type_only)

    visit(tree, False)
    return tuple(found)


def private_attributes(path: Path, root: Path, modules: set[str]) -> list[str]:
    """``x._y`` where ``x`` is a lawreport module imported by this file."""
    return list(_private_attributes(_source(path), module_name(path, root), frozenset(modules)))


@functools.lru_cache(maxsize=512)
def _private_attributes(source: str, me: str, modules: frozenset[str]) -> tuple[str, ...]:
    tree = _parse(source)
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith(PACKAGE):
            base = node.module[len(PACKAGE) + 1 :] if node.module != PACKAGE else ""
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                if sub in modules:
                    bound[alias.asname or alias.name] = sub
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + ".") and alias.asname:
                    bound[alias.asname] = alias.name[len(PACKAGE) + 1 :]
    problems = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            problems.append(f"{me}:{node.lineno}: uses the private {bound[node.value.id]}.{node.attr}")
    return tuple(problems)


def problems(root: Path, overrides: dict[str, str] | None = None) -> list[str]:
    """Every breach of the rules under ``root``; ``overrides`` maps a file (relative to
    ``root``) to source to check in its place."""
    _OVERRIDES.clear()
    _OVERRIDES.update({root / name: source for name, source in (overrides or {}).items()})
    paths = sorted(root.rglob("*.py"))
    modules = {module_name(path, root) for path in paths}
    found: list[str] = []
    edges: dict[str, set[str]] = {module: set() for module in modules}
    for path in paths:
        for item in imports(path, root, modules):
            target = item.target if item.target in modules else item.target.rsplit(".", 1)[0]
            if item.module == target:
                continue
            try:
                if layer_of(target) > layer_of(item.module):
                    found.append(f"{item.module}:{item.line}: imports {target}, a higher layer")
            except KeyError as error:
                found.append(str(error.args[0]))
            private = [name for name in item.names if name.startswith("_") and not name.startswith("__")]
            if private:
                found.append(f"{item.module}:{item.line}: imports private {', '.join(private)} from {target}")
            if not item.type_only and target != "__init__":
                edges[item.module].add(target)
        found.extend(private_attributes(path, root, modules))
    found.extend(f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(edges))
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "src" / PACKAGE
    found = problems(root)
    for problem in found:
        print(problem)
    print(f"{len(found)} problem(s) in {root}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
