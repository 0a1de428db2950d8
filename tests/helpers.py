"""What several test modules share: domain values, the demo database, apps, a live server,
signing in with CSRF, and watching a browser page.

Fixtures stay in the conftest files; everything here is a plain function or value.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.test import TestResponse

from etl.cli import main
from geodata.accounts import audit
from geodata.accounts.users import add_user
from geodata.config import Settings
from geodata.contract.records import Location, SiteRecord
from geodata.geocoding.local import LocalGeocoder
from geodata.geocoding.precision import Precision
from geodata.publishing.importing import check_file, publish_check
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.engine import create_schema, drop_schema, make_engine, session_factory
from geodata.storage.networks import ensure_network
from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "geodata" / "data" / "demo"

# Domain values

STRASBOURG = Location(48.5839, 7.7455, "67482", "67", Precision.MUNICIPALITY, 1.0)


def site(identifiant: str = "GE-STRAS-01", **changes: Any) -> SiteRecord:
    """Return a valid located record; keyword arguments override fields."""
    record = SiteRecord(
        identifiant=identifiant,
        nom="Équipe de démonstration de Strasbourg",
        adresse="1 place de l'Étoile",
        code_postal="67000",
        commune="Strasbourg",
        cancers=("tous",),
        publics=("adultes",),
        soins=("activite_physique", "dietetique"),
        location=STRASBOURG,
    )
    return replace(record, **changes)


# Databases and apps


def postgis_url() -> str:
    """Return `TEST_POSTGRES_URL`; without it skip, or fail where every database is required."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("ANNUAIRE_REQUIRE_ALL_DATABASES") == "1":
            pytest.fail("TEST_POSTGRES_URL is not set: PostGIS tests are required here")
        pytest.skip("TEST_POSTGRES_URL is not set (run `make test` to start PostGIS)")
    return url


