from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from geodata.contract.records import Location
from geodata.errors import NotFound, PlaceNotFound
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
    return parse_query(VALID | changes, TODAY)


def test_place_not_found_is_a_not_found_without_the_address() -> None:
    error = PlaceNotFound()
    assert isinstance(error, NotFound)
    assert error.key == ""
    assert error.message.startswith("Adresse introuvable")


def test_place_not_found_may_say_what_to_add_instead() -> None:
    hint = "Ajoutez la commune ou le code postal à la rue."
    error = PlaceNotFound(hint)
    assert (error.message, error.hint) == (hint, hint)


def put_demo_like_sites(session: Session) -> None:
    """A team for children in Schiltigheim and one for adults in Strasbourg, farther away."""
    schiltigheim = Location(48.6077, 7.7495, "67447", "67", Precision.GIVEN, 1.0)
    strasbourg = Location(48.5736, 7.7532, "67482", "67", Precision.GIVEN, 1.0)
    records = [
        site("KIDS", publics=("enfants",), soins=("psychologie",), location=schiltigheim),
        site("ADULTS", soins=("psychologie", "dietetique"), location=strasbourg),
    ]
    publish(session, ensure_network(session, "neon", "NEON"), records)
    session.flush()


def run(session: Session, far_km: float = 50, **changes: Any) -> dict[str, Any]:
    gazetteer = get_gazetteer()
    geocoder = LocalGeocoder(gazetteer)
    answer = orient(session, query(**changes), geocoder, gazetteer, TODAY, far_km)
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


def test_a_request_without_cares_finds_the_nearest_team_offering_any(session: Session) -> None:
    put_demo_like_sites(session)
    body = run(session, soins=[], age=8)
    assert [r["identifiant"] for r in body["resultats"]] == ["KIDS"]


def test_a_far_nearest_team_is_said_first_with_the_regional_network_to_contact(
    session: Session,
) -> None:
    put_demo_like_sites(session)
    body = run(session, adresse="68100 Mulhouse", fin_traitement="2024-06-30")
    assert body["resultats"][0]["identifiant"] == "ADULTS"
    far, late = body["avertissements"]
    assert far.startswith("L'équipe éligible la plus proche est à 9")
    assert "au-delà de 50 km" in far
    assert "contactez le réseau régional NEON (Grand Est)" in far
    assert "30/06/2025" in late


def test_a_far_team_in_a_region_without_network_names_the_network_of_that_team(
    session: Session,
) -> None:
    put_demo_like_sites(session)
    (far,) = run(session, adresse="69003 Lyon")["avertissements"]
    assert "aucun réseau de l'annuaire n'a d'équipe dans la région du patient" in far
    assert "contactez le réseau NEON, dont dépend cette équipe" in far


def test_the_far_distance_is_a_parameter(session: Session) -> None:
    put_demo_like_sites(session)
    assert run(session)["avertissements"] == []
    (far,) = run(session, far_km=2.5)["avertissements"]
    assert "au-delà de 2,5 km" in far
