"""The admin's uploads: preview of problems and changes, publish, discard, refused files."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from geodata.config import Settings
from tests.helpers import (
    NEON_EDITOR,
    actions,
    admin_app,
    csrf_token,
    demo_rows,
    edited,
    idents,
    post,
    preview_of,
    section,
    sign_in,
    to_csv,
    to_xlsx,
    upload,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_the_preview_shows_exactly_what_the_file_changes(client: FlaskClient) -> None:
    _, html = preview_of(client, to_csv(edited()))
    diff = section(html, "differences-titre")
    assert "1 ajout, 1 modification, 1 suppression" in diff
    assert idents(diff, "diff-list--added") == ["NEON-NEUF-01"]
    assert idents(diff, "diff-list--removed") == ["NEON-SCHIL-01"]
    changed = re.findall(r'<div class="diff-site">.*?</div>\s*</div>', diff, re.S)
    assert len(changed) == 1 and "NEON-STRAS-01" in changed[0]
    rows = re.findall(
        r'<tr><th scope="row">([^<]*)</th><td class="old">([^<]*)</td><td class="new">([^<]*)</td>',
        changed[0],
    )
    assert rows == [
        ("Nom", "Équipe de démonstration — Strasbourg", "Équipe renommée — Strasbourg"),
        ("Téléphone", "03 53 01 00 01", "03 53 01 09 99"),
    ]
    assert "Aucun problème" in section(html, "problemes-titre")


def test_an_xlsx_and_a_csv_of_the_same_sheet_give_the_same_preview(client: FlaskClient) -> None:
    rows = edited()
    rows[2]["code_postal"] = "99999"
    _, from_csv = preview_of(client, to_csv(rows), "annuaire.csv")
    _, from_xlsx = preview_of(client, to_xlsx(rows), "annuaire.xlsx")

    def content(html: str) -> str:
        main = html[
            html.index('<section class="admin-section" aria-labelledby="problemes-titre"') :
        ]
        main = main[: main.index('aria-labelledby="decision-titre"')]
        main = re.sub(r"imports/[0-9a-f]{32}", "imports/id", main)
        # A CSRF token carries its time: two requests a second apart have different ones.
        main = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', main)
        return re.sub(r"map_[0-9a-f]{32}", "map", main)

    assert "1 erreur à corriger" in from_csv
    assert content(from_csv) == content(from_xlsx)


def test_each_problem_shows_its_line_column_and_value_in_french(client: FlaskClient) -> None:
    rows = demo_rows()
    rows[3]["code_postal"] = "6800"
    rows[5]["soins"] = "natation"
    _, html = preview_of(client, to_csv(rows))
    problems = section(html, "problemes-titre")
    found = re.findall(
        r'<th scope="row"[^>]*>(\w+)</th>\s*<td class="team"[^>]*>.*?</td>\s*'
        r'<td class="column"[^>]*>([^<]*)</td>\s*<td class="value"[^>]*>([^<]*)</td>',
        problems,
    )
    assert ("5", "Code postal", "6800") in found
    assert ("7", "Soins proposés", "natation") in found
    assert "2 erreurs à corriger" in problems
    assert "/publication" not in section(html, "decision-titre")


def test_markup_in_every_text_field_stays_text(client: FlaskClient) -> None:
    rows = demo_rows()
    for name in ("nom", "structure_porteuse", "precisions"):
        rows[0][name] = f"{SCRIPT} {IMG} `${{alert(3)}}`"
    rows[1]["nom"] = IMG
    location, html = preview_of(client, to_csv(rows))
    bad_rows = demo_rows()
    bad_rows[0]["adresse"] = SCRIPT
    bad_rows[0]["commune"] = IMG
    _, bad = preview_of(client, to_csv(bad_rows))
    assert post(client, location + "/publication").status_code == 302
    paths = ("/admin/neon", "/admin/neon/versions/2", "/admin/neon/journal", "/")
    pages = [html, bad] + [client.get(path).text for path in paths]
    for page in pages:
        assert SCRIPT not in page and IMG not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in bad
    # The popups and tooltips are JSON strings of escaped HTML.
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html


def test_publishing_makes_a_new_version_and_records_it(client: FlaskClient, engine: Engine) -> None:
    location, html = preview_of(client, to_csv(edited()))
    assert "version n° 2" in html
    response = post(client, location + "/publication")
    assert response.status_code == 302 and response.location == "/admin/neon"
    page = client.get("/admin/neon").text
    assert "Version 2 publiée" in page and "Version publiée : <strong>n° 2</strong>" in page
    assert actions(engine, "neon")[:2] == ["publication", "import_verifie"]
    again = post(client, location + "/publication")
    assert again.status_code == 409 and "Ce fichier a déjà été publié : rien" in again.text
    assert "Nouvelle équipe" in client.get("/").text


def test_a_file_with_errors_cannot_be_published(client: FlaskClient) -> None:
    rows = demo_rows()
    rows[0]["code_postal"] = "abc"
    location, html = preview_of(client, to_csv(rows))
    assert "/publication" not in html
    response = post(client, location + "/publication")
    assert response.status_code == 422
    assert "Version publiée : <strong>n° 1</strong>" in client.get("/admin/neon").text


def test_discarding_changes_nothing_and_is_recorded(client: FlaskClient, engine: Engine) -> None:
    location, _ = preview_of(client, to_csv(edited()))
    response = post(client, location + "/abandon")
    assert response.status_code == 302
    assert "Le fichier a été abandonné" in client.get("/admin/neon").text
    assert actions(engine, "neon")[0] == "import_abandonne"
    assert "Nouvelle équipe" not in client.get("/").text


def test_discarding_a_published_import_is_a_conflict(client: FlaskClient, engine: Engine) -> None:
    location, _ = preview_of(client, to_csv(edited()))
    assert post(client, location + "/publication").status_code == 302
    response = post(client, location + "/abandon")
    assert response.status_code == 409
    assert "Ce fichier a déjà été publié : rien" in response.text
    assert actions(engine, "neon")[:2] == ["publication", "import_verifie"]
    assert "Nouvelle équipe" in client.get("/").text


def test_publishing_a_discarded_import_is_a_conflict(client: FlaskClient, engine: Engine) -> None:
    location, _ = preview_of(client, to_csv(edited()))
    assert post(client, location + "/abandon").status_code == 302
    assert "Ce fichier a déjà été abandonné.</p>" in client.get(location).text
    response = post(client, location + "/publication")
    assert response.status_code == 409
    assert "Ce fichier a déjà été abandonné : rien" in response.text
    assert actions(engine, "neon")[:2] == ["import_abandonne", "import_verifie"]
    assert "Nouvelle équipe" not in client.get("/").text


def test_a_preview_made_stale_by_another_publication_says_so(client: FlaskClient) -> None:
    first, _ = preview_of(client, to_csv(edited()))
    rows = demo_rows()
    rows[0]["nom"] = "Une autre modification"
    second, _ = preview_of(client, to_csv(rows))
    assert post(client, first + "/publication").status_code == 302
    html = client.get(second).text
    assert "Une autre version (n° 2) a été publiée depuis la vérification de ce fichier" in html
    response = post(client, second + "/publication")
    assert response.status_code == 409
    assert "a été publiée depuis la vérification du fichier" in response.text


def test_a_binary_file_is_refused_in_french(client: FlaskClient) -> None:
    for data, name in ((b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "a.pdf"),
                       (b"PK\x03\x04" + bytes(200), "faux.xlsx")):  # fmt: skip
        response = upload(client, data, name)
        assert response.status_code == 400
        assert "pas un fichier CSV" in response.text or "classeur" in response.text
    assert upload(client, b"", "vide.csv").status_code == 400


def test_an_oversized_upload_gets_a_french_413(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    app = admin_app(settings, tmp_path, max_upload_mb=1)
    client = app.test_client()
    sign_in(client, NEON_EDITOR)
    response = upload(client, b"a;b\n" * 300_000)
    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale de 1 Mo." in response.text


def test_a_chunked_upload_over_the_limit_gets_the_french_413_page_not_a_cut_import(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    app = admin_app(settings, tmp_path, max_upload_mb=1)
    client = app.test_client()
    sign_in(client, NEON_EDITOR)
    big = b"a;b\n" * 300_000
    fields = {
        "csrf_token": csrf_token(client, "/admin/"),
        "fichier": FileStorage(io.BytesIO(big), "a.csv"),
    }
    boundary, body = encode_multipart(fields)
    response = client.post(
        "/admin/neon/imports",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale de 1 Mo." in response.text
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM pending_imports")).scalar() == 0


def many_rows(count: int, bad_postcodes: int) -> list[dict[str, str]]:
    """`count` located sites around Colmar, the first `bad_postcodes` with a wrong postcode."""
    colmar = next(r for r in demo_rows() if r["identifiant"] == "NEON-COLM-01")
    return [
        colmar
        | {
            "identifiant": f"NEON-GRAND-{n:05d}",
            "nom": f"Équipe {n}",
            "latitude": f"{48.05 + (n % 100) / 2000:.5f}",
            "longitude": f"{7.32 + (n // 100) / 2500:.5f}",
            "code_postal": "6800X" if n < bad_postcodes else "68000",
        }
        for n in range(count)
    ]


def bounded_preview(client: FlaskClient, rows: list[dict[str, str]]) -> str:
    """Upload `rows`; return the preview page, after checking its size is bounded (a page that
    grew with the file took 17 s to build for 22,894 rows; timings belong to `make bench`)."""
    location = upload(client, to_csv(rows)).location
    html = client.get(location).text
    assert len(html) < 3_000_000
    return html


def test_a_20000_row_preview_lists_every_problem_the_validator_kept(client: FlaskClient) -> None:
    problems = section(bounded_preview(client, many_rows(20_000, 1_200)), "problemes-titre")
    assert re.search(r"… et \d+ autres problèmes non affichés", problems)
    lines = re.findall(r'<th scope="row"[^>]*>(\d+)</th>', problems)
    assert problems.count("<tr class=") == 1_001  # the validator's 1,000 and its note
    assert len(lines) > 990 and lines == [str(n) for n in range(2, 2 + len(lines))]


def test_a_20000_row_preview_bounds_the_sites_it_lists_and_draws(client: FlaskClient) -> None:
    html = bounded_preview(client, many_rows(20_000, 0))
    assert "Structures ajoutées (20000)" in html and "Structures retirées (12)" in html
    assert len(idents(html, "diff-list--added")) == 500 and "… et 19500 autres." in html
    assert len(idents(html, "diff-list--removed")) == 12
    places = section(html, "carte-titre")
    assert "montrent 1000 des 20000 structures" in places
    assert places.count('<li class="') == 1_000 and "… et 19000 autres." in places
    assert html.count("L.circleMarker(") == 1_000


def test_a_small_diff_is_shown_whole(client: FlaskClient) -> None:
    _, html = preview_of(client, to_csv(edited()))
    assert "autres." not in html and 'id="carte-partielle"' not in html
