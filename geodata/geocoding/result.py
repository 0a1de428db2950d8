"""What every geocoder answers (`GeocodeResult`) and the interface they share (`Geocoder`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

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
    note: str = ""  # in French, for the user: what was assumed ("the postcode does not match")

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
        } | ({"note": self.note} if self.note else {})


class Geocoder(Protocol):
    """Free text in, candidates out, best first; an empty list means "not found"."""

    # True when results can be more precise than the commune (street, house number).
    street_level: bool

    def geocode(self, query: str, limit: int = 5) -> list[GeocodeResult]: ...
