"""The import pipeline of a network's file: validate, locate, compare, then publish.

`check_file` runs every step that can fail on the data and changes nothing; `publish_check`
publishes a clean check in the caller's transaction. The command line and the web admin both use
these two functions, so a file gets the same verdict wherever it is uploaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from geodata.diffing import Diff, diff_records
from geodata.errors import GeocoderUnavailable, ImportRejected, StaleCheck
from geodata.gazetteer import Commune, Gazetteer
from geodata.geocoding import Geocoder
from geodata.models import Network, Publication
from geodata.problems import Problem
from geodata.publishing import current_version, publish, published_records
from geodata.records import Location, SiteRecord
from geodata.validation import ValidRow, validate_file

log = logging.getLogger(__name__)

Progress = Callable[[int], None]

# A street-level geocoder's answer is kept only when it is at least this confident.
MIN_STREET_SCORE = 0.5


@dataclass(frozen=True)
class ImportCheck:
    """Everything known about a file before publishing it."""

    network: str
    base_version: int  # the version the diff was computed against
    records: tuple[SiteRecord, ...]
    problems: tuple[Problem, ...]
    diff: Diff | None  # None when the file has errors

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "erreur")

    @property
    def ok(self) -> bool:
        return not self.errors


def _commune_location(commune: Commune, gazetteer: Gazetteer) -> Location:
    current = gazetteer.current(commune)
    return Location(commune.lat, commune.lon, current.code, commune.department, "municipality", 1.0)


def _street_location(row: ValidRow, geocoder: Geocoder, gazetteer: Gazetteer) -> Location | None:
    record = row.record
    query = f"{record.adresse} {record.code_postal} {record.commune}"
    accepted = {row.commune.code, gazetteer.current(row.commune).code}
    for result in geocoder.geocode(query, limit=1):
        if result.citycode in accepted and result.score >= MIN_STREET_SCORE:
            code = gazetteer.current(row.commune).code
            dep = row.commune.department
            return Location(result.lat, result.lon, code, dep, result.type, result.score)
    return None


def locate(
    rows: tuple[ValidRow, ...],
    gazetteer: Gazetteer,
    geocoder: Geocoder,
    progress: Progress | None = None,
) -> tuple[list[SiteRecord], list[Problem]]:
    """Give every row a location: its own coordinates, the street geocoder's, or its commune's."""
    records: list[SiteRecord] = []
    problems: list[Problem] = []
    street = geocoder.street_level
    for row in rows:
        location = row.record.location
        if location is None and street:
            try:
                location = _street_location(row, geocoder, gazetteer)
            except GeocoderUnavailable as exc:
                problems.append(Problem(row.line, "adresse", None, exc.message, "avertissement"))
                street = False  # one failure is enough: the rest go to the commune
        if location is None:
            location = _commune_location(row.commune, gazetteer)
        records.append(replace(row.record, location=location))
        if progress:
            progress(1)
    return records, problems


def check_file(
    session: Session,
    network: Network,
    data: bytes,
    gazetteer: Gazetteer,
    geocoder: Geocoder,
    progress: Progress | None = None,
) -> ImportCheck:
    """Validate, locate and compare a directory file with what `network` has published."""
    validation = validate_file(data, gazetteer)
    base = current_version(session, network)
    if not validation.ok:
        return ImportCheck(network.slug, base, (), validation.problems, None)
    records, located = locate(validation.rows, gazetteer, geocoder, progress)
    diff = diff_records(published_records(session, network), records)
    problems = validation.problems + tuple(located)
    return ImportCheck(network.slug, base, tuple(records), problems, diff)


def publish_check(
    session: Session, network: Network, check: ImportCheck, *, author: str = "", source: str = ""
) -> Publication | None:
    """Publish a clean check as a new version (None when nothing changes).

    Raises:
        ImportRejected: the check has errors.
        StaleCheck: another version was published since the check was made.
    """
    if not check.ok:
        raise ImportRejected(check.errors)
    if current_version(session, network) != check.base_version:
        raise StaleCheck(network.slug, check.base_version)
    return publish(session, network, check.records, author=author, source=source, diff=check.diff)
