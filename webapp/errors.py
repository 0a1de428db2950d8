"""The core's errors and HTTP errors as responses: JSON under /api/, a French page elsewhere."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from geodata.errors import (
    CheckTooLarge,
    ConfigurationError,
    ConflictError,
    GeocoderUnavailable,
    GeodataError,
    ImportRejected,
    InvalidValue,
    NotFound,
    SourceUnavailable,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

# French messages for the HTTP errors users can meet.
HTTP_MESSAGES = {
    400: "La requête est mal formée.",
    404: "Cette page n'existe pas.",
    405: "Cette méthode n'est pas acceptée ici.",
    413: "La requête est trop volumineuse.",
    415: "Ce type de contenu n'est pas accepté.",
    429: "Trop de requêtes : réessayez dans un instant.",
    500: "Une erreur interne est survenue. Réessayez plus tard.",
}
DATABASE_UNAVAILABLE = (
    "La base de données est momentanément indisponible : réessayez dans un instant."
)

# A database that refuses for now, not a bug: a 503 that clients may retry after this delay.
# SQLite result codes (low byte of the extended code): busy, locked, read-only (file, mount).
SQLITE_UNAVAILABLE = frozenset({5, 6, 8})
# PostgreSQL SQLSTATEs: read-only transaction (standby, maintenance), server shutting down or
# starting, too many connections; class 08 is a lost or refused connection.
POSTGRES_UNAVAILABLE = frozenset({"25006", "57P01", "57P02", "57P03", "53300"})
RETRY_AFTER_SECONDS = 10

# The one place a core error gets its status; the first kind that matches wins.
STATUS_OF: list[tuple[type[GeodataError], int]] = [
    (NotFound, 404),
    (InvalidValue, 400),
    (ImportRejected, 422),
    (ConflictError, 409),  # a newer version, an import already published or discarded
    (CheckTooLarge, 413),  # a checked file too large to keep as a pending import
    (GeocoderUnavailable, 503),
    (SourceUnavailable, 502),  # the network's spreadsheet host refused, failed or was refused
    (ConfigurationError, 500),
]


def status_for(error: GeodataError) -> int:
    """Return the HTTP status that fits a core error."""
    return next((status for kind, status in STATUS_OF if isinstance(error, kind)), 400)


def database_unavailable(error: DBAPIError) -> bool:
    """Tell whether `error` says the database refuses for now (read-only, locked, down)."""
    if error.connection_invalidated:
        return True
    code = getattr(error.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in SQLITE_UNAVAILABLE
    state = getattr(error.orig, "sqlstate", None)
    if isinstance(state, str):
        return state in POSTGRES_UNAVAILABLE or state.startswith("08")
    # psycopg reports a refused connection (server down) without an SQLSTATE.
    return isinstance(error, OperationalError)


def _bind_urls_without_host() -> None:
    # A Host outside TRUSTED_HOSTS leaves the request without URL adapter; the page needs one
    # for its relative links, bound to a placeholder host so the forged one is never used.
    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(
            "localhost", script_name=request.root_path or None, url_scheme=request.scheme
        )


def error_response(
    status: int, message: str, headers: Iterable[tuple[str, str]] = (), **data: Any
) -> tuple[Response, int]:
    """Return a JSON body under /api/ and an HTML page elsewhere, both in French.

    `headers` are kept (Allow of a 405, Retry-After); no error is stored by a cache, since an
    error may concern one session or pass once the cause is gone.
    """
    if request.path.startswith(API_PREFIX):
        # The API's error shape (webapp/api/blueprint.py): one error, no field.
        errors = [{"champ": None, "message": message}]
        response = jsonify({"erreur": message, "champ": None, "erreurs": errors, **data})
    else:
        _bind_urls_without_host()
        response = make_response(render_template("erreur.html", status=status, message=message))
    response.headers.extend(headers)
    response.headers["Cache-Control"] = "no-store"
    return response, status


def init_app(app: Flask) -> None:
    @app.errorhandler(GeodataError)
    def core_error(error: GeodataError) -> tuple[Response | str, int]:
        status = status_for(error)
        if status >= 500:
            log.error("core error: %s", type(error).__name__)
        return error_response(status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[Response | str, int]:
        return error_response(
            400,
            "Ce formulaire a expiré ou ne vient pas de ce site : rechargez la page, puis "
            "recommencez.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        status = error.code or 500
        # The error's own headers (Allow, Retry-After...) but not its HTML Content-Type.
        kept = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return error_response(status, HTTP_MESSAGES.get(status, error.name), kept)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> tuple[Response | str, int]:
        if not database_unavailable(error):
            return unexpected(error)
        log.warning("database unavailable: %s", type(error.orig).__name__)
        retry = [("Retry-After", str(RETRY_AFTER_SECONDS))]
        return error_response(503, DATABASE_UNAVAILABLE, retry)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response | str, int]:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, HTTP_MESSAGES[500])
