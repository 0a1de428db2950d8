"""The public map as pure functions: the base map and the cluster of markers, the kinds of sites.

The markers and their popups are drawn by public-map.js: positions from the versioned GeoJSON
of `webapp.public.points`, details from the page's list, the look of each kind from the legend.

The base map without tiles is a light copy of the department outlines, served as a static file
(cacheable, loaded once): regenerate it after the outlines change with
`python -c "from webapp.public.map import write_light_outlines; write_light_outlines()"`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import shapely
from folium.plugins import MarkerCluster
from shapely.geometry import mapping, shape

from geodata.reference.outlines import departments_geojson
from webapp.maps import base_map
from webapp.tiles import TileProvider

OUTLINES_FILE = Path(__file__).parents[1] / "static" / "data" / "departements.geojson"
OUTLINES_TOLERANCE_DEG = 0.03  # shared borders stay shared (coverage simplification)
OUTLINES_DECIMALS = 3  # about 100 m, finer than a department outline at the map's zooms


@dataclass(frozen=True)
class Kind:
    """How the map and its legend show one restriction kind (`directory.RESTRICTIONS`)."""

    code: str
    label: str
    # Shown inside the marker, so colour (public.css, white text at 4.5:1 at least) is never
    # the only clue.
    symbol: str


KINDS = (
    Kind("tous", "Tous les cancers", "T"),
    Kind("sein-digestif", "Cancers du sein et digestifs uniquement", "SD"),
    Kind("sein", "Cancer du sein uniquement", "S"),
    Kind("enfants", "Enfants uniquement (0-17 ans)", "E"),
    Kind("aja", "Adolescents et jeunes adultes uniquement (15-25 ans)", "J"),
    Kind("autre", "Autres restrictions (voir le détail)", "A"),
)
KIND_BY_CODE = {kind.code: kind for kind in KINDS}
# Cluster icons are buttons: their text must say what they hold, not only a number.
CLUSTER_ICON = """function (cluster) {
  var n = cluster.getChildCount();
  return L.divIcon({
    html: '<span aria-hidden="true">' + n + '</span>'
      + '<span class="visually-hidden">' + n + ' structures : agrandir</span>',
    className: 'pm-cluster', iconSize: L.point(40, 40)
  });
}"""


@dataclass(frozen=True)
class PublicMap:
    """The folium map and the JavaScript name of its marker cluster (public-map.js fills it)."""

    fmap: folium.Map
    cluster: str


def phone_uri(number: str) -> str:
    """Return a tel: URI (digits and a leading +), or "" when there is no number."""
    digits = re.sub(r"[^0-9+]", "", number)
    return f"tel:{digits}" if digits else ""


def route_url(lat: float, lon: float) -> str:
    """Return the OpenStreetMap directions to a point: a plain link, nothing asked until followed.

    On a phone the link opens the map application that handles openstreetmap.org, else the
    browser, with the destination set and the starting point left to the user.
    """
    return f"https://www.openstreetmap.org/directions?to={lat:.5f}%2C{lon:.5f}#map=14/{lat:.5f}/{lon:.5f}"


def public_map(provider: TileProvider | None) -> PublicMap:
    """Return the map with an empty marker cluster, which public-map.js fills.

    The markers come from the page's versioned GeoJSON (`webapp.public.points`) and their
    popups from the page's list, so that the page carries each site's details once.
    public-map.js frames the map on the markers without animation: an animated zoom started
    before the page is shown can stall, and Leaflet ignores every move until it ends.
    """
    fmap = base_map(provider)
    cluster = MarkerCluster(  # type: ignore[no-untyped-call]
        icon_create_function=CLUSTER_ICON,
        show_coverage_on_hover=False,
        max_cluster_radius=40,
        # Without animations, "show on the map" opens its popup reliably (and nothing flies).
        animate=False,
    ).add_to(fmap)
    return PublicMap(fmap, cluster.get_name())


def _rounded(coordinates: Any, decimals: int) -> Any:
    if isinstance(coordinates[0], float | int):
        return [round(value, decimals) for value in coordinates]
    return [_rounded(part, decimals) for part in coordinates]


def light_outlines(
    geojson: Mapping[str, Any],
    tolerance: float = OUTLINES_TOLERANCE_DEG,
    decimals: int = OUTLINES_DECIMALS,
) -> dict[str, Any]:
    """Return the outlines simplified together (no gaps between neighbours), coordinates rounded."""
    features = geojson["features"]
    simplified = shapely.coverage_simplify([shape(f["geometry"]) for f in features], tolerance)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": f["properties"]["code"], "nom": f["properties"]["nom"]},
                "geometry": {
                    "type": geometry.geom_type,
                    "coordinates": _rounded(mapping(geometry)["coordinates"], decimals),
                },
            }
            for f, geometry in zip(features, simplified, strict=True)
        ],
    }


def light_outlines_text() -> str:
    """Return the content of the static outline file, as `write_light_outlines` writes it."""
    return json.dumps(light_outlines(departments_geojson()), separators=(",", ":")) + "\n"


def write_light_outlines(path: Path = OUTLINES_FILE) -> int:
    """Write the light department outlines for the public map; return the size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.write_text(light_outlines_text(), encoding="utf-8")
