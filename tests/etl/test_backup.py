"""`python -m etl backup FILE`: a consistent copy of the SQLite database, never overwriting."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from geodata.config import Settings
from geodata.publishing.versions import published_records
from geodata.storage.engine import make_engine, session_factory
from geodata.storage.networks import get_network
from tests.helpers import etl, load_demo, postgis_url


def neon_ids(database_url: str) -> list[str]:
    engine = make_engine(Settings(database_url=database_url))
    with session_factory(engine)() as session:
        ids = [r.identifiant for r in published_records(session, get_network(session, "neon"))]
    engine.dispose()
    return ids


def test_a_backup_holds_the_published_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'annuaire.sqlite'}"
    load_demo(url)
    runner = CliRunner(env={"DATABASE_URL": url})
    result = etl(runner, "backup", tmp_path / "copie.sqlite")
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.stdout
    assert neon_ids(f"sqlite:///{tmp_path / 'copie.sqlite'}") == neon_ids(url) != []


def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'annuaire.sqlite'}"
    load_demo(url)
    kept = tmp_path / "copie.sqlite"
    kept.write_bytes(b"une autre sauvegarde")
    result = etl(CliRunner(env={"DATABASE_URL": url}), "backup", kept)
    assert result.exit_code == 1
    assert "existe déjà" in result.output
    assert kept.read_bytes() == b"une autre sauvegarde"


def test_on_postgresql_the_backup_command_points_at_pg_dump(tmp_path: Path) -> None:
    result = etl(CliRunner(env={"DATABASE_URL": postgis_url()}), "backup", tmp_path / "x")
    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert not (tmp_path / "x").exists()
