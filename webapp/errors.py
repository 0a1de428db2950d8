"""The core's errors and HTTP errors as responses: JSON under /api/, a French page elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from geodata.errors import (
    ConfigurationError,
    ConflictError,
    GeocoderUnavailable,
    GeodataError,
    ImportRejected,
    InvalidValue,
    NotFound,
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

# The one place a core error gets its status; the first kind that matches wins.
STATUS_OF: list[tuple[type[GeodataError], int]] = [
    (NotFound, 404),
    (InvalidValue, 400),
    (ImportRejected, 422),
    (ConflictError, 409),  # a newer version, an import already published or discarded
    (GeocoderUnavailable, 503),
    (ConfigurationError, 500),
]


def status_for(error: GeodataError) -> int:
    """Return the HTTP status that fits a core error."""
    return next((status for kind, status in STATUS_OF if isinstance(error, kind)), 400)


def error_response(status: int, message: str, **data: Any) -> tuple[Response | str, int]:
    """Return a JSON body under /api/ and an HTML page elsewhere, both in French."""
    if request.path.startswith(API_PREFIX):
        return jsonify({"erreur": message, **data}), status
    return render_template("erreur.html", status=status, message=message), status


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
        return error_response(status, HTTP_MESSAGES.get(status, error.name))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response | str, int]:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, HTTP_MESSAGES[500])
