"""The command line end to end, on SpatiaLite and PostGIS, with the real gazetteer."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from geodata.config import Settings
from tests.helpers import DATA, ROWS, directory, etl, export

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(settings: Settings, engine: object) -> CliRunner:
    return CliRunner(env={"DATABASE_URL": settings.database_url})


def test_import_publishes_a_valid_file_as_version_one(run: CliRunner, tmp_path: Path) -> None:
    result = etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    assert result.exit_code == 0, result.output
    assert "Publié : version 1" in result.stdout
    assert "3 ajouts" in result.stdout
    rows = list(csv.DictReader(io.StringIO(export(run).removeprefix("\ufeff")), delimiter=";"))
    assert [r["identifiant"] for r in rows] == ["GE-METZ-01", "GE-NANCY-01", "GE-STRAS-01"]


def test_reimporting_the_same_file_changes_nothing(run: CliRunner, tmp_path: Path) -> None:
    path = directory(tmp_path, ROWS)
    etl(run, "import", path, "--network", "neon")
    result = etl(run, "import", path, "--network", "neon")
    assert result.exit_code == 0
    assert "Aucun changement" in result.stdout
    assert etl(run, "publications", "list", "--network", "neon").stdout.count("\n") == 1


def test_an_exported_file_reimports_without_any_change(run: CliRunner, tmp_path: Path) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    exported = tmp_path / "export.csv"
    exported.write_text(export(run), encoding="utf-8")
    assert "'@equipe_aja" in exported.read_text(encoding="utf-8")
    result = etl(run, "import", exported, "--network", "neon")
    assert result.exit_code == 0, result.output
    assert "Aucun changement" in result.stdout


def test_dry_run_shows_the_changes_and_publishes_nothing(run: CliRunner, tmp_path: Path) -> None:
    etl(run, "import", directory(tmp_path, ROWS[:1]), "--network", "neon")
    result = etl(run, "import", directory(tmp_path, ROWS[1:]), "--network", "neon", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 ajouts, 0 modification, 1 suppression" in result.stdout
    assert "rien n'a été publié" in result.stdout
    assert "GE-STRAS-01" in export(run)


def test_changed_fields_are_listed_with_old_and_new_values(run: CliRunner, tmp_path: Path) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    changed = [ROWS[0].replace("03 88 00 00 01", "03 88 00 00 02"), *ROWS[1:]]
    result = etl(run, "import", directory(tmp_path, changed), "--network", "neon")
    assert "~ GE-STRAS-01 : telephone : « 03 88 00 00 01 » → « 03 88 00 00 02 »" in result.stdout
    assert "Publié : version 2" in result.stdout


def test_restore_makes_an_earlier_version_current_again(run: CliRunner, tmp_path: Path) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    path = directory(tmp_path, ROWS[:1])
    etl(run, "import", path, "--network", "neon", "--allow-mass-removal")
    result = etl(run, "publications", "restore", "1", "--network", "neon")
    assert result.exit_code == 0, result.output
    assert "c'est la version 3" in result.stdout
    assert export(run).count("GE-") == 3


def test_geojson_export_has_one_feature_per_site(run: CliRunner, tmp_path: Path) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    result = etl(run, "export", "--network", "neon", "--format", "geojson")
    assert result.stdout.count('"type": "Feature"') == 3


def test_unknown_network_is_a_french_error(run: CliRunner) -> None:
    result = etl(run, "export", "--network", "inconnu")
    assert result.exit_code == 1
    assert "Le réseau « inconnu » n'existe pas." in result.stderr


def test_networks_are_added_and_listed(run: CliRunner) -> None:
    assert etl(run, "networks", "add", "onco-aura", "--name", "ONCO AURA").exit_code == 0
    assert "onco-aura\tONCO AURA" in etl(run, "networks", "list").stdout
    again = etl(run, "networks", "add", "onco-aura", "--name", "ONCO AURA")
    assert again.exit_code == 1 and "existe déjà" in again.stderr
    bad = etl(run, "networks", "add", "Onco AURA!", "--name", "x")
    assert bad.exit_code == 1 and "Identifiant de réseau invalide" in bad.stderr


def _manifest() -> list[tuple[str, str]]:
    path = DATA / "broken" / "MANIFEST.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines[1:] if line and not line.startswith("#")]
    return [(row[0], row[1]) for row in rows]


@pytest.mark.parametrize(("name", "fragment"), _manifest())
def test_a_broken_file_is_rejected_and_leaves_the_directory_untouched(
    run: CliRunner, tmp_path: Path, name: str, fragment: str
) -> None:
    etl(run, "import", directory(tmp_path, ROWS), "--network", "neon")
    before = export(run)
    result = etl(run, "import", DATA / "broken" / name, "--network", "neon")
    assert result.exit_code == 1
    assert fragment in result.stderr
    assert "rien n'a été publié" in result.stderr
    assert export(run) == before


def test_an_unreachable_database_is_a_french_message_not_a_traceback(tmp_path: Path) -> None:
    runner = CliRunner(env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    result = runner.invoke(main, ["import", str(directory(tmp_path, ROWS)), "--network", "neon"])
    assert result.exit_code == 1
    assert "la base de données a refusé l'opération" in result.stderr
    assert "Traceback" not in result.output


def test_the_journal_stays_quiet_unless_asked(
    settings: Settings, engine: object, tmp_path: Path
) -> None:
    # A real process: pytest's own logging set-up would hide what a user sees.
    def run_etl(*args: str) -> str:
        env = {**os.environ, "DATABASE_URL": settings.database_url}
        command = [sys.executable, "-m", "etl", *args]
        done = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stderr

    args = ("import", str(directory(tmp_path, ROWS)), "--network", "neon", "--dry-run")
    assert "INFO" not in run_etl(*args)
    assert "INFO geodata.contract.validation" in run_etl("-v", *args)
