"""The README documents what the code offers (datasette-style documentation tests)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from etl.cli import main
from geodata.config import Settings
from geodata.contract.schema import load_schema

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


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
