"""ANNUAIRE_TRUSTED_HOSTS: a forged Host never reaches an absolute URL (the embed snippet)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.config import Settings
from tests.helpers import NEON_EDITOR, admin_app, sign_in

HOST = "annuaire.example.org"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Flask:
    # The test client's default host, localhost, is trusted too, for the sign-in.
    return admin_app(settings, tmp_path, trusted_hosts=(HOST, "localhost"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, NEON_EDITOR)
    return client


def test_the_embed_snippet_names_the_trusted_host(client: FlaskClient) -> None:
    session = client.get_cookie("annuaire_session")
    assert session is not None
    client.set_cookie("annuaire_session", session.value, domain=HOST)
    page = client.get("/admin/neon", headers={"Host": HOST})
    assert page.status_code == 200
    assert f"http://{HOST}/embed?reseau=neon" in page.text


@pytest.mark.parametrize(
    "path", ["/admin/neon", "/", "/api/v1/structures.geojson", "/embed?reseau=neon"]
)
def test_a_forged_host_gets_a_french_400_and_is_never_reflected(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.text
    assert response.headers["Cache-Control"] == "no-store"
    if path.startswith("/api/"):
        assert response.get_json()["erreur"] == "La requête est mal formée."
    else:
        assert "La requête est mal formée." in response.text


def test_without_trusted_hosts_any_host_is_served(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    client = admin_app(settings, tmp_path).test_client()
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
