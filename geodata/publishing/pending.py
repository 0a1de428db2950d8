"""Imports checked now and published later: the admin preview and the sync API share them.

A pending import keeps the whole ImportCheck, so what is published is exactly what was shown.
Every step is recorded in the audit log in the same transaction.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from geodata.accounts.audit import Action, record
from geodata.config import Settings
from geodata.errors import CheckTooLarge, ImportClosed, NotFound, StaleCheck
from geodata.publishing.importing import ImportCheck, publish_check
from geodata.publishing.pending_json import check_from_json, check_to_json
from geodata.publishing.versions import current_version, restore
from geodata.storage.models import Network, PendingImport, Publication, as_utc, utcnow
from geodata.storage.networks import get_network

log = logging.getLogger(__name__)

# Largest check kept as a pending import, in characters of JSON. A 5 MB file of valid rows takes
# about 16 MB; past this, what grows is the problems, one per cell, which a fix removes at once.
MAX_CHECK_BYTES = 20 * 2**20


class PendingStatus(StrEnum):
    """Where a pending import stands; the values are what the database stores."""

    PENDING = "en_attente"
    PUBLISHED = "publie"
    DISCARDED = "abandonne"

    @property
    def label(self) -> str:
        """The French word shown to users ("publié"...)."""
        return _LABELS[self]


_LABELS = {
    PendingStatus.PENDING: "en attente",
    PendingStatus.PUBLISHED: "publié",
    PendingStatus.DISCARDED: "abandonné",
}


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
    status: PendingStatus
    check: ImportCheck


def lock_network(session: Session, network: Network) -> None:
    """Hold the network until the transaction ends, so that its publishes (and the publishing or
    discarding of its pending imports) run one at a time.

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
        PendingStatus(row.status), check_from_json(row.check_json),
    )  # fmt: skip


def _summary(check: ImportCheck) -> dict[str, object]:
    diff = check.diff
    return {
        "erreurs": len(check.errors),
        "ajouts": len(diff.added) if diff else 0,
        "modifications": len(diff.changed) if diff else 0,
        "suppressions": len(diff.removed) if diff else 0,
    }


def prune(session: Session, keep_days: int, *, keep: str = "") -> int:
    """Delete the imports of every network checked more than `keep_days` days ago, whatever their
    status (each keeps its whole check, megabytes for a large file); return how many.

    `keep` names an import to spare. An editor who comes back to an older preview is told it
    may have been deleted, and sends the file again.
    """
    cutoff = utcnow() - timedelta(days=keep_days)
    statement = delete(PendingImport).where(
        PendingImport.created_at < cutoff, PendingImport.id != keep
    )
    result = cast(
        CursorResult[Any],
        session.execute(statement, execution_options={"synchronize_session": False}),
    )
    if result.rowcount:
        log.info("pruned %d pending imports older than %d days", result.rowcount, keep_days)
    return result.rowcount


def _stored(check: ImportCheck) -> str:
    """Return the check as stored, or raise CheckTooLarge past `MAX_CHECK_BYTES`."""
    text = check_to_json(check)
    # Characters, not bytes: cheap, and off by at most the accented letters' second bytes.
    if len(text) > MAX_CHECK_BYTES:
        raise CheckTooLarge(len(text), MAX_CHECK_BYTES)
    return text


