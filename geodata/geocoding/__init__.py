"""Geocoding behind one interface: the local gazetteer (default, offline, private) or a
BAN-compatible HTTP API (`/search`: the BAN API or a self-hosted addok), chosen by settings."""

from __future__ import annotations

from geodata.config import GeocoderName, Settings
from geodata.geocoding.query import needs_town
from geodata.geocoding.result import Geocoder, GeocodeResult

__all__ = ["GeocodeResult", "Geocoder", "make_geocoder", "needs_town"]


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
