from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from geodata.contract.records import Location
from geodata.errors import InvalidValue, NotFound, PlaceNotFound
from geodata.geocoding.local import LocalGeocoder
from geodata.geocoding.precision import Precision
from geodata.orientation.service import OrientationQuery, answer_to_json, orient, parse_query
from geodata.publishing.versions import publish
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.networks import ensure_network
from tests.helpers import site

VALID: dict[str, Any] = {
    "adresse": "67300 Schiltigheim",
    "cancer": "sein",
    "age": 54,
    "soins": ["psychologie"],
}
TODAY = date(2026, 1, 15)


def query(**changes: Any) -> OrientationQuery:
    return parse_query(VALID | changes)


def test_json_values_give_the_query_with_default_limit() -> None:
    assert query() == OrientationQuery("67300 Schiltigheim", "sein", 54, ("psychologie",), 5, None)


def test_form_strings_are_accepted() -> None:
    found = query(age="54", limite="3", soins="psychologie", fin_traitement="2025-06-30")
    assert (found.age, found.limite, found.soins) == (54, 3, ("psychologie",))
    assert found.fin_traitement == date(2025, 6, 30)


def test_empty_form_fields_take_their_defaults() -> None:
    found = query(limite="", fin_traitement="")
    assert (found.limite, found.fin_traitement) == (5, None)


def test_repeated_cares_are_kept_once_in_order() -> None:
    assert query(soins=["dietetique", "psychologie", "dietetique"]).soins == (
        "dietetique",
        "psychologie",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"adresse": ""}, "adresse"),
        ({"adresse": "   "}, "adresse"),
        ({"adresse": 67000}, "adresse"),
        ({"adresse": "x" * 301}, "adresse"),
        ({"cancer": "tous"}, "cancer"),
        ({"cancer": "inconnu"}, "cancer"),
        ({"cancer": ["sein"]}, "cancer"),
        ({"age": -1}, "age"),
        ({"age": 121}, "age"),
        ({"age": 54.5}, "age"),
        ({"age": "54 ans"}, "age"),
        ({"age": True}, "age"),
        ({"age": None}, "age"),
        ({"age": "٥٤"}, "age"),
        ({"soins": []}, "soins"),
        ({"soins": ["dietetique"] * 4}, "soins"),
        ({"soins": ["massage"]}, "soins"),
        ({"soins": [1]}, "soins"),
        ({"soins": {"dietetique": 1}}, "soins"),
        ({"limite": 0}, "limite"),
        ({"limite": 21}, "limite"),
        ({"fin_traitement": "31/03/2025"}, "fin_traitement"),
        ({"fin_traitement": "2025-02-30"}, "fin_traitement"),
        ({"fin_traitement": 20250331}, "fin_traitement"),
        ({"fin_traitement": "9999-12-31"}, "fin_traitement"),
        ({"fin_traitement": "0001-01-01"}, "fin_traitement"),
        ({"fin_traitement": "1899-12-31"}, "fin_traitement"),
    ],
)
def test_invalid_field_is_named_with_a_french_message(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        query(**changes)
    assert raised.value.field == field
    assert raised.value.message[0].isupper()


def test_end_of_treatment_is_accepted_from_1900_to_five_years_ahead() -> None:
    assert parse_query(VALID | {"fin_traitement": "1900-01-01"}, today=TODAY).fin_traitement
    assert parse_query(VALID | {"fin_traitement": "2031-01-15"}, today=TODAY).fin_traitement
    with pytest.raises(InvalidValue, match="entre le 01/01/1900 et le 15/01/2031") as raised:
        parse_query(VALID | {"fin_traitement": "2031-01-16"}, today=TODAY)
    assert raised.value.field == "fin_traitement"


def test_missing_age_is_refused() -> None:
    data = {k: v for k, v in VALID.items() if k != "age"}
    with pytest.raises(InvalidValue, match="âge"):
        parse_query(data)


def test_invalid_address_message_does_not_repeat_it() -> None:
    with pytest.raises(InvalidValue) as raised:
        query(adresse="12 rue Secrète " * 30)
    assert "Secrète" not in raised.value.message
    assert "Secrète" not in raised.value.value


def test_place_not_found_is_a_not_found_without_the_address() -> None:
    error = PlaceNotFound()
    assert isinstance(error, NotFound)
    assert error.key == ""


def put_demo_like_sites(session: Session) -> None:
    """A team for children in Schiltigheim and one for adults in Strasbourg, farther away."""
    schiltigheim = Location(48.6077, 7.7495, "67447", "67", Precision.GIVEN, 1.0)
    strasbourg = Location(48.5736, 7.7532, "67482", "67", Precision.GIVEN, 1.0)
    records = [
        site("KIDS", publics=("enfants",), soins=("psychologie",), location=schiltigheim),
        site("ADULTS", soins=("psychologie", "dietetique"), location=strasbourg),
    ]
    publish(session, ensure_network(session, "neon"), records)
    session.flush()


def run(session: Session, **changes: Any) -> dict[str, Any]:
    gazetteer = get_gazetteer()
    answer = orient(session, query(**changes), LocalGeocoder(gazetteer), gazetteer, TODAY)
    return answer_to_json(answer)


def test_orientation_finds_the_adult_team_and_reports_the_closer_team_for_children(
    session: Session,
) -> None:
    put_demo_like_sites(session)
    body = run(session)
    assert body["lieu"]["citycode"] == "67447"
    assert body["lieu"]["precision"] == "commune"
    assert [r["identifiant"] for r in body["resultats"]] == ["ADULTS"]
    assert body["resultats"][0]["reseau"] == "neon"
    assert body["resultats"][0]["soins"] == ["psychologie", "dietetique"]
    assert body["resultats"][0]["distance_km"] == pytest.approx(3.8, abs=0.3)
    assert [e["identifiant"] for e in body["ecartes"]] == ["KIDS"]
    assert body["ecartes"][0]["raisons"] == [
        {"code": "age", "message": "Réservé aux enfants (0-17 ans)"}
    ]
    assert body["avertissements"] == []


def test_orientation_warns_when_the_prescription_window_has_passed(session: Session) -> None:
    put_demo_like_sites(session)
    body = run(session, fin_traitement="2024-06-30")
    assert len(body["avertissements"]) == 1
    assert "30/06/2025" in body["avertissements"][0]


def test_orientation_without_eligible_team_warns_and_lists_the_nearest(session: Session) -> None:
    put_demo_like_sites(session)
    body = run(session, soins=["activite_physique"])
    assert body["resultats"] == []
    assert {e["identifiant"] for e in body["ecartes"]} == {"KIDS", "ADULTS"}
    assert "Aucune équipe" in body["avertissements"][0]


def test_unknown_place_raises_place_not_found(session: Session) -> None:
    put_demo_like_sites(session)
    with pytest.raises(PlaceNotFound):
        run(session, adresse="zzzzqqqq xxyyww")
