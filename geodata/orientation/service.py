"""An orientation request from end to end: parse it, place the patient, find the teams.

The query holds health-related data (address, age, cancer): nothing here logs or keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from geodata.contract.schema import load_schema
from geodata.errors import InvalidValue, PlaceNotFound
from geodata.geocoding import Geocoder, GeocodeResult
from geodata.orientation.eligibility import ALL_CANCERS, patient_at
from geodata.orientation.pathway import window_warning
from geodata.orientation.search import Hit, nearest_sites
from geodata.reference.gazetteer import Gazetteer

MAX_AGE = 120
MAX_SOINS = 3  # a prescription lists 1, 2 or 3 of the cares
MAX_LIMIT = 20
DEFAULT_LIMIT = 5
MAX_ADDRESS_LENGTH = 300
# An end of treatment outside these bounds is a typing error; the bounds also keep the
# 12-month deadline inside the calendar (year 9999 would overflow it).
EARLIEST_END = date(1900, 1, 1)
MAX_YEARS_AHEAD = 5


@dataclass(frozen=True)
class OrientationQuery:
    """What a physician asks: where the patient lives, their cancer, age and cares."""

    adresse: str
    cancer: str  # a cancers code other than "tous"
    age: int  # 0..120
    soins: tuple[str, ...]  # 1 to 3 distinct soins codes
    limite: int = DEFAULT_LIMIT  # 1..20
    fin_traitement: date | None = None


@dataclass(frozen=True)
class OrientationAnswer:
    """Where the patient was placed, the eligible teams, the closer ones left out, warnings."""

    place: GeocodeResult
    results: tuple[Hit, ...]
    left_out: tuple[Hit, ...]
    warnings: tuple[str, ...]


def _invalid(message: str, field: str, value: object = "") -> InvalidValue:
    return InvalidValue(message, field=field, value=str(value)[:50])


def _address(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid("Indiquez l'adresse du patient (au moins la commune).", "adresse")
    if len(value) > MAX_ADDRESS_LENGTH:
        raise _invalid(
            f"L'adresse est trop longue (au plus {MAX_ADDRESS_LENGTH} caractères).", "adresse"
        )
    return value.strip()


def _cancer(value: object) -> str:
    cancers = [code for code in load_schema().vocabulary("cancers") if code != ALL_CANCERS]
    if isinstance(value, str) and value in cancers:
        return value
    raise _invalid(
        f"Type de cancer inconnu ou manquant. Valeurs possibles : {', '.join(cancers)}.", "cancer"
    )


def _integer(value: object, field: str, low: int, high: int, message: str) -> int:
    """Return `value` as an int in [low, high]: a JSON integer or a string of digits."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not low <= number <= high:
        raise _invalid(message, field, value if isinstance(value, int | str) else "")
    return number


def _soins(value: object) -> tuple[str, ...]:
    vocabulary = load_schema().vocabulary("soins")
    items = [value] if isinstance(value, str) else value
    choices = ", ".join(vocabulary)
    if not isinstance(items, list | tuple) or not 1 <= len(items) <= MAX_SOINS:
        raise _invalid(f"Indiquez de 1 à {MAX_SOINS} soins à prescrire parmi : {choices}.", "soins")
    for item in items:
        if not isinstance(item, str) or item not in vocabulary:
            raise _invalid(f"Soin inconnu. Valeurs possibles : {choices}.", "soins")
    return tuple(dict.fromkeys(items))


def _end_date(value: object, today: date) -> date | None:
    if value is None or value == "":
        return None
    day = _iso_date(value)
    if day is None:
        raise _invalid(
            "Date de fin de traitement invalide : utilisez le format AAAA-MM-JJ (ex. 2026-03-31).",
            "fin_traitement",
        )
    latest = _years_after(today, MAX_YEARS_AHEAD)
    if not EARLIEST_END <= day <= latest:
        raise _invalid(
            "La date de fin de traitement doit être comprise entre le "
            f"{EARLIEST_END:%d/%m/%Y} et le {latest:%d/%m/%Y}.",
            "fin_traitement",
            value,
        )
    return day


def _iso_date(value: object) -> date | None:
    """Return `value` as a date if it is exactly AAAA-MM-JJ, else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _years_after(day: date, years: int) -> date:
    # 29 February has no match in most years: the 28th is the closest day before.
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _age(value: object) -> int:
    return _integer(
        value, "age", 0, MAX_AGE, f"Indiquez l'âge du patient en années : de 0 à {MAX_AGE}."
    )


def _limit(value: object) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    message = f"Le nombre de résultats (limite) doit être un nombre entier de 1 à {MAX_LIMIT}."
    return _integer(value, "limite", 1, MAX_LIMIT, message)


def parse_query(data: Mapping[str, Any], today: date | None = None) -> OrientationQuery:
    """Return the query in `data`: JSON values or form strings (age "54", soins list of str).

    `today` (by default the system date) bounds the end of treatment: from 1900 to 5 years on.

    Raises:
        InvalidValue: a field is missing or invalid; `field` names it and the French message
            says what is accepted (it never repeats the address).
    """
    return OrientationQuery(
        adresse=_address(data.get("adresse")),
        cancer=_cancer(data.get("cancer")),
        age=_age(data.get("age")),
        soins=_soins(data.get("soins")),
        limite=_limit(data.get("limite")),
        fin_traitement=_end_date(data.get("fin_traitement"), today or date.today()),
    )


def orient(
    session: Session, query: OrientationQuery, geocoder: Geocoder, gazetteer: Gazetteer, today: date
) -> OrientationAnswer:
    """Place the patient and return the nearest eligible teams and the closer ones left out.

    Raises:
        PlaceNotFound: the geocoder found nothing for the address.
        GeocoderUnavailable: the configured external geocoder did not answer.
    """
    places = geocoder.geocode(query.adresse, limit=1)
    if not places:
        raise PlaceNotFound()
    place = places[0]
    patient = patient_at(place, query.cancer, query.age, query.soins, gazetteer)
    found = nearest_sites(session, patient, place.lat, place.lon, limit=query.limite)
    warnings = []
    if query.fin_traitement is not None:
        warning = window_warning(query.fin_traitement, today)
        if warning:
            warnings.append(warning)
    if not found.results:
        warnings.append(
            "Aucune équipe de l'annuaire ne correspond à ce patient : les équipes les plus "
            "proches sont listées avec la raison de leur exclusion."
        )
    return OrientationAnswer(place, found.results, found.left_out, tuple(warnings))


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
