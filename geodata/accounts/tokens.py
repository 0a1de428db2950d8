"""API tokens of the sync API: random 256-bit secrets, shown once, stored as their SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.accounts.audit import COMMAND_LINE, Action, record
from geodata.errors import InvalidValue
from geodata.storage.models import ApiToken, Network, as_utc, as_utc_or_none, utcnow
from geodata.storage.networks import get_network

log = logging.getLogger(__name__)

# A recognisable start lets secret scanners and people spot a leaked token.
TOKEN_START = "ann_"
# Shown in listings and the audit log: the start plus 8 random characters (48 bits).
PREFIX_LENGTH = 12
TOKEN_MAX = 200


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the secret, only its first characters."""

    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest stored for `token`."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, slug: str, *, actor: str = COMMAND_LINE) -> str:
    """Create a token for network `slug` and return it in clear: it is not stored, so this is
    the only time it can be seen. Records `Action.TOKEN_CREATED`.

    Raises:
        NetworkNotFound: unknown network.
    """
    network = get_network(session, slug)
    token = TOKEN_START + secrets.token_urlsafe(32)
    prefix = token[:PREFIX_LENGTH]
    session.add(ApiToken(network_id=network.id, token_hash=token_hash(token), prefix=prefix))
    session.flush()
    record(session, actor, Action.TOKEN_CREATED, slug, {"prefixe": prefix})
    return token


def _find(session: Session, token: str) -> ApiToken | None:
    if not token.startswith(TOKEN_START) or len(token) > TOKEN_MAX:
        return None
    digest = token_hash(token)
    found = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).one_or_none()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return found


def network_of_token(session: Session, token: str) -> str | None:
    """Return the slug of the network a token belongs to (None if unknown or revoked), and
    note when it was last used."""
    found = _find(session, token)
    if found is None or found.revoked_at is not None:
        return None
    found.last_used_at = utcnow()
    session.flush()
    return session.scalar(select(Network.slug).where(Network.id == found.network_id))


def _matching(session: Session, token_or_prefix: str) -> list[ApiToken]:
    found = _find(session, token_or_prefix)
    if found is not None:
        return [found]
    if len(token_or_prefix) < len(TOKEN_START) + 4:
        raise InvalidValue(
            "Indiquez le jeton entier ou ses premiers caractères, tels que les montre "
            f"« tokens list » (au moins {len(TOKEN_START) + 4}).",
            field="token",
            value=token_or_prefix[:PREFIX_LENGTH],
        )
    if len(token_or_prefix) > PREFIX_LENGTH:
        return []  # longer than a prefix, yet not a known token
    query = select(ApiToken).where(ApiToken.prefix.startswith(token_or_prefix, autoescape=True))
    return list(session.scalars(query))


def revoke_token(session: Session, token_or_prefix: str, *, actor: str = COMMAND_LINE) -> bool:
    """Revoke the token given in full or by its listed prefix; False if none matched (or it was
    already revoked). Records `Action.TOKEN_REVOKED`.

    Raises:
        InvalidValue: the prefix is too short, or matches several live tokens.
    """
    live = [t for t in _matching(session, token_or_prefix) if t.revoked_at is None]
    if len(live) > 1:
        raise InvalidValue(
            "Ce début de jeton en désigne plusieurs : donnez le jeton entier.",
            field="token",
            value=token_or_prefix[:PREFIX_LENGTH],
        )
    if not live:
        return False
    live[0].revoked_at = utcnow()
    session.flush()
    slug = session.scalar(select(Network.slug).where(Network.id == live[0].network_id))
    record(session, actor, Action.TOKEN_REVOKED, slug, {"prefixe": live[0].prefix})
    return True


def _info(token: ApiToken) -> TokenInfo:
    return TokenInfo(
        token.prefix,
        as_utc(token.created_at),
        as_utc_or_none(token.revoked_at),
        as_utc_or_none(token.last_used_at),
    )


def list_tokens(session: Session, slug: str) -> list[TokenInfo]:
    """Return the network's tokens, newest first, revoked ones included."""
    network = get_network(session, slug)
    query = (
        select(ApiToken)
        .where(ApiToken.network_id == network.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [_info(t) for t in session.scalars(query)]
