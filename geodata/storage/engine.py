"""Database engines for SpatiaLite (embedded default) and PostGIS."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geoalchemy2.admin.dialects.sqlite import init_spatialite
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from geodata.config import Settings
from geodata.errors import ConfigurationError

# Schema creation lives in `schema` (Alembic); tests, benchmarks and older callers import it here.
from geodata.storage.schema import create_schema as create_schema
from geodata.storage.schema import drop_schema as drop_schema


def _spatialite_loader(library: str) -> Any:
    def load(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.enable_load_extension(True)
        dbapi_conn.load_extension(library)
        dbapi_conn.enable_load_extension(False)
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        init_spatialite(dbapi_conn, init_mode="WGS84")

    return load


def make_engine(settings: Settings) -> Engine:
    """Create the engine selected by `settings.database_url`.

    SQL parameters are hidden from logs and error messages: they may hold a patient's position
    or cancer during an orientation search.

    Raises:
        ConfigurationError: the URL is unreadable, or neither SQLite (SpatiaLite) nor
            PostgreSQL (PostGIS).
    """
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        raise _unsupported(settings.database_url.split(":", 1)[0]) from None
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _spatialite_loader(settings.spatialite_library))
        return engine
    if url.get_backend_name() == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        # No pre-ping: on psycopg it costs three round trips (BEGIN, SELECT 1, ROLLBACK) per
        # checkout, as many as a search itself. A connection the server dropped fails one
        # request, and SQLAlchemy then discards the whole pool; recycling bounds how long a
        # connection may idle behind a firewall or an `idle_session_timeout`.
        return create_engine(url, pool_recycle=1800, hide_parameters=True)
    raise _unsupported(url.render_as_string(hide_password=True))


def _unsupported(shown: str) -> ConfigurationError:
    return ConfigurationError(
        "DATABASE_URL doit désigner SQLite (sqlite:///...) ou PostgreSQL (postgresql://...).",
        setting="database_url",
        url=shown,
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session whose work is committed at the end, or rolled back on any error."""
    with factory() as session, session.begin():
        yield session
