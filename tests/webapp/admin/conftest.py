"""The admin app on each database with the demo and three accounts; a signed-in editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.config import Settings
from tests.helpers import NEON_EDITOR, admin_app, sign_in


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Flask:
    return admin_app(settings, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, NEON_EDITOR)
    return client
