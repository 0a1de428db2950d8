"""What a session shows is never stored by a cache: admin pages, downloads, sign-in, errors."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import post

SIGNED_IN_PATHS = [
    "/admin/",
    "/admin/neon",
    "/admin/neon/journal",
    "/admin/neon/export.csv",
    "/admin/neon/export.geojson",
    "/admin/modele.csv",
    "/admin/modele-explications.txt",
    "/compte/mot-de-passe",
]


@pytest.mark.parametrize("path", SIGNED_IN_PATHS)
def test_admin_pages_and_downloads_are_never_stored_by_a_cache(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_sign_in_page_and_an_admin_error_are_never_stored_by_a_cache(
    client: FlaskClient,
) -> None:
    assert client.get("/admin/onco-aura").status_code == 403
    assert client.get("/admin/onco-aura").headers["Cache-Control"] == "no-store"
    assert client.get("/admin/nulle-part/journal").headers["Cache-Control"] == "no-store"
    post(client, "/deconnexion")
    page = client.get("/connexion")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
