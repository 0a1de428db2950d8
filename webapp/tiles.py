"""Raster tile providers an operator may turn on under the maps (off by default)."""

from __future__ import annotations

from dataclasses import dataclass

from geodata.errors import ConfigurationError


@dataclass(frozen=True)
class TileProvider:
    url: str  # Leaflet URL template
    attribution: str  # HTML, shown on the map as the provider requires
    origin: str  # for the Content-Security-Policy img-src
    max_zoom: int


PROVIDERS = {
    "osm": TileProvider(
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution='&copy; <a href="https://www.openstreetmap.org/copyright">'
        "les contributeurs d'OpenStreetMap</a>",
        origin="https://tile.openstreetmap.org",
        max_zoom=19,
    ),
    "ign": TileProvider(
        url="https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png"
        "&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        attribution='&copy; <a href="https://www.ign.fr/">IGN</a> Plan IGN',
        origin="https://data.geopf.fr",
        max_zoom=18,
    ),
}


def tile_provider(name: str) -> TileProvider | None:
    """Return the provider called `name`, or None for "" (no tiles).

    Raises:
        ConfigurationError: unknown provider name.
    """
    if not name:
        return None
    if name not in PROVIDERS:
        raise ConfigurationError(
            f"Fond de carte inconnu : « {name} » (valeurs possibles : osm, ign, ou vide).",
            setting="tiles",
        )
    return PROVIDERS[name]
