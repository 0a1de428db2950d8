"""The shape of the code: no import cycle, the layers kept, modules and folders kept small.

Every import counts, including those inside functions and under `TYPE_CHECKING`: a cycle
hidden there still ties two modules together for a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geodata", "webapp", "etl", "bench", "tests")
MAX_LINES = 400
MAX_MODULES_PER_FOLDER = 15
# What the core must never import: the web layer, the command line, their frameworks.
FORBIDDEN_IN_CORE = ("flask", "flask_wtf", "flask_limiter", "click", "etl", "webapp")
# The core's parts, lowest first: a part imports only the shared modules and the parts
# before it (see docs/architecture.md).
CORE_ORDER = (
    "geodata.reference",
    "geodata.geocoding",
    "geodata.contract",
    "geodata.storage",
    "geodata.accounts",
    "geodata.publishing",
    "geodata.orientation",
    "geodata.coverage",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found[module_name(path)] = path
    return found


def imported_names(path: Path) -> Iterator[str]:
    """Yield every module name `path` imports (a `from X import Y` gives X.Y when Y is one)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in modules() else node.module


@cache
def graph() -> dict[str, frozenset[str]]:
    """Return each project module's imports of other project modules."""
    return {
        name: frozenset(m for m in imported_names(path) if m in modules() and m != name)
        for name, path in modules().items()
    }


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def part_of(module: str) -> str:
    """Return the core part (`geodata.storage`...) of a module, or the module itself."""
    return next((p for p in CORE_ORDER if module == p or module.startswith(p + ".")), module)


def test_no_import_cycle_between_project_modules() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert cycles(edges) == [["a", "b", "c"]]


def test_the_core_imports_neither_the_web_layer_nor_the_command_line() -> None:
    offending = [
        f"{name} imports {imported}"
        for name, path in modules().items()
        if name.startswith("geodata")
        for imported in imported_names(path)
        if imported.split(".")[0] in FORBIDDEN_IN_CORE
    ]
    assert offending == []


@pytest.mark.parametrize(("layer", "other"), [("webapp", "etl"), ("etl", "webapp")])
def test_the_web_layer_and_the_command_line_never_import_each_other(layer: str, other: str) -> None:
    offending = [
        f"{name} imports {imported}"
        for name, imports in graph().items()
        if name.split(".")[0] == layer
        for imported in imports
        if imported.split(".")[0] == other
    ]
    assert offending == []


def test_each_core_part_imports_only_the_parts_below_it() -> None:
    rank = {part: n for n, part in enumerate(CORE_ORDER)}
    offending = [
        f"{name} imports {imported}"
        for name, imports in graph().items()
        if part_of(name) in rank
        for imported in imports
        if part_of(imported) in rank and rank[part_of(imported)] > rank[part_of(name)]
    ]
    assert offending == []


def test_every_core_part_is_a_package_in_the_order() -> None:
    parts = {p.name for p in (ROOT / "geodata").iterdir() if (p / "__init__.py").exists()}
    assert {f"geodata.{p}" for p in parts} == set(CORE_ORDER)


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_folder_holds_more_than_about_fifteen_modules() -> None:
    folders: dict[Path, int] = {}
    for path in modules().values():
        if path.name != "__init__.py" and not path.name.startswith("test_"):
            folders[path.parent] = folders.get(path.parent, 0) + 1
    crowded = {
        str(f.relative_to(ROOT)): n for f, n in folders.items() if n > MAX_MODULES_PER_FOLDER
    }
    assert crowded == {}
