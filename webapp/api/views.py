"""The JSON API, version 1: orientation, geocoding and the OpenAPI document.

Orientation requests carry health-related data (address, age, cancer): they come as a POST
body, are never logged, and their answers are never cached (`Cache-Control: no-store`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, jsonify, request

from geodata.orientation.request import parse_query
from geodata.orientation.service import answer_to_json, orient
from webapp.api.blueprint import NO_STORE, ApiRefusal, bp
from webapp.services import get_db, get_gazetteer_service, get_geocoder, get_settings

OPENAPI = Path(__file__).with_name("openapi.json")
MIN_QUERY = 3
MAX_QUERY = 200
MAX_GEOCODE_LIMIT = 10
# An orientation request is a few hundred bytes; anything much larger is refused unread.
MAX_BODY = 16 * 1024


def _json_object() -> dict[str, Any]:
    """Return the request body as a JSON object, or raise ApiRefusal saying what is wrong."""
    if not request.is_json:
        raise ApiRefusal(415, "Envoyez les données en JSON (Content-Type: application/json).")
    too_large = ApiRefusal(413, f"La requête est trop volumineuse (au plus {MAX_BODY // 1024} Ko).")
    if (request.content_length or 0) > MAX_BODY:
        raise too_large
    body = request.get_data(cache=False)
    if len(body) > MAX_BODY:
        raise too_large
    try:
        # Parsed here rather than by get_json: a deeply nested body raises RecursionError.
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiRefusal(400, "Le corps de la requête n'est pas un JSON valide.") from None
    if not isinstance(data, dict):
        raise ApiRefusal(400, "Le corps de la requête doit être un objet JSON : { ... }.")
    return data


@bp.post("/orientation")
def orientation() -> tuple[Response, int, dict[str, str]]:
    """Return the nearest eligible teams for a patient, and the closer ones left out.

    Every bad field is reported at once (`erreurs`); the body is checked exactly as the
    OpenAPI document says (`geodata.orientation.request.parse_query`).
    """
    today = date.today()
    query = parse_query(_json_object(), today)
    far_km = get_settings().far_km
    answer = orient(get_db(), query, get_geocoder(), get_gazetteer_service(), today, far_km)
    return jsonify(answer_to_json(answer)), 200, NO_STORE


def _geocode_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return 5
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_GEOCODE_LIMIT):
        raise ApiRefusal(
            400, f"La limite doit être un nombre entier de 1 à {MAX_GEOCODE_LIMIT}.", "limit"
        )
    return int(raw)


@bp.get("/geocode")
def geocode() -> tuple[Response, int, dict[str, str]]:
    """Return the places matching `q` (autocomplete); fewer than 3 characters match nothing."""
    limit = _geocode_limit(request.args.get("limit"))
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY:
        message = f"La recherche est trop longue (au plus {MAX_QUERY} caractères)."
        raise ApiRefusal(400, message, "q")
    places = get_geocoder().geocode(text, limit=limit) if len(text) >= MIN_QUERY else []
    return jsonify({"results": [place.to_json() for place in places]}), 200, NO_STORE


@bp.get("/openapi.json")
def openapi() -> Response:
    """Return the OpenAPI 3.1 description of this API."""
    return Response(OPENAPI.read_bytes(), mimetype="application/json")
