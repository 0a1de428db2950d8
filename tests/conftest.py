"""Shared fixtures: every database test runs on SpatiaLite and on PostGIS.

PostGIS comes from `TEST_POSTGRES_URL`, which `make test` sets after starting a throwaway
cluster. Without it the PostGIS half is skipped locally, but fails when
`ANNUAIRE_REQUIRE_ALL_DATABASES=1` (set by `make test`, hence in CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from geodata.config import Settings
from geodata.storage.engine import create_schema, drop_schema, make_engine, session_factory

DATA = Path(__file__).parent / "data"


@pytest.fixture(params=["spatialite", "postgis"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings pointing at a fresh database of each kind."""
    if request.param == "spatialite":
        return Settings(
            database_url=f"sqlite:///{tmp_path / 'test.sqlite'}", instance_path=tmp_path
        )
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("ANNUAIRE_REQUIRE_ALL_DATABASES") == "1":
            pytest.fail("TEST_POSTGRES_URL is not set: PostGIS tests are required here")
        pytest.skip("TEST_POSTGRES_URL is not set (run `make test` to start PostGIS)")
    return Settings(database_url=url, instance_path=tmp_path)


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
