"""The API blueprint, its refusals and how core errors become JSON answers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from geodata.errors import GeodataError, InvalidValue, PlaceNotFound
from webapp.errors import status_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")

NO_STORE = {"Cache-Control": "no-store"}


class ApiRefusal(Exception):
    """A request the API refuses before any work: a status, a French message, a field."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def refusal(status: int, message: str, field: str | None) -> tuple[Response, int]:
    """Return the API's error body: `{"erreur": French message, "champ": field or null}`."""
    response = jsonify({"erreur": message, "champ": field})
    response.headers.update(NO_STORE)
    return response, status


def _field_of(error: GeodataError) -> str | None:
    if isinstance(error, InvalidValue):
        return error.field
    if isinstance(error, PlaceNotFound):
        return "adresse"
    return None


@bp.errorhandler(ApiRefusal)
def api_refusal(error: ApiRefusal) -> tuple[Response, int]:
    return refusal(error.status, error.message, error.field)


@bp.errorhandler(GeodataError)
def core_error(error: GeodataError) -> tuple[Response, int]:
    """Answer a core error with the status of the app's one error table."""
    return refusal(status_for(error), error.message, _field_of(error))
