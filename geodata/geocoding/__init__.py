"""Geocoding behind one interface: the local gazetteer (default, offline, private) or a
BAN-compatible HTTP API (`/search`: the BAN API or a self-hosted addok), chosen by settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from geodata.config import Settings
from geodata.errors import ConfigurationError


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
    type: str  # "municipality", "street", "housenumber" or "locality"
    department: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the public API shape (DESIGN.md 4.3)."""
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
    """Return the geocoder selected by `settings.geocoder` ("local" or "ban").

    Raises:
        ConfigurationError: unknown geocoder name, or "ban" without `ban_url`.
    """
    if settings.geocoder == "local":
        from geodata.geocoding.local import LocalGeocoder
        from geodata.reference.gazetteer import get_gazetteer

        return LocalGeocoder(get_gazetteer())
    if settings.geocoder == "ban":
        if not settings.ban_url:
            raise ConfigurationError(
                "Le géocodeur « ban » demande une adresse de service (ANNUAIRE_BAN_URL).",
                setting="ban_url",
            )
        from geodata.geocoding.ban import BanGeocoder

        return BanGeocoder(settings.ban_url, timeout=settings.ban_timeout)
    raise ConfigurationError(
        f"Géocodeur inconnu : « {settings.geocoder} » (valeurs possibles : local, ban).",
        setting="geocoder",
    )
