"""The app on a database of each kind holding the demo directory, shared by the read-only
tests of this folder."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import database_url, load_demo
from webapp import create_app


@pytest.fixture(scope="package", params=["spatialite", "postgis"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app on a database of each kind holding the demo directory (read-only tests)."""
    folder = tmp_path_factory.mktemp("orienter")
    url = database_url(request.param, folder)
    load_demo(url)
    return create_app({"database_url": url, "instance_path": folder, "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
