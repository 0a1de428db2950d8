"""Regional networks: creation and lookup by slug."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.errors import InvalidValue, NetworkNotFound
from geodata.storage.models import Network

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 40


def check_slug(slug: str) -> str:
    """Return `slug` if it is a valid network slug (lower-case letters, digits, inner dashes).

    Raises:
        InvalidValue: with a French message saying what a slug looks like.
    """
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        raise InvalidValue(
            f"Identifiant de réseau invalide : « {slug} ». Utilisez des minuscules, des chiffres "
            f"et des tirets, {SLUG_MAX} caractères au plus (ex. « neon », « onco-aura »).",
            field="network",
            value=slug,
        )
    return slug


def find_network(session: Session, slug: str) -> Network | None:
    return session.scalars(select(Network).where(Network.slug == slug)).one_or_none()


def get_network(session: Session, slug: str) -> Network:
    """Return the network called `slug`.

    Raises:
        NetworkNotFound: no such network.
    """
    network = find_network(session, slug)
    if network is None:
        raise NetworkNotFound(slug)
    return network


def add_network(session: Session, slug: str, name: str) -> Network:
    """Create a network; raises InvalidValue if the slug is malformed or already taken."""
    check_slug(slug)
    if find_network(session, slug) is not None:
        raise InvalidValue(f"Le réseau « {slug} » existe déjà.", field="network", value=slug)
    if not name.strip():
        raise InvalidValue("Le nom du réseau est vide.", field="name", value=name)
    network = Network(slug=slug, name=name.strip())
    session.add(network)
    session.flush()
    return network


def ensure_network(session: Session, slug: str, name: str | None = None) -> Network:
    """Return the network `slug`, creating it (named `name`, else its slug) when missing."""
    return find_network(session, slug) or add_network(session, slug, name or slug)


def list_networks(session: Session) -> list[Network]:
    return list(session.scalars(select(Network).order_by(Network.slug)))
