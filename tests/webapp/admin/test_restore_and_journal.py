"""Restoring a version behind a confirmation that shows its changes, the journal in plain French,
and an editor of one network landing on it; on both databases."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.accounts.audit import Action, record
from geodata.storage.engine import session_factory
from tests.helpers import ADMIN, actions, edited, idents, post, preview_of, section, sign_in, to_csv


def publish_edited(client: FlaskClient) -> str:
    location, _ = preview_of(client, to_csv(edited()))
    assert post(client, location + "/publication").status_code == 302
    return location


def test_the_version_page_asks_before_restoring(client: FlaskClient) -> None:
    publish_edited(client)
    html = client.get("/admin/neon/versions/1").text
    assert 'href="/admin/neon/versions/1/restauration"' in html
    assert 'action="/admin/neon/versions/1/restauration"' not in html


def test_the_confirmation_shows_what_restoring_changes_in_the_published_directory(
    client: FlaskClient,
) -> None:
    publish_edited(client)
    html = client.get("/admin/neon/versions/1/restauration").text
    changes = section(html, "differences-titre")
    assert "1 ajout, 1 modification, 1 suppression" in changes
    assert idents(changes, "diff-list--added") == ["NEON-SCHIL-01"]
    assert idents(changes, "diff-list--removed") == ["NEON-NEUF-01"]
    assert "Équipe renommée — Strasbourg" in changes
    decision = section(html, "decision-titre")
    assert 'name="version_en_ligne" value="2"' in decision
    assert "Confirmer la restauration de la version 1" in decision


def test_a_restore_without_the_confirmation_changes_nothing(
    client: FlaskClient, engine: Engine
) -> None:
    publish_edited(client)
    response = post(client, "/admin/neon/versions/1/restauration")
    assert response.status_code == 303
    assert response.location == "/admin/neon/versions/1/restauration"
    assert actions(engine, "neon")[0] == "publication"


def test_a_restore_confirmed_before_another_publication_shows_the_new_changes(
    client: FlaskClient, engine: Engine
) -> None:
    publish_edited(client)
    rows = edited()
    rows[0]["telephone"] = "03 53 01 07 77"
    location, _ = preview_of(client, to_csv(rows))
    post(client, location + "/publication")
    response = post(client, "/admin/neon/versions/1/restauration", {"version_en_ligne": "2"})
    assert response.status_code == 409
    assert "Une autre version (n° 3) a été publiée pendant que vous regardiez" in response.text
    assert 'name="version_en_ligne" value="3"' in response.text
    assert actions(engine, "neon")[0] == "publication"


def test_a_confirmed_restore_publishes_the_version_again(client: FlaskClient) -> None:
    before = client.get("/admin/neon/export.csv").data
    publish_edited(client)
    response = post(client, "/admin/neon/versions/1/restauration", {"version_en_ligne": "2"})
    assert response.status_code == 302 and response.location == "/admin/neon"
    assert (
        "Version 1 restaurée : elle est en ligne comme version 3." in client.get("/admin/neon").text
    )
    assert client.get("/admin/neon/export.csv").data == before


def test_restoring_the_published_content_says_it_would_change_nothing(client: FlaskClient) -> None:
    html = client.get("/admin/neon/versions/1/restauration").text
    assert "identique à l'annuaire en ligne : la restaurer ne changerait rien" in html
    assert "Confirmer la restauration" not in html


def test_another_networks_restore_confirmation_is_refused(client: FlaskClient) -> None:
    assert client.get("/admin/onco-aura/versions/1/restauration").status_code == 403


def test_the_journal_speaks_french_and_links_the_versions_it_names(
    client: FlaskClient,
) -> None:
    location = publish_edited(client)
    post(client, "/admin/neon/versions/1/restauration", {"version_en_ligne": "2"})
    html = section_of_journal(client)
    assert "version_restauree" not in html and not re.search(r"[0-9a-f]{32}</", html)
    assert (
        'Retour à la version <a href="/admin/neon/versions/1">n° 1</a>, remise en ligne comme '
        'version <a href="/admin/neon/versions/3">n° 3</a>.'
    ) in html
    assert (
        'Version <a href="/admin/neon/versions/2">n° 2</a> mise en ligne depuis le fichier '
        "« annuaire.csv » : 1 ajout, 1 modification, 1 suppression."
    ) in html
    assert f'<a href="{location}">voir la vérification</a>' in html


def section_of_journal(client: FlaskClient) -> str:
    html = client.get("/admin/neon/journal").text
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_the_journal_names_the_command_line_and_api_tokens_in_words(
    client: FlaskClient, engine: Engine
) -> None:
    with session_factory(engine)() as session, session.begin():
        details = {"fichier": "neon.csv", "version": None, "changements": ""}
        record(session, "ligne de commande", Action.PUBLICATION, "neon", details)
        record(session, "jeton:ann_AbCd", Action.IMPORT_ABANDONED, "neon", {"import": "0" * 32})
    html = section_of_journal(client)
    assert "Le fichier « neon.csv » était identique à l&#39;annuaire en ligne" in html
    assert (
        "jeton d&#39;API ann_AbCd" in html
        and "Un fichier a été abandonné sans être publié." in html
    )


def test_an_editor_of_one_network_lands_on_it(client: FlaskClient) -> None:
    html = client.get("/admin/").text
    assert "<h1>Annuaire NEON</h1>" in html and "Choisissez l'annuaire" not in html
    assert '<a href="/admin/neon">Mon réseau</a>' in html


def test_an_administrator_still_chooses_among_the_networks(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, ADMIN)
    html = client.get("/admin/").text
    assert "Choisissez l'annuaire à mettre à jour." in html
    assert '<a href="/admin/">Mes réseaux</a>' in html
