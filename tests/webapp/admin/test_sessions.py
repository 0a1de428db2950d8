"""Sessions that end: sign-out and a password change end them everywhere, a stolen cookie
stops working, a session has an absolute lifetime, a disabled account is signed out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.accounts.users import set_disabled
from geodata.config import Settings
from geodata.storage.engine import session_factory
from tests.helpers import NEON_EDITOR, PASSWORD, admin_app, post, sign_in
from webapp.admin.auth import ABSOLUTE_LIFETIME_S

COOKIE = "annuaire_session"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Flask:
    return admin_app(settings, tmp_path)


def signed_in(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, NEON_EDITOR).status_code == 302
    assert client.get("/admin/neon").status_code == 200
    return client


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/admin/neon").status_code == 200


def test_a_cookie_copied_before_sign_out_no_longer_opens_the_admin(app: Flask) -> None:
    browser = signed_in(app)
    cookie = browser.get_cookie(COOKIE)
    assert cookie is not None
    post(browser, "/deconnexion")
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    assert not is_signed_in(thief)


def test_signing_out_ends_the_accounts_sessions_in_every_browser(app: Flask) -> None:
    office, home = signed_in(app), signed_in(app)
    post(home, "/deconnexion")
    assert not is_signed_in(office)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app: Flask) -> None:
    office, home = signed_in(app), signed_in(app)
    new = "une autre phrase encore plus longue"
    form = {"actuel": PASSWORD, "nouveau": new, "confirmation": new}
    assert post(home, "/compte/mot-de-passe", form).status_code == 302
    assert is_signed_in(home)
    assert not is_signed_in(office)


def test_a_session_ends_its_absolute_lifetime_after_sign_in_however_busy(app: Flask) -> None:
    browser = signed_in(app)
    with browser.session_transaction() as session:
        session["depuis"] = int(time.time()) - ABSOLUTE_LIFETIME_S + 60
    assert is_signed_in(browser)
    with browser.session_transaction() as session:
        session["depuis"] = int(time.time()) - ABSOLUTE_LIFETIME_S - 1
    assert not is_signed_in(browser)


def test_a_session_from_before_versions_existed_is_ended(app: Flask) -> None:
    browser = signed_in(app)
    with browser.session_transaction() as session:
        account_id = session["compte"]
        session.clear()
        session["compte"] = account_id  # what the cookie held before this release
    assert not is_signed_in(browser)


def test_a_disabled_account_is_signed_out_and_cannot_sign_in_until_enabled(
    app: Flask, engine: Engine
) -> None:
    browser = signed_in(app)
    with session_factory(engine)() as session, session.begin():
        set_disabled(session, NEON_EDITOR, True)
    assert not is_signed_in(browser)
    assert sign_in(browser, NEON_EDITOR).status_code == 401
    with session_factory(engine)() as session, session.begin():
        set_disabled(session, NEON_EDITOR, False)
    assert sign_in(browser, NEON_EDITOR).status_code == 302
