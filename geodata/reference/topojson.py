"""Read TopoJSON (the format of the npm package `world-atlas`) into Shapely geometries.

Only what Natural Earth's files use: quantized, delta-encoded arcs, and Polygon or MultiPolygon
objects in a GeometryCollection (https://github.com/topojson/topojson-specification).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

Point = tuple[float, float]
MIN_RING = 4  # points of a closed ring


@dataclass(frozen=True)
class Shape:
    """One geometry of a TopoJSON object: its id, properties and Shapely (multi)polygon."""

    id: str
    properties: dict[str, Any]
    geometry: Any


def read_topology(path: Path, name: str) -> list[Shape]:
    """Return the polygons of the object `name` in the TopoJSON file at `path`."""
    with open(path, encoding="utf-8") as stream:
        topology = json.load(stream)
    arcs = decode_arcs(topology["arcs"], topology.get("transform"))
    return [
        Shape(str(item.get("id", "")), item.get("properties") or {}, _geometry(item, arcs))
        for item in topology["objects"][name]["geometries"]
        if item.get("type") in ("Polygon", "MultiPolygon")
    ]


def decode_arcs(
    arcs: list[list[list[float]]], transform: dict[str, Any] | None
) -> list[list[Point]]:
    """Return the arcs as absolute (lon, lat) points, undoing quantization and delta encoding."""
    if transform is None:
        return [[(x, y) for x, y, *_ in arc] for arc in arcs]
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    decoded = []
    for arc in arcs:
        x = y = 0.0
        points = []
        for step in arc:
            x, y = x + step[0], y + step[1]
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Join the arcs of a ring; a negative index ~i is arc i reversed. Shared ends are kept once."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _polygon(rings: list[list[int]], arcs: list[list[Point]]) -> Any:
    """Return the polygon of `rings`, or None when quantization collapsed its shell."""
    shell, *holes = (ring(indexes, arcs) for indexes in rings)
    if len(shell) < MIN_RING:
        return None
    return shapely.Polygon(shell, [hole for hole in holes if len(hole) >= MIN_RING])


def _geometry(item: dict[str, Any], arcs: list[list[Point]]) -> Any:
    if item["type"] == "Polygon":
        polygons = [_polygon(item["arcs"], arcs)]
    else:
        polygons = [_polygon(rings, arcs) for rings in item["arcs"]]
    geometry = shapely.MultiPolygon([polygon for polygon in polygons if polygon is not None])
    return geometry if geometry.is_valid else shapely.make_valid(geometry)
