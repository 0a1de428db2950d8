"""Files for the admin tests (CSV, .xlsx, edited demo rows) and what its pages show."""

from __future__ import annotations

import csv
import io
import re

from flask.testing import FlaskClient
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy import Engine
from werkzeug.test import TestResponse

from geodata.accounts import audit
from geodata.storage.engine import session_factory
from tests.helpers.apps import post
from tests.helpers.domain import DEMO


def demo_rows() -> list[dict[str, str]]:
    text = (DEMO / "neon.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def to_csv(rows: list[dict[str, str]], encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


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
