"""Folium (Leaflet) maps built as pure functions, rendered in parts for our own templates.

We never use folium's page header: it loads its libraries from CDNs and sets a viewport that
forbids zooming (an accessibility failure). Pages include the vendored libraries listed here and
place the map's `html` and `script` themselves, the script inside a <script> carrying the CSP nonce.

Nor do we use folium's Popup and Tooltip for text that came from a CSV: they put their content in
a JavaScript template literal without escaping it, where a backquote or `${...}` in a team's name
would run as code. `SafePopup` and `SafeTooltip` bind HTML we escaped ourselves, passed to
Leaflet as a JSON string literal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium
import shapely
from branca.element import Element, Figure, MacroElement
from flask import has_request_context, url_for
from jinja2 import Template
from markupsafe import Markup

from geodata.reference.outlines import departments_geojson
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
    "js/basemap.js",
)
# Without tiles the base map is our own (basemap.js): at this zoom it shows commune outlines and
# the names of every commune; past it, nothing more.
MAX_ZOOM_WITHOUT_TILES = 13
# Files of the offline base map under webapp/static (`python -m etl reference basemap`).
BASEMAP_FOLDER = "data/basemap/"
BASEMAP_FILES = {"land": "land.geojson", "labels": "labels.json", "towns": "towns.json"}
DEPARTMENTS_FILE = "data/departements.geojson"
FRANCE_CENTER = (46.6, 2.4)
# Degrees around the bounds of the points whose departments are drawn (about 30 km).
OUTLINE_MARGIN_DEG = 0.3
OUTLINE_STYLE = {"color": "#7a8599", "weight": 1, "fillColor": "#eef1f6", "fillOpacity": 1}


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
    """Return an empty map with the configured tiles, or else our offline base map, and a
    metric scale."""
    max_zoom = provider.max_zoom if provider else MAX_ZOOM_WITHOUT_TILES
    fmap = folium.Map(location=location, zoom_start=zoom, tiles=None, max_zoom=max_zoom, min_zoom=3)
    # folium gives max_zoom to tile layers only; marker clusters need the map's own.
    fmap.options["maxZoom"] = max_zoom
    MetricScale().add_to(fmap)
    if provider is not None:
        folium.TileLayer(
            tiles=provider.url, attr=provider.attribution, max_zoom=provider.max_zoom, name="Fond"
        ).add_to(fmap)
    else:
        Basemap().add_to(fmap)
    return fmap


class MetricScale(MacroElement):
    """A scale in metres and kilometres only (folium's shows miles and feet too)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MetricScale"


class Basemap(MacroElement):
    """The offline base map (static/js/basemap.js) under a map without tiles.

    `departments` is where it takes the department outlines: the static file of all of them
    (cached once for every page) unless `add_outlines_near` gave the few a page needs.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "window.annuaireBasemap && annuaireBasemap({{ this._parent.get_name() }}, "
        "{{ this.files_json() }});"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Basemap"
        self.departments: dict[str, Any] | None = None

    def files_json(self) -> str:
        """Return the URLs of the base map's files (and inline outlines) as JSON."""
        files: dict[str, Any] = {key: static_url(BASEMAP_FOLDER + name)
                                 for key, name in BASEMAP_FILES.items()}  # fmt: skip
        files["folder"] = static_url(BASEMAP_FOLDER)
        files["departments"] = self.departments or static_url(DEPARTMENTS_FILE)
        return json.dumps(files, ensure_ascii=False, separators=(",", ":"))


def static_url(filename: str) -> str:
    """Return the URL of a static file: its hashed name while serving a request."""
    if has_request_context():
        return url_for("static", filename=filename)
    return "/static/" + filename


def render_map(fmap: folium.Map) -> MapParts:
    """Render `fmap` into the parts our templates place (no folium header, no CDN)."""
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    html = figure.html.render()
    # Folium writes options such as a marker's title into the script without guarding against
    # "</script>" in them (a team name from a CSV). "<\/" is the same in any JavaScript string,
    # and folium's own code never contains "</" outside strings.
    script = figure.script.render().replace("</", "<\\/").replace("<!--", "<\\!--")
    return MapParts(html=Markup(html), script=Markup(script), name=fmap.get_name())


def script_string(text: str) -> str:
    """Return `text` as a JavaScript string literal that is safe inside a <script> element.

    Non-ASCII letters stay UTF-8 (shorter than \\u escapes); `<`, `>`, `&` are escaped so the
    text can never close the script or open a comment.
    """
    literal = json.dumps(text, ensure_ascii=False)
    for char in "<>&\u2028\u2029":
        literal = literal.replace(char, f"\\u{ord(char):04x}")
    return literal


class _Binding(MacroElement):
    """Bind already escaped HTML to the parent layer with Leaflet's `bind<kind>`."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.method }}({{ this.content_json }}, "
        "{{ this.options_json }});"
        "{% endmacro %}"
    )
    method = ""

    def __init__(self, content: Markup, **options: object) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = type(self).__name__
        self.content_json = script_string(str(content))
        self.options_json = json.dumps(options)

    def attach(self, layer: Element) -> None:
        """Bind this content to `layer` (a marker, a GeoJSON layer...)."""
        layer.add_child(self)


class SafePopup(_Binding):
    """A popup of escaped HTML (build it with `markupsafe.Markup.format` or `escape`)."""

    method = "bindPopup"


class SafeTooltip(_Binding):
    """A tooltip of escaped HTML."""

    method = "bindTooltip"


@lru_cache(maxsize=1)
def _outline_bounds() -> tuple[tuple[tuple[float, float, float, float], dict[str, Any]], ...]:
    features = departments_geojson()["features"]
    return tuple((shapely.geometry.shape(f["geometry"]).bounds, f) for f in features)


def outlines_near(points: Sequence[tuple[float, float]]) -> dict[str, Any]:
    """Return the department outlines whose bounds meet the box around `points` (lat, lon)."""
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    south, north = min(lats) - OUTLINE_MARGIN_DEG, max(lats) + OUTLINE_MARGIN_DEG
    west, east = min(lons) - OUTLINE_MARGIN_DEG, max(lons) + OUTLINE_MARGIN_DEG
    features = [
        feature
        for (minx, miny, maxx, maxy), feature in _outline_bounds()
        if minx <= east and maxx >= west and miny <= north and maxy >= south
    ]
    return {"type": "FeatureCollection", "features": features}


def add_outlines_near(fmap: folium.Map, points: Sequence[tuple[float, float]]) -> None:
    """Draw the departments around `points` as the base map (only those: all of France would
    weigh 376 KB in the page); the offline base map draws them when the map has it."""
    outlines = outlines_near(points)
    basemaps = [child for child in fmap._children.values() if isinstance(child, Basemap)]
    if basemaps:
        basemaps[0].departments = outlines
        return
    folium.GeoJson(
        outlines,
        name="Départements",
        style_function=lambda _feature: OUTLINE_STYLE,
        interactive=False,
    ).add_to(fmap)
