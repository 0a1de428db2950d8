"""The orientation search: the nearest eligible sites, and the closer ones left out, with why.

Eligibility is a SQL filter on the "|"-joined list columns (the same rules as
`geodata.eligibility`), evaluated by the database next to its spatial index: PostGIS walks a
geography GiST index in distance order (KNN), SpatiaLite reads its R*Tree inside a bounding box
that grows until it holds enough sites. Only the few candidates are ranked in Python, by
great-circle distance (`haversine_km`), so both databases rank the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, false, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from geodata.eligibility import ALL_CANCERS, Patient, Reason, age_groups, reasons
from geodata.models import Network, Site
from geodata.publishing import site_record
from geodata.records import SiteRecord
from geodata.spatial import Candidate, Rows, nearest_ids, within_ids

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


def _listed(column: InstrumentedAttribute[str], code: str) -> ColumnElement[bool]:
    # Surrounding "|" make "sein" match the whole item only, never a part of another code.
    return ("|" + column + "|").contains(f"|{code}|", autoescape=True)


def _any_listed(column: InstrumentedAttribute[str], codes: Sequence[str]) -> ColumnElement[bool]:
    return or_(false(), *(_listed(column, code) for code in codes))


def eligible(patient: Patient) -> ColumnElement[bool]:
    """Return the SQL condition on `Site` that `reasons(record, patient) == ()` expresses."""
    return and_(
        Site.actif.is_(True),
        _any_listed(Site.cancers, (ALL_CANCERS, patient.cancer)),
        _any_listed(Site.publics, age_groups(patient.age)),
        *(_listed(Site.soins, code) for code in patient.soins),
        or_(Site.zone == "", _any_listed(Site.zone, sorted(patient.zone_codes))),
    )


def _sites(networks: Sequence[str]) -> Rows:
    query = select(Site.id, Site.lat, Site.lon)
    if networks:
        query = query.join(Network).where(Network.slug.in_(networks))
    return query


# Every column but the geometry, which the records do not need and is costly to decode.
_COLUMNS = [column for column in Site.__table__.c if column.name != "geom"]


def _load(session: Session, found: Sequence[Candidate]) -> dict[int, tuple[SiteRecord, str]]:
    """Return the record and network slug of each site of `found`, by id."""
    if not found:
        return {}
    rows = session.execute(
        select(*_COLUMNS, Network.slug.label("network_slug"))
        .join(Network)
        .where(Site.id.in_([c.id for c in found]))
    )
    # Plain rows are several times faster to read than mapped objects, and carry the same
    # attribute names that `site_record` reads.
    return {row.id: (site_record(row), row.network_slug) for row in rows}


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
    sites = _sites(networks)
    rule = eligible(patient)
    results = nearest_ids(session, sites, rule, lat, lon, limit)
    if results:
        radius = results[-1].distance_km
        closer = within_ids(session, sites.where(not_(rule)), lat, lon, radius)
        left_out = [c for c in closer if c.distance_km < radius]
    else:
        left_out = nearest_ids(session, sites, None, lat, lon, limit)
    loaded = _load(session, [*results, *left_out])
    hits = [Hit(*loaded[c.id], c.distance_km, ()) for c in results]
    explained = [_explained(Hit(*loaded[c.id], c.distance_km, ()), patient) for c in left_out]
    return Orientation(tuple(hits), tuple(explained))


def _explained(hit: Hit, patient: Patient) -> Hit:
    why = reasons(hit.record, patient)
    if not why:
        # The SQL filter and `reasons` disagree: a bug, but the rest of the answer holds.
        log.error("site %s left out without a reason", hit.record.identifiant)
    return replace(hit, reasons=why)
