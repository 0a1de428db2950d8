"""The public map pages and the GeoJSON directory through Flask's test client, on both databases."""

from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient

from tests.webapp.public.conftest import MARKUP_NAME
from webapp.maps import script_string
from webapp.public.map import OUTLINES_FILE, light_outlines_text


def _shown(html: str) -> list[str]:
    """Return the data-key of the list entries that are not hidden."""
    entries = re.findall(r'<li class="pm-site" id="site-([^"]+)"[^>]*?>', html, re.S)
    hidden = re.findall(r'<li class="pm-site" id="site-([^"]+)"[^>]*? hidden>', html, re.S)
    return sorted(set(entries) - set(hidden))


def test_the_map_page_lists_every_active_site_with_its_restriction(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert _shown(html) == ["neon--N-1", "neon--N-2", "onco-aura--A-1"]
    assert "Fermée" not in html
    assert "Enfants uniquement (0-17 ans)" in html
    assert "Cancer du sein uniquement" in html
    assert "3 structures affichées sur 3" in html
    assert 'href="tel:0388000000"' in html


def test_a_name_with_markup_shows_as_text_in_the_list(client: FlaskClient) -> None:
    html = client.get("/").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Équipe ${alert(2)}" in html
    # Popups are built in the page from the list item (public-map.js): none is in the script.
    assert "bindPopup" not in html


def test_filters_in_the_query_string_hide_the_other_sites(client: FlaskClient) -> None:
    html = client.get("/?public=enfants").text
    assert _shown(html) == ["neon--N-2"]
    assert "1 structure affichée sur 3" in html
    assert '<option value="enfants" selected>' in html
    assert _shown(client.get("/?cancer=sein&reseau=onco-aura").text) == ["onco-aura--A-1"]


def test_territories_and_filter_options_are_words_not_codes(client: FlaskClient) -> None:
    html = client.get("/").text
    assert "<dt>Territoire</dt><dd>Vosges (88), Châlons-en-Champagne</dd>" in html
    assert "51108" not in html
    # Once: the popup is built from the list item.
    assert html.count("Vosges (88), Châlons-en-Champagne") == 1
    assert '<option value="sein">Sein</option>' in html
    assert '<option value="enfants">Enfants (0-17 ans)</option>' in html
    assert '<option value="psychologie">Bilan et consultations psychologiques</option>' in html


def test_the_list_links_phone_mail_and_route_once(client: FlaskClient) -> None:
    html = client.get("/").text
    route = "https://www.openstreetmap.org/directions?to=48.58390%2C7.74550"
    # The list only: public-map.js copies these links into a popup when it opens.
    assert html.count('href="tel:0388000000"') == 1
    assert html.count('href="mailto:equipe@example.org"') == 1
    assert html.count(route) == 3  # each site's list item


def test_an_unknown_filter_value_gets_a_french_error_page(client: FlaskClient) -> None:
    response = client.get("/?soin=yoga")
    assert response.status_code == 400
    assert "Valeur inconnue pour « soin »" in response.text


def test_the_embed_shows_one_network_without_chrome_and_may_be_framed(
    client: FlaskClient,
) -> None:
    response = client.get("/embed?reseau=neon")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "site-header" not in response.text
    assert "Carte des structures — NEON" in response.text
    assert _shown(response.text) == ["neon--N-1", "neon--N-2"]
    assert "onco-aura--A-1" not in response.text
    assert client.get("/embed?reseau=inconnu").status_code == 400


def test_the_geojson_directory_lists_active_sites_with_the_contract_properties(
    client: FlaskClient,
) -> None:
    response = client.get("/api/v1/structures.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    body = json.loads(response.text)
    assert body["type"] == "FeatureCollection"
    by_id = {f["properties"]["identifiant"]: f["properties"] for f in body["features"]}
    assert sorted(by_id) == ["A-1", "N-1", "N-2"]
    assert by_id["N-1"]["nom"] == MARKUP_NAME
    assert by_id["N-2"]["restriction"] == "enfants"
    assert by_id["A-1"]["reseau_nom"] == "ONCO AURA"


def test_the_geojson_directory_takes_the_map_filters(client: FlaskClient) -> None:
    body = client.get("/api/v1/structures.geojson?cancer=sein&reseau=onco-aura").json
    assert body is not None
    assert [f["properties"]["identifiant"] for f in body["features"]] == ["A-1"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("cancer=foie", "cancer"), ("public=bebe", "public"), ("reseau=x", "reseau")],
)
def test_unknown_filter_values_get_a_400_in_french(
    client: FlaskClient, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/structures.geojson?{query}")
    assert response.status_code == 400
    assert response.json is not None
    assert response.json["champ"] == field
    assert "Valeur inconnue" in response.json["erreur"] or "n'existe pas" in response.json["erreur"]


def test_the_committed_outline_file_is_what_the_generator_writes() -> None:
    text = OUTLINES_FILE.read_text(encoding="utf-8")
    assert text == light_outlines_text()
    assert len(text.encode()) < 150_000
    assert len(json.loads(text)["features"]) == 101


def test_script_strings_cannot_close_the_script_element() -> None:
    literal = script_string("</script><!-- é \u2028")
    assert "<" not in literal and ">" not in literal and "\u2028" not in literal
    assert "é" in literal
    assert json.loads(literal) == "</script><!-- é \u2028"
