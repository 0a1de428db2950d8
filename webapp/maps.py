"""Folium (Leaflet) maps built as pure functions, rendered in parts for our own templates.

We never use folium's page header: it loads its libraries from CDNs and sets a viewport that
forbids zooming (an accessibility failure). Pages include the vendored libraries listed here and
place the map's `html` and `script` themselves, the script inside a <script> carrying the CSP nonce.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import Figure
from markupsafe import Markup

from webapp.tiles import TileProvider

# Static files (under webapp/static) that every map page includes, in order.
MAP_CSS = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "css/map.css",
)
MAP_JS = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
)
# Without tiles the base map is the department outlines: zooming past this shows nothing more.
MAX_ZOOM_WITHOUT_TILES = 13
FRANCE_CENTER = (46.6, 2.4)


@dataclass(frozen=True)
class MapParts:
    """A rendered map: the element to place in the page and the script that fills it."""

    html: Markup
    script: Markup
    name: str  # the JavaScript variable holding the Leaflet map


def base_map(
    provider: TileProvider | None,
    *,
    location: tuple[float, float] = FRANCE_CENTER,
    zoom: int = 6,
) -> folium.Map:
    """Return an empty map with the configured tiles (none by default) and a scale."""
    max_zoom = provider.max_zoom if provider else MAX_ZOOM_WITHOUT_TILES
    fmap = folium.Map(
        location=location,
        zoom_start=zoom,
        tiles=None,
        max_zoom=max_zoom,
        min_zoom=3,
        control_scale=True,
    )
    if provider is not None:
        folium.TileLayer(
            tiles=provider.url, attr=provider.attribution, max_zoom=provider.max_zoom, name="Fond"
        ).add_to(fmap)
    return fmap


def render_map(fmap: folium.Map) -> MapParts:
    """Render `fmap` into the parts our templates place (no folium header, no CDN)."""
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    html = figure.html.render()
    script = figure.script.render()
    return MapParts(html=Markup(html), script=Markup(script), name=fmap.get_name())
