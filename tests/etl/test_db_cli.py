"""The commands `db upgrade` and `db current`, and the other commands refusing a database whose
schema is behind the code, on SpatiaLite and PostGIS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from geodata.config import Settings
from geodata.storage.engine import drop_schema, make_engine
from geodata.storage.schema import BASELINE, head_revision
from tests.helpers import create_tables_the_old_way, etl

pytestmark = pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified")


@pytest.fixture
def run(settings: Settings) -> Iterator[CliRunner]:
    """A runner on a database holding none of our tables."""
    engine = make_engine(settings)
    drop_schema(engine)
    engine.dispose()
    yield CliRunner(env={"DATABASE_URL": settings.database_url})


def test_upgrade_creates_the_schema_then_does_nothing_the_second_time(run: CliRunner) -> None:
    first = etl(run, "db", "upgrade")
    assert first.exit_code == 0, first.output
    assert f"Base vide : schéma créé (version {head_revision()})." in first.stdout
    again = etl(run, "db", "upgrade")
    assert again.exit_code == 0, again.output
    assert "déjà à jour" in again.stdout
    assert etl(run, "networks", "add", "neon", "--name", "NEON").exit_code == 0


def test_current_tells_the_revision_and_whether_it_is_up_to_date(run: CliRunner) -> None:
    assert "Base vide, sans version" in etl(run, "db", "current").stdout
    etl(run, "db", "upgrade")
    result = etl(run, "db", "current")
    assert result.exit_code == 0
    assert result.stdout == f"Version de la base : {head_revision()} (à jour).\n"


def test_other_commands_refuse_an_empty_database_naming_the_upgrade_command(
    run: CliRunner,
) -> None:
    result = etl(run, "networks", "list")
    assert result.exit_code == 1
    assert "vide" in result.stderr
    assert "« python -m etl db upgrade »" in result.stderr


def test_a_database_created_before_the_migrations_is_recognised_then_upgraded(
    run: CliRunner, settings: Settings
) -> None:
    engine = make_engine(settings)
    create_tables_the_old_way(engine)
    engine.dispose()
    assert "antérieure aux migrations" in etl(run, "db", "current").stdout
    refused = etl(run, "networks", "list")
    assert refused.exit_code == 1
    assert "pas à jour" in refused.stderr
    result = etl(run, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert f"reconnue comme version {BASELINE}" in result.stdout
    assert etl(run, "networks", "list").exit_code == 0
