"""The sync API seen by a network's automation: a client with a token, files to send."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from tests.helpers.domain import DEMO, HEADER

API = "/api/v1/reseaux"
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

    def publish(
        self, pending_id: str, slug: str = "neon", *, confirm: bool = False
    ) -> TestResponse:
        """Publish a pending import; `confirm` accepts removing most of the published sites."""
        url = f"{API}/{slug}/imports/{pending_id}/publication"
        query = {"confirmer_suppressions": "1"} if confirm else {}
        return self.client.post(url, headers=bearer(self.token), query_string=query)

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
