"""An orientation request from end to end: place the patient, find the teams, warn.

The query holds health-related data (address, age, cancer): nothing here logs or keeps it.
Requests are parsed and checked in `geodata.orientation.request`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.config import DEFAULT_FAR_KM
from geodata.errors import PlaceNotFound
from geodata.geocoding import Geocoder, GeocodeResult, needs_town
from geodata.orientation.eligibility import Patient, patient_at
from geodata.orientation.pathway import window_warning
from geodata.orientation.published import PublishedIndex, published_index
from geodata.orientation.request import OrientationQuery, parse_form, parse_query
from geodata.orientation.search import Hit, nearest_in
from geodata.reference.gazetteer import Gazetteer
from geodata.storage.models import Network, Site

# The parser's names, for callers that knew them here.
__all__ = [
    "OrientationAnswer",
    "OrientationQuery",
    "answer_to_json",
    "orient",
    "parse_form",
    "parse_query",
]

# A street line alone: any town read from it would be a guess (the street's or a residence's).
NEEDS_TOWN = (
    "Adresse sans commune : ajoutez la commune ou le code postal du patient "
    "(par exemple « 4 rue Victor Hugo, 54000 Nancy »)."
)
NO_TEAM = (
    "Aucune équipe de l'annuaire ne correspond à ce patient : les équipes les plus proches sont "
    "listées avec la raison de leur exclusion."
)


@dataclass(frozen=True)
class OrientationAnswer:
    """Where the patient was placed, the eligible teams, the closer ones left out, warnings."""

    place: GeocodeResult
    results: tuple[Hit, ...]
    left_out: tuple[Hit, ...]
    warnings: tuple[str, ...]


def orient(
    session: Session,
    query: OrientationQuery,
    geocoder: Geocoder,
    gazetteer: Gazetteer,
    today: date,
    far_km: float = DEFAULT_FAR_KM,
) -> OrientationAnswer:
    """Place the patient and return the nearest eligible teams and the closer ones left out.

    When the nearest eligible team is farther than `far_km`, the first warning says so and
    names the network to contact.

    Raises:
        PlaceNotFound: the geocoder found nothing for the address; for a street line without
            town nor postcode, its hint asks for the commune.
        GeocoderUnavailable: the configured external geocoder did not answer.
    """
    places = geocoder.geocode(query.adresse, limit=1)
    if not places:
        raise PlaceNotFound(NEEDS_TOWN if needs_town(query.adresse) else "")
    place = places[0]
    patient = patient_at(place, query.cancer, query.age, query.soins, gazetteer)
    published = published_index(session)
    found = nearest_in(published, session, patient, (place.lat, place.lon), query.limite)
    warnings: list[str | None] = [place.note]
    if found.results and found.results[0].distance_km > far_km:
        nearest = found.results[0]
        warnings.append(far_warning(session, gazetteer, patient, nearest, far_km, published))
    if query.fin_traitement is not None:
        warnings.append(window_warning(query.fin_traitement, today))
    if not found.results:
        warnings.append(NO_TEAM)
    return OrientationAnswer(place, found.results, found.left_out, tuple(filter(None, warnings)))


def _french_km(value: float, spec: str) -> str:
    return f"{value:{spec}}".replace(".", ",") + " km"


def far_warning(
    session: Session,
    gazetteer: Gazetteer,
    patient: Patient,
    nearest: Hit,
    far_km: float,
    published: PublishedIndex | None = None,
) -> str:
    """Return the warning of a nearest eligible team farther than `far_km`.

    The network to contact is the regional network of the patient's region (the network with
    the most published sites there), which knows what is planned or possible near the patient;
    when no network of the directory has a site in that region, the network of that team.
    """
    distance = (
        f"L'équipe éligible la plus proche est à {_french_km(nearest.distance_km, '.1f')}, "
        f"au-delà de {_french_km(far_km, 'g')}"
    )
    regional = _regional_network(session, gazetteer, patient.departement, published)
    if regional is not None:
        return (
            f"{distance} : contactez le réseau régional {regional[0]} ({regional[1]}), qui peut "
            "connaître une solution plus proche du patient."
        )
    if published is not None:
        network = published.names_by_slug.get(nearest.network)
    else:
        query = select(Network.name).where(Network.slug == nearest.network)
        network = session.scalars(query).first()
    return (
        f"{distance}, et aucun réseau de l'annuaire n'a d'équipe dans la région du patient : "
        f"contactez le réseau {network or nearest.network}, dont dépend cette équipe."
    )


def _regional_network(
    session: Session, gazetteer: Gazetteer, department: str, published: PublishedIndex | None
) -> tuple[str, str] | None:
    """Return the network with the most sites in the region of `department`, and the region.

    Both are names; None when the region is unknown or no network has a site there.
    """
    home = gazetteer.department(department) if department else None
    region = gazetteer.region(home.region) if home is not None else None
    if region is None:
        return None
    codes = [d.code for d in gazetteer.departments() if d.region == region.code]
    if published is not None:
        found = published.busiest_network(codes)
        return (found, region.name) if found is not None else None
    name = session.scalars(
        select(Network.name)
        .join(Site)
        .where(Site.departement.in_(codes))
        .group_by(Network.id, Network.name)
        .order_by(func.count(Site.id).desc(), Network.name)
        .limit(1)
    ).first()
    return (name, region.name) if name is not None else None


def _result_json(hit: Hit) -> dict[str, Any]:
    location = hit.record.location
    return hit.record.public_json() | {
        "reseau": hit.network,
        "distance_km": round(hit.distance_km, 1),
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
    }


def _left_out_json(hit: Hit) -> dict[str, Any]:
    return {
        "identifiant": hit.record.identifiant,
        "nom": hit.record.nom,
        "reseau": hit.network,
        "distance_km": round(hit.distance_km, 1),
        "raisons": [{"code": r.code, "message": r.message} for r in hit.reasons],
    }


def answer_to_json(answer: OrientationAnswer) -> dict[str, Any]:
    """Return the body of `POST /api/v1/orientation`."""
    place = answer.place
    return {
        "lieu": {**place.to_json(), "precision": place.type.label},
        "resultats": [_result_json(hit) for hit in answer.results],
        "ecartes": [_left_out_json(hit) for hit in answer.left_out],
        "avertissements": list(answer.warnings),
    }
