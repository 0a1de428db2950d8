"""The nearest-site search in a `SiteIndex`: what the database search finds, found in memory.

The rules of `eligibility.reasons` become a few bit tests on the index's columns; the order of
great-circle distance is the order of the dot product of unit vectors, so sites are chosen by
dot product and only the few chosen ones get their distance from `haversine_km`, the function
the database search ranks with.

A large index is read around the patient only: the sites in the grid cells that cover a
spherical cap, grown until it holds enough eligible sites; a small index, or a cap grown past
`MAX_CAP_KM` (a patient far from every eligible team), is read whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import cos, sqrt

import numpy as np

from geodata.geo import EARTH_RADIUS_KM, haversine_km
from geodata.orientation.eligibility import ALL_CANCERS, Patient, age_groups
from geodata.orientation.index import Flags, Floats, Integers, SiteIndex, unit_vector
from geodata.orientation.spatial import Candidate

# An index this small is read whole: a few array operations cost less than choosing cells.
WHOLE_BELOW = 20_000
SITES_PER_FIRST_CAP = 200  # sites the first cap should hold, were they spread evenly on France
FRANCE_KM2 = 550_000.0
MAX_CAP_KM = 600.0
MAX_GROWTH = 8.0
# Candidates are kept down to the threshold's dot product less this. Rounding moves a dot
# product by about 1e-16 and `haversine_km` by about 1e-12 of its value: the margin covers both,
# so no site that `haversine_km` puts before the last one needed is missed (it only adds the
# sites within some 90 m of that distance, ranked and dropped in Python).
DOT_MARGIN = 1e-10

Positions = Integers | slice  # some sites of the index, or all of them (slice(None))


@dataclass(frozen=True)
class Rules:
    """A patient's eligibility as bit masks and flags on one index's columns."""

    cancers: int  # any of these bits
    publics: int  # any of these bits
    soins: int | None  # all of these bits (None: a care no site offers)
    served: Flags  # the sites whose zone includes the patient
    networks: list[int] | None  # the network ids searched (None: every network)

    @classmethod
    def of(cls, index: SiteIndex, patient: Patient, networks: Sequence[str]) -> Rules:
        return cls(
            cancers=index.cancers.known_mask((ALL_CANCERS, patient.cancer)),
            publics=index.publics.known_mask(age_groups(patient.age)),
            soins=index.soins.mask_of(patient.soins),
            served=index.zone.serves(patient.zone_codes),
            networks=index.network_numbers(networks) if networks else None,
        )

    def fits(self, index: SiteIndex, at: Positions) -> Flags:
        """Return which sites at `at` fit the patient: `reasons` gives them no reason."""
        if self.soins is None:
            return np.zeros(len(index.ids[at]), dtype=np.bool_)
        fits: Flags = index.actif[at] & ((index.cancers.masks[at] & self.cancers) != 0)
        fits &= (index.publics.masks[at] & self.publics) != 0
        fits &= (index.soins.masks[at] & self.soins) == self.soins
        fits &= self.served[at]
        return fits

    def scope(self, index: SiteIndex, at: Positions) -> Flags | None:
        """Return which sites at `at` belong to the networks searched (None: all do)."""
        return None if self.networks is None else np.isin(index.network_ids[at], self.networks)


def nearest(
    index: SiteIndex,
    patient: Patient,
    lat: float,
    lon: float,
    limit: int,
    networks: Sequence[str] = (),
) -> list[Candidate]:
    """Return the sites around (`lat`, `lon`) that a search for `limit` sites needs.

    As `spatial.nearest_candidates` does: the `limit` nearest sites fitting `patient` and every
    site closer than the farthest of them (or the `limit` nearest, when none fits), ranked by
    great-circle distance then id. A candidate's `row` is its position in the index.
    """
    rules = Rules.of(index, patient, networks)
    if len(index) >= max(WHOLE_BELOW, 1):
        radius = sqrt(SITES_PER_FIRST_CAP * FRANCE_KM2 / len(index) / np.pi)
        while radius < MAX_CAP_KM:
            at = index.near(lat, lon, radius)
            if at is None:
                break
            found, growth = _in_cap(index, rules, at, (lat, lon), limit, radius)
            if found is not None:
                return found
            radius *= growth
    return _chosen(index, rules, slice(None), (lat, lon), limit)


def _dots(index: SiteIndex, at: Positions, point: tuple[float, float]) -> Floats:
    x, y, z = unit_vector(*point)
    dots: Floats = index.x[at] * x + index.y[at] * y + index.z[at] * z
    return dots


def _in_cap(
    index: SiteIndex,
    rules: Rules,
    at: Integers,
    point: tuple[float, float],
    limit: int,
    radius_km: float,
) -> tuple[list[Candidate] | None, float]:
    """Return the answer's candidates if the sites `at` (those within `radius_km`, and some
    more) settle it, else None and by how much to widen the cap."""
    fits, scope = rules.fits(index, at), rules.scope(index, at)
    if scope is not None:
        fits &= scope
    dots = _dots(index, at, point)
    edge = cos(radius_km / EARTH_RADIUS_KM)  # the dot product of a site on the cap's edge
    eligible = dots[fits]
    inside = int(np.count_nonzero(eligible >= edge))
    if inside >= limit:
        threshold = float(np.partition(eligible, len(eligible) - limit)[len(eligible) - limit])
        if threshold - DOT_MARGIN >= edge:
            keep = dots >= threshold - DOT_MARGIN
            keep = keep if scope is None else keep & scope
            return _ranked(index, at[keep], fits[keep], point), 1.0
    # Sites grow with the area, as the square of the radius.
    return None, min(MAX_GROWTH, max(2.0, 1.5 * sqrt(limit / max(inside, 0.25))))


def _chosen(
    index: SiteIndex, rules: Rules, at: slice, point: tuple[float, float], limit: int
) -> list[Candidate]:
    """Return the answer's candidates from the whole index."""
    fits, scope = rules.fits(index, at), rules.scope(index, at)
    dots = _dots(index, at, point)
    if scope is not None:
        fits &= scope
        dots = np.where(scope, dots, -np.inf)
    threshold = _threshold(dots, fits, scope, limit)
    if threshold is None:
        return []
    keep = np.flatnonzero(dots >= threshold - DOT_MARGIN)
    return _ranked(index, keep, fits[keep], point)


def _threshold(dots: Floats, fits: Flags, scope: Flags | None, limit: int) -> float | None:
    """Return the dot product of the farthest site the answer may need (None: no site).

    That is the `limit`-th nearest fitting site, the farthest fitting one when fewer fit, or the
    `limit`-th nearest site of the scope when none fits.
    """
    pool = dots[fits]
    if not len(pool):
        pool = dots if scope is None else dots[scope]
    if not len(pool):
        return None
    if len(pool) > limit:
        return float(np.partition(pool, len(pool) - limit)[len(pool) - limit])
    return float(pool.min())


def _ranked(
    index: SiteIndex, chosen: Integers, fits: Flags, point: tuple[float, float]
) -> list[Candidate]:
    """Return the chosen sites as candidates, by great-circle distance then id."""
    lat, lon = point
    found = [
        Candidate(haversine_km(lat, lon, site_lat, site_lon), site_id, flagged, position)
        for site_lat, site_lon, site_id, flagged, position in zip(
            index.lats[chosen].tolist(), index.lons[chosen].tolist(), index.ids[chosen].tolist(),
            fits.tolist(), chosen.tolist(), strict=True,
        )
    ]  # fmt: skip
    found.sort()
    return found
