"""The sync API: imports checked then published, versions, restore, audit, public export
(refusals: test_sync_refusals.py)."""

from __future__ import annotations

import io
import threading
from datetime import datetime
from typing import Any

from sqlalchemy import event

from geodata.accounts.audit import entries
from geodata.publishing.pending import discard_pending
from tests.helpers import (
    API,
    DEMO,
    HEADER,
    XLSX,
    Sync,
    app_engine,
    bearer,
    csv_of,
    demo_ids,
    row,
    xlsx_of,
)


def test_an_import_is_checked_and_nothing_is_published(sync: Sync) -> None:
    response = sync.send((DEMO / "neon.csv").read_bytes())
    body = response.get_json()
    assert response.status_code == 201
    assert body["statut"] == "valide"
    assert body["erreurs"] == []
    assert sorted(body["ajouts"]) == demo_ids()
    assert body["modifications"] == body["suppressions"] == []
    assert sync.export().decode("utf-8-sig").strip() == HEADER
    assert sync.versions() == []


def test_import_publish_export_and_restore_round_trip(sync: Sync) -> None:
    assert sync.import_and_publish((DEMO / "neon.csv").read_bytes()) == 1
    first = sync.export()
    lines = first.decode("utf-8-sig").split("\r\n")
    renamed = lines[1].replace("Équipe de démonstration", "Équipe renommée", 1)
    second = ("\ufeff" + "\r\n".join([lines[0], renamed, *lines[3:]])).encode("utf-8")
    checked = sync.send(second).get_json()
    assert checked["modifications"] == [lines[1].split(";")[0]]
    assert checked["suppressions"] == [lines[2].split(";")[0]]
    assert checked["ajouts"] == []
    assert sync.publish(checked["id"]).status_code == 201
    assert sync.export() == second
    restored = sync.client.post(
        f"{API}/neon/publications/1/restauration", headers=bearer(sync.token)
    )
    assert restored.status_code == 201
    assert restored.get_json()["version"] == 3
    assert sync.export() == first


def test_versions_are_listed_newest_first_with_their_author_date_and_counts(sync: Sync) -> None:
    sync.import_and_publish(csv_of(row("GE-A"), row("GE-B")))
    sync.import_and_publish(csv_of(row("GE-A", nom="Autre nom"), row("GE-C")))
    listed = sync.versions()
    assert [v["numero"] for v in listed] == [2, 1]
    assert {v["auteur"] for v in listed} == {"jeton:" + sync.token[:12]}
    assert all(datetime.fromisoformat(v["date"]).tzinfo is not None for v in listed)
    counts = [(v["ajouts"], v["modifications"], v["suppressions"], v["total"]) for v in listed]
    assert counts == [(1, 1, 1, 2), (2, 0, 0, 2)]


def test_every_action_is_audited_with_the_token_prefix_as_author(sync: Sync) -> None:
    sync.import_and_publish(csv_of(row("GE-A")))
    sync.import_and_publish(csv_of(row("GE-A"), row("GE-B")))
    sync.client.post(f"{API}/neon/publications/1/restauration", headers=bearer(sync.token))
    with sync.sessions() as session:
        logged = [(e.action, e.actor) for e in entries(session, "neon") if e.action != "jeton_cree"]
    author = "jeton:" + sync.token[:12]
    actions = ["import_verifie", "publication"] * 2 + ["restauration"]
    assert logged == [(action, author) for action in reversed(actions)]


def test_restoring_the_current_version_changes_nothing(sync: Sync) -> None:
    sync.import_and_publish(csv_of(row("GE-A")))
    response = sync.client.post(
        f"{API}/neon/publications/1/restauration", headers=bearer(sync.token)
    )
    assert response.status_code == 200
    assert response.get_json()["version"] == 1
    assert len(sync.versions()) == 1


def test_multipart_field_raw_body_and_xlsx_give_the_same_check(sync: Sync) -> None:
    data = (DEMO / "neon.csv").read_bytes()
    raw = sync.send(data).get_json()
    multipart = sync.client.post(
        f"{API}/neon/imports",
        data={"fichier": (io.BytesIO(xlsx_of(data)), "neon.xlsx")},
        headers=bearer(sync.token),
    )
    as_xlsx = sync.send(xlsx_of(data), mimetype=XLSX).get_json()
    assert multipart.status_code == 201
    drop = {"id"}
    for body in (multipart.get_json(), as_xlsx):
        assert {k: v for k, v in body.items() if k not in drop} == {
            k: v for k, v in raw.items() if k not in drop
        }


