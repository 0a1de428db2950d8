"""The sync API: token rights, imports checked then published, versions, restore, public export."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from geodata.accounts.audit import entries
from geodata.accounts.tokens import create_token, revoke_token
from geodata.config import Settings
from geodata.publishing.pending import discard_pending
from geodata.storage.networks import ensure_network
from webapp import create_app

DEMO = Path(__file__).parents[3] / "geodata" / "data" / "demo" / "neon.csv"
API = "/api/v1/reseaux"
HEADER = (
    "identifiant;nom;structure_porteuse;adresse;code_postal;commune;latitude;longitude;"
    "telephone;courriel;site_web;cancers;publics;soins;zone;actif;precisions"
)
ROW = "{id};{nom};Asso;1 rue Haute;{cp};Strasbourg;;;;;;tous;adultes;psychologie;;oui;{prec}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sync:
    """The app on an empty database with networks neon and onco-aura, one token each."""

    app: Flask
    client: FlaskClient
    token: str
    other_token: str
    sessions: sessionmaker[Session]


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


def app_engine(app: Flask) -> Engine:
    engine: Engine = app.extensions["db_sessions"].kw["bind"]
    return engine


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csv_of(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode("utf-8") + b"\r\n"


def row(identifiant: str, nom: str = "Équipe", cp: str = "67000", prec: str = "") -> str:
    return ROW.format(id=identifiant, nom=nom, cp=cp, prec=prec)


def send(
    sync: Sync, data: bytes, *, slug: str = "neon", mimetype: str = "text/csv"
) -> TestResponse:
    return sync.client.post(
        f"{API}/{slug}/imports", data=data, content_type=mimetype, headers=bearer(sync.token)
    )


def publish(sync: Sync, pending_id: str, slug: str = "neon") -> TestResponse:
    url = f"{API}/{slug}/imports/{pending_id}/publication"
    return sync.client.post(url, headers=bearer(sync.token))


def import_and_publish(sync: Sync, data: bytes) -> int:
    checked = send(sync, data)
    assert checked.status_code == 201, checked.get_json()
    published = publish(sync, checked.get_json()["id"])
    assert published.status_code == 201, published.get_json()
    number: int = published.get_json()["version"]
    return number


def export(sync: Sync, slug: str = "neon") -> bytes:
    response = sync.client.get(f"{API}/{slug}/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return response.get_data()


def versions(sync: Sync) -> list[dict[str, Any]]:
    response = sync.client.get(f"{API}/neon/publications", headers=bearer(sync.token))
    assert response.status_code == 200
    listed: list[dict[str, Any]] = response.get_json()["publications"]
    return listed


def xlsx_of(data: bytes) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in data.decode("utf-8-sig").splitlines():
        # Postcodes and phone numbers as text, the way a network's sheet keeps them.
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def demo_ids() -> list[str]:
    return sorted(line.split(";")[0] for line in DEMO.read_text("utf-8").splitlines()[1:])


def test_an_import_is_checked_and_nothing_is_published(sync: Sync) -> None:
    response = send(sync, DEMO.read_bytes())
    body = response.get_json()
    assert response.status_code == 201
    assert body["statut"] == "valide"
    assert body["erreurs"] == []
    assert sorted(body["ajouts"]) == demo_ids()
    assert body["modifications"] == body["suppressions"] == []
    assert export(sync).decode("utf-8-sig").strip() == HEADER
    assert versions(sync) == []


def test_import_publish_export_and_restore_round_trip(sync: Sync) -> None:
    assert import_and_publish(sync, DEMO.read_bytes()) == 1
    first = export(sync)
    lines = first.decode("utf-8-sig").split("\r\n")
    renamed = lines[1].replace("Équipe de démonstration", "Équipe renommée", 1)
    second = ("\ufeff" + "\r\n".join([lines[0], renamed, *lines[3:]])).encode("utf-8")
    checked = send(sync, second).get_json()
    assert checked["modifications"] == [lines[1].split(";")[0]]
    assert checked["suppressions"] == [lines[2].split(";")[0]]
    assert checked["ajouts"] == []
    assert publish(sync, checked["id"]).status_code == 201
    assert export(sync) == second
    restored = sync.client.post(
        f"{API}/neon/publications/1/restauration", headers=bearer(sync.token)
    )
    assert restored.status_code == 201
    assert restored.get_json()["version"] == 3
    assert export(sync) == first


def test_versions_are_listed_newest_first_with_their_author_date_and_counts(sync: Sync) -> None:
    import_and_publish(sync, csv_of(row("GE-A"), row("GE-B")))
    import_and_publish(sync, csv_of(row("GE-A", nom="Autre nom"), row("GE-C")))
    listed = versions(sync)
    assert [v["numero"] for v in listed] == [2, 1]
    assert {v["auteur"] for v in listed} == {"jeton:" + sync.token[:12]}
    assert all(datetime.fromisoformat(v["date"]).tzinfo is not None for v in listed)
    counts = [(v["ajouts"], v["modifications"], v["suppressions"], v["total"]) for v in listed]
    assert counts == [(1, 1, 1, 2), (2, 0, 0, 2)]


def test_every_action_is_audited_with_the_token_prefix_as_author(sync: Sync) -> None:
    import_and_publish(sync, csv_of(row("GE-A")))
    import_and_publish(sync, csv_of(row("GE-B")))
    sync.client.post(f"{API}/neon/publications/1/restauration", headers=bearer(sync.token))
    with sync.sessions() as session:
        logged = [(e.action, e.actor) for e in entries(session, "neon") if e.action != "jeton_cree"]
    author = "jeton:" + sync.token[:12]
    actions = ["import_verifie", "publication"] * 2 + ["restauration"]
    assert logged == [(action, author) for action in reversed(actions)]


def test_restoring_the_current_version_changes_nothing(sync: Sync) -> None:
    import_and_publish(sync, csv_of(row("GE-A")))
    response = sync.client.post(
        f"{API}/neon/publications/1/restauration", headers=bearer(sync.token)
    )
    assert response.status_code == 200
    assert response.get_json()["version"] == 1
    assert len(versions(sync)) == 1


def test_multipart_field_raw_body_and_xlsx_give_the_same_check(sync: Sync) -> None:
    data = DEMO.read_bytes()
    raw = send(sync, data).get_json()
    multipart = sync.client.post(
        f"{API}/neon/imports",
        data={"fichier": (io.BytesIO(xlsx_of(data)), "neon.xlsx")},
        headers=bearer(sync.token),
    )
    as_xlsx = send(sync, xlsx_of(data), mimetype=XLSX).get_json()
    assert multipart.status_code == 201
    drop = {"id"}
    for body in (multipart.get_json(), as_xlsx):
        assert {k: v for k, v in body.items() if k not in drop} == {
            k: v for k, v in raw.items() if k not in drop
        }


def test_a_file_with_errors_is_invalid_and_cannot_be_published(sync: Sync) -> None:
    response = send(sync, csv_of(row("GE-A", cp="6700"), row("GE-A")))
    body = response.get_json()
    assert response.status_code == 201
    assert body["statut"] == "invalide"
    assert {(e["ligne"], e["colonne"]) for e in body["erreurs"]} == {
        (2, "commune"),
        (3, "identifiant"),
    }
    assert [(w["ligne"], w["colonne"]) for w in body["avertissements"]] == [(2, "code_postal")]
    assert all(e["message"] for e in body["erreurs"])
    refused = publish(sync, body["id"])
    assert refused.status_code == 409
    assert "erreur" in refused.get_json()
    assert versions(sync) == []


def test_an_import_checked_against_an_older_version_is_refused(sync: Sync) -> None:
    first = send(sync, csv_of(row("GE-A"))).get_json()
    second = send(sync, csv_of(row("GE-B"))).get_json()
    assert publish(sync, first["id"]).status_code == 201
    stale = publish(sync, second["id"])
    assert stale.status_code == 409
    assert "vérifiez-le de nouveau" in stale.get_json()["erreur"]
    assert export(sync).decode("utf-8-sig").split("\r\n")[1].startswith("GE-A;")


def test_two_concurrent_publications_of_imports_of_the_same_version_one_wins(
    sync: Sync,
) -> None:
    ids = [send(sync, csv_of(row(name))).get_json()["id"] for name in ("GE-A", "GE-B")]
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
    assert [v["numero"] for v in versions(sync)] == [1]
    assert len(export(sync).decode("utf-8-sig").strip().split("\r\n")) == 2


def test_publishing_an_import_twice_is_a_conflict(sync: Sync) -> None:
    checked = send(sync, csv_of(row("GE-A"))).get_json()
    assert publish(sync, checked["id"]).status_code == 201
    again = publish(sync, checked["id"])
    assert again.status_code == 409
    assert again.get_json() == {
        "erreur": "Ce fichier a déjà été publié : rien n'a été fait. Pour le publier, "
        "déposez-le de nouveau.",
        "champ": None,
    }
    assert len(versions(sync)) == 1


def test_publishing_an_import_discarded_in_the_admin_is_a_conflict(sync: Sync) -> None:
    checked = send(sync, csv_of(row("GE-A"))).get_json()
    with sync.sessions() as session, session.begin():
        discard_pending(session, "neon", checked["id"], author="ed@example.org")
    refused = publish(sync, checked["id"])
    assert refused.status_code == 409
    assert "déjà été abandonné" in refused.get_json()["erreur"]
    assert versions(sync) == []


def test_a_database_failure_in_the_middle_of_a_publish_leaves_the_previous_version(
    sync: Sync,
) -> None:
    import_and_publish(sync, DEMO.read_bytes())
    before = export(sync)
    checked = send(sync, csv_of(row("GE-A"))).get_json()

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO SITES"):
            raise RuntimeError("simulated database failure")

    engine = app_engine(sync.app)
    event.listen(engine, "before_cursor_execute", fail)
    try:
        failed = publish(sync, checked["id"])
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert failed.status_code == 500
    assert failed.get_json()["erreur"]
    assert export(sync) == before
    assert [v["numero"] for v in versions(sync)] == [1]
    assert publish(sync, checked["id"]).status_code == 201


def test_markup_in_fields_stays_text_in_the_json_and_the_export(sync: Sync) -> None:
    script = "<script>alert(1)</script>"
    image = '<img src=x onerror="alert(1)">'
    response = send(sync, csv_of(row("GE-A", nom=script, cp=image)))
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    shown = {e["colonne"]: e["valeur"] for e in response.get_json()["erreurs"]}
    assert shown["code_postal"] == image
    import_and_publish(sync, csv_of(row("GE-A", nom=script, prec='=HYPERLINK("x")')))
    exported = export(sync).decode("utf-8-sig")
    assert script in exported
    assert "'=HYPERLINK" in exported


# --- Rights -----------------------------------------------------------------------------

ROUTES = [
    ("post", "/neon/imports"),
    ("post", "/neon/imports/0123456789abcdef/publication"),
    ("get", "/neon/publications"),
    ("post", "/neon/publications/1/restauration"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("header", [None, "Bearer ann_wrong", "Basic dXNlcjpwYXNz", "Bearer "])
def test_without_a_valid_token_the_answer_is_401_with_a_bearer_challenge(
    sync: Sync, method: str, path: str, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    response = getattr(sync.client, method)(API + path, headers=headers, data=b"x;y")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Jeton" in response.get_json()["erreur"]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_revoked_token_is_refused(sync: Sync, method: str, path: str) -> None:
    with sync.sessions() as session, session.begin():
        assert revoke_token(session, sync.token)
    response = getattr(sync.client, method)(API + path, headers=bearer(sync.token))
    assert response.status_code == 401
    assert "révoqué" in response.get_json()["erreur"]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_another_networks_token_is_forbidden(sync: Sync, method: str, path: str) -> None:
    response = getattr(sync.client, method)(API + path, headers=bearer(sync.other_token))
    assert response.status_code == 403
    assert "neon" in response.get_json()["erreur"]


def test_the_export_is_public_and_an_unknown_network_is_404(sync: Sync) -> None:
    assert sync.client.get(f"{API}/neon/export.csv").status_code == 200
    missing = sync.client.get(f"{API}/inconnu/export.csv")
    assert missing.status_code == 404
    assert "inconnu" in missing.get_json()["erreur"]


def test_unknown_import_and_unknown_version_are_404(sync: Sync) -> None:
    assert publish(sync, "0" * 32).status_code == 404
    url = f"{API}/neon/publications/7/restauration"
    response = sync.client.post(url, headers=bearer(sync.token))
    assert response.status_code == 404
    assert "7" in response.get_json()["erreur"]


def test_an_import_of_another_network_is_not_found_under_this_one(sync: Sync) -> None:
    checked = send(sync, csv_of(row("GE-A"))).get_json()
    url = f"{API}/onco-aura/imports/{checked['id']}/publication"
    assert sync.client.post(url, headers=bearer(sync.other_token)).status_code == 404


# --- Malformed uploads ------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_413_in_french(sync: Sync) -> None:
    big = csv_of(row("GE-A")) + b"x" * (1024 * 1024)
    for response in (
        send(sync, big),
        sync.client.post(
            f"{API}/neon/imports",
            data={"fichier": (io.BytesIO(big), "gros.csv")},
            headers=bearer(sync.token),
        ),
    ):
        assert response.status_code == 413
        assert "1 Mo" in response.get_json()["erreur"]


def send_chunked(sync: Sync, body: bytes, content_type: str) -> TestResponse:
    """POST `body` without Content-Length, as a server that decodes chunked bodies passes it."""
    return sync.client.post(
        f"{API}/neon/imports",
        input_stream=io.BytesIO(body),
        content_type=content_type,
        headers=bearer(sync.token) | {"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def pending_count(sync: Sync) -> int:
    with sync.sessions() as session:
        count: int = session.execute(text("SELECT count(*) FROM pending_imports")).scalar_one()
    return count


def test_a_chunked_body_over_the_limit_is_413_in_french_and_never_a_cut_import(
    sync: Sync,
) -> None:
    big = csv_of(*(row(f"GE-{n}") for n in range(14_000)))
    assert len(big) > 1024 * 1024
    boundary, form = encode_multipart({"fichier": FileStorage(io.BytesIO(big), "gros.csv")})
    for body, content_type in (
        (big, "text/csv"),
        (form, f"multipart/form-data; boundary={boundary}"),
    ):
        response = send_chunked(sync, body, content_type)
        assert response.status_code == 413, response.get_json()
        assert "au plus 1 Mo" in response.get_json()["erreur"]
    assert pending_count(sync) == 0


def test_a_chunked_body_under_the_limit_is_checked_whole(sync: Sync) -> None:
    response = send_chunked(sync, csv_of(row("GE-A"), row("GE-B")), "text/csv")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["ajouts"] == ["GE-A", "GE-B"]


def test_a_huge_version_number_to_restore_is_404_not_500(sync: Sync) -> None:
    url = f"{API}/neon/publications/99999999999999999999999/restauration"
    response = sync.client.post(url, headers=bearer(sync.token))
    assert response.status_code == 404


@pytest.mark.parametrize("mimetype", ["application/json", "text/plain", "application/zip"])
def test_another_content_type_is_415(sync: Sync, mimetype: str) -> None:
    response = send(sync, csv_of(row("GE-A")), mimetype=mimetype)
    assert response.status_code == 415
    assert "text/csv" in response.get_json()["erreur"]


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "vide"),
        (b"  \r\n", "vide"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG"),
        (b"%PDF-1.7 rest", "PDF"),
        (b"PK\x03\x04 not really a zip", ""),
    ],
)
def test_an_empty_or_binary_body_is_refused_with_a_french_message(
    sync: Sync, data: bytes, words: str
) -> None:
    response = send(sync, data)
    assert response.status_code == 400
    message = response.get_json()["erreur"]
    assert words in message and len(message) > 20


def test_a_zip_bomb_is_refused_before_being_opened(sync: Sync) -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    for mimetype in (XLSX, "text/csv"):
        response = send(sync, bomb, mimetype=mimetype)
        assert response.status_code == 400
        assert response.get_json()["erreur"]
    assert versions(sync) == []


def test_a_form_without_the_fichier_field_is_400(sync: Sync) -> None:
    response = sync.client.post(
        f"{API}/neon/imports",
        data={"autre": (io.BytesIO(csv_of(row("GE-A"))), "a.csv")},
        headers=bearer(sync.token),
    )
    assert response.status_code == 400
    assert "fichier" in response.get_json()["erreur"]
