"""The preview's problems on both databases: each names its team, the list downloads as a CSV
written like the uploaded file, the corrected file is sent from the preview, and sites placed at
their town hall are explained once."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask.testing import FlaskClient

from geodata.contract.textfile import decode_bytes, detect_delimiter
from tests.helpers import demo_rows, preview_of, section, to_csv, to_xlsx
from webapp.admin.imports import problems_filename


def broken_rows() -> list[dict[str, str]]:
    rows = demo_rows()
    rows[3]["code_postal"] = "6800"
    rows[5]["soins"] = "natation"
    return rows


def test_each_problem_row_names_the_team_of_its_line(client: FlaskClient) -> None:
    rows = broken_rows()
    _, html = preview_of(client, to_csv(rows, "utf-8", ";"))
    teams = re.findall(
        r'<td class="team"[^>]*><span class="ident">([^<]+)</span> ([^<]+)</td>',
        section(html, "problemes-titre"),
    )
    assert (rows[3]["identifiant"], rows[3]["nom"]) in teams
    assert (rows[5]["identifiant"], rows[5]["nom"]) in teams


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ","), ("utf-16", "\t")],
)
def test_the_problems_download_in_the_encoding_and_delimiter_of_the_uploaded_file(
    client: FlaskClient, encoding: str, delimiter: str
) -> None:
    rows = broken_rows()
    location, html = preview_of(client, to_csv(rows, encoding, delimiter), "Mon fichier.csv")
    assert f'href="{location}/problemes.csv"' in html
    response = client.get(f"{location}/problemes.csv")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="problemes-Mon-fichier.csv"'
    )
    text, found = decode_bytes(response.data)
    assert (found, detect_delimiter(text)) == (encoding, delimiter)
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert lines[0][:5] == ["Ligne", "Identifiant", "Nom", "Colonne", "Valeur"]
    assert ["5", rows[3]["identifiant"], rows[3]["nom"], "Code postal", "6800"] in [
        line[:5] for line in lines
    ]


def test_the_problems_of_a_workbook_download_as_a_csv_excel_opens(client: FlaskClient) -> None:
    location, _ = preview_of(client, to_xlsx(broken_rows()), "annuaire.xlsx")
    data = client.get(f"{location}/problemes.csv").data
    assert data.startswith("\ufeffLigne;Identifiant;".encode())


def test_another_networks_editor_cannot_download_the_problems(client: FlaskClient) -> None:
    location, _ = preview_of(client, to_csv(broken_rows(), "utf-8", ";"))
    other = location.replace("/admin/neon/", "/admin/onco-aura/")
    assert client.get(f"{other}/problemes.csv").status_code == 403


def test_the_preview_of_a_file_with_problems_offers_to_send_the_corrected_file(
    client: FlaskClient,
) -> None:
    _, html = preview_of(client, to_csv(broken_rows(), "utf-8", ";"))
    resend = section(html, "renvoi-titre")
    assert 'action="/admin/neon/imports"' in resend and 'enctype="multipart/form-data"' in resend
    assert (
        'name="csrf_token"' in resend and '<label for="fichier">Fichier corrigé</label>' in resend
    )
    _, clean = preview_of(client, to_csv(demo_rows(), "utf-8", ";"))
    assert 'aria-labelledby="renvoi-titre"' not in clean


def test_sites_placed_at_their_town_hall_are_explained_once(client: FlaskClient) -> None:
    _, html = preview_of(client, to_csv(demo_rows(), "utf-8", ";"))
    located = html[html.index('<details class="located-list"') :]
    located = located[: located.index("</details>")]
    assert "précision faible" not in located
    assert located.count('<a href="#mairie">à la mairie</a>') == 9
    assert html.count('id="mairie"') == 1
    notice = html[html.index('id="mairie"') :]
    notice = notice[: notice.index("</div>")]
    assert "9 structures sur 12 sont placées à la mairie" in notice
    assert "reviendra donc à chaque envoi" in notice  # the local geocoder: commune only
    assert "calculée jusqu'à la mairie, pas jusqu'à la rue" in notice
    assert "<code>latitude</code> et <code>longitude</code>" in notice


@pytest.mark.parametrize(
    ("source", "name"),
    [("annuaire.csv", "problemes-annuaire.csv"), ('../a"b;c.xlsx', "problemes-a-b-c.csv"),
     (".csv", "problemes-fichier.csv")],
)  # fmt: skip
def test_the_download_name_is_made_of_safe_characters(source: str, name: str) -> None:
    assert problems_filename(source) == name
