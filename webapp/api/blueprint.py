"""The API blueprint, its refusals and how core errors become JSON answers."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, jsonify

from geodata.errors import FieldError, GeodataError, InvalidFields, InvalidValue, PlaceNotFound
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


def refusal(
    status: int, message: str, field: str | None, errors: Sequence[FieldError] = ()
) -> tuple[Response, int]:
    """Return the API's error body.

    `{"erreur": French message, "champ": field or null, "erreurs": [{"champ", "message"}]}`:
    `erreurs` lists every bad field (`errors`), or the one error when there is no list.
    """
    listed: list[dict[str, str | None]] = [
        {"champ": e.field, "message": e.message} for e in errors
    ] or [{"champ": field, "message": message}]
    response = jsonify({"erreur": message, "champ": field, "erreurs": listed})
    response.headers.update(NO_STORE)
    return response, status


def _field_of(error: GeodataError) -> str | None:
    if isinstance(error, InvalidValue):
        return error.field
    if isinstance(error, PlaceNotFound):
        return "adresse"
    return None


def _message_of(error: GeodataError) -> str:
    """Return the top-level message: every bad field's message, in order, for one-line clients."""
    if isinstance(error, InvalidFields):
        return " ".join(e.message for e in error.errors)
    return error.message


@bp.errorhandler(ApiRefusal)
def api_refusal(error: ApiRefusal) -> tuple[Response, int]:
    return refusal(error.status, error.message, error.field)


@bp.errorhandler(GeodataError)
def core_error(error: GeodataError) -> tuple[Response, int]:
    """Answer a core error with the status of the app's one error table."""
    errors = error.errors if isinstance(error, InvalidFields) else ()
    return refusal(status_for(error), _message_of(error), _field_of(error), errors)
