"""Nearest-neighbour queries over sites with each database's spatial index.

`nearest_candidates` takes a query selecting `(Site.id, Site.lat, Site.lon, flag, ...)`, with any
filters already applied and its parameters in a dict, and returns the sites around a point
ranked by great-circle distance computed here with `haversine_km`, so that PostGIS and
SpatiaLite give the same distances. One statement answers most searches: PostGIS walks its
geography GiST index in distance order (KNN) with a LIMIT, SpatiaLite reads its R*Tree inside
a bounding box; either grows, from what the previous statement found, until enough flagged
sites are certainly the nearest ones.

Statements are built once per shape with named parameters, so that SQLAlchemy compiles each
shape once and every search only binds values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import asin, cos, degrees, inf, pi, radians, sin, sqrt
from typing import Any, NamedTuple

from geoalchemy2 import Geography
from sqlalchemy import Float, Integer, Select, bindparam, cast, column, func, or_, select, table
from sqlalchemy.orm import Session

from geodata.geo import EARTH_RADIUS_KM, haversine_km
from geodata.storage.models import SITE_GEOGRAPHY, Site

FIRST_RADIUS_KM = 20.0  # SpatiaLite's first box; most patients have teams within it
FIRST_KNN_ROWS = 128  # PostGIS's first batch of nearest sites to flag
MAX_GROWTH = 8.0  # a batch covers at most this many times the previous radius (or rows)
HALF_CIRCUMFERENCE_KM = pi * EARTH_RADIUS_KM
# Boxes are widened by this much (degrees) so float rounding never drops a site on the edge.
BOX_MARGIN = 1e-6
# PostGIS and `haversine_km` may round a distance differently: a site the KNN walk did not
# reach is certainly not closer than its last row's distance less this (relative, absolute km).
KNN_MARGIN = (1e-9, 1e-6)

# SpatiaLite's R*Tree on `sites.geom` (created with the table by GeoAlchemy2).
_RTREE = table(
    "idx_sites_geom", column("pkid"), column("xmin"), column("xmax"), column("ymin"), column("ymax")
)

Box = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat (degrees)
Flagged = Select[Any]  # (Site.id, Site.lat, Site.lon, flag, any other column...)
Params = dict[str, Any]


class Candidate(NamedTuple):
    """A site's great-circle distance from the searched point, id, flag, and query row.

    A tuple, so that ranking the hundreds of rows of a batch is a plain sort (ids are unique).
    """

    distance_km: float
    id: int
    flagged: bool
    row: Any  # the row of the query, as it selected it


@dataclass(frozen=True)
class Batch:
    """Sites around a point, nearest first (ties by id).

    Every site of the query closer than `complete_km` is in `candidates` (inf: every site).
    """

    candidates: list[Candidate]
    complete_km: float


def _is_postgis(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _ranked(rows: Any, lat: float, lon: float) -> list[Candidate]:
    found = [Candidate(haversine_km(lat, lon, r[1], r[2]), r[0], bool(r[3]), r) for r in rows]
    found.sort()
    return found


def _settled_at(batch: Batch, wanted: int) -> float | None:
    """Return the distance of the `wanted`-th flagged candidate, or None if there is none."""
    seen = 0
    for candidate in batch.candidates:
        if candidate.flagged:
            seen += 1
            if seen == wanted:
                return candidate.distance_km
    return None


def _growth(batch: Batch, wanted: int) -> float:
    """Return by how much the next batch should widen its radius, from this one's density."""
    flagged = sum(c.flagged for c in batch.candidates if c.distance_km <= batch.complete_km)
    # The number of sites grows with the area, as the square of the radius; the margin makes
    # one more batch unlikely, and an empty batch says little but that sites are sparse here.
    return min(MAX_GROWTH, max(2.0, 1.5 * sqrt(wanted / max(flagged, 0.25))))


