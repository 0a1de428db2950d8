"""The import pipeline of a network's file: validate, locate, compare, then publish.

`check_file` runs every step that can fail on the data and changes nothing; `publish_check`
publishes a clean check in the caller's transaction. The command line and the web admin both use
these two functions, so a file gets the same verdict wherever it is uploaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from geodata.contract.records import Location, SiteRecord
from geodata.contract.validation import Validation, ValidRow, validate_file
from geodata.errors import GeocoderUnavailable, ImportRejected, MassRemoval, StaleCheck
from geodata.geocoding import Geocoder
from geodata.geocoding.precision import Precision
from geodata.problems import Problem, Severity
from geodata.publishing.diff import Diff, diff_records
from geodata.publishing.problem_file import FileFormat, Team, file_format, problem_teams
from geodata.publishing.versions import current_version, publish, published_records
from geodata.reference.gazetteer import Gazetteer
from geodata.storage.models import Network, Publication

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
    teams: Mapping[int, Team] = field(default_factory=dict)  # the team of each problem's line
    file_format: FileFormat = field(default_factory=FileFormat)  # its encoding and delimiter

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


def _location(
    row: ValidRow, gazetteer: Gazetteer, lat: float, lon: float, precision: Precision, score: float
) -> Location:
    """Return a location whose codes say where the site is: the arrondissement its postcode
    designates, else the current commune (a former commune's code is never used)."""
    placed = gazetteer.current(gazetteer.arrondissement(row.commune, row.record.code_postal))
    return Location(lat, lon, placed.code, placed.department, precision, score)


def _commune_location(row: ValidRow, gazetteer: Gazetteer) -> Location:
    # A former commune keeps its own point (closer to the site than its new town hall).
    point = gazetteer.arrondissement(row.commune, row.record.code_postal)
    return _location(row, gazetteer, point.lat, point.lon, Precision.MUNICIPALITY, 1.0)


def _street_location(row: ValidRow, geocoder: Geocoder, gazetteer: Gazetteer) -> Location | None:
    record = row.record
    query = f"{record.adresse} {record.code_postal} {record.commune}"
    for result in geocoder.geocode(query, limit=1):
        found = gazetteer.commune(result.citycode)
        if found and gazetteer.same_town(found, row.commune) and result.score >= MIN_STREET_SCORE:
            return _location(row, gazetteer, result.lat, result.lon, result.type, result.score)
    return None


def _same_address(a: SiteRecord, b: SiteRecord) -> bool:
    return (a.adresse, a.code_postal, a.commune) == (b.adresse, b.code_postal, b.commune)


def _reusable(row: ValidRow, published: Mapping[str, SiteRecord], street: bool) -> Location | None:
    """Return the published location of an unchanged address, unless `street` (a street-level
    geocoder is at hand) may place better a site published at its commune only.

    Re-geocoding every row on every import would cost time, send the addresses out again, and
    let a geocoder outage move sites that did not change. But a site left at its commune because
    the street geocoder was down (the outage warning tells editors to import again) or was not
    the configured one then must not stay there for good. The price: an address the street
    geocoder cannot place is asked again at each import.
    """
    before = published.get(row.record.identifiant)
    if before is None or before.location is None or before.latitude is not None:
        return None
    if street and before.location.precision.is_low:
        return None
    return before.location if _same_address(before, row.record) else None


def locate(
    rows: Sequence[ValidRow],
    gazetteer: Gazetteer,
    geocoder: Geocoder,
    published: Mapping[str, SiteRecord],
    progress: Progress | None = None,
) -> tuple[list[SiteRecord], list[Problem]]:
    """Give every row a location: its own coordinates, the one already published for the same
    address, the street geocoder's, or its commune's."""
    records: list[SiteRecord] = []
    problems: list[Problem] = []
    street = geocoder.street_level
    for row in rows:
        record, location = row.record, None
        if record.latitude is not None and record.longitude is not None:
            location = _location(
                row, gazetteer, record.latitude, record.longitude, Precision.GIVEN, 1.0
            )
        location = location or _reusable(row, published, street)
        if location is None and street:
            try:
                location = _street_location(row, geocoder, gazetteer)
            except GeocoderUnavailable as exc:
                problems.append(Problem(row.line, "adresse", None, _outage(exc), Severity.WARNING))
                street = False  # one failure is enough: the rest go to their commune
        records.append(replace(record, location=location or _commune_location(row, gazetteer)))
        if progress:
            progress(1)
    return records, problems


def _outage(exc: GeocoderUnavailable) -> str:
    return (
        f"{exc.message} Les adresses nouvelles ou modifiées à partir de cette ligne sont placées "
        "au centre de leur commune ; réimportez le fichier plus tard pour les placer à l'adresse."
    )


def _compared(
    session: Session,
    network: Network,
    validation: Validation,
    gazetteer: Gazetteer,
    geocoder: Geocoder,
    progress: Progress | None,
) -> ImportCheck:
    """Locate the valid rows of a file without errors and compare them with what is published."""
    base = current_version(session, network)
    if not validation.ok:
        return ImportCheck(network.slug, base, (), validation.problems, None)
    published = published_records(session, network)
    before = {record.identifiant: record for record in published}
    records, located = locate(validation.rows, gazetteer, geocoder, before, progress)
    diff = diff_records(published, records)
    problems = validation.problems + tuple(located)
    return ImportCheck(network.slug, base, tuple(records), problems, diff)


def check_file(
    session: Session,
    network: Network,
    data: bytes,
    gazetteer: Gazetteer,
    geocoder: Geocoder,
    progress: Progress | None = None,
) -> ImportCheck:
    """Validate, locate and compare a directory file with what `network` has published.

    When the file has problems, the check also names the team of each problem's line and
    keeps the file's encoding and delimiter (for the list of problems to download).
    """
    validation = validate_file(data, gazetteer)
    check = _compared(session, network, validation, gazetteer, geocoder, progress)
    if not check.problems:
        return check
    teams = problem_teams(data, check.problems, validation.rows)
    return replace(check, teams=teams, file_format=file_format(data))


def removal(check: ImportCheck) -> tuple[int, int]:
    """Return how many published sites the check removes, and how many were published."""
    diff = check.diff
    if diff is None:
        return 0, 0
    # Every site published before is either removed, or kept (changed or not) under its id.
    kept = len(check.records) - len(diff.added)
    return len(diff.removed), len(diff.removed) + kept


def needs_confirmation(check: ImportCheck) -> bool:
    """Whether publishing the check removes more than half of the published sites.

    A truncated export or the wrong sheet is still a valid file; removing exactly half is
    allowed, and a first publication removes nothing.
    """
    removed, total = removal(check)
    return removed * 2 > total


def publish_check(
    session: Session,
    network: Network,
    check: ImportCheck,
    *,
    author: str = "",
    source: str = "",
    confirmed: bool = False,
) -> Publication | None:
    """Publish a clean check as a new version (None when nothing changes).

    `confirmed` says the editor accepted to remove more than half of the published sites.

    Raises:
        ImportRejected: the check has errors.
        StaleCheck: another version was published since the check was made.
        MassRemoval: the check removes more than half of the sites and is not `confirmed`.
    """
    if not check.ok:
        raise ImportRejected(check.errors)
    if current_version(session, network) != check.base_version:
        raise StaleCheck(network.slug, check.base_version)
    if needs_confirmation(check) and not confirmed:
        raise MassRemoval(network.slug, *removal(check))
    return publish(session, network, check.records, author=author, source=source, diff=check.diff)
