"""The sync API for networks' automation (`/api/v1/reseaux/<slug>/...`), on the API blueprint.

A network that keeps its sheet elsewhere pushes it with its API token (`Authorization: Bearer`):
the file is checked and kept as a pending import, then published (or not) by a second call, so a
script can look at the problems and the difference first. The export is public, like the map.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from geodata.accounts.audit import token_actor
from geodata.accounts.tokens import PREFIX_LENGTH, network_of_token
from geodata.contract.spreadsheet import read_upload
from geodata.contract.textfile import decode_bytes
from geodata.errors import ImportRejected, MassRemoval
from geodata.problems import Problem
from geodata.publishing.export import to_csv
from geodata.publishing.importing import check_file
from geodata.publishing.pending import PendingInfo, publish_pending, restore_version, save_check
from geodata.publishing.versions import (
    MAX_VERSION,
    PublicationInfo,
    current_version,
    list_publications,
    published_records,
)
from geodata.storage.models import Publication
from geodata.storage.networks import get_network
from webapp.api.blueprint import NO_STORE, ApiRefusal, bp, refusal
from webapp.extensions import limiter
from webapp.services import get_db, get_gazetteer_service, get_geocoder, get_settings

__all__ = ["bp"]

CSV_TYPES = frozenset({"text/csv", "application/csv"})
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART = "multipart/form-data"
FIELD = "fichier"
# The query parameter that confirms a publish removing more than half of the published sites.
CONFIRM = "confirmer_suppressions"
HOW_TO_SEND = (
    "Envoyez le fichier comme corps de la requête (Content-Type: text/csv, ou le type d'un "
    f"classeur .xlsx) ou dans le champ « {FIELD} » d'un formulaire multipart/form-data."
)


class TokenRefused(ApiRefusal):
    """A request without a usable token: 401 with a `WWW-Authenticate: Bearer` challenge."""

    def __init__(self, message: str, challenge: str) -> None:
        super().__init__(401, message)
        self.challenge = challenge


@bp.errorhandler(TokenRefused)
def token_refused(error: TokenRefused) -> tuple[Response, int]:
    response, status = refusal(error.status, error.message, None)
    response.headers["WWW-Authenticate"] = error.challenge
    return response, status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> tuple[Response, int]:
    """Say the upload limit (`ANNUAIRE_MAX_UPLOAD_MB`) rather than a bare 413."""
    limit = get_settings().max_upload_mb
    if request.endpoint != "api.sync_import":
        return refusal(413, f"La requête est trop volumineuse (au plus {limit} Mo).", None)
    message = (
        f"Le fichier est trop volumineux : au plus {limit} Mo. Retirez les colonnes ou les "
        "feuilles inutiles, ou envoyez un fichier CSV plutôt qu'un classeur."
    )
    return refusal(413, message, FIELD)


def _bearer() -> str:
    """Return the token of the `Authorization: Bearer` header, or raise TokenRefused."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise TokenRefused(
            "Jeton d'API manquant : ajoutez l'en-tête « Authorization: Bearer VOTRE_JETON » "
            "(un administrateur le crée avec « python -m etl tokens create --network RÉSEAU »).",
            'Bearer realm="annuaire"',
        )
    return token


def _authorize(slug: str) -> str:
    """Check the request's token against network `slug`; return the author of its actions.

    Raises:
        TokenRefused: no token, or one that is unknown or revoked (401).
        ApiRefusal: the token of another network (403).
    """
    token = _bearer()
    session = get_db()
    owner = network_of_token(session, token)
    if owner is None:
        raise TokenRefused(
            "Jeton d'API inconnu ou révoqué : vérifiez-le, ou demandez-en un nouveau à "
            "l'administrateur de l'annuaire.",
            'Bearer realm="annuaire", error="invalid_token"',
        )
    if owner != slug:
        raise ApiRefusal(
            403, f"Ce jeton n'ouvre pas l'annuaire « {slug} » : utilisez le jeton de ce réseau."
        )
    # Keeps the token's last use even when the action itself fails.
    session.commit()
    return token_actor(token[:PREFIX_LENGTH])


def _upload() -> tuple[bytes, str]:
    """Return the uploaded file's bytes and name, from the raw body or the multipart field."""
    mimetype = request.mimetype
    if mimetype == MULTIPART:
        upload = request.files.get(FIELD)
        if upload is None:
            raise ApiRefusal(
                400, f"Le formulaire n'a pas de champ « {FIELD} ». {HOW_TO_SEND}", FIELD
            )
        return upload.read(), upload.filename or "fichier"
    if mimetype in CSV_TYPES:
        return _whole_body(), "api.csv"
    if mimetype == XLSX_TYPE:
        return _whole_body(), "api.xlsx"
    raise ApiRefusal(415, f"Type de contenu non accepté. {HOW_TO_SEND}")


def _whole_body() -> bytes:
    """Return the raw body, or raise RequestEntityTooLarge if it goes past the upload limit."""
    data = request.get_data(cache=False)
    # Without Content-Length (a chunked body) Werkzeug's stream stops at the limit on one read
    # instead of refusing, which would check a cut file and later delete every site after the
    # cut. Reading past the limit raises 413 (a body of exactly the limit counts as too large).
    request.stream.read(1)
    return data


def _csv_bytes(data: bytes, source: str) -> bytes:
    """Return the CSV to check, or raise when the upload cannot be a directory file at all.

    Raises:
        ApiRefusal: the file is empty.
        UnreadableFile: a binary file, a zip bomb, an unknown encoding (400, its French message).
    """
    if not data.strip():
        raise ApiRefusal(400, f"Le fichier envoyé est vide. {HOW_TO_SEND}", FIELD)
    csv = read_upload(data, source)
    # A binary file is a malformed request here (4xx), not an import with one problem.
    decode_bytes(csv)
    return csv


