"""The admin on a database that refuses writes: a French 503 page, then work as before."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import DEMO, app_engine, read_only_database, upload


def test_an_upload_on_a_read_only_database_gives_a_french_503_page_then_works_once_writable(
    app: Flask, client: FlaskClient
) -> None:
    data = (DEMO / "neon.csv").read_bytes()
    with read_only_database(app_engine(app)):
        refused = upload(client, data)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"].isdigit()
    assert "La base de données est momentanément indisponible" in refused.text
    assert upload(client, data).status_code == 302
