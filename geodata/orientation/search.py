"""The orientation search: the nearest eligible sites, and the closer ones left out, with why.

Each process keeps an index of the published directory in memory (`published.py`, `index.py`,
searched by `nearest.py`), refreshed when a publication changes the directory: a search reads
the publication stamp, then finds and ranks the sites in memory. The database searches when
the index is being rebuilt by another thread or cannot hold the directory.

In the database, eligibility is a SQL filter on the "|"-joined list columns (the same rules as
`eligibility.py`), evaluated by the database next to its spatial index: PostGIS walks a
geography GiST index in distance order (KNN), SpatiaLite reads its R*Tree inside a bounding box
that grows until it holds enough sites. Only the few candidates are ranked in Python, by
great-circle distance (`haversine_km`), so both databases rank the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import String, and_, bindparam, false, or_, select
from sqlalchemy.orm import Session

from geodata.contract.records import SiteRecord
from geodata.orientation.eligibility import ALL_CANCERS, Patient, Reason, age_groups, reasons
from geodata.orientation.nearest import nearest
from geodata.orientation.published import PublishedIndex, published_index
from geodata.orientation.spatial import Candidate, Flagged, nearest_candidates
from geodata.storage.models import Network, Site
from geodata.storage.sites import list_pattern, listed_param, site_record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    """A site found near the patient, with its distance and, when left out, why."""

    record: SiteRecord
    network: str  # the network's slug
    distance_km: float  # great-circle; round only for display
    reasons: tuple[Reason, ...]  # () for an eligible site


@dataclass(frozen=True)
class Orientation:
    """The answer to a search: eligible sites, nearest first, and the closer ones left out."""

    results: tuple[Hit, ...]
    left_out: tuple[Hit, ...]


# Every column but the geometry, which the records do not need and is costly to decode.
_COLUMNS = [
    column for column in Site.__table__.c if column.name not in ("geom", "id", "lat", "lon")
]
_SLUG = Network.slug.label("network_slug")


@cache
def _flagged_sites(groups: int, soins: int, zones: int, networks: bool) -> Flagged:
    """Return the query of every site's position and whether it fits a patient, by shape.

    The flag is `reasons(record, patient) == ()` in SQL; `_rule_params` gives its values.
    """
    fits = and_(
        Site.actif.is_(True),
        or_(listed_param(Site.cancers, "cancer0"), listed_param(Site.cancers, "cancer1")),
        or_(false(), *(listed_param(Site.publics, f"public{n}") for n in range(groups))),
        *(listed_param(Site.soins, f"soin{n}") for n in range(soins)),
        or_(Site.zone == "", *(listed_param(Site.zone, f"zone{n}") for n in range(zones))),
    )
    # The records come with the candidates: one statement, and a few dozen more rows are
    # cheaper than a second round trip.
    query = select(Site.id, Site.lat, Site.lon, fits.label("fits"), *_COLUMNS, _SLUG).join(Network)
    if networks:
        query = query.where(Network.slug.in_(bindparam("networks", expanding=True, type_=String)))
    return query


def _rule_params(patient: Patient, networks: Sequence[str]) -> dict[str, Any]:
    codes = {"cancer0": ALL_CANCERS, "cancer1": patient.cancer}
    codes |= {f"public{n}": code for n, code in enumerate(age_groups(patient.age))}
    codes |= {f"soin{n}": code for n, code in enumerate(patient.soins)}
    codes |= {f"zone{n}": code for n, code in enumerate(sorted(patient.zone_codes))}
    params: dict[str, Any] = {name: list_pattern(code) for name, code in codes.items()}
    if networks:
        params["networks"] = list(networks)
    return params


def _hit(candidate: Candidate, patient: Patient | None = None) -> Hit:
    """Return the hit of a candidate; with `patient`, a left-out one with its reasons."""
    # Plain rows are several times faster to read than mapped objects, and carry the same
    # attribute names that `site_record` reads.
    row = candidate.row
    record = site_record(row)
    why = () if patient is None else _reasons(record, patient)
    return Hit(record, row.network_slug, candidate.distance_km, why)


def nearest_sites(
    session: Session,
    patient: Patient,
    lat: float,
    lon: float,
    limit: int = 5,
    networks: Sequence[str] = (),
) -> Orientation:
    """Return the `limit` nearest sites eligible for `patient` at (`lat`, `lon`).

    Every site left out that is closer than the farthest result comes with its reasons; with
    no eligible site at all, the `limit` nearest sites do. `networks` (slugs) narrows the
    search to those networks' sites.
    """
    return nearest_in(published_index(session), session, patient, (lat, lon), limit, networks)


def nearest_in(
    published: PublishedIndex | None,
    session: Session,
    patient: Patient,
    at: tuple[float, float],
    limit: int = 5,
    networks: Sequence[str] = (),
) -> Orientation:
    """Return `nearest_sites`'s answer from `published` (the database search when None).

    For a caller that reads the index once for several questions (`published_index`).
    """
    if limit <= 0:
        return Orientation((), ())
    if published is None:
        return database_search(session, patient, *at, limit, networks)
    return _indexed_search(published, patient, at, limit, networks)


def _answer(found: list[Candidate], limit: int) -> tuple[list[Candidate], list[Candidate]]:
    """Return the results and the sites left out among `found`, nearest first.

    `found` holds the `limit` nearest eligible sites and every site closer than the farthest
    of them, or every site when fewer are eligible.
    """
    results = [c for c in found if c.flagged][:limit]
    if results:
        left_out = [c for c in found if not c.flagged and c.distance_km < results[-1].distance_km]
    else:
        left_out = found[:limit]
    return results, left_out


def _indexed_search(
    published: PublishedIndex,
    patient: Patient,
    at: tuple[float, float],
    limit: int,
    networks: Sequence[str],
) -> Orientation:
    """Return the answer from the index."""
    results, left_out = _answer(nearest(published.index, patient, *at, limit, networks), limit)

    def hit(candidate: Candidate, excluded: bool = False) -> Hit:
        record = published.record(candidate.id)
        why = _reasons(record, patient) if excluded else ()
        return Hit(record, published.index.slug_at(candidate.row), candidate.distance_km, why)

    return Orientation(tuple(map(hit, results)), tuple(hit(c, True) for c in left_out))


def database_search(
    session: Session,
    patient: Patient,
    lat: float,
    lon: float,
    limit: int = 5,
    networks: Sequence[str] = (),
) -> Orientation:
    """Return what `nearest_sites` does, from the database's spatial index alone."""
    if limit <= 0:
        return Orientation((), ())
    shape = (len(age_groups(patient.age)), len(patient.soins), len(patient.zone_codes))
    query = _flagged_sites(*shape, bool(networks))
    params = _rule_params(patient, networks)
    found = nearest_candidates(session, query, params, lat, lon, limit).candidates
    results, left_out = _answer(found, limit)
    hits = tuple(_hit(c) for c in results)
    return Orientation(hits, tuple(_hit(c, patient) for c in left_out))


def _reasons(record: SiteRecord, patient: Patient) -> tuple[Reason, ...]:
    return _checked(reasons(record, patient), record)


def _checked(why: tuple[Reason, ...], record: SiteRecord) -> tuple[Reason, ...]:
    if not why:
        # The search's rules and `reasons` disagree: a bug, but the rest of the answer holds.
        log.error("site %s left out without a reason", record.identifiant)
    return why