def save_check(
    session: Session,
    network: Network,
    check: ImportCheck,
    *,
    author: str,
    source: str,
    keep_days: int = Settings.pending_days,
) -> PendingInfo:
    """Keep `check` as a pending import of `network`; records `Action.IMPORT_CHECKED`.

    In the same transaction, deletes the imports older than `keep_days` days (`prune`).

    Raises:
        CheckTooLarge: the check would take more than `MAX_CHECK_BYTES` to store.
    """
    row = PendingImport(
        id=uuid.uuid4().hex,
        network_id=network.id,
        author=author[:254],
        source=source[:300],
        base_version=check.base_version,
        valid=check.ok,
        check_json=_stored(check),
        status=PendingStatus.PENDING,
    )
    session.add(row)
    session.flush()
    prune(session, keep_days, keep=row.id)
    details = {"import": row.id, "fichier": row.source} | _summary(check)
    record(session, author, Action.IMPORT_CHECKED, network.slug, details)
    return PendingInfo(
        row.id, network.slug, as_utc(row.created_at), row.author, row.source, row.base_version,
        row.valid, PendingStatus.PENDING, check,
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


def kept_imports(session: Session, slug: str, ids: Collection[str]) -> set[str]:
    """Return which of `ids` are imports of network `slug` still kept (not yet pruned)."""
    if not ids:
        return set()
    network = get_network(session, slug)
    query = select(PendingImport.id).where(
        PendingImport.network_id == network.id, PendingImport.id.in_([i[:32] for i in ids])
    )
    return set(session.scalars(query))


def _closed(row: PendingImport) -> ImportClosed:
    status = PendingStatus(row.status)
    return ImportClosed(row.id, status, status.label)


def _waiting_row(session: Session, network: Network, pending_id: str) -> PendingImport:
    """Return the import if it is still waiting, checked before the work it would waste."""
    row = _pending_row(session, network, pending_id)
    if row.status != PendingStatus.PENDING:
        raise _closed(row)
    return row


def _close(session: Session, row: PendingImport, status: PendingStatus) -> None:
    """Move a waiting import to `status`, or raise ImportClosed if it is no longer waiting.

    The change is conditional in the database itself: a session that read the row before
    another one closed it still holds it as waiting, and must not overwrite the other's status.
    """
    statement = (
        update(PendingImport)
        .where(PendingImport.id == row.id, PendingImport.status == PendingStatus.PENDING)
        .values(status=status)
    )
    # An UPDATE gives a CursorResult (with its rowcount); Session.execute is typed for any query.
    result = cast(
        CursorResult[Any],
        session.execute(statement, execution_options={"synchronize_session": False}),
    )
    # The loaded row no longer says what is stored: read it again when next used (here, to name
    # the status that closed it first).
    session.expire(row, ["status"])
    if result.rowcount != 1:
        raise _closed(row)


def publish_pending(
    session: Session, slug: str, pending_id: str, *, author: str, confirmed: bool = False
) -> Publication | None:
    """Publish a pending import as a new version (None when it changes nothing).

    `confirmed`: the editor accepted to remove more than half of the published sites.

    Records `Action.PUBLICATION`. Raises:
        NotFound: no such network or import.
        ImportClosed: the import was already published or discarded.
        ImportRejected: the file has errors.
        StaleCheck: another version was published since the file was checked.
        MassRemoval: the file removes more than half of the sites and is not `confirmed`.
    """
    network = get_network(session, slug)
    lock_network(session, network)
    row = _waiting_row(session, network, pending_id)
    check = check_from_json(row.check_json)
    publication = publish_check(
        session, network, check, author=author, source=row.source, confirmed=confirmed
    )
    _close(session, row, PendingStatus.PUBLISHED)
    number = publication.number if publication is not None else None
    details = {"import": row.id, "fichier": row.source, "version": number} | _summary(check)
    record(session, author, Action.PUBLICATION, slug, details)
    return publication


def discard_pending(session: Session, slug: str, pending_id: str, *, author: str) -> None:
    """Discard a pending import; records `Action.IMPORT_ABANDONED`.

    Takes the network's lock like a publish, so that a discard racing a publish of the same
    import waits for it, then finds it published instead of marking it discarded.

    Raises:
        NotFound: no such network or import.
        ImportClosed: the import was already published or discarded.
    """
    network = get_network(session, slug)
    lock_network(session, network)
    row = _waiting_row(session, network, pending_id)
    _close(session, row, PendingStatus.DISCARDED)
    record(
        session, author, Action.IMPORT_ABANDONED, slug, {"import": row.id, "fichier": row.source}
    )


def restore_version(
    session: Session, slug: str, number: int, *, author: str, seen: int | None = None
) -> Publication | None:
    """Publish version `number` again as a new version (None if it is already the current one).

    `seen` is the version that was published when the editor saw what the restoration changes:
    if another one was published since, nothing is restored. Records `Action.RESTORATION`.

    Raises:
        NotFound: no such network or version.
        StaleCheck: version `seen` is no longer the published one.
    """
    network = get_network(session, slug)
    lock_network(session, network)
    if seen is not None and current_version(session, network) != seen:
        raise StaleCheck(slug, seen)
    publication = restore(session, network, number, author=author)
    new = publication.number if publication is not None else None
    record(session, author, Action.RESTORATION, slug, {"version_restauree": number, "version": new})
    return publication
