"""The sync API publishes a file removing most of the sites only when asked to, and keeps
checked files for a bounded time and size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from geodata.publishing import pending as pending_imports
from geodata.storage.models import PendingImport, utcnow
from tests.helpers import DEMO, Sync, csv_of, row


def test_a_publication_removing_most_sites_is_refused_without_the_parameter(sync: Sync) -> None:
    sync.import_and_publish((DEMO / "neon.csv").read_bytes())
    before = sync.export()
    checked = sync.send(csv_of(row("GE-A"))).get_json()
    assert len(checked["suppressions"]) == 12
    refused = sync.publish(checked["id"])
    assert refused.status_code == 409
    body = refused.get_json()
    assert "Ce fichier retire 12 des 12 structures publiées" in body["erreur"]
    assert "?confirmer_suppressions=1" in body["erreur"]
    assert body["champ"] == "confirmer_suppressions"
    assert sync.export() == before
    assert [v["numero"] for v in sync.versions()] == [1]


def test_a_publication_removing_most_sites_is_published_with_the_parameter(sync: Sync) -> None:
    sync.import_and_publish((DEMO / "neon.csv").read_bytes())
    checked = sync.send(csv_of(row("GE-A"))).get_json()
    published = sync.publish(checked["id"], confirm=True)
    assert published.status_code == 201, published.get_json()
    assert published.get_json()["version"] == 2
    assert sync.export().decode("utf-8-sig").strip().split("\r\n")[1].startswith("GE-A;")


def test_an_import_prunes_the_files_checked_more_than_a_week_ago(sync: Sync) -> None:
    old = sync.send(csv_of(row("GE-A"))).get_json()["id"]
    recent = sync.send(csv_of(row("GE-B"))).get_json()["id"]
    with sync.sessions() as session, session.begin():
        for pending_id, days in ((old, 8), (recent, 6)):
            when = utcnow() - timedelta(days=days)
            statement = update(PendingImport).where(PendingImport.id == pending_id)
            session.execute(statement.values(created_at=when))
    new = sync.send(csv_of(row("GE-C"))).get_json()["id"]
    with sync.sessions() as session:
        assert set(session.scalars(select(PendingImport.id))) == {recent, new}
    assert sync.publish(old).status_code == 404


def test_an_import_too_large_to_keep_is_refused_with_413(
    sync: Sync, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pending_imports, "MAX_CHECK_BYTES", 1000)
    response = sync.send((DEMO / "neon.csv").read_bytes())
    assert response.status_code == 413
    assert "trop volumineuse pour être conservée" in response.get_json()["erreur"]
    with sync.sessions() as session:
        assert list(session.scalars(select(PendingImport.id))) == []
