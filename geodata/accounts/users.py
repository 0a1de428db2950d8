"""Accounts of editors and administrators: creation, sign-in check, password change.

Passwords are stored with werkzeug's scrypt hash (slow on purpose); an editor may change only
their own network's directory, an administrator any network's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from geodata.accounts.audit import COMMAND_LINE, Action, record
from geodata.errors import InvalidValue, NotFound
from geodata.normalize import normalise_email
from geodata.storage.models import Network, User, utcnow
from geodata.storage.networks import get_network

log = logging.getLogger(__name__)

PASSWORD_MIN = 12
# scrypt's cost grows with the input: a huge "password" must not become a denial of service.
PASSWORD_MAX = 1024


@dataclass(frozen=True)
class Account:
    """A signed-in person: their email, their network (None for an administrator without one)."""

    id: int
    email: str
    network: str | None
    is_admin: bool
    session_version: int = 0  # a session opened under another version has ended
    disabled: bool = False

    def can_edit(self, slug: str) -> bool:
        """Return True if this account may change the directory of network `slug`."""
        return self.is_admin or self.network == slug


def _account_email(email: str) -> str:
    """Return the address an account is stored and found under: `normalise_email`'s, folded
    to lower case because a person signs in with whatever case they type.

    Raises:
        InvalidValue: it does not look like an email address.
    """
    try:
        address, _ = normalise_email(email)
    except InvalidValue:
        raise InvalidValue(
            f"Adresse électronique invalide : « {email[:80]} ». Exemple : prenom.nom@reseau.fr.",
            field="email",
            value=email[:80],
        ) from None
    return address.lower()


def _lookup_email(email: str) -> str:
    """Return the address to look an account up by, for an address already stored."""
    try:
        return _account_email(email)
    except InvalidValue:
        # An account made before the address rule tightened is still found as it was stored.
        return email.strip().lower()


def check_password(password: str) -> str:
    """Return `password` if it is long enough (and not absurdly long).

    Raises:
        InvalidValue: French message saying the length expected; the password is never echoed.
    """
    if len(password) < PASSWORD_MIN or len(password) > PASSWORD_MAX:
        raise InvalidValue(
            f"Le mot de passe doit compter au moins {PASSWORD_MIN} caractères (et au plus "
            f"{PASSWORD_MAX}). Une phrase de plusieurs mots est facile à retenir.",
            field="password",
            value="",
        )
    return password


@cache
def _dummy_hash() -> str:
    # Checked when the email is unknown, so that both answers take as long.
    return generate_password_hash("compte inexistant, mot de passe factice")


def _account(session: Session, user: User) -> Account:
    slug = None
    if user.network_id is not None:
        slug = session.scalar(select(Network.slug).where(Network.id == user.network_id))
    return Account(
        user.id, user.email, slug, user.is_admin, user.session_version, user.disabled_at is not None
    )


def add_user(
    session: Session,
    email: str,
    password: str,
    network: str | None,
    *,
    admin: bool = False,
    actor: str = COMMAND_LINE,
) -> Account:
    """Create an account and record `Action.USER_CREATED` in the audit log.

    Raises:
        InvalidValue: malformed email, existing account, password too short, editor without
            network.
        NetworkNotFound: unknown network.
    """
    address = _account_email(email)
    check_password(password)
    if network is None and not admin:
        raise InvalidValue(
            "Un éditeur doit être rattaché à un réseau : indiquez --network SLUG (seuls les "
            "administrateurs peuvent n'en avoir aucun).",
            field="network",
            value="",
        )
    network_id = get_network(session, network).id if network is not None else None
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise InvalidValue(
            f"Un compte existe déjà pour « {address} ».", field="email", value=address
        )
    user = User(
        email=address,
        password_hash=generate_password_hash(password),
        network_id=network_id,
        is_admin=admin,
    )
    session.add(user)
    session.flush()
    record(session, actor, Action.USER_CREATED, network, {"email": address, "admin": admin})
    return _account(session, user)


def authenticate(session: Session, email: str, password: str) -> Account | None:
    """Return the account if `password` is its password, else None (unknown email included).

    Records nothing: the sign-in page records `Action.SIGN_IN` or `Action.SIGN_IN_REFUSED`.
    """
    address = _lookup_email(email)
    user = session.scalars(select(User).where(User.email == address)).one_or_none()
    if len(password) > PASSWORD_MAX:
        return None
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or user.disabled_at is not None:
        return None
    return _account(session, user)


def get_account(session: Session, account_id: int) -> Account | None:
    """Return the account with this id, or None (deleted or disabled since the session began)."""
    user = session.get(User, account_id)
    if user is None or user.disabled_at is not None:
        return None
    return _account(session, user)


def end_sessions(session: Session, account_id: int, *, action: Action = Action.SIGN_OUT) -> int:
    """End every session of the account, wherever it was opened; return the new version."""
    user = session.get(User, account_id)
    if user is None:
        return 0
    user.session_version += 1
    session.flush()
    account = _account(session, user)
    record(session, account.email, action, account.network, {})
    return user.session_version


def set_disabled(
    session: Session, email: str, disabled: bool, *, actor: str = COMMAND_LINE
) -> Account:
    """Disable an account (its sessions end at once, it can no longer sign in) or enable it;
    return the account.

    Raises:
        NotFound: no account has this address.
    """
    user = session.scalars(select(User).where(User.email == _lookup_email(email))).one_or_none()
    if user is None:
        raise NotFound(f"Aucun compte n'a l'adresse « {email[:80]} ».", kind="user", key=email[:80])
    user.disabled_at = utcnow() if disabled else None
    user.session_version += 1
    session.flush()
    action = Action.USER_DISABLED if disabled else Action.USER_ENABLED
    account = _account(session, user)
    record(session, actor, action, account.network, {"email": user.email})
    return account


def change_password(session: Session, account_id: int, current: str, new: str) -> int:
    """Replace the account's password, end its sessions and record `Action.PASSWORD_CHANGED`;
    return the new session version (the caller's own session may carry on under it).

    Raises:
        InvalidValue: `current` is wrong, or `new` is too short or the same as `current`.
    """
    user = session.get(User, account_id)
    if user is None or not check_password_hash(user.password_hash, current[:PASSWORD_MAX]):
        raise InvalidValue(
            "Le mot de passe actuel est incorrect.", field="current_password", value=""
        )
    check_password(new)
    if new == current:
        raise InvalidValue(
            "Le nouveau mot de passe doit être différent de l'actuel.", field="password", value=""
        )
    user.password_hash = generate_password_hash(new)
    # Whoever held a session (perhaps the reason for the change) holds it no more.
    user.session_version += 1
    session.flush()
    account = _account(session, user)
    record(session, account.email, Action.PASSWORD_CHANGED, account.network, {})
    return user.session_version


def list_accounts(session: Session) -> list[Account]:
    """Return every account, by email."""
    users = session.scalars(select(User).order_by(User.email))
    return [_account(session, user) for user in users]
