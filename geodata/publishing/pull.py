"""A network's spreadsheet source: recorded once, pulled on demand or on a schedule.

A pull fetches the file (a conditional request: an unchanged file ends there), checks it
exactly as an upload, then publishes a valid change, or keeps a file with errors, or one
removing more than half of the sites, as a pending import for the editor, publishing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.accounts.audit import Action, record
from geodata.config import Settings
from geodata.errors import InvalidValue, SourceUnavailable
from geodata.geocoding import Geocoder
from geodata.problems import Problem
from geodata.publishing.fetch import FetchRules, fetch
from geodata.publishing.importing import (
    ImportCheck,
    check_file,
    needs_confirmation,
    publish_check,
    removal,
)
from geodata.publishing.links import download_url
from geodata.publishing.pending import lock_network, save_check
from geodata.reference.gazetteer import Gazetteer
from geodata.storage.models import Network, NetworkSource, as_utc_or_none, utcnow
from geodata.storage.networks import get_network

MAX_URL = 2000
MAX_JOURNALED_PROBLEMS = 10


class Outcome(StrEnum):
    """How a pull ended; the values are stored in `network_sources.result`."""

    PUBLISHED = "publiee"
    UNCHANGED = "inchangee"
    REFUSED = "refusee"
    UNREACHABLE = "injoignable"

    @property
    def label(self) -> str:
        """Say it in French for the network page."""
        return _LABELS[self]


_LABELS = {
    Outcome.PUBLISHED: "nouvelle version publiée",
    Outcome.UNCHANGED: "aucun changement",
    Outcome.REFUSED: "refusée : rien n'a été publié",
    Outcome.UNREACHABLE: "source injoignable",
}


@dataclass(frozen=True)
class SourceInfo:
    """A network's source and its last pull, as the network page shows them."""

    slug: str
    url: str
    pulled_at: datetime | None
    result: str
    version: int | None
    message: str
    pending_id: str


@dataclass(frozen=True)
class PullResult:
    """What a pull did: its outcome, the version published, a French message, the problems."""

    slug: str
    outcome: Outcome
    message: str
    version: int | None = None
    problems: tuple[Problem, ...] = ()
    pending_id: str = ""


def check_source_url(url: str) -> str:
    """Return `url` trimmed if it looks like a web address.

    Raises:
        InvalidValue: not an http(s) address, or too long.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL:
        message = (
            "Indiquez l'adresse web du tableur publié, en https:// (2 000 caractères au plus)."
        )
        raise InvalidValue(message, field="source", value=url[:50])
    return url


def set_source(session: Session, slug: str, url: str) -> None:
    """Record `url` as the source of network `slug` (replacing any other, forgetting its pulls)."""
    network = get_network(session, slug)
    row = session.get(NetworkSource, network.id)
    if row is None:
        row = NetworkSource(network_id=network.id)
        session.add(row)
    row.url = check_source_url(url)
    row.etag = row.last_modified = row.result = row.message = row.pending_id = ""
    row.pulled_at, row.version = None, None
    session.flush()


def get_source(session: Session, slug: str) -> SourceInfo | None:
    """Return the source of network `slug`, or None when it has none."""
    network = get_network(session, slug)
    row = session.get(NetworkSource, network.id)
    return None if row is None else _info(row, slug)


def list_sources(session: Session) -> list[SourceInfo]:
    """Return every network's source, by network slug."""
    query = select(NetworkSource, Network.slug).join(Network).order_by(Network.slug)
    return [_info(row, slug) for row, slug in session.execute(query)]


def _info(row: NetworkSource, slug: str) -> SourceInfo:
    pulled = as_utc_or_none(row.pulled_at)
    return SourceInfo(slug, row.url, pulled, row.result, row.version, row.message, row.pending_id)


def source_actor(url: str) -> str:
    """Return the author of what a pull does, for versions and the journal."""
    return f"source : {url}"[:254]


@dataclass(frozen=True)
class PullContext:
    """What a pull needs besides the database: the fetch rules, the gazetteer, a geocoder."""

    rules: FetchRules
    gazetteer: Gazetteer
    geocoder: Geocoder
    pending_days: int


