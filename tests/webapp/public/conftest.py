"""The public pages' app: a fresh database with three active sites in two networks."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.config import Settings
from geodata.publishing.versions import publish
from geodata.storage.engine import session_factory
from geodata.storage.networks import ensure_network
from tests.helpers import site
from webapp import create_app

MARKUP_NAME = "<script>alert(1)</script> Équipe ${alert(2)}"


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Flask:
    """The app on a fresh database (the `engine` fixture empties it) with three active sites."""
    app = create_app({"database_url": settings.database_url, "TESTING": True})
    with session_factory(engine)() as session, session.begin():
        neon = ensure_network(session, "neon", "NEON")
        aura = ensure_network(session, "onco-aura", "ONCO AURA")
        publish(
            session,
            neon,
            [
                site(
                    "N-1",
                    nom=MARKUP_NAME,
                    telephone="03 88 00 00 00",
                    courriel="equipe@example.org",
                    zone=("88", "51108"),
                ),
                site("N-2", nom="Enfants de Strasbourg", publics=("enfants",)),
                site("N-OFF", nom="Fermée", actif=False),
            ],
        )
        publish(session, aura, [site("A-1", nom="Sein à Lyon", cancers=("sein",))])
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
