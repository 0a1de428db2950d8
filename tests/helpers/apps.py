"""Databases and apps for tests: PostGIS or a skip, the demo directory, apps with accounts,
signing in with CSRF."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command as alembic_command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.test import TestResponse

from geodata.accounts.users import add_user
from geodata.config import Settings
from geodata.geocoding.local import LocalGeocoder
from geodata.publishing.importing import check_file, publish_check
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.engine import create_schema, drop_schema, make_engine, session_factory
from geodata.storage.networks import ensure_network
from geodata.storage.schema import BASELINE, VERSION_TABLE, alembic_config
from tests.helpers.domain import DEMO
from webapp import create_app


def _service_url(variable: str, service: str) -> str:
    """Return the URL `make test` put in `variable`; without it skip the test, or fail it
    where every service is required (ANNUAIRE_REQUIRE_ALL_DATABASES=1, as in CI)."""
    url = os.environ.get(variable)
    if not url:
        if os.environ.get("ANNUAIRE_REQUIRE_ALL_DATABASES") == "1":
            pytest.fail(f"{variable} is not set: {service} tests are required here")
        pytest.skip(f"{variable} is not set (run `make test` to start {service})")
    return url


def postgis_url() -> str:
    """Return the throwaway PostGIS database of the test run (`TEST_POSTGRES_URL`)."""
    return _service_url("TEST_POSTGRES_URL", "PostGIS")


def redis_url() -> str:
    """Return the throwaway Redis server of the test run (`TEST_REDIS_URL`)."""
    return _service_url("TEST_REDIS_URL", "Redis")


def load_demo(database_url: str) -> None:
    """Publish the demo directory of both networks into `database_url`."""
    engine = make_engine(Settings(database_url=database_url))
    create_schema(engine)
    gazetteer = get_gazetteer()
    with session_factory(engine)() as session, session.begin():
        for slug in ("neon", "onco-aura"):
            network = ensure_network(session, slug, slug.upper())
            data = (DEMO / f"{slug}.csv").read_bytes()
            check = check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))
            assert check.ok, check.errors
            publish_check(session, network, check)
    engine.dispose()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` with a real threaded HTTP server on a free loopback port; yield its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@contextmanager
def serving_demo_with_editor(
    folder: Path, email: str, password: str, network: str, **config: Any
) -> Iterator[str]:
    """Serve the demo directory with one editor of `network` (a SQLite file in `folder`);
    yield the base URL. `config` overrides settings (e.g. a looser sign-in limit)."""
    url = f"sqlite:///{folder / 'demo-editor.sqlite'}"
    load_demo(url)
    engine = make_engine(Settings(database_url=url))
    with session_factory(engine)() as session, session.begin():
        add_user(session, email, password, network)
    engine.dispose()
    with serving(create_app({"database_url": url, "instance_path": folder} | config)) as base:
        yield base


def schema_ready_url(folder: Path) -> str:
    """Return a SpatiaLite URL in `folder` whose schema is created (the app refuses none)."""
    url = f"sqlite:///{folder / 'ready.sqlite'}"
    engine = make_engine(Settings(database_url=url))
    create_schema(engine)
    engine.dispose()
    return url


def create_tables_the_old_way(engine: Engine) -> None:
    """Create the schema as versions before the migrations did: the baseline's tables (what
    `create_all` made then), and no revision recorded."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        alembic_command.upgrade(alembic_config(connection), BASELINE)
        connection.execute(text(f"DROP TABLE {VERSION_TABLE}"))


def database_url(kind: str, folder: Path) -> str:
    """Return a fresh (emptied) database URL of `kind`, skipping PostGIS like tests/conftest."""
    if kind == "spatialite":
        return f"sqlite:///{folder / 'demo.sqlite'}"
    url = postgis_url()
    engine = make_engine(Settings(database_url=url))
    drop_schema(engine)
    engine.dispose()
    return url


def demo_app(kind: str, folder: Path) -> Flask:
    """Return the app in testing mode on a database of `kind` holding the demo directory."""
    url = database_url(kind, folder)
    load_demo(url)
    return create_app({"database_url": url, "instance_path": folder, "TESTING": True})


PASSWORD = "une phrase assez longue"
NEON_EDITOR = "editrice@neon.example.org"
AURA_EDITOR = "editeur@aura.example.org"
ADMIN = "admin@example.org"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def admin_app(settings: Settings, folder: Path, **config: Any) -> Flask:
    """Return the app on the (emptied) database of `settings` with the demo and three accounts."""
    load_demo(settings.database_url)
    engine = make_engine(settings)
    with session_factory(engine)() as session, session.begin():
        add_user(session, NEON_EDITOR, PASSWORD, "neon")
        add_user(session, AURA_EDITOR, PASSWORD, "onco-aura")
        add_user(session, ADMIN, PASSWORD, None, admin=True)
    engine.dispose()
    overrides = {"database_url": settings.database_url, "instance_path": folder, "TESTING": True}
    return create_app(overrides | config)


def csrf_token(client: FlaskClient, path: str = "/connexion") -> str:
    """Return the CSRF token of the form on `path`."""
    found = TOKEN.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    data = {"courriel": email, "mot_de_passe": password, "csrf_token": csrf_token(client)}
    return client.post("/connexion", data=data)


def post(
    client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kw: Any
) -> TestResponse:
    """POST a form of the admin with the signed-in session's CSRF token."""
    fields = {"csrf_token": csrf_token(client, "/admin/")} | (data or {})
    return client.post(path, data=fields, **kw)
