"""The directory for data·inclusion (`GET /api/v1/reseaux/<slug>/data-inclusion.json`), public."""

from __future__ import annotations

import json

from flask import Response, request

from geodata.publishing.datainclusion import network_data_inclusion
from geodata.storage.networks import get_network
from webapp.api.blueprint import bp
from webapp.services import get_db

__all__ = ["bp", "data_inclusion"]


@bp.get("/reseaux/<slug>/data-inclusion.json")
def data_inclusion(slug: str) -> Response:
    """Return the network's carriers as structures and its active sites' offers as services.

    Their `lien_source` leads to the public map at this request's address (an unknown network
    is a 404 with a French message, as in the rest of the API).
    """
    session = get_db()
    body = network_data_inclusion(session, get_network(session, slug), request.url_root)
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, mimetype="application/json")
