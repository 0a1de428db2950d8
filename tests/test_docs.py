"""The README and the architecture document describe what the code offers (datasette-style)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from etl.cli import main
from geodata.config import Settings
from geodata.contract.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
# Text files a reader of the repository meets: none may send them outside it.
DOCUMENTED = ("geodata", "webapp", "etl", "tests", "bench", "scripts", "docs")


def _sub_packages() -> list[str]:
    return sorted(
        f"{top}.{folder.name}"
        for top in ("geodata", "webapp")
        for folder in (ROOT / top).iterdir()
        if (folder / "__init__.py").exists()
    )


def _repository_texts() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "Makefile"]
    for top in DOCUMENTED:
        files += [p for p in (ROOT / top).rglob("*") if p.suffix in (".py", ".md", ".sh", ".html")]
    return files


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_every_command_line_command_is_in_the_readme(command: str) -> None:
    assert f"python -m etl {command}" in README


@pytest.mark.parametrize("column", load_schema().names)
def test_every_contract_column_is_in_the_readme(column: str) -> None:
    assert f"`{column}`" in README


@pytest.mark.parametrize("name", [f for f in Settings.__dataclass_fields__ if f != "database_url"])
def test_every_setting_is_in_the_readme(name: str) -> None:
    variable = (
        "SPATIALITE_LIBRARY_PATH" if name == "spatialite_library" else f"ANNUAIRE_{name.upper()}"
    )
    assert f"`{variable}`" in README


@pytest.mark.parametrize("package", _sub_packages())
def test_every_sub_package_is_in_the_architecture_document(package: str) -> None:
    assert f"`{package}`" in ARCHITECTURE


def test_the_readme_links_the_architecture_document() -> None:
    assert "(docs/architecture.md)" in README


# The brief beside the repository, and the folder it lives in; spelt in parts so that a search
# for them finds only the files that really point there.
OUTSIDE = ("../" + "shared", "DESIGN" + ".md")


def test_nothing_in_the_repository_points_outside_it() -> None:
    outside = [
        str(path.relative_to(ROOT))
        for path in _repository_texts()
        if any(name in path.read_text(encoding="utf-8") for name in OUTSIDE)
    ]
    assert outside == [], "the repository's docs must not depend on files beside it"
