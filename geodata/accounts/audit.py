"""The audit log: who changed what, when, in which network (written in the change's transaction)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.storage.models import AuditEntry, Network, as_utc
from geodata.storage.networks import get_network

log = logging.getLogger(__name__)

COMMAND_LINE = "ligne de commande"
ACTOR_MAX = 254


class Action(StrEnum):
    """What an audit entry records. The values are stored in `audit_log.action`: never change
    one (the journal shows an old row's unknown action as stored)."""

    PUBLICATION = "publication"
    RESTORATION = "restauration"
    IMPORT_CHECKED = "import_verifie"
    IMPORT_ABANDONED = "import_abandonne"
    SIGN_IN = "connexion"
    SIGN_IN_REFUSED = "connexion_refusee"
    PASSWORD_CHANGED = "mot_de_passe"
    USER_CREATED = "utilisateur_cree"
    TOKEN_CREATED = "jeton_cree"
    TOKEN_REVOKED = "jeton_revoque"
    SIGN_OUT = "deconnexion"
    USER_DISABLED = "compte_desactive"
    USER_ENABLED = "compte_reactive"
    SOURCE_PULLED = "source_lue"

    @property
    def label(self) -> str:
        """What the admin journal calls the action."""
        return _LABELS[self]


_LABELS = {
    Action.PUBLICATION: "Publication d'une version",
    Action.RESTORATION: "Restauration d'une version",
    Action.IMPORT_CHECKED: "Fichier vérifié",
    Action.IMPORT_ABANDONED: "Fichier abandonné",
    Action.SIGN_IN: "Connexion",
    Action.SIGN_IN_REFUSED: "Connexion refusée",
    Action.PASSWORD_CHANGED: "Mot de passe changé",
    Action.USER_CREATED: "Compte créé",
    Action.TOKEN_CREATED: "Jeton d'API créé",
    Action.TOKEN_REVOKED: "Jeton d'API révoqué",
    Action.SIGN_OUT: "Déconnexion (toutes les sessions)",
    Action.USER_DISABLED: "Compte désactivé",
    Action.USER_ENABLED: "Compte réactivé",
    Action.SOURCE_PULLED: "Source lue",
}


@dataclass(frozen=True)
class AuditInfo:
    """One entry of the audit log; `details` is the JSON object recorded with it."""

    at: datetime
    actor: str
    network: str | None
    action: str  # as stored: an Action, or an action no longer recorded (older rows)
    details: dict[str, Any]

    @property
    def label(self) -> str:
        """What the journal shows: the action's French label, or the stored value if unknown."""
        try:
            return Action(self.action).label
        except ValueError:
            return self.action


TOKEN_ACTOR = "jeton:"


def token_actor(prefix: str) -> str:
    """Return the actor name of an API token, e.g. "jeton:ann_AbCd"."""
    return f"{TOKEN_ACTOR}{prefix}"


def actor_label(actor: str) -> str:
    """Return who acted as the journal says it: "jeton d'API ann_AbCd" for a token."""
    if actor.startswith(TOKEN_ACTOR):
        return f"jeton d'API {actor.removeprefix(TOKEN_ACTOR)}"
    return actor


def record(
    session: Session, actor: str, action: Action, network: str | None, details: Mapping[str, Any]
) -> None:
    """Add an entry to the audit log in the caller's transaction.

    Raises:
        ValueError: `action` is not an Action (a programming error).
        NetworkNotFound: `network` is not a known slug.
    """
    # Typed callers pass an Action; this keeps a stray string out of the log all the same.
    if action not in tuple(Action):
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
