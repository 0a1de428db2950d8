"""Row checks that need geography: the commune for its postcode, given coordinates, the zone."""

from __future__ import annotations

from geodata.contract.records import Location
from geodata.contract.rowcheck import RowCheck
from geodata.contract.schema import load_schema
from geodata.contract.vocabulary import split_list
from geodata.errors import InvalidValue
from geodata.geo import haversine_km
from geodata.geocoding.precision import Precision
from geodata.normalize import clean_text, normalise_zone_code, parse_degrees
from geodata.reference import outlines
from geodata.reference.gazetteer import Commune, Gazetteer

MIN_TOLERANCE_KM = 5.0


def _names(communes: list[Commune]) -> str:
    return ", ".join(f"« {c.name} »" for c in communes[:5])


def _commune_message(name: str, postcode: str, gazetteer: Gazetteer) -> str:
    owners = gazetteer.communes_by_postcode(postcode)
    elsewhere = gazetteer.match_commune(name)
    if elsewhere is not None:
        codes = ", ".join(elsewhere.postcodes) or "inconnu"
        found = f" (il correspond à {_names(owners)})" if owners else ""
        return (
            f"La commune « {elsewhere.name} » n'a pas le code postal {postcode}{found} : son code "
            f"postal est {codes}. Corrigez la commune ou le code postal."
        )
    message = f"Commune « {name} » inconnue pour le code postal {postcode}."
    suggestions = gazetteer.suggest_communes(name, postcode)
    if suggestions:
        return message + f" Vouliez-vous dire {' ou '.join(_names(suggestions).split(', '))} ?"
    if owners:
        return message + f" Ce code postal correspond à : {_names(owners)}."
    return message + " Vérifiez l'orthographe de la commune et le code postal."


def check_commune(row: RowCheck, gazetteer: Gazetteer) -> Commune | None:
    """Return the commune of the row's (commune, code_postal), or report why there is none."""
    if row.bad & {"commune", "code_postal"}:
        return None
    name, postcode = row.values.get("commune", ""), row.values.get("code_postal", "")
    if not name or not postcode:
        return None
    found = gazetteer.match_commune(name, postcode)
    if found is not None:
        return found
    if gazetteer.department_of_postcode(postcode) is None:
        row.error("code_postal", f"Code postal {postcode} inconnu : vérifiez-le.")
    else:
        row.error("commune", _commune_message(name, postcode, gazetteer))
    return None


def _coordinate(row: RowCheck, name: str) -> float | None:
    text = row.keep(name, clean_text(name, row.raw.get(name, "")))
    if not text:
        return None
    value = parse_degrees(name, text)
    field = load_schema().field(name)
    low, high = field.minimum, field.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidValue(
            f"{field.title} hors limites : entre {low:g} et {high:g} degrés.",
            field=name,
            value=text,
        )
    return value


def _read_pair(row: RowCheck) -> tuple[float, float] | None:
    pair: dict[str, float | None] = {}
    for name in ("latitude", "longitude"):
        try:
            pair[name] = _coordinate(row, name)
        except InvalidValue as exc:
            row.error(name, exc.message)
            return None
    lat, lon = pair["latitude"], pair["longitude"]
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        empty = "latitude" if lat is None else "longitude"
        row.error(empty, "Remplissez la latitude et la longitude, ou aucune des deux.")
        return None
    row.values["latitude"], row.values["longitude"] = lat, lon
    return lat, lon


def _outside_france(row: RowCheck, lat: float, lon: float) -> None:
    if outlines.department_at(lon, lat) is not None:
        why = " : latitude et longitude sont inversées, la latitude vient en premier"
    else:
        why = " (inversion latitude/longitude ?)"
    row.error(
        "latitude",
        f"Coordonnées hors de France{why}. Corrigez-les, ou videz latitude et longitude "
        "pour que le lieu soit placé d'après son adresse.",
    )


def check_coordinates(row: RowCheck, commune: Commune | None) -> Location | None:
    """Return the location given by the row's coordinates, checked against its commune."""
    pair = _read_pair(row)
    if pair is None:
        return None
    lat, lon = pair
    if commune is None:
        if outlines.department_at(lat, lon) is None:
            _outside_france(row, lat, lon)
        return None
    distance = haversine_km(lat, lon, commune.lat, commune.lon)
    if distance <= max(MIN_TOLERANCE_KM, 2 * commune.radius_km + 2):
        return Location(lat, lon, commune.code, commune.department, Precision.GIVEN, 1.0)
    if outlines.department_at(lat, lon) is None:
        _outside_france(row, lat, lon)
    else:
        row.error(
            "latitude",
            f"Ces coordonnées sont à {distance:.0f} km de la commune « {commune.name} » : "
            "vérifiez-les, ou videz latitude et longitude pour que le lieu soit placé d'après "
            "son adresse.",
        )
    return None


def parse_zone(row: RowCheck, text: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    """Return the department and commune codes of a zone cell.

    Raises:
        InvalidValue: some items are neither department nor commune codes (all are named).
    """
    codes: list[str] = []
    unknown: list[str] = []
    for item in split_list(text):
        code, warning = normalise_zone_code(item)
        if warning:
            row.warn("zone", warning)
        if not gazetteer.is_zone_code(code):
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    if unknown:
        shown = ", ".join(f"« {item} »" for item in unknown)
        raise InvalidValue(
            f"Codes inconnus dans la zone : {shown}. Indiquez des codes de département (67, 2A, "
            "974) ou des codes INSEE de commune (67482 pour Strasbourg), pas des codes postaux "
            "ni des noms.",
            field="zone",
            value=text,
        )
    return tuple(codes)
