"""The source panel of a network's admin page, against a real HTTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.config import Settings
from tests.helpers import AURA_EDITOR, NEON_EDITOR, admin_app, demo_rows, post, sign_in, to_csv
from tests.helpers.sources import SpreadsheetHost, serve_spreadsheet


@pytest.fixture
def host() -> Iterator[SpreadsheetHost]:
    with serve_spreadsheet() as served:
        yield served


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Flask:
    return admin_app(settings, tmp_path, sync_allow_private=("127.0.0.1/32",), sync_allow_http=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, NEON_EDITOR)
    return client


def test_an_editor_records_the_source_and_pulls_it_now(
    client: FlaskClient, host: SpreadsheetHost
) -> None:
    rows = demo_rows()
    rows[0]["nom"] = "Équipe lue depuis le tableur"
    host.body = to_csv(rows)
    recorded = post(client, "/admin/neon/source", {"source": f"{host.base}/neon.csv"})
    assert recorded.status_code == 302
    pulled = post(client, "/admin/neon/source/lecture")
    assert pulled.status_code == 302
    page = client.get("/admin/neon").get_data(as_text=True)
    assert "Publié : version 2" in page and f"{host.base}/neon.csv" in page
    assert "Version n° 2" in page
    public = client.get("/").get_data(as_text=True)
    assert "Équipe lue depuis le tableur" in public


def test_a_refused_source_opens_its_problems(client: FlaskClient, host: SpreadsheetHost) -> None:
    rows = demo_rows()
    rows[0]["code_postal"] = "6700"
    host.body = to_csv(rows)
    post(client, "/admin/neon/source", {"source": f"{host.base}/neon.csv"})
    pulled = post(client, "/admin/neon/source/lecture")
    assert "/admin/neon/imports/" in pulled.headers["Location"]
    journal = client.get("/admin/neon/journal").get_data(as_text=True)
    assert "Source lue" in journal and "6700" in journal


def test_a_source_that_is_not_a_web_address_is_refused_in_french(client: FlaskClient) -> None:
    response = post(client, "/admin/neon/source", {"source": "ftp://exemple.fr/neon.csv"})
    assert response.status_code == 400
    assert "https://" in response.get_data(as_text=True)


def test_an_editor_of_another_network_cannot_set_or_pull_its_source(app: Flask) -> None:
    other = app.test_client()
    sign_in(other, AURA_EDITOR)
    assert (
        post(other, "/admin/neon/source", {"source": "https://exemple.fr/x.csv"}).status_code == 403
    )
    assert post(other, "/admin/neon/source/lecture").status_code == 403
