"""The command line never loses a directory by mistake: the demo stays out of real data, and a
file removing most sites needs `--allow-mass-removal`; on SpatiaLite and PostGIS."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata.config import Settings
from tests.helpers import ROWS, directory, etl, export


@pytest.fixture
def run(settings: Settings, engine: object) -> CliRunner:
    return CliRunner(env={"DATABASE_URL": settings.database_url})


def versions(run: CliRunner, slug: str) -> int:
    result = etl(run, "publications", "list", "--network", slug)
    assert result.exit_code == 0, result.output
    return result.stdout.count("\n")


def test_the_demo_loads_both_networks_into_an_empty_database(run: CliRunner) -> None:
    result = etl(run, "demo")
    assert result.exit_code == 0, result.output
    assert versions(run, "neon") == versions(run, "onco-aura") == 1


def test_the_demo_refuses_a_network_with_a_published_directory_and_changes_nothing(
    run: CliRunner, tmp_path: Path
) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    before = export(run)
    result = etl(run, "demo")
    assert result.exit_code == 1
    assert "« neon »" in result.stderr
    assert "rien n'a été modifié" in result.stderr
    assert export(run) == before
    assert versions(run, "neon") == 1
    assert "onco-aura" not in etl(run, "networks", "list").stdout


def test_the_demo_loaded_twice_is_refused_the_second_time(run: CliRunner) -> None:
    etl(run, "demo")
    result = etl(run, "demo")
    assert result.exit_code == 1
    assert "« neon » et « onco-aura »" in result.stderr
    assert versions(run, "neon") == versions(run, "onco-aura") == 1


def test_the_demo_if_empty_does_nothing_where_any_network_has_published(
    run: CliRunner, tmp_path: Path
) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "reel")
    result = etl(run, "demo", "--if-empty")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Démonstration non chargée : la base contient déjà des annuaires publiés."
    )
    assert etl(run, "networks", "list").stdout.split("\t")[0] == "reel"


def test_the_demo_if_empty_loads_the_demo_into_an_empty_database(run: CliRunner) -> None:
    result = etl(run, "demo", "--if-empty")
    assert result.exit_code == 0, result.output
    assert versions(run, "neon") == versions(run, "onco-aura") == 1


def test_an_import_removing_most_sites_is_refused_without_the_flag(
    run: CliRunner, tmp_path: Path
) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    result = etl(run, "import", directory(tmp_path, ROWS[:1]), "--network", "neon")
    assert result.exit_code == 1
    assert "Ce fichier retire 2 des 3 structures publiées" in result.stderr
    assert "--allow-mass-removal" in result.stderr
    assert export(run).count("GE-") == 3
    assert versions(run, "neon") == 1


def test_an_import_removing_most_sites_is_published_with_the_flag(
    run: CliRunner, tmp_path: Path
) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    path = directory(tmp_path, ROWS[:1])
    result = etl(run, "import", path, "--network", "neon", "--allow-mass-removal")
    assert result.exit_code == 0, result.output
    assert "Publié : version 2" in result.stdout
    assert export(run).count("GE-") == 1


def test_a_dry_run_says_a_mass_removal_will_need_the_flag(run: CliRunner, tmp_path: Path) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    result = etl(run, "import", directory(tmp_path, ROWS[:1]), "--network", "neon", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "ajoutez --allow-mass-removal" in result.stdout


def test_an_import_removing_one_of_two_sites_needs_no_flag(run: CliRunner, tmp_path: Path) -> None:
    etl(run, "import", directory(tmp_path, ROWS[:2]), "--network", "neon")
    result = etl(run, "import", directory(tmp_path, ROWS[:1]), "--network", "neon")
    assert result.exit_code == 0, result.output
    assert "Publié : version 2" in result.stdout
