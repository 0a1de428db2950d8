"""The admin asks before a file removes most of a network's sites, and keeps checked files for
a bounded time and size."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update

from geodata.config import Settings
from geodata.publishing import pending as pending_imports
from geodata.storage.engine import session_factory
from geodata.storage.models import PendingImport, utcnow
from tests.helpers import (
    NEON_EDITOR,
    actions,
    admin_app,
    demo_rows,
    edited,
    post,
    preview_of,
    section,
    sign_in,
    to_csv,
    upload,
)

CONFIRM = "confirmer_suppressions"


def shortened() -> bytes:
    """The demo of NEON cut to its first 5 sites: 7 of its 12 sites removed."""
    return to_csv(demo_rows()[:5])


def test_the_preview_warns_that_the_file_removes_most_sites_and_asks_to_confirm(
    client: FlaskClient,
) -> None:
    _, html = preview_of(client, shortened())
    decision = section(html, "decision-titre")
    assert "Ce fichier retire 7 des 12 structures publiées" in decision
    assert f'type="checkbox" id="{CONFIRM}" name="{CONFIRM}" value="1" required' in decision


def test_the_preview_of_a_file_removing_few_sites_asks_nothing(client: FlaskClient) -> None:
    _, html = preview_of(client, to_csv(edited()))
    assert "structures publiées" not in html
    assert CONFIRM not in html


def test_publishing_without_the_confirmation_is_refused_in_french(
    client: FlaskClient, engine: Engine
) -> None:
    location, _ = preview_of(client, shortened())
    response = post(client, location + "/publication")
    assert response.status_code == 409
    assert "Ce fichier retire 7 des 12 structures publiées" in response.text
    assert "Cochez la case qui confirme ces suppressions" in response.text
    assert "Version publiée : <strong>n° 1</strong>" in client.get("/admin/neon").text
    assert actions(engine, "neon")[0] == "import_verifie"


def test_publishing_with_the_confirmation_removes_the_sites(client: FlaskClient) -> None:
    location, _ = preview_of(client, shortened())
    response = post(client, location + "/publication", {CONFIRM: "1"})
    assert response.status_code == 302
    assert "Version publiée : <strong>n° 2</strong>" in client.get("/admin/neon").text


def test_an_upload_prunes_the_files_checked_before_the_setting(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    client = admin_app(settings, tmp_path, pending_days=2).test_client()
    sign_in(client, NEON_EDITOR)
    old, _ = preview_of(client, to_csv(edited()))
    with session_factory(engine)() as session, session.begin():
        when = utcnow() - timedelta(days=3)
        session.execute(update(PendingImport).values(created_at=when))
    new, _ = preview_of(client, shortened())
    with session_factory(engine)() as session:
        assert list(session.scalars(select(PendingImport.id))) == [new.rsplit("/", 1)[1]]
    assert client.get(old).status_code == 404


def test_a_check_too_large_to_keep_is_refused_in_french(
    client: FlaskClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pending_imports, "MAX_CHECK_BYTES", 1000)
    response = upload(client, to_csv(edited()))
    assert response.status_code == 413
    assert "trop volumineuse pour être conservée" in response.text
    with session_factory(engine)() as session:
        assert list(session.scalars(select(PendingImport.id))) == []
