"""The place of a shared URL and its nearest teams, for the page rendered without JavaScript.

public-map.js keeps the place searched in the query string (`lieu`, `lat`, `lon`) and lists the
nearest teams itself; the server lists the same ones when the page is opened without
JavaScript. A position from "Autour de moi" is never in the URL, so it never reaches this code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from geodata.geo import haversine_km
from geodata.orientation.directory import DirectoryEntry

NEAREST = 5  # as public-map.js
MAX_LABEL = 200


@dataclass(frozen=True)
class Place:
    """A place searched: its label ("Saint-Julien (Var, 83)") and position."""

    label: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Nearby:
    """A team and its straight-line distance to the place searched."""

    entry: DirectoryEntry
    km: float

    @property
    def distance(self) -> str:
        """Return the distance as public-map.js writes it: "8,5 km" under 10 km, else "47 km"."""
        text = f"{self.km:.1f}" if self.km < 10 else f"{self.km:.0f}"
        return text.replace(".", ",") + " km"


def _number(text: str | None, bound: float) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) and -bound <= value <= bound else None


def place_from(args: Mapping[str, str]) -> Place | None:
    """Return the place named by `lieu`, `lat` and `lon`, or None when one is missing or bad."""
    label = args.get("lieu", "").strip()[:MAX_LABEL]
    lat, lon = _number(args.get("lat"), 90), _number(args.get("lon"), 180)
    if not label or lat is None or lon is None:
        return None
    return Place(label, lat, lon)


def nearest(entries: Sequence[DirectoryEntry], place: Place, n: int = NEAREST) -> list[Nearby]:
    """Return the `n` entries nearest to `place`, nearest first."""
    found = []
    for entry in entries:
        location = entry.record.location
        assert location is not None  # published sites are always placed
        found.append(Nearby(entry, haversine_km(place.lat, place.lon, location.lat, location.lon)))
    return sorted(found, key=lambda hit: hit.km)[:n]
