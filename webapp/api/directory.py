"""The public directory as GeoJSON (`GET /api/v1/structures.geojson`), on the API blueprint."""

from __future__ import annotations

import json

from flask import Response, request

from geodata.orientation.directory import feature_collection, parse_filter, published_sites
from webapp.api.blueprint import bp
from webapp.services import get_db

__all__ = ["bp", "structures_geojson"]


@bp.get("/structures.geojson")
def structures_geojson() -> Response:
    """Return the active published sites passing the `cancer`, `public`, `soin`, `reseau` filters.

    Unknown filter values become a 400 with a French message (webapp.errors).
    """
    entries = published_sites(get_db(), parse_filter(request.args))
    body = json.dumps(feature_collection(entries), ensure_ascii=False, separators=(",", ":"))
    return Response(body, mimetype="application/geo+json")
