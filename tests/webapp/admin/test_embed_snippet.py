"""The embed snippet generator: the pure snippet function for each option, its escaping and
bounds; the admin route that returns it as JSON (rights, French errors); the network page's
options form without JavaScript; /embed may be framed by the admin's preview."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from geodata.errors import InvalidFields
from tests.helpers import AURA_EDITOR, schema_ready_url, sign_in
from webapp import create_app
from webapp.admin.embed import EmbedOptions, embed_snippet, embed_url, options_from
from webapp.security import embed_ancestors

BASE = "https://annuaire.example.org/embed"
NEON = EmbedOptions(reseau="neon")


def snippet(**options: Any) -> str:
    return embed_snippet(EmbedOptions(**{"reseau": "neon", **options}), BASE, "NEON")


def test_the_default_snippet_is_the_networks_map_and_list_600_px_high_without_script() -> None:
    assert snippet() == (
        '<iframe src="https://annuaire.example.org/embed?reseau=neon" '
        'title="Carte des structures — NEON" width="100%" height="600" '
        'style="border:0" loading="lazy"></iframe>'
    )


def test_the_filters_go_into_the_embeds_query_string_in_a_fixed_order() -> None:
    options = EmbedOptions(reseau="neon", soin="dietetique", cancer="sein", public="adultes")
    assert embed_url(BASE, options) == (
        f"{BASE}?reseau=neon&cancer=sein&public=adultes&soin=dietetique"
    )


def test_the_whole_directory_has_no_network_in_its_url_and_says_so_in_the_title() -> None:
    html = snippet(reseau="")
    assert f'src="{BASE}"' in html and 'title="Carte des structures — tout l’annuaire"' in html


@pytest.mark.parametrize(
    ("affichage", "query", "title"),
    [
        ("carte", "&amp;affichage=carte", "Carte des structures"),
        ("liste", "&amp;affichage=liste", "Liste des structures"),
        ("carte-et-liste", "", "Carte des structures"),
    ],
)
def test_the_display_is_in_the_url_unless_it_is_the_default(
    affichage: str, query: str, title: str
) -> None:
    html = snippet(affichage=affichage)
    assert f'src="{BASE}?reseau=neon{query}"' in html
    assert f'title="{title} — NEON"' in html


def test_a_fixed_height_is_the_frames_height() -> None:
    html = snippet(height=850)
    assert 'height="850"' in html and "<script>" not in html


def test_an_automatic_height_asks_the_embed_for_it_and_adds_the_listening_script() -> None:
    html = snippet(auto_height=True, height=12)  # a fixed height is then irrelevant
    assert f'src="{BASE}?reseau=neon&amp;hauteur=auto"' in html
    frame, script = html.split("</iframe>\n")
    assert 'height="600"' in frame
    assert script.startswith("<script>") and script.endswith("</script>")
    assert "event.source !== frame.contentWindow" in script
    assert 'event.origin !== "https://annuaire.example.org"' in script
    assert 'data.type !== "annuaire-pcs-hauteur"' in script
    assert "isFinite(data.hauteur)" in script and "data.hauteur <= 0" in script
    assert "Math.max(data.hauteur, 200), 20000)" in script
    assert "document.currentScript.previousElementSibling" in script


def test_a_hostile_network_name_is_escaped_in_the_title() -> None:
    html = embed_snippet(NEON, BASE, 'A&B "><script>alert(1)</script>')
    assert (
        'title="Carte des structures — A&amp;B &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'
        in html
    )
    assert html.count("<script") == 0


def test_the_origin_in_the_script_is_a_string_that_cannot_close_it() -> None:
    options = EmbedOptions(reseau="neon", auto_height=True)
    script = embed_snippet(options, "http://a</script>&b/embed", "NEON").split("</iframe>")[1]
    assert script.count("</script>") == 1
    assert 'event.origin !== "http://a\\u003c"' in script


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"cancer": "inconnu"}, "cancer"),
        ({"cancer": "tous"}, "cancer"),
        ({"public": "bebes"}, "public"),
        ({"soin": "natation"}, "soin"),
        ({"affichage": "plein-ecran"}, "affichage"),
        ({"height": 299}, "pixels"),
        ({"height": 2001}, "pixels"),
    ],
)
def test_bad_options_are_refused_with_a_french_message(options: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidFields) as raised:
        EmbedOptions(reseau="neon", **options)
    assert raised.value.field == field
    assert re.search(r"[a-zé]", raised.value.message) and "Error" not in raised.value.message


@pytest.mark.parametrize("height", [300, 2000])
def test_the_bounds_of_a_fixed_height_are_accepted(height: int) -> None:
    assert f'height="{height}"' in snippet(height=height)


def test_the_form_values_give_the_options_and_every_bad_one_is_said() -> None:
    args = {"perimetre": "tout", "cancer": "sein", "affichage": "liste", "hauteur": "auto"}
    assert options_from(args, "neon") == EmbedOptions(
        reseau="", cancer="sein", affichage="liste", auto_height=True
    )
    assert options_from({}, "neon") == NEON
    with pytest.raises(InvalidFields) as raised:
        options_from({"perimetre": "x", "pixels": "douze", "soin": "natation"}, "neon")
    assert [error.field for error in raised.value.errors] == ["perimetre", "pixels", "soin"]
    assert "entre 300 et 2000" in raised.value.errors[1].message


def test_the_route_returns_the_snippet_and_the_preview_url(client: FlaskClient) -> None:
    response = client.get("/admin/neon/integration?affichage=carte&hauteur=fixe&pixels=450")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["apercu"] == "http://localhost/embed?reseau=neon&affichage=carte"
    assert body["snippet"].startswith(
        '<iframe src="http://localhost/embed?reseau=neon&amp;affichage=carte" '
    )
    assert 'height="450"' in body["snippet"]


def test_the_route_refuses_bad_values_with_a_400_in_french(client: FlaskClient) -> None:
    response = client.get("/admin/neon/integration?pixels=99999&cancer=x")
    assert response.status_code == 400
    body = response.get_json()
    assert [e["champ"] for e in body["erreurs"]] == ["cancer", "pixels"]
    assert "Type de cancer inconnu : « x »" in body["erreur"]
    assert "entre 300 et 2000" in body["erreur"]


def test_the_route_sends_an_anonymous_visitor_to_the_sign_in_page(client: FlaskClient) -> None:
    client.post("/deconnexion", data={"csrf_token": _token(client)})
    response = client.get("/admin/neon/integration")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion")


def test_the_route_refuses_an_editor_of_another_network(client: FlaskClient) -> None:
    assert client.application is not None
    client = client.application.test_client()
    sign_in(client, AURA_EDITOR)
    assert client.get("/admin/neon/integration").status_code == 403
    assert client.get("/admin/onco-aura/integration").status_code == 200


def test_the_network_page_renders_the_snippet_of_its_query_string_without_script(
    client: FlaskClient,
) -> None:
    html = client.get("/admin/neon?perimetre=reseau&soin=psychologie&hauteur=auto").text
    assert "embed?reseau=neon&amp;amp;soin=psychologie&amp;amp;hauteur=auto" in html
    assert 'value="psychologie" selected' in html
    assert 'id="hauteur-auto" name="hauteur" value="auto" checked' in html


def test_the_network_page_says_bad_options_and_shows_the_default_snippet(
    client: FlaskClient,
) -> None:
    html = client.get("/admin/neon?pixels=5").text
    assert 'id="integration-erreur"' in html and "entre 300 et 2000" in html
    assert "embed?reseau=neon&#34;" in html


def test_the_admin_preview_may_frame_the_embed_whatever_sites_are_allowed(tmp_path: Path) -> None:
    assert embed_ancestors("*") == "*"
    assert embed_ancestors("https://x.example") == "'self' https://x.example"
    assert embed_ancestors("'none'") == "'self'"
    url = schema_ready_url(tmp_path)
    config = {
        "database_url": url,
        "instance_path": tmp_path,
        "embed_ancestors": "https://x.example",
    }
    response = create_app(config).test_client().get("/embed")
    assert "frame-ancestors 'self' https://x.example" in response.headers["Content-Security-Policy"]


def _token(client: FlaskClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/neon").text)
    assert found is not None
    return found.group(1)
