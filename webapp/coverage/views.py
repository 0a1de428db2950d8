"""The coverage page: the form, the figures by department, the map and the downloads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for

from geodata.contract.schema import load_schema
from geodata.coverage.output import commune_rows
from geodata.coverage.query import read_coverage_query
from geodata.coverage.sites import CoverageSite
from geodata.coverage.study import Study, study_coverage
from geodata.coverage.summary import BANDS, NOTICE
from geodata.errors import FieldError, InvalidFields
from geodata.orientation.eligibility import ALL_CANCERS
from webapp.admin.auth import login_required, signed_in
from webapp.admin.blueprint import no_store
from webapp.coverage.form import MAX_MAP_DEPARTMENTS, api_query, choices, query_values
from webapp.services import get_db, get_gazetteer_service

bp = Blueprint("coverage", __name__, url_prefix="/admin/couverture")
bp.after_request(no_store)


@bp.get("/")
@login_required
def page() -> tuple[str, int]:
    """Show the coverage of the chosen area for the chosen profile, with the "what if"."""
    account = signed_in()
    session, gazetteer = get_db(), get_gazetteer_service()
    args = request.args.to_dict(flat=False)
    allowed = choices(account, session, gazetteer)
    values = query_values(args, account, session, allowed)
    study: Study | None = None
    errors: list[FieldError] = []
    try:
        study = study_coverage(session, gazetteer, read_coverage_query(values, gazetteer))
    except InvalidFields as error:
        errors = error.errors
    context = _context(study, values, args) | {"choices": allowed, "errors": errors}
    return render_template("coverage/page.html", **context), 400 if errors else 200


def _context(
    study: Study | None, values: dict[str, list[str]], args: dict[str, list[str]]
) -> dict[str, Any]:
    schema = load_schema()
    cancers = {c: label for c, label in schema.vocabulary("cancers").items() if c != ALL_CANCERS}
    context: dict[str, Any] = {
        "study": study,
        "values": values,
        "form": {name: (args.get(name) or [""])[0] for name in ("zone", "reseau")},
        "cancers": cancers,
        "soins": schema.vocabulary("soins"),
        "notice": NOTICE,
        "bands": BANDS,
        "csv_url": f"{url_for('api.coverage')}?{api_query(values, 'csv')}",
        "geojson_url": f"{url_for('api.coverage')}?{api_query(values, 'geojson')}",
    }
    if study is not None:
        rows = commune_rows(study)
        context["farthest"] = [rows[i] for i in study.summary.farthest]
        context["sites"] = [_site_json(site) for site in study.nearest.sites]
        context["drawn"] = len(study.summary.departments) <= MAX_MAP_DEPARTMENTS
    return context


def _site_json(site: CoverageSite) -> dict[str, Any]:
    return {"nom": site.nom, "reseau": site.reseau, "lat": site.lat, "lon": site.lon}