def load_demo(database_url: str) -> None:
    """Publish the demo directory of both networks into `database_url`."""
    engine = make_engine(Settings(database_url=database_url))
    create_schema(engine)
    gazetteer = get_gazetteer()
    with session_factory(engine)() as session, session.begin():
        for slug in ("neon", "onco-aura"):
            network = ensure_network(session, slug, slug.upper())
            data = (DEMO / f"{slug}.csv").read_bytes()
            check = check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))
            assert check.ok, check.errors
            publish_check(session, network, check)
    engine.dispose()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` with a real threaded HTTP server on a free loopback port; yield its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def database_url(kind: str, folder: Path) -> str:
    """Return a fresh (emptied) database URL of `kind`, skipping PostGIS like tests/conftest."""
    if kind == "spatialite":
        return f"sqlite:///{folder / 'demo.sqlite'}"
    url = postgis_url()
    engine = make_engine(Settings(database_url=url))
    drop_schema(engine)
    engine.dispose()
    return url


def demo_app(kind: str, folder: Path) -> Flask:
    """Return the app in testing mode on a database of `kind` holding the demo directory."""
    url = database_url(kind, folder)
    load_demo(url)
    return create_app({"database_url": url, "instance_path": folder, "TESTING": True})


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


# Files for the admin, and what its pages show


def demo_rows() -> list[dict[str, str]]:
    text = (DEMO / "neon.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited() -> list[dict[str, str]]:
    """The demo with one site renamed and rephoned, one removed and one added."""
    rows = demo_rows()
    rows[0] |= {"nom": "Équipe renommée — Strasbourg", "telephone": "03 53 01 09 99"}
    removed = rows.pop(1)
    added = dict(rows[0]) | {"identifiant": "NEON-NEUF-01", "nom": "Nouvelle équipe"}
    assert removed["identifiant"] == "NEON-SCHIL-01"
    return [*rows, added]


def upload(
    client: FlaskClient, data: bytes, name: str = "annuaire.csv", slug: str = "neon"
) -> TestResponse:
    files = {"fichier": (io.BytesIO(data), name)}
    return post(client, f"/admin/{slug}/imports", files, content_type="multipart/form-data")


def preview_of(
    client: FlaskClient, data: bytes, name: str = "annuaire.csv", slug: str = "neon"
) -> tuple[str, str]:
    """Upload `data`; return the preview's address and page."""
    response = upload(client, data, name, slug)
    assert response.status_code == 302, response.text
    return response.location, client.get(response.location).text


def section(html: str, ident: str) -> str:
    found = re.search(rf'<section[^>]*aria-labelledby="{ident}".*?</section>', html, re.S)
    assert found, ident
    return found.group(0)


def idents(html: str, css: str) -> list[str]:
    found = re.search(rf'<ul class="diff-list {css}">(.*?)</ul>', html, re.S)
    return re.findall(r'<span class="ident">([^<]+)</span>', found.group(1)) if found else []


def actions(engine: Engine, slug: str) -> list[str]:
    with session_factory(engine)() as session:
        return [e.action for e in audit.entries(session, network=slug)]


# The sync API

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

    def send(self, data: bytes, *, slug: str = "neon", mimetype: str = "text/csv") -> TestResponse:
        """POST a file to be checked, as the network's automation does."""
        return self.client.post(
            f"{API}/{slug}/imports", data=data, content_type=mimetype, headers=bearer(self.token)
        )

    def publish(self, pending_id: str, slug: str = "neon") -> TestResponse:
        url = f"{API}/{slug}/imports/{pending_id}/publication"
        return self.client.post(url, headers=bearer(self.token))

    def import_and_publish(self, data: bytes) -> int:
        """Check then publish `data`; return the new version's number."""
        checked = self.send(data)
        assert checked.status_code == 201, checked.get_json()
        published = self.publish(checked.get_json()["id"])
        assert published.status_code == 201, published.get_json()
        number: int = published.get_json()["version"]
        return number

    def export(self, slug: str = "neon") -> bytes:
        response = self.client.get(f"{API}/{slug}/export.csv")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        return response.get_data()

    def versions(self) -> list[dict[str, Any]]:
        response = self.client.get(f"{API}/neon/publications", headers=bearer(self.token))
        assert response.status_code == 200
        listed: list[dict[str, Any]] = response.get_json()["publications"]
        return listed


def app_engine(app: Flask) -> Engine:
    engine: Engine = app.extensions["db_sessions"].kw["bind"]
    return engine


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csv_of(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode("utf-8") + b"\r\n"


def row(identifiant: str, nom: str = "Équipe", cp: str = "67000", prec: str = "") -> str:
    return ROW.format(id=identifiant, nom=nom, cp=cp, prec=prec)


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
    neon = (DEMO / "neon.csv").read_text("utf-8").splitlines()[1:]
    return sorted(line.split(";")[0] for line in neon)


# The command line

ROWS = [
    "GE-STRAS-01;Équipe de Strasbourg;;12 rue de la Paix;67000;Strasbourg;;;03 88 00 00 01;"
    "a@example.org;;tous;adultes;activite_physique|dietetique;;oui;",
    "GE-METZ-01;Équipe de Metz;;1 place d'Armes;57000;Metz;49.1196;6.1764;;;;sein|digestif;"
    "adultes;psychologie;57;;",
    "GE-NANCY-01;Équipe AJA de Nancy;;2 rue Stanislas;54000;Nancy;;;;;;sein;aja;dietetique;;non;"
    "@equipe_aja : -10 % d'attente",
]


def directory(tmp_path: Path, rows: list[str], name: str = "annuaire.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def etl(runner: CliRunner, *args: str | Path, stdin: str | None = None) -> Result:
    """Run `python -m etl ARGS` in-process, with `stdin` as standard input."""
    return runner.invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def export(runner: CliRunner, slug: str = "neon") -> str:
    result = etl(runner, "export", "--network", slug)
    assert result.exit_code == 0, result.output
    return result.stdout


# A live server