def fetch_rules(settings: Settings) -> FetchRules:
    """Return the fetch rules the settings give: size as uploads, time, http, private networks."""
    return FetchRules(
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        timeout=settings.sync_timeout,
        allow_http=settings.sync_allow_http,
        allowed_networks=settings.sync_allow_private,
    )


def pull(session: Session, slug: str, context: PullContext) -> PullResult:
    """Fetch network `slug`'s source, check it, and publish it, keep it pending, or stop.

    The caller commits: the pull's record (when, how it ended) is written in its transaction.

    Raises:
        NetworkNotFound: no such network.
        InvalidValue: the network has no source recorded.
    """
    network = get_network(session, slug)
    row = session.get(NetworkSource, network.id)
    if row is None:
        message = f"Le réseau « {slug} » n'a pas de source : indiquez-en une (--url)."
        raise InvalidValue(message, field="source", value=slug)
    try:
        fetched = fetch(download_url(row.url), context.rules, row.etag, row.last_modified)
    except SourceUnavailable as error:
        result = PullResult(slug, Outcome.UNREACHABLE, error.message)
        return _journaled(session, row.url, _recorded(row, result))
    if fetched.body is None:
        unchanged = _unchanged(slug, "le serveur indique que le fichier n'a pas changé")
        return _journaled(session, row.url, _recorded(row, unchanged))
    # Locked only now: a slow source must not hold the network's other imports.
    lock_network(session, network)
    check = check_file(session, network, fetched.body, context.gazetteer, context.geocoder)
    result = _apply(session, network, check, row.url, context.pending_days)
    if result.outcome in (Outcome.PUBLISHED, Outcome.UNCHANGED):
        row.etag, row.last_modified = fetched.etag[:300], fetched.last_modified[:100]
    return _journaled(session, row.url, _recorded(row, result))


def _journaled(session: Session, url: str, result: PullResult) -> PullResult:
    """Record the pull in the journal: its outcome, and the first problems of a refused file."""
    details: dict[str, object] = {
        "fichier": url,
        "resultat": result.outcome,
        "message": result.message,
        "version": result.version,
        "import": result.pending_id or None,
        "problemes": [p.message for p in result.problems[:MAX_JOURNALED_PROBLEMS]],
    }
    record(session, source_actor(url), Action.SOURCE_PULLED, result.slug, details)
    return result


def _unchanged(slug: str, why: str) -> PullResult:
    return PullResult(slug, Outcome.UNCHANGED, f"Aucun changement : {why}.")


def _apply(
    session: Session, network: Network, check: ImportCheck, url: str, pending_days: int
) -> PullResult:
    """Publish a clean check, or keep a doubtful one pending; say what was done."""
    actor, slug = source_actor(url), network.slug
    if not check.ok or needs_confirmation(check):
        pending = save_check(
            session, network, check, author=actor, source=url, keep_days=pending_days
        )
        return PullResult(
            slug, Outcome.REFUSED, _refusal(check), None, tuple(check.errors), pending.id
        )
    publication = publish_check(session, network, check, author=actor, source=url)
    if publication is None:
        return _unchanged(slug, "le contenu du fichier est celui de la version publiée")
    changes = check.diff.summary() if check.diff else ""
    details = {"fichier": url, "version": publication.number, "changements": changes}
    record(session, actor, Action.PUBLICATION, slug, details)
    message = f"Publié : version {publication.number} ({changes or 'première version'})."
    return PullResult(slug, Outcome.PUBLISHED, message, publication.number)


def _refusal(check: ImportCheck) -> str:
    if not check.ok:
        count = len(check.errors)
        return (
            f"Le fichier contient {count} erreur{'s' if count > 1 else ''} : rien n'a été "
            "publié. Il attend, avec la liste des problèmes, dans la page du réseau."
        )
    removed, total = removal(check)
    return (
        f"Le fichier retire {removed} des {total} structures publiées : rien n'a été publié. "
        "Un éditeur peut le publier depuis la page du réseau s'il est juste."
    )


def _recorded(row: NetworkSource, result: PullResult) -> PullResult:
    row.pulled_at = utcnow()
    row.result = result.outcome
    row.message = result.message[:500]
    row.pending_id = result.pending_id
    if result.version is not None:
        row.version = result.version
    return result
