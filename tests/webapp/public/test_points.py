"""The map's markers: a GeoJSON named after the directory's version, cached a year, on both
databases."""

from __future__ import annotations

import json
import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine

from geodata.contract.records import Location
from geodata.geocoding.precision import Precision
from geodata.publishing.versions import publish
from geodata.storage.engine import session_factory
from geodata.storage.networks import ensure_network
from tests.helpers import site
from tests.webapp.public.conftest import MARKUP_NAME

IMMUTABLE = "public, max-age=31536000, immutable"
POINTS_URL = re.compile(r'data-points="(/carte/structures-([0-9a-f]{12})\.geojson[^"]*)"')


def points_url(client: FlaskClient, page: str = "/") -> str:
    """Return the address of the markers that the map page `page` names."""
    found = POINTS_URL.search(client.get(page).text)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


def features(client: FlaskClient, url: str) -> dict[str, dict[str, Any]]:
    """Return the features of the markers' file at `url`, by site key."""
    response = client.get(url)
    assert response.status_code == 200
    body = json.loads(response.text)
    assert body["type"] == "FeatureCollection"
    return {f["properties"]["site"]: f for f in body["features"]}


def publish_a_site_in_neon(engine: Engine) -> None:
    with session_factory(engine)() as session, session.begin():
        neon = ensure_network(session, "neon", "NEON")
        publish(session, neon, [site("N-1"), site("N-NEW", nom="Nouvelle équipe")])


def test_the_markers_hold_key_position_kind_and_name_and_no_other_detail(
    client: FlaskClient,
) -> None:
    by_key = features(client, points_url(client))
    assert sorted(by_key) == ["neon--N-1", "neon--N-2", "onco-aura--A-1"]  # active sites only
    first = by_key["neon--N-1"]
    assert first["geometry"] == {"type": "Point", "coordinates": [7.7455, 48.5839]}
    assert first["properties"] == {"site": "neon--N-1", "nom": MARKUP_NAME, "restriction": "tous"}
    assert by_key["neon--N-2"]["properties"]["restriction"] == "enfants"
    assert by_key["onco-aura--A-1"]["properties"]["restriction"] == "sein"


def test_coordinates_are_rounded_to_five_decimals(client: FlaskClient, engine: Engine) -> None:
    precise = Location(48.583912345, 7.745587654, "67482", "67", Precision.MUNICIPALITY, 1.0)
    with session_factory(engine)() as session, session.begin():
        aura = ensure_network(session, "onco-aura", "ONCO AURA")
        publish(session, aura, [site("A-1", location=precise)])
    point = features(client, points_url(client))["onco-aura--A-1"]["geometry"]["coordinates"]
    assert point == [7.74559, 48.58391]


def test_the_markers_are_cached_a_year_as_geojson(client: FlaskClient) -> None:
    response = client.get(points_url(client))
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.mimetype == "application/geo+json"
    assert "Set-Cookie" not in response.headers


def test_the_page_carries_the_details_once_and_the_markers_none(client: FlaskClient) -> None:
    html = client.get("/").text
    assert html.count('href="tel:0388000000"') == 1  # the list item; popups are built from it
    assert "bindPopup" not in html and "L.marker(" not in html
    assert "0388000000" not in client.get(points_url(client)).text


def test_a_publication_names_a_new_version_and_the_old_one_leads_to_it(
    client: FlaskClient, engine: Engine
) -> None:
    before = points_url(client)
    publish_a_site_in_neon(engine)
    after = points_url(client)
    assert after != before
    assert "neon--N-NEW" in features(client, after)
    # The page read before the publication gets today's markers; the redirect is not kept.
    moved = client.get(before)
    assert moved.status_code == 302
    assert moved.headers["Location"] == after
    assert moved.headers["Cache-Control"] == "no-store"
    assert client.get(after).headers["Cache-Control"] == IMMUTABLE


def test_the_version_stays_while_nothing_is_published(client: FlaskClient) -> None:
    assert points_url(client) == points_url(client) == points_url(client, "/?public=enfants")


def test_a_made_up_version_is_redirected_to_the_current_one(client: FlaskClient) -> None:
    moved = client.get("/carte/structures-000000000000.geojson?reseau=neon")
    assert moved.status_code == 302
    assert moved.headers["Location"] == points_url(client, "/embed?reseau=neon")
    assert moved.headers["Cache-Control"] == "no-store"


def test_a_networks_embed_names_the_markers_of_that_network_only(client: FlaskClient) -> None:
    url = points_url(client, "/embed?reseau=neon")
    assert url.endswith("?reseau=neon")
    assert sorted(features(client, url)) == ["neon--N-1", "neon--N-2"]
    # The public page keeps every site at hand, whatever its filters; so does a whole embed.
    assert points_url(client, "/?reseau=neon") == points_url(client) == points_url(client, "/embed")


def test_an_unknown_network_gets_a_400(client: FlaskClient) -> None:
    version = POINTS_URL.search(client.get("/").text)
    assert version is not None
    response = client.get(f"/carte/structures-{version.group(2)}.geojson?reseau=inconnu")
    assert response.status_code == 400
