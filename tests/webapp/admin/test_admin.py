"""The web admin through Flask's test client, on both databases: rights, versions and restore,
downloads, the template, the journal and the embed snippet (uploads: test_imports.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.storage.engine import session_factory
from geodata.storage.models import AuditEntry
from geodata.storage.networks import get_network
from tests.helpers import (
    ADMIN,
    AURA_EDITOR,
    DEMO,
    NEON_EDITOR,
    actions,
    demo_rows,
    edited,
    idents,
    post,
    preview_of,
    sign_in,
    to_csv,
    upload,
)


def test_an_editor_sees_only_their_network(client: FlaskClient) -> None:
    html = client.get("/admin/").text
    assert 'href="/admin/neon"' in html and 'href="/admin/onco-aura"' not in html


@pytest.mark.parametrize(
    "path",
    ["/admin/onco-aura", "/admin/onco-aura/journal", "/admin/onco-aura/versions/1",
     "/admin/onco-aura/export.csv", "/admin/onco-aura/export.geojson"],
)  # fmt: skip
def test_an_editor_gets_a_french_403_on_another_networks_pages(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 403
    assert "Votre compte ne permet pas de modifier ce réseau." in response.text


def test_an_editor_cannot_act_on_another_network(client: FlaskClient, engine: Engine) -> None:
    assert upload(client, to_csv(demo_rows()), slug="onco-aura").status_code == 403
    assert post(client, "/admin/onco-aura/versions/1/restauration").status_code == 403
    other = client.application.test_client()
    sign_in(other, AURA_EDITOR)
    aura = (DEMO / "onco-aura.csv").read_bytes().replace(b"Lyon", b"Lyon (centre)", 1)
    location, _ = preview_of(other, aura, slug="onco-aura")
    assert client.get(location).status_code == 403
    assert post(client, location + "/publication").status_code == 403
    assert post(client, location + "/abandon").status_code == 403
    assert actions(engine, "onco-aura")[0] == "import_verifie"


def test_an_administrator_sees_and_edits_every_network(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, ADMIN)
    html = client.get("/admin/").text
    assert 'href="/admin/neon"' in html and 'href="/admin/onco-aura"' in html
    assert client.get("/admin/onco-aura").status_code == 200
    location, _ = preview_of(client, to_csv(edited()))
    assert post(client, location + "/publication").status_code == 302


def test_restoring_a_version_gives_back_exactly_its_export(
    client: FlaskClient, engine: Engine
) -> None:
    before = client.get("/admin/neon/export.csv").data
    location, _ = preview_of(client, to_csv(edited()))
    post(client, location + "/publication")
    assert client.get("/admin/neon/export.csv").data != before
    version = client.get("/admin/neon/versions/2").text
    assert idents(version, "diff-list--added") == ["NEON-NEUF-01"]
    assert "Restaurer la version" not in version
    response = post(client, "/admin/neon/versions/1/restauration", {"version_en_ligne": "2"})
    assert response.status_code == 302
    assert (
        "Version 1 restaurée : elle est en ligne comme version 3." in client.get("/admin/neon").text
    )
    assert client.get("/admin/neon/export.csv").data == before
    assert actions(engine, "neon")[0] == "restauration"


def test_a_huge_version_number_is_not_found_not_a_server_error(client: FlaskClient) -> None:
    huge = "/admin/neon/versions/99999999999999999999999"
    assert client.get(huge).status_code == 404
    assert post(client, f"{huge}/restauration").status_code == 404


def test_the_template_has_one_example_row_the_importer_accepts(client: FlaskClient) -> None:
    template = client.get("/admin/modele.csv")
    assert template.headers["Content-Disposition"] == 'attachment; filename="modele-annuaire.csv"'
    lines = template.data.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 2 and lines[0].startswith("identifiant;nom;")
    _, html = preview_of(client, template.data, "modele-annuaire.csv")
    assert "Aucun problème" in html
    assert idents(html, "diff-list--added") == ["RESEAU-STRAS-01"]
    help_text = client.get("/admin/modele-explications.txt").data.decode()
    assert (
        "activite_physique : " in help_text
        and "code_postal — Code postal (obligatoire)" in help_text
    )


def test_downloads_give_the_published_directory(client: FlaskClient) -> None:
    exported = client.get("/admin/neon/export.csv")
    assert exported.data.startswith("\ufeffidentifiant;".encode())
    assert exported.data.count(b"\r\n") == len(demo_rows()) + 1
    geojson: dict[str, Any] = json.loads(client.get("/admin/neon/export.geojson").data)
    assert len(geojson["features"]) == len(demo_rows())


def test_the_network_page_shows_the_embed_snippet_escaped(client: FlaskClient) -> None:
    html = client.get("/admin/neon").text
    assert "&lt;iframe src=&#34;http://localhost/embed?reseau=neon&#34;" in html
    assert "<iframe" not in html


def test_the_journal_lists_the_networks_actions(client: FlaskClient) -> None:
    location, _ = preview_of(client, to_csv(edited()))
    post(client, location + "/publication")
    html = client.get("/admin/neon/journal").text
    assert "Publication d&#39;une version" in html and "Fichier vérifié" in html
    assert NEON_EDITOR in html


def test_an_action_no_longer_recorded_still_shows_in_the_journal(
    client: FlaskClient, engine: Engine
) -> None:
    with session_factory(engine)() as session, session.begin():
        neon = get_network(session, "neon").id
        session.add(AuditEntry(actor=ADMIN, action="ancienne_action", network_id=neon))
    html = client.get("/admin/neon/journal").text
    assert '<td data-label="Action">ancienne_action</td>' in html
