"""The app with the demo directory on a fresh database of each kind, for web tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask

from geodata.config import Settings
from geodata.storage.engine import drop_schema, make_engine
from tests.browser.conftest import load_demo
from webapp import create_app


def database_url(kind: str, folder: Path) -> str:
    """Return a fresh (emptied) database URL of `kind`, skipping PostGIS like tests/conftest."""
    if kind == "spatialite":
        return f"sqlite:///{folder / 'demo.sqlite'}"
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("ANNUAIRE_REQUIRE_ALL_DATABASES") == "1":
            pytest.fail("TEST_POSTGRES_URL is not set: PostGIS tests are required here")
        pytest.skip("TEST_POSTGRES_URL is not set (run `make test` to start PostGIS)")
    engine = make_engine(Settings(database_url=url))
    drop_schema(engine)
    engine.dispose()
    return url


def demo_app(kind: str, folder: Path) -> Flask:
    """Return the app in testing mode on a database of `kind` holding the demo directory."""
    url = database_url(kind, folder)
    load_demo(url)
    return create_app({"database_url": url, "instance_path": folder, "TESTING": True})
