"""The public map as pure functions: markers coloured by restriction, clustered, with safe popups.

Popups are `webapp.maps.SafePopup`s: folium's own would run `${...}` found in a team's name.

The base map without tiles is a light copy of the department outlines, served as a static file
(cacheable, loaded once): regenerate it after the outlines change with
`python -c "from webapp.public.map import write_light_outlines; write_light_outlines()"`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import shapely
from folium.plugins import MarkerCluster
from markupsafe import Markup
from shapely.geometry import mapping, shape

from geodata.orientation.directory import DirectoryEntry
from geodata.reference.outlines import departments_geojson
from webapp.maps import SafePopup, base_map
from webapp.public.words import labels
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
# An opened popup is panned clear of the zoom buttons (top left) and the scale (bottom left).
POPUP_OPTIONS: dict[str, object] = {
    "maxWidth": 300,
    "autoPanPaddingTopLeft": [60, 20],
    "autoPanPaddingBottomRight": [20, 40],
}

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
    """The folium map and the JavaScript name of its marker cluster (public-map.js filters it)."""

    fmap: folium.Map
    cluster: str


def _line(label: str, value: str | Markup) -> Markup:
    return Markup("<p><strong>{}</strong> {}</p>").format(label, value) if value else Markup()


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


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text) if href and text else Markup()


def popup_html(
    entry: DirectoryEntry, vocabularies: Mapping[str, Mapping[str, str]], territory: str = ""
) -> Markup:
    """Return the popup of a site: name, restriction, address, contacts, cares (all escaped)."""
    record = entry.record
    assert record.location is not None
    parts = [
        Markup('<h3 class="pm-popup__title">{}</h3>').format(record.nom),
        Markup('<p class="pm-popup__kind">{}</p>').format(KIND_BY_CODE[entry.restriction].label),
        Markup("<p>{}<br>{} {}</p>").format(record.adresse, record.code_postal, record.commune),
        _line("Téléphone :", _link(phone_uri(record.telephone), record.telephone)),
        _line("Courriel :", _link(f"mailto:{record.courriel}", record.courriel)),
        _line("Soins :", labels(record.soins, vocabularies["soins"])),
        _line("Public :", labels(record.publics, vocabularies["publics"])),
        _line("Cancers :", labels(record.cancers, vocabularies["cancers"])),
        _line("Territoire :", territory),
        _line("Réseau :", entry.network_name),
        Markup(
            '<p class="pm-popup__links"><a href="{}" rel="noopener" target="_blank">Itinéraire'
            '<span class="visually-hidden"> vers {} (OpenStreetMap, nouvel onglet)</span></a>'
            ' <a href="#site-{}">Voir le détail dans la liste</a></p>'
        ).format(route_url(record.location.lat, record.location.lon), record.nom, entry.key),
    ]
    return Markup('<div class="pm-popup">{}</div>').format(Markup("").join(parts))


def marker_icon(name: str, restriction: str) -> folium.DivIcon:
    """Return the marker of a site: a coloured disc with its kind's symbol, named for readers."""
    kind = KIND_BY_CODE[restriction]
    html = Markup(
        '<span class="pm-pin pm-pin--{}" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{} ({})</span>'
    ).format(kind.code, kind.symbol, name, kind.label)
    return folium.DivIcon(
        html=str(html), icon_size=(30, 30), icon_anchor=(15, 15), class_name="pm-marker"
    )


def public_map(
    entries: Sequence[DirectoryEntry],
    vocabularies: Mapping[str, Mapping[str, str]],
    provider: TileProvider | None,
    territories: Mapping[str, str] | None = None,
) -> PublicMap:
    """Return the clustered map of `entries`; each marker knows its site key.

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
    for entry in entries:
        assert entry.record.location is not None
        location = (entry.record.location.lat, entry.record.location.lon)
        marker = folium.Marker(
            location, icon=marker_icon(entry.record.nom, entry.restriction), site=entry.key
        )
        territory = (territories or {}).get(entry.key, "")
        popup = popup_html(entry, vocabularies, territory)
        SafePopup(popup, **POPUP_OPTIONS).attach(marker)
        marker.add_to(cluster)
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
