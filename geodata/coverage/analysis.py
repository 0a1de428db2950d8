"""The nearest eligible site of every commune of an area, at once, and the population by distance.

Communes and sites become unit vectors: the nearest site on the sphere is the one with the
largest dot product, so a matrix product per block of communes finds them all. A site with a
declared zone only counts for the communes of its zone: sites are grouped by zone, and each
group is searched for the communes it serves. Distances are then great-circle (haversine), as in
the orientation search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from geodata.coverage.sites import CoverageSite
from geodata.geo import Floats, haversine_km_many, unit_vectors
from geodata.reference.gazetteer import Commune

BLOCK = 4096  # communes per matrix product: keeps the product under ~100 MB for 3,000 sites
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Nearest:
    """For each commune (same order as given): its nearest eligible site and the distance.

    `site` is -1 and `distance_km` NaN where no eligible site serves the commune.
    """

    communes: tuple[Commune, ...]
    sites: tuple[CoverageSite, ...]
    site: Ints
    distance_km: Floats

    def site_of(self, index: int) -> CoverageSite | None:
        """Return the nearest eligible site of the commune at `index`, if any."""
        found = int(self.site[index])
        return self.sites[found] if found >= 0 else None


def nearest_sites(communes: Sequence[Commune], sites: Sequence[CoverageSite]) -> Nearest:
    """Return the nearest site serving each commune of `communes` among `sites`."""
    lat = np.array([c.lat for c in communes], np.float64)
    lon = np.array([c.lon for c in communes], np.float64)
    points = unit_vectors(lat, lon)
    best = np.full(len(communes), -1, np.int64)
    best_dot = np.full(len(communes), -2.0)
    codes = np.array([c.code for c in communes])
    departments = np.array([c.department for c in communes])
    for zone, members in _by_zone(sites).items():
        served = _served(codes, departments, zone)
        _improve(points, served, sites, members, best, best_dot)
    distance = np.full(len(communes), np.nan)
    found = best >= 0
    if found.any():
        site_lat = np.array([sites[i].lat for i in best[found]], np.float64)
        site_lon = np.array([sites[i].lon for i in best[found]], np.float64)
        distance[found] = haversine_km_many(lat[found], lon[found], site_lat, site_lon)
    return Nearest(tuple(communes), tuple(sites), best, distance)


def _by_zone(sites: Sequence[CoverageSite]) -> dict[frozenset[str], list[int]]:
    groups: dict[frozenset[str], list[int]] = {}
    for index, site in enumerate(sites):
        groups.setdefault(site.zone, []).append(index)
    return groups


def _served(
    codes: npt.NDArray[np.str_], departments: npt.NDArray[np.str_], zone: frozenset[str]
) -> Ints:
    """Return the indexes of the communes a zone serves (all of them for no zone)."""
    if not zone:
        return np.arange(len(codes), dtype=np.int64)
    listed = np.array(sorted(zone))
    return np.nonzero(np.isin(codes, listed) | np.isin(departments, listed))[0].astype(np.int64)


def _improve(
    points: Floats,
    served: Ints,
    sites: Sequence[CoverageSite],
    members: list[int],
    best: Ints,
    best_dot: Floats,
) -> None:
    """Update `best` where a site of `members` is nearer to a commune of `served`."""
    if not len(served):
        return
    group = np.array(members, np.int64)
    vectors = unit_vectors(
        np.array([sites[i].lat for i in members], np.float64),
        np.array([sites[i].lon for i in members], np.float64),
    )
    for start in range(0, len(served), BLOCK):
        rows = served[start : start + BLOCK]
        dots = points[rows] @ vectors.T
        nearest = np.argmax(dots, axis=1)
        dot = dots[np.arange(len(rows)), nearest]
        better = dot > best_dot[rows]
        best[rows[better]] = group[nearest[better]]
        best_dot[rows[better]] = dot[better]
