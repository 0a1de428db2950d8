"""Imports checked now and published later: the admin preview and the sync API share them.

A pending import keeps the whole ImportCheck, so what is published is exactly what was shown.
Every step is recorded in the audit log in the same transaction.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from geodata.accounts.audit import record
from geodata.errors import InvalidValue, NotFound
from geodata.publishing.importing import ImportCheck, publish_check
from geodata.publishing.pending_json import check_from_json, check_to_json
from geodata.publishing.versions import restore
from geodata.storage.models import Network, PendingImport, Publication, as_utc
from geodata.storage.networks import get_network

log = logging.getLogger(__name__)

PENDING = "en_attente"
PUBLISHED = "publie"
DISCARDED = "abandonne"
_STATUS_WORDS = {PUBLISHED: "déjà publié", DISCARDED: "abandonné"}


@dataclass(frozen=True)
class PendingInfo:
    """A checked file waiting to be published or discarded."""

    id: str
    network: str
    created_at: datetime
    author: str
    source: str
    base_version: int
    valid: bool
    status: str
    check: ImportCheck


def lock_network(session: Session, network: Network) -> None:
    """Hold the network until the transaction ends, so that its publishes run one at a time.

    A no-op update locks the network's row on PostgreSQL and takes SQLite's write lock; whoever
    comes second waits, then sees the version the first one published.
    """
    session.execute(
        update(Network).where(Network.id == network.id).values(slug=Network.slug),
        execution_options={"synchronize_session": False},
    )


def _info(row: PendingImport, slug: str) -> PendingInfo:
    return PendingInfo(
        row.id, slug, as_utc(row.created_at), row.author, row.source, row.base_version, row.valid,
        row.status, check_from_json(row.check_json),
    )  # fmt: skip


def _summary(check: ImportCheck) -> dict[str, object]:
    diff = check.diff
    return {
        "erreurs": len(check.errors),
        "ajouts": len(diff.added) if diff else 0,
        "modifications": len(diff.changed) if diff else 0,
        "suppressions": len(diff.removed) if diff else 0,
    }


def save_check(
    session: Session, network: Network, check: ImportCheck, *, author: str, source: str
) -> PendingInfo:
    """Keep `check` as a pending import of `network`; records "import_verifie"."""
    row = PendingImport(
        id=uuid.uuid4().hex,
        network_id=network.id,
        author=author[:254],
        source=source[:300],
        base_version=check.base_version,
        valid=check.ok,
        check_json=check_to_json(check),
        status=PENDING,
    )
    session.add(row)
    session.flush()
    details = {"import": row.id, "fichier": row.source} | _summary(check)
    record(session, author, "import_verifie", network.slug, details)
    return PendingInfo(
        row.id, network.slug, as_utc(row.created_at), row.author, row.source, row.base_version,
        row.valid, row.status, check,
    )  # fmt: skip


def _pending_row(session: Session, network: Network, pending_id: str) -> PendingImport:
    row = session.scalars(
        select(PendingImport).where(
            PendingImport.id == pending_id[:32], PendingImport.network_id == network.id
        )
    ).one_or_none()
    if row is None:
        raise NotFound(
            f"Aucun import « {pending_id[:40]} » pour le réseau « {network.slug} » : "
            "il a peut-être été supprimé, déposez le fichier de nouveau.",
            kind="import",
            key=pending_id[:40],
        )
    return row


def get_pending(session: Session, slug: str, pending_id: str) -> PendingInfo:
    """Return a pending import of network `slug` (whatever its status).

    Raises:
        NotFound: no such network, or no such import in this network.
    """
    return _info(_pending_row(session, get_network(session, slug), pending_id), slug)


def _waiting_row(session: Session, network: Network, pending_id: str) -> PendingImport:
    row = _pending_row(session, network, pending_id)
    if row.status != PENDING:
        raise InvalidValue(
            f"Cet import est {_STATUS_WORDS.get(row.status, row.status)} : déposez le fichier "
            "de nouveau pour le publier.",
            field="status",
            value=row.status,
        )
    return row


def publish_pending(
    session: Session, slug: str, pending_id: str, *, author: str
) -> Publication | None:
    """Publish a pending import as a new version (None when it changes nothing).

    Records "publication". Raises:
        NotFound: no such network or import.
        InvalidValue: the import was already published or discarded.
        ImportRejected: the file has errors.
        StaleCheck: another version was published since the file was checked.
    """
    network = get_network(session, slug)
    lock_network(session, network)
    row = _waiting_row(session, network, pending_id)
    check = check_from_json(row.check_json)
    publication = publish_check(session, network, check, author=author, source=row.source)
    row.status = PUBLISHED
    session.flush()
    number = publication.number if publication is not None else None
    details = {"import": row.id, "fichier": row.source, "version": number} | _summary(check)
    record(session, author, "publication", slug, details)
    return publication


def discard_pending(session: Session, slug: str, pending_id: str, *, author: str) -> None:
    """Discard a pending import; records "import_abandonne".

    Raises:
        NotFound: no such network or import.
        InvalidValue: the import was already published or discarded.
    """
    network = get_network(session, slug)
    row = _waiting_row(session, network, pending_id)
    row.status = DISCARDED
    session.flush()
    record(session, author, "import_abandonne", slug, {"import": row.id, "fichier": row.source})


def restore_version(session: Session, slug: str, number: int, *, author: str) -> Publication | None:
    """Publish version `number` again as a new version (None if it is already the current one).

    Records "restauration". Raises:
        NotFound: no such network or version.
    """
    network = get_network(session, slug)
    lock_network(session, network)
    publication = restore(session, network, number, author=author)
    new = publication.number if publication is not None else None
    record(session, author, "restauration", slug, {"version_restauree": number, "version": new})
    return publication
