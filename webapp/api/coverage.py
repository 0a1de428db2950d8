"""Coverage figures (`GET /api/v1/couverture`), on the API blueprint.

A coverage request holds a patient profile, not a patient: it may travel in a query string.
"""

from __future__ import annotations

import json

from flask import Response, request

from geodata.coverage.output import to_csv, to_geojson, to_json
from geodata.coverage.query import read_coverage_query
from geodata.coverage.study import study_coverage
from webapp.api.blueprint import ApiRefusal, bp
from webapp.services import get_db, get_gazetteer_service

__all__ = ["bp", "coverage"]

FORMATS = ("json", "csv", "geojson")


@bp.get("/couverture")
def coverage() -> Response:
    """Return how far every commune of an area lives from a site accepting the profile."""
    output = request.args.get("format", "json")
    if output not in FORMATS:
        raise ApiRefusal(400, "Format inconnu : json, csv ou geojson.", "format")
    gazetteer = get_gazetteer_service()
    query = read_coverage_query(request.args.to_dict(flat=False), gazetteer)
    study = study_coverage(get_db(), gazetteer, query)
    if output == "csv":
        return Response(to_csv(study), mimetype="text/csv; charset=utf-8")
    body = to_geojson(study) if output == "geojson" else to_json(study)
    mimetype = "application/geo+json" if output == "geojson" else "application/json"
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), mimetype=mimetype)
