"""The embed's options in its query string: what it shows (`affichage`), who sizes its frame
(`hauteur`), and a French 400 for a value it does not know."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from geodata.errors import InvalidValue
from webapp.public.views import EmbedOptions, embed_options


def body_classes(html: str) -> set[str]:
    found = re.search(r'<body class="([^"]*)"', html)
    assert found is not None
    return set(found.group(1).split())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", EmbedOptions("carte-et-liste", False)),
        ("affichage=carte", EmbedOptions("carte", False)),
        ("affichage=liste&hauteur=auto", EmbedOptions("liste", True)),
        ("affichage=carte-et-liste&hauteur=auto", EmbedOptions("carte-et-liste", True)),
        ("affichage=+carte+&hauteur=", EmbedOptions("carte", False)),
    ],
)
def test_the_options_are_read_from_the_query_string(query: str, expected: EmbedOptions) -> None:
    values = dict(pair.split("=") for pair in query.split("&") if pair)
    assert embed_options({k: v.replace("+", " ") for k, v in values.items()}) == expected


@pytest.mark.parametrize(
    ("query", "classes"),
    [
        ("reseau=neon", {"pm-page--embed", "pm-page--double"}),
        ("reseau=neon&affichage=carte", {"pm-page--embed", "pm-page--carte"}),
        ("affichage=liste&hauteur=auto", {"pm-page--embed", "pm-page--liste", "pm-page--auto"}),
    ],
)
def test_the_embed_page_is_laid_out_by_its_options(
    client: FlaskClient, query: str, classes: set[str]
) -> None:
    response = client.get(f"/embed?{query}")
    assert response.status_code == 200
    assert body_classes(response.text) == {"pm-page"} | classes
    assert 'id="pm-liste"' in response.text  # the list stays, for readers, whatever is shown


def test_the_public_page_shows_the_map_and_the_list(client: FlaskClient) -> None:
    assert body_classes(client.get("/").text) == {"pm-page", "pm-page--double"}


@pytest.mark.parametrize(
    ("query", "field"),
    [("affichage=plan", "affichage"), ("hauteur=600", "hauteur"), ("affichage=Carte", "affichage")],
)
def test_an_unknown_option_gets_a_400_page_in_french(
    client: FlaskClient, query: str, field: str
) -> None:
    response = client.get(f"/embed?reseau=neon&{query}")
    assert response.status_code == 400
    assert f"Valeur inconnue pour « {field} »" in response.text
    assert "Valeurs possibles" in response.text
    with pytest.raises(InvalidValue) as raised:
        embed_options(dict([query.split("=")]))
    assert raised.value.field == field


def test_the_filters_and_show_all_keep_the_network_and_options_of_an_embed(
    client: FlaskClient,
) -> None:
    html = client.get("/embed?reseau=neon&affichage=carte&hauteur=auto&soin=psychologie").text
    reset = r'id="pm-reset"\s+href="/embed\?reseau=neon&amp;affichage=carte&amp;hauteur=auto"'
    assert re.search(reset, html)
    for name, value in (("reseau", "neon"), ("affichage", "carte"), ("hauteur", "auto")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    default = client.get("/embed?reseau=neon").text
    assert re.search(r'id="pm-reset"\s+href="/embed\?reseau=neon"', default)
    assert 'name="affichage"' not in default
