"""Geocoding behind one interface: the local gazetteer (default, offline, private) or a
BAN-compatible HTTP API (`/search`: the BAN API or a self-hosted addok), chosen by settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from geodata.config import GeocoderName, Settings
from geodata.geocoding.precision import Precision


@dataclass(frozen=True)
class GeocodeResult:
    """One candidate place for a query, in the BAN vocabulary."""

    label: str  # what the query was understood as, e.g. "Lyon 3e Arrondissement"
    citycode: str  # INSEE code
    postcode: str
    city: str
    lat: float
    lon: float
    score: float  # 0..1, higher is better
    type: Precision  # never GIVEN: a geocoder finds places, the file gives coordinates
    department: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the public API shape (`GET /api/v1/geocode`)."""
        return {
            "label": self.label,
            "citycode": self.citycode,
            "postcode": self.postcode,
            "city": self.city,
            "lat": self.lat,
            "lon": self.lon,
            "score": self.score,
            "type": self.type,
        }


class Geocoder(Protocol):
    """Free text in, candidates out, best first; an empty list means "not found"."""

    # True when results can be more precise than the commune (street, house number).
    street_level: bool

    def geocode(self, query: str, limit: int = 5) -> list[GeocodeResult]: ...


def make_geocoder(settings: Settings) -> Geocoder:
    """Return the geocoder `settings.geocoder` names (Settings checked the name and the URL)."""
    match GeocoderName(settings.geocoder):
        case GeocoderName.LOCAL:
            from geodata.geocoding.local import LocalGeocoder
            from geodata.reference.gazetteer import get_gazetteer

            return LocalGeocoder(get_gazetteer())
        case GeocoderName.BAN:
            from geodata.geocoding.ban import BanGeocoder

            return BanGeocoder(settings.ban_url, timeout=settings.ban_timeout)
