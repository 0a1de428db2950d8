"""Department and region outlines (packaged GeoJSON), and which one contains a point."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import shapely
from shapely import STRtree

from geodata.reference.files import DATA_DIR, DEPARTMENT_OUTLINES_FILE

# Degrees (about 1.5 km): the outlines are simplified, so a point on the shore or just across a
# simplified border still finds its department.
COAST_TOLERANCE_DEG = 0.015


@lru_cache(maxsize=1)
def departments_geojson() -> dict[str, Any]:
    """Return the department outlines: a FeatureCollection with properties `code`, `nom`.

    The returned dictionary is shared: do not modify it.
    """
    return _read(DEPARTMENT_OUTLINES_FILE)


def _read(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as stream:
        collection: dict[str, Any] = json.load(stream)
    return collection


class _Locator:
    """An R-tree over outlines answering "which code contains this point"."""

    def __init__(self, collection: dict[str, Any]) -> None:
        features = collection["features"]
        self._codes: list[str] = [feature["properties"]["code"] for feature in features]
        self._geometries = [shapely.geometry.shape(feature["geometry"]) for feature in features]
        for geometry in self._geometries:
            shapely.prepare(geometry)
        self._tree = STRtree(self._geometries)

    def locate(self, lat: float, lon: float) -> str | None:
        point = shapely.Point(lon, lat)
        inside = self._tree.query(point, predicate="intersects")
        if len(inside):
            return self._codes[int(min(inside))]
        nearest = self._tree.query_nearest(point, max_distance=COAST_TOLERANCE_DEG)
        if not len(nearest):
            return None
        return self._codes[int(min(nearest))]


@lru_cache(maxsize=1)
def _departments() -> _Locator:
    return _Locator(departments_geojson())


def department_at(lat: float, lon: float) -> str | None:
    """Return the code of the department containing (lat, lon), or None outside France."""
    return _departments().locate(lat, lon)
