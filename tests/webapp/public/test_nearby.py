"""A shared URL with a place searched: the server lists its nearest teams without JavaScript."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from webapp.public.nearby import Place, place_from

STATUS = "Structures les plus proches de Strasbourg (Bas-Rhin, 67), distances à vol d'oiseau :"
SHARED = "/?lieu=Strasbourg+%28Bas-Rhin%2C+67%29&lat=48.58&lon=7.75"


def _nearest(html: str) -> list[str]:
    listed = re.search(r'<ol id="pm-nearest"[^>]*>(.*?)</ol>', html, re.S)
    assert listed is not None
    return re.findall(r'<li><a href="#site-([^"]+)">', listed.group(1))


def test_a_shared_place_lists_its_nearest_teams_with_straight_line_distances(
    client: FlaskClient,
) -> None:
    html = client.get(SHARED).text
    assert STATUS in html
    assert sorted(_nearest(html)) == ["neon--N-1", "neon--N-2", "onco-aura--A-1"]
    assert "— 0,5 km</li>" in html


def test_the_nearest_teams_of_a_shared_place_follow_the_filters(client: FlaskClient) -> None:
    html = client.get(SHARED + "&public=enfants").text
    assert _nearest(html) == ["neon--N-2"]


def test_a_place_with_a_bad_position_or_no_name_lists_nothing(client: FlaskClient) -> None:
    for query in ("lieu=X&lat=91&lon=7", "lieu=X&lat=nan&lon=7", "lat=48&lon=7", "lieu=X"):
        html = client.get("/?" + query).text
        assert _nearest(html) == []
        assert "Structures les plus proches de" not in html


def test_a_place_name_with_markup_is_shown_as_text(client: FlaskClient) -> None:
    html = client.get("/?lieu=%3Cb%3EX%3C%2Fb%3E&lat=48.58&lon=7.75").text
    assert "<b>X</b>" not in html
    assert "de &lt;b&gt;X&lt;/b&gt;, distances" in html


def test_a_place_is_read_from_its_three_parameters() -> None:
    assert place_from({"lieu": " Metz ", "lat": "49.1", "lon": "6.2"}) == Place("Metz", 49.1, 6.2)
    assert place_from({"lieu": "Metz", "lat": "49.1", "lon": "inf"}) is None