def nearest_candidates(
    session: Session, query: Flagged, params: Params, lat: float, lon: float, wanted: int
) -> Batch:
    """Return the sites of `query` around (`lat`, `lon`), enough to hold its `wanted` nearest
    flagged sites and every site closer than the farthest of them (or all sites, when fewer
    are flagged)."""
    postgis = _is_postgis(session)
    extent = float(max(FIRST_KNN_ROWS, 16 * wanted)) if postgis else FIRST_RADIUS_KM
    while True:
        if postgis:
            batch = _knn_batch(session, query, params, lat, lon, int(extent))
        else:
            batch = _box_batch(session, query, params, lat, lon, extent)
        settled = _settled_at(batch, wanted)
        if batch.complete_km == inf or (settled is not None and settled <= batch.complete_km):
            return batch
        if settled is not None and not postgis:
            # A box holding enough flagged sites in its corners: the circle through the
            # farthest of them settles the search.
            extent = max(settled, extent * 1.01)
        else:
            extent *= _growth(batch, wanted) ** (2 if postgis else 1)


@lru_cache(maxsize=128)
def _knn_statement(query: Flagged) -> Flagged:
    point = func.ST_SetSRID(
        func.ST_MakePoint(bindparam("at_lon", type_=Float), bindparam("at_lat", type_=Float)), 4326
    )
    knn = SITE_GEOGRAPHY.op("<->")(cast(point, Geography(srid=-1, spatial_index=False)))
    return query.order_by(knn).limit(bindparam("rows", type_=Integer))


def _knn_batch(
    session: Session, query: Flagged, params: Params, lat: float, lon: float, count: int
) -> Batch:
    values = {**params, "at_lat": lat, "at_lon": lon, "rows": count}
    rows: Sequence[Any] = session.connection().execute(_knn_statement(query), values).all()
    found = _ranked(rows, lat, lon)
    if len(rows) < count:
        return Batch(found, inf)
    # The walk is in PostGIS's distance order: only its last row bounds what it did not reach.
    last = haversine_km(lat, lon, rows[-1][1], rows[-1][2])
    relative, absolute = KNN_MARGIN
    return Batch(found, last * (1 - relative) - absolute)


@lru_cache(maxsize=128)
def _box_statement(query: Flagged, boxes: int) -> Flagged:
    if boxes == 0:
        return query
    inside = [
        Site.id.in_(
            select(_RTREE.c.pkid).where(
                _RTREE.c.xmax >= bindparam(f"west{n}", type_=Float),
                _RTREE.c.xmin <= bindparam(f"east{n}", type_=Float),
                _RTREE.c.ymax >= bindparam(f"south{n}", type_=Float),
                _RTREE.c.ymin <= bindparam(f"north{n}", type_=Float),
            )
        )
        for n in range(boxes)
    ]
    return query.where(or_(*inside))


def _box_batch(
    session: Session, query: Flagged, params: Params, lat: float, lon: float, radius_km: float
) -> Batch:
    boxes = bounding_boxes(lat, lon, radius_km) or []
    values = dict(params)
    for n, (west, south, east, north) in enumerate(boxes):
        values |= {f"west{n}": west, f"south{n}": south, f"east{n}": east, f"north{n}": north}
    rows = session.connection().execute(_box_statement(query, len(boxes)), values)
    return Batch(_ranked(rows, lat, lon), radius_km if boxes else inf)


def bounding_boxes(lat: float, lon: float, radius_km: float) -> list[Box] | None:
    """Return boxes covering the spherical cap of `radius_km` around a point (None: the world).

    One box, or two when the cap crosses the antimeridian.
    """
    if radius_km >= HALF_CIRCUMFERENCE_KM:
        return None
    angle = radius_km / EARTH_RADIUS_KM
    south = degrees(radians(lat) - angle) - BOX_MARGIN
    north = degrees(radians(lat) + angle) + BOX_MARGIN
    if south <= -90 or north >= 90:
        # The cap holds a pole: it spans every longitude.
        return [(-180.0, max(south, -90.0), 180.0, min(north, 90.0))]
    half_width = degrees(asin(min(1.0, sin(angle) / cos(radians(lat))))) + BOX_MARGIN
    west, east = lon - half_width, lon + half_width
    if west < -180:
        return [(west + 360, south, 180.0, north), (-180.0, south, east, north)]
    if east > 180:
        return [(west, south, 180.0, north), (-180.0, south, east - 360, north)]
    return [(west, south, east, north)]