def _problems(check_problems: Sequence[Problem], errors: bool) -> list[dict[str, Any]]:
    return [p.to_json() for p in check_problems if p.is_error == errors]


def _pending_json(pending: PendingInfo) -> dict[str, Any]:
    check = pending.check
    diff = check.diff
    return {
        "id": pending.id,
        "reseau": pending.network,
        "statut": "valide" if pending.valid else "invalide",
        "version_de_base": pending.base_version,
        "erreurs": _problems(check.problems, True),
        "avertissements": _problems(check.problems, False),
        "ajouts": list(diff.added) if diff else [],
        "modifications": [change.identifiant for change in diff.changed] if diff else [],
        "suppressions": list(diff.removed) if diff else [],
    }


def _sync_limit() -> str:
    return get_settings().sync_rate_limit


def _token_key() -> str:
    """Count requests per token presented (its hash: a prefix could be borrowed by anyone to
    spend another network's allowance), else per client address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "sync-token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "sync-address:" + (request.remote_addr or "")


# Every route that needs a token; the public export is not limited here.
per_token = limiter.limit(_sync_limit, key_func=_token_key)


@bp.post("/reseaux/<slug>/imports")
@per_token
def sync_import(slug: str) -> tuple[Response, int, dict[str, str]]:
    """Check an uploaded directory file and keep it as a pending import; publish nothing."""
    author = _authorize(slug)
    data, source = _upload()
    session = get_db()
    network = get_network(session, slug)
    csv = _csv_bytes(data, source)
    check = check_file(session, network, csv, get_gazetteer_service(), get_geocoder())
    keep_days = get_settings().pending_days
    pending = save_check(session, network, check, author=author, source=source, keep_days=keep_days)
    session.commit()
    return jsonify(_pending_json(pending)), 201, NO_STORE


def _iso(moment: datetime) -> str:
    # SQLite gives back naive datetimes; every stored one is UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _version_answer(
    slug: str, publication: Publication | None, created: str, unchanged: str
) -> tuple[Response, int, dict[str, str]]:
    """Return 201 with a new version, or 200 with the current one when nothing changed."""
    if publication is None:
        number = current_version(get_db(), get_network(get_db(), slug))
        body = {"reseau": slug, "version": number, "nouvelle_version": False, "message": unchanged}
        return jsonify(body), 200, NO_STORE
    body = {
        "reseau": slug,
        "version": publication.number,
        "nouvelle_version": True,
        "date": _iso(publication.created_at),
        "message": created.format(publication.number),
    }
    return jsonify(body), 201, NO_STORE


@bp.post("/reseaux/<slug>/imports/<pending_id>/publication")
@per_token
def sync_publish(slug: str, pending_id: str) -> tuple[Response, int, dict[str, str]]:
    """Publish a pending import as a new version.

    409 when the file has errors (the API's documented answer, where the admin says 422), was
    checked against an older version, or was already published or discarded (these two are
    conflict errors, given their status by the app's table), or removes more than half of the
    published sites without `?confirmer_suppressions=1`.
    """
    author = _authorize(slug)
    session = get_db()
    confirmed = request.args.get(CONFIRM) == "1"
    try:
        publication = publish_pending(session, slug, pending_id, author=author, confirmed=confirmed)
    except ImportRejected as exc:
        message = f"{exc.message} Corrigez le fichier puis envoyez-le de nouveau."
        raise ApiRefusal(409, message) from exc
    except MassRemoval as exc:
        message = f"{exc.message} Pour les retirer, publiez avec le paramètre « ?{CONFIRM}=1 »."
        raise ApiRefusal(409, message, CONFIRM) from exc
    session.commit()
    return _version_answer(
        slug,
        publication,
        "Publié : version {} de l'annuaire.",
        "Aucun changement : l'annuaire publié reste tel quel.",
    )


def _publication_json(info: PublicationInfo) -> dict[str, Any]:
    return {
        "numero": info.number,
        "date": _iso(info.created_at),
        "auteur": info.author,
        "source": info.source,
        "note": info.note,
        "ajouts": info.added,
        "modifications": info.changed,
        "suppressions": info.removed,
        "total": info.total,
    }


@bp.get("/reseaux/<slug>/publications")
@per_token
def sync_publications(slug: str) -> tuple[Response, int, dict[str, str]]:
    """List the network's versions, newest first."""
    _authorize(slug)
    session = get_db()
    infos = list_publications(session, get_network(session, slug))
    body = {"reseau": slug, "publications": [_publication_json(info) for info in infos]}
    return jsonify(body), 200, NO_STORE


@bp.post(f"/reseaux/<slug>/publications/<int(max={MAX_VERSION}):number>/restauration")
@per_token
def sync_restore(slug: str, number: int) -> tuple[Response, int, dict[str, str]]:
    """Make version `number` current again, as a new version."""
    author = _authorize(slug)
    session = get_db()
    publication = restore_version(session, slug, number, author=author)
    session.commit()
    return _version_answer(
        slug,
        publication,
        f"Version {number} restaurée : c'est la version {{}} de l'annuaire.",
        f"La version {number} est déjà celle qui est publiée.",
    )


@bp.get("/reseaux/<slug>/export.csv")
def sync_export(slug: str) -> Response:
    """Return the network's published directory in the CSV contract (public, formula-safe)."""
    session = get_db()
    records = published_records(session, get_network(session, slug))
    response = Response(to_csv(records), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="annuaire-{slug}.csv"'
    return response
