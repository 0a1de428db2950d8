"""The coverage page of the admin: who may see what, the figures, the errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.config import Settings
from tests.helpers import ADMIN, NEON_EDITOR, admin_app, sign_in

URL = "/admin/couverture/"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Flask:
    return admin_app(settings, tmp_path)


def client_of(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def test_visitors_are_sent_to_the_sign_in_page(app: Flask) -> None:
    response = app.test_client().get(URL)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_an_editor_sees_the_departments_of_their_network_with_their_sites(app: Flask) -> None:
    page = client_of(app, NEON_EDITOR).get(URL).get_data(as_text=True)
    assert "Départements du réseau (" in page and "Les sites de mon réseau" in page
    assert "Vosges (88)" in page and "pas des temps de trajet" in page
    assert "Toute la France" not in page and "Rhône (69)" not in page


def test_an_editor_cannot_study_another_area_or_network_by_editing_the_url(app: Flask) -> None:
    page = (
        client_of(app, NEON_EDITOR).get(f"{URL}?zone=d:69&reseau=onco-aura").get_data(as_text=True)
    )
    assert '<th scope="row">Rhône (69)</th>' not in page
    assert "csv" in page and "reseau=neon" in page


def test_an_administrator_may_study_any_region_with_every_network(app: Flask) -> None:
    page = (
        client_of(app, ADMIN)
        .get(f"{URL}?zone=r:84&reseau=tous&cancer=sein&age=54")
        .get_data(as_text=True)
    )
    assert "Toute la France" in page and '<th scope="row">Rhône (69)</th>' in page
    assert "reseau=" not in page.split('download="couverture.csv"')[0].rsplit("href=", 1)[-1]


def test_every_wrong_field_is_listed_with_a_link_to_it(app: Flask) -> None:
    response = client_of(app, NEON_EDITOR).get(f"{URL}?cancer=rate&age=deux&km=0")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("cancer", "age", "km"):
        assert f'href="#champ-{field}"' in page


def test_a_candidate_commune_is_counted_as_a_what_if(app: Flask) -> None:
    page = (
        client_of(app, NEON_EDITOR)
        .get(f"{URL}?candidat=88300 Neufchâteau&km=10")
        .get_data(as_text=True)
    )
    assert "Avec les sites candidats" in page
