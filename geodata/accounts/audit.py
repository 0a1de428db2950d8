"""The audit log: who changed what, when, in which network (written in the change's transaction)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.storage.models import AuditEntry, Network, as_utc
from geodata.storage.networks import get_network

log = logging.getLogger(__name__)

COMMAND_LINE = "ligne de commande"
ACTIONS = frozenset(
    {
        "publication", "restauration", "import_verifie", "import_abandonne", "connexion",
        "connexion_refusee", "mot_de_passe", "utilisateur_cree", "jeton_cree", "jeton_revoque",
    }
)  # fmt: skip
ACTOR_MAX = 254


@dataclass(frozen=True)
class AuditInfo:
    """One entry of the audit log; `details` is the JSON object recorded with it."""

    at: datetime
    actor: str
    network: str | None
    action: str
    details: dict[str, Any]


def token_actor(prefix: str) -> str:
    """Return the actor name of an API token, e.g. "jeton:ann_AbCd"."""
    return f"jeton:{prefix}"


def record(
    session: Session, actor: str, action: str, network: str | None, details: Mapping[str, Any]
) -> None:
    """Add an entry to the audit log in the caller's transaction.

    Raises:
        ValueError: `action` is not one of ACTIONS (a programming error).
        NetworkNotFound: `network` is not a known slug.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    network_id = get_network(session, network).id if network is not None else None
    entry = AuditEntry(
        actor=actor[:ACTOR_MAX],
        action=action,
        network_id=network_id,
        details=json.dumps(dict(details), ensure_ascii=False, default=str),
    )
    session.add(entry)
    session.flush()
    log.info("audit: %s on network %s", action, network or "-")


def entries(session: Session, network: str | None = None, limit: int = 100) -> list[AuditInfo]:
    """Return the latest entries, newest first: a network's only, or all of them."""
    query = (
        select(AuditEntry, Network.slug)
        .outerjoin(Network, Network.id == AuditEntry.network_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    if network is not None:
        query = query.where(Network.slug == network)
    return [
        AuditInfo(as_utc(entry.at), entry.actor, slug, entry.action, json.loads(entry.details))
        for entry, slug in session.execute(query)
    ]
