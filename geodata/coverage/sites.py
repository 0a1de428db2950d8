"""The sites that count for a coverage: published, active, eligible for the profile; and the
candidate sites of a "what if"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.contract.records import SiteRecord
from geodata.errors import InvalidValue
from geodata.orientation.eligibility import Patient, reasons
from geodata.reference.gazetteer import Gazetteer
from geodata.storage.models import Network, Site
from geodata.storage.sites import site_record

CANDIDATE_NETWORK = "candidat"
# Every column but the geometry, which is costly to decode and not needed here.
_COLUMNS = [column for column in Site.__table__.c if column.name != "geom"]
_POSTCODE_FIRST = re.compile(r"^\s*(\d{5})\s+(.+)$")
_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Profile:
    """The patient a coverage is computed for: cancer, age and the cares asked (maybe none)."""

    cancer: str
    age: int
    soins: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverageSite:
    """A site as a coverage needs it: where it is, whom it serves, and its declared zone."""

    identifiant: str
    nom: str
    reseau: str
    lat: float
    lon: float
    zone: frozenset[str]  # department and commune codes; empty: no declared restriction


def eligible_sites(
    session: Session, profile: Profile, gazetteer: Gazetteer, networks: Sequence[str] = ()
) -> list[CoverageSite]:
    """Return the published sites that accept `profile` wherever the patient lives.

    The zone is the only rule that depends on the place; it is kept with the site and applied
    commune by commune. `networks` (slugs) narrows the sites to those networks.
    """
    query = select(*_COLUMNS, Network.slug.label("network_slug")).join(Network)
    query = query.where(Site.actif.is_(True)).order_by(Network.slug, Site.identifiant)
    if networks:
        query = query.where(Network.slug.in_(list(networks)))
    found = []
    for row in session.execute(query):
        record = site_record(row)
        if _fits_anywhere(record, profile):
            zone = _zone_communes(record.zone, gazetteer)
            slug = row.network_slug
            found.append(CoverageSite(record.identifiant, record.nom, slug, row.lat, row.lon, zone))
    return found


def _fits_anywhere(record: SiteRecord, profile: Profile) -> bool:
    """Tell whether `record` accepts `profile`, zone aside."""
    nowhere = Patient(profile.cancer, profile.age, profile.soins, "", "", frozenset())
    return all(reason.code == "zone" for reason in reasons(record, nowhere))


def _zone_communes(zone: Sequence[str], gazetteer: Gazetteer) -> frozenset[str]:
    """Return the zone's codes, an arrondissement also naming its city (served in part)."""
    codes = set(zone)
    for code in zone:
        entry = gazetteer.commune(code)
        if entry is not None and entry.parent is not None:
            codes.add(entry.parent)
    return frozenset(codes)


def candidate_site(text: str, gazetteer: Gazetteer, number: int) -> CoverageSite:
    """Return the "what if" site that `text` places: "lat,lon" or a commune's name or code.

    Raises:
        InvalidValue: coordinates outside France's reach, or no single commune of that name.
    """
    label = f"Candidat {number}"
    matched = _COORDINATES.match(text)
    if matched:
        lat, lon = float(matched.group(1)), float(matched.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            message = f"Coordonnées invalides : {text} (latitude, longitude en degrés)."
            raise InvalidValue(message, field="candidat", value=text)
        return CoverageSite(f"candidat-{number}", label, CANDIDATE_NETWORK, lat, lon, frozenset())
    postcode, name = _postcode_and_name(text)
    commune = gazetteer.commune(text.strip()) or gazetteer.match_commune(name, postcode)
    if commune is None:
        message = (
            f"Site candidat introuvable : « {text} ». Indiquez une commune (nom ou code "
            "INSEE, avec le code postal pour les homonymes : « 88000 Épinal ») ou "
            "« latitude,longitude »."
        )
        raise InvalidValue(message, field="candidat", value=text)
    current = gazetteer.current(commune)
    name = f"{label} : {current.name}"
    return CoverageSite(
        f"candidat-{number}", name, CANDIDATE_NETWORK, current.lat, current.lon, frozenset()
    )


def _postcode_and_name(text: str) -> tuple[str | None, str]:
    """Split "88000 Épinal" into its postcode and name; no postcode: (None, text)."""
    matched = _POSTCODE_FIRST.match(text)
    return (matched.group(1), matched.group(2)) if matched else (None, text)
