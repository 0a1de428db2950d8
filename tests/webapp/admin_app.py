"""The app with the demo directory and three accounts, and a client that signs in with CSRF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from geodata.accounts.users import add_user
from geodata.config import Settings
from geodata.storage.engine import make_engine, session_factory
from tests.browser.conftest import load_demo
from webapp import create_app

PASSWORD = "une phrase assez longue"
NEON_EDITOR = "editrice@neon.example.org"
AURA_EDITOR = "editeur@aura.example.org"
ADMIN = "admin@example.org"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def admin_app(settings: Settings, folder: Path, **config: Any) -> Flask:
    """Return the app on the (emptied) database of `settings` with the demo and three accounts."""
    load_demo(settings.database_url)
    engine = make_engine(settings)
    with session_factory(engine)() as session, session.begin():
        add_user(session, NEON_EDITOR, PASSWORD, "neon")
        add_user(session, AURA_EDITOR, PASSWORD, "onco-aura")
        add_user(session, ADMIN, PASSWORD, None, admin=True)
    engine.dispose()
    overrides = {"database_url": settings.database_url, "instance_path": folder, "TESTING": True}
    return create_app(overrides | config)


def csrf_token(client: FlaskClient, path: str = "/connexion") -> str:
    """Return the CSRF token of the form on `path`."""
    found = TOKEN.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    data = {"courriel": email, "mot_de_passe": password, "csrf_token": csrf_token(client)}
    return client.post("/connexion", data=data)


def post(
    client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kw: Any
) -> TestResponse:
    """POST a form of the admin with the signed-in session's CSRF token."""
    fields = {"csrf_token": csrf_token(client, "/admin/")} | (data or {})
    return client.post(path, data=fields, **kw)
