"""Sign-in, sign-out, password change, CSRF and rate limiting, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.accounts import audit
from geodata.config import Settings
from geodata.storage.engine import session_factory
from tests.helpers import (
    ADMIN,
    NEON_EDITOR,
    PASSWORD,
    admin_app,
    csrf_token,
    post,
    sign_in,
)


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Flask:
    return admin_app(settings, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _actions(engine: Engine) -> list[tuple[str, str]]:
    with session_factory(engine)() as session:
        return [(e.actor, e.action) for e in audit.entries(session)]


def test_admin_pages_send_visitors_to_the_sign_in_page_and_back(client: FlaskClient) -> None:
    response = client.get("/admin/neon")
    assert response.status_code == 302
    assert response.location == "/connexion?suivant=/admin/neon"
    token = csrf_token(client, response.location)
    data = {"courriel": NEON_EDITOR, "mot_de_passe": PASSWORD, "csrf_token": token}
    back = client.post("/connexion", data=data | {"suivant": "/admin/neon"})
    assert back.status_code == 302 and back.location == "/admin/neon"
    assert "Annuaire NEON" in client.get("/admin/neon").text


def test_sign_in_is_recorded_in_the_audit_log(client: FlaskClient, engine: Engine) -> None:
    response = sign_in(client, NEON_EDITOR.upper())
    assert response.status_code == 302 and response.location == "/admin/"
    assert (NEON_EDITOR, "connexion") in _actions(engine)


def test_a_wrong_password_is_refused_in_french_and_recorded(
    client: FlaskClient, engine: Engine
) -> None:
    response = sign_in(client, NEON_EDITOR, "pas le bon mot de passe")
    assert response.status_code == 401
    assert "Adresse électronique ou mot de passe incorrect." in response.text
    assert (NEON_EDITOR, "connexion_refusee") in _actions(engine)
    assert client.get("/admin/").status_code == 302


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(client: FlaskClient) -> None:
    response = sign_in(client, "personne@example.org")
    assert response.status_code == 401
    assert "Adresse électronique ou mot de passe incorrect." in response.text


def test_a_form_posted_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    data = {"courriel": NEON_EDITOR, "mot_de_passe": PASSWORD}
    refused = client.post("/connexion", data=data)
    assert refused.status_code == 400
    assert "Ce formulaire a expiré ou ne vient pas de ce site" in refused.text
    sign_in(client, NEON_EDITOR)
    assert client.post("/admin/neon/versions/1/restauration").status_code == 400
    assert client.post("/deconnexion").status_code == 400


def test_the_sixth_sign_in_attempt_in_a_minute_gets_a_french_429(client: FlaskClient) -> None:
    for _ in range(5):
        assert sign_in(client, NEON_EDITOR, "mauvais mot de passe").status_code == 401
    response = sign_in(client, NEON_EDITOR)
    assert response.status_code == 429
    assert "Trop de tentatives de connexion : attendez une minute" in response.text
    assert response.headers["Content-Type"].startswith("text/html")


def test_sign_in_starts_a_new_session(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, NEON_EDITOR)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert isinstance(session["compte"], int)


def test_sign_in_never_sends_to_another_site(client: FlaskClient) -> None:
    hostile = ("//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example")
    # Five targets: the sixth sign-in within a minute would meet the rate limit.
    for target in (*hostile, "/\n/evil.example"):
        data = {"courriel": NEON_EDITOR, "mot_de_passe": PASSWORD}
        data |= {"csrf_token": csrf_token(client), "suivant": target}
        response = client.post("/connexion", data=data)
        assert response.location == "/admin/"
        post(client, "/deconnexion")


def test_the_session_cookie_is_httponly_and_samesite(client: FlaskClient) -> None:
    response = sign_in(client, NEON_EDITOR)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("annuaire_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_out_ends_the_session(client: FlaskClient) -> None:
    sign_in(client, ADMIN)
    assert client.get("/admin/").status_code == 200
    response = post(client, "/deconnexion")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_a_password_change_needs_the_current_one_and_is_recorded(
    client: FlaskClient, engine: Engine
) -> None:
    sign_in(client, NEON_EDITOR)
    new = "une autre phrase encore plus longue"
    wrong = {"actuel": "pas le bon", "nouveau": new, "confirmation": new}
    response = post(client, "/compte/mot-de-passe", wrong)
    assert response.status_code == 400
    assert "Le mot de passe actuel est incorrect." in response.text
    mismatch = {"actuel": PASSWORD, "nouveau": new, "confirmation": new + "!"}
    assert "différentes" in post(client, "/compte/mot-de-passe", mismatch).text
    short = {"actuel": PASSWORD, "nouveau": "court", "confirmation": "court"}
    assert post(client, "/compte/mot-de-passe", short).status_code == 400
    good = {"actuel": PASSWORD, "nouveau": new, "confirmation": new}
    assert post(client, "/compte/mot-de-passe", good).status_code == 302
    assert (NEON_EDITOR, "mot_de_passe") in _actions(engine)
    post(client, "/deconnexion")
    assert sign_in(client, NEON_EDITOR).status_code == 401
    assert sign_in(client, NEON_EDITOR, new).status_code == 302


def test_the_password_page_needs_a_signed_in_account(client: FlaskClient) -> None:
    assert client.get("/compte/mot-de-passe").status_code == 302


def test_a_signed_in_visit_of_the_sign_in_page_never_redirects_to_another_site(
    client: FlaskClient,
) -> None:
    sign_in(client, NEON_EDITOR)
    response = client.get("/connexion?suivant=/%09/evil.example")
    assert response.location in ("/admin/", None)
