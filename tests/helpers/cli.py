"""The command line run in-process, with a small directory file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from etl.cli import main
from tests.helpers.domain import HEADER

ROWS = [
    "GE-STRAS-01;Équipe de Strasbourg;;12 rue de la Paix;67000;Strasbourg;;;03 88 00 00 01;"
    "a@example.org;;tous;adultes;activite_physique|dietetique;;oui;",
    "GE-METZ-01;Équipe de Metz;;1 place d'Armes;57000;Metz;49.1196;6.1764;;;;sein|digestif;"
    "adultes;psychologie;57;;",
    "GE-NANCY-01;Équipe AJA de Nancy;;2 rue Stanislas;54000;Nancy;;;;;;sein;aja;dietetique;;non;"
    "@equipe_aja : -10 % d'attente",
]


def directory(tmp_path: Path, rows: list[str], name: str = "annuaire.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def etl(runner: CliRunner, *args: str | Path, stdin: str | None = None) -> Result:
    """Run `python -m etl ARGS` in-process, with `stdin` as standard input."""
    return runner.invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def export(runner: CliRunner, slug: str = "neon") -> str:
    result = etl(runner, "export", "--network", slug)
    assert result.exit_code == 0, result.output
    return result.stdout
