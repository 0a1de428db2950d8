"""`GET /api/v1/reseaux/<slug>/data-inclusion.json` on the demo directory, on both databases."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from data_inclusion.schema.v1 import Service, Structure  # type: ignore[import-untyped]
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from geodata.publishing.datainclusion import network_data_inclusion
from geodata.storage.networks import get_network
from tests.helpers import DEMO, demo_app

URL = "/api/v1/reseaux/{}/data-inclusion.json"


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return demo_app(request.param, tmp_path_factory.mktemp("data-inclusion"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def served(client: FlaskClient, slug: str = "neon") -> dict[str, list[dict[str, Any]]]:
    response = client.get(URL.format(slug))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body: dict[str, list[dict[str, Any]]] = response.get_json()
    return body


def active_demo_sites(slug: str) -> list[dict[str, str]]:
    with (DEMO / f"{slug}.csv").open(encoding="utf-8") as demo:
        return [row for row in csv.DictReader(demo, delimiter=";") if row["actif"] != "non"]


@pytest.mark.parametrize("slug", ["neon", "onco-aura"])
def test_every_active_demo_site_is_served_as_a_valid_data_inclusion_service(
    client: FlaskClient, slug: str
) -> None:
    body = served(client, slug)
    for record in body["structures"]:
        Structure.model_validate(record, context={"ignore_warnings": False})
    for record in body["services"]:
        Service.model_validate(record, context={"ignore_warnings": False})
    sites = active_demo_sites(slug)
    assert len(body["services"]) == len(sites)
    carriers = {row["structure_porteuse"] for row in sites if row["structure_porteuse"]}
    alone = [row for row in sites if not row["structure_porteuse"]]
    assert len(body["structures"]) == len(carriers) + len(alone)


def test_links_lead_to_the_site_on_the_public_map_at_the_request_s_address(
    client: FlaskClient,
) -> None:
    service = served(client)["services"][0]
    link = service["lien_source"]
    assert link.startswith("http://localhost/?reseau=neon#site-neon--")
    path, anchor = link.removeprefix("http://localhost").split("#")
    assert f'id="{anchor}"' in client.get(path).get_data(as_text=True)


def test_the_api_serves_what_the_command_line_exports(app: Flask, client: FlaskClient) -> None:
    sessions: sessionmaker[Session] = app.extensions["db_sessions"]
    with sessions() as session:
        network = get_network(session, "neon")
        assert served(client) == network_data_inclusion(session, network, "http://localhost/")


def test_an_unknown_network_is_a_404_in_french(client: FlaskClient) -> None:
    response = client.get(URL.format("inconnu"))
    assert response.status_code == 404
    assert "inconnu" in response.get_json()["erreur"]
