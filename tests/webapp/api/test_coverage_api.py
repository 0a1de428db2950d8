"""`GET /api/v1/couverture` with the demo directory, on both databases."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import demo_app

URL = "/api/v1/couverture"


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return demo_app(request.param, tmp_path_factory.mktemp("couverture"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_figures_of_a_department_add_up_and_say_how_they_are_measured(
    client: FlaskClient,
) -> None:
    body = client.get(f"{URL}?cancer=sein&age=54&departement=88&km=20").get_json()
    total = body["total"]
    assert total["a_moins"] + total["au_dela"] + total["sans_site"] == total["population"] > 0
    assert [d["code"] for d in body["departements"]] == ["88"]
    assert "vol d'oiseau" in body["notice"] and body["sites_eligibles"] > 0


def test_every_bad_parameter_is_reported_at_once(client: FlaskClient) -> None:
    response = client.get(f"{URL}?cancer=rate&age=deux&departement=99&km=-3")
    assert response.status_code == 400
    fields = [error["champ"] for error in response.get_json()["erreurs"]]
    assert fields == ["cancer", "age", "departement", "km"]


def test_a_candidate_site_brings_people_within_reach(client: FlaskClient) -> None:
    query = "cancer=sein&age=54&departement=88&km=10"
    without = client.get(f"{URL}?{query}").get_json()
    body = client.get(f"{URL}?{query}&candidat=88300 Neufchâteau").get_json()
    assert body["sans_candidats"]["total"] == without["total"]
    assert body["total"]["a_moins"] > without["total"]["a_moins"]
    assert body["communes_gagnees_par_les_candidats"] > 0


def test_the_csv_lists_every_commune_of_the_area(client: FlaskClient) -> None:
    text = client.get(f"{URL}?cancer=sein&age=54&departement=88&format=csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) > 400 and {row["departement"] for row in rows} == {"88"}
