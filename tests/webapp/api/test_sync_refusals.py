"""The sync API refuses what it must: missing or wrong tokens, other networks, unknown ids,
oversized, chunked, binary and zip-bomb bodies, other content types."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import text
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from geodata.accounts.tokens import revoke_token
from tests.helpers import API, XLSX, Sync, app_engine, bearer, csv_of, row
from webapp import create_app

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
    assert sync.publish("0" * 32).status_code == 404
    url = f"{API}/neon/publications/7/restauration"
    response = sync.client.post(url, headers=bearer(sync.token))
    assert response.status_code == 404
    assert "7" in response.get_json()["erreur"]


def test_an_import_of_another_network_is_not_found_under_this_one(sync: Sync) -> None:
    checked = sync.send(csv_of(row("GE-A"))).get_json()
    url = f"{API}/onco-aura/imports/{checked['id']}/publication"
    assert sync.client.post(url, headers=bearer(sync.other_token)).status_code == 404


def test_a_file_over_the_size_limit_is_413_in_french(sync: Sync) -> None:
    big = csv_of(row("GE-A")) + b"x" * (1024 * 1024)
    for response in (
        sync.send(big),
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
    response = sync.send(csv_of(row("GE-A")), mimetype=mimetype)
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
    response = sync.send(data)
    assert response.status_code == 400
    message = response.get_json()["erreur"]
    assert words in message and len(message) > 20


def test_a_zip_bomb_is_refused_before_being_opened(sync: Sync) -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    for mimetype in (XLSX, "text/csv"):
        response = sync.send(bomb, mimetype=mimetype)
        assert response.status_code == 400
        assert response.get_json()["erreur"]
    assert sync.versions() == []


def test_a_form_without_the_fichier_field_is_400(sync: Sync) -> None:
    response = sync.client.post(
        f"{API}/neon/imports",
        data={"autre": (io.BytesIO(csv_of(row("GE-A"))), "a.csv")},
        headers=bearer(sync.token),
    )
    assert response.status_code == 400
    assert "fichier" in response.get_json()["erreur"]


def test_each_token_has_its_own_request_allowance_then_a_french_429(sync: Sync) -> None:
    config = {"database_url": sync.app.config["SETTINGS"].database_url, "TESTING": True}
    app = create_app(config | {"sync_rate_limit": "3 per minute"})
    client = app.test_client()
    listing = f"{API}/neon/publications"
    answers = [client.get(listing, headers=bearer(sync.token)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(listing, headers=bearer(sync.token))
    assert refused.status_code == 429 and "Trop de requêtes" in refused.get_json()["erreur"]
    # Another network's token, and the public export, are not held back by this one.
    other = client.get(f"{API}/onco-aura/publications", headers=bearer(sync.other_token))
    assert other.status_code == 200
    assert client.get(f"{API}/neon/export.csv").status_code == 200
    app_engine(app).dispose()