def test_a_file_with_errors_is_invalid_and_cannot_be_published(sync: Sync) -> None:
    response = sync.send(csv_of(row("GE-A", cp="6700"), row("GE-A")))
    body = response.get_json()
    assert response.status_code == 201
    assert body["statut"] == "invalide"
    assert {(e["ligne"], e["colonne"]) for e in body["erreurs"]} == {
        (2, "commune"),
        (3, "identifiant"),
    }
    assert [(w["ligne"], w["colonne"]) for w in body["avertissements"]] == [(2, "code_postal")]
    assert all(e["message"] for e in body["erreurs"])
    refused = sync.publish(body["id"])
    assert refused.status_code == 409
    assert "erreur" in refused.get_json()
    assert sync.versions() == []


def test_an_import_checked_against_an_older_version_is_refused(sync: Sync) -> None:
    first = sync.send(csv_of(row("GE-A"))).get_json()
    second = sync.send(csv_of(row("GE-B"))).get_json()
    assert sync.publish(first["id"]).status_code == 201
    stale = sync.publish(second["id"])
    assert stale.status_code == 409
    assert "vérifiez-le de nouveau" in stale.get_json()["erreur"]
    assert sync.export().decode("utf-8-sig").split("\r\n")[1].startswith("GE-A;")


def test_two_concurrent_publications_of_imports_of_the_same_version_one_wins(
    sync: Sync,
) -> None:
    ids = [sync.send(csv_of(row(name))).get_json()["id"] for name in ("GE-A", "GE-B")]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def run(pending_id: str) -> None:
        client = sync.app.test_client()
        barrier.wait()
        url = f"{API}/neon/imports/{pending_id}/publication"
        statuses.append(client.post(url, headers=bearer(sync.token)).status_code)

    threads = [threading.Thread(target=run, args=(pending_id,)) for pending_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]
    assert [v["numero"] for v in sync.versions()] == [1]
    assert len(sync.export().decode("utf-8-sig").strip().split("\r\n")) == 2


def test_publishing_an_import_twice_is_a_conflict(sync: Sync) -> None:
    checked = sync.send(csv_of(row("GE-A"))).get_json()
    assert sync.publish(checked["id"]).status_code == 201
    again = sync.publish(checked["id"])
    assert again.status_code == 409
    message = (
        "Ce fichier a déjà été publié : rien n'a été fait. Pour le publier, déposez-le de nouveau."
    )
    assert again.get_json() == {
        "erreur": message,
        "champ": None,
        "erreurs": [{"champ": None, "message": message}],
    }
    assert len(sync.versions()) == 1


def test_publishing_an_import_discarded_in_the_admin_is_a_conflict(sync: Sync) -> None:
    checked = sync.send(csv_of(row("GE-A"))).get_json()
    with sync.sessions() as session, session.begin():
        discard_pending(session, "neon", checked["id"], author="ed@example.org")
    refused = sync.publish(checked["id"])
    assert refused.status_code == 409
    assert "déjà été abandonné" in refused.get_json()["erreur"]
    assert sync.versions() == []


def test_a_database_failure_in_the_middle_of_a_publish_leaves_the_previous_version(
    sync: Sync,
) -> None:
    sync.import_and_publish((DEMO / "neon.csv").read_bytes())
    before = sync.export()
    checked = sync.send(csv_of(row("GE-A"))).get_json()

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO SITES"):
            raise RuntimeError("simulated database failure")

    engine = app_engine(sync.app)
    event.listen(engine, "before_cursor_execute", fail)
    try:
        failed = sync.publish(checked["id"], confirm=True)
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert failed.status_code == 500
    assert failed.get_json()["erreur"]
    assert sync.export() == before
    assert [v["numero"] for v in sync.versions()] == [1]
    assert sync.publish(checked["id"], confirm=True).status_code == 201


def test_markup_in_fields_stays_text_in_the_json_and_the_export(sync: Sync) -> None:
    script = "<script>alert(1)</script>"
    image = '<img src=x onerror="alert(1)">'
    response = sync.send(csv_of(row("GE-A", nom=script, cp=image)))
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    shown = {e["colonne"]: e["valeur"] for e in response.get_json()["erreurs"]}
    assert shown["code_postal"] == image
    sync.import_and_publish(csv_of(row("GE-A", nom=script, prec='=HYPERLINK("x")')))
    exported = sync.export().decode("utf-8-sig")
    assert script in exported
    assert "'=HYPERLINK" in exported


# --- Rights -----------------------------------------------------------------------------


# --- Malformed uploads ------------------------------------------------------------------
