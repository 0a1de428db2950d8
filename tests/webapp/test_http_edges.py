"""HTTP answers at the edges: 405 with Allow, a database that refuses for now (503)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.helpers import demo_app
from webapp.errors import database_unavailable


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return demo_app("spatialite", tmp_path_factory.mktemp("edges"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _routes(app: Flask) -> list[tuple[str, frozenset[str]]]:
    """Return each route without variables, with the methods it accepts."""
    return [
        (rule.rule, frozenset(rule.methods or ()))
        for rule in app.url_map.iter_rules()
        if not rule.arguments
    ]


def test_a_wrong_method_on_every_route_is_a_405_naming_the_allowed_methods(
    app: Flask, client: FlaskClient
) -> None:
    routes = _routes(app)
    assert len(routes) > 10
    for path, methods in routes:
        wrong = "PUT" if "PUT" not in methods else "PATCH"
        response = client.open(path, method=wrong)
        assert response.status_code == 405, path
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
        assert methods <= allowed, path
        if path.startswith("/api/"):
            assert response.get_json()["erreur"] == "Cette méthode n'est pas acceptée ici."
        else:
            assert "Cette méthode n&#39;est pas acceptée ici." in response.text, path


def _sqlite_error(tmp_path: Path, statement: str, *, locked: bool = False) -> DBAPIError:
    engine = create_engine(f"sqlite:///{tmp_path / 'a.sqlite'}", connect_args={"timeout": 0})
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
    holder = sqlite3.connect(tmp_path / "a.sqlite")
    if locked:
        holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DBAPIError) as raised, engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        holder.close()
        engine.dispose()
    return raised.value


def test_a_locked_sqlite_database_or_a_refused_connection_is_unavailable_not_a_bug(
    tmp_path: Path,
) -> None:
    assert database_unavailable(_sqlite_error(tmp_path, "INSERT INTO t VALUES (1)", locked=True))
    refused = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(DBAPIError) as raised:
        refused.connect()
    assert database_unavailable(raised.value)
    assert not database_unavailable(_sqlite_error(tmp_path, "SELECT * FROM missing"))


@pytest.mark.parametrize("path", ["/", "/embed", "/api/v1/structures.geojson"])
def test_public_pages_keep_their_caching(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
