"""The compact reference files packaged in `geodata/data/`: names, columns, row (de)serialisation.

`communes.tsv.gz` has one row per commune (current, delegated, associated, municipal
arrondissement), tab-separated, sorted by code then kind, without a header line.

The offline base map (`build_basemap.py`) lives in `webapp/static/data/basemap/` (`BASEMAP_DIR`),
where the app serves it; its commune outlines, one gzipped GeoJSON per department, are meant
for analyses too (`read_commune_outlines`).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
COMMUNES_FILE = "communes.tsv.gz"
DEPARTMENTS_FILE = "departements.tsv"
REGIONS_FILE = "regions.tsv"
DEPARTMENT_OUTLINES_FILE = "departements.geojson"
REGION_OUTLINES_FILE = "regions.geojson"

BASEMAP_DIR = Path(__file__).resolve().parents[2] / "webapp" / "static" / "data" / "basemap"
BASEMAP_LAND_FILE = "land.geojson"
BASEMAP_LABELS_FILE = "labels.json"
BASEMAP_TOWNS_FILE = "towns.json"
BASEMAP_TOWNS_DIR = "towns"  # <department>.json.gz
BASEMAP_COMMUNES_DIR = "communes"  # <department>.geojson.gz

KINDS = ("COM", "ARM", "COMD", "COMA")


@dataclass(frozen=True)
class Commune:
    """A current commune, a delegated or associated former one, or a municipal arrondissement.

    `parent` is the current commune's code for COMD/COMA/ARM; `lat`/`lon` the town hall (or a
    point inside the commune); `radius_km` the radius of a disc of the commune's area.
    """

    code: str
    name: str
    kind: str
    parent: str | None
    department: str
    region: str
    population: int
    lat: float
    lon: float
    postcodes: tuple[str, ...]
    radius_km: float


@dataclass(frozen=True)
class Department:
    """A department: code ("67", "2A", "974"), name, and its region's code."""

    code: str
    name: str
    region: str


@dataclass(frozen=True)
class Region:
    """A region: code ("44") and name."""

    code: str
    name: str


def commune_to_row(commune: Commune) -> str:
    """Return the tab-separated line (without newline) storing `commune`."""
    fields = (
        commune.code,
        commune.kind,
        commune.name,
        commune.parent or "",
        commune.department,
        commune.region,
        str(commune.population),
        f"{commune.lat:.5f}",
        f"{commune.lon:.5f}",
        " ".join(commune.postcodes),
        f"{commune.radius_km:.2f}",
    )
    return "\t".join(fields)


def commune_from_row(line: str) -> Commune:
    """Parse a line written by `commune_to_row`."""
    code, kind, name, parent, dep, reg, pop, lat, lon, postcodes, radius = line.split("\t")
    return Commune(
        code=code,
        name=name,
        kind=kind,
        parent=parent or None,
        department=dep,
        region=reg,
        population=int(pop),
        lat=float(lat),
        lon=float(lon),
        postcodes=tuple(postcodes.split()),
        radius_km=float(radius),
    )


def read_commune_outlines(department: str, directory: Path = BASEMAP_DIR) -> dict[str, Any]:
    """Return the simplified commune outlines of `department` ("67", "2A", "974").

    A GeoJSON FeatureCollection of MultiPolygons (WGS84 longitude, latitude) whose properties
    are the INSEE `code` and the `nom` of each current commune.

    Raises:
        FileNotFoundError: no such department.
    """
    path = directory / BASEMAP_COMMUNES_DIR / f"{department}.geojson.gz"
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        collection: dict[str, Any] = json.load(stream)
    return collection
