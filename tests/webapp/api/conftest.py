"""The sync API's app on an empty database with two networks and a token each (`sync`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from geodata.accounts.tokens import create_token
from geodata.config import Settings
from geodata.storage.networks import ensure_network
from tests.helpers import Sync, app_engine
from webapp import create_app


@pytest.fixture
def sync(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[Sync]:
    with sessions() as session, session.begin():
        ensure_network(session, "neon", "NEON")
        ensure_network(session, "onco-aura", "ONCO AURA")
        token = create_token(session, "neon")
        other = create_token(session, "onco-aura")
    config = {"database_url": settings.database_url, "instance_path": settings.instance_path}
    app = create_app(config | {"TESTING": True, "max_upload_mb": 1})
    yield Sync(app, app.test_client(), token, other, sessions)
    app_engine(app).dispose()
