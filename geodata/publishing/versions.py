"""Publishing a network's directory: all-or-nothing replacement, numbered versions, restore."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from geodata.contract.records import SiteRecord
from geodata.errors import PublicationNotFound, StaleCheck
from geodata.publishing.diff import Diff, diff_records
from geodata.storage.models import Network, Publication, Site
from geodata.storage.sites import site_record, site_values

log = logging.getLogger(__name__)

# Version numbers are 32-bit integers in both databases: a larger one can name no version.
MAX_VERSION = 2**31 - 1


@dataclass(frozen=True)
class PublicationInfo:
    """A version of a network's directory, without its snapshot."""

    number: int
    created_at: datetime
    author: str
    source: str
    note: str
    added: int
    changed: int
    removed: int
    total: int


def published_records(session: Session, network: Network) -> list[SiteRecord]:
    """Return the network's published sites, ordered by identifiant (in Python: the order must
    not depend on the database's collation)."""
    sites = session.scalars(select(Site).where(Site.network_id == network.id))
    return sorted((site_record(site) for site in sites), key=lambda record: record.identifiant)


def current_version(session: Session, network: Network) -> int:
    """Return the number of the network's latest publication (0 before the first)."""
    number = session.scalar(
        select(func.max(Publication.number)).where(Publication.network_id == network.id)
    )
    return int(number or 0)


def publish(
    session: Session,
    network: Network,
    records: Sequence[SiteRecord],
    *,
    author: str = "",
    source: str = "",
    note: str = "",
    diff: Diff | None = None,
) -> Publication | None:
    """Make `records` the network's whole directory, as a new numbered version.

    Runs inside the caller's transaction, so a failure anywhere publishes nothing. Returns None
    (and writes nothing) when the records are identical to what is published.
    """
    diff = diff or diff_records(published_records(session, network), records)
    if diff.empty:
        return None
    session.execute(delete(Site).where(Site.network_id == network.id))
    if records:
        session.execute(insert(Site), [site_values(r, network.id) for r in records])
    slug, number = network.slug, current_version(session, network) + 1
    publication = Publication(
        network_id=network.id,
        number=number,
        author=author,
        source=source[:300],
        note=note[:300],
        added=len(diff.added),
        changed=len(diff.changed),
        removed=len(diff.removed),
        total=len(records),
        snapshot=json.dumps([r.to_json() for r in records], ensure_ascii=False),
    )
    session.add(publication)
    try:
        session.flush()
    except IntegrityError as exc:
        # Another transaction took this number first: (network_id, number) is unique.
        raise StaleCheck(slug, number - 1) from exc
    log.info("published %s version %d (%s)", network.slug, publication.number, diff.summary())
    return publication


def list_publications(session: Session, network: Network) -> list[PublicationInfo]:
    """Return the network's versions, newest first."""
    rows = session.execute(
        select(
            Publication.number, Publication.created_at, Publication.author, Publication.source,
            Publication.note, Publication.added, Publication.changed, Publication.removed,
            Publication.total,
        )
        .where(Publication.network_id == network.id)
        .order_by(Publication.number.desc())
    )  # fmt: skip
    return [PublicationInfo(*row) for row in rows]


def publication_records(session: Session, network: Network, number: int) -> list[SiteRecord]:
    """Return the directory as it was published in version `number`.

    Raises:
        PublicationNotFound: the network has no such version.
    """
    snapshot = session.scalar(
        select(Publication.snapshot).where(
            Publication.network_id == network.id, Publication.number == number
        )
    )
    if snapshot is None:
        raise PublicationNotFound(network.slug, number)
    return [SiteRecord.from_json(item) for item in json.loads(snapshot)]


@dataclass(frozen=True)
class Restoration:
    """What restoring a version would change in what is published now (`current`)."""

    number: int
    current: int
    published: list[SiteRecord]
    restored: list[SiteRecord]
    diff: Diff


def restoration(session: Session, network: Network, number: int) -> Restoration:
    """Return what restoring version `number` would change, as an import preview shows it.

    Raises:
        PublicationNotFound: the network has no such version.
    """
    restored = publication_records(session, network, number)
    published = published_records(session, network)
    diff = diff_records(published, restored)
    return Restoration(number, current_version(session, network), published, restored, diff)


def restore(
    session: Session, network: Network, number: int, *, author: str = ""
) -> Publication | None:
    """Publish version `number` again as a new version (None if it is already what is published)."""
    records = publication_records(session, network, number)
    return publish(
        session, network, records, author=author, note=f"Restauration de la version {number}"
    )
