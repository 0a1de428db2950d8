"""Shared fixtures: every database test runs on SpatiaLite and on PostGIS.

PostGIS comes from `TEST_POSTGRES_URL`, which `make test` sets after starting a throwaway
cluster. Without it the PostGIS half is skipped locally, but fails when
`ANNUAIRE_REQUIRE_ALL_DATABASES=1` (set by `make test`, hence in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from geodata.config import Settings
from geodata.storage.engine import create_schema, drop_schema, make_engine, session_factory
from tests.helpers import postgis_url


@pytest.fixture(params=["spatialite", "postgis"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings pointing at a fresh database of each kind."""
    if request.param == "spatialite":
        return Settings(
            database_url=f"sqlite:///{tmp_path / 'test.sqlite'}", instance_path=tmp_path
        )
    return Settings(database_url=postgis_url(), instance_path=tmp_path)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    drop_schema(engine)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session
