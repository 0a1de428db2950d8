from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import demo_app

VALID: dict[str, Any] = {
    "adresse": "67300 Schiltigheim",
    "cancer": "sein",
    "age": 54,
    "soins": ["psychologie"],
    "limite": 3,
}


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app on a fresh database of each kind holding the demo directory (read-only tests)."""
    return demo_app(request.param, tmp_path_factory.mktemp("api"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def orient(client: FlaskClient, body: object) -> Any:
    data = json.dumps(body)
    return client.post("/api/v1/orientation", data=data, content_type="application/json")


def test_orientation_ranks_the_adult_team_and_reports_the_closer_team_for_children(
    client: FlaskClient,
) -> None:
    response = orient(client, VALID)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["lieu"]["citycode"] == "67447"
    assert body["lieu"]["precision"] == "commune"
    assert body["resultats"][0]["identifiant"] == "NEON-STRAS-01"
    assert body["resultats"][0]["reseau"] == "neon"
    assert body["resultats"][0]["telephone"] == "03 53 01 00 01"
    schiltigheim = [e for e in body["ecartes"] if e["identifiant"] == "NEON-SCHIL-01"]
    assert schiltigheim[0]["raisons"] == [
        {"code": "age", "message": "Réservé aux enfants (0-17 ans)"}
    ]
    assert len(body["resultats"]) == 3
    distances = [r["distance_km"] for r in body["resultats"]]
    assert distances == sorted(distances)


def test_orientation_warns_when_the_prescription_window_has_passed(client: FlaskClient) -> None:
    body = orient(client, VALID | {"fin_traitement": "2020-01-31"}).get_json()
    assert "31/01/2021" in body["avertissements"][0]


def test_orientation_in_lyon_finds_an_onco_aura_team(client: FlaskClient) -> None:
    body = orient(client, VALID | {"adresse": "69003 Lyon"}).get_json()
    assert body["lieu"]["city"].startswith("Lyon")
    assert body["resultats"][0]["reseau"] == "onco-aura"


BAD_REQUESTS: list[tuple[str, object, int, str | None]] = [
    ("unknown place", VALID | {"adresse": "zzzqqq wwwxxx"}, 404, "adresse"),
    ("unknown cancer", VALID | {"cancer": "rate"}, 400, "cancer"),
    ("all cancers is not a cancer", VALID | {"cancer": "tous"}, 400, "cancer"),
    ("unknown care", VALID | {"soins": ["massage"]}, 400, "soins"),
    ("too many cares", VALID | {"soins": ["dietetique"] * 4}, 400, "soins"),
    ("missing age", {k: v for k, v in VALID.items() if k != "age"}, 400, "age"),
    ("negative age", VALID | {"age": -3}, 400, "age"),
    ("decimal age", VALID | {"age": 54.5}, 400, "age"),
    ("age as a string", VALID | {"age": "54"}, 400, "age"),
    ("care as a string", VALID | {"soins": "dietetique"}, 400, "soins"),
    ("limit as a string", VALID | {"limite": "5"}, 400, "limite"),
    ("empty end date", VALID | {"fin_traitement": ""}, 400, "fin_traitement"),
    ("age as a list", VALID | {"age": [54]}, 400, "age"),
    ("address as a number", VALID | {"adresse": 67000}, 400, "adresse"),
    ("limit too high", VALID | {"limite": 500}, 400, "limite"),
    ("bad end date", VALID | {"fin_traitement": "demain"}, 400, "fin_traitement"),
    ("end date in year 9999", VALID | {"fin_traitement": "9999-12-31"}, 400, "fin_traitement"),
    ("a list instead of an object", [VALID], 400, None),
    ("a string instead of an object", "bonjour", 400, None),
    ("null body", None, 400, None),
]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [case[1:] for case in BAD_REQUESTS],
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_orientation_requests_get_a_french_json_error(
    client: FlaskClient, body: object, status: int, field: str | None
) -> None:
    response = orient(client, body)
    assert response.status_code == status
    payload = response.get_json()
    assert payload["champ"] == field
    assert payload["erreur"][0].isupper()
    assert "zzzqqq" not in payload["erreur"]
    assert payload["erreurs"] == [{"champ": field, "message": payload["erreur"]}]


def test_every_bad_field_is_reported_at_once_with_the_labels_users_see(
    client: FlaskClient,
) -> None:
    body = {"adresse": "", "cancer": "tous", "age": "54", "soins": ["massage"], "limite": 0}
    response = orient(client, body | {"fin_traitement": "31/12/2025"})
    assert response.status_code == 400
    payload = response.get_json()
    fields = [error["champ"] for error in payload["erreurs"]]
    assert fields == ["adresse", "cancer", "age", "soins", "limite", "fin_traitement"]
    assert payload["champ"] == "adresse"
    messages = [error["message"] for error in payload["erreurs"]]
    assert payload["erreur"] == " ".join(messages)
    assert "« Bilan d'activité physique adaptée »" in messages[3]
    assert "activite_physique" not in payload["erreur"] and "gynecologique" not in payload["erreur"]


@pytest.mark.parametrize("soins", [None, []], ids=["omitted", "empty"])
def test_without_cares_the_nearest_team_taking_the_patient_comes_first(
    client: FlaskClient, soins: list[str] | None
) -> None:
    body = {k: v for k, v in VALID.items() if k != "soins"}
    response = orient(client, body if soins is None else body | {"soins": soins})
    assert response.status_code == 200
    results = response.get_json()["resultats"]
    assert results[0]["identifiant"] == "NEON-STRAS-01"
    cared = orient(client, VALID | {"soins": ["activite_physique", "dietetique", "psychologie"]})
    assert len(results) >= len(cared.get_json()["resultats"])


def test_an_age_written_with_a_decimal_point_is_a_whole_number_of_years(
    client: FlaskClient,
) -> None:
    response = orient(client, VALID | {"age": 71.0, "limite": 2.0})
    assert response.status_code == 200
    assert len(response.get_json()["resultats"]) == 2


def test_a_far_nearest_team_is_said_first_with_the_regional_network_to_contact(
    client: FlaskClient,
) -> None:
    body = VALID | {"adresse": "51100 Reims", "age": 8, "soins": ["psychologie"]}
    answer = orient(client, body | {"fin_traitement": "2020-01-31"}).get_json()
    assert answer["resultats"][0]["identifiant"] == "NEON-SCHIL-01"
    far, late = answer["avertissements"]
    assert "au-delà de 50 km : contactez le réseau régional NEON (Grand Est)" in far
    assert "31/01/2021" in late


def test_an_unknown_place_says_so_in_the_list_of_errors(client: FlaskClient) -> None:
    payload = orient(client, VALID | {"adresse": "zzzqqq wwwxxx"}).get_json()
    assert payload["erreurs"] == [{"champ": "adresse", "message": payload["erreur"]}]
    assert payload["erreur"].startswith("Adresse introuvable")


@pytest.mark.parametrize(
    "adresse", ["Résidence Les Lilas, 4 rue Victor Hugo", "Clinique Y, 2 rue de Metz"]
)
def test_a_street_line_without_town_is_refused_asking_for_the_commune(
    client: FlaskClient, adresse: str
) -> None:
    response = orient(client, VALID | {"adresse": adresse})
    assert response.status_code == 404
    message = response.get_json()["erreurs"][0]["message"]
    assert "ajoutez la commune" in message and "Lilas" not in message


def test_a_postcode_contradicting_the_town_keeps_the_town_and_warns(client: FlaskClient) -> None:
    payload = orient(client, VALID | {"adresse": "2 rue de la Gare 75013 Nancy"}).get_json()
    assert payload["lieu"]["city"] == "Nancy" and "75013" in payload["lieu"]["note"]
    assert payload["avertissements"][0] == payload["lieu"]["note"]


RAW_REQUESTS: list[tuple[str, bytes, str, int]] = [
    ("malformed JSON", b'{"adresse": "Lyon",', "application/json", 400),
    ("not UTF-8", b'{"adresse": "\xff"}', "application/json", 400),
    ("deeply nested", b"[" * 10_000, "application/json", 400),
    ("form instead of JSON", b"adresse=Lyon&age=54", "application/x-www-form-urlencoded", 415),
    ("no content type", json.dumps(VALID).encode(), "", 415),
    ("huge body", b'{"adresse": "' + b"a" * 100_000 + b'"}', "application/json", 413),
    ("bigger than the app allows", b" " * (3 * 1024 * 1024), "application/json", 413),
]


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [case[1:] for case in RAW_REQUESTS],
    ids=[case[0] for case in RAW_REQUESTS],
)
def test_unreadable_orientation_bodies_get_a_french_json_error(
    client: FlaskClient, data: bytes, content_type: str, status: int
) -> None:
    response = client.post("/api/v1/orientation", data=data, content_type=content_type)
    assert response.status_code == status
    payload = response.get_json()
    assert payload["erreurs"] == [{"champ": None, "message": payload["erreur"]}]


def test_orientation_is_refused_with_get(client: FlaskClient) -> None:
    response = client.get("/api/v1/orientation?adresse=Lyon")
    assert response.status_code == 405
    assert response.get_json()["erreur"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
# Plausible values mixed with arbitrary JSON, so that the fuzz also reaches the geocoder and search.
PLAUSIBLE: dict[str, list[Any]] = {
    "adresse": ["Lyon", "67000 Strasbourg", ""],
    "cancer": ["sein", "tous", "poumon"],
    "age": [0, 54, 120, "54", -1],
    "soins": [["dietetique"], ["psychologie", "activite_physique"], "dietetique"],
    "limite": [1, 20, "5", 0],
    "fin_traitement": ["2025-01-31", "", None],
}
FIELD_VALUES = st.fixed_dictionaries(
    {}, optional={name: JSON | st.sampled_from(values) for name, values in PLAUSIBLE.items()}
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=JSON | FIELD_VALUES)
def test_no_json_body_makes_the_orientation_fail_with_a_server_error(
    client: FlaskClient, body: object
) -> None:
    response = client.post(
        "/api/v1/orientation", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code < 500
    if response.status_code != 200:
        assert set(response.get_json()) == {"erreur", "champ", "erreurs"}


def test_geocode_returns_places_in_the_ban_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/geocode?q=Strasbourg&limit=2")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    results = response.get_json()["results"]
    assert 1 <= len(results) <= 2
    assert results[0]["citycode"] == "67482"
    assert set(results[0]) == {
        "label",
        "citycode",
        "postcode",
        "city",
        "lat",
        "lon",
        "score",
        "type",
    }


@pytest.mark.parametrize("q", ["", "St", "  ab  "])
def test_geocode_of_fewer_than_three_characters_is_empty(client: FlaskClient, q: str) -> None:
    assert client.get("/api/v1/geocode", query_string={"q": q}).get_json() == {"results": []}


@pytest.mark.parametrize("limit", ["0", "11", "deux", "-1", "٣"])
def test_geocode_limit_outside_one_to_ten_is_refused(client: FlaskClient, limit: str) -> None:
    response = client.get("/api/v1/geocode", query_string={"q": "Lyon", "limit": limit})
    assert response.status_code == 400
    assert response.get_json()["champ"] == "limit"


def test_geocode_of_a_very_long_text_is_refused(client: FlaskClient) -> None:
    response = client.get("/api/v1/geocode", query_string={"q": "rue " * 100})
    assert response.status_code == 400
    assert response.get_json()["champ"] == "q"
