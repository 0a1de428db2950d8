"""Department and region outlines: commune polygons dissolved, simplified, written as GeoJSON.

Simplification works on the whole coverage at once (`shapely.coverage_simplify`) so that
neighbouring departments keep one shared border, without gaps or overlaps on the map.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geodata.reference.files import DEPARTMENT_OUTLINES_FILE, REGION_OUTLINES_FILE, REGIONS_FILE

logger = logging.getLogger(__name__)

# Degrees; about 1 km and 1.5 km: enough for a base map at department/region scale, and
# keeps the files within their size budget (400 KB and 200 KB).
DEPARTMENT_TOLERANCE = 0.009
REGION_TOLERANCE = 0.014
DECIMALS = 4


def write_outlines(
    out: Path, geometries: dict[str, list[Any]], departments: list[tuple[str, str, str]]
) -> dict[str, int]:
    """Write the department and region outline files; return how many features each has.

    Args:
        geometries: commune polygons by department code.
        departments: (code, name, region code) rows; regions are named by `regions.tsv` rows
            read back from `out`.
    """
    known = [row for row in departments if geometries.get(row[0])]
    dissolved = [shapely.union_all(geometries[code]) for code, _, _ in known]
    simplified = _simplify(dissolved, DEPARTMENT_TOLERANCE)
    _write_geojson(out / DEPARTMENT_OUTLINES_FILE, [(c, n) for c, n, _ in known], simplified)
    by_region: dict[str, list[Any]] = defaultdict(list)
    for (_, _, region), geometry in zip(known, simplified, strict=True):
        by_region[region].append(geometry)
    region_names = _region_names(out)
    region_codes = sorted(by_region)
    regions = _simplify([shapely.union_all(by_region[c]) for c in region_codes], REGION_TOLERANCE)
    _write_geojson(
        out / REGION_OUTLINES_FILE, [(c, region_names.get(c, c)) for c in region_codes], regions
    )
    return {"department_outlines": len(known), "region_outlines": len(region_codes)}


def _simplify(geometries: list[Any], tolerance: float) -> list[Any]:
    simplified = shapely.coverage_simplify(np.array(geometries, dtype=object), tolerance)
    rounded = shapely.set_precision(simplified, 10**-DECIMALS)
    return [shapely.make_valid(g) if not g.is_valid else g for g in rounded]


def _region_names(out: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for line in (out / REGIONS_FILE).read_text(encoding="utf-8").splitlines():
        code, name = line.split("\t")[:2]
        names[code] = name
    return names


def _write_geojson(path: Path, names: list[tuple[str, str]], geometries: list[Any]) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "nom": name},
            "geometry": _rounded_mapping(geometry),
        }
        for (code, name), geometry in zip(names, geometries, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def _rounded_mapping(geometry: Any) -> dict[str, Any]:
    """Return the GeoJSON geometry of `geometry` as a MultiPolygon with rounded coordinates."""
    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and p.area]
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [_ring(polygon.exterior), *(_ring(ring) for ring in polygon.interiors)]
            for polygon in polygons
        ],
    }


def _ring(ring: Any) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]
