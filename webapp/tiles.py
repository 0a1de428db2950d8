"""Raster tile providers an operator may turn on under the maps (off by default)."""

from __future__ import annotations

from dataclasses import dataclass

from geodata.config import TileName


@dataclass(frozen=True)
class TileProvider:
    url: str  # Leaflet URL template
    attribution: str  # HTML, shown on the map as the provider requires
    origin: str  # for the Content-Security-Policy img-src
    max_zoom: int


# The names live in the core's settings, which refuse any other at start-up.
OSM = TileProvider(
    url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution='&copy; <a href="https://www.openstreetmap.org/copyright">'
    "les contributeurs d'OpenStreetMap</a>",
    origin="https://tile.openstreetmap.org",
    max_zoom=19,
)
IGN = TileProvider(
    url="https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png"
    "&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
    attribution='&copy; <a href="https://www.ign.fr/">IGN</a> Plan IGN',
    origin="https://data.geopf.fr",
    max_zoom=18,
)


def tile_provider(name: str) -> TileProvider | None:
    """Return the provider `name` designates (a `TileName`), or None for "" (no tiles)."""
    match TileName(name):
        case TileName.NONE:
            return None
        case TileName.OSM:
            return OSM
        case TileName.IGN:
            return IGN
