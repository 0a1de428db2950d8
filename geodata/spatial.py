"""Nearest-neighbour queries over sites with each database's spatial index.

Both functions take a query selecting `(Site.id, Site.lat, Site.lon)` with any filters already
applied, and return candidates ranked by great-circle distance computed here with
`haversine_km`, so that PostGIS and SpatiaLite give the same distances.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import asin, cos, degrees, pi, radians, sin

from geoalchemy2 import Geography
from sqlalchemy import ColumnElement, Select, cast, column, func, or_, select, table, true
from sqlalchemy.orm import Session

from geodata.geo import EARTH_RADIUS_KM, haversine_km
from geodata.models import SITE_GEOGRAPHY, Site

FIRST_RADIUS_KM = 20.0  # SpatiaLite's first box; most patients have teams within it
FIRST_KNN_ROWS = 64  # PostGIS's first batch of nearest sites to filter
HALF_CIRCUMFERENCE_KM = pi * EARTH_RADIUS_KM
# Boxes are widened by this much (degrees) so float rounding never drops a site on the edge.
BOX_MARGIN = 1e-6

# SpatiaLite's R*Tree on `sites.geom` (created with the table by GeoAlchemy2).
_RTREE = table(
    "idx_sites_geom", column("pkid"), column("xmin"), column("xmax"), column("ymin"), column("ymax")
)

Box = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat (degrees)
Rows = Select[int, float, float]
Rule = ColumnElement[bool]


@dataclass(frozen=True)
class Candidate:
    """A site's id and its great-circle distance from the searched point."""

    id: int
    distance_km: float


def _ranked(session: Session, query: Rows, lat: float, lon: float) -> list[Candidate]:
    found = [Candidate(i, haversine_km(lat, lon, y, x)) for i, y, x in session.execute(query)]
    return sorted(found, key=lambda c: (c.distance_km, c.id))


def _is_postgis(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _point(lat: float, lon: float) -> ColumnElement[object]:
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return cast(point, Geography(geometry_type=None, srid=-1, spatial_index=False))


def nearest_ids(
    session: Session, query: Rows, rule: Rule | None, lat: float, lon: float, limit: int
) -> list[Candidate]:
    """Return the `limit` sites of `query` that satisfy `rule`, nearest to (`lat`, `lon`) first."""
    if limit <= 0:
        return []
    if _is_postgis(session):
        return _nearest_postgis(session, query, rule, lat, lon, limit)
    if rule is not None:
        query = query.where(rule)
    radius = FIRST_RADIUS_KM
    while True:
        boxes = bounding_boxes(lat, lon, radius)
        inside = _ranked(session, _in_boxes(query, boxes), lat, lon)
        if boxes is None:
            return inside[:limit]
        within = [c for c in inside if c.distance_km <= radius]
        # Every site outside the circle is farther than every site inside it.
        if len(within) >= limit:
            return within[:limit]
        radius *= 2


def _nearest_postgis(
    session: Session, query: Rows, rule: Rule | None, lat: float, lon: float, limit: int
) -> list[Candidate]:
    # The planner cannot estimate the list filters and would rather sort the whole table than
    # walk the KNN index with them: so the index gives the `count` nearest sites unfiltered,
    # the filter is applied to those only, and `count` grows until enough of them pass.
    count = max(FIRST_KNN_ROWS, 4 * limit)
    knn = SITE_GEOGRAPHY.op("<->")(_point(lat, lon))
    while True:
        near = query.order_by(knn).limit(count).subquery()
        flag = rule if rule is not None else true()
        rows = session.execute(
            select(Site.id, Site.lat, Site.lon, flag).where(Site.id.in_(select(near.c.id)))
        ).all()
        found = [Candidate(i, haversine_km(lat, lon, y, x)) for i, y, x, ok in rows if ok]
        if len(found) >= limit or len(rows) < count:
            return sorted(found, key=lambda c: (c.distance_km, c.id))[:limit]
        count *= 4


def within_ids(
    session: Session, query: Rows, lat: float, lon: float, radius_km: float
) -> list[Candidate]:
    """Return the sites of `query` at most `radius_km` from (`lat`, `lon`), nearest first."""
    if _is_postgis(session):
        metres = radius_km * 1000 * (1 + 1e-9) + 1e-3
        near = func.ST_DWithin(SITE_GEOGRAPHY, _point(lat, lon), metres, False)
        query = query.where(near)
    else:
        query = _in_boxes(query, bounding_boxes(lat, lon, radius_km))
    return [c for c in _ranked(session, query, lat, lon) if c.distance_km <= radius_km]


def _in_boxes(query: Rows, boxes: list[Box] | None) -> Rows:
    if boxes is None:
        return query
    ids = [
        select(_RTREE.c.pkid).where(
            _RTREE.c.xmax >= west, _RTREE.c.xmin <= east,
            _RTREE.c.ymax >= south, _RTREE.c.ymin <= north,
        )
        for west, south, east, north in boxes
    ]  # fmt: skip
    return query.where(or_(*(Site.id.in_(subquery) for subquery in ids)))


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
